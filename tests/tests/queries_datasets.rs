//! The dataset deploy on real rows: created / updated / deleted counts, revival of deleted
//! datasets by key, a statement count that does not grow with the batch, and failed deploys
//! that leave everything as it was.

use std::collections::HashMap;
use std::time::Instant;

use buster_database::schema::{DataSource, Dataset, DatasetType, NewDataSource, User};
use buster_database::{
    CreateOrganizationParams, CreateUserParams, DatasetModel, DeployDatasetsParams,
    DeployDatasetsReport, create_organization, create_user, deploy_datasets,
};
use buster_db::prelude::*;
use buster_db::types::serde_json::json;
use buster_db::{ErrorKind, Result, Uuid};

struct Fixture {
    ada: User,
    source: DataSource,
}

async fn data_source(db: &Db, organization_id: Uuid, by: &User, name: &str) -> Result<DataSource> {
    DataSource::insert(NewDataSource {
        id: None,
        name: name.into(),
        r#type: "postgres".into(),
        secret_id: Uuid::new_v4(),
        onboarding_status: None,
        onboarding_error: None,
        organization_id,
        env: None,
        created_by: by.id,
        updated_by: by.id,
    })
    .one(db)
    .await
}

async fn setup(db: &Db) -> Result<Fixture> {
    let ada = create_user(CreateUserParams::new("ada@example.com", "Ada"), db).await?;
    let acme = create_organization(CreateOrganizationParams::new("Acme"), db).await?;
    let source = data_source(db, acme.id, &ada, "warehouse").await?;
    Ok(Fixture { ada, source })
}

fn model(name: &str) -> DatasetModel {
    DatasetModel::new(
        name,
        "public",
        "analytics",
        DatasetType::Table,
        format!("select * from public.{name}"),
    )
}

fn models(prefix: &str, range: std::ops::Range<usize>) -> Vec<DatasetModel> {
    range.map(|i| model(&format!("{prefix}{i}"))).collect()
}

async fn deploy(
    db: &Db,
    source: &DataSource,
    by: &User,
    models: Vec<DatasetModel>,
) -> Result<DeployDatasetsReport> {
    deploy_datasets(
        DeployDatasetsParams {
            data_source_id: source.id,
            deployed_by: by.id,
            models,
        },
        db,
    )
    .await
}

/// `(created, revived, updated, deleted)`.
fn counts(r: &DeployDatasetsReport) -> (u64, u64, u64, u64) {
    (r.created, r.revived, r.updated, r.deleted)
}

/// `(live, deleted)` datasets of the data source.
async fn rows(db: &Db, source: &DataSource) -> Result<(i64, i64)> {
    let of = Dataset::data_source_id.eq(source.id);
    let live = Dataset::select().filter(of).count(db).await?;
    let of = Dataset::data_source_id.eq(source.id);
    let deleted = Dataset::select()
        .only_deleted()
        .filter(of)
        .count(db)
        .await?;
    Ok((live, deleted))
}

async fn snapshot(db: &Db) -> Result<(Vec<Dataset>, Vec<DataSource>)> {
    Ok((
        Dataset::select()
            .with_deleted()
            .order_by(Dataset::id.asc())
            .all(db)
            .await?,
        DataSource::select()
            .with_deleted()
            .order_by(DataSource::id.asc())
            .all(db)
            .await?,
    ))
}

