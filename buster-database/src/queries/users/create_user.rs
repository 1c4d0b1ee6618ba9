//! Create a user.

use crate::schema::{NewUser, User};
use crate::validate::{self, MAX_TEXT};
use buster_db::{Executor, JsonValue, Result, Table};

/// The longest avatar URL accepted, in characters.
pub(crate) const MAX_URL: usize = 2048;

/// Input of [`create_user`].
#[derive(Debug, Clone, PartialEq)]
pub struct CreateUserParams {
    /// The sign-in email; unique among live users.
    pub email: String,
    /// The display name (1 to 255 characters).
    pub name: String,
    /// The URL of the user's picture (at most 2,048 characters).
    pub avatar_url: Option<String>,
    /// Settings as a JSON object; `None` stores `{}`.
    pub config: Option<JsonValue>,
    /// Whether the user may sign in; `None` means yes.
    pub is_active: Option<bool>,
}

impl CreateUserParams {
    /// A user with this email and name, everything else left to the defaults.
    pub fn new(email: impl Into<String>, name: impl Into<String>) -> CreateUserParams {
        CreateUserParams {
            email: email.into(),
            name: name.into(),
            avatar_url: None,
            config: None,
            is_active: None,
        }
    }

    /// Checks the input: `email` is an email address, `name` is 1 to 255 characters,
    /// `avatar_url` is not blank and at most 2,048 characters, `config` is a JSON object with
    /// no NUL character in any string or key.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`](buster_db::ErrorKind::Validation) naming the first bad field.
    pub fn validate(&self) -> Result<()> {
        user_fields(
            &self.email,
            &self.name,
            self.avatar_url.as_deref(),
            self.config.as_ref(),
        )
    }
}

/// The checks every query writing a user's fields shares.
pub(crate) fn user_fields(
    email: &str,
    name: &str,
    avatar_url: Option<&str>,
    config: Option<&JsonValue>,
) -> Result<()> {
    validate::email("email", email)?;
    validate::text("name", name, MAX_TEXT)?;
    validate::optional_text("avatar_url", avatar_url, MAX_URL)?;
    config_object(config)
}

/// `users.config` holds an object: the product reads named settings from it; `jsonb` stores no
/// NUL character in any string or key.
pub(crate) fn config_object(config: Option<&JsonValue>) -> Result<()> {
    match config {
        Some(c) if !c.is_object() => Err(buster_db::Error::validation(
            "config",
            "must be a JSON object",
        )),
        Some(c) => validate::json("config", c),
        None => Ok(()),
    }
}

/// Inserts a user and returns it.
///
/// # Errors
///
/// [`ErrorKind::Validation`](buster_db::ErrorKind::Validation) for bad input (nothing is written);
/// [`ErrorKind::UniqueViolation`](buster_db::ErrorKind::UniqueViolation) (`users_email_key`) when
/// a live user already has the email; database errors.
pub async fn create_user<E: Executor + ?Sized>(params: CreateUserParams, exec: &E) -> Result<User> {
    params.validate()?;
    User::insert(NewUser {
        id: None,
        email: params.email,
        name: params.name,
        is_active: params.is_active,
        config: params.config,
        avatar_url: params.avatar_url,
    })
    .one(exec)
    .await
}
