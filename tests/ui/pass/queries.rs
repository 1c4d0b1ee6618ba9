// Selects, updates and their terminals on a `Db`, a `Conn` and a `Transaction`.
use buster_db::prelude::*;
use buster_db::{DateTime, Page, Table, Utc, Uuid};

#[derive(Table, Debug, Clone, PartialEq)]
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

async fn reads(db: &Db) -> buster_db::Result<()> {
    let email = String::from("a@x.io");
    let by_email: Option<User> = User::select()
        .filter(User::email.eq(&email))
        .optional(db)
        .await?;
    let _ = by_email;
    let page: Page<User> = User::select()
        .filter(
            User::email
                .ilike("%@x.io")
                .and(User::is_active.eq(true).not()),
        )
        .filter(User::nickname.eq("annie").or(User::nickname.is_null()))
        .filter(User::name.is_in(["ann", "bob"]))
        .order_by(User::created_at.desc())
        .paginate(1, 20, db)
        .await?;
    let _ = page;
    let exists: bool = User::select().filter(User::name.ne("x")).exists(db).await?;
    let _ = exists;
    let conn = db.conn().await?;
    let everyone: Vec<User> = User::select().all(&conn).await?;
    let _ = everyone;
    Ok(())
}

async fn writes(db: &Db) -> buster_db::Result<User> {
    let id = db
        .transaction(async |tx| {
            let user = User::insert(NewUser::new("a@x.io".into(), "ann".into()))
            .one(tx)
            .await?;
            User::insert_many((0..3).map(|i| NewUser::new(format!("{i}@x.io"), "many".into())))
            .execute(tx)
            .await?;
            Ok::<_, buster_db::Error>(user.id)
        })
        .await?;
    User::update_where(User::name.eq("many"))
        .set(User::is_active, false)
        .execute(db)
        .await?;
    User::update(id)
        .patch(UserPatch {
            name: Some("Ann".into()),
            ..Default::default()
        })
        .set(User::nickname, "annie")
        .filter(User::is_active.eq(true))
        .one(db)
        .await
}

fn main() {
    let _ = (reads, writes);
}

/// An insert shape with no required column is `Default`; one with required columns has `new`.
#[allow(dead_code)]
mod insert_shapes {
    use buster_db::{Table, Uuid};

    #[derive(Table)]
    #[table(name = "tags")]
    pub struct Tag {
        #[column(primary_key, default = "gen_random_uuid()")]
        pub id: Uuid,
        pub note: Option<String>,
    }

    fn shapes(user: Uuid) {
        let _ = NewTag::default();
        let _ = NewTag::new();
        let _ = super::NewUser {
            is_active: Some(false),
            ..super::NewUser::new("a@b.c".into(), "A".into())
        };
        let _ = user;
    }
}
