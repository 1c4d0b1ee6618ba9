//! Value expressions: constants, CASE, arithmetic, functions, JSON, arrays, text search,
//! windows, declared functions, SQL fragments, and expressions in SET and upserts.
#![allow(clippy::type_complexity)]

use buster_db::expr::{
    DatePart, TextSearch, coalesce, date_trunc, excluded, extract, greatest, length, lower, now,
    nullif, plainto_tsquery, replace, row_number, to_tsvector, ts_headline, upper,
    websearch_to_tsquery,
};
use buster_db::prelude::*;
use buster_db::types::{chrono, serde_json};
use buster_db::{DateTime, ErrorKind, JsonValue, Utc};

#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "ex_docs")]
pub struct Doc {
    #[column(primary_key, default = "nextval('ex_docs_id_seq')")]
    pub id: i64,
    pub title: String,
    pub body: Option<String>,
    #[column(default = "'core'")]
    pub team: String,
    #[column(default = "0")]
    pub score: i32,
    #[column(default = "'{}'")]
    pub tags: Vec<String>,
    #[column(default = "'{}'")]
    pub meta: JsonValue,
    #[column(default = "now()")]
    pub created_at: DateTime<Utc>,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "ex_counters")]
pub struct Counter {
    #[column(primary_key)]
    pub name: String,
    #[column(default = "0")]
    pub n: i32,
    pub note: Option<String>,
}

buster_db::sql_fn! {
    /// `similarity(a, b)` of the `pg_trgm` extension.
    fn similarity(a: String, b: String) -> f32;
    /// `md5(text)`, one of the server's own functions.
    fn md5(text: String) -> String;
    /// `pg_catalog.btrim(text)`, schema-qualified.
    fn pg_catalog.btrim(text: String) -> String;
}

buster_db::sql_operator! {
    /// `a <-> b` of `pg_trgm`: trigram distance.
    fn trigram_distance(a: String, b: String) -> f32 = "<->";
    /// `a % b` of `pg_trgm`: similar above the threshold.
    fn similar(a: String, b: String) -> bool = "%";
}

async fn doc(db: &Db, title: &str, body: Option<&str>, team: &str, score: i32) -> Doc {
    Doc::insert(NewDoc {
        id: None,
        title: title.into(),
        body: body.map(Into::into),
        team: Some(team.into()),
        score: Some(score),
        tags: None,
        meta: None,
        created_at: None,
    })
    .one(db)
    .await
    .unwrap()
}

