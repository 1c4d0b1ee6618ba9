// A `has_many` relation of `users` (keyed by a uuid) through the text column `posts::title`.
use buster_db::prelude::*;
use buster_db::{Table, Uuid};

#[derive(Table)]
#[table(name = "users", has_many(posts = posts::title))]
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
}

async fn load(users: &[User], db: &Db) -> buster_db::Result<()> {
    let _ = User::posts().load(users, db).await?;
    Ok(())
}

fn main() {
    let _ = load;
}
