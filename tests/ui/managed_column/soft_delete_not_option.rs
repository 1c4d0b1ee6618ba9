// A soft-delete column that is not an `Option`, so no row could ever be live.
use buster_db::{DateTime, Table, Utc};

#[derive(Table)]
#[table(name = "notes")]
pub struct Note {
    #[column(primary_key)]
    pub id: i64,
    #[column(soft_delete)]
    pub deleted_at: DateTime<Utc>,
}

fn main() {}
