// A keyset ordered by `(at, id)` given a cursor of `(i64, Uuid)`: the cursor must hold the
// ordering columns' types, `(DateTime<Utc>, Uuid)`.
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

fn main() {
    let _ = Event::select().keyset((Event::at.desc(), Event::id.desc()), Some((0_i64, Uuid::nil())));
}
