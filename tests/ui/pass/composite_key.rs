// A table keyed by two columns: find, update, delete and upsert by the `(a, b)` key.
use buster_db::prelude::*;
use buster_db::{Table, Uuid};

#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "memberships", primary_key(org_id, user_id))]
pub struct Membership {
    pub org_id: i64,
    pub user_id: Uuid,
    pub role: String,
}

async fn use_key(db: &Db) -> buster_db::Result<()> {
    let key: (i64, Uuid) = (7, Uuid::nil());
    let found: Option<Membership> = Membership::find(key).optional(db).await?;
    let _ = found;
    Membership::update((7, Uuid::nil()))
        .set(Membership::role, "admin")
        .one(db)
        .await?;
    let new = NewMembership {
        org_id: 7,
        user_id: Uuid::nil(),
        role: "member".into(),
    };
    Membership::upsert(new)
        .on_conflict((Membership::org_id, Membership::user_id))
        .update((Membership::role,))
        .execute(db)
        .await?;
    let removed: u64 = Membership::delete((7, Uuid::nil())).execute(db).await?;
    let _ = removed;
    Ok(())
}

fn main() {
    let _ = use_key;
}
