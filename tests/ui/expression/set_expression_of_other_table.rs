// SET from an expression over a column of a table the UPDATE does not read.
use buster_db::{DateTime, Table, Utc, Uuid};

#[derive(Table)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub name: String,
    #[column(default = "0")]
    pub visits: i32,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Table)]
#[table(name = "posts")]
pub struct Post {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub title: String,
}

fn main() {
    let _ = User::update(Uuid::nil()).set(User::name, buster_db::expr::lower(Post::title));
}
