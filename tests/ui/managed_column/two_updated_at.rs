// Two fields marked `updated_at`.
use buster_db::{DateTime, Table, Utc};

#[derive(Table)]
#[table(name = "notes")]
pub struct Note {
    #[column(primary_key)]
    pub id: i64,
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    #[column(updated_at)]
    pub modified_at: DateTime<Utc>,
}

fn main() {}
