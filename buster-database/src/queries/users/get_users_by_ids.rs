//! Get many users by id.

use crate::schema::User;
use buster_db::prelude::*;
use buster_db::{Result, Uuid};

/// Input of [`get_users_by_ids`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GetUsersByIdsParams {
    /// The ids to look up; duplicates and unknown ids are fine.
    pub ids: Vec<Uuid>,
}

impl GetUsersByIdsParams {
    /// Nothing to check: any list of ids, including an empty one, is a valid question.
    ///
    /// # Errors
    ///
    /// None today; kept so every query validates the same way.
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// The live users among `ids`, in no particular order, with one statement
/// (`"id" = ANY($1)`, one array parameter whatever the number of ids). An empty list returns
/// an empty result without a round trip.
///
/// # Errors
///
/// Database errors.
pub async fn get_users_by_ids<E: Executor + ?Sized>(
    params: GetUsersByIdsParams,
    exec: &E,
) -> Result<Vec<User>> {
    params.validate()?;
    if params.ids.is_empty() {
        return Ok(Vec::new());
    }
    User::select()
        .filter(User::id.is_in(params.ids))
        .all(exec)
        .await
}
