//! Restore a soft-deleted user.

use crate::schema::User;
use buster_db::{Executor, Result, Table, Uuid};

/// Input of [`restore_user`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestoreUserParams {
    /// The deleted user to bring back.
    pub id: Uuid,
}

impl RestoreUserParams {
    /// Nothing to check: an id is always well-formed.
    ///
    /// # Errors
    ///
    /// None today; kept so every query validates the same way.
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// Clears the deletion of a soft-deleted user and returns it.
///
/// # Errors
///
/// [`ErrorKind::NotFound`](buster_db::ErrorKind::NotFound) when there is no deleted user with this
/// id; [`ErrorKind::UniqueViolation`](buster_db::ErrorKind::UniqueViolation) (`users_email_key`)
/// when a live user has taken its email meanwhile; database errors.
pub async fn restore_user<E: Executor + ?Sized>(
    params: RestoreUserParams,
    exec: &E,
) -> Result<User> {
    params.validate()?;
    User::restore(params.id).one(exec).await
}
