//! Soft-deleted rows are hidden from every read and untouched by every write unless a query
//! opts in, and deleting, restoring and re-creating behave as the soft-delete rules say.

use buster_db::prelude::*;
use buster_db::{ErrorKind, Result};
use buster_db_tests::{User, UserPatch, new_user};

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn soft_deleted_user_is_invisible_to_find_select_count_exists_and_paginate(
    db: Db,
) -> Result<()> {
    let gone = User::insert(new_user("gone@example.com", "Gone"))
        .one(&db)
        .await?;
    let kept = User::insert(new_user("kept@example.com", "Kept"))
        .one(&db)
        .await?;
    let deleted = User::soft_delete(gone.id).one(&db).await?;
    assert_eq!(deleted.id, gone.id);
    assert!(deleted.deleted_at.is_some());

    assert_eq!(User::find(gone.id).optional(&db).await?, None);
    let err = User::find(gone.id).one(&db).await.err();
    assert_eq!(err.map(|e| e.kind()), Some(ErrorKind::NotFound));

    let everyone = User::select().all(&db).await?;
    assert_eq!(everyone, vec![kept.clone()]);
    let by_email = User::select()
        .filter(User::email.eq("gone@example.com"))
        .all(&db)
        .await?;
    assert!(by_email.is_empty());

    assert_eq!(User::select().count(&db).await?, 1);
    assert!(
        !User::select()
            .filter(User::email.eq("gone@example.com"))
            .exists(&db)
            .await?
    );

    let page = User::select().paginate(1, 10, &db).await?;
    assert_eq!(page.total, 1);
    assert_eq!(page.items, vec![kept]);
    assert!(!page.has_more);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn updating_a_soft_deleted_user_is_not_found_and_leaves_the_row_unchanged(
    db: Db,
) -> Result<()> {
    let user = User::insert(new_user("old@example.com", "Old"))
        .one(&db)
        .await?;
    let deleted = User::soft_delete(user.id).one(&db).await?;

    let by_key = User::update(user.id).set(User::name, "New").one(&db).await;
    assert_eq!(by_key.err().map(|e| e.kind()), Some(ErrorKind::NotFound));
    let patched = User::update(user.id)
        .patch(UserPatch {
            name: Some("New".into()),
            ..Default::default()
        })
        .optional(&db)
        .await?;
    assert_eq!(patched, None);
    let by_filter = User::update_where(User::email.eq("old@example.com"))
        .set(User::name, "New")
        .all(&db)
        .await?;
    assert!(by_filter.is_empty());

    let row = User::find(user.id).with_deleted().one(&db).await?;
    assert_eq!(row, deleted);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn with_deleted_and_only_deleted_opt_into_deleted_rows_on_select_and_find(
    db: Db,
) -> Result<()> {
    let live = User::insert(new_user("live@example.com", "Live"))
        .one(&db)
        .await?;
    let dead = User::insert(new_user("dead@example.com", "Dead"))
        .one(&db)
        .await?;
    let dead = User::soft_delete(dead.id).one(&db).await?;

    let mut all = User::select().with_deleted().all(&db).await?;
    all.sort_by(|a, b| a.email.cmp(&b.email));
    assert_eq!(all, vec![dead.clone(), live.clone()]);
    assert_eq!(User::select().with_deleted().count(&db).await?, 2);
    assert_eq!(
        User::select().only_deleted().all(&db).await?,
        vec![dead.clone()]
    );
    assert_eq!(User::select().only_deleted().count(&db).await?, 1);
    let page = User::select().with_deleted().paginate(1, 1, &db).await?;
    assert_eq!((page.total, page.items.len(), page.has_more), (2, 1, true));

    assert_eq!(
        User::find(dead.id).with_deleted().one(&db).await?,
        dead.clone()
    );
    assert_eq!(
        User::find(live.id).with_deleted().one(&db).await?,
        live.clone()
    );
    assert_eq!(User::find(dead.id).only_deleted().one(&db).await?, dead);
    assert_eq!(
        User::find(live.id).only_deleted().optional(&db).await?,
        None
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn soft_deleting_twice_changes_nothing_the_second_time(db: Db) -> Result<()> {
    let user = User::insert(new_user("twice@example.com", "Twice"))
        .one(&db)
        .await?;
    let first = User::soft_delete(user.id).one(&db).await?;

    assert_eq!(User::soft_delete(user.id).optional(&db).await?, None);
    let second = User::soft_delete(user.id).one(&db).await;
    assert_eq!(second.err().map(|e| e.kind()), Some(ErrorKind::NotFound));

    let row = User::find(user.id).with_deleted().one(&db).await?;
    assert_eq!(row.deleted_at, first.deleted_at);
    assert_eq!(row.updated_at, first.updated_at);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn soft_delete_sets_updated_at_to_the_deletion_time(db: Db) -> Result<()> {
    let user = User::insert(new_user("touch@example.com", "Touch"))
        .one(&db)
        .await?;
    let deleted = User::soft_delete(user.id).one(&db).await?;
    let Some(deleted_at) = deleted.deleted_at else {
        panic!("soft_delete returned a row without deleted_at: {deleted:?}");
    };
    assert!(deleted_at > user.updated_at, "{deleted:?} after {user:?}");
    assert_eq!(deleted.updated_at, deleted_at);
    assert_eq!(deleted.created_at, user.created_at);

    let row = User::find(user.id).with_deleted().one(&db).await?;
    assert_eq!(row, deleted);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn soft_delete_where_returns_exactly_the_live_matching_rows(db: Db) -> Result<()> {
    let a = User::insert(new_user("a@acme.io", "A")).one(&db).await?;
    let b = User::insert(new_user("b@acme.io", "B")).one(&db).await?;
    let earlier = User::insert(new_user("c@acme.io", "C")).one(&db).await?;
    let earlier = User::soft_delete(earlier.id).one(&db).await?;
    let other = User::insert(new_user("d@other.io", "D")).one(&db).await?;

    let mut deleted = User::soft_delete_where(User::email.like("%@acme.io"))
        .all(&db)
        .await?;
    deleted.sort_by(|x, y| x.email.cmp(&y.email));
    let ids: Vec<_> = deleted.iter().map(|u| u.id).collect();
    assert_eq!(ids, vec![a.id, b.id]);
    assert!(deleted.iter().all(|u| u.deleted_at.is_some()));

    // The row deleted earlier keeps its original deletion time.
    let still = User::find(earlier.id).with_deleted().one(&db).await?;
    assert_eq!(still, earlier);
    assert_eq!(User::select().all(&db).await?, vec![other]);
    assert_eq!(User::select().only_deleted().count(&db).await?, 3);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn restore_brings_a_user_back_and_bumps_updated_at(db: Db) -> Result<()> {
    let user = User::insert(new_user("back@example.com", "Back"))
        .one(&db)
        .await?;
    let deleted = User::soft_delete(user.id).one(&db).await?;

    let restored = User::restore(user.id).one(&db).await?;
    assert_eq!(restored.deleted_at, None);
    assert!(restored.updated_at > deleted.updated_at);
    assert_eq!(
        (&restored.email, &restored.name, restored.created_at),
        (&user.email, &user.name, user.created_at)
    );
    assert_eq!(User::find(user.id).one(&db).await?, restored);
    assert_eq!(User::select().count(&db).await?, 1);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn restoring_a_live_user_changes_nothing(db: Db) -> Result<()> {
    let user = User::insert(new_user("alive@example.com", "Alive"))
        .one(&db)
        .await?;
    assert_eq!(User::restore(user.id).optional(&db).await?, None);
    assert_eq!(User::find(user.id).one(&db).await?, user);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn restoring_into_a_live_duplicate_email_is_a_unique_violation(db: Db) -> Result<()> {
    let old = User::insert(new_user("same@example.com", "Old"))
        .one(&db)
        .await?;
    let old = User::soft_delete(old.id).one(&db).await?;
    let new = User::insert(new_user("same@example.com", "New"))
        .one(&db)
        .await?;

    let Err(err) = User::restore(old.id).one(&db).await else {
        panic!("restoring a duplicate of a live email succeeded");
    };
    assert_eq!(err.kind(), ErrorKind::UniqueViolation);
    assert_eq!(err.constraint(), Some("users_email_key"));
    assert_eq!(err.code(), Some("23505"));

    assert_eq!(User::find(old.id).with_deleted().one(&db).await?, old);
    assert_eq!(User::select().all(&db).await?, vec![new]);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_new_user_may_take_the_email_of_a_soft_deleted_one(db: Db) -> Result<()> {
    let old = User::insert(new_user("reuse@example.com", "Old"))
        .one(&db)
        .await?;
    User::soft_delete(old.id).one(&db).await?;

    let new = User::insert(new_user("reuse@example.com", "New"))
        .one(&db)
        .await?;
    assert_ne!(new.id, old.id);
    let same_email = User::select()
        .with_deleted()
        .filter(User::email.eq("reuse@example.com"))
        .count(&db)
        .await?;
    assert_eq!(same_email, 2);
    assert_eq!(User::select().all(&db).await?, vec![new]);

    // Uniqueness still holds among live rows.
    let dup = User::insert(new_user("reuse@example.com", "Third"))
        .one(&db)
        .await;
    assert_eq!(
        dup.err().map(|e| e.kind()),
        Some(ErrorKind::UniqueViolation)
    );
    Ok(())
}
