// `exists`, `not_exists` and `in_select` subqueries, and unions of selects with one row type.
use buster_db::prelude::*;
use buster_db::{DateTime, Page, Table, Utc, Uuid};

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

async fn subqueries(db: &Db) -> buster_db::Result<()> {
    let authors: Vec<User> = User::select()
        .filter(exists(
            Post::select().filter(Post::score.gt(0)),
            Post::author_id.eq_col(User::id),
        ))
        .filter(not_exists(Post::select(), Post::reviewer_id.eq_col(User::id)))
        .all(db)
        .await?;
    // `reviewer_id` is nullable: `Option<Uuid>` values compare with the `Uuid` key.
    let reviewers: i64 = User::select()
        .filter(User::id.in_select(Post::select().column(Post::reviewer_id)))
        .filter(User::id.not_in_select(Post::select().column(Post::author_id)))
        .count(db)
        .await?;
    // A correlated subquery inside a joined query may read every joined table.
    let commented: Vec<(User, Post)> = User::select()
        .inner_join(Post::table(), Post::author_id.eq_col(User::id))
        .filter(exists(Comment::select(), Comment::post_id.eq_col(Post::id)))
        .all(db)
        .await?;
    let _ = (authors, reviewers, commented);
    Ok(())
}

async fn unions(db: &Db, me: Uuid) -> buster_db::Result<()> {
    let page: Page<Post> = Post::select()
        .filter(Post::author_id.eq(me))
        .union(Post::select().filter(Post::reviewer_id.eq(me)))
        .union_all(Post::select().filter(Post::title.eq("pinned")))
        .order_by(Post::score.desc())
        .paginate(1, 20, db)
        .await?;
    let ids: Vec<Uuid> = Post::select()
        .column(Post::author_id)
        .union(User::select().column(User::id))
        .order_by(Post::author_id.asc())
        .all(db)
        .await?;
    // Ordered by a selected column of the first query, by its output name.
    let titles: Vec<(i64, String)> = Post::select()
        .columns((Post::id, Post::title))
        .union(Post::select().columns((Post::id, Post::title)))
        .order_by(Post::title.asc())
        .all(db)
        .await?;
    let _ = (page, ids, titles);
    Ok(())
}

fn main() {
    let _ = (subqueries, unions);
}