async fn three_docs(db: &Db) -> (Doc, Doc, Doc) {
    let a = doc(
        db,
        "Alpha report",
        Some("revenue grew in spring"),
        "core",
        7,
    )
    .await;
    let b = doc(db, "beta notes", None, "core", 2).await;
    let c = doc(
        db,
        "Gamma plan",
        Some("hiring plan for the data team"),
        "data",
        9,
    )
    .await;
    (a, b, c)
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "expr_fixtures")]
async fn constants_case_and_functions_are_selected_with_their_types(db: Db) {
    three_docs(&db).await;
    let q = Doc::select()
        .columns((
            Doc::title,
            lower(Doc::title),
            case(Doc::score.ge(5), "high").otherwise("low"),
            coalesce(Doc::body, "(empty)"),
            length(Doc::title),
            lit(7i32),
        ))
        .order_by(Doc::id.asc());
    assert_eq!(
        q.to_sql().text,
        "SELECT \"ex_docs\".\"title\", lower(\"ex_docs\".\"title\"), CASE WHEN \"ex_docs\".\"score\" >= $1 THEN $2::text ELSE $3::text END, coalesce(\"ex_docs\".\"body\", $4::text), length(\"ex_docs\".\"title\"), $5::integer FROM \"ex_docs\" WHERE \"ex_docs\".\"deleted_at\" IS NULL ORDER BY \"ex_docs\".\"id\""
    );
    let rows: Vec<(String, String, String, String, i32, i32)> = q.all(&db).await.unwrap();
    assert_eq!(
        rows,
        vec![
            (
                "Alpha report".into(),
                "alpha report".into(),
                "high".into(),
                "revenue grew in spring".into(),
                12,
                7
            ),
            (
                "beta notes".into(),
                "beta notes".into(),
                "low".into(),
                "(empty)".into(),
                10,
                7
            ),
            (
                "Gamma plan".into(),
                "gamma plan".into(),
                "high".into(),
                "hiring plan for the data team".into(),
                10,
                7
            ),
        ]
    );
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "expr_fixtures")]
async fn a_case_without_else_and_nullif_are_nullable(db: Db) {
    three_docs(&db).await;
    let rows: Vec<(Option<String>, Option<String>)> = Doc::select()
        .columns((
            case(Doc::team.eq("data"), Doc::title).end(),
            nullif(Doc::team, "core"),
        ))
        .order_by(Doc::id.asc())
        .all(&db)
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![
            (None, None),
            (None, None),
            (Some("Gamma plan".into()), Some("data".into()))
        ]
    );
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "expr_fixtures")]
async fn arithmetic_and_case_order_and_filter_the_rows(db: Db) {
    three_docs(&db).await;
    // Data-team documents first, then by score doubled minus one, descending.
    let q = Doc::select()
        .filter((Doc::score.expr() * 2).gt(5))
        .order_by(case(Doc::team.eq("data"), 0i32).otherwise(1i32).asc())
        .order_by((Doc::score * 2 - 1).desc())
        .column(Doc::title);
    assert_eq!(
        q.to_sql().text,
        "SELECT \"ex_docs\".\"title\" FROM \"ex_docs\" WHERE ((\"ex_docs\".\"score\" * $1::integer) > $2::integer) AND \"ex_docs\".\"deleted_at\" IS NULL ORDER BY CASE WHEN \"ex_docs\".\"team\" = $3 THEN $4::integer ELSE $5::integer END, ((\"ex_docs\".\"score\" * $6::integer) - $7::integer) DESC"
    );
    let titles: Vec<String> = q.all(&db).await.unwrap();
    assert_eq!(titles, ["Gamma plan", "Alpha report"]);
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "expr_fixtures")]
async fn an_expression_is_built_once_and_used_in_several_queries(db: Db) {
    three_docs(&db).await;
    let shouting = upper(Doc::title);
    let first: Vec<String> = Doc::select()
        .column(shouting.clone())
        .order_by(Doc::id.asc())
        .limit(1)
        .all(&db)
        .await
        .unwrap();
    let matching: Vec<i64> = Doc::select()
        .filter(shouting.eq("BETA NOTES"))
        .column(Doc::id)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(first, ["ALPHA REPORT"]);
    assert_eq!(matching.len(), 1);
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "expr_fixtures")]
async fn string_and_date_functions_compute_on_the_server(db: Db) {
    let a = doc(&db, "  padded  ", None, "core", 1).await;
    let rows: Vec<(String, String, DateTime<Utc>, f64, bool)> = Doc::select()
        .columns((
            buster_db::expr::trim(Doc::title),
            replace(Doc::team, "co", "CO"),
            date_trunc(DatePart::Day, Doc::created_at),
            extract(DatePart::Year, Doc::created_at),
            Doc::created_at.expr().le(now()),
        ))
        .all(&db)
        .await
        .unwrap();
    let (trimmed, replaced, day, year, before_now) = &rows[0];
    assert_eq!(trimmed, "padded");
    assert_eq!(replaced, "COre");
    assert_eq!(day.date_naive(), a.created_at.date_naive());
    assert_eq!(day.time(), chrono::NaiveTime::MIN);
    assert_eq!(*year as i32, chrono::Datelike::year(&a.created_at));
    assert!(*before_now);
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "expr_fixtures")]
async fn greatest_of_a_column_and_a_value(db: Db) {
    three_docs(&db).await;
    let rows: Vec<i32> = Doc::select()
        .column(greatest(Doc::score, 5i32))
        .order_by(Doc::id.asc())
        .all(&db)
        .await
        .unwrap();
    assert_eq!(rows, [7, 5, 9]);
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "expr_fixtures")]
async fn a_constant_tags_the_rows_of_each_part_of_a_union(db: Db) {
    three_docs(&db).await;
    Counter::insert(NewCounter {
        name: "visits".into(),
        n: Some(3),
        note: None,
    })
    .one(&db)
    .await
    .unwrap();
    let q = Doc::select()
        .columns((Doc::title, lit("doc")))
        .filter(Doc::team.eq("data"))
        .union_all(Counter::select().columns((Counter::name, lit("counter"))));
    let mut rows: Vec<(String, String)> = q.all(&db).await.unwrap();
    rows.sort();
    assert_eq!(
        rows,
        vec![
            ("Gamma plan".into(), "doc".into()),
            ("visits".into(), "counter".into())
        ]
    );
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "expr_fixtures")]
async fn set_computes_the_new_value_from_the_current_row_in_one_statement(db: Db) {
    Counter::insert(NewCounter {
        name: "visits".into(),
        n: Some(41),
        note: Some("seen".into()),
    })
    .one(&db)
    .await
    .unwrap();
    let q = Counter::update("visits".to_string())
        .set(Counter::n, Counter::n + 1)
        .set(Counter::note, Counter::note.expr().concat(" twice"));
    assert_eq!(
        q.to_sql().text,
        "UPDATE \"ex_counters\" SET \"n\" = (\"ex_counters\".\"n\" + $1::integer), \"note\" = (\"ex_counters\".\"note\" || $2::text) WHERE \"ex_counters\".\"name\" = $3 RETURNING \"ex_counters\".\"name\", \"ex_counters\".\"n\", \"ex_counters\".\"note\""
    );
    let row = q.one(&db).await.unwrap();
    assert_eq!(row.n, 42);
    assert_eq!(row.note.as_deref(), Some("seen twice"));
    let again = Counter::select().one(&db).await.unwrap();
    assert_eq!(again, row);
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "expr_fixtures")]
async fn an_upsert_adds_the_proposed_value_and_updates_only_when_its_condition_holds(db: Db) {
    let bump = |n: i32| {
        Counter::upsert(NewCounter {
            name: "visits".into(),
            n: Some(n),
            note: None,
        })
        .on_conflict(Counter::name)
        .update(Counter::note)
        .set(Counter::n, Counter::n.expr().plus(excluded(Counter::n)))
        .filter(excluded(Counter::n).gt(0))
    };
    assert_eq!(
        bump(1).to_sql().text,
        "INSERT INTO \"ex_counters\" (\"name\", \"n\", \"note\") VALUES ($1, $2, $3) ON CONFLICT (\"name\") DO UPDATE SET \"note\" = EXCLUDED.\"note\", \"n\" = (\"ex_counters\".\"n\" + \"excluded\".\"n\") WHERE (\"excluded\".\"n\" > $4::integer) RETURNING \"ex_counters\".\"name\", \"ex_counters\".\"n\", \"ex_counters\".\"note\""
    );
    assert_eq!(bump(5).one(&db).await.unwrap().n, 5);
    assert_eq!(bump(3).one(&db).await.unwrap().n, 8);
    // The condition fails: the row is left as it is and not returned.
    assert!(bump(-2).optional(&db).await.unwrap().is_none());
    assert_eq!(Counter::select().one(&db).await.unwrap().n, 8);
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "expr_fixtures")]
async fn window_functions_number_rank_and_sum_within_partitions(db: Db) {
    three_docs(&db).await;
    doc(&db, "Delta", None, "data", 4).await;
    let q = Doc::select()
        .columns((
            Doc::title,
            row_number().over(over().partition_by(Doc::team).order_by(Doc::score.desc())),
            Doc::score.sum().over(over().partition_by(Doc::team)),
            buster_db::expr::lag(Doc::title).over(over().order_by(Doc::id.asc())),
        ))
        .order_by(Doc::id.asc());
    assert_eq!(
        q.to_sql().text,
        "SELECT \"ex_docs\".\"title\", row_number() OVER (PARTITION BY \"ex_docs\".\"team\" ORDER BY \"ex_docs\".\"score\" DESC), (sum(\"ex_docs\".\"score\") OVER (PARTITION BY \"ex_docs\".\"team\")), lag(\"ex_docs\".\"title\") OVER (ORDER BY \"ex_docs\".\"id\") FROM \"ex_docs\" WHERE \"ex_docs\".\"deleted_at\" IS NULL ORDER BY \"ex_docs\".\"id\""
    );
    let rows: Vec<(String, i64, Option<i64>, Option<String>)> = q.all(&db).await.unwrap();
    assert_eq!(
        rows,
        vec![
            ("Alpha report".into(), 1, Some(9), None),
            ("beta notes".into(), 2, Some(9), Some("Alpha report".into())),
            ("Gamma plan".into(), 1, Some(13), Some("beta notes".into())),
            ("Delta".into(), 2, Some(13), Some("Gamma plan".into())),
        ]
    );
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "expr_fixtures")]
async fn jsonb_and_array_operators_filter_and_read_documents(db: Db) {
    let a = doc(&db, "a", None, "core", 1).await;
    let b = doc(&db, "b", None, "core", 1).await;
    Doc::update(a.id)
        .set(
            Doc::meta,
            serde_json::json!({"kind": "chart", "owner": {"name": "ada"}}),
        )
        .set(Doc::tags, vec!["sales".to_string(), "q3".to_string()])
        .one(&db)
        .await
        .unwrap();
    Doc::update(b.id)
        .set(Doc::meta, serde_json::json!({"kind": "table"}))
        .set(Doc::tags, vec!["ops".to_string()])
        .one(&db)
        .await
        .unwrap();
    let rows: Vec<(String, Option<String>, Option<String>, Option<i32>)> = Doc::select()
        .columns((
            Doc::title,
            Doc::meta.expr().get_text("kind"),
            Doc::meta.expr().path_text(&["owner", "name"]),
            Doc::tags.expr().array_length(),
        ))
        .filter(Doc::meta.expr().has_key("kind"))
        .order_by(Doc::title.asc())
        .all(&db)
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![
            (
                "a".into(),
                Some("chart".into()),
                Some("ada".into()),
                Some(2)
            ),
            ("b".into(), Some("table".into()), None, Some(1)),
        ]
    );
    let charts: Vec<String> = Doc::select()
        .filter(
            Doc::meta
                .expr()
                .contains(serde_json::json!({"kind": "chart"})),
        )
        .filter(Doc::tags.expr().overlaps(vec!["q3".into(), "nope".into()]))
        .filter(Doc::tags.expr().has("sales"))
        .column(Doc::title)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(charts, ["a"]);
    let renamed = Doc::update(b.id)
        .set(
            Doc::meta,
            Doc::meta
                .expr()
                .set_path(&["kind"], serde_json::json!("pivot")),
        )
        .one(&db)
        .await
        .unwrap();
    assert_eq!(renamed.meta, serde_json::json!({"kind": "pivot"}));
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "expr_fixtures")]
async fn a_text_search_ranks_and_highlights_matching_documents(db: Db) {
    three_docs(&db).await;
    let document = to_tsvector(TextSearch::ENGLISH, Doc::title)
        .clone()
        .matches(plainto_tsquery(TextSearch::ENGLISH, "plans"));
    let q = Doc::select()
        .columns((
            Doc::title,
            ts_headline(
                TextSearch::ENGLISH,
                Doc::title,
                plainto_tsquery(TextSearch::ENGLISH, "plans"),
            ),
        ))
        .filter(document)
        .order_by(
            to_tsvector(TextSearch::ENGLISH, Doc::body)
                .rank(websearch_to_tsquery(TextSearch::ENGLISH, "hiring"))
                .desc(),
        );
    assert_eq!(
        q.to_sql().text,
        "SELECT \"ex_docs\".\"title\", ts_headline('english'::regconfig, \"ex_docs\".\"title\", plainto_tsquery('english'::regconfig, $1::text)) FROM \"ex_docs\" WHERE (to_tsvector('english'::regconfig, coalesce(\"ex_docs\".\"title\", '')) @@ plainto_tsquery('english'::regconfig, $2::text)) AND \"ex_docs\".\"deleted_at\" IS NULL ORDER BY ts_rank(to_tsvector('english'::regconfig, coalesce(\"ex_docs\".\"body\", '')), websearch_to_tsquery('english'::regconfig, $3::text)) DESC"
    );
    let rows: Vec<(String, String)> = q.all(&db).await.unwrap();
    assert_eq!(
        rows,
        vec![("Gamma plan".into(), "Gamma <b>plan</b>".into())]
    );
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "expr_fixtures")]
async fn declared_functions_and_fragments_bind_their_values(db: Db) {
    three_docs(&db).await;
    let q = Doc::select()
        .columns((
            md5(Doc::title),
            btrim(lit("  x ")),
            buster_db::sql!(String; "initcap({})", Doc::title),
        ))
        .filter(similarity(Doc::title, "Alpha reports").gt(0.5f32))
        .filter(buster_db::sql!(bool; "{} <> {}", Doc::team, "nobody"));
    assert_eq!(
        q.to_sql().text,
        "SELECT \"md5\"(\"ex_docs\".\"title\"), \"pg_catalog\".\"btrim\"($1::text), initcap(\"ex_docs\".\"title\") FROM \"ex_docs\" WHERE (\"similarity\"(\"ex_docs\".\"title\", $2::text) > $3::real) AND \"ex_docs\".\"team\" <> $4::text AND \"ex_docs\".\"deleted_at\" IS NULL"
    );
    let rows: Vec<(String, String, String)> = q.all(&db).await.unwrap();
    assert_eq!(
        rows,
        vec![(
            "31f824879ce0fe24b0e01085e71df9f6".to_string(),
            "x".into(),
            "Alpha Report".into()
        )]
    );
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "expr_fixtures")]
async fn an_anti_join_tests_a_not_null_column_of_the_left_joined_table(db: Db) {
    let (a, _, c) = three_docs(&db).await;
    Counter::insert(NewCounter {
        name: a.title.clone(),
        n: Some(1),
        note: None,
    })
    .one(&db)
    .await
    .unwrap();
    let lonely: Vec<String> = Doc::select()
        .left_join(Counter::table(), Counter::name.eq_col(Doc::title))
        .filter(Counter::name.expr().is_null())
        .column(Doc::title)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(lonely.len(), 2);
    assert!(lonely.contains(&c.title));
    assert!(!lonely.contains(&a.title));
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "expr_fixtures")]
async fn a_cast_the_server_refuses_is_a_typed_error(db: Db) {
    doc(&db, "not a number", None, "core", 1).await;
    let err = Doc::select()
        .column(Doc::title.expr().cast::<i32>())
        .all(&db)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Database);
}

