// A declared function called with an argument of another type.
use buster_db::{DateTime, Table, Utc, Uuid};

#[derive(Table)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub name: String,
    #[column(default = "0")]
    pub visits: i32,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

buster_db::sql_fn! {
    fn similarity(a: String, b: String) -> f32;
}

fn main() {
    let _ = User::select().column(similarity(User::visits, "x"));
}
