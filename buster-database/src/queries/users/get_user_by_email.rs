//! Get a live user by email.

use crate::schema::User;
use crate::validate;
use buster_db::Result;
use buster_db::prelude::*;

/// Input of [`get_user_by_email`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetUserByEmailParams {
    /// The exact sign-in email (compared case-sensitively, as stored).
    pub email: String,
}

impl GetUserByEmailParams {
    /// The live user with this email.
    pub fn new(email: impl Into<String>) -> GetUserByEmailParams {
        GetUserByEmailParams {
            email: email.into(),
        }
    }

    /// Checks that `email` is an email address.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`](buster_db::ErrorKind::Validation) for field `email`.
    pub fn validate(&self) -> Result<()> {
        validate::email("email", &self.email)
    }
}

/// The live user with this email, if any. Soft-deleted users never match: their email may
/// belong to a live user by now.
///
/// # Errors
///
/// Validation errors; database errors.
pub async fn get_user_by_email<E: Executor + ?Sized>(
    params: GetUserByEmailParams,
    exec: &E,
) -> Result<Option<User>> {
    params.validate()?;
    User::select()
        .filter(User::email.eq(params.email))
        .optional(exec)
        .await
}
