// The referenced table has no such column.
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
    #[column(references = owners::owner_id)]
    pub owner_id: i64,
}

fn main() {}
