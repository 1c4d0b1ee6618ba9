//! Create an organization.

use crate::schema::{NewOrganization, Organization, UserOrganizationRole};
use crate::validate::{self, MAX_TEXT};
use buster_db::{Error, Executor, Result, Table};

/// Input of [`create_organization`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateOrganizationParams {
    /// The display name (1 to 255 characters), unique among live organizations.
    pub name: String,
    /// The primary email domain.
    pub domain: Option<String>,
    /// Every email domain whose users may join.
    pub domains: Option<Vec<String>>,
    /// The role new members get; `None` means `restricted_querier`.
    pub default_role: Option<UserOrganizationRole>,
    /// Whether the organization must pay before using the product; `None` means no.
    pub payment_required: Option<bool>,
    /// Whether only admins may invite new users; `None` means no.
    pub restrict_new_user_invitations: Option<bool>,
}

impl CreateOrganizationParams {
    /// An organization with this name, everything else left to the defaults.
    pub fn new(name: impl Into<String>) -> CreateOrganizationParams {
        CreateOrganizationParams {
            name: name.into(),
            domain: None,
            domains: None,
            default_role: None,
            payment_required: None,
            restrict_new_user_invitations: None,
        }
    }

    /// Checks the input: `name`, `domain` and each of `domains` are 1 to 255 characters.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`](buster_db::ErrorKind::Validation) naming the first bad field.
    pub fn validate(&self) -> Result<()> {
        validate::text("name", &self.name, MAX_TEXT)?;
        validate::optional_text("domain", self.domain.as_deref(), MAX_TEXT)?;
        for (i, d) in self.domains.iter().flatten().enumerate() {
            if validate::text("domains", d, MAX_TEXT).is_err() {
                return Err(Error::validation(
                    "domains",
                    format!("entry {i} must be 1 to {MAX_TEXT} characters long"),
                ));
            }
        }
        Ok(())
    }
}

/// Inserts an organization and returns it.
///
/// # Errors
///
/// [`ErrorKind::UniqueViolation`](buster_db::ErrorKind::UniqueViolation)
/// (`organizations_name_key`) when a live organization has the name; validation and database
/// errors.
pub async fn create_organization<E: Executor + ?Sized>(
    params: CreateOrganizationParams,
    exec: &E,
) -> Result<Organization> {
    params.validate()?;
    Organization::insert(NewOrganization {
        id: None,
        name: params.name,
        domain: params.domain,
        domains: params.domains,
        payment_required: params.payment_required,
        restrict_new_user_invitations: params.restrict_new_user_invitations,
        default_role: params.default_role,
        organization_color_palettes: None,
    })
    .one(exec)
    .await
}
