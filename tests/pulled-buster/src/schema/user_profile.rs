//! Written by `pull` from database `buster`, schema `public`.
//!
//! The table `user_profiles`.

use super::users;
use buster_db::{DateTime, Utc, Uuid};

/// A row of `user_profiles`.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "user_profiles")]
pub struct UserProfile {
    /// Column `user_id` of `user_profiles`.
    #[column(primary_key, references = users::id)]
    pub user_id: Uuid,
    /// Column `bio` of `user_profiles`.
    pub bio: Option<String>,
    /// Column `timezone` of `user_profiles`.
    #[column(default = "'UTC'")]
    pub timezone: String,
    /// Column `created_at` of `user_profiles`.
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    /// Column `updated_at` of `user_profiles`.
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    /// Column `deleted_at` of `user_profiles`.
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}
