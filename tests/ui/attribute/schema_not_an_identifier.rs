// Schema names that are not identifiers: a qualified name, a leading digit, a space.
use buster_db::{Table, Uuid};

#[derive(Table)]
#[table(schema = "vault.secrets", name = "secrets")]
pub struct Secret {
    #[column(primary_key)]
    pub id: Uuid,
}

#[derive(Table)]
#[table(schema = "1vault", name = "keys")]
pub struct Key {
    #[column(primary_key)]
    pub id: Uuid,
}

#[derive(Table)]
#[table(schema = "my vault", name = "tokens")]
pub struct Token {
    #[column(primary_key)]
    pub id: Uuid,
}

fn main() {}
