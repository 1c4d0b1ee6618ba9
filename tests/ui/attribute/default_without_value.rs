// `default` needs the SQL expression.
use buster_db::Table;

#[derive(Table)]
#[table(name = "notes")]
pub struct Note {
    #[column(primary_key)]
    pub id: i64,
    #[column(default)]
    pub views: i32,
}

fn main() {}
