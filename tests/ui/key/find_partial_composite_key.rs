// `find` with one value for a two-column primary key.
use buster_db::Table;

#[derive(Table)]
#[table(name = "memberships", primary_key(org_id, user_id))]
pub struct Membership {
    pub org_id: i64,
    pub user_id: i64,
    pub role: String,
}

fn main() {
    let _ = Membership::find(1_i64);
}
