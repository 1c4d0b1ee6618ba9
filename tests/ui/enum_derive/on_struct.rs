// `Enum` derived on a struct.
#[derive(buster_db::Enum)]
pub struct Role {
    pub name: String,
}

fn main() {}
