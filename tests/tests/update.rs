//! Updates: by key or by filter, live rows only, always moving `updated_at`.

use buster_db::prelude::*;
use buster_db::{ErrorKind, Result, Uuid};
use buster_db_tests::{FxAccount, NewFxAccount, User, UserPatch, new_user};

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn update_set_changes_the_column_and_updated_at_only(db: Db) -> Result<()> {
    let user = User::insert(new_user("ada@example.com", "Ada"))
        .one(&db)
        .await?;
    let other = User::insert(new_user("bob@example.com", "Bob"))
        .one(&db)
        .await?;

    let updated = User::update(user.id)
        .set(User::name, "Ada Lovelace")
        .set(User::is_active, false)
        .one(&db)
        .await?;
    assert_eq!(updated.name, "Ada Lovelace");
    assert!(!updated.is_active);
    assert_eq!(updated.email, user.email);
    assert_eq!(updated.created_at, user.created_at);
    assert!(updated.updated_at > user.updated_at);

    assert_eq!(User::find(user.id).one(&db).await?, updated);
    assert_eq!(User::find(other.id).one(&db).await?, other);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn update_patch_sets_only_the_fields_that_are_some(db: Db) -> Result<()> {
    let user = User::insert(new_user("grace@example.com", "Grace"))
        .one(&db)
        .await?;
    let patched = User::update(user.id)
        .patch(UserPatch {
            email: Some("grace@navy.mil".into()),
            ..Default::default()
        })
        .one(&db)
        .await?;
    assert_eq!(patched.email, "grace@navy.mil");
    assert_eq!(patched.name, "Grace");
    assert!(patched.is_active);
    assert!(patched.updated_at > user.updated_at);
    assert_eq!(User::find(user.id).one(&db).await?, patched);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn update_with_an_empty_patch_still_touches_updated_at(db: Db) -> Result<()> {
    let user = User::insert(new_user("idle@example.com", "Idle"))
        .one(&db)
        .await?;
    let touched = User::update(user.id)
        .patch(UserPatch::default())
        .one(&db)
        .await?;
    assert!(touched.updated_at > user.updated_at);
    assert_eq!(
        User {
            updated_at: user.updated_at,
            ..touched.clone()
        },
        user
    );
    assert_eq!(User::find(user.id).one(&db).await?, touched);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn update_of_a_missing_key_is_not_found(db: Db) -> Result<()> {
    let err = User::update(Uuid::new_v4())
        .set(User::name, "Nobody")
        .one(&db)
        .await
        .err();
    assert_eq!(err.map(|e| e.kind()), Some(ErrorKind::NotFound));
    let none = User::update(Uuid::new_v4())
        .set(User::name, "Nobody")
        .optional(&db)
        .await?;
    assert_eq!(none, None);
    assert_eq!(User::select().with_deleted().count(&db).await?, 0);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn update_with_a_filter_that_does_not_hold_changes_nothing(db: Db) -> Result<()> {
    let user = User::insert(new_user("cond@example.com", "Cond"))
        .one(&db)
        .await?;
    let skipped = User::update(user.id)
        .set(User::name, "Changed")
        .filter(User::is_active.eq(false))
        .optional(&db)
        .await?;
    assert_eq!(skipped, None);
    assert_eq!(User::find(user.id).one(&db).await?, user);

    let applied = User::update(user.id)
        .set(User::name, "Changed")
        .filter(User::is_active.eq(true))
        .one(&db)
        .await?;
    assert_eq!(applied.name, "Changed");
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn update_where_touches_only_the_live_matching_rows(db: Db) -> Result<()> {
    let a = User::insert(new_user("a@acme.io", "A")).one(&db).await?;
    let b = User::insert(new_user("b@acme.io", "B")).one(&db).await?;
    let gone = User::insert(new_user("c@acme.io", "C")).one(&db).await?;
    let gone = User::soft_delete(gone.id).one(&db).await?;
    let outsider = User::insert(new_user("d@other.io", "D")).one(&db).await?;

    let mut updated = User::update_where(User::email.like("%@acme.io"))
        .set(User::is_active, false)
        .all(&db)
        .await?;
    updated.sort_by(|x, y| x.email.cmp(&y.email));
    let ids: Vec<_> = updated.iter().map(|u| u.id).collect();
    assert_eq!(ids, vec![a.id, b.id]);
    assert!(updated.iter().all(|u| !u.is_active));
    assert!(updated[0].updated_at > a.updated_at);
    assert!(updated[1].updated_at > b.updated_at);

    assert_eq!(User::find(gone.id).with_deleted().one(&db).await?, gone);
    assert_eq!(User::find(outsider.id).one(&db).await?, outsider);
    assert_eq!(User::find(a.id).one(&db).await?, updated[0]);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn update_where_execute_reports_the_number_of_rows_changed(db: Db) -> Result<()> {
    User::insert_many([
        new_user("a@acme.io", "A"),
        new_user("b@acme.io", "B"),
        new_user("c@other.io", "C"),
    ])
    .all(&db)
    .await?;
    let changed = User::update_where(User::email.like("%@acme.io"))
        .set(User::name, "Acme")
        .execute(&db)
        .await?;
    assert_eq!(changed, 2);
    let acme = User::select()
        .filter(User::name.eq("Acme"))
        .count(&db)
        .await?;
    assert_eq!(acme, 2);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn update_of_a_table_without_timestamps_sets_the_column(db: Db) -> Result<()> {
    FxAccount::insert(NewFxAccount { id: 1, balance: 10 })
        .one(&db)
        .await?;
    let updated = FxAccount::update(1)
        .set(FxAccount::balance, 25_i64)
        .one(&db)
        .await?;
    assert_eq!(updated, FxAccount { id: 1, balance: 25 });
    assert_eq!(FxAccount::find(1).one(&db).await?.balance, 25);
    Ok(())
}
