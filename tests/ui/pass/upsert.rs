// Upserts on the primary key, a unique column and a unique tuple, with every conflict action.
use buster_db::prelude::*;
use buster_db::{DateTime, Table, Utc, Uuid};

#[derive(Table, Debug, Clone)]
#[table(name = "seats", unique(org_id, email))]
pub struct Seat {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub org_id: i64,
    pub email: String,
    #[column(unique)]
    pub badge: i32,
    pub role: String,
    pub note: Option<String>,
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

fn new_seat() -> NewSeat {
    NewSeat {
        id: None,
        org_id: 1,
        email: "a@x.io".into(),
        badge: 42,
        role: "admin".into(),
        note: None,
    }
}

async fn upserts(db: &Db) -> buster_db::Result<Vec<Seat>> {
    let one: Seat = Seat::upsert(new_seat())
        .on_conflict((Seat::org_id, Seat::email))
        .update((Seat::role, Seat::note))
        .one(db)
        .await?;
    let _ = one;
    let revived: Seat = Seat::upsert(new_seat())
        .on_conflict(Seat::id)
        .update_all()
        .revive()
        .one(db)
        .await?;
    let _ = revived;
    let skipped: Option<Seat> = Seat::upsert(new_seat())
        .on_conflict(Seat::badge)
        .do_nothing()
        .optional(db)
        .await?;
    let _ = skipped;
    Seat::upsert_many(vec![new_seat(), new_seat()])
        .on_conflict(Seat::id)
        .update_all()
        .all(db)
        .await
}

fn main() {
    let _ = Seat::upsert(new_seat())
        .on_conflict(Seat::badge)
        .update(Seat::role)
        .to_sql();
    let _ = upserts;
}
