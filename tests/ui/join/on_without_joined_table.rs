// Join conditions that never read the table being joined: a condition on the first table
// alone, and one relating the two tables already in the query while joining a third.
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
}

#[derive(Table)]
#[table(name = "comments")]
pub struct Comment {
    #[column(primary_key)]
    pub id: i64,
    pub post_id: i64,
    pub author_id: Uuid,
}

fn main() {
    let _ = User::select().inner_join(Post::table(), User::name.eq("ann"));
    let _ = User::select()
        .inner_join(Post::table(), Post::author_id.eq_col(User::id))
        .left_join(Comment::table(), Post::author_id.eq_col(User::id));
}
