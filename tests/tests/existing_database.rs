//! A database this crate does not migrate, described exactly: the tables of
//! `tests/existing_fixtures/` (varchar columns, enums in text, unique constraints over every
//! row) declared in `buster_db_tests::existing` pass the drift check with no difference and
//! serve the reviving upserts the product's Rust API runs on them.

use buster_db::prelude::*;
use buster_db::query::Written;
use buster_db::{ErrorKind, Result, Table, Uuid, drift};
use buster_db_tests::existing::{
    ApiAssetPermission, ApiDataSource, ApiDataset, AssetRole, AssetType, DataSourceType,
    DatasetType, IdentityType, NewApiAssetPermission, NewApiDataSource, NewApiDataset, VaultSecret,
};

async fn data_source(db: &Db) -> Result<ApiDataSource> {
    ApiDataSource::insert(NewApiDataSource {
        id: None,
        name: "warehouse".into(),
        kind: DataSourceType::BigQuery,
        organization_id: Uuid::from_u128(7),
    })
    .one(db)
    .await
}

fn dataset(source: Uuid, database_name: &str, definition: &str) -> NewApiDataset {
    NewApiDataset {
        id: None,
        name: database_name.to_uppercase(),
        database_name: database_name.into(),
        data_source_id: source,
        kind: DatasetType::MaterializedView,
        definition: definition.into(),
        yml_file: None,
        enabled: Some(true),
    }
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "existing_fixtures")]
async fn the_declarations_match_the_existing_database_exactly(db: Db) -> Result<()> {
    let tables = [
        <ApiDataSource as Table>::META,
        <ApiDataset as Table>::META,
        <ApiAssetPermission as Table>::META,
        <VaultSecret as Table>::META,
    ];
    assert_eq!(drift::check(&db, &tables, &[]).await?, vec![]);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "existing_fixtures")]
async fn a_deleted_dataset_is_revived_through_its_full_unique_key(db: Db) -> Result<()> {
    let source = data_source(&db).await?;
    let first = ApiDataset::insert(dataset(source.id, "orders", "select 1"))
        .one(&db)
        .await?;
    ApiDataset::soft_delete(first.id).one(&db).await?;

    let (revived, written) = ApiDataset::upsert(dataset(source.id, "orders", "select 2"))
        .on_conflict((ApiDataset::database_name, ApiDataset::data_source_id))
        .update((ApiDataset::name, ApiDataset::definition, ApiDataset::kind))
        .revive()
        .outcomes(&db)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| buster_db::Error::validation("upsert", "returned no row"))?;
    assert_eq!(written, Written::Updated);
    assert_eq!(revived.id, first.id);
    assert_eq!(revived.definition, "select 2");
    assert_eq!(revived.deleted_at, None);
    assert_eq!(revived.created_at, first.created_at);
    assert_eq!(ApiDataset::find(first.id).one(&db).await?, revived);
    assert_eq!(ApiDataset::select().with_deleted().count(&db).await?, 1);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "existing_fixtures")]
async fn a_full_unique_key_conflicts_with_deleted_rows(db: Db) -> Result<()> {
    let source = data_source(&db).await?;
    let first = ApiDataset::insert(dataset(source.id, "orders", "select 1"))
        .one(&db)
        .await?;
    ApiDataset::soft_delete(first.id).one(&db).await?;

    // Without `revive`, the conflicting row stays deleted and is not returned.
    let none = ApiDataset::upsert(dataset(source.id, "orders", "select 2"))
        .on_conflict((ApiDataset::database_name, ApiDataset::data_source_id))
        .update((ApiDataset::definition,))
        .optional(&db)
        .await?;
    assert_eq!(none, None);
    let still = ApiDataset::find(first.id).with_deleted().one(&db).await?;
    assert_eq!(still.definition, "select 1");
    assert!(still.deleted_at.is_some());

    // The key covers deleted rows, so a plain insert of the same key is a unique violation.
    let Err(err) = ApiDataset::insert(dataset(source.id, "orders", "select 3"))
        .one(&db)
        .await
    else {
        panic!("a second row with a deleted row's key was inserted");
    };
    assert_eq!(err.kind(), ErrorKind::UniqueViolation, "{err:?}");
    assert_eq!(
        err.constraint(),
        Some("api_datasets_database_name_data_source_id_key")
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "existing_fixtures")]
async fn a_permission_is_revived_through_its_key_with_text_enums(db: Db) -> Result<()> {
    let grant = |role| NewApiAssetPermission {
        identity_id: Uuid::from_u128(1),
        identity_type: IdentityType::User,
        asset_id: Uuid::from_u128(2),
        asset_type: AssetType::MetricFile,
        role,
    };
    let key = (
        Uuid::from_u128(1),
        IdentityType::User,
        Uuid::from_u128(2),
        AssetType::MetricFile,
    );
    ApiAssetPermission::insert(grant(AssetRole::CanView))
        .one(&db)
        .await?;
    ApiAssetPermission::soft_delete(key).one(&db).await?;
    let revived = ApiAssetPermission::upsert(grant(AssetRole::FullAccess))
        .on_conflict((
            ApiAssetPermission::identity_id,
            ApiAssetPermission::identity_type,
            ApiAssetPermission::asset_id,
            ApiAssetPermission::asset_type,
        ))
        .update((ApiAssetPermission::role,))
        .revive()
        .one(&db)
        .await?;
    assert_eq!(revived.role, AssetRole::FullAccess);
    assert_eq!(revived.deleted_at, None);
    let editors = ApiAssetPermission::select()
        .filter(ApiAssetPermission::asset_type.eq(AssetType::MetricFile))
        .all(&db)
        .await?;
    assert_eq!(editors, vec![revived]);
    Ok(())
}

