//! Insert or update a user by email.

use crate::schema::{NewUser, User};
use buster_db::Result;
use buster_db::prelude::*;

use super::create_user::user_fields;

/// Input of [`upsert_user_by_email`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpsertUserByEmailParams {
    /// The sign-in email that identifies the user.
    pub email: String,
    /// The display name.
    pub name: String,
    /// The picture URL; `None` stores none (and removes an existing one).
    pub avatar_url: Option<String>,
}

impl UpsertUserByEmailParams {
    /// Checks the fields as [`CreateUserParams::validate`](super::CreateUserParams::validate)
    /// does.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`](buster_db::ErrorKind::Validation) naming the first bad field.
    pub fn validate(&self) -> Result<()> {
        user_fields(&self.email, &self.name, self.avatar_url.as_deref(), None)
    }
}

/// Inserts a user with this email, or sets `name` and `avatar_url` of the live user that has
/// it, in one statement (`INSERT … ON CONFLICT (email) WHERE deleted_at IS NULL DO UPDATE`).
///
/// Emails are unique among live users only, so a soft-deleted user with this email does not
/// conflict: a new user is created and the deleted one stays deleted.
///
/// # Errors
///
/// Validation and database errors.
pub async fn upsert_user_by_email<E: Executor + ?Sized>(
    params: UpsertUserByEmailParams,
    exec: &E,
) -> Result<User> {
    params.validate()?;
    User::upsert(NewUser {
        id: None,
        email: params.email,
        name: params.name,
        is_active: None,
        config: None,
        avatar_url: params.avatar_url,
    })
    .on_conflict(User::email)
    .update((User::name, User::avatar_url))
    .one(exec)
    .await
}
