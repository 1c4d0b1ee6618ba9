// Code PostgreSQL accepts and buster-db must not refuse: a `&&str` value, a plain `&str` (and
// `None`) for a nullable text column, a composite key named in another order, integer columns
// of different widths compared with each other.
use buster_db::prelude::*;
use buster_db::{Table, Uuid};

#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "members", unique(org_id, email))]
pub struct Member {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub org_id: Uuid,
    pub email: String,
    pub nickname: Option<String>,
    pub visits: i32,
}

#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "visits")]
pub struct Visit {
    #[column(primary_key)]
    pub id: i64,
    pub member_id: Uuid,
    pub total: i64,
}

async fn uses(db: &Db, id: Uuid, new: NewMember) -> buster_db::Result<()> {
    let names = ["ann@x.io", "bob@x.io"];
    for name in names.iter() {
        // `name` is a `&&str`.
        Member::select().filter(Member::email.eq(name)).all(db).await?;
    }
    Member::update(id)
        .set(Member::nickname, "annie")
        .execute(db)
        .await?;
    Member::update(id)
        .set(Member::nickname, None)
        .execute(db)
        .await?;
    Member::upsert(new)
        .on_conflict((Member::email, Member::org_id))
        .update((Member::nickname,))
        .execute(db)
        .await?;
    Member::select()
        .inner_join(Visit::table(), Visit::member_id.eq_col(Member::id))
        .filter(Visit::total.gt_col(Member::visits))
        .all(db)
        .await?;
    Ok(())
}

fn main() {
    let _ = uses;
}
