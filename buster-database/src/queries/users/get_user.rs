//! Get a user by id.

use crate::schema::User;
use buster_db::{Executor, Result, Table, Uuid};

/// Input of [`get_user`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetUserParams {
    /// The user's id.
    pub id: Uuid,
    /// Also return the user when soft-deleted.
    pub include_deleted: bool,
}

impl GetUserParams {
    /// The live user with this id.
    pub fn new(id: Uuid) -> GetUserParams {
        GetUserParams {
            id,
            include_deleted: false,
        }
    }

    /// Nothing to check: an id is always well-formed.
    ///
    /// # Errors
    ///
    /// None today; kept so every query validates the same way.
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// The user with this id: `None` when there is none, or when it is soft-deleted and
/// `include_deleted` is false.
///
/// # Errors
///
/// Database errors.
pub async fn get_user<E: Executor + ?Sized>(
    params: GetUserParams,
    exec: &E,
) -> Result<Option<User>> {
    params.validate()?;
    let find = User::find(params.id);
    if params.include_deleted {
        find.with_deleted().optional(exec).await
    } else {
        find.optional(exec).await
    }
}
