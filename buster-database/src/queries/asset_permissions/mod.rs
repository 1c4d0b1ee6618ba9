//! Asset permissions: who may do what with a chat, a file or a collection.

mod grant_asset_permission;
mod list_asset_permissions;
mod revoke_asset_permissions;

pub use grant_asset_permission::*;
pub use list_asset_permissions::*;
pub use revoke_asset_permissions::*;
