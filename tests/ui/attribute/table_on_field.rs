// `#[table(..)]` written on a field instead of the struct.
use buster_db::Table;

#[derive(Table)]
#[table(name = "notes")]
pub struct Note {
    #[column(primary_key)]
    pub id: i64,
    #[table(name = "body")]
    pub body: String,
}

fn main() {}
