// A `having` on a column the query neither groups by nor aggregates (PostgreSQL: "must appear
// in the GROUP BY clause or be used in an aggregate function").
use buster_db::prelude::*;
use buster_db::{Table, Uuid};

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
    let _ = Post::select()
        .columns((Post::author_id, count_all()))
        .group_by(Post::author_id)
        .having(Post::score.gt(3));
}
