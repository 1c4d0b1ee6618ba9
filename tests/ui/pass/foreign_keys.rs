// Foreign keys: to another table, nullable, with actions, and to the table itself (a tree);
// relations through foreign key columns that reference the parent.
use buster_db::{Table, Uuid};

#[derive(Table)]
#[table(name = "owners", has_many(folders = folders::owner_id))]
pub struct Owner {
    #[column(primary_key)]
    pub id: Uuid,
}

#[derive(Table)]
#[table(
    name = "folders",
    check(name = "folders_name_not_empty", sql = "name <> ''"),
    has_many(children = folders::parent_id)
)]
pub struct Folder {
    #[column(primary_key)]
    pub id: i64,
    #[column(references = folders::id, on_delete = "cascade")]
    pub parent_id: Option<i64>,
    #[column(references = owners::id, on_delete = "restrict", on_update = "cascade")]
    pub owner_id: Uuid,
    #[column(references = owners::id, on_delete = "set null")]
    pub editor_id: Option<Uuid>,
    pub name: String,
}

fn main() {
    let fks = <Folder as Table>::META.foreign_keys;
    assert_eq!(fks.len(), 3);
    assert_eq!((fks[0].table)().name, "folders");
    assert_eq!(fks[2].definition(), "FOREIGN KEY (\"editor_id\") REFERENCES \"owners\" (\"id\") ON DELETE SET NULL");
    assert_eq!(<Folder as Table>::META.checks[0].name, "folders_name_not_empty");
}
