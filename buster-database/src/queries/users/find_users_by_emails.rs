//! Find users by email, keyed by email.

use std::collections::HashMap;

use crate::schema::User;
use crate::validate;
use buster_db::prelude::*;
use buster_db::{Error, Result};

/// Input of [`find_users_by_emails`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FindUsersByEmailsParams {
    /// The emails to look up (exact, case-sensitive); duplicates are fine.
    pub emails: Vec<String>,
}

impl FindUsersByEmailsParams {
    /// Checks that every entry is an email address.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`](buster_db::ErrorKind::Validation) for field `emails`, the message
    /// giving the position and the reason.
    pub fn validate(&self) -> Result<()> {
        for (i, email) in self.emails.iter().enumerate() {
            if let Some(why) = validate::email_problem(email) {
                return Err(Error::validation("emails", format!("entry {i} {why}")));
            }
        }
        Ok(())
    }
}

/// The live users whose email is among `emails`, keyed by email; emails without a live user
/// are absent from the map. One statement (`"email" = ANY($1)`); an empty list returns an empty
/// map without a round trip.
///
/// # Errors
///
/// Validation and database errors.
pub async fn find_users_by_emails<E: Executor + ?Sized>(
    params: FindUsersByEmailsParams,
    exec: &E,
) -> Result<HashMap<String, User>> {
    params.validate()?;
    if params.emails.is_empty() {
        return Ok(HashMap::new());
    }
    let users = User::select()
        .filter(User::email.is_in(params.emails))
        .all(exec)
        .await?;
    Ok(users.into_iter().map(|u| (u.email.clone(), u)).collect())
}
