//! `copy_in`: bulk loads through `COPY … FROM STDIN BINARY`, all rows or none.

use buster_db::prelude::*;
use buster_db::query::CopyFormat;
use buster_db::{ErrorKind, Result, Uuid};
use buster_db_tests::{
    FxAccount, FxTask, NewFxTask, accounts, holds_accounts, invalid_field, kind,
};

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
async fn copy_in_into_a_table_without_defaults_writes_every_column(db: Db) -> Result<()> {
    let rows = accounts(300, |id| i64::from(id) * 10);
    assert_eq!(
        FxAccount::copy_in(rows.clone()).to_sql()?,
        r#"COPY "fx_accounts" ("id", "balance") FROM STDIN BINARY"#
    );
    assert_eq!(FxAccount::copy_in(rows).execute(&db).await?, 300);
    assert!(holds_accounts(&db, 300, |id| i64::from(id) * 10).await?);
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

/// The data of a `copy_out`, read to its end.
async fn exported_bytes<S>(data: S) -> Result<Vec<u8>>
where
    S: futures_util::Stream<Item = Result<buster_db::query::Bytes>>,
{
    use futures_util::TryStreamExt;
    let chunks: Vec<buster_db::query::Bytes> = std::pin::pin!(data).try_collect().await?;
    Ok(chunks.concat())
}

/// The data of a `copy_out`, read to its end, as text.
async fn exported<S>(data: S) -> Result<String>
where
    S: futures_util::Stream<Item = Result<buster_db::query::Bytes>>,
{
    String::from_utf8(exported_bytes(data).await?)
        .map_err(|e| buster_db::Error::validation("export", e.to_string()))
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn copy_out_exports_the_live_rows_as_csv_and_text(db: Db) -> Result<()> {
    FxTask::copy_in((1..=4).map(|i| task(i, None)))
        .execute(&db)
        .await?;
    let gone = FxTask::select()
        .order_by(FxTask::priority.desc())
        .all(&db)
        .await?;
    FxTask::soft_delete(gone[0].id).execute(&db).await?;
    let query = || {
        FxTask::select().order_by(FxTask::priority.asc()).columns((
            FxTask::title,
            FxTask::priority,
            FxTask::note,
        ))
    };
    let csv = exported(query().copy_out(&db, CopyFormat::Csv { header: true })).await?;
    assert_eq!(
        csv,
        "title,priority,note\n\
         copied 0001,1,\n\
         copied 0002,2,note 2\n\
         copied 0003,3,\n"
    );
    let text = exported(query().copy_out(&db, CopyFormat::Text)).await?;
    assert_eq!(
        text,
        "copied 0001\t1\t\\N\ncopied 0002\t2\tnote 2\ncopied 0003\t3\t\\N\n"
    );
    // Binary: PostgreSQL's signature first.
    let binary = exported_bytes(query().copy_out(&db, CopyFormat::Binary)).await?;
    assert!(binary.starts_with(b"PGCOPY\n\xff\r\n\0"), "{binary:?}");
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn copy_out_binds_values_on_a_db_and_in_transactions(db: Db) -> Result<()> {
    let mut odd = task(7, None);
    odd.title = "it's \"odd\"\n$1 -- not a comment".to_owned();
    FxTask::copy_in((1..=6).map(|i| task(i, None)).chain([odd]))
        .execute(&db)
        .await?;
    let titles = |min: i32| {
        FxTask::select()
            .filter(FxTask::priority.gt(min))
            .order_by(FxTask::priority.asc())
            .limit(2)
            .column(FxTask::title)
    };
    // A value, a limit: bound, read back inside the copy's own transaction.
    let csv = exported(titles(3).copy_out(&db, CopyFormat::Csv { header: false })).await?;
    assert_eq!(csv, "copied 0004\ncopied 0005\n");
    // Text that would break SQL if it were spliced in comes back as it went in.
    let odd_title = exported(
        FxTask::select()
            .filter(FxTask::title.eq("it's \"odd\"\n$1 -- not a comment"))
            .column(FxTask::priority)
            .copy_out(&db, CopyFormat::Text),
    )
    .await?;
    assert_eq!(odd_title, "7\n");
    // An array value (`= ANY($1)`) of uuids.
    let ids: Vec<Uuid> = FxTask::select()
        .filter(FxTask::priority.lt(3))
        .all(&db)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    let by_id = exported(
        FxTask::select()
            .filter(FxTask::id.is_in(ids))
            .order_by(FxTask::priority.desc())
            .column(FxTask::priority)
            .copy_out(&db, CopyFormat::Text),
    )
    .await?;
    assert_eq!(by_id, "2\n1\n");
    assert_eq!(db.status().in_use, 0);
    assert!(buster_db_tests::no_session_left_idle_in_transaction(&db).await?);

    // Inside a transaction: its own uncommitted rows, the settings gone with it.
    let in_tx = db
        .transaction(async |tx| {
            FxTask::copy_in([task(8, None)]).execute(tx).await?;
            exported(titles(6).copy_out(tx, CopyFormat::Text)).await
        })
        .await?;
    assert_eq!(in_tx, "it's \"odd\"\\n$1 -- not a comment\ncopied 0008\n");

    // On a Conn a copy with values is refused (it would leave its transaction open if
    // dropped early); without values it runs.
    let conn = db.conn().await?;
    let before = db.statements_executed();
    let refused = exported(titles(1).copy_out(&conn, CopyFormat::Text)).await;
    assert_eq!(invalid_field(refused), Some("params".to_owned()));
    assert_eq!(
        db.statements_executed(),
        before,
        "the refused copy was sent"
    );
    let everything = exported(
        FxTask::select()
            .column(FxTask::priority)
            .copy_out(&conn, CopyFormat::Text),
    )
    .await?;
    assert_eq!(everything.lines().count(), 8);
    drop(conn);

    // Pooler mode: only on a transaction, with values too.
    let pooler = Db::connect(db.config().clone().prepared_statements(false).pool_size(1)).await?;
    let outside = exported(titles(0).copy_out(&pooler, CopyFormat::Text)).await;
    assert_eq!(kind(outside), Some(ErrorKind::Validation));
    let inside = pooler
        .transaction(async |tx| exported(titles(0).copy_out(tx, CopyFormat::Text)).await)
        .await?;
    assert_eq!(inside, "copied 0001\ncopied 0002\n");
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn a_copy_out_with_values_dropped_midway_leaves_no_open_transaction(db: Db) -> Result<()> {
    use futures_util::StreamExt;
    FxTask::copy_in((1..=5_000).map(|i| task(i, None)))
        .execute(&db)
        .await?;
    let pool = Db::connect(db.config().clone().pool_size(2)).await?;
    {
        let mut data = std::pin::pin!(
            FxTask::select()
                .filter(FxTask::priority.gt(10))
                .order_by(FxTask::priority.asc())
                .column(FxTask::title)
                .copy_out(&pool, CopyFormat::Text)
        );
        let first = data.next().await.transpose()?;
        assert_eq!(first.as_deref(), Some(&b"copied 0011\n"[..]));
    }
    // Its connection, inside the copy's transaction, was closed rather than returned.
    let status = pool.status();
    assert_eq!((status.size, status.in_use), (0, 0));
    assert!(buster_db_tests::no_session_left_idle_in_transaction(&db).await?);
    assert_eq!(FxTask::select().count(&pool).await?, 5_000);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn a_copy_out_dropped_midway_gives_its_connection_back(db: Db) -> Result<()> {
    use futures_util::StreamExt;
    FxTask::copy_in((1..=5_000).map(|i| task(i, None)))
        .execute(&db)
        .await?;
    let single = Db::connect(db.config().clone().pool_size(1)).await?;
    {
        let mut data = std::pin::pin!(
            FxTask::select()
                .column(FxTask::title)
                .copy_out(&single, CopyFormat::Text)
        );
        let first = data.next().await.transpose()?;
        assert_eq!(first.as_deref(), Some(&b"copied 0001\n"[..]));
    }
    // Returned, not closed: the one connection is back in the pool and serves the next query.
    let status = single.status();
    assert_eq!((status.size, status.idle, status.in_use), (1, 1, 0));
    assert_eq!(FxTask::select().count(&single).await?, 5_000);
    Ok(())
}
