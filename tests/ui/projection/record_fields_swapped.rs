// A record whose fields have the selected columns' types but not their order: by position the
// emails would land in `name`.
use buster_db::prelude::*;
use buster_db::{Table, Uuid};

#[derive(Table)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: Uuid,
    pub email: String,
    pub name: String,
}

#[derive(buster_db::Record)]
pub struct Contact {
    pub name: String,
    pub email: String,
}

async fn read(db: &Db) -> buster_db::Result<Vec<Contact>> {
    User::select()
        .columns((User::email, User::name))
        .all_as::<Contact, _>(db)
        .await
}

fn main() {
    let _ = read;
}
