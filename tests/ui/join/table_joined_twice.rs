// `users` joined a second time, by a left join after `posts`, without an alias.
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
    pub reviewer_id: Option<Uuid>,
}

fn main() {
    let _ = Post::select()
        .inner_join(User::table(), User::id.eq_col(Post::author_id))
        .left_join(User::table(), User::id.eq_col(Post::reviewer_id));
}
