// `users` joined to itself without an alias: the query could not tell the two apart.
use buster_db::prelude::*;
use buster_db::{Table, Uuid};

#[derive(Table)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub name: String,
    pub manager_id: Option<Uuid>,
}

fn main() {
    let _ = User::select().inner_join(User::table(), User::id.eq_col(User::manager_id));
}
