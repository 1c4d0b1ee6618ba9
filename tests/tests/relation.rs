//! Relations declared on the derive, loaded for many parents with one statement per relation.

use buster_db::prelude::*;
use buster_db::{DateTime, Utc, Uuid};

#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(
    name = "users",
    columns = "parent_users",
    has_one(profile = jx_profiles::user_id),
    has_many(memberships = jx_members::user_id),
    has_many(notes = jx_notes::user_id),
    many_to_many(orgs = Org, through(jx_members::user_id, jx_members::org_id))
)]
pub struct User {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    #[column(unique)]
    pub email: String,
    pub name: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "jx_orgs")]
pub struct Org {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub name: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "jx_members", primary_key(user_id, org_id))]
pub struct Member {
    pub user_id: Uuid,
    pub org_id: Uuid,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "jx_profiles")]
pub struct Profile {
    #[column(primary_key)]
    pub user_id: Uuid,
    pub bio: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A child whose key column may be NULL: such a child belongs to no parent.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "jx_notes")]
pub struct Note {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub user_id: Option<Uuid>,
    pub body: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// `n` users, `{prefix}000`, `{prefix}001`, …, as inserted.
async fn insert_users(db: &Db, prefix: &str, n: usize) -> Vec<User> {
    User::insert_many((0..n).map(|i| NewUser {
        id: None,
        email: format!("{prefix}{i:03}@x.io"),
        name: format!("{prefix}{i:03}"),
    }))
    .all(db)
    .await
    .unwrap()
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "join_fixtures")]
async fn a_has_many_over_a_nullable_key_reads_the_key_from_the_child_row(db: Db) {
    let users = insert_users(&db, "n", 3).await;
    let note = |user: Option<Uuid>, body: &str| NewNote {
        id: None,
        user_id: user,
        body: body.to_owned(),
    };
    Note::insert_many([
        note(Some(users[0].id), "first of n0"),
        note(Some(users[2].id), "only of n2"),
        note(None, "nobody's"),
        note(Some(users[0].id), "second of n0"),
    ])
    .execute(&db)
    .await
    .unwrap();

    let notes = User::notes().load(&users, &db).await.unwrap();
    let bodies: Vec<Vec<&str>> = notes
        .iter()
        .map(|n| {
            let mut b: Vec<&str> = n.iter().map(|n| n.body.as_str()).collect();
            b.sort_unstable();
            b
        })
        .collect();
    assert_eq!(
        bodies,
        vec![
            vec!["first of n0", "second of n0"],
            vec![],
            vec!["only of n2"]
        ]
    );
    for (user, notes) in users.iter().zip(&notes) {
        assert!(notes.iter().all(|n| n.user_id == Some(user.id)));
    }
    // The key is one of the child's own columns: selected once, filtered on once.
    let sql = User::notes().to_sql();
    assert_eq!(sql.matches("\"jx_notes\".\"user_id\"").count(), 2, "{sql}");
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "join_fixtures")]
async fn loading_relations_of_100_parents_takes_one_statement_per_relation(db: Db) {
    let users = insert_users(&db, "u", 100).await;
    let orgs = Org::insert_many((0..3).map(|i| NewOrg {
        id: None,
        name: format!("org{i}"),
    }))
    .all(&db)
    .await
    .unwrap();
    // User i belongs to org (i % 3) and, when i is even, to org 0 as well.
    let mut links = Vec::new();
    for (i, u) in users.iter().enumerate() {
        links.push(NewMember {
            user_id: u.id,
            org_id: orgs[i % 3].id,
        });
        if i % 2 == 0 && i % 3 != 0 {
            links.push(NewMember {
                user_id: u.id,
                org_id: orgs[0].id,
            });
        }
    }
    Member::insert_many(links).execute(&db).await.unwrap();
    Profile::insert_many(users.iter().step_by(10).map(|u| NewProfile {
        user_id: u.id,
        bio: format!("bio of {}", u.name),
    }))
    .execute(&db)
    .await
    .unwrap();
    // Deleted rows stay out: a deleted org, a deleted membership, a deleted profile.
    Org::soft_delete(orgs[2].id).one(&db).await.unwrap();
    Member::soft_delete((users[1].id, orgs[1].id))
        .one(&db)
        .await
        .unwrap();
    Profile::soft_delete(users[10].id).one(&db).await.unwrap();

    let before = db.statements_executed();
    let memberships = User::memberships().load(&users, &db).await.unwrap();
    let user_orgs = User::orgs().load(&users, &db).await.unwrap();
    let profiles = User::profile().load(&users, &db).await.unwrap();
    assert_eq!(
        db.statements_executed() - before,
        3,
        "one statement per relation"
    );

    assert_eq!(memberships.len(), 100);
    assert_eq!(user_orgs.len(), 100);
    assert_eq!(profiles.len(), 100);
    for (i, u) in users.iter().enumerate() {
        let mut expected: Vec<&str> = Vec::new();
        if i % 3 != 2 && i != 1 {
            expected.push(["org0", "org1", "org2"][i % 3]);
        }
        if i % 2 == 0 && i % 3 != 0 {
            expected.push("org0");
        }
        expected.sort();
        let mut got: Vec<&str> = user_orgs[i].iter().map(|o| o.name.as_str()).collect();
        got.sort();
        assert_eq!(got, expected, "organizations of user {i}");
        assert!(memberships[i].iter().all(|m| m.user_id == u.id));
        let expected_profile = i % 10 == 0 && i != 10;
        assert_eq!(
            profiles[i].is_some(),
            expected_profile,
            "profile of user {i}"
        );
        if let Some(p) = &profiles[i] {
            assert_eq!(p.user_id, u.id);
        }
    }
    // users[1]'s only membership was deleted.
    assert!(memberships[1].is_empty());
    // with_deleted brings the deleted membership back.
    let all = User::memberships()
        .with_deleted()
        .load(&users[..2], &db)
        .await
        .unwrap();
    assert_eq!(all[1].len(), 1);

    // No parents, no statement.
    let before = db.statements_executed();
    assert!(User::orgs().load(&[], &db).await.unwrap().is_empty());
    assert_eq!(db.statements_executed(), before);
}

#[test]
fn relation_sql_binds_all_parent_keys_as_one_array() {
    assert_eq!(
        User::orgs().to_sql(),
        "SELECT \"jx_orgs\".\"id\", \"jx_orgs\".\"name\", \"jx_orgs\".\"deleted_at\", \"jx_members\".\"user_id\" FROM \"jx_orgs\" INNER JOIN \"jx_members\" ON \"jx_members\".\"org_id\" = \"jx_orgs\".\"id\" AND \"jx_members\".\"deleted_at\" IS NULL WHERE \"jx_members\".\"user_id\" = ANY($1) AND \"jx_orgs\".\"deleted_at\" IS NULL ORDER BY \"jx_orgs\".\"id\""
    );
}
