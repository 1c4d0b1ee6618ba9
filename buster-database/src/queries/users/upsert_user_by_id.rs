//! Insert or update a user by id.

use crate::schema::{NewUser, User};
use buster_db::prelude::*;
use buster_db::{Result, Uuid};

use super::create_user::user_fields;

/// Input of [`upsert_user_by_id`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpsertUserByIdParams {
    /// The id to insert or update.
    pub id: Uuid,
    /// The sign-in email.
    pub email: String,
    /// The display name.
    pub name: String,
    /// The picture URL; `None` stores none (and removes an existing one).
    pub avatar_url: Option<String>,
}

impl UpsertUserByIdParams {
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

/// Inserts the user, or sets `email`, `name` and `avatar_url` of the live user with this id,
/// in one statement (`INSERT … ON CONFLICT (id) DO UPDATE`). Other columns keep their values
/// (their defaults on insert).
///
/// A soft-deleted user with this id is not revived: it stays deleted and the call fails with
/// not found. Bring it back with [`restore_user`](super::restore_user) first.
///
/// # Errors
///
/// [`ErrorKind::NotFound`](buster_db::ErrorKind::NotFound) when the id belongs to a soft-deleted
/// user; [`ErrorKind::UniqueViolation`](buster_db::ErrorKind::UniqueViolation) when the email
/// belongs to another live user; validation and database errors.
pub async fn upsert_user_by_id<E: Executor + ?Sized>(
    params: UpsertUserByIdParams,
    exec: &E,
) -> Result<User> {
    params.validate()?;
    User::upsert(NewUser {
        id: Some(params.id),
        email: params.email,
        name: params.name,
        is_active: None,
        config: None,
        avatar_url: params.avatar_url,
    })
    .on_conflict(User::id)
    .update((User::email, User::name, User::avatar_url))
    .one(exec)
    .await
}
