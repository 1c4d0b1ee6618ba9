//! Streams: `stream(&exec)` on read queries yields the same rows as `all`, decoded as they
//! arrive, on a `Db`, a `Conn` and a transaction; a stream dropped mid-way gives its connection
//! back usable.

use buster_db::prelude::*;
use buster_db::{Config, ErrorKind, Result};
use buster_db_tests::{FxTask, NewFxTask};
use futures_util::{StreamExt, TryStreamExt};

fn task(i: i32) -> NewFxTask {
    NewFxTask {
        id: None,
        title: format!("task {i:05}"),
        priority: i,
        note: None,
        due_on: None,
    }
}

/// `n` live tasks, and one soft-deleted one (priority 0).
async fn seed(db: &Db, n: i32) -> Result<()> {
    FxTask::insert_many((0..=n).map(task)).execute(db).await?;
    let deleted = FxTask::select()
        .filter(FxTask::priority.eq(0))
        .one(db)
        .await?;
    FxTask::soft_delete(deleted.id).execute(db).await?;
    Ok(())
}

fn titles(tasks: &[FxTask]) -> Vec<&str> {
    tasks.iter().map(|t| t.title.as_str()).collect()
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn a_stream_yields_the_rows_of_all_in_order(db: Db) -> Result<()> {
    seed(&db, 300).await?;
    let query = || FxTask::select().order_by(FxTask::priority.asc());
    let all = query().all(&db).await?;
    let streamed: Vec<FxTask> = query().stream(&db).try_collect().await?;
    assert_eq!(streamed.len(), 300);
    assert_eq!(titles(&streamed), titles(&all));
    assert_eq!(streamed.first().map(|t| t.priority), Some(1));

    // A limit, a projection, a union: the same rows as `all`.
    let limited: Vec<FxTask> = query().limit(7).stream(&db).try_collect().await?;
    assert_eq!(titles(&limited), titles(&all[..7]));
    let projected: Vec<(i32, String)> = FxTask::select()
        .order_by(FxTask::priority.desc())
        .limit(3)
        .columns((FxTask::priority, FxTask::title))
        .stream(&db)
        .try_collect()
        .await?;
    let priorities: Vec<i32> = projected.iter().map(|(p, _)| *p).collect();
    assert_eq!(priorities, [300, 299, 298]);
    assert_eq!(projected[0].1, "task 00300");
    let union: Vec<FxTask> = FxTask::select()
        .filter(FxTask::priority.eq(1))
        .union_all(FxTask::select().filter(FxTask::priority.eq(2)))
        .stream(&db)
        .try_collect()
        .await?;
    let mut union = union.into_iter().map(|t| t.priority).collect::<Vec<_>>();
    union.sort();
    assert_eq!(union, [1, 2]);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn a_stream_runs_on_a_conn_and_inside_a_transaction(db: Db) -> Result<()> {
    seed(&db, 20).await?;
    let conn = db.conn().await?;
    let on_conn: Vec<FxTask> = FxTask::select()
        .order_by(FxTask::priority.asc())
        .stream(&conn)
        .try_collect()
        .await?;
    assert_eq!(on_conn.len(), 20);
    drop(conn);
    let seen = db
        .transaction(async |tx| {
            FxTask::insert(task(21)).execute(tx).await?;
            let rows: Vec<FxTask> = FxTask::select().stream(tx).try_collect().await?;
            Ok::<_, buster_db::Error>(rows.len())
        })
        .await?;
    // The stream saw the transaction's own insert.
    assert_eq!(seen, 21);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn a_stream_dropped_midway_gives_back_a_usable_connection(db: Db) -> Result<()> {
    seed(&db, 3_000).await?;
    // A pool of one connection: the statements after the drop must get that connection back.
    let config: Config = db.config().clone().pool_size(1);
    let one = Db::connect(config).await?;
    for stop_after in [0, 1, 5, 500] {
        let mut stream = Box::pin(
            FxTask::select()
                .order_by(FxTask::priority.asc())
                .stream(&one),
        );
        for i in 0..stop_after {
            let row = stream.next().await.transpose()?;
            assert_eq!(row.map(|t| t.priority), Some(i + 1));
        }
        if stop_after > 0 {
            assert_eq!(one.status().in_use, 1);
        }
        drop(stream);
        assert_eq!(one.status().in_use, 0);
        // The next statements on the same pool see the whole table, not the rest of the stream.
        assert_eq!(FxTask::select().count(&one).await?, 3_000);
        let first = FxTask::select()
            .order_by(FxTask::priority.asc())
            .one(&one)
            .await?;
        assert_eq!(first.priority, 1);
        assert_eq!(one.status().size, 1);
    }
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn a_stream_sends_nothing_before_its_first_poll_and_checks_the_parameter_limit(
    db: Db,
) -> Result<()> {
    seed(&db, 5).await?;
    let sent = db.statements_executed();
    let mut stream = Box::pin(
        FxTask::select()
            .order_by(FxTask::priority.asc())
            .stream(&db),
    );
    assert_eq!((db.status().in_use, db.statements_executed()), (0, sent));
    assert!(stream.next().await.transpose()?.is_some());
    assert_eq!(db.statements_executed(), sent + 1);
    drop(stream);
    let empty: Vec<FxTask> = FxTask::select()
        .filter(FxTask::priority.gt(1_000))
        .stream(&db)
        .try_collect()
        .await?;
    assert!(empty.is_empty());
    // A statement PostgreSQL would refuse is refused before anything is sent.
    let too_many = (0..65_536).fold(FxTask::select(), |q, i| q.filter(FxTask::priority.eq(i)));
    let sent = db.statements_executed();
    let err = too_many.stream(&db).try_collect::<Vec<_>>().await.err();
    assert_eq!(err.map(|e| e.kind()), Some(ErrorKind::Validation));
    assert_eq!(db.statements_executed(), sent);
    Ok(())
}
