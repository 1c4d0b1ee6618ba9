//! Soft-delete a user.

use crate::schema::User;
use buster_db::{Executor, Result, Table, Uuid};

/// Input of [`soft_delete_user`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SoftDeleteUserParams {
    /// The user to delete.
    pub id: Uuid,
}

impl SoftDeleteUserParams {
    /// Nothing to check: an id is always well-formed.
    ///
    /// # Errors
    ///
    /// None today; kept so every query validates the same way.
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// Soft-deletes a live user and returns the row as deleted. From then on the user is hidden
/// from every read (its memberships and API keys stay, but joins hide them with the user), and
/// its email is free for a new account.
///
/// # Errors
///
/// [`ErrorKind::NotFound`](buster_db::ErrorKind::NotFound) when there is no live user with this
/// id (deleting twice changes nothing); database errors.
pub async fn soft_delete_user<E: Executor + ?Sized>(
    params: SoftDeleteUserParams,
    exec: &E,
) -> Result<User> {
    params.validate()?;
    User::soft_delete(params.id).one(exec).await
}
