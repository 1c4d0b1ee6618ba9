//! The round trip: the declarations `pull` wrote from the migrated Buster database describe
//! that database exactly, so the drift check of a freshly migrated one finds no difference.

use buster_db::{Db, Result, drift};
use buster_db_pulled_buster::{MIGRATIONS, SCHEMA};

#[buster_db::test(migrations = buster_db_pulled_buster::MIGRATIONS)]
async fn the_pulled_declarations_match_the_migrations(db: Db) -> Result<()> {
    assert_eq!(MIGRATIONS.len(), 13);
    assert_eq!(SCHEMA.tables.len(), 13);
    assert_eq!(SCHEMA.enums.len(), 9);
    assert_eq!(
        drift::check(&db, SCHEMA.tables, SCHEMA.enums).await?,
        vec![]
    );
    Ok(())
}
