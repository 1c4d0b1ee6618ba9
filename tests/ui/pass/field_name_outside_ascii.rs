// A field whose name has a character without a letter type (`ö`): its column type and a
// record's field of the same name carry the same name type, so the record reads the column.
use buster_db::prelude::*;
use buster_db::{Table, Uuid};

#[derive(Table)]
#[table(name = "shelves")]
pub struct Shelf {
    #[column(primary_key)]
    pub id: Uuid,
    #[column(name = "hoehe")]
    pub höhe: i32,
}

#[derive(buster_db::Record)]
pub struct Height {
    pub id: Uuid,
    pub höhe: i32,
}

async fn read(db: &Db) -> buster_db::Result<Vec<Height>> {
    Shelf::select()
        .columns((Shelf::id, Shelf::höhe))
        .all_as::<Height, _>(db)
        .await
}

fn main() {
    let _ = read;
}
