// A record struct whose field types do not match the selected columns.
use buster_db::prelude::*;
use buster_db::{Table, Uuid};

#[derive(Table)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: Uuid,
    pub email: String,
}

#[derive(buster_db::Record)]
pub struct IdAndEmail {
    pub id: Uuid,
    pub email: i32,
}

async fn read(db: &Db) -> buster_db::Result<Vec<IdAndEmail>> {
    User::select()
        .columns((User::id, User::email))
        .all_as::<IdAndEmail, _>(db)
        .await
}

fn main() {
    let _ = read;
}
