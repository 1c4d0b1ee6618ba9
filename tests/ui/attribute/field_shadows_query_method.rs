// A field named `select` hides `Table::select()` behind the generated column constant.
use buster_db::Table;

#[derive(Table)]
#[table(name = "notes")]
pub struct Note {
    #[column(primary_key)]
    pub id: i64,
    pub select: String,
}

fn main() {
    let _ = Note::select();
}
