// A keyset ordered by the nullable column `note`: rows with a NULL note would never come.
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
    let _ = Event::select().keyset((Event::note.asc(), Event::id.asc()), None);
}
