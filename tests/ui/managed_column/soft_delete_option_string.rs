// A soft-delete column of type `Option<String>` instead of `Option<DateTime<Utc>>`.
use buster_db::Table;

#[derive(Table)]
#[table(name = "notes")]
pub struct Note {
    #[column(primary_key)]
    pub id: i64,
    #[column(soft_delete)]
    pub deleted_at: Option<String>,
}

fn main() {}
