// A `having` comparing `sum(posts.score)` (an `i64`) with a text value.
use buster_db::prelude::*;
use buster_db::{Table, Uuid};

#[derive(Table)]
#[table(name = "posts")]
pub struct Post {
    #[column(primary_key)]
    pub id: i64,
    pub author_id: Uuid,
    pub score: i32,
}

fn main() {
    let _ = Post::select()
        .columns((Post::author_id, Post::score.sum()))
        .group_by(Post::author_id)
        .having(Post::score.sum().gt("ten"));
}
