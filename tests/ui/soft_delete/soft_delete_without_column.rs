// `soft_delete` on a table without a soft-delete column.
use buster_db::{Table, Uuid};

#[derive(Table)]
#[table(name = "posts")]
pub struct Post {
    #[column(primary_key)]
    pub id: i64,
    pub author_id: Uuid,
    pub title: String,
}

fn main() {
    let _ = Post::soft_delete(1);
}
