//! Quickstart: connect, migrate, and walk through every kind of query on the `users` table.
//!
//! ```text
//! cargo run -p buster-db-examples --bin quickstart
//! ```
//!
//! Uses `DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`). Every run uses
//! fresh e-mail addresses, so it can run again and again on the same database.

use buster_database::schema::{
    NewOrganization, NewUsersToOrganization, Organization, UserOrganizationRole,
    UsersToOrganization,
};
use buster_db::prelude::*;
use buster_db::{DateTime, ErrorKind, Utc, Uuid};

/// The `users` table, declared as any application would.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    #[column(unique)]
    pub email: String,
    pub name: String,
    #[column(default = "true")]
    pub is_active: bool,
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("quickstart failed: {e}");
        std::process::exit(1);
    }
}

/// The example's own fallback: `Config::from_env` has none, so that a service never talks to a
/// local database by accident.
const LOCAL_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

async fn run() -> buster_db::Result<()> {
    let url = match std::env::var("DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => LOCAL_URL.to_owned(),
    };
    let db = Db::connect(buster_db::Config::from_url(&url)?).await?;
    println!("connected");

    let report = buster_db::migrate::migrate(&db, buster_database::MIGRATIONS).await?;
    println!("migrations: {} newly applied", report.applied.len());

    // A tag unique to this run keeps the example repeatable on the same database.
    let run = Uuid::new_v4().simple().to_string();
    let run = &run[..8];
    let email = |name: &str| format!("{name}.{run}@acme.io");

    // Insert one row, then many in one statement.
    let ada = User::insert(NewUser::new(email("ada"), "Ada".into()))
        .one(&db)
        .await?;
    println!("inserted {} <{}> id={}", ada.name, ada.email, ada.id);

    let others = User::insert_many(["Grace", "Linus", "Barbara"].map(|n| NewUser {
        is_active: Some(n != "Linus"),
        ..NewUser::new(email(&n.to_lowercase()), n.into())
    }))
    .all(&db)
    .await?;
    println!("inserted {} more users in one statement", others.len());

    // Find by primary key.
    let found = User::find(ada.id).one(&db).await?;
    println!("found by id: {}", found.name);

    // Filter, order and paginate: the run's active users, newest first.
    let mine = User::email.like(format!("%.{run}@acme.io"));
    let page = User::select()
        .filter(mine.and(User::is_active.eq(true)))
        .order_by(User::name.asc())
        .paginate(1, 2, &db)
        .await?;
    let names: Vec<_> = page.items.iter().map(|u| u.name.as_str()).collect();
    println!(
        "active users, page {} of size {}: {:?} (total {}, has_more {})",
        page.page, page.page_size, names, page.total, page.has_more
    );

    // Upsert on the unique e-mail: the second call updates the name instead of failing.
    let upserted = User::upsert(NewUser::new(email("ada"), "Ada Lovelace".into()))
        .on_conflict(User::email)
        .update((User::name,))
        .one(&db)
        .await?;
    println!(
        "upserted by email: same id? {}, name now {:?}",
        upserted.id == ada.id,
        upserted.name
    );

    // Update by key: `updated_at` is set by the statement itself.
    let renamed = User::update(ada.id)
        .set(User::name, "Countess Ada")
        .one(&db)
        .await?;
    println!(
        "updated: name {:?}, updated_at moved forward: {}",
        renamed.name,
        renamed.updated_at > ada.updated_at
    );

    // Soft delete: the row stays, hidden from every read.
    let deleted = User::soft_delete(ada.id).one(&db).await?;
    println!("soft-deleted at {:?}", deleted.deleted_at);
    let visible = User::find(ada.id).optional(&db).await?;
    let still_there = User::find(ada.id).with_deleted().optional(&db).await?;
    println!(
        "after soft delete: find -> {:?}, find().with_deleted() -> {:?}",
        visible.map(|u| u.name),
        still_there.map(|u| u.name)
    );
    let again = User::soft_delete(ada.id).optional(&db).await?;
    println!(
        "soft-deleting again changes nothing: {:?}",
        again.map(|u| u.id)
    );

    // Restore brings it back.
    let restored = User::restore(ada.id).one(&db).await?;
    println!("restored: deleted_at = {:?}", restored.deleted_at);

    // A transaction that fails is rolled back as a whole.
    let outcome: buster_db::Result<()> = db
        .transaction(async |tx| {
            User::insert(NewUser::new(email("temp"), "Temporary".into()))
                .one(tx)
                .await?;
            // The same e-mail again violates the unique key: the whole transaction rolls back.
            User::insert(NewUser::new(email("temp"), "Duplicate".into()))
                .one(tx)
                .await?;
            Ok(())
        })
        .await;
    let kind = outcome.as_ref().err().map(|e| e.kind());
    let left = User::select()
        .filter(User::email.eq(email("temp")))
        .count(&db)
        .await?;
    println!(
        "transaction failed with {:?} (unique violation: {}); rows left behind: {left}",
        kind,
        kind == Some(ErrorKind::UniqueViolation)
    );

    // Relations in one statement: Ada's organizations through her memberships. A membership
    // that is soft-deleted (Ada left "Initech") is filtered out inside the join.
    let mut orgs = Vec::new();
    for name in ["Acme", "Initech"] {
        let org = Organization::insert(NewOrganization::new(format!("{name} {run}")))
            .one(&db)
            .await?;
        UsersToOrganization::insert(NewUsersToOrganization {
            role: Some(UserOrganizationRole::WorkspaceAdmin),
            ..NewUsersToOrganization::new(ada.id, org.id, ada.id, ada.id)
        })
        .one(&db)
        .await?;
        orgs.push(org);
    }
    UsersToOrganization::soft_delete((ada.id, orgs[1].id))
        .one(&db)
        .await?;
    let memberships = User::select()
        .inner_join(
            UsersToOrganization::table(),
            UsersToOrganization::user_id.eq_col(User::id),
        )
        .inner_join(
            Organization::table(),
            Organization::id.eq_col(UsersToOrganization::organization_id),
        )
        .filter(User::id.eq(ada.id))
        .columns((User::name, Organization::name, UsersToOrganization::role))
        .all(&db)
        .await?;
    for (user, org, role) in &memberships {
        println!("{user} belongs to {org:?} as {role:?} (one join, deleted memberships hidden)");
    }

    let total = User::select()
        .filter(User::email.like(format!("%.{run}@acme.io")))
        .count(&db)
        .await?;
    println!("live users from this run: {total}");
    Ok(())
}
