// An aggregate in `filter` (WHERE) and in a join's `on`: PostgreSQL refuses both ("aggregate
// functions are not allowed in WHERE"); conditions on aggregates go in `having`.
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
    pub score: i32,
}

fn main() {
    let _ = Post::select().filter(Post::score.max().gt(3));
    let _ = Post::select().filter(Post::score.gt(1).and(count_all().gt(5)));
    let _ = User::select().inner_join(
        Post::table(),
        Post::author_id.eq_col(User::id).and(Post::score.sum().gt(10)),
    );
}