#[test]
fn a_full_unique_key_has_no_live_row_predicate_in_ddl_or_upsert() {
    let ddl = <ApiDataset as Table>::META.ddl();
    assert!(
        ddl.contains(r#"CREATE UNIQUE INDEX "api_datasets_database_name_data_source_id_key" ON "api_datasets" ("database_name", "data_source_id");"#),
        "{ddl}"
    );
    let upsert = ApiDataset::upsert(dataset(Uuid::nil(), "orders", "select 1"))
        .on_conflict((ApiDataset::database_name, ApiDataset::data_source_id))
        .update((ApiDataset::definition,))
        .revive()
        .to_sql();
    assert!(
        upsert.text.contains(
            r#"ON CONFLICT ("database_name", "data_source_id") DO UPDATE SET "definition" = EXCLUDED."definition", "updated_at" = now(), "deleted_at" = NULL RETURNING"#
        ),
        "{}",
        upsert.text
    );
}

mod second_schema {
    use buster_db::drift::{self, Difference};
    use buster_db::prelude::*;
    use buster_db::{Result, Table, Uuid};
    use buster_db_tests::existing::{NewVaultSecret, VaultSecret, VaultSecretPatch};

    /// `public.secrets`, the namesake in the default schema.
    #[derive(Table, Debug)]
    #[allow(dead_code)] // declared to count its rows
    #[table(name = "secrets", columns = "public_secrets")]
    pub struct PublicSecret {
        #[column(primary_key)]
        pub id: i32,
        pub unrelated: bool,
    }

    /// The vault's table, declared in a schema that does not exist.
    #[derive(Table, Debug)]
    #[allow(dead_code)] // declared for its metadata only
    #[table(schema = "elsewhere", name = "secrets", columns = "elsewhere_secrets")]
    pub struct MisplacedSecret {
        #[column(primary_key)]
        pub id: Uuid,
    }

    fn secret(name: &str, value: &str) -> NewVaultSecret {
        NewVaultSecret {
            id: None,
            name: name.into(),
            secret: value.into(),
            description: None,
        }
    }

    #[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "existing_fixtures")]
    async fn a_table_in_another_schema_is_read_and_written_there(db: Db) -> Result<()> {
        let created = VaultSecret::insert(secret("warehouse", "s3cr3t"))
            .one(&db)
            .await?;
        assert_eq!(created.description, "");
        VaultSecret::insert_many([secret("a", "1"), secret("b", "2")])
            .all(&db)
            .await?;
        let found = VaultSecret::select()
            .filter(VaultSecret::name.eq("warehouse"))
            .one(&db)
            .await?;
        assert_eq!(found, created);
        let updated = VaultSecret::update(created.id)
            .patch(VaultSecretPatch {
                secret: Some("rotated".into()),
                ..Default::default()
            })
            .one(&db)
            .await?;
        assert_eq!(updated.secret, "rotated");
        let upserted = VaultSecret::upsert(secret("warehouse", "again"))
            .on_conflict(VaultSecret::name)
            .update((VaultSecret::secret,))
            .one(&db)
            .await?;
        assert_eq!(
            (upserted.id, upserted.secret.as_str()),
            (created.id, "again")
        );
        assert_eq!(VaultSecret::select().count(&db).await?, 3);
        let copied = VaultSecret::copy_in([secret("c", "3"), secret("d", "4")])
            .execute(&db)
            .await?;
        assert_eq!(copied, 2);
        assert_eq!(VaultSecret::select().count(&db).await?, 5);
        // The table of the same name in the default schema was never touched.
        assert_eq!(PublicSecret::select().count(&db).await?, 0);
        Ok(())
    }

    #[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "existing_fixtures")]
    async fn the_drift_check_looks_a_table_up_in_its_schema(db: Db) -> Result<()> {
        assert_eq!(
            drift::check(&db, &[<VaultSecret as Table>::META], &[]).await?,
            vec![]
        );
        let found = drift::check(&db, &[<MisplacedSecret as Table>::META], &[]).await?;
        assert_eq!(
            found,
            vec![Difference::MissingTable {
                table: "elsewhere.secrets".into()
            }]
        );
        assert_eq!(found[0].to_string(), "table `elsewhere.secrets` is missing");
        Ok(())
    }

    #[test]
    fn statements_and_ddl_name_the_schema_and_the_table() {
        let find = VaultSecret::find(Uuid::nil()).to_sql();
        assert_eq!(
            find.text,
            r#"SELECT "secrets"."id", "secrets"."name", "secrets"."secret", "secrets"."description", "secrets"."created_at", "secrets"."updated_at" FROM "vault"."secrets" WHERE "secrets"."id" = $1"#
        );
        let insert = VaultSecret::insert(secret("n", "v")).to_sql();
        assert!(
            insert
                .text
                .starts_with(r#"INSERT INTO "vault"."secrets" ("#),
            "{}",
            insert.text
        );
        let update = VaultSecret::update(Uuid::nil())
            .patch(VaultSecretPatch {
                secret: Some("v".into()),
                ..Default::default()
            })
            .to_sql();
        assert!(
            update.text.starts_with(r#"UPDATE "vault"."secrets" SET"#),
            "{}",
            update.text
        );
        let join = PublicSecret::select()
            .inner_join(
                VaultSecret::table(),
                VaultSecret::name.eq_col(VaultSecret::secret),
            )
            .to_sql();
        assert!(
            join.text
                .contains(r#"FROM "secrets" INNER JOIN "vault"."secrets" ON"#),
            "{}",
            join.text
        );
        let ddl = drift::ddl(&[<VaultSecret as Table>::META], &[]);
        for line in [
            r#"CREATE SCHEMA IF NOT EXISTS "vault";"#,
            r#"CREATE TABLE "vault"."secrets" ("#,
            r#"CREATE UNIQUE INDEX "secrets_name_key" ON "vault"."secrets" ("name");"#,
        ] {
            assert!(ddl.contains(line), "{line} not in\n{ddl}");
        }
    }
}

mod schema_at_run_time {
    use buster_db::prelude::*;
    use buster_db::{ErrorKind, Result, TxOptions};
    use buster_db_tests::existing::{ApiEmbedding, NewApiEmbedding};

    fn in_source(name: &str) -> TxOptions {
        TxOptions::new().search_path([name, "public"])
    }

    async fn add(db: &Db, schema: &str, id: i32, content: &str) -> Result<ApiEmbedding> {
        let content = content.to_owned();
        db.transaction_with(in_source(schema), async |tx| {
            ApiEmbedding::insert(NewApiEmbedding { id, content })
                .one(tx)
                .await
        })
        .await
    }

    async fn all(db: &Db, schema: &str) -> Result<Vec<ApiEmbedding>> {
        db.transaction_with(in_source(schema), async |tx| {
            ApiEmbedding::select()
                .order_by(ApiEmbedding::id.asc())
                .all(tx)
                .await
        })
        .await
    }

    #[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "existing_fixtures")]
    async fn one_declaration_serves_the_schema_chosen_for_each_transaction(db: Db) -> Result<()> {
        // One connection, so the same cached statements meet both schemas in turn.
        let one = Db::connect(db.config().clone().pool_size(1)).await?;
        add(&one, "ds_alpha", 1, "alpha one").await?;
        add(&one, "ds_beta", 1, "beta one").await?;
        add(&one, "ds_alpha", 2, "alpha two").await?;
        let alpha: Vec<String> = all(&one, "ds_alpha")
            .await?
            .into_iter()
            .map(|e| e.content)
            .collect();
        let beta: Vec<String> = all(&one, "ds_beta")
            .await?
            .into_iter()
            .map(|e| e.content)
            .collect();
        assert_eq!(alpha, ["alpha one", "alpha two"]);
        assert_eq!(beta, ["beta one"]);

        // Outside such a transaction the table is looked up in the default schema, which has
        // none: a typed error, not a row of some data source.
        let Err(err) = ApiEmbedding::select().all(&one).await else {
            panic!("api_embeddings was found outside a data source's schema");
        };
        assert_eq!(err.kind(), ErrorKind::Database, "{err:?}");
        assert_eq!(err.code(), Some("42P01"), "{err:?}");
        // A schema name is an identifier, quoted: it cannot change the path's meaning.
        let Err(err) = all(&one, "ds_alpha\", \"ds_beta").await else {
            panic!("a quoted schema name widened the search path");
        };
        assert_eq!(err.code(), Some("42P01"), "{err:?}");
        Ok(())
    }
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "existing_fixtures")]
async fn a_key_named_in_another_order_is_the_same_conflict_target(db: Db) -> Result<()> {
    let source = data_source(&db).await?;
    let first = ApiDataset::insert(dataset(source.id, "orders", "select 1"))
        .one(&db)
        .await?;
    // Declared `unique(database_name, data_source_id, all_rows)`; PostgreSQL takes the columns
    // of a conflict target in any order.
    let upsert = ApiDataset::upsert(dataset(source.id, "orders", "select 2"))
        .on_conflict((ApiDataset::data_source_id, ApiDataset::database_name))
        .update((ApiDataset::definition,));
    let sql = upsert.to_sql().text;
    assert!(
        sql.contains(r#"ON CONFLICT ("data_source_id", "database_name")"#),
        "{sql}"
    );
    let row = upsert.one(&db).await?;
    assert_eq!((row.id, row.definition.as_str()), (first.id, "select 2"));
    assert_eq!(ApiDataset::select().count(&db).await?, 1);
    Ok(())
}
