// A table without a soft-delete column has a hard `delete` and no deleted rows to opt into.
use buster_db::Table;
use buster_db::prelude::*;

#[derive(Table, Debug)]
#[table(name = "sessions")]
pub struct Session {
    #[column(primary_key)]
    pub token: String,
    pub user_name: String,
    pub expires_in: i32,
}

async fn expire(db: &Db) -> buster_db::Result<Option<Session>> {
    let gone = Session::delete("abc".to_owned()).optional(db).await?;
    let count = Session::select()
        .filter(Session::expires_in.le(0))
        .count(db)
        .await?;
    let _ = count;
    Ok(gone)
}

fn main() {
    let _ = Session::delete("abc".to_owned()).to_sql();
    let _ = expire;
}
