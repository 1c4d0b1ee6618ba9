//! `#[buster_db::test]` with no arguments migrates the test database with this crate's own
//! `migrations/` folder: the database holds this crate's tables, and nothing of any other crate.

use buster_db::prelude::*;
use buster_db::{drift, migrate};
use buster_db_own_schema::{Book, NewBook, SCHEMA};

#[buster_db::test]
async fn the_test_database_has_exactly_this_crates_tables(db: Db) -> buster_db::Result<()> {
    let tables: Vec<String> = buster_db::raw_query(
        "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    )
    .all(&db)
    .await?;
    assert_eq!(tables, ["books", "buster_db_migrations"]);

    // The declarations and the migrated database agree, and every migration is recorded.
    assert_eq!(drift::check(&db, SCHEMA.tables, SCHEMA.enums).await?, []);
    let applied = migrate::status(&db, SCHEMA.migrations).await?;
    let names: Vec<&str> = applied.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["books", "add_copies"]);

    let book = Book::insert(NewBook::new("Dune".into())).one(&db).await?;
    assert_eq!(Book::find(book.id).one(&db).await?.title, "Dune");
    Ok(())
}
