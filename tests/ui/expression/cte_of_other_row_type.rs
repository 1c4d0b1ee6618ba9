// A common table expression defined by a query whose rows do not have its column types.
use buster_db::prelude::*;
use buster_db::{DateTime, Table, Utc, Uuid};

#[derive(Table)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub name: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Table)]
#[table(name = "named")]
pub struct Named {
    #[column(primary_key)]
    pub id: Uuid,
    pub name: String,
}

fn main() {
    // (name, id) where the CTE wants (id, name).
    let _ = Named::select().with(buster_db::query::cte::<Named>(
        User::select().columns((User::name, User::id)),
    ));
}
