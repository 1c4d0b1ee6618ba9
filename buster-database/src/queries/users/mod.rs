//! Users: people who sign in.

mod create_user;
mod find_users_by_emails;
mod get_user;
mod get_user_by_email;
mod get_user_email;
mod get_user_with_organizations;
mod get_users_by_ids;
mod list_users;
mod restore_user;
mod soft_delete_user;
mod update_user;
mod upsert_user_by_email;
mod upsert_user_by_id;

pub use create_user::*;
pub use find_users_by_emails::*;
pub use get_user::*;
pub use get_user_by_email::*;
pub use get_user_email::*;
pub use get_user_with_organizations::*;
pub use get_users_by_ids::*;
pub use list_users::*;
pub use restore_user::*;
pub use soft_delete_user::*;
pub use update_user::*;
pub use upsert_user_by_email::*;
pub use upsert_user_by_id::*;
