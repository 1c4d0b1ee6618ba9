// SQL text built at run time (`format!`) passed as a raw statement: a value could be spliced in.
use buster_db::{Db, raw_query};

async fn count_named(db: &Db, name: &str) -> buster_db::Result<i64> {
    raw_query(format!("SELECT count(*) FROM users WHERE name = '{name}'"))
        .one(db)
        .await
}

async fn count_named_borrowed(db: &Db, name: &str) -> buster_db::Result<i64> {
    raw_query(&format!("SELECT count(*) FROM users WHERE name = '{name}'"))
        .one(db)
        .await
}

fn main() {
    let _ = (count_named, count_named_borrowed);
}
