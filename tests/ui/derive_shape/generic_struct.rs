// `Table` derived on a generic struct.
use buster_db::Table;

#[derive(Table)]
#[table(name = "events")]
pub struct Event<T> {
    #[column(primary_key)]
    pub id: i64,
    pub payload: T,
}

fn main() {}
