//! Written by `pull` from database `buster`, schema `public`.
//!
//! The table `users`.

use buster_db::{DateTime, JsonValue, Utc, Uuid};

/// A row of `users`.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "users")]
pub struct User {
    /// Column `id` of `users`.
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    /// Column `email` of `users`.
    #[column(unique)]
    pub email: String,
    /// Column `name` of `users`.
    pub name: String,
    /// Column `is_active` of `users`.
    #[column(default = "true")]
    pub is_active: bool,
    /// Column `created_at` of `users`.
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    /// Column `updated_at` of `users`.
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    /// Column `deleted_at` of `users`.
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
    /// Column `config` of `users`.
    #[column(default = "'{}'")]
    pub config: JsonValue,
    /// Column `avatar_url` of `users`.
    pub avatar_url: Option<String>,
}
