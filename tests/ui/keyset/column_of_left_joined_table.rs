// A keyset of events ordered by a column of `users`, left-joined: rows without a user would
// have a NULL there, and never come.
use buster_db::prelude::*;
use buster_db::{DateTime, Table, Utc, Uuid};

#[derive(Table)]
#[table(name = "events")]
pub struct Event {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub user_id: Option<Uuid>,
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
    let _ = Event::select()
        .left_join(User::table(), User::id.eq_col(Event::user_id))
        .keyset((User::name.asc(), Event::id.asc()), None);
}
