//! A library schema that is not Buster's: one table and its migrations, used the way any
//! team would use buster-db for its own database.

use buster_db::{DateTime, Schema, Table, Utc, Uuid};

/// A book of the catalogue.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(
    name = "books",
    check(name = "books_copies_not_negative", sql = "copies >= 0")
)]
pub struct Book {
    /// Its id.
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    /// Its title, unique among live books.
    #[column(unique)]
    pub title: String,
    /// How many copies the library holds (added by `migrations/0002_add_copies.sql`, which
    /// `own-schema-db generate add_copies` wrote).
    #[column(default = "1")]
    pub copies: i32,
    /// When it was added.
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    /// When it was withdrawn.
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// This crate's schema.
pub static SCHEMA: Schema = Schema {
    tables: &[<Book as Table>::META],
    enums: &[],
    migrations: buster_db::embed_migrations!("migrations"),
};
