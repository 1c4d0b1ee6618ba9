// `all_rows` where it means nothing: on an index, on the primary key, and on the unique keys of
// a table without a soft-delete column (they already cover every row).
use buster_db::{DateTime, Table, Utc, Uuid};

#[derive(Table)]
#[table(name = "notes", primary_key(id, all_rows), index(title, all_rows))]
pub struct Note {
    pub id: Uuid,
    pub title: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Table)]
#[table(name = "tags", unique(label, all_rows))]
pub struct Tag {
    #[column(primary_key)]
    pub id: Uuid,
    pub label: String,
    #[column(unique(all_rows))]
    pub slug: String,
    #[column(unique(everything))]
    pub code: String,
}

fn main() {}
