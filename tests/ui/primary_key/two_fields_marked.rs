// Two fields marked `primary_key` instead of one `#[table(primary_key(..))]`.
use buster_db::Table;

#[derive(Table)]
#[table(name = "memberships")]
pub struct Membership {
    #[column(primary_key)]
    pub org_id: i64,
    #[column(primary_key)]
    pub user_id: i64,
    pub role: String,
}

fn main() {}
