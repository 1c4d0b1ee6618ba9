// A `Json<T>` column whose `T` has no serde derives.
use buster_db::{Json, Table};

pub struct Settings {
    pub theme: String,
}

#[derive(Table)]
#[table(name = "profiles")]
pub struct Profile {
    #[column(primary_key)]
    pub id: i64,
    pub settings: Json<Settings>,
}

fn main() {}
