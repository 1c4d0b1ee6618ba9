//! Inserts: defaults filled by the server, explicit values kept, batches in one statement.

use buster_db::prelude::*;
use buster_db::{Result, Uuid};
use buster_db_tests::{
    FxAccount, FxTagged, NewFxTagged, NewUser, User, accounts, holds_accounts, new_user,
};

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn insert_fills_defaults_and_managed_columns(db: Db) -> Result<()> {
    let user = User::insert(new_user("ada@example.com", "Ada"))
        .one(&db)
        .await?;
    assert!(!user.id.is_nil());
    assert_eq!(user.email, "ada@example.com");
    assert_eq!(user.name, "Ada");
    assert!(user.is_active);
    assert_eq!(user.created_at, user.updated_at);
    assert_eq!(user.deleted_at, None);
    assert_eq!(User::find(user.id).one(&db).await?, user);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn insert_keeps_explicit_values_of_defaulted_columns(db: Db) -> Result<()> {
    let id = Uuid::new_v4();
    let user = User::insert(NewUser {
        id: Some(id),
        is_active: Some(false),
        ..new_user("grace@example.com", "Grace")
    })
    .one(&db)
    .await?;
    assert_eq!(user.id, id);
    assert!(!user.is_active);
    assert_eq!(User::find(id).one(&db).await?, user);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn insert_many_of_a_thousand_rows_is_one_statement_returning_rows_in_input_order(
    db: Db,
) -> Result<()> {
    let rows: Vec<NewUser> = (0..1000)
        .map(|i| NewUser {
            is_active: (i % 3 == 0).then_some(false),
            ..new_user(&format!("user{i:04}@example.com"), &format!("User {i}"))
        })
        .collect();
    let before = db.statements_executed();
    let inserted = User::insert_many(rows.clone()).all(&db).await?;
    assert_eq!(db.statements_executed(), before + 1);

    assert_eq!(inserted.len(), 1000);
    for (row, user) in rows.iter().zip(&inserted) {
        assert_eq!(user.email, row.email);
        assert_eq!(user.name, row.name);
        assert_eq!(user.is_active, row.is_active.unwrap_or(true));
    }
    assert_eq!(User::select().count(&db).await?, 1000);
    let inactive = User::select()
        .filter(User::is_active.eq(false))
        .count(&db)
        .await?;
    assert_eq!(inactive, 334);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn insert_many_of_zero_rows_sends_no_statement(db: Db) -> Result<()> {
    let before = db.statements_executed();
    let inserted = User::insert_many(Vec::<NewUser>::new()).all(&db).await?;
    assert!(inserted.is_empty());
    let affected = User::insert_many(Vec::<NewUser>::new())
        .execute(&db)
        .await?;
    assert_eq!(affected, 0);
    assert_eq!(db.statements_executed(), before);
    assert_eq!(User::select().with_deleted().count(&db).await?, 0);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn insert_many_keeps_explicit_ids_and_generates_missing_ones(db: Db) -> Result<()> {
    let id = Uuid::new_v4();
    let inserted = User::insert_many([
        NewUser {
            id: Some(id),
            ..new_user("given@example.com", "Given")
        },
        new_user("generated@example.com", "Generated"),
    ])
    .all(&db)
    .await?;
    assert_eq!(inserted.len(), 2);
    assert_eq!(inserted[0].id, id);
    assert!(!inserted[1].id.is_nil());
    assert_ne!(inserted[1].id, id);
    assert_eq!(User::find(id).one(&db).await?, inserted[0]);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn insert_many_on_a_table_with_an_array_column_stores_every_array(db: Db) -> Result<()> {
    let rows = vec![
        NewFxTagged {
            id: None,
            name: "two".into(),
            tags: vec!["red".into(), "blue".into()],
        },
        NewFxTagged {
            id: None,
            name: "none".into(),
            tags: vec![],
        },
        NewFxTagged {
            id: None,
            name: "odd".into(),
            tags: vec!["with,comma".into(), "{braces}".into(), "\"quoted\"".into()],
        },
    ];
    let before = db.statements_executed();
    let inserted = FxTagged::insert_many(rows.clone()).all(&db).await?;
    assert_eq!(db.statements_executed(), before + 1);

    assert_eq!(inserted.len(), 3);
    for (row, tagged) in rows.iter().zip(&inserted) {
        assert_eq!((&tagged.name, &tagged.tags), (&row.name, &row.tags));
        assert_eq!(FxTagged::find(tagged.id).one(&db).await?, *tagged);
    }
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn insert_one_on_a_table_with_an_array_column_stores_the_array(db: Db) -> Result<()> {
    let tagged = FxTagged::insert(NewFxTagged {
        id: None,
        name: "one".into(),
        tags: vec!["a".into(), "b".into(), "a".into()],
    })
    .one(&db)
    .await?;
    assert_eq!(tagged.tags, ["a", "b", "a"]);
    assert_eq!(FxTagged::find(tagged.id).one(&db).await?, tagged);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn insert_many_into_a_table_without_defaults_binds_one_array_per_column(
    db: Db,
) -> Result<()> {
    let rows = accounts(500, |id| -i64::from(id));
    let sql = FxAccount::insert_many(rows.clone()).to_sql();
    assert_eq!(sql.params, 2);
    assert!(
        sql.text.contains(r#"UNNEST($1::integer[], $2::bigint[])"#),
        "{}",
        sql.text
    );
    assert_eq!(FxAccount::insert_many(rows).execute(&db).await?, 500);
    assert!(holds_accounts(&db, 500, |id| -i64::from(id)).await?);
    Ok(())
}

/// The insert and update shapes print every field they have, as their fields hold them: a
/// column with a default as `Some(..)` / `None`, a patch's unset columns as `None`.
#[test]
fn the_insert_and_update_shapes_debug_as_their_fields() {
    use buster_db_tests::{FxTaskPatch, NewFxTask};
    let id = Uuid::from_u128(0x5e1);
    let row = NewFxTask {
        id: Some(id),
        title: "plan".into(),
        priority: 3,
        note: None,
        due_on: None,
    };
    assert_eq!(
        format!("{row:?}"),
        format!(
            "NewFxTask {{ id: Some({id:?}), title: \"plan\", priority: 3, note: None, due_on: None }}"
        )
    );
    let defaulted = NewFxTask {
        id: None,
        note: Some("soon".into()),
        ..row
    };
    assert_eq!(
        format!("{defaulted:?}"),
        "NewFxTask { id: None, title: \"plan\", priority: 3, note: Some(\"soon\"), due_on: None }"
    );
    let patch = FxTaskPatch {
        title: Some("ship".into()),
        note: Some(None),
        ..FxTaskPatch::default()
    };
    assert_eq!(
        format!("{patch:?}"),
        "FxTaskPatch { title: Some(\"ship\"), priority: None, note: Some(None), due_on: None }"
    );
    assert!(format!("{patch:#?}").contains("\n    title: Some(\n        \"ship\",\n    ),\n"));
}
