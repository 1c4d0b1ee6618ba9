//! Tenant context for row-level security: `TxOptions::set_local` and `TxOptions::role` hold
//! for one transaction, so a tenant's transaction sees and writes only its rows (selects,
//! counts, finds, joins, relation loads, upserts, updates), and the pooled connection carries
//! nothing afterwards.

use buster_db::prelude::*;
use buster_db::{Error, Result, TxOptions, Uuid};
use buster_db_tests::tenant::{
    NewTnProject, NewTnTask, TENANT_ROLE, TnProject, TnTask, session_context,
};

/// The options of a transaction of organization `org`.
fn tenant(org: Uuid) -> TxOptions {
    TxOptions::new()
        .set_local("app.org_id", org.to_string())
        .role(TENANT_ROLE)
}

fn project(org: Uuid, name: &str) -> NewTnProject {
    NewTnProject {
        id: None,
        org_id: org,
        name: name.to_owned(),
    }
}

fn task(project: &TnProject, title: &str) -> NewTnTask {
    NewTnTask {
        id: None,
        org_id: project.org_id,
        project_id: project.id,
        title: title.to_owned(),
    }
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "tenant_fixtures")]
async fn a_tenant_transaction_sees_and_writes_only_its_own_rows(db: Db) -> Result<()> {
    let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
    // Seeded as the tables' owner, which the policies do not restrict.
    let alpha_a = TnProject::insert(project(a, "alpha")).one(&db).await?;
    let alpha_b = TnProject::insert(project(b, "alpha")).one(&db).await?;
    TnTask::insert_many([
        task(&alpha_a, "a1"),
        task(&alpha_a, "a2"),
        task(&alpha_b, "b1"),
    ])
    .execute(&db)
    .await?;

    let (beta_a, before_b) = db
        .transaction_with(tenant(a), async |tx| {
            assert_eq!(
                session_context(tx).await?,
                (Some(a.to_string()), TENANT_ROLE.to_owned())
            );
            // Reads: select, count, find, join, relation load.
            let projects = TnProject::select().all(tx).await?;
            assert_eq!(projects, vec![alpha_a.clone()]);
            assert_eq!(TnTask::select().count(tx).await?, 2);
            assert_eq!(TnProject::find(alpha_b.id).optional(tx).await?, None);
            let joined = TnTask::select()
                .inner_join(TnProject::table(), TnProject::id.eq_col(TnTask::project_id))
                .all(tx)
                .await?;
            assert_eq!(joined.len(), 2);
            assert!(joined.iter().all(|(t, p)| t.org_id == a && p.org_id == a));
            let tasks = TnProject::tasks().load(&projects, tx).await?;
            let mut titles: Vec<&str> = tasks[0].iter().map(|t| t.title.as_str()).collect();
            titles.sort_unstable();
            assert_eq!(titles, ["a1", "a2"]);

            // Writes: an upsert on the (org, name) key meets A's row only, a new one inserts.
            let upserted = TnProject::upsert(project(a, "alpha"))
                .on_conflict((TnProject::org_id, TnProject::name))
                .update_all()
                .one(tx)
                .await?;
            assert_eq!(upserted.id, alpha_a.id);
            let beta = TnProject::upsert(project(a, "beta"))
                .on_conflict((TnProject::org_id, TnProject::name))
                .update_all()
                .one(tx)
                .await?;
            // B's rows cannot be updated (they are invisible) nor written (the check refuses).
            let hijacked = TnProject::update(alpha_b.id)
                .set(TnProject::name, "hijacked")
                .optional(tx)
                .await?;
            assert_eq!(hijacked, None);
            let foreign: Result<TnProject> = tx
                .transaction(async |inner| TnProject::insert(project(b, "gamma")).one(inner).await)
                .await;
            assert_eq!(
                foreign
                    .err()
                    .and_then(|e| e.code().map(str::to_owned))
                    .as_deref(),
                Some("42501")
            );
            let foreign_task: Result<TnTask> = tx
                .transaction(async |inner| TnTask::insert(task(&alpha_b, "b2")).one(inner).await)
                .await;
            assert!(foreign_task.is_err());
            Ok::<_, Error>((beta, TnProject::select().count(tx).await?))
        })
        .await?;
    assert_eq!(before_b, 2);

    // Tenant B, in turn, sees only its own.
    let seen_by_b = db
        .transaction_with(tenant(b), async |tx| {
            let names: Vec<String> = TnProject::select()
                .all(tx)
                .await?
                .into_iter()
                .map(|p| p.name)
                .collect();
            Ok::<_, Error>((names, TnTask::select().count(tx).await?))
        })
        .await?;
    assert_eq!(seen_by_b, (vec!["alpha".to_owned()], 1));

    // As the owner again: A's new project is there, B's rows are untouched.
    assert_eq!(TnProject::find(beta_a.id).one(&db).await?.org_id, a);
    assert_eq!(TnProject::find(alpha_b.id).one(&db).await?, alpha_b);
    assert_eq!(TnProject::select().count(&db).await?, 3);
    assert_eq!(TnTask::select().count(&db).await?, 3);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "tenant_fixtures")]
async fn the_tenant_context_ends_with_its_transaction(db: Db) -> Result<()> {
    let org = Uuid::new_v4();
    // One committed and one rolled-back tenant transaction, on each pooled connection.
    for _ in 0..4 {
        db.transaction_with(tenant(org), async |tx| TnProject::select().count(tx).await)
            .await?;
        let failed: Result<()> = db
            .transaction_with(tenant(org), async |tx| {
                TnProject::select().count(tx).await?;
                Err(Error::validation("x", "rolled back on purpose"))
            })
            .await;
        assert!(failed.is_err());
    }
    // Every connection of the pool (4), checked out at once: none carries a setting or the role.
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(db.conn().await?);
    }
    for conn in &held {
        let (setting, user) = session_context(conn).await?;
        assert!(
            setting.as_deref().is_none_or(str::is_empty),
            "app.org_id left behind: {setting:?}"
        );
        assert_eq!(user, "postgres");
    }
    drop(held);

    // The role is an identifier, quoted; the value is bound: neither becomes SQL.
    let hostile = TxOptions::new()
        .set_local("app.org_id", "'; DROP TABLE tn_tasks; --")
        .role("buster_tenant\"; DROP TABLE tn_tasks; --");
    let refused: Result<i64> = db
        .transaction_with(hostile, async |tx| TnTask::select().count(tx).await)
        .await;
    assert_eq!(
        refused
            .err()
            .and_then(|e| e.code().map(str::to_owned))
            .as_deref(),
        Some("22023"),
        "an unknown role is refused"
    );
    assert_eq!(TnTask::select().count(&db).await?, 0);
    Ok(())
}
