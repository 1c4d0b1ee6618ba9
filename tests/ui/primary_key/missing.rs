// A table without a primary key.
use buster_db::Table;

#[derive(Table)]
#[table(name = "notes")]
pub struct Note {
    pub id: i64,
    pub body: String,
}

fn main() {}
