//! Joins: typed inner and left joins, soft delete inside joins, aliases.

use buster_db::prelude::*;
use buster_db::{DateTime, Utc, Uuid};
use buster_db_tests::{NewUser, User};

#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "jx_orgs")]
pub struct Org {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub name: String,
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "jx_members", primary_key(user_id, org_id))]
pub struct Member {
    pub user_id: Uuid,
    pub org_id: Uuid,
    #[column(default = "'member'")]
    pub role: String,
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "jx_posts")]
pub struct Post {
    #[column(primary_key, default = "nextval('jx_posts_id_seq')")]
    pub id: i64,
    pub author_id: Uuid,
    pub reviewer_id: Option<Uuid>,
    pub title: String,
    #[column(default = "0")]
    pub score: i32,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

buster_db::alias!(Reviewer = "reviewer");

async fn user(db: &Db, name: &str) -> User {
    User::insert(NewUser::new(format!("{name}@x.io"), name.into()))
        .one(db)
        .await
        .unwrap()
}

async fn org(db: &Db, name: &str) -> Org {
    Org::insert(NewOrg {
        id: None,
        name: name.into(),
    })
    .one(db)
    .await
    .unwrap()
}

async fn member(db: &Db, u: &User, o: &Org) -> Member {
    Member::insert(NewMember {
        user_id: u.id,
        org_id: o.id,
        role: None,
    })
    .one(db)
    .await
    .unwrap()
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "join_fixtures")]
async fn inner_join_returns_pairs_and_hides_deleted_rows_of_every_table(db: Db) {
    let ada = user(&db, "ada").await;
    let bob = user(&db, "bob").await;
    let acme = org(&db, "acme").await;
    let initech = org(&db, "initech").await;
    member(&db, &ada, &acme).await;
    member(&db, &ada, &initech).await;
    member(&db, &bob, &acme).await;

    let q = User::select()
        .inner_join(Member::table(), Member::user_id.eq_col(User::id))
        .inner_join(Org::table(), Org::id.eq_col(Member::org_id))
        .filter(User::id.eq(ada.id))
        .order_by(Org::name.asc());
    assert_eq!(
        q.to_sql().text,
        "SELECT \"users\".\"id\", \"users\".\"email\", \"users\".\"name\", \"users\".\"is_active\", \"users\".\"created_at\", \"users\".\"updated_at\", \"users\".\"deleted_at\", \"jx_members\".\"user_id\", \"jx_members\".\"org_id\", \"jx_members\".\"role\", \"jx_members\".\"created_at\", \"jx_members\".\"updated_at\", \"jx_members\".\"deleted_at\", \"jx_orgs\".\"id\", \"jx_orgs\".\"name\", \"jx_orgs\".\"created_at\", \"jx_orgs\".\"updated_at\", \"jx_orgs\".\"deleted_at\" FROM \"users\" INNER JOIN \"jx_members\" ON \"jx_members\".\"user_id\" = \"users\".\"id\" AND \"jx_members\".\"deleted_at\" IS NULL INNER JOIN \"jx_orgs\" ON \"jx_orgs\".\"id\" = \"jx_members\".\"org_id\" AND \"jx_orgs\".\"deleted_at\" IS NULL WHERE \"users\".\"id\" = $1 AND \"users\".\"deleted_at\" IS NULL ORDER BY \"jx_orgs\".\"name\""
    );
    let rows: Vec<(User, Member, Org)> = q.all(&db).await.unwrap();
    let names: Vec<_> = rows.iter().map(|(_, _, o)| o.name.as_str()).collect();
    assert_eq!(names, ["acme", "initech"]);
    assert!(
        rows.iter()
            .all(|(u, m, _)| u.id == ada.id && m.user_id == ada.id)
    );

    // A deleted organization and a deleted membership vanish from the join.
    Org::soft_delete(initech.id).one(&db).await.unwrap();
    Member::soft_delete((bob.id, acme.id))
        .one(&db)
        .await
        .unwrap();
    let rows = User::select()
        .inner_join(Member::table(), Member::user_id.eq_col(User::id))
        .inner_join(Org::table(), Org::id.eq_col(Member::org_id))
        .all(&db)
        .await
        .unwrap();
    let pairs: Vec<_> = rows
        .iter()
        .map(|(u, _, o)| (u.name.as_str(), o.name.as_str()))
        .collect();
    assert_eq!(pairs, [("ada", "acme")]);
    let bob_in_a_live_org = User::select()
        .inner_join(Member::table(), Member::user_id.eq_col(User::id))
        .inner_join(Org::table(), Org::id.eq_col(Member::org_id))
        .filter(User::id.eq(bob.id));
    assert!(!bob_in_a_live_org.exists(&db).await.unwrap());

    // Opting in for one table brings its deleted rows back, and only those.
    let with_deleted_orgs = User::select()
        .inner_join(Member::table(), Member::user_id.eq_col(User::id))
        .inner_join(Org::table(), Org::id.eq_col(Member::org_id))
        .with_deleted(Org::table())
        .count(&db)
        .await
        .unwrap();
    assert_eq!(with_deleted_orgs, 2);
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "join_fixtures")]
async fn left_join_keeps_the_left_row_when_the_right_row_is_soft_deleted(db: Db) {
    let ada = user(&db, "ada").await;
    let bob = user(&db, "bob").await;
    let acme = org(&db, "acme").await;
    member(&db, &ada, &acme).await;
    member(&db, &bob, &acme).await;
    Member::soft_delete((bob.id, acme.id))
        .one(&db)
        .await
        .unwrap();

    let rows: Vec<(User, Option<Member>)> = User::select()
        .left_join(Member::table(), Member::user_id.eq_col(User::id))
        .order_by(User::name.asc())
        .all(&db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].0.name, "ada");
    assert_eq!(rows[0].1.as_ref().map(|m| m.org_id), Some(acme.id));
    assert_eq!(rows[1].0.name, "bob");
    assert_eq!(rows[1].1, None);
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "join_fixtures")]
async fn the_same_table_joins_twice_through_an_alias(db: Db) {
    let ada = user(&db, "ada").await;
    let bob = user(&db, "bob").await;
    for (title, reviewer) in [("draft", None), ("final", Some(bob.id))] {
        Post::insert(NewPost {
            id: None,
            author_id: ada.id,
            reviewer_id: reviewer,
            title: title.into(),
            score: None,
        })
        .one(&db)
        .await
        .unwrap();
    }
    let reviewer = User::alias(Reviewer);
    let rows: Vec<(Post, User, Option<User>)> = Post::select()
        .inner_join(User::table(), User::id.eq_col(Post::author_id))
        .left_join(reviewer, reviewer.col(User::id).eq_col(Post::reviewer_id))
        .order_by(Post::title.asc())
        .all(&db)
        .await
        .unwrap();
    let got: Vec<_> = rows
        .iter()
        .map(|(p, a, r)| {
            (
                p.title.as_str(),
                a.name.as_str(),
                r.as_ref().map(|r| r.name.as_str()),
            )
        })
        .collect();
    assert_eq!(got, [("draft", "ada", None), ("final", "ada", Some("bob"))]);

    let reviewed_by_bob = Post::select()
        .inner_join(reviewer, reviewer.col(User::id).eq_col(Post::reviewer_id))
        .filter(reviewer.col(User::name).eq("bob"))
        .count(&db)
        .await
        .unwrap();
    assert_eq!(reviewed_by_bob, 1);
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "join_fixtures")]
async fn joined_queries_paginate_with_a_total(db: Db) {
    let ada = user(&db, "ada").await;
    for i in 0..5 {
        let o = org(&db, &format!("org{i}")).await;
        member(&db, &ada, &o).await;
    }
    let page = User::select()
        .inner_join(Member::table(), Member::user_id.eq_col(User::id))
        .inner_join(Org::table(), Org::id.eq_col(Member::org_id))
        .order_by(Org::name.asc())
        .paginate(2, 2, &db)
        .await
        .unwrap();
    assert_eq!(page.total, 5);
    assert!(page.has_more);
    let names: Vec<_> = page.items.iter().map(|(_, _, o)| o.name.as_str()).collect();
    assert_eq!(names, ["org2", "org3"]);
}
