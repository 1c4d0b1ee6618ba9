// A `created_at` column of type `DateTime<Local>` instead of `DateTime<Utc>`.
use buster_db::Table;
use buster_db::types::chrono::{DateTime, Local};

#[derive(Table)]
#[table(name = "notes")]
pub struct Note {
    #[column(primary_key)]
    pub id: i64,
    #[column(created_at)]
    pub created_at: DateTime<Local>,
}

fn main() {}
