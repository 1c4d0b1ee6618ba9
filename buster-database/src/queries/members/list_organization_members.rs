//! List an organization's members, filtered and a page at a time.

use crate::schema::{
    Organization, User, UserOrganizationRole, UserOrganizationStatus, UsersToOrganization,
};
use crate::validate::{self, MAX_TEXT};
use buster_db::prelude::*;
use buster_db::{Page, Result, Uuid};

/// Input of [`list_organization_members`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOrganizationMembersParams {
    /// The organization.
    pub organization_id: Uuid,
    /// Text to look for in the member's name or email, ignoring case (at most 255
    /// characters). `%` and `_` match themselves; blank text filters nothing.
    pub search: Option<String>,
    /// Only members with this role.
    pub role: Option<UserOrganizationRole>,
    /// Only members with this status.
    pub status: Option<UserOrganizationStatus>,
    /// The page, from 1.
    pub page: u32,
    /// Members per page, 1 to 5,000.
    pub page_size: u32,
}

impl ListOrganizationMembersParams {
    /// Page `page` of `page_size` members of the organization, unfiltered.
    pub fn new(organization_id: Uuid, page: u32, page_size: u32) -> ListOrganizationMembersParams {
        ListOrganizationMembersParams {
            organization_id,
            search: None,
            role: None,
            status: None,
            page,
            page_size,
        }
    }

    /// Checks that `search` is at most 255 characters, `page` is at least 1 and `page_size` is
    /// between 1 and 5,000.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`](buster_db::ErrorKind::Validation) for field `search`, `page` or
    /// `page_size`.
    pub fn validate(&self) -> Result<()> {
        if let Some(s) = &self.search {
            validate::bounded("search", s, MAX_TEXT)?;
        }
        validate::page(self.page, self.page_size)
    }
}

/// A member of an organization: the user and their membership.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganizationMember {
    /// The user.
    pub user: User,
    /// The membership: role, status, permissions.
    pub membership: UsersToOrganization,
}

/// One page of the organization's members, by name (ties by user id), with the total count of
/// members that match. Only live memberships of live users in a live organization appear.
///
/// One join, `users ⋈ users_to_organizations ⋈ organizations`, fetched together with its count.
/// `search` becomes `name ILIKE '%text%' OR email ILIKE '%text%'`, with `\`, `%` and `_` of the
/// text escaped.
///
/// # Errors
///
/// Validation and database errors.
pub async fn list_organization_members<E: Executor + ?Sized>(
    params: ListOrganizationMembersParams,
    exec: &E,
) -> Result<Page<OrganizationMember>> {
    params.validate()?;
    let mut query = User::select()
        .inner_join(
            UsersToOrganization::table(),
            UsersToOrganization::user_id.eq_col(User::id),
        )
        .inner_join(
            Organization::table(),
            Organization::id.eq_col(UsersToOrganization::organization_id),
        )
        .filter(UsersToOrganization::organization_id.eq(params.organization_id));
    if let Some(text) = params.search.as_deref().filter(|s| !s.trim().is_empty()) {
        let pattern = contains_pattern(text);
        query = query.filter(
            User::name
                .ilike(pattern.clone())
                .or(User::email.ilike(pattern)),
        );
    }
    if let Some(role) = params.role {
        query = query.filter(UsersToOrganization::role.eq(role));
    }
    if let Some(status) = params.status {
        query = query.filter(UsersToOrganization::status.eq(status));
    }
    let page = query
        .order_by(User::name.asc())
        .order_by(User::id.asc())
        .columns((User::table(), UsersToOrganization::table()))
        .paginate(params.page, params.page_size, exec)
        .await?;
    Ok(Page {
        items: page
            .items
            .into_iter()
            .map(|(user, membership)| OrganizationMember { user, membership })
            .collect(),
        total: page.total,
        page: page.page,
        page_size: page.page_size,
        has_more: page.has_more,
    })
}

/// A `LIKE` pattern matching any text that contains `text` literally: the wildcards `%` and `_`
/// and the escape character `\` (PostgreSQL's default `ESCAPE`) are escaped.
fn contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::contains_pattern;

    #[test]
    fn wildcards_and_the_escape_character_match_themselves() {
        assert_eq!(contains_pattern("ada"), "%ada%");
        assert_eq!(contains_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }
}
