// An upsert's update names the managed `updated_at` column alone, not in a tuple.
use buster_db::{DateTime, Table, Utc, Uuid};

#[derive(Table)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    #[column(unique)]
    pub email: String,
    pub name: String,
    #[column(default = "true")]
    pub is_active: bool,
    pub nickname: Option<String>,
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

fn main() {
    let new = NewUser::new("a@x.io".into(), "ann".into());
    let _ = User::upsert(new)
        .on_conflict(User::email)
        .update(User::updated_at);
}
