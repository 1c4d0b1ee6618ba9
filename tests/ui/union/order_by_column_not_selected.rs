// A union ordered by a column its rows do not have: `posts.score` is not selected, and a
// union of whole `posts` rows has no column of `users`.
use buster_db::prelude::*;
use buster_db::{Table, Uuid};

#[derive(Table)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub name: String,
}

#[derive(Table)]
#[table(name = "posts")]
pub struct Post {
    #[column(primary_key)]
    pub id: i64,
    pub author_id: Uuid,
    pub title: String,
    pub score: i32,
}

fn main() {
    let titles = || Post::select().columns((Post::id, Post::title));
    let _ = titles().union(titles()).order_by(Post::score.desc());
    let _ = Post::select()
        .union(Post::select())
        .order_by(User::name.asc());
}
