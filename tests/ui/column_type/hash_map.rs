// A field of type `HashMap<String, String>`, which maps to no column type.
use buster_db::Table;

#[derive(Table)]
#[table(name = "settings")]
pub struct Setting {
    #[column(primary_key)]
    pub id: i64,
    pub values: std::collections::HashMap<String, String>,
}

fn main() {}
