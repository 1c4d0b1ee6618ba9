// `Table` derived on a unit struct, which has no columns.
use buster_db::Table;

#[derive(Table)]
pub struct User;

fn main() {}
