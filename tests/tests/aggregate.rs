//! Column subsets, aggregates with GROUP BY / HAVING, DISTINCT and DISTINCT ON.

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

async fn post(db: &Db, author: &User, title: &str, score: i32, reviewer: Option<Uuid>) -> Post {
    Post::insert(NewPost {
        id: None,
        author_id: author.id,
        reviewer_id: reviewer,
        title: title.into(),
        score: Some(score),
    })
    .one(db)
    .await
    .unwrap()
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "join_fixtures")]
async fn a_column_subset_decodes_into_a_tuple_of_the_column_types(db: Db) {
    let ada = user(&db, "ada").await;
    let q = User::select()
        .columns((User::id, User::email))
        .filter(User::name.eq("ada"));
    assert_eq!(
        q.to_sql().text,
        "SELECT \"users\".\"id\", \"users\".\"email\" FROM \"users\" WHERE \"users\".\"name\" = $1 AND \"users\".\"deleted_at\" IS NULL"
    );
    let rows: Vec<(Uuid, String)> = q.all(&db).await.unwrap();
    assert_eq!(rows, vec![(ada.id, "ada@x.io".to_string())]);

    let emails: Vec<String> = User::select().column(User::email).all(&db).await.unwrap();
    assert_eq!(emails, ["ada@x.io"]);
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "join_fixtures")]
async fn columns_of_a_left_joined_table_come_back_as_options(db: Db) {
    let ada = user(&db, "ada").await;
    let bob = user(&db, "bob").await;
    post(&db, &ada, "hello", 3, None).await;
    let rows: Vec<(String, Option<String>)> = User::select()
        .left_join(Post::table(), Post::author_id.eq_col(User::id))
        .columns((User::name, Post::title))
        .order_by(User::name.asc())
        .all(&db)
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![
            ("ada".to_string(), Some("hello".to_string())),
            ("bob".to_string(), None)
        ]
    );
    let _ = bob;
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "join_fixtures")]
async fn aggregates_group_and_filter_with_having_and_skip_deleted_rows(db: Db) {
    let ada = user(&db, "ada").await;
    let bob = user(&db, "bob").await;
    let cy = user(&db, "cy").await;
    post(&db, &ada, "a1", 5, None).await;
    post(&db, &ada, "a2", 7, Some(bob.id)).await;
    let gone = post(&db, &ada, "a3", 100, None).await;
    Post::soft_delete(gone.id).one(&db).await.unwrap();
    post(&db, &bob, "b1", 1, None).await;
    let _ = cy;

    let q = Post::select()
        .columns((
            Post::author_id,
            count_all(),
            Post::score.sum(),
            Post::score.min(),
            Post::score.max(),
            Post::score.avg(),
            Post::reviewer_id.count(),
        ))
        .group_by(Post::author_id)
        .having(count_all().ge(2));
    assert_eq!(
        q.to_sql().text,
        "SELECT \"jx_posts\".\"author_id\", count(*), sum(\"jx_posts\".\"score\"), min(\"jx_posts\".\"score\"), max(\"jx_posts\".\"score\"), avg(\"jx_posts\".\"score\")::double precision, count(\"jx_posts\".\"reviewer_id\") FROM \"jx_posts\" WHERE \"jx_posts\".\"deleted_at\" IS NULL GROUP BY \"jx_posts\".\"author_id\" HAVING count(*) >= $1"
    );
    let rows = q.all(&db).await.unwrap();
    assert_eq!(
        rows,
        vec![(
            ada.id,
            2_i64,
            Some(12_i64),
            Some(5_i32),
            Some(7_i32),
            Some(6.0_f64),
            1_i64
        )]
    );

    // Aggregates over no rows: count is 0, the others are None.
    let (n, total, low) = Post::select()
        .columns((count_all(), Post::score.sum(), Post::score.min()))
        .filter(Post::title.eq("nothing"))
        .one(&db)
        .await
        .unwrap();
    assert_eq!((n, total, low), (0, None, None));

    // Having on a column aggregate, grouped over a join.
    let busy: Vec<(String, i64)> = User::select()
        .inner_join(Post::table(), Post::author_id.eq_col(User::id))
        .columns((User::name, Post::id.count()))
        .group_by(User::name)
        .having(Post::id.count().gt(1))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(busy, vec![("ada".to_string(), 2)]);
    // The number of groups.
    let groups = Post::select()
        .columns((Post::author_id, count_all()))
        .group_by(Post::author_id)
        .count(&db)
        .await
        .unwrap();
    assert_eq!(groups, 2);
    // Whether any group passes `having`: the grouped rows, inside `EXISTS`.
    let busy_authors = || {
        Post::select()
            .columns((Post::author_id, count_all()))
            .group_by(Post::author_id)
    };
    assert!(
        busy_authors()
            .having(count_all().ge(2))
            .exists(&db)
            .await
            .unwrap()
    );
    assert!(
        !busy_authors()
            .having(count_all().ge(3))
            .exists(&db)
            .await
            .unwrap()
    );
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "join_fixtures")]
async fn distinct_and_distinct_on(db: Db) {
    let ada = user(&db, "ada").await;
    let bob = user(&db, "bob").await;
    post(&db, &ada, "x", 1, None).await;
    post(&db, &ada, "y", 9, None).await;
    post(&db, &bob, "z", 4, None).await;

    let authors: Vec<Uuid> = Post::select()
        .column(Post::author_id)
        .distinct()
        .order_by(Post::author_id.asc())
        .all(&db)
        .await
        .unwrap();
    let mut expected = vec![ada.id, bob.id];
    expected.sort();
    assert_eq!(authors, expected);

    // The best post of each author.
    let best: Vec<Post> = Post::select()
        .order_by(Post::author_id.asc())
        .order_by(Post::score.desc())
        .distinct_on(Post::author_id)
        .all(&db)
        .await
        .unwrap();
    let mut titles: Vec<_> = best.iter().map(|p| p.title.as_str()).collect();
    titles.sort();
    assert_eq!(titles, ["y", "z"]);
}

#[derive(buster_db::Record, Debug, PartialEq)]
struct AuthorStats {
    author_id: Uuid,
    posts: i64,
    best: Option<i32>,
}

#[derive(buster_db::Record, Debug, PartialEq)]
struct Email {
    email: String,
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "join_fixtures")]
async fn a_column_subset_reads_into_a_record_struct(db: Db) {
    let ada = user(&db, "ada").await;
    post(&db, &ada, "a", 3, None).await;
    post(&db, &ada, "b", 8, None).await;
    let stats: Vec<AuthorStats> = Post::select()
        .columns((Post::author_id, count_all(), Post::score.max()))
        .group_by(Post::author_id)
        .all_as(&db)
        .await
        .unwrap();
    assert_eq!(
        stats,
        vec![AuthorStats {
            author_id: ada.id,
            posts: 2,
            best: Some(8)
        }]
    );
    let email: Email = User::select()
        .column(User::email)
        .one_as(&db)
        .await
        .unwrap();
    assert_eq!(email.email, "ada@x.io");
}
