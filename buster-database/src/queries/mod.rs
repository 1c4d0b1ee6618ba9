//! The Buster queries, by domain: one operation per file, every one re-exported here and at the
//! crate root.
//!
//! Each query is an `async fn` taking a params value and an executor. The params are validated
//! first (`params.validate()`, also callable on its own): bad input is an
//! [`ErrorKind::Validation`](buster_db::ErrorKind::Validation) error whose
//! [`field`](buster_db::Error::field) names the culprit, and no SQL is sent. Queries that are one
//! statement (or statements that need not be atomic) run on any [`Executor`](buster_db::Executor):
//! a `&Db`, a `Conn` or a `Transaction`. The few that must be atomic across statements take a
//! `&Db` and open their own transaction.
//!
//! ```no_run
//! use buster_database::schema::UserOrganizationRole;
//! use buster_database::{
//!     AddUserToOrganizationParams, CreateOrganizationParams, CreateUserParams,
//!     add_user_to_organization, create_organization, create_user,
//! };
//! use buster_db::Db;
//!
//! # async fn demo(db: &Db) -> buster_db::Result<()> {
//! let ada = create_user(CreateUserParams::new("ada@example.com", "Ada"), db).await?;
//! let acme = create_organization(CreateOrganizationParams::new("Acme"), db).await?;
//! let member = add_user_to_organization(
//!     AddUserToOrganizationParams::new(ada.id, acme.id, UserOrganizationRole::Querier, ada.id),
//!     db,
//! )
//! .await?;
//! assert_eq!(member.role, UserOrganizationRole::Querier);
//! # Ok(())
//! # }
//! ```

mod api_keys;
mod asset_permissions;
mod assets;
mod chats;
mod collections;
mod datasets;
mod members;
mod messages;
mod organizations;
mod reports;
mod users;

pub use api_keys::*;
pub use asset_permissions::*;
pub use assets::*;
pub use chats::*;
pub use collections::*;
pub use datasets::*;
pub use members::*;
pub use messages::*;
pub use organizations::*;
pub use reports::*;
pub use users::*;
