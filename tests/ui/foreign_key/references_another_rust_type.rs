// A foreign key whose field holds another type than the key it references.
use buster_db::{Table, Uuid};

#[derive(Table)]
#[table(name = "owners")]
pub struct Owner {
    #[column(primary_key)]
    pub id: Uuid,
}

#[derive(Table)]
#[table(name = "notes")]
pub struct Note {
    #[column(primary_key)]
    pub id: i64,
    #[column(references = owners::id)]
    pub owner_id: String,
}

fn main() {}
