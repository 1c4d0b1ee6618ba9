// An `on_delete` with no foreign key to act on, and an action that does not exist.
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
    #[column(on_delete = "cascade")]
    pub owner_id: i64,
    #[column(references = owners::id, on_update = "drop")]
    pub editor_id: Option<i64>,
}

fn main() {}
