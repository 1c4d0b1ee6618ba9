// A `default` on the managed `created_at` column.
use buster_db::{DateTime, Table, Utc};

#[derive(Table)]
#[table(name = "notes")]
pub struct Note {
    #[column(primary_key)]
    pub id: i64,
    #[column(created_at, default = "now()")]
    pub created_at: DateTime<Utc>,
}

fn main() {}
