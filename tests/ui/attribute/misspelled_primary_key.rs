// A misspelled `primary_key`: one error, with the spelling to use, and no follow-on "no
// primary key".
use buster_db::Table;

#[derive(Table)]
#[table(name = "notes")]
pub struct Note {
    #[column(primay_key)]
    pub id: i64,
    pub body: String,
}

fn main() {}
