// Rows of a raw statement read into a type that is not a column type: a tuple element and a
// record field of type `u32`, and a struct that derives no `Record`.
use buster_db::{Db, Uuid, raw_query};

#[derive(buster_db::Record)]
pub struct Counted {
    pub id: Uuid,
    pub n: u32,
}

pub struct NotARecord {
    pub id: Uuid,
}

async fn read(db: &Db) -> buster_db::Result<()> {
    let _: (Uuid, u32) = raw_query("SELECT id, 1 FROM t").one(db).await?;
    let _: Counted = raw_query("SELECT id, 1 AS n FROM t").one(db).await?;
    let _: NotARecord = raw_query("SELECT id FROM t").one(db).await?;
    Ok(())
}

fn main() {
    let _ = read;
}
