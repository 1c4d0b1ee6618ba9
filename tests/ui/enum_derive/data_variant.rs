// `Enum` derived on an enum with a variant that carries data.
#[derive(buster_db::Enum, Debug, Clone, Copy)]
pub enum Role {
    Admin,
    Member(u8),
}

fn main() {}
