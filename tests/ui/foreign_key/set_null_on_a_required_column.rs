// `on_delete = "set null"` on a column that cannot be NULL.
use buster_db::Table;

#[derive(Table)]
#[table(name = "owners")]
pub struct Owner {
    #[column(primary_key)]
    pub id: i64,
}

#[derive(Table)]
#[table(name = "notes")]
pub struct Note {
    #[column(primary_key)]
    pub id: i64,
    #[column(references = owners::id, on_delete = "set null")]
    pub owner_id: i64,
}

fn main() {}
