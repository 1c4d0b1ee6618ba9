// A field of type `Vec<Vec<i32>>`: array columns have one level.
use buster_db::Table;

#[derive(Table)]
#[table(name = "grids")]
pub struct Grid {
    #[column(primary_key)]
    pub id: i64,
    pub cells: Vec<Vec<i32>>,
}

fn main() {}
