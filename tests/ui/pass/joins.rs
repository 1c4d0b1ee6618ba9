// Inner and left joins, a table joined twice through an alias, and soft delete per joined table.
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

buster_db::alias!(Reviewer = "reviewer");

async fn joins(db: &Db) -> buster_db::Result<()> {
    let rows: Vec<(User, Post, Option<Comment>)> = User::select()
        .inner_join(Post::table(), Post::author_id.eq_col(User::id))
        .left_join(Comment::table(), Comment::post_id.eq_col(Post::id))
        .filter(User::name.eq("ada").and(Post::score.gt(3)))
        .filter(Comment::body.like("%nice%"))
        .order_by(Post::title.asc())
        .with_deleted(Post::table())
        .all(db)
        .await?;
    let _ = rows;

    let reviewer = User::alias(Reviewer);
    let page: Page<(Post, User, Option<User>)> = Post::select()
        .inner_join(User::table(), User::id.eq_col(Post::author_id))
        .left_join(reviewer, reviewer.col(User::id).eq_col(Post::reviewer_id))
        .filter(reviewer.col(User::name).ne("bob"))
        .order_by(reviewer.col(User::email).desc())
        .only_deleted(reviewer)
        .paginate(1, 20, db)
        .await?;
    let _ = page;

    let first: Option<(Post, Comment)> = Post::select()
        .filter(Post::title.eq("hello"))
        .inner_join(Comment::table(), Comment::post_id.eq_col(Post::id))
        .optional(db)
        .await?;
    let _ = first;
    Ok(())
}

fn main() {
    let _ = joins;
}
