// `#[table(unique(..))]` names a field the struct does not have.
use buster_db::Table;

#[derive(Table)]
#[table(name = "memberships", unique(org_id, mail))]
pub struct Membership {
    #[column(primary_key)]
    pub id: i64,
    pub org_id: i64,
    pub email: String,
}

fn main() {}
