// The rows of a right join read as `(User, Post)`, though the right join makes `users` optional.
use buster_db::prelude::*;
use buster_db::{DateTime, Table, Utc, Uuid};

#[derive(Table)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub name: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Table)]
#[table(name = "posts")]
pub struct Post {
    #[column(primary_key)]
    pub id: i64,
    pub author_id: Option<Uuid>,
    pub title: String,
}

async fn posts_with_authors(db: &Db) -> buster_db::Result<Vec<(User, Post)>> {
    User::select()
        .right_join(Post::table(), Post::author_id.eq_col(User::id))
        .all(db)
        .await
}

fn main() {
    let _ = posts_with_authors;
}
