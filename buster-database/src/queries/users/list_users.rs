//! List users, a page at a time.

use crate::schema::User;
use crate::validate;
use buster_db::prelude::*;
use buster_db::{Page, Result};

/// Input of [`list_users`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListUsersParams {
    /// The page, from 1.
    pub page: u32,
    /// Users per page, 1 to 5,000.
    pub page_size: u32,
}

impl ListUsersParams {
    /// Page `page` of `page_size` users.
    pub fn new(page: u32, page_size: u32) -> ListUsersParams {
        ListUsersParams { page, page_size }
    }

    /// Checks that `page` is at least 1 and `page_size` is between 1 and 5,000.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`](buster_db::ErrorKind::Validation) for field `page` or `page_size`.
    pub fn validate(&self) -> Result<()> {
        validate::page(self.page, self.page_size)
    }
}

/// One page of live users, oldest first (ties broken by id, so pages never overlap), with the
/// total number of live users. The rows and the count are fetched concurrently.
///
/// # Errors
///
/// Validation and database errors.
pub async fn list_users<E: Executor + ?Sized>(
    params: ListUsersParams,
    exec: &E,
) -> Result<Page<User>> {
    params.validate()?;
    User::select()
        .order_by(User::created_at.asc())
        .order_by(User::id.asc())
        .paginate(params.page, params.page_size, exec)
        .await
}