fn ids_by_name(datasets: &[Dataset]) -> HashMap<String, Uuid> {
    datasets.iter().map(|d| (d.name.clone(), d.id)).collect()
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn deploy_creates_then_updates_by_key_keeping_ids_and_creators(db: Db) -> Result<()> {
    let Fixture { ada, source } = setup(&db).await?;
    let bob = create_user(CreateUserParams::new("bob@example.com", "Bob"), &db).await?;
    let mut in_eu = model("orders");
    in_eu.database_identifier = Some("eu".into());
    let batch = vec![model("orders"), in_eu.clone(), model("customers")];

    let first = deploy(&db, &source, &ada, batch.clone()).await?;
    assert_eq!(counts(&first), (3, 0, 0, 0));
    assert_eq!(first.datasets.len(), 3);
    for d in &first.datasets {
        assert_eq!(
            (d.data_source_id, d.organization_id),
            (source.id, source.organization_id)
        );
        assert_eq!(
            (d.created_by, d.updated_by, d.deleted_at),
            (ada.id, ada.id, None)
        );
        assert!(d.enabled && !d.imported);
        assert_eq!(
            (d.schema.as_str(), d.database_name.as_str()),
            ("public", "analytics")
        );
        assert_eq!(d.r#type, DatasetType::Table);
    }
    let touched = DataSource::find(source.id).one(&db).await?;
    assert!(
        touched.updated_at > source.updated_at,
        "the deploy locks its data source"
    );

    // The same keys again (a NULL database identifier matches NULL): updates, no new rows.
    let mut changed = batch.clone();
    changed[0].definition = "select 1".into();
    changed[0].dataset_type = DatasetType::View;
    changed[0].when_to_use = Some("for revenue".into());
    changed[0].metadata = Some(json!({"rows": 10}));
    changed[2].enabled = false;
    let second = deploy(&db, &source, &bob, changed).await?;
    assert_eq!(counts(&second), (0, 0, 3, 0));
    assert_eq!(ids_by_name(&second.datasets), ids_by_name(&first.datasets));
    let orders = Dataset::select()
        .filter(
            Dataset::name
                .eq("orders")
                .and(Dataset::database_identifier.is_null()),
        )
        .one(&db)
        .await?;
    assert_eq!(
        (orders.definition.as_str(), orders.r#type),
        ("select 1", DatasetType::View)
    );
    assert_eq!(orders.when_to_use.as_deref(), Some("for revenue"));
    assert_eq!(orders.metadata, Some(json!({"rows": 10})));
    assert_eq!((orders.created_by, orders.updated_by), (ada.id, bob.id));
    let customers = Dataset::select()
        .filter(Dataset::name.eq("customers"))
        .one(&db)
        .await?;
    assert!(!customers.enabled);
    assert_eq!(rows(&db, &source).await?, (3, 0));

    // Dropping a model deletes its dataset, recording who deployed.
    let third = deploy(&db, &source, &ada, vec![in_eu]).await?;
    assert_eq!(counts(&third), (0, 0, 1, 2));
    assert_eq!(rows(&db, &source).await?, (1, 2));
    let gone = Dataset::select().only_deleted().all(&db).await?;
    assert!(gone.iter().all(|d| d.updated_by == ada.id));
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn deploys_of_10000_then_5000_then_a_revival_count_every_row_exactly(db: Db) -> Result<()> {
    let Fixture { ada, source } = setup(&db).await?;
    // A second data source of the organization: no deploy of the first may touch it.
    let other = data_source(&db, source.organization_id, &ada, "lake").await?;
    let o = deploy(&db, &other, &ada, models("m", 0..3)).await?;
    assert_eq!(counts(&o), (3, 0, 0, 0));
    let started = Instant::now();

    let before = db.statements_executed();
    let first = deploy(&db, &source, &ada, models("m", 0..10_000)).await?;
    let statements_10000 = db.statements_executed() - before;
    assert_eq!(statements_10000, 4, "touch, read keys, upsert, soft delete");
    assert_eq!(counts(&first), (10_000, 0, 0, 0));
    assert_eq!(rows(&db, &source).await?, (10_000, 0));
    let original = ids_by_name(&first.datasets);

    // A different batch of 5,000: the other 5,000 are deleted, none is revived.
    let mut second_batch = models("m", 5_000..10_000);
    for m in &mut second_batch {
        m.definition.push_str(" where true");
    }
    let before = db.statements_executed();
    let second = deploy(&db, &source, &ada, second_batch).await?;
    assert_eq!(db.statements_executed() - before, statements_10000);
    assert_eq!(counts(&second), (0, 0, 5_000, 5_000));
    assert_eq!(rows(&db, &source).await?, (5_000, 5_000));
    let live = Dataset::select()
        .filter(Dataset::data_source_id.eq(source.id))
        .all(&db)
        .await?;
    assert!(live.iter().all(|d| d.definition.ends_with(" where true")));
    assert!(
        live.iter()
            .all(|d| d.name[1..].parse::<usize>().unwrap() >= 5_000)
    );
    assert!(live.iter().all(|d| original[&d.name] == d.id));

    // 2,500 of the deleted ones come back with their ids, 100 are new, the 5,000 live stay.
    let mut third_batch = models("m", 0..2_500);
    third_batch.extend(models("m", 5_000..10_000));
    third_batch.extend(models("n", 0..100));
    let before = db.statements_executed();
    let third = deploy(&db, &source, &ada, third_batch).await?;
    assert_eq!(db.statements_executed() - before, statements_10000);
    assert_eq!(counts(&third), (2_600, 2_500, 5_000, 0));
    assert_eq!(rows(&db, &source).await?, (7_600, 2_500));
    for d in &third.datasets {
        match original.get(&d.name) {
            Some(id) => assert_eq!(*id, d.id, "{} keeps its id", d.name),
            None => assert!(d.name.starts_with('n')),
        }
    }
    let still_deleted = Dataset::select()
        .only_deleted()
        .filter(Dataset::data_source_id.eq(source.id))
        .all(&db)
        .await?;
    assert!(still_deleted.iter().all(|d| {
        let i: usize = d.name[1..].parse().unwrap();
        (2_500..5_000).contains(&i) && original[&d.name] == d.id
    }));

    // One model into a fresh data source costs the same statements as 10,000.
    let third_source = data_source(&db, source.organization_id, &ada, "tiny").await?;
    let before = db.statements_executed();
    let tiny = deploy(&db, &third_source, &ada, vec![model("only")]).await?;
    assert_eq!(db.statements_executed() - before, statements_10000);
    assert_eq!(counts(&tiny), (1, 0, 0, 0));

    assert_eq!(rows(&db, &other).await?, (3, 0));
    let elapsed = started.elapsed();
    assert!(elapsed.as_secs() < 20, "deploys took {elapsed:?}");
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn invalid_batches_are_refused_before_any_sql_and_change_nothing(db: Db) -> Result<()> {
    let Fixture { ada, source } = setup(&db).await?;
    deploy(&db, &source, &ada, models("m", 0..5)).await?;
    deploy(&db, &source, &ada, models("m", 0..3)).await?;
    let state = snapshot(&db).await?;

    let with = |at: usize, f: &dyn Fn(&mut DatasetModel)| {
        let mut batch = models("m", 10..15);
        f(&mut batch[at]);
        batch
    };
    let mut no_identifier_twice = models("m", 10..15);
    no_identifier_twice[4] = model("m11");
    let mut same_identifier_twice = models("m", 10..15);
    same_identifier_twice[1].database_identifier = Some("eu".into());
    same_identifier_twice[3] = same_identifier_twice[1].clone();
    let cases: Vec<(Vec<DatasetModel>, &str)> = vec![
        (with(3, &|m| m.name = String::new()), "models[3].name"),
        (with(0, &|m| m.name = "  ".into()), "models[0].name"),
        (with(2, &|m| m.name = "n".repeat(256)), "models[2].name"),
        (with(1, &|m| m.name = "a\0b".into()), "models[1].name"),
        (with(4, &|m| m.schema = String::new()), "models[4].schema"),
        (
            with(4, &|m| m.database_name = String::new()),
            "models[4].database_name",
        ),
        (
            with(2, &|m| m.database_identifier = Some(String::new())),
            "models[2].database_identifier",
        ),
        (
            with(1, &|m| m.metadata = Some(json!({"k": ["\0"]}))),
            "models[1].metadata",
        ),
        (no_identifier_twice, "models[4]"),
        (same_identifier_twice, "models[3]"),
        (Vec::new(), "models"),
    ];
    let before = db.statements_executed();
    for (batch, field) in cases {
        let r = deploy(&db, &source, &ada, batch).await;
        let e = r.expect_err(field);
        assert_eq!((e.kind(), e.field()), (ErrorKind::Validation, Some(field)));
    }
    assert_eq!(db.statements_executed(), before);
    assert_eq!(snapshot(&db).await?, state);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn deploys_failing_inside_the_transaction_change_nothing(db: Db) -> Result<()> {
    let Fixture { ada, source } = setup(&db).await?;
    deploy(&db, &source, &ada, models("m", 0..6)).await?;
    deploy(&db, &source, &ada, models("m", 0..4)).await?;
    let state = snapshot(&db).await?;

    // A deployer that is not a user: the data source is touched, the datasets read, then the
    // upsert (which would revive m4, update m0..m3 and insert x0) fails and everything rolls back.
    let ghost = User {
        id: Uuid::new_v4(),
        ..ada.clone()
    };
    let mut batch = models("m", 0..5);
    batch.push(model("x0"));
    let before = db.statements_executed();
    let r = deploy(&db, &source, &ghost, batch.clone()).await;
    assert_eq!(
        r.err().map(|e| e.kind()),
        Some(ErrorKind::ForeignKeyViolation)
    );
    assert_eq!(db.statements_executed() - before, 3);
    assert_eq!(snapshot(&db).await?, state);

    // A deleted data source is not found; its datasets stay as they were.
    let deleted = DataSource::soft_delete(source.id).one(&db).await?;
    let state = snapshot(&db).await?;
    let r = deploy(&db, &deleted, &ada, batch).await;
    assert_eq!(r.err().map(|e| e.kind()), Some(ErrorKind::NotFound));
    assert_eq!(snapshot(&db).await?, state);
    Ok(())
}
