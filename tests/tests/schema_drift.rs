//! The drift check: the migrated database matches the Buster schema declarations, and each kind
//! of deliberate difference (applied by a fixture folder of `drift_fixtures/`) is reported as
//! exactly the `Difference` it is.

use buster_database::schema::{ENUMS, TABLES};
use buster_db::drift::{self, Difference, IndexShape};
use buster_db::{DateTime, Db, Result, Table, Utc, Uuid};

async fn differences(db: &Db) -> Result<Vec<Difference>> {
    drift::check(db, TABLES, ENUMS).await
}

fn s(text: &str) -> String {
    text.to_owned()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|i| s(i)).collect()
}

fn live_unique(column: &str) -> IndexShape {
    IndexShape {
        columns: vec![s(column)],
        unique: true,
        predicate: Some(s("\"deleted_at\" IS NULL")),
        nulls_not_distinct: false,
        method: "btree".into(),
    }
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn the_migrations_match_the_declarations(db: Db) -> Result<()> {
    let found = differences(&db).await?;
    assert_eq!(found, [], "{}", lines(&found));
    Ok(())
}

/// A downstream declaration of `users` written before `config` and `avatar_url` existed.
#[derive(Table, Debug)]
#[table(name = "users", columns = "legacy_users")]
#[allow(dead_code, reason = "only the metadata is used")]
pub struct LegacyUser {
    #[column(primary_key, default = "gen_random_uuid()")]
    id: Uuid,
    #[column(unique)]
    email: String,
    name: String,
    #[column(default = "true")]
    is_active: bool,
    #[column(created_at)]
    created_at: DateTime<Utc>,
    #[column(updated_at)]
    updated_at: DateTime<Utc>,
    #[column(soft_delete)]
    deleted_at: Option<DateTime<Utc>>,
}

/// A declaration no migration created.
#[derive(Table, Debug)]
#[table(name = "ghosts")]
#[allow(dead_code, reason = "only the metadata is used")]
pub struct Ghost {
    #[column(primary_key)]
    id: Uuid,
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn only_the_given_declarations_are_checked(db: Db) -> Result<()> {
    assert_eq!(TABLES.len(), 13);
    assert_eq!(ENUMS.len(), 9);
    assert_eq!(drift::check(&db, &[], &[]).await?, []);
    let found = drift::check(&db, &[LegacyUser::META, Ghost::META], &[]).await?;
    assert_eq!(
        found,
        [
            Difference::ExtraColumn {
                table: s("users"),
                column: s("config"),
                found: s("jsonb"),
            },
            Difference::ExtraColumn {
                table: s("users"),
                column: s("avatar_url"),
                found: s("text"),
            },
            Difference::MissingTable { table: s("ghosts") },
        ],
        "{}",
        lines(&found)
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "drift_fixtures/column_type")]
async fn a_changed_column_type_is_reported(db: Db) -> Result<()> {
    let found = differences(&db).await?;
    assert_eq!(
        found,
        [Difference::ColumnType {
            table: s("users"),
            column: s("name"),
            expected: s("text"),
            found: s("character varying(20)"),
        }]
    );
    assert_eq!(
        found[0].to_string(),
        "column `users.name`: expected type text, found character varying(20)"
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "drift_fixtures/unique_index")]
async fn a_unique_key_that_is_not_partial_or_missing_is_reported(db: Db) -> Result<()> {
    let found = differences(&db).await?;
    assert_eq!(
        found,
        [
            Difference::IndexDefinition {
                table: s("users"),
                index: s("users_email_key"),
                expected: live_unique("email"),
                found: IndexShape {
                    columns: vec![s("email")],
                    unique: true,
                    predicate: None,
                    nulls_not_distinct: false,
                    method: "btree".into(),
                },
            },
            Difference::MissingIndex {
                table: s("organizations"),
                index: s("organizations_name_key"),
                expected: live_unique("name"),
            },
        ],
        "{}",
        lines(&found)
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "drift_fixtures/default_and_nullability")]
async fn changed_defaults_and_nullability_are_reported(db: Db) -> Result<()> {
    let found = differences(&db).await?;
    assert_eq!(
        found,
        [
            Difference::ColumnDefault {
                table: s("users_to_organizations"),
                column: s("role"),
                expected: Some(s("'querier'")),
                found: Some(s("'viewer'::user_organization_role")),
            },
            Difference::ColumnNullable {
                table: s("chats"),
                column: s("title"),
                expected: false,
                found: true,
            },
            Difference::ColumnDefault {
                table: s("messages"),
                column: s("reasoning"),
                expected: Some(s("'[]'::jsonb")),
                found: Some(s("'{}'::jsonb")),
            },
        ],
        "{}",
        lines(&found)
    );
    assert_eq!(
        found[1].to_string(),
        "column `chats.title`: expected NOT NULL, found nullable"
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "drift_fixtures/enum_label")]
async fn an_unknown_enum_label_is_reported(db: Db) -> Result<()> {
    let found = differences(&db).await?;
    assert_eq!(
        found,
        [Difference::EnumLabels {
            name: s("chat_type"),
            expected: strings(&["analyst", "data_engineer"]),
            found: strings(&["analyst", "data_engineer", "data_scientist"]),
        }]
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "drift_fixtures/extra_and_missing")]
async fn extra_and_missing_columns_indexes_and_tables_are_reported(db: Db) -> Result<()> {
    let found = differences(&db).await?;
    assert_eq!(
        found,
        [
            Difference::MissingColumn {
                table: s("user_profiles"),
                column: s("bio"),
                expected: s("text"),
            },
            Difference::ExtraColumn {
                table: s("api_keys"),
                column: s("label"),
                found: s("text"),
            },
            Difference::ExtraUniqueIndex {
                table: s("api_keys"),
                index: s("api_keys_label_key"),
                found: IndexShape {
                    columns: vec![s("label")],
                    unique: true,
                    predicate: None,
                    nulls_not_distinct: false,
                    method: "btree".into(),
                },
            },
            Difference::MissingTable {
                table: s("asset_permissions"),
            },
        ],
        "{}",
        lines(&found)
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "drift_fixtures/primary_key")]
async fn a_reordered_primary_key_is_reported(db: Db) -> Result<()> {
    let found = differences(&db).await?;
    assert_eq!(
        found,
        [Difference::PrimaryKey {
            table: s("collections_to_assets"),
            expected: strings(&["collection_id", "asset_id", "asset_type"]),
            found: strings(&["asset_id", "collection_id", "asset_type"]),
        }]
    );
    Ok(())
}

fn lines(found: &[Difference]) -> String {
    found.iter().map(|d| format!("\n  {d}")).collect::<String>()
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "drift_fixtures/search_index")]
async fn a_search_index_of_another_method_or_configuration_or_missing_is_reported(
    db: Db,
) -> Result<()> {
    let found = differences(&db).await?;
    assert_eq!(
        found,
        [
            Difference::MissingIndex {
                table: s("chats"),
                index: s("chats_title_search_idx"),
                expected: IndexShape {
                    columns: vec![s(
                        "to_tsvector('english'::regconfig, COALESCE(\"title\", ''::text))"
                    )],
                    unique: false,
                    predicate: None,
                    nulls_not_distinct: false,
                    method: "gin".into(),
                },
            },
            Difference::IndexDefinition {
                table: s("report_files"),
                index: s("report_files_name_search_idx"),
                expected: IndexShape {
                    columns: vec![s(
                        "to_tsvector('english'::regconfig, COALESCE(\"name\", ''::text))"
                    )],
                    unique: false,
                    predicate: None,
                    nulls_not_distinct: false,
                    method: "gin".into(),
                },
                found: IndexShape {
                    columns: vec![s(
                        "to_tsvector('simple'::regconfig, COALESCE(name, ''::text))"
                    )],
                    unique: false,
                    predicate: None,
                    nulls_not_distinct: false,
                    method: "btree".into(),
                },
            },
        ],
        "{}",
        found
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    Ok(())
}