#[derive(buster_db::Record, Debug, PartialEq)]
struct Count {
    name: String,
    n: i32,
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "expr_fixtures")]
async fn an_update_returns_a_column_subset_or_a_record(db: Db) {
    for name in ["a", "b"] {
        Counter::insert(NewCounter {
            name: name.into(),
            n: Some(1),
            note: None,
        })
        .one(&db)
        .await
        .unwrap();
    }
    let q = Counter::update_where(Counter::name.eq("a"))
        .set(Counter::n, Counter::n * 10)
        .returning((Counter::n, Counter::n.expr().plus(1)));
    assert!(
        q.to_sql()
            .text
            .ends_with("RETURNING \"ex_counters\".\"n\", (\"ex_counters\".\"n\" + $3::integer)")
    );
    assert_eq!(q.all(&db).await.unwrap(), vec![(10, 11)]);
    let counts: Vec<Count> = Counter::update_where(Counter::n.lt(100))
        .set(Counter::n, Counter::n + 1)
        .returning((Counter::name, Counter::n))
        .all_as(&db)
        .await
        .unwrap();
    let mut counts = counts;
    counts.sort_by(|x, y| x.name.cmp(&y.name));
    assert_eq!(
        counts,
        vec![
            Count {
                name: "a".into(),
                n: 11
            },
            Count {
                name: "b".into(),
                n: 2
            }
        ]
    );
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "expr_fixtures")]
async fn extension_operators_order_and_filter_by_similarity(db: Db) {
    three_docs(&db).await;
    let q = Doc::select()
        .filter(similar(Doc::title, "Gamma plans"))
        .order_by(trigram_distance(Doc::title, "Gamma plans").asc())
        .column(Doc::title);
    assert_eq!(
        q.to_sql().text,
        "SELECT \"ex_docs\".\"title\" FROM \"ex_docs\" WHERE (\"ex_docs\".\"title\" % $1::text) AND \"ex_docs\".\"deleted_at\" IS NULL ORDER BY (\"ex_docs\".\"title\" <-> $2::text)"
    );
    assert_eq!(q.all(&db).await.unwrap(), ["Gamma plan"]);
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "expr_fixtures")]
async fn update_from_reads_a_live_row_of_another_table(db: Db) {
    let (a, b, _) = three_docs(&db).await;
    Doc::soft_delete(b.id).one(&db).await.unwrap();
    for name in [&a.title, &b.title, &"unmatched".to_string()] {
        Counter::insert(NewCounter {
            name: name.clone(),
            n: Some(1),
            note: None,
        })
        .one(&db)
        .await
        .unwrap();
    }
    let q = Counter::update_where(Counter::n.ge(0))
        .from(Doc::table(), Doc::title.eq_col(Counter::name))
        .set(Counter::n, Counter::n.expr().plus(Doc::score))
        .set(Counter::note, Doc::team)
        .filter(Doc::score.gt(0));
    assert_eq!(
        q.to_sql().text,
        "UPDATE \"ex_counters\" SET \"n\" = (\"ex_counters\".\"n\" + \"ex_docs\".\"score\"), \"note\" = \"ex_docs\".\"team\" FROM \"ex_docs\" WHERE \"ex_counters\".\"n\" >= $1 AND \"ex_docs\".\"score\" > $2 AND \"ex_docs\".\"title\" = \"ex_counters\".\"name\" AND \"ex_docs\".\"deleted_at\" IS NULL RETURNING \"ex_counters\".\"name\", \"ex_counters\".\"n\", \"ex_counters\".\"note\""
    );
    let updated = q.all(&db).await.unwrap();
    assert_eq!(
        updated,
        vec![Counter {
            name: a.title.clone(),
            n: 8,
            note: Some("core".into())
        }]
    );
    // The soft-deleted document matched nothing: its counter is untouched.
    let untouched = Counter::select()
        .filter(Counter::name.eq(b.title.as_str()))
        .one(&db)
        .await
        .unwrap();
    assert_eq!(untouched.n, 1);
    // RETURNING may read the other table too.
    let pairs: Vec<(String, String)> = Counter::update_where(Counter::n.ge(0))
        .from(Doc::table(), Doc::title.eq_col(Counter::name))
        .set(Counter::n, 0)
        .returning((Counter::name, Doc::team))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(pairs, vec![(a.title, "core".to_string())]);
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "expr_fixtures")]
async fn inserts_and_upserts_return_chosen_columns(db: Db) {
    let new = |name: &str, n: i32| NewCounter {
        name: name.into(),
        n: Some(n),
        note: None,
    };
    let q = Counter::insert(new("a", 1)).returning((Counter::name, Counter::n * 2));
    assert!(
        q.to_sql()
            .text
            .ends_with("RETURNING \"ex_counters\".\"name\", (\"ex_counters\".\"n\" * $4::integer)")
    );
    assert_eq!(q.one(&db).await.unwrap(), ("a".to_string(), 2));

    let names: Vec<(String,)> = Counter::insert_many([new("b", 1), new("c", 1)])
        .returning((Counter::name,))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(names, [("b".to_string(),), ("c".to_string(),)]);

    let counts: Vec<Count> = Counter::upsert_many([new("a", 5), new("d", 7)])
        .on_conflict(Counter::name)
        .update(Counter::n)
        .returning((Counter::name, Counter::n))
        .all_as(&db)
        .await
        .unwrap();
    assert_eq!(
        counts,
        vec![
            Count {
                name: "a".into(),
                n: 5
            },
            Count {
                name: "d".into(),
                n: 7
            }
        ]
    );

    // DO NOTHING returns only the rows it inserted.
    let inserted: Vec<(String, i32)> = Counter::upsert_many([new("a", 9), new("e", 9)])
        .on_conflict(Counter::name)
        .do_nothing()
        .returning((Counter::name, Counter::n))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(inserted, [("e".to_string(), 9)]);
    // No rows: nothing is sent, nothing returned.
    let none: Vec<(String,)> = Counter::insert_many(Vec::new())
        .returning((Counter::name,))
        .all(&db)
        .await
        .unwrap();
    assert!(none.is_empty());
}
