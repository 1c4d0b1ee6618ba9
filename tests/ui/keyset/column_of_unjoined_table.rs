// A keyset of `events` ordered by a column of `users`, which the query does not read.
use buster_db::prelude::*;
use buster_db::{DateTime, Table, Utc, Uuid};

#[derive(Table)]
#[table(name = "events")]
pub struct Event {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Table)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: Uuid,
    pub name: String,
}

fn main() {
    let _ = Event::select().keyset((User::name.asc(), Event::id.asc()), None);
}
