//! Through a real PgBouncer, in session and in transaction mode: the query suite passes in
//! pooler mode (`?pgbouncer=true`), and the prepared-statement cache fails behind transaction
//! pooling, which is what pooler mode is for.
//!
//! Each test starts its own PgBouncer (`buster_db_tests::pgbouncer`) in front of the server of
//! `DATABASE_URL` and reaches its per-test database through it. Without the `pgbouncer` binary
//! (`.ci/run` installs it) the tests say so and skip; they never pass silently otherwise.
//! Cancellation and pool exhaustion through PgBouncer are f12 and f13 of `reliability.rs`.

use std::time::Duration;

use buster_db::prelude::*;
use buster_db::{Config, ErrorKind, Result, Uuid};
use buster_db_tests::pgbouncer::{PgBouncer, PoolMode};
use buster_db_tests::{FxType, Mood, NewFxType, User, kind, new_user};

/// Starts PgBouncer in front of `db`'s server, or `None` (with a message) when it is not
/// installed.
fn bouncer(test: &str, db: &Db, mode: PoolMode, server_pool: usize) -> Option<PgBouncer> {
    PgBouncer::start_or_skip(test, mode, db.config().get_port(), server_pool)
        .unwrap_or_else(|e| panic!("{test}: cannot start pgbouncer: {e}"))
}

/// A pool on `db`'s database through `bouncer`; `query` is appended to the URL. In pooler mode
/// it has a statement timeout (set per transaction); the cache mode would send it as a startup
/// option, which PgBouncer refuses.
async fn through(bouncer: &PgBouncer, db: &Db, query: &str, pool: usize) -> Result<Db> {
    let name = db.config().dbname().unwrap_or("postgres");
    let config = Config::from_url(&bouncer.url(name, query))?
        .pool_size(pool)
        .wait_timeout(Duration::from_secs(5));
    let timeout = (!config.get_prepared_statements()).then_some(Duration::from_secs(10));
    Db::connect(config.statement_timeout(timeout)).await
}

fn sample(text: &str) -> NewFxType {
    let now = buster_db::Utc::now();
    NewFxType {
        id: None,
        t_text: text.to_owned(),
        t_bool: true,
        t_i16: -7,
        t_i32: i32::MAX,
        t_i64: i64::MIN,
        t_f32: 1.5,
        t_f64: -0.25,
        t_ts: now,
        t_date: now.date_naive(),
        t_json: buster_db::types::serde_json::json!({"k": [1, "two"]}),
        t_doc: buster_db::Json(buster_db_tests::Doc {
            title: "doc".into(),
            values: vec![1, 2],
            child: None,
        }),
        t_texts: vec!["a".into(), "b,c".into()],
        t_uuids: vec![Uuid::nil()],
        t_i64s: vec![1, -1],
        t_mood: Mood::Grumpy,
        t_moods: vec![Mood::VeryHappy, Mood::Neutral],
        o_text: None,
        o_i32: Some(3),
        o_f64: None,
        o_ts: None,
        o_date: None,
        o_json: None,
        o_doc: None,
        o_texts: Some(vec![]),
        o_mood: Some(Mood::Neutral),
    }
}

