// `#[table(primary_key(..))]` names a field the struct does not have.
use buster_db::Table;

#[derive(Table)]
#[table(name = "memberships", primary_key(org_id, member_id))]
pub struct Membership {
    pub org_id: i64,
    pub user_id: i64,
    pub role: String,
}

fn main() {}
