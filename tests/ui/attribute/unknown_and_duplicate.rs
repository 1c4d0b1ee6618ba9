// Unknown `table` and `column` attributes and a duplicate attribute, all reported at once.
use buster_db::Table;

#[derive(Table)]
#[table(name = "users", tablespace = "fast")]
pub struct User {
    #[column(primary_key, primary_key)]
    pub id: i64,
    #[column(uniq)]
    pub email: String,
    #[column(name = "display_name", name = "full_name")]
    pub name: String,
}

fn main() {}