/// Select, insert (one and many), upsert, update, soft delete, transactions and pagination,
/// with values of every column type including enums and arrays of enums.
async fn suite(db: &Db, tag: &str) -> Result<()> {
    let ada = User::insert(new_user(&format!("ada-{tag}@example.com"), "Ada"))
        .one(db)
        .await?;
    assert_eq!(User::find(ada.id).one(db).await?, ada);
    let by_email = User::select()
        .filter(User::email.eq(ada.email.clone()))
        .all(db)
        .await?;
    assert_eq!(by_email, vec![ada.clone()]);

    let upserted = User::upsert(new_user(&ada.email, "Ada Lovelace"))
        .on_conflict(User::email)
        .update((User::name,))
        .one(db)
        .await?;
    assert_eq!(
        (upserted.id, upserted.name.as_str()),
        (ada.id, "Ada Lovelace")
    );

    let updated = User::update(ada.id)
        .set(User::is_active, false)
        .one(db)
        .await?;
    assert!(!updated.is_active);

    let many: Vec<_> = (0..5)
        .map(|i| new_user(&format!("u{i}-{tag}@example.com"), &format!("U{i}")))
        .collect();
    let inserted = User::insert_many(many).all(db).await?;
    assert_eq!(inserted.len(), 5);
    let ids: Vec<Uuid> = inserted.iter().map(|u| u.id).collect();
    assert_eq!(
        User::select().filter(User::id.is_in(ids)).count(db).await?,
        5
    );

    let gone = User::soft_delete(ada.id).one(db).await?;
    assert!(gone.deleted_at.is_some());
    assert_eq!(User::find(ada.id).optional(db).await?, None);

    let page = User::select()
        .filter(User::email.like(format!("%-{tag}@example.com")))
        .order_by(User::email.asc())
        .paginate(2, 2, db)
        .await?;
    assert_eq!((page.total, page.items.len(), page.has_more), (5, 2, true));

    let committed = db
        .transaction(async |tx| {
            let a = User::insert(new_user(&format!("tx-a-{tag}@example.com"), "A"))
                .one(tx)
                .await?;
            let b = User::insert(new_user(&format!("tx-b-{tag}@example.com"), "B"))
                .one(tx)
                .await?;
            // A nested transaction (a savepoint) rolled back on its own.
            let inner: Result<()> = tx
                .transaction(async |inner| {
                    User::update(a.id).set(User::name, "X").one(inner).await?;
                    Err(buster_db::Error::validation("name", "refused"))
                })
                .await;
            assert_eq!(kind(inner), Some(ErrorKind::Validation));
            Ok::<_, buster_db::Error>((a.id, b.id))
        })
        .await?;
    assert_eq!(User::find(committed.0).one(db).await?.name, "A");
    assert!(User::find(committed.1).optional(db).await?.is_some());
    let email = format!("rolled-back-{tag}@example.com");
    let rolled_back: Result<()> = db
        .transaction(async |tx| {
            User::insert(new_user(&email, "R")).one(tx).await?;
            Err(buster_db::Error::validation("x", "refused"))
        })
        .await;
    assert_eq!(kind(rolled_back), Some(ErrorKind::Validation));
    assert!(
        !User::select()
            .filter(User::email.eq(email))
            .exists(db)
            .await?
    );

    let typed = FxType::insert(sample(tag)).one(db).await?;
    let read = FxType::find(typed.id).one(db).await?;
    assert_eq!(read, typed);
    assert_eq!(read.t_moods, vec![Mood::VeryHappy, Mood::Neutral]);
    let grumpy = FxType::select()
        .filter(FxType::t_mood.eq(Mood::Grumpy))
        .count(db)
        .await?;
    assert!(grumpy >= 1);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn the_query_suite_passes_through_pgbouncer_in_transaction_mode(db: Db) -> Result<()> {
    let test = "the_query_suite_passes_through_pgbouncer_in_transaction_mode";
    let Some(bouncer) = bouncer(test, &db, PoolMode::Transaction, 2) else {
        return Ok(());
    };
    let pooled = through(&bouncer, &db, "?pgbouncer=true", 4).await?;
    assert!(!pooled.config().get_prepared_statements());
    // Run twice, and from several tasks at once, so that statements of one client meet other
    // server sessions than the one they first ran on.
    suite(&pooled, "t0").await?;
    let mut tasks = Vec::new();
    for i in 1..=4 {
        let pooled = pooled.clone();
        tasks.push(tokio::spawn(async move {
            suite(&pooled, &format!("t{i}")).await
        }));
    }
    for task in tasks {
        match task.await {
            Ok(result) => result?,
            Err(e) => panic!("{test}: a task failed: {e}\n{}", bouncer.log()),
        }
    }
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn the_query_suite_passes_through_pgbouncer_in_session_mode(db: Db) -> Result<()> {
    let test = "the_query_suite_passes_through_pgbouncer_in_session_mode";
    let Some(bouncer) = bouncer(test, &db, PoolMode::Session, 4) else {
        return Ok(());
    };
    // Session pooling keeps one server session per client: the statement cache works, and so
    // does pooler mode.
    let cached = through(&bouncer, &db, "", 2).await?;
    suite(&cached, "s0").await?;
    cached.close();
    let pooled = through(&bouncer, &db, "?prepared_statements=false", 2).await?;
    suite(&pooled, "s1").await?;
    Ok(())
}

/// Concurrent finds from `callers` tasks; the errors they got, by SQLSTATE.
async fn concurrent_finds(db: &Db, id: Uuid, callers: usize) -> Vec<Option<String>> {
    let mut tasks = Vec::new();
    for _ in 0..callers {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let mut errors = Vec::new();
            for _ in 0..25 {
                if let Err(e) = User::find(id).one(&db).await {
                    errors.push(e.code().map(str::to_owned));
                }
            }
            errors
        }));
    }
    let mut errors = Vec::new();
    for task in tasks {
        match task.await {
            Ok(found) => errors.extend(found),
            Err(e) => panic!("a task failed: {e}"),
        }
    }
    errors
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn the_statement_cache_fails_behind_transaction_pooling_and_pooler_mode_does_not(
    db: Db,
) -> Result<()> {
    let test = "the_statement_cache_fails_behind_transaction_pooling_and_pooler_mode_does_not";
    let Some(bouncer) = bouncer(test, &db, PoolMode::Transaction, 2) else {
        return Ok(());
    };
    let user = User::insert(new_user("cache@example.com", "Cache"))
        .one(&db)
        .await?;

    // A statement timeout as a startup option is refused outright.
    let name = db.config().dbname().unwrap_or("postgres");
    let with_option =
        Config::from_url(&bouncer.url(name, ""))?.statement_timeout(Some(Duration::from_secs(1)));
    let refused = Db::connect(with_option).await.err();
    assert_eq!(
        refused.as_ref().map(|e| e.kind()),
        Some(ErrorKind::Connection)
    );
    assert_eq!(refused.as_ref().and_then(|e| e.code()), Some("08P01"));

    let cached = through(&bouncer, &db, "", 8).await?;
    let errors = concurrent_finds(&cached, user.id, 16).await;
    let named: Vec<_> = errors
        .iter()
        .filter(|code| matches!(code.as_deref(), Some("26000" | "42P05")))
        .collect();
    println!(
        "{test}: cached mode, 400 finds on 8 clients over 2 server sessions: {} errors, {} of \
         them 26000/42P05",
        errors.len(),
        named.len()
    );
    assert!(
        !named.is_empty(),
        "named prepared statements unexpectedly survived transaction pooling: {errors:?}"
    );
    cached.close();

    let pooled = through(&bouncer, &db, "?pgbouncer=true", 8).await?;
    let errors = concurrent_finds(&pooled, user.id, 16).await;
    println!(
        "{test}: pooler mode, the same 400 finds: {} errors",
        errors.len()
    );
    assert!(errors.is_empty(), "pooler mode failed: {errors:?}");
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn a_statement_timeout_behind_transaction_pooling_never_outlives_its_transaction(
    db: Db,
) -> Result<()> {
    let test = "a_statement_timeout_behind_transaction_pooling_never_outlives_its_transaction";
    // One server session: every client below runs on it in turn.
    let Some(bouncer) = bouncer(test, &db, PoolMode::Transaction, 1) else {
        return Ok(());
    };
    let name = db.config().dbname().unwrap_or("postgres");
    let timed = Db::connect(
        Config::from_url(&bouncer.url(name, "?pgbouncer=true"))?
            .pool_size(2)
            .statement_timeout(Some(Duration::from_millis(100))),
    )
    .await?;
    let plain = Db::connect(Config::from_url(&bouncer.url(name, "?pgbouncer=true"))?).await?;

    // The startup option would have been refused by PgBouncer; the timeout still applies, to
    // single statements and inside transactions.
    assert_eq!(
        setting(&timed, "statement_timeout").await?.as_deref(),
        Some("100ms")
    );
    assert_eq!(
        kind(sleep(&timed, 2.0).await),
        Some(ErrorKind::QueryCanceled)
    );
    let in_tx: Result<()> = timed.transaction(async |tx| sleep(tx, 2.0).await).await;
    assert_eq!(kind(in_tx), Some(ErrorKind::QueryCanceled));
    // The same server session, reached by a client without a timeout: no setting is left.
    assert_eq!(
        setting(&plain, "statement_timeout").await?.as_deref(),
        Some("0")
    );
    let slept = sleep(&plain, 0.3).await;
    assert!(slept.is_ok(), "{slept:?}");
    Ok(())
}

/// Sleeps on the server: a statement that outlasts a timeout.
async fn sleep(on: &impl Executor, seconds: f64) -> Result<()> {
    buster_db::raw_query::<()>("SELECT pg_sleep($1)")
        .bind(seconds)
        .execute(on)
        .await?;
    Ok(())
}

/// The value of a server setting in the session that runs the statement.
async fn setting(on: &impl Executor, name: &str) -> Result<Option<String>> {
    let value = buster_db::raw_query("SELECT current_setting($1, true)")
        .bind(name)
        .optional(on)
        .await?;
    Ok(value.flatten())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn migrations_refuse_transaction_pooling_and_run_over_the_direct_url(db: Db) -> Result<()> {
    let test = "migrations_refuse_transaction_pooling_and_run_over_the_direct_url";
    let Some(bouncer) = bouncer(test, &db, PoolMode::Transaction, 2) else {
        return Ok(());
    };
    let pooled = through(&bouncer, &db, "?pgbouncer=true", 2).await?;
    let refused = buster_db::migrate::migrate(&pooled, buster_database::MIGRATIONS).await;
    let refused = refused.err();
    assert_eq!(refused.as_ref().map(|e| e.kind()), Some(ErrorKind::Config));
    assert!(
        refused.is_some_and(|e| e.to_string().contains("direct_url")),
        "the error names the fix"
    );
    let name = db.config().dbname().unwrap_or("postgres");
    let direct = format!(
        "postgres://postgres@{}:{}/{name}",
        db.config().get_host().unwrap_or_default(),
        db.config().get_port()
    );
    let config = pooled.config().clone().direct_url(&direct)?;
    let with_direct = Db::connect(config).await?;
    let report = buster_db::migrate::migrate(&with_direct, buster_database::MIGRATIONS).await?;
    assert!(report.applied.is_empty());
    assert_eq!(report.already_applied, buster_database::MIGRATIONS.len());
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "tenant_fixtures")]
async fn tenant_context_behind_transaction_pooling_stays_inside_its_transaction(
    db: Db,
) -> Result<()> {
    use buster_db::TxOptions;
    use buster_db_tests::tenant::{NewTnProject, TENANT_ROLE, TnProject, session_context};

    let test = "tenant_context_behind_transaction_pooling_stays_inside_its_transaction";
    // One server session, shared in turn by the tenant's client and a plain one.
    let Some(bouncer) = bouncer(test, &db, PoolMode::Transaction, 1) else {
        return Ok(());
    };
    let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
    for org in [a, b] {
        TnProject::insert(NewTnProject {
            id: None,
            org_id: org,
            name: "p".into(),
        })
        .one(&db)
        .await?;
    }
    let tenant = through(&bouncer, &db, "?pgbouncer=true", 2).await?;
    let plain = through(&bouncer, &db, "?pgbouncer=true", 1).await?;
    let options = TxOptions::new()
        .set_local("app.org_id", a.to_string())
        .role(TENANT_ROLE);
    let seen = tenant
        .transaction_with(options, async |tx| {
            let context = session_context(tx).await?;
            Ok::<_, buster_db::Error>((context, TnProject::select().all(tx).await?))
        })
        .await?;
    assert_eq!(seen.0, (Some(a.to_string()), TENANT_ROLE.to_owned()));
    assert_eq!(seen.1.len(), 1);
    assert_eq!(seen.1[0].org_id, a);
    let (setting, user) = session_context(&plain).await?;
    assert!(setting.as_deref().is_none_or(str::is_empty), "{setting:?}");
    assert_eq!(user, "postgres");
    Ok(())
}

/// numeric, timestamp, time, interval, bytea, inet, cidr, citext, text enums and newtypes, in
/// pooler mode: each parameter's type is declared from the value, extension types included.
#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "types_fixtures")]
async fn the_added_column_types_pass_through_pgbouncer_in_transaction_mode(db: Db) -> Result<()> {
    use std::net::{IpAddr, Ipv6Addr};
    use std::str::FromStr;

    use buster_db::types::cidr::{IpCidr, IpInet};
    use buster_db::{Citext, Decimal, Interval, NaiveDate, NaiveTime};
    use buster_db_tests::{FxMoreType, FxTicket, NewFxMoreType, NewFxTicket, TicketStatus};

    let test = "the_added_column_types_pass_through_pgbouncer_in_transaction_mode";
    let Some(bouncer) = bouncer(test, &db, PoolMode::Transaction, 2) else {
        return Ok(());
    };
    let pooled = through(&bouncer, &db, "?pgbouncer=true", 2).await?;
    let at = NaiveDate::from_ymd_opt(2024, 2, 29)
        .and_then(|d| d.and_hms_micro_opt(1, 2, 3, 4))
        .unwrap();
    let new = NewFxMoreType {
        id: None,
        t_numeric: Decimal::from_str("-12345.6789").unwrap(),
        t_ts: at,
        t_time: NaiveTime::from_hms_micro_opt(23, 59, 59, 999_999).unwrap(),
        t_date: at.date(),
        t_interval: Interval::months(14).plus_micros(1),
        t_bytes: vec![0, 255, 1],
        t_ip: IpAddr::V6(Ipv6Addr::LOCALHOST),
        t_inet: IpInet::from_str("10.1.2.3/8").unwrap(),
        t_cidr: IpCidr::from_str("10.0.0.0/8").unwrap(),
        t_citext: Citext::from("Ann@Example.com"),
        a_numeric: vec![Decimal::ONE],
        a_ts: vec![at],
        a_time: vec![NaiveTime::MIN],
        a_interval: vec![Interval::days(3)],
        a_bytes: vec![vec![1]],
        a_ip: vec![IpAddr::V6(Ipv6Addr::UNSPECIFIED)],
        a_cidr: vec![IpCidr::from_str("::/0").unwrap()],
        a_citext: vec![Citext::from("X")],
        o_numeric: None,
        o_ts: Some(at),
        o_time: None,
        o_interval: Some(Interval::days(-1)),
        o_bytes: None,
        o_ip: None,
        o_cidr: None,
        o_citext: Some(Citext::from("y")),
    };
    for _ in 0..2 {
        let row = FxMoreType::insert(new.clone()).one(&pooled).await?;
        assert_eq!(FxMoreType::find(row.id).one(&pooled).await?, row);
        assert_eq!(row.t_interval, Interval::months(14).plus_micros(1));
        assert_eq!(row.t_citext.as_str(), "Ann@Example.com");
    }
    let by_email = FxMoreType::select()
        .filter(FxMoreType::t_citext.eq(Citext::from("ANN@example.COM")))
        .filter(FxMoreType::t_numeric.lt(Decimal::ZERO))
        .count(&pooled)
        .await?;
    assert_eq!(by_email, 2);

    let ticket = FxTicket::insert(NewFxTicket {
        id: 1,
        status: TicketStatus::Closed,
        history: vec![TicketStatus::Open],
        previous: Some(TicketStatus::OnHold),
    })
    .one(&pooled)
    .await?;
    let closed = FxTicket::select()
        .filter(FxTicket::status.eq(TicketStatus::Closed))
        .all(&pooled)
        .await?;
    assert_eq!(closed, vec![ticket]);
    Ok(())
}
