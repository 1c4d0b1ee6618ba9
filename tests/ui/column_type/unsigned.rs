// A field of type `u32`: PostgreSQL has no unsigned integers.
use buster_db::Table;

#[derive(Table)]
#[table(name = "counters")]
pub struct Counter {
    #[column(primary_key)]
    pub id: i64,
    pub hits: u32,
}

fn main() {}
