// `primary_key = true`: a flag takes no value.
use buster_db::Table;

#[derive(Table)]
#[table(name = "notes")]
pub struct Note {
    #[column(primary_key = true)]
    pub id: i64,
    pub body: String,
}

fn main() {}
