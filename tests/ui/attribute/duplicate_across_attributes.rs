// `name` given in two separate `#[table(..)]` attributes.
use buster_db::Table;

#[derive(Table)]
#[table(name = "notes")]
#[table(name = "memos")]
pub struct Note {
    #[column(primary_key)]
    pub id: i64,
}

fn main() {}
