//! Every error kind provoked for real on PostgreSQL, with the details a caller matches on.

use buster_db::prelude::*;
use buster_db::{Error, ErrorKind, IsolationLevel, NaiveDate, Result, TxOptions, Uuid};
use buster_db_tests::{
    FxAccount, FxPost, FxStrict, FxTask, FxTaskRequiredNote, NewFxAccount, NewFxPost, NewFxStrict,
    NewFxTask, User, new_user,
};
use tokio::sync::Barrier;

/// `fx_tasks` read with `note` and `due_on` both required, although both columns are nullable.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "fx_tasks", columns = "fx_tasks_required_note_and_date")]
struct FxTaskRequiredNoteAndDate {
    #[column(primary_key, default = "gen_random_uuid()")]
    id: Uuid,
    title: String,
    priority: i32,
    note: String,
    due_on: NaiveDate,
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_duplicate_live_email_is_a_unique_violation_naming_the_index(db: Db) -> Result<()> {
    let first = User::insert(new_user("dup@example.com", "First"))
        .one(&db)
        .await?;
    let Err(err) = User::insert(new_user("dup@example.com", "Second"))
        .one(&db)
        .await
    else {
        panic!("a duplicate email was accepted");
    };
    assert_eq!(err.kind(), ErrorKind::UniqueViolation);
    assert_eq!(err.constraint(), Some("users_email_key"));
    assert_eq!(err.code(), Some("23505"));
    assert_eq!(err.table(), Some("users"));
    assert!(!err.is_retryable());
    assert_eq!(User::select().with_deleted().all(&db).await?, vec![first]);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn a_reference_to_a_missing_row_is_a_foreign_key_violation(db: Db) -> Result<()> {
    let Err(err) = FxPost::insert(NewFxPost {
        id: None,
        author_id: Uuid::new_v4(),
        title: "Orphan".into(),
        score: 1,
    })
    .one(&db)
    .await
    else {
        panic!("a post without an author was accepted");
    };
    assert_eq!(err.kind(), ErrorKind::ForeignKeyViolation);
    assert_eq!(err.constraint(), Some("fx_posts_author_id_fkey"));
    assert_eq!(err.code(), Some("23503"));
    assert_eq!(FxPost::select().count(&db).await?, 0);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn null_in_a_not_null_column_is_a_not_null_violation_naming_the_column(db: Db) -> Result<()> {
    let Err(err) = FxStrict::insert(NewFxStrict {
        id: None,
        label: None,
    })
    .one(&db)
    .await
    else {
        panic!("NULL was accepted in a NOT NULL column");
    };
    assert_eq!(err.kind(), ErrorKind::NotNullViolation);
    assert_eq!(err.code(), Some("23502"));
    assert_eq!(err.table(), Some("fx_strict"));
    assert_eq!(err.column(), Some("label"));
    assert_eq!(FxStrict::select().count(&db).await?, 0);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn a_failed_check_is_a_check_violation_naming_the_constraint(db: Db) -> Result<()> {
    let author = User::insert(new_user("author@example.com", "Author"))
        .one(&db)
        .await?;
    let Err(err) = FxPost::insert(NewFxPost {
        id: None,
        author_id: author.id,
        title: "Negative".into(),
        score: -1,
    })
    .one(&db)
    .await
    else {
        panic!("a negative score was accepted");
    };
    assert_eq!(err.kind(), ErrorKind::CheckViolation);
    assert_eq!(err.constraint(), Some("fx_posts_score_check"));
    assert_eq!(err.code(), Some("23514"));
    assert_eq!(FxPost::select().count(&db).await?, 0);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn one_on_a_missing_row_is_not_found_naming_the_table(db: Db) -> Result<()> {
    let Err(err) = User::find(Uuid::new_v4()).one(&db).await else {
        panic!("a random id was found");
    };
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.table(), Some("users"));
    assert_eq!(err.code(), None);
    let Err(err) = User::select()
        .filter(User::email.eq("nobody@example.com"))
        .one(&db)
        .await
    else {
        panic!("a missing email was found");
    };
    assert_eq!(err.kind(), ErrorKind::NotFound);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn an_invalid_page_is_a_validation_error_naming_the_field(db: Db) -> Result<()> {
    let before = db.statements_executed();
    let Err(err) = User::select().paginate(0, 20, &db).await else {
        panic!("page 0 was accepted");
    };
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(err.field(), Some("page"));
    assert_eq!(err.code(), None);
    assert_eq!(db.statements_executed(), before);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn concurrent_serializable_write_skew_is_a_serialization_failure(db: Db) -> Result<()> {
    FxAccount::insert_many([
        NewFxAccount {
            id: 1,
            balance: 100,
        },
        NewFxAccount {
            id: 2,
            balance: 100,
        },
    ])
    .all(&db)
    .await?;
    let read_done = Barrier::new(2);
    let write_done = Barrier::new(2);
    let serializable = TxOptions::new().isolation(IsolationLevel::Serializable);

    // Each transaction reads one account and writes the other: no serial order explains both.
    let skew = async |read: i32, write: i32| {
        db.transaction_with(serializable.clone(), async |tx| {
            let seen = FxAccount::find(read).one(tx).await;
            read_done.wait().await;
            let written = match seen {
                Ok(seen) => {
                    FxAccount::update(write)
                        .set(FxAccount::balance, seen.balance - 150)
                        .one(tx)
                        .await
                }
                Err(e) => Err(e),
            };
            // Both wait here whatever happened, so neither commits before the other wrote.
            write_done.wait().await;
            written?;
            Ok::<_, Error>(())
        })
        .await
    };
    let (a, b) = tokio::join!(skew(2, 1), skew(1, 2));

    let failures: Vec<Error> = [a, b].into_iter().filter_map(|r| r.err()).collect();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert_eq!(failures[0].kind(), ErrorKind::SerializationFailure);
    assert_eq!(failures[0].code(), Some("40001"));
    assert!(failures[0].is_retryable());
    // Exactly one of the two writes survived.
    let mut balances: Vec<i64> = FxAccount::select()
        .all(&db)
        .await?
        .into_iter()
        .map(|a| a.balance)
        .collect();
    balances.sort();
    assert_eq!(balances, [-50, 100]);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn locking_two_rows_in_opposite_orders_is_a_deadlock_for_one_side(db: Db) -> Result<()> {
    FxAccount::insert_many([
        NewFxAccount {
            id: 1,
            balance: 100,
        },
        NewFxAccount {
            id: 2,
            balance: 100,
        },
    ])
    .all(&db)
    .await?;
    let both_locked = Barrier::new(2);

    let lock_both = async |first: i32, second: i32, balance: i64| {
        db.transaction(async |tx| {
            FxAccount::update(first)
                .set(FxAccount::balance, balance)
                .one(tx)
                .await?;
            both_locked.wait().await;
            FxAccount::update(second)
                .set(FxAccount::balance, balance)
                .one(tx)
                .await?;
            Ok::<_, Error>(balance)
        })
        .await
    };
    let (a, b) = tokio::join!(lock_both(1, 2, 1), lock_both(2, 1, 2));

    let (winner, victim) = match (a, b) {
        (Ok(w), Err(v)) | (Err(v), Ok(w)) => (w, v),
        other => panic!("expected exactly one deadlock victim, got {other:?}"),
    };
    assert_eq!(victim.kind(), ErrorKind::Deadlock);
    assert_eq!(victim.code(), Some("40P01"));
    assert!(victim.is_retryable());
    // The victim's first write was rolled back: both rows hold the winner's value.
    assert_eq!(FxAccount::find(1).one(&db).await?.balance, winner);
    assert_eq!(FxAccount::find(2).one(&db).await?.balance, winner);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn text_with_a_nul_byte_is_a_conversion_error_and_writes_nothing(db: Db) -> Result<()> {
    let Err(err) = User::insert(new_user("nul@example.com", "before\0after"))
        .one(&db)
        .await
    else {
        panic!("text with a NUL byte was stored");
    };
    assert_eq!(err.kind(), ErrorKind::Conversion, "{err:?}");
    assert_eq!(User::select().with_deleted().count(&db).await?, 0);

    let Err(err) = User::select().filter(User::name.eq("x\0")).all(&db).await else {
        panic!("a filter with a NUL byte ran");
    };
    assert_eq!(err.kind(), ErrorKind::Conversion, "{err:?}");
    // The pool is still usable afterwards.
    User::insert(new_user("ok@example.com", "fine"))
        .one(&db)
        .await?;
    assert_eq!(User::select().count(&db).await?, 1);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn a_value_that_does_not_fit_its_rust_type_is_a_conversion_error_naming_the_column(
    db: Db,
) -> Result<()> {
    let task = FxTask::insert(NewFxTask {
        id: None,
        title: "no note".into(),
        priority: 1,
        note: None,
        due_on: None,
    })
    .one(&db)
    .await?;
    let Err(err) = FxTaskRequiredNote::find(task.id).one(&db).await else {
        panic!("NULL was decoded into a String");
    };
    assert_eq!(err.kind(), ErrorKind::Conversion);
    assert_eq!(err.column(), Some("note"));
    assert_eq!(err.code(), None);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn a_row_with_several_values_that_do_not_fit_names_the_first_of_them(db: Db) -> Result<()> {
    let neither = FxTask::insert(NewFxTask {
        id: None,
        title: "no note, no date".into(),
        priority: 1,
        note: None,
        due_on: None,
    })
    .one(&db)
    .await?;
    let no_date = FxTask::insert(NewFxTask {
        id: None,
        title: "a note, no date".into(),
        priority: 2,
        note: Some("written".into()),
        due_on: None,
    })
    .one(&db)
    .await?;
    let Err(err) = FxTaskRequiredNoteAndDate::find(neither.id).one(&db).await else {
        panic!("NULL was decoded into a String and a NaiveDate");
    };
    assert_eq!(err.kind(), ErrorKind::Conversion);
    assert_eq!(err.column(), Some("note"));
    // The columns before the one that fails are read at their own positions.
    let Err(err) = FxTaskRequiredNoteAndDate::find(no_date.id).one(&db).await else {
        panic!("NULL was decoded into a NaiveDate");
    };
    assert_eq!(err.kind(), ErrorKind::Conversion);
    assert_eq!(err.column(), Some("due_on"));
    Ok(())
}
