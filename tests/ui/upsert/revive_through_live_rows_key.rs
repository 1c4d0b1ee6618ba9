// `revive()` through a key that is unique among live rows only: a deleted row never conflicts on it.
use buster_db::{DateTime, Table, Utc, Uuid};

#[derive(Table)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    #[column(unique)]
    pub email: String,
    pub name: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

fn main() {
    let new = NewUser {
        id: None,
        email: "a@x.io".into(),
        name: "A".into(),
    };
    let _ = User::upsert(new)
        .on_conflict(User::email)
        .update((User::name,))
        .revive();
}
