// `Table` derived on a tuple struct, whose fields have no names to be columns.
use buster_db::Table;

#[derive(Table)]
pub struct User(i64, String);

fn main() {}
