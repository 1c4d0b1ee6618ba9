// A hard `delete_where` on a soft-deletable table.
use buster_db::prelude::*;
use buster_db::{DateTime, Table, Utc, Uuid};

#[derive(Table)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub name: String,
    #[column(default = "true")]
    pub is_active: bool,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

fn main() {
    let _ = User::delete_where(User::is_active.eq(false));
}
