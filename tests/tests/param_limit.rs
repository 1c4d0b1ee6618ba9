//! PostgreSQL binds at most 65,535 parameters per statement. Every terminal of every builder
//! refuses a statement with more as a validation error, before anything is sent.
//!
//! `Find` is not here: it binds only its primary key, so it cannot get near the limit.

use std::fmt::Debug;
use std::future::Future;

use buster_db::prelude::*;
use buster_db::query::Select;
use buster_db::{ErrorKind, Result, Uuid};
use buster_db_tests::{FxPost, FxTagged, FxTask, NewFxTagged, User, kind};

/// One parameter more than PostgreSQL accepts.
const TOO_MANY: usize = 65_536;

/// Tasks under `n` conditions of one parameter each.
fn tasks(n: usize) -> Select<FxTask> {
    (0..n).fold(FxTask::select(), |q, i| {
        q.filter(FxTask::priority.eq(i as i32))
    })
}

/// `n` tagged rows of two parameters each (`VALUES`: the table has an array column).
fn tagged(n: usize) -> Vec<NewFxTagged> {
    (0..n)
        .map(|i| NewFxTagged {
            id: None,
            name: format!("t{i}"),
            tags: Vec::new(),
        })
        .collect()
}

/// Runs `terminal` and checks that it failed with a validation error without sending anything.
async fn refused<T: Debug>(db: &Db, terminal: &str, run: impl Future<Output = Result<T>>) {
    let sent = db.statements_executed();
    let outcome = run.await;
    assert_eq!(
        kind(outcome),
        Some(ErrorKind::Validation),
        "{terminal} must refuse more than 65,535 parameters"
    );
    assert_eq!(
        db.statements_executed(),
        sent,
        "{terminal} sent a statement"
    );
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn select_refuses_too_many_parameters_in_every_terminal(db: Db) {
    assert_eq!(tasks(TOO_MANY).to_sql().params, TOO_MANY);
    refused(&db, "all", tasks(TOO_MANY).all(&db)).await;
    refused(&db, "one", tasks(TOO_MANY).one(&db)).await;
    refused(&db, "optional", tasks(TOO_MANY).optional(&db)).await;
    refused(&db, "count", tasks(TOO_MANY).count(&db)).await;
    refused(&db, "exists", tasks(TOO_MANY).exists(&db)).await;
    refused(&db, "paginate", tasks(TOO_MANY).paginate(1, 10, &db)).await;
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn joined_refuses_too_many_parameters_in_every_terminal(db: Db) {
    let joined = || {
        (0..TOO_MANY).fold(
            User::select().inner_join(FxPost::table(), FxPost::author_id.eq_col(User::id)),
            |q, i| q.filter(FxPost::score.eq(i as i32)),
        )
    };
    assert_eq!(joined().to_sql().params, TOO_MANY);
    refused(&db, "all", joined().all(&db)).await;
    refused(&db, "one", joined().one(&db)).await;
    refused(&db, "optional", joined().optional(&db)).await;
    refused(&db, "count", joined().count(&db)).await;
    refused(&db, "exists", joined().exists(&db)).await;
    refused(&db, "paginate", joined().paginate(1, 10, &db)).await;
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn projected_refuses_too_many_parameters_in_every_terminal(db: Db) {
    let titles = || tasks(TOO_MANY).column(FxTask::title);
    assert_eq!(titles().to_sql().params, TOO_MANY);
    refused(&db, "all", titles().all(&db)).await;
    refused(&db, "one", titles().one(&db)).await;
    refused(&db, "optional", titles().optional(&db)).await;
    refused(&db, "count", titles().count(&db)).await;
    refused(&db, "exists", titles().exists(&db)).await;
    refused(&db, "paginate", titles().paginate(1, 10, &db)).await;
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn union_refuses_too_many_parameters_in_every_terminal(db: Db) {
    let union = || tasks(TOO_MANY / 2).union_all(tasks(TOO_MANY / 2));
    assert_eq!(union().to_sql().params, TOO_MANY);
    refused(&db, "all", union().all(&db)).await;
    refused(&db, "one", union().one(&db)).await;
    refused(&db, "optional", union().optional(&db)).await;
    refused(&db, "count", union().count(&db)).await;
    refused(&db, "exists", union().exists(&db)).await;
    refused(&db, "paginate", union().paginate(1, 10, &db)).await;
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn writes_refuse_too_many_parameters_in_every_terminal(db: Db) {
    let insert = || FxTagged::insert_many(tagged(TOO_MANY / 2));
    assert_eq!(insert().to_sql().params, TOO_MANY);
    refused(&db, "insert all", insert().all(&db)).await;
    refused(&db, "insert one", insert().one(&db)).await;
    refused(&db, "insert optional", insert().optional(&db)).await;
    refused(&db, "insert execute", insert().execute(&db)).await;

    let upsert = || FxTagged::upsert_many(tagged(TOO_MANY / 2)).on_conflict(FxTagged::id);
    refused(&db, "upsert do nothing", upsert().do_nothing().all(&db)).await;
    refused(
        &db,
        "upsert do nothing execute",
        upsert().do_nothing().execute(&db),
    )
    .await;
    refused(&db, "upsert update", upsert().update_all().one(&db)).await;
    refused(
        &db,
        "upsert update execute",
        upsert().update_all().execute(&db),
    )
    .await;
    refused(&db, "upsert outcomes", upsert().update_all().outcomes(&db)).await;

    let update = || {
        (0..TOO_MANY).fold(
            FxTask::update(Uuid::nil()).set(FxTask::title, "x"),
            |q, i| q.filter(FxTask::priority.eq(i as i32)),
        )
    };
    refused(&db, "update all", update().all(&db)).await;
    refused(&db, "update optional", update().optional(&db)).await;
    refused(&db, "update execute", update().execute(&db)).await;

    let soft_delete = || {
        (0..TOO_MANY).fold(FxTask::soft_delete(Uuid::nil()), |q, i| {
            q.set(FxTask::priority, i as i32)
        })
    };
    refused(&db, "soft delete one", soft_delete().one(&db)).await;
    refused(&db, "soft delete execute", soft_delete().execute(&db)).await;
}
