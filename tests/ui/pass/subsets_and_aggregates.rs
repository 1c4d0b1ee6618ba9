// Column subsets, of one table or across joins, and aggregates with `group_by` and `having`.
use buster_db::prelude::*;
use buster_db::{DateTime, Table, Utc, Uuid};

#[derive(Table, Debug)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    #[column(unique)]
    pub email: String,
    pub name: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Table, Debug)]
#[table(name = "posts")]
pub struct Post {
    #[column(primary_key)]
    pub id: i64,
    pub author_id: Uuid,
    pub reviewer_id: Option<Uuid>,
    pub title: String,
    pub score: i32,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Table, Debug)]
#[table(name = "comments")]
pub struct Comment {
    #[column(primary_key)]
    pub id: i64,
    pub post_id: i64,
    pub body: String,
}

async fn subsets(db: &Db) -> buster_db::Result<()> {
    let emails: Vec<(Uuid, String)> = User::select()
        .columns((User::id, User::email))
        .filter(User::name.eq("ada"))
        .all(db)
        .await?;
    let names: Vec<String> = User::select().column(User::name).distinct().all(db).await?;
    let titles: Vec<(String, Option<String>)> = Post::select()
        .left_join(Comment::table(), Comment::post_id.eq_col(Post::id))
        .columns((Post::title, Comment::body))
        .order_by(Comment::body.asc())
        .all(db)
        .await?;
    let whole: Vec<(User, i64)> = User::select()
        .inner_join(Post::table(), Post::author_id.eq_col(User::id))
        .columns((User::table(), Post::id))
        .all(db)
        .await?;
    let _ = (emails, names, titles, whole);
    Ok(())
}

async fn aggregates(db: &Db) -> buster_db::Result<()> {
    let per_author: Vec<(Uuid, i64, Option<i64>, Option<f64>, Option<i32>, i64)> = Post::select()
        .columns((
            Post::author_id,
            count_all(),
            Post::score.sum(),
            Post::score.avg(),
            Post::score.max(),
            Post::reviewer_id.count_distinct(),
        ))
        .group_by(Post::author_id)
        .having(count_all().ge(2))
        .having(Post::score.sum().gt(10_i64))
        .all(db)
        .await?;
    let busy: Vec<(String, i64)> = User::select()
        .inner_join(Post::table(), Post::author_id.eq_col(User::id))
        .columns((User::name, Post::id.count()))
        .group_by((User::id, User::name))
        .having(Post::id.count().gt(1))
        .all(db)
        .await?;
    let groups: i64 = Post::select()
        .columns((Post::author_id, count_all()))
        .group_by(Post::author_id)
        .count(db)
        .await?;
    // Aggregates alone need no `group_by`: one row for all the rows.
    let (posts, total): (i64, Option<i64>) = Post::select()
        .columns((count_all(), Post::score.sum()))
        .one(db)
        .await?;
    // `having` without `group_by`, on aggregates only.
    let any: bool = Post::select()
        .column(count_all())
        .having(count_all().ge(1))
        .exists(db)
        .await?;
    // `having` on a grouped column, next to an aggregate.
    let author = Uuid::nil();
    let one_author: Vec<(Uuid, i64)> = Post::select()
        .columns((Post::author_id, count_all()))
        .group_by((Post::author_id, Post::title))
        .having(Post::author_id.eq(author).and(count_all().ge(1)))
        .all(db)
        .await?;
    // A grouped query's selection in a subquery.
    let authors: Vec<User> = User::select()
        .filter(
            User::id.in_select(
                Post::select()
                    .column(Post::author_id)
                    .group_by(Post::author_id)
                    .having(count_all().ge(2)),
            ),
        )
        .all(db)
        .await?;
    let _ = (per_author, busy, groups, posts, total, any, one_author, authors);
    Ok(())
}

fn main() {
    let _ = (subsets, aggregates);
}
