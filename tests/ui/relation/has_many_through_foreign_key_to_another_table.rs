// A `has_many` of `users` through `posts::org_id`, whose foreign key references `orgs`.
use buster_db::{Table, Uuid};

#[derive(Table)]
#[table(name = "orgs")]
pub struct Org {
    #[column(primary_key)]
    pub id: Uuid,
}

#[derive(Table)]
#[table(name = "users", has_many(posts = posts::org_id))]
pub struct User {
    #[column(primary_key)]
    pub id: Uuid,
}

#[derive(Table)]
#[table(name = "posts")]
pub struct Post {
    #[column(primary_key)]
    pub id: i64,
    #[column(references = orgs::id)]
    pub org_id: Uuid,
}

fn main() {}
