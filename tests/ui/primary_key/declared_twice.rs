// A field marked `primary_key` while the table declares `primary_key(..)` too.
use buster_db::Table;

#[derive(Table)]
#[table(name = "memberships", primary_key(org_id, user_id))]
pub struct Membership {
    #[column(primary_key)]
    pub org_id: i64,
    pub user_id: i64,
}

fn main() {}
