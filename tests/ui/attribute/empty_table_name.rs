// An empty table name: one error.
use buster_db::Table;

#[derive(Table)]
#[table(name = "")]
pub struct Note {
    #[column(primary_key)]
    pub id: i64,
}

fn main() {}
