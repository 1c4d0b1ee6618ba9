//! Organizations: the tenants.

mod count_active_members;
mod create_organization;
mod create_user_with_organization;
mod get_organization;
mod update_organization_color_palettes;

pub use count_active_members::*;
pub use create_organization::*;
pub use create_user_with_organization::*;
pub use get_organization::*;
pub use update_organization_color_palettes::*;
