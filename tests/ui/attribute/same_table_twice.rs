// Two structs declaring the same table in one module.
use buster_db::Table;

#[derive(Table)]
#[table(name = "notes")]
pub struct Note {
    #[column(primary_key)]
    pub id: i64,
}

#[derive(Table)]
#[table(name = "notes")]
pub struct Memo {
    #[column(primary_key)]
    pub id: i64,
}

fn main() {}
