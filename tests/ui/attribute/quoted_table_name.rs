// A table name written with its SQL quotes: one error saying they are added already.
use buster_db::Table;

#[derive(Table)]
#[table(name = "\"notes\"")]
pub struct Note {
    #[column(primary_key)]
    pub id: i64,
}

fn main() {}
