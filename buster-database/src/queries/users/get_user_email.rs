//! Get only a user's email.

use crate::schema::User;
use buster_db::prelude::*;
use buster_db::{Result, Uuid};

/// Input of [`get_user_email`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetUserEmailParams {
    /// The user's id.
    pub id: Uuid,
}

impl GetUserEmailParams {
    /// Nothing to check: an id is always well-formed.
    ///
    /// # Errors
    ///
    /// None today; kept so every query validates the same way.
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// The email of the live user with this id, if any; reads that one column only.
///
/// # Errors
///
/// Database errors.
pub async fn get_user_email<E: Executor + ?Sized>(
    params: GetUserEmailParams,
    exec: &E,
) -> Result<Option<String>> {
    params.validate()?;
    User::select()
        .column(User::email)
        .filter(User::id.eq(params.id))
        .optional(exec)
        .await
}
