// `Scalar` on structs that are not one field over a column type.
#[derive(buster_db::Scalar, Debug)]
pub struct Pair(pub i32, pub i32);

#[derive(buster_db::Scalar, Debug)]
pub enum Either {
    Left,
}

#[derive(buster_db::Scalar, Debug)]
pub struct Count(pub u32);

fn main() {}
