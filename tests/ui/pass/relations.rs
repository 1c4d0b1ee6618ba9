// `has_one`, `has_many` and `many_to_many` relations load for a list of parents.
use buster_db::prelude::*;
use buster_db::{DateTime, Table, Utc, Uuid};

#[derive(Table, Debug)]
#[table(
    name = "users",
    has_one(profile = profiles::user_id),
    has_many(posts = posts::author_id),
    many_to_many(orgs = Org, through(members::user_id, members::org_id))
)]
pub struct User {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub name: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Table, Debug)]
#[table(name = "posts")]
pub struct Post {
    #[column(primary_key)]
    pub id: i64,
    pub author_id: Uuid,
    pub title: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Table, Debug)]
#[table(name = "profiles")]
pub struct Profile {
    #[column(primary_key)]
    pub user_id: Uuid,
    pub bio: String,
}

#[derive(Table, Debug)]
#[table(name = "orgs")]
pub struct Org {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub name: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Table, Debug)]
#[table(name = "members", primary_key(user_id, org_id))]
pub struct Member {
    pub user_id: Uuid,
    pub org_id: Uuid,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

async fn load(users: &[User], db: &Db) -> buster_db::Result<()> {
    let profiles: Vec<Option<Profile>> = User::profile().load(users, db).await?;
    let posts: Vec<Vec<Post>> = User::posts().with_deleted().load(users, db).await?;
    let orgs: Vec<Vec<Org>> = User::orgs().load(users, db).await?;
    let _ = (profiles, posts, orgs);
    Ok(())
}

fn main() {
    let _ = load;
}
