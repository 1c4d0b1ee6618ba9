//! Upserts: one statement that inserts or updates, never touching soft-deleted rows unless told
//! to revive them.

use buster_db::prelude::*;
use buster_db::{Result, Uuid};
use buster_db_tests::{FxMembership, NewFxMembership, NewUser, User, new_user};

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn upsert_inserts_when_nothing_conflicts(db: Db) -> Result<()> {
    let user = User::upsert(new_user("new@example.com", "New"))
        .on_conflict(User::email)
        .update((User::name,))
        .one(&db)
        .await?;
    assert_eq!(user.email, "new@example.com");
    assert_eq!(user.name, "New");
    assert!(user.is_active);
    assert_eq!(User::select().with_deleted().all(&db).await?, vec![user]);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn upsert_on_email_updates_the_existing_row_in_place(db: Db) -> Result<()> {
    let first = User::insert(NewUser {
        is_active: Some(false),
        ..new_user("ada@example.com", "Ada")
    })
    .one(&db)
    .await?;

    let second = User::upsert(NewUser {
        is_active: Some(true),
        ..new_user("ada@example.com", "Ada Lovelace")
    })
    .on_conflict(User::email)
    .update((User::name,))
    .one(&db)
    .await?;

    assert_eq!(second.id, first.id);
    assert_eq!(second.name, "Ada Lovelace");
    // Only the listed columns change.
    assert!(!second.is_active);
    assert_eq!(second.created_at, first.created_at);
    assert!(second.updated_at > first.updated_at);
    assert_eq!(User::select().with_deleted().all(&db).await?, vec![second]);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn upsert_update_all_sets_every_column_but_the_conflict_key(db: Db) -> Result<()> {
    let first = User::insert(new_user("all@example.com", "Before"))
        .one(&db)
        .await?;
    let second = User::upsert(NewUser {
        is_active: Some(false),
        ..new_user("all@example.com", "After")
    })
    .on_conflict(User::email)
    .update_all()
    .one(&db)
    .await?;
    assert_eq!(second.id, first.id);
    assert_eq!((second.name.as_str(), second.is_active), ("After", false));
    assert_eq!(User::find(first.id).one(&db).await?, second);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn upsert_on_email_inserts_a_new_live_row_beside_a_soft_deleted_holder(db: Db) -> Result<()> {
    let old = User::insert(new_user("back@example.com", "Old"))
        .one(&db)
        .await?;
    let old = User::soft_delete(old.id).one(&db).await?;

    // The unique index covers live rows only, so the deleted row does not conflict.
    let new = User::upsert(new_user("back@example.com", "New"))
        .on_conflict(User::email)
        .update((User::name,))
        .one(&db)
        .await?;
    assert_ne!(new.id, old.id);
    assert_eq!(new.deleted_at, None);

    let rows = User::select()
        .with_deleted()
        .filter(User::email.eq("back@example.com"))
        .count(&db)
        .await?;
    assert_eq!(rows, 2);
    assert_eq!(User::find(old.id).with_deleted().one(&db).await?, old);
    assert_eq!(User::select().all(&db).await?, vec![new]);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn upsert_on_primary_key_leaves_a_soft_deleted_row_deleted_and_returns_nothing(
    db: Db,
) -> Result<()> {
    let user = User::insert(new_user("pk@example.com", "Old"))
        .one(&db)
        .await?;
    let deleted = User::soft_delete(user.id).one(&db).await?;

    let upserted = User::upsert(NewUser {
        id: Some(user.id),
        ..new_user("pk@example.com", "New")
    })
    .on_conflict(User::id)
    .update((User::name,))
    .optional(&db)
    .await?;
    assert_eq!(upserted, None);

    assert_eq!(User::find(user.id).with_deleted().one(&db).await?, deleted);
    assert_eq!(User::select().with_deleted().count(&db).await?, 1);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn upsert_revive_brings_a_soft_deleted_row_back_with_the_new_values(db: Db) -> Result<()> {
    let user = User::insert(new_user("revive@example.com", "Old"))
        .one(&db)
        .await?;
    let deleted = User::soft_delete(user.id).one(&db).await?;

    let revived = User::upsert(NewUser {
        id: Some(user.id),
        ..new_user("revive@example.com", "New")
    })
    .on_conflict(User::id)
    .update((User::name,))
    .revive()
    .one(&db)
    .await?;
    assert_eq!(revived.id, user.id);
    assert_eq!(revived.name, "New");
    assert_eq!(revived.deleted_at, None);
    assert_eq!(revived.created_at, user.created_at);
    assert!(revived.updated_at > deleted.updated_at);

    assert_eq!(User::find(user.id).one(&db).await?, revived);
    assert_eq!(User::select().with_deleted().count(&db).await?, 1);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn upsert_revive_updates_a_live_row_like_a_plain_upsert(db: Db) -> Result<()> {
    let user = User::insert(new_user("live@example.com", "Old"))
        .one(&db)
        .await?;
    let updated = User::upsert(NewUser {
        id: Some(user.id),
        ..new_user("live@example.com", "New")
    })
    .on_conflict(User::id)
    .update((User::name,))
    .revive()
    .one(&db)
    .await?;
    assert_eq!((updated.id, updated.name.as_str()), (user.id, "New"));
    assert_eq!(updated.deleted_at, None);
    assert_eq!(User::select().with_deleted().count(&db).await?, 1);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn upsert_do_nothing_returns_none_on_conflict_and_leaves_the_row(db: Db) -> Result<()> {
    let user = User::insert(new_user("keep@example.com", "Keep"))
        .one(&db)
        .await?;

    let skipped = User::upsert(new_user("keep@example.com", "Other"))
        .on_conflict(User::email)
        .do_nothing()
        .optional(&db)
        .await?;
    assert_eq!(skipped, None);
    assert_eq!(User::select().with_deleted().all(&db).await?, vec![user]);

    let inserted = User::upsert(new_user("fresh@example.com", "Fresh"))
        .on_conflict(User::email)
        .do_nothing()
        .optional(&db)
        .await?;
    let Some(inserted) = inserted else {
        panic!("do_nothing without a conflict inserted nothing");
    };
    assert_eq!(User::find(inserted.id).one(&db).await?, inserted);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn upsert_many_with_half_conflicting_returns_every_row_and_keeps_the_union(
    db: Db,
) -> Result<()> {
    let existing = User::insert_many([
        new_user("a@example.com", "A"),
        new_user("b@example.com", "B"),
    ])
    .all(&db)
    .await?;

    let batch = ["a", "b", "c", "d"].map(|k| new_user(&format!("{k}@example.com"), "Batch"));
    let mut returned = User::upsert_many(batch)
        .on_conflict(User::email)
        .update((User::name,))
        .all(&db)
        .await?;
    returned.sort_by(|x, y| x.email.cmp(&y.email));
    let emails: Vec<_> = returned.iter().map(|u| u.email.as_str()).collect();
    assert_eq!(
        emails,
        [
            "a@example.com",
            "b@example.com",
            "c@example.com",
            "d@example.com"
        ]
    );
    assert!(returned.iter().all(|u| u.name == "Batch"));
    // The conflicting rows kept their ids.
    assert_eq!(returned[0].id, existing[0].id);
    assert_eq!(returned[1].id, existing[1].id);

    let mut stored = User::select().with_deleted().all(&db).await?;
    stored.sort_by(|x, y| x.email.cmp(&y.email));
    assert_eq!(stored, returned);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn upsert_on_a_composite_primary_key_updates_only_the_matching_pair(db: Db) -> Result<()> {
    let (org, ada, bob) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    let member = |user_id, role: &str| NewFxMembership {
        org_id: org,
        user_id,
        role: role.into(),
    };
    let first = FxMembership::insert(member(ada, "member")).one(&db).await?;
    let bobs = FxMembership::insert(member(bob, "member")).one(&db).await?;

    let promoted = FxMembership::upsert(member(ada, "admin"))
        .on_conflict((FxMembership::org_id, FxMembership::user_id))
        .update(FxMembership::role)
        .one(&db)
        .await?;
    assert_eq!((promoted.org_id, promoted.user_id), (org, ada));
    assert_eq!(promoted.role, "admin");
    assert_eq!(promoted.created_at, first.created_at);
    assert!(promoted.updated_at > first.updated_at);

    let other_org = Uuid::new_v4();
    let elsewhere = FxMembership::upsert(NewFxMembership {
        org_id: other_org,
        ..member(ada, "viewer")
    })
    .on_conflict((FxMembership::org_id, FxMembership::user_id))
    .update(FxMembership::role)
    .one(&db)
    .await?;
    assert_eq!(elsewhere.role, "viewer");

    assert_eq!(FxMembership::find((org, ada)).one(&db).await?, promoted);
    assert_eq!(FxMembership::find((org, bob)).one(&db).await?, bobs);
    assert_eq!(
        FxMembership::find((other_org, ada)).one(&db).await?,
        elsewhere
    );
    assert_eq!(FxMembership::select().count(&db).await?, 3);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn upsert_outcomes_tell_inserted_rows_from_updated_ones(db: Db) -> Result<()> {
    User::insert(new_user("a@x.io", "A")).one(&db).await?;
    User::insert(new_user("b@x.io", "B")).one(&db).await?;
    let before = db.statements_executed();
    let outcomes =
        User::upsert_many(["a@x.io", "c@x.io", "b@x.io", "d@x.io"].map(|e| new_user(e, "renamed")))
            .on_conflict(User::email)
            .update((User::name,))
            .outcomes(&db)
            .await?;
    assert_eq!(db.statements_executed() - before, 1);
    let mut seen: Vec<(String, buster_db::query::Written)> =
        outcomes.into_iter().map(|(u, w)| (u.email, w)).collect();
    seen.sort_by(|a, b| a.0.cmp(&b.0));
    use buster_db::query::Written::{Inserted, Updated};
    assert_eq!(
        seen,
        vec![
            ("a@x.io".to_string(), Updated),
            ("b@x.io".to_string(), Updated),
            ("c@x.io".to_string(), Inserted),
            ("d@x.io".to_string(), Inserted),
        ]
    );
    assert_eq!(
        User::select()
            .filter(User::name.eq("renamed"))
            .count(&db)
            .await?,
        4
    );
    Ok(())
}
