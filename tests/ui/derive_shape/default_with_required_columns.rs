// `..Default::default()` on an insert shape with a required foreign key: it would be the nil uuid.
use buster_db::{Table, Uuid};

#[derive(Table)]
#[table(name = "members")]
pub struct Member {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub user_id: Uuid,
    #[column(default = "'member'")]
    pub role: String,
}

fn main() {
    let _ = NewMember {
        role: Some("admin".into()),
        ..Default::default()
    };
}
