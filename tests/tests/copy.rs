//! `copy_in`: bulk loads through `COPY … FROM STDIN BINARY`, all rows or none.

use buster_db::prelude::*;
use buster_db::{ErrorKind, Result, Uuid};
use buster_db_tests::{FxTask, NewFxTask, kind};

fn task(i: i32, id: Option<Uuid>) -> NewFxTask {
    NewFxTask {
        id,
        title: format!("copied {i:04}"),
        priority: i,
        note: (i % 2 == 0).then(|| format!("note {i}")),
        due_on: None,
    }
}

#[test]
fn the_column_list_leaves_out_the_defaults_every_row_omits() -> Result<()> {
    let omitted = FxTask::copy_in([task(1, None), task(2, None)]).to_sql()?;
    assert_eq!(
        omitted,
        r#"COPY "fx_tasks" ("title", "priority", "note", "due_on") FROM STDIN BINARY"#
    );
    let given = FxTask::copy_in([task(1, Some(Uuid::new_v4()))]).to_sql()?;
    assert_eq!(
        given,
        r#"COPY "fx_tasks" ("id", "title", "priority", "note", "due_on") FROM STDIN BINARY"#
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn copy_in_writes_every_row_with_its_values_and_defaults(db: Db) -> Result<()> {
    let written = FxTask::copy_in((1..=1_000).map(|i| task(i, None)))
        .execute(&db)
        .await?;
    assert_eq!(written, 1_000);
    let rows = FxTask::select()
        .order_by(FxTask::priority.asc())
        .all(&db)
        .await?;
    assert_eq!(rows.len(), 1_000);
    assert_eq!(rows[0].title, "copied 0001");
    assert_eq!(rows[0].note, None);
    assert_eq!(rows[1].note.as_deref(), Some("note 2"));
    // Defaults filled in by the server: distinct generated ids.
    let mut ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 1_000);

    let id = Uuid::new_v4();
    assert_eq!(
        FxTask::copy_in([task(5_000, Some(id))])
            .execute(&db)
            .await?,
        1
    );
    assert_eq!(FxTask::find(id).one(&db).await?.priority, 5_000);
    assert_eq!(FxTask::copy_in(Vec::new()).execute(&db).await?, 0);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn a_refused_row_or_a_mixed_shape_writes_nothing(db: Db) -> Result<()> {
    // Some rows give the id, others leave it to its default: refused before sending.
    let sent = db.statements_executed();
    let mixed = FxTask::copy_in([task(1, None), task(2, Some(Uuid::new_v4()))])
        .execute(&db)
        .await;
    assert_eq!(kind(mixed), Some(ErrorKind::Validation));
    assert_eq!(db.statements_executed(), sent);

    // The 500th row repeats the first one's key: the whole copy fails.
    let dup = Uuid::new_v4();
    let rows = (1..=600).map(|i| {
        let id = if i == 1 || i == 500 {
            dup
        } else {
            Uuid::new_v4()
        };
        task(i, Some(id))
    });
    let refused = FxTask::copy_in(rows).execute(&db).await;
    assert_eq!(kind(refused), Some(ErrorKind::UniqueViolation));
    assert_eq!(FxTask::select().count(&db).await?, 0);
    // The pool is usable afterwards.
    assert_eq!(FxTask::copy_in([task(1, None)]).execute(&db).await?, 1);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn copy_in_runs_in_transactions_and_in_pooler_mode(db: Db) -> Result<()> {
    let rolled_back: Result<()> = db
        .transaction(async |tx| {
            FxTask::copy_in((1..=10).map(|i| task(i, None)))
                .execute(tx)
                .await?;
            assert_eq!(FxTask::select().count(tx).await?, 10);
            Err(buster_db::Error::validation("test", "roll back"))
        })
        .await;
    assert_eq!(kind(rolled_back), Some(ErrorKind::Validation));
    assert_eq!(FxTask::select().count(&db).await?, 0);

    let pooler = Db::connect(
        db.config()
            .clone()
            .prepared_statements(false)
            .statement_timeout(Some(std::time::Duration::from_secs(30)))
            .pool_size(1),
    )
    .await?;
    for round in 0..3 {
        let rows = (1..=100).map(|i| task(round * 100 + i, None));
        assert_eq!(FxTask::copy_in(rows).execute(&pooler).await?, 100);
    }
    let conn = pooler.conn().await?;
    assert_eq!(FxTask::copy_in([task(999, None)]).execute(&conn).await?, 1);
    drop(conn);
    assert_eq!(FxTask::select().count(&pooler).await?, 301);
    Ok(())
}
