// A check needs a name and an expression; two checks cannot share a name.
use buster_db::Table;

#[derive(Table)]
#[table(
    name = "notes",
    check(name = "notes_title"),
    check(name = "notes_stars", sql = "stars >= 0"),
    check(name = "notes_stars", sql = "stars <= 5")
)]
pub struct Note {
    #[column(primary_key)]
    pub id: i64,
    pub stars: i32,
}

fn main() {}
