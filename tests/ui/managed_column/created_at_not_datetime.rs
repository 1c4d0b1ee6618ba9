// A `created_at` column of type `String`.
use buster_db::Table;

#[derive(Table)]
#[table(name = "notes")]
pub struct Note {
    #[column(primary_key)]
    pub id: i64,
    #[column(created_at)]
    pub created_at: String,
}

fn main() {}
