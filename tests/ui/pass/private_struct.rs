// A private table struct: its column types are private too, and everything still works.
use buster_db::prelude::*;
use buster_db::{Table, Uuid};

#[derive(Table, Debug)]
#[table(name = "notes")]
struct Note {
    #[column(primary_key)]
    id: Uuid,
    body: String,
}

fn main() {
    let _ = Note::select().filter(Note::body.eq("x")).to_sql();
}
