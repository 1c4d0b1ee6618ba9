// A value of a type that is not a column type bound to a raw statement.
use buster_db::{Db, raw_query};

async fn read(db: &Db) -> buster_db::Result<i64> {
    raw_query("SELECT $1::int8").bind(7u32).one(db).await
}

fn main() {
    let _ = read;
}
