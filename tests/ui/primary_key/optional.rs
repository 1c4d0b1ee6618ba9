// A primary key column of type `Option`.
use buster_db::Table;

#[derive(Table)]
#[table(name = "notes")]
pub struct Note {
    #[column(primary_key)]
    pub id: Option<i64>,
    pub body: String,
}

fn main() {}
