// `Table` derived on an enum.
use buster_db::Table;

#[derive(Table)]
pub enum Status {
    Active,
    Disabled,
}

fn main() {}
