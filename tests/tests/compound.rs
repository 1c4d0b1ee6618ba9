//! Subqueries (EXISTS, NOT EXISTS, IN) and UNION / UNION ALL, with soft delete applied inside.

use buster_db::prelude::*;
use buster_db::{DateTime, Utc, Uuid};
use buster_db_tests::{NewUser, User};

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

async fn user(db: &Db, name: &str) -> User {
    User::insert(NewUser::new(format!("{name}@x.io"), name.into()))
        .one(db)
        .await
        .unwrap()
}

async fn post(db: &Db, author: Uuid, reviewer: Option<Uuid>, title: &str, score: i32) -> Post {
    Post::insert(NewPost {
        id: None,
        author_id: author,
        reviewer_id: reviewer,
        title: title.into(),
        score: Some(score),
    })
    .one(db)
    .await
    .unwrap()
}

fn names(users: &[User]) -> Vec<&str> {
    users.iter().map(|u| u.name.as_str()).collect()
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "join_fixtures")]
async fn exists_and_not_exists_see_only_live_rows_of_the_subquery(db: Db) {
    let ada = user(&db, "ada").await;
    let bob = user(&db, "bob").await;
    let cy = user(&db, "cy").await;
    post(&db, ada.id, None, "a", 1).await;
    let gone = post(&db, bob.id, None, "b", 1).await;
    Post::soft_delete(gone.id).one(&db).await.unwrap();
    let _ = cy;

    let q = User::select()
        .filter(exists(Post::select(), Post::author_id.eq_col(User::id)))
        .order_by(User::name.asc());
    assert_eq!(
        q.to_sql().text,
        "SELECT \"users\".\"id\", \"users\".\"email\", \"users\".\"name\", \"users\".\"is_active\", \"users\".\"created_at\", \"users\".\"updated_at\", \"users\".\"deleted_at\" FROM \"users\" WHERE EXISTS (SELECT 1 FROM \"jx_posts\" WHERE \"jx_posts\".\"author_id\" = \"users\".\"id\" AND \"jx_posts\".\"deleted_at\" IS NULL) AND \"users\".\"deleted_at\" IS NULL ORDER BY \"users\".\"name\""
    );
    assert_eq!(names(&q.all(&db).await.unwrap()), ["ada"]);

    let without = User::select()
        .filter(not_exists(Post::select(), Post::author_id.eq_col(User::id)))
        .order_by(User::name.asc())
        .all(&db)
        .await
        .unwrap();
    assert_eq!(names(&without), ["bob", "cy"]);

    // The subquery's own filters apply too, with parameters numbered in order.
    let q = User::select()
        .filter(User::name.ne("zed"))
        .filter(exists(
            Post::select().filter(Post::score.gt(0)),
            Post::author_id.eq_col(User::id),
        ))
        .filter(User::is_active.eq(true));
    assert_eq!(q.to_sql().params, 3);
    assert_eq!(names(&q.all(&db).await.unwrap()), ["ada"]);
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "join_fixtures")]
async fn in_select_matches_values_of_a_one_column_subquery(db: Db) {
    let ada = user(&db, "ada").await;
    let bob = user(&db, "bob").await;
    let cy = user(&db, "cy").await;
    post(&db, ada.id, Some(bob.id), "a", 5).await;
    let gone = post(&db, ada.id, Some(cy.id), "b", 5).await;
    Post::soft_delete(gone.id).one(&db).await.unwrap();

    let reviewers = User::select()
        .filter(User::id.in_select(Post::select().column(Post::reviewer_id)))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(names(&reviewers), ["bob"]);

    let authors_of_good_posts = User::select()
        .filter(
            User::id.in_select(
                Post::select()
                    .column(Post::author_id)
                    .filter(Post::score.ge(5)),
            ),
        )
        .count(&db)
        .await
        .unwrap();
    assert_eq!(authors_of_good_posts, 1);

    let never_authors = User::select()
        .filter(User::id.not_in_select(Post::select().column(Post::author_id)))
        .order_by(User::name.asc())
        .all(&db)
        .await
        .unwrap();
    assert_eq!(names(&never_authors), ["bob", "cy"]);
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "join_fixtures")]
async fn a_union_orders_and_paginates_across_both_halves(db: Db) {
    let ada = user(&db, "ada").await;
    let bob = user(&db, "bob").await;
    // Ada wrote p0..p4; bob wrote q0..q4, of which ada reviews q1 and q3; one of ada's is deleted.
    for i in 0..5 {
        post(&db, ada.id, None, &format!("p{i}"), i).await;
        post(
            &db,
            bob.id,
            if i % 2 == 1 { Some(ada.id) } else { None },
            &format!("q{i}"),
            10 + i,
        )
        .await;
    }
    let p2 = Post::select()
        .filter(Post::title.eq("p2"))
        .one(&db)
        .await
        .unwrap();
    Post::soft_delete(p2.id).one(&db).await.unwrap();

    let mine = || {
        Post::select()
            .filter(Post::author_id.eq(ada.id))
            .union(Post::select().filter(Post::reviewer_id.eq(ada.id)))
            .order_by(Post::score.desc())
    };
    assert_eq!(
        mine().to_sql().text,
        "(SELECT \"jx_posts\".\"id\", \"jx_posts\".\"author_id\", \"jx_posts\".\"reviewer_id\", \"jx_posts\".\"title\", \"jx_posts\".\"score\", \"jx_posts\".\"deleted_at\" FROM \"jx_posts\" WHERE \"jx_posts\".\"author_id\" = $1 AND \"jx_posts\".\"deleted_at\" IS NULL) UNION (SELECT \"jx_posts\".\"id\", \"jx_posts\".\"author_id\", \"jx_posts\".\"reviewer_id\", \"jx_posts\".\"title\", \"jx_posts\".\"score\", \"jx_posts\".\"deleted_at\" FROM \"jx_posts\" WHERE \"jx_posts\".\"reviewer_id\" = $2 AND \"jx_posts\".\"deleted_at\" IS NULL) ORDER BY \"score\" DESC"
    );
    let all: Vec<_> = mine().all(&db).await.unwrap();
    let titles: Vec<_> = all.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(titles, ["q3", "q1", "p4", "p3", "p1", "p0"]);

    let page = mine().paginate(2, 4, &db).await.unwrap();
    assert_eq!(page.total, 6);
    assert!(!page.has_more);
    let titles: Vec<_> = page.items.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(titles, ["p1", "p0"]);

    // UNION ALL keeps duplicates: a post both written and reviewed by ada appears twice.
    post(&db, ada.id, Some(ada.id), "self", 99).await;
    let twice = Post::select()
        .filter(Post::author_id.eq(ada.id))
        .union_all(Post::select().filter(Post::reviewer_id.eq(ada.id)))
        .count(&db)
        .await
        .unwrap();
    assert_eq!(twice, 8);
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "join_fixtures")]
async fn a_union_answers_one_optional_and_exists_like_any_read(db: Db) {
    let ada = user(&db, "ada").await;
    post(&db, ada.id, None, "low", 1).await;
    post(&db, ada.id, Some(ada.id), "high", 9).await;
    let gone = post(&db, ada.id, Some(ada.id), "gone", 20).await;
    Post::soft_delete(gone.id).one(&db).await.unwrap();

    let of = |author: Uuid| {
        Post::select()
            .filter(Post::author_id.eq(author))
            .union(Post::select().filter(Post::reviewer_id.eq(author)))
            .order_by(Post::score.desc())
    };
    assert_eq!(of(ada.id).one(&db).await.unwrap().title, "high");
    assert!(of(ada.id).exists(&db).await.unwrap());
    assert_eq!(of(ada.id).count(&db).await.unwrap(), 2);

    let nobody = Uuid::new_v4();
    assert_eq!(of(nobody).optional(&db).await.unwrap(), None);
    assert!(!of(nobody).exists(&db).await.unwrap());
    let missing = of(nobody).one(&db).await.err();
    assert_eq!(
        missing.as_ref().map(|e| (e.kind(), e.table())),
        Some((buster_db::ErrorKind::NotFound, Some("jx_posts")))
    );
}
