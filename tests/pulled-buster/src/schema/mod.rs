//! Written by `pull` from database `buster`, schema `public`.
//!
//! Its tables, one file each, and its enum types. [`TABLES`] and [`ENUMS`] list them for
//! the drift check (`buster_db::drift::check`) and the DDL (`buster_db::drift::ddl`).

mod api_key;
mod asset_permission;
mod chat;
mod collection;
mod collections_to_asset;
mod data_source;
mod dataset;
mod enums;
mod message;
mod organization;
mod report_file;
mod user;
mod user_profile;
mod users_to_organization;

pub use api_key::*;
pub use asset_permission::*;
pub use chat::*;
pub use collection::*;
pub use collections_to_asset::*;
pub use data_source::*;
pub use dataset::*;
pub use enums::*;
pub use message::*;
pub use organization::*;
pub use report_file::*;
pub use user::*;
pub use user_profile::*;
pub use users_to_organization::*;

use buster_db::meta::{EnumMeta, TableMeta};
use buster_db::{Enum, Table};

/// Every table of the schema, referenced tables before the tables that reference them.
pub static TABLES: &[&TableMeta] = &[
    <Organization as Table>::META,
    <User as Table>::META,
    <ApiKey as Table>::META,
    <AssetPermission as Table>::META,
    <Chat as Table>::META,
    <Collection as Table>::META,
    <CollectionsToAsset as Table>::META,
    <DataSource as Table>::META,
    <Dataset as Table>::META,
    <Message as Table>::META,
    <ReportFile as Table>::META,
    <UserProfile as Table>::META,
    <UsersToOrganization as Table>::META,
];

/// Every enum type of the schema.
pub static ENUMS: &[&EnumMeta] = &[
    <AssetPermissionRole as Enum>::META,
    <AssetType as Enum>::META,
    <ChatType as Enum>::META,
    <DataSourceOnboardingStatus as Enum>::META,
    <DatasetType as Enum>::META,
    <IdentityType as Enum>::META,
    <SharingSetting as Enum>::META,
    <UserOrganizationRole as Enum>::META,
    <UserOrganizationStatus as Enum>::META,
];
