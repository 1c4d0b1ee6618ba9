// A column selected next to an aggregate in a query with no `group_by` (PostgreSQL: "must
// appear in the GROUP BY clause or be used in an aggregate function").
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
        .columns((Post::title, count_all()))
        .to_sql();
}
