//! Update a live user.

use crate::schema::{User, UserPatch};
use crate::validate::{self, MAX_TEXT};
use buster_db::{Executor, JsonValue, Result, Table, Uuid};

use super::create_user::{MAX_URL, config_object};

/// Input of [`update_user`]: the fields to change (`None` leaves a field as it is).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UpdateUserParams {
    /// The user to update.
    pub id: Uuid,
    /// A new sign-in email.
    pub email: Option<String>,
    /// A new display name.
    pub name: Option<String>,
    /// A new picture URL; `Some(None)` removes it.
    pub avatar_url: Option<Option<String>>,
    /// New settings (a JSON object), replacing the old ones.
    pub config: Option<JsonValue>,
    /// Whether the user may sign in.
    pub is_active: Option<bool>,
}

impl UpdateUserParams {
    /// Checks each field that is set, as [`CreateUserParams::validate`](super::CreateUserParams::validate)
    /// does.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`](buster_db::ErrorKind::Validation) naming the first bad field.
    pub fn validate(&self) -> Result<()> {
        if let Some(email) = &self.email {
            validate::email("email", email)?;
        }
        validate::optional_text("name", self.name.as_deref(), MAX_TEXT)?;
        validate::optional_text(
            "avatar_url",
            self.avatar_url.clone().flatten().as_deref(),
            MAX_URL,
        )?;
        config_object(self.config.as_ref())
    }
}

/// Changes the given fields of a live user (and `updated_at`), returning the updated row. With
/// no field set, only `updated_at` changes.
///
/// # Errors
///
/// [`ErrorKind::NotFound`](buster_db::ErrorKind::NotFound) when there is no user with this id or
/// it is soft-deleted (checked in the same statement);
/// [`ErrorKind::UniqueViolation`](buster_db::ErrorKind::UniqueViolation) when the new email belongs
/// to another live user; validation and database errors.
pub async fn update_user<E: Executor + ?Sized>(params: UpdateUserParams, exec: &E) -> Result<User> {
    params.validate()?;
    User::update(params.id)
        .patch(UserPatch {
            email: params.email,
            name: params.name,
            is_active: params.is_active,
            config: params.config,
            avatar_url: params.avatar_url,
        })
        .one(exec)
        .await
}
