//! Members: memberships of users in organizations (`users_to_organizations`).

mod add_user_to_organization;
mod list_organization_members;
mod remove_user_from_organization;

pub use add_user_to_organization::*;
pub use list_organization_members::*;
pub use remove_user_from_organization::*;
