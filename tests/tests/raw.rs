//! Raw statements (`buster_db::raw_query`): static SQL text, every value bound as a `$n`
//! parameter, rows read into a column type, a tuple or a record, on every executor.
//!
//! `raw_fixtures/` adds a `vault` schema with a `create_secret` function: a server function and
//! a table no struct declares, which only a raw statement reaches.

use buster_db::prelude::*;
use buster_db::{DateTime, Error, ErrorKind, Result, Sql, Utc, Uuid, raw_query};
use buster_db_tests::{User, new_user};
use futures_util::TryStreamExt;

/// A row of `vault.secrets`, read by the names of its columns.
#[derive(buster_db::Record, Debug, PartialEq)]
struct Secret {
    id: Uuid,
    name: Option<String>,
    secret: String,
}

/// Fields named as columns, but in another order than the statement selects them.
#[derive(buster_db::Record, Debug)]
struct Contact {
    name: String,
    email: String,
}

fn validation_of_params(result: Result<impl std::fmt::Debug>) -> String {
    match result {
        Ok(value) => panic!("accepted: {value:?}"),
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Validation, "{e}");
            assert_eq!(e.field(), Some("params"), "{e}");
            e.to_string()
        }
    }
}

#[test]
fn to_sql_shows_the_text_as_written_and_the_number_of_values_bound() {
    let q = raw_query::<Uuid>("SELECT vault.create_secret($1, $2)")
        .bind("s3cr3t")
        .bind("warehouse");
    assert_eq!(
        q.to_sql(),
        Sql {
            text: "SELECT vault.create_secret($1, $2)".to_owned(),
            params: 2,
        }
    );
    let none = raw_query::<DateTime<Utc>>("SELECT now()");
    assert_eq!(none.to_sql().params, 0);
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "raw_fixtures")]
async fn a_server_function_returns_its_value_and_a_record_reads_the_row(db: Db) -> Result<()> {
    let id: Uuid = raw_query("SELECT vault.create_secret($1, $2)")
        .bind("s3cr3t")
        .bind("warehouse")
        .one(&db)
        .await?;
    let secret: Secret = raw_query("SELECT id, name, secret FROM vault.secrets WHERE name = $1")
        .bind("warehouse")
        .one(&db)
        .await?;
    assert_eq!(
        secret,
        Secret {
            id,
            name: Some("warehouse".to_owned()),
            secret: "s3cr3t".to_owned(),
        }
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn statements_without_a_table_run_on_a_connection(db: Db) -> Result<()> {
    let now: DateTime<Utc> = raw_query("SELECT now()").one(&db).await?;
    let drift = (Utc::now() - now).num_seconds().abs();
    assert!(drift < 60, "the server's now() is {now}");

    // A session setting, set and read on the same checked-out connection.
    let conn = db.conn().await?;
    let set: String = raw_query("SELECT set_config($1, $2, false)")
        .bind("app.greeting")
        .bind("hello")
        .one(&conn)
        .await?;
    assert_eq!(set, "hello");
    let read: Option<String> = raw_query("SELECT current_setting($1, true)")
        .bind("app.greeting")
        .one(&conn)
        .await?;
    assert_eq!(read.as_deref(), Some("hello"));
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn rows_read_into_a_tuple_as_the_statement_says(db: Db) -> Result<()> {
    User::insert(new_user("ada@acme.io", "Ada"))
        .one(&db)
        .await?;
    let grace = User::insert(new_user("grace@acme.io", "Grace"))
        .one(&db)
        .await?;
    User::insert(new_user("linus@other.org", "Linus"))
        .one(&db)
        .await?;
    User::soft_delete(grace.id).one(&db).await?;

    // SQL as written: no soft-delete filter is added, so the deleted row is there.
    let rows: Vec<(String, bool)> = raw_query(
        "SELECT email, deleted_at IS NOT NULL FROM users WHERE email LIKE $1 ORDER BY email",
    )
    .bind("%@acme.io")
    .all(&db)
    .await?;
    assert_eq!(
        rows,
        [
            ("ada@acme.io".to_owned(), false),
            ("grace@acme.io".to_owned(), true),
        ]
    );

    let streamed: Vec<i64> = raw_query::<i64>("SELECT g FROM generate_series(1, $1::int8) g")
        .bind(3i64)
        .stream(&db)
        .try_collect()
        .await?;
    assert_eq!(streamed, [1, 2, 3]);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn execute_returns_the_number_of_rows_affected(db: Db) -> Result<()> {
    for (email, name) in [
        ("ada@acme.io", "Ada"),
        ("grace@acme.io", "Grace"),
        ("linus@other.org", "Linus"),
    ] {
        User::insert(new_user(email, name)).one(&db).await?;
    }
    let renamed = raw_query::<()>("UPDATE users SET name = $1 WHERE email LIKE $2")
        .bind("Renamed")
        .bind("%@acme.io")
        .execute(&db)
        .await?;
    assert_eq!(renamed, 2);
    let names: Vec<String> = User::select()
        .column(User::name)
        .order_by(User::email.asc())
        .all(&db)
        .await?;
    assert_eq!(names, ["Renamed", "Renamed", "Linus"]);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn placeholders_and_values_that_disagree_are_refused_before_sending(db: Db) -> Result<()> {
    let ada = User::insert(new_user("ada@acme.io", "Ada"))
        .one(&db)
        .await?;
    let before = db.statements_executed();

    let too_few = raw_query::<()>("UPDATE users SET name = $1 WHERE email = $2")
        .bind("Nobody")
        .execute(&db)
        .await;
    assert!(
        validation_of_params(too_few).contains("uses `$2`, but 1 value(s) are bound"),
        "too few"
    );
    let too_many = raw_query::<i64>("SELECT count(*) FROM users WHERE name = $1")
        .bind("Ada")
        .bind("Grace")
        .one(&db)
        .await;
    assert!(validation_of_params(too_many).contains("2 value(s) are bound"));
    let gap = raw_query::<Option<String>>("SELECT current_setting($2, true)")
        .bind("unused")
        .bind("app.greeting")
        .optional(&db)
        .await;
    assert!(validation_of_params(gap).contains("never `$1`"));
    let streamed: Result<Vec<i64>> =
        raw_query::<i64>("SELECT g FROM generate_series(1, $1::int8) g")
            .stream(&db)
            .try_collect()
            .await;
    validation_of_params(streamed);

    assert_eq!(db.statements_executed(), before, "a statement was sent");
    assert_eq!(User::find(ada.id).one(&db).await?.name, "Ada");
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_column_the_row_type_cannot_read_is_a_conversion_error_naming_it(db: Db) -> Result<()> {
    User::insert(new_user("ada@acme.io", "Ada"))
        .one(&db)
        .await?;

    let Err(wrong_type) = raw_query::<(Uuid, i64)>("SELECT id, email FROM users")
        .one(&db)
        .await
    else {
        panic!("text read as i64");
    };
    assert_eq!(wrong_type.kind(), ErrorKind::Conversion, "{wrong_type}");
    assert_eq!(wrong_type.column(), Some("email"), "{wrong_type}");

    let Err(too_few) = raw_query::<(Uuid,)>("SELECT id, email FROM users")
        .one(&db)
        .await
    else {
        panic!("two columns read into one");
    };
    assert_eq!(too_few.kind(), ErrorKind::Conversion, "{too_few}");
    assert!(
        too_few
            .to_string()
            .contains("returns 2 column(s) (`id`, `email`)"),
        "{too_few}"
    );

    // A record reads columns by name: two text columns in the other order are not swapped.
    let Err(swapped) = raw_query::<Contact>("SELECT email, name FROM users")
        .one(&db)
        .await
    else {
        panic!("email read into `name`");
    };
    assert_eq!(swapped.kind(), ErrorKind::Conversion, "{swapped}");
    assert_eq!(swapped.column(), Some("email"), "{swapped}");
    assert!(swapped.to_string().contains("AS name"), "{swapped}");
    let contact: Contact = raw_query("SELECT name, email FROM users").one(&db).await?;
    assert_eq!(
        (contact.name, contact.email),
        ("Ada".into(), "ada@acme.io".into())
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn no_row_is_none_or_not_found(db: Db) -> Result<()> {
    let none: Option<i32> = raw_query("SELECT 1 WHERE false").optional(&db).await?;
    assert_eq!(none, None);
    let Err(err) = raw_query::<i32>("SELECT 1 WHERE false").one(&db).await else {
        panic!("a row out of nothing");
    };
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "raw_fixtures")]
async fn raw_statements_in_a_transaction_roll_back_with_it(db: Db) -> Result<()> {
    let result = db
        .transaction(async |tx| {
            raw_query::<()>("SET LOCAL statement_timeout = '5s'")
                .execute(tx)
                .await?;
            let id: Uuid = raw_query("SELECT vault.create_secret($1, $2)")
                .bind("draft")
                .bind("abandoned")
                .one(tx)
                .await?;
            let inside: Vec<Secret> =
                raw_query("SELECT id, name, secret FROM vault.secrets WHERE name = $1")
                    .bind("abandoned")
                    .all(tx)
                    .await?;
            assert_eq!(inside.iter().map(|s| s.id).collect::<Vec<_>>(), [id]);
            let timeout: String = raw_query("SELECT current_setting($1, true)")
                .bind("statement_timeout")
                .one(tx)
                .await?;
            assert_eq!(timeout, "5s");
            Err::<(), _>(Error::validation("secret", "abandoned by the caller"))
        })
        .await;
    assert_eq!(
        result
            .err()
            .and_then(|e| e.field().map(str::to_owned))
            .as_deref(),
        Some("secret")
    );

    let left: Vec<Secret> = raw_query("SELECT id, name, secret FROM vault.secrets WHERE name = $1")
        .bind("abandoned")
        .all(&db)
        .await?;
    assert_eq!(left, []);
    Ok(())
}
