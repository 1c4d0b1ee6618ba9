// A lateral subquery whose rows do not have the column types it is named with.
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
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub author_id: Uuid,
    pub title: String,
}

#[derive(Table)]
#[table(name = "top_posts")]
pub struct TopPost {
    #[column(primary_key)]
    pub id: Uuid,
    pub title: String,
}

fn main() {
    // (title, id) where the lateral rows are (id, title).
    let _ = User::select().inner_join_lateral(buster_db::query::lateral::<TopPost, _, _, _, _>(
        Post::select().columns((Post::title, Post::id)).limit(3),
        Post::author_id.eq_col(User::id),
    ));
}
