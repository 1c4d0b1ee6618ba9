//! Every supported column type survives a round trip through PostgreSQL unchanged, including
//! extremes, NULLs, empty arrays and text in any script.

use buster_db::prelude::*;
use buster_db::types::chrono::{TimeZone, Timelike};
use buster_db::types::serde_json;
use buster_db::{DateTime, Enum, ErrorKind, Json, NaiveDate, Result, Utc, Uuid};
use buster_db_tests::{Doc, FxType, Mood, NewFxType};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// A timestamp with microseconds, the precision of `timestamptz`.
fn instant(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, micros: u32) -> DateTime<Utc> {
    let at = Utc
        .with_ymd_and_hms(y, mo, d, h, mi, s)
        .single()
        .and_then(|t| t.with_nanosecond(micros * 1000));
    at.unwrap_or_default()
}

fn doc() -> Doc {
    Doc {
        title: "räksmörgås 🦀".into(),
        values: vec![i64::MIN, 0, i64::MAX],
        child: Some(Box::new(Doc {
            title: "child".into(),
            values: vec![],
            child: None,
        })),
    }
}

/// Extreme values in every column, every nullable column set.
fn extremes() -> FxType {
    FxType {
        id: Uuid::nil(),
        t_text: "Grüße, 世界! 👋🏽👨‍👩‍👧 שלום עולם مرحبا 'single' \"double\" \\ back\ttab\nnewline"
            .into(),
        t_bool: true,
        t_i16: i16::MIN,
        t_i32: i32::MAX,
        t_i64: i64::MIN,
        t_f32: f32::MAX,
        t_f64: f64::MIN_POSITIVE,
        t_ts: instant(1999, 12, 31, 23, 59, 59, 999_999),
        t_date: date(2024, 2, 29),
        t_json: serde_json::json!({
            "text": "emoji 🎉 and rtl עברית",
            "int": i64::MAX,
            "neg": i64::MIN,
            "float": 1.5,
            "null": null,
            "nested": {"list": [1, "two", false, [], {}]},
        }),
        t_doc: Json(doc()),
        t_texts: vec![
            String::new(),
            "NULL".into(),
            "with,comma".into(),
            "{braces}".into(),
            "\"quoted\"".into(),
            "🦀".into(),
            "שלום".into(),
        ],
        t_uuids: vec![
            Uuid::nil(),
            Uuid::max(),
            Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef),
        ],
        t_i64s: vec![i64::MIN, -1, 0, 1, i64::MAX],
        t_mood: Mood::VeryHappy,
        t_moods: vec![Mood::Grumpy, Mood::VeryHappy, Mood::Neutral, Mood::Grumpy],
        o_text: Some("اختبار".into()),
        o_i32: Some(i32::MIN),
        o_f64: Some(f64::INFINITY),
        o_ts: Some(instant(1, 1, 1, 0, 0, 0, 1)),
        o_date: Some(date(9999, 12, 31)),
        o_json: Some(serde_json::json!([])),
        o_doc: Some(Json(Doc {
            title: String::new(),
            values: vec![],
            child: None,
        })),
        o_texts: Some(vec!["only".into()]),
        o_mood: Some(Mood::Neutral),
    }
}

/// The other ends of the ranges, empty arrays and every nullable column NULL.
fn empties() -> FxType {
    FxType {
        id: Uuid::nil(),
        t_text: String::new(),
        t_bool: false,
        t_i16: i16::MAX,
        t_i32: i32::MIN,
        t_i64: i64::MAX,
        t_f32: f32::MIN_POSITIVE,
        t_f64: f64::MAX,
        t_ts: instant(2262, 4, 11, 23, 47, 16, 854_775),
        t_date: date(1, 1, 1),
        t_json: serde_json::json!(null),
        t_doc: Json(Doc {
            title: "\u{202e}reversed".into(),
            values: vec![],
            child: None,
        }),
        t_texts: vec![],
        t_uuids: vec![],
        t_i64s: vec![],
        t_mood: Mood::Grumpy,
        t_moods: vec![],
        o_text: None,
        o_i32: None,
        o_f64: None,
        o_ts: None,
        o_date: None,
        o_json: None,
        o_doc: None,
        o_texts: None,
        o_mood: None,
    }
}

fn to_new(t: FxType) -> NewFxType {
    NewFxType {
        id: None,
        t_text: t.t_text,
        t_bool: t.t_bool,
        t_i16: t.t_i16,
        t_i32: t.t_i32,
        t_i64: t.t_i64,
        t_f32: t.t_f32,
        t_f64: t.t_f64,
        t_ts: t.t_ts,
        t_date: t.t_date,
        t_json: t.t_json,
        t_doc: t.t_doc,
        t_texts: t.t_texts,
        t_uuids: t.t_uuids,
        t_i64s: t.t_i64s,
        t_mood: t.t_mood,
        t_moods: t.t_moods,
        o_text: t.o_text,
        o_i32: t.o_i32,
        o_f64: t.o_f64,
        o_ts: t.o_ts,
        o_date: t.o_date,
        o_json: t.o_json,
        o_doc: t.o_doc,
        o_texts: t.o_texts,
        o_mood: t.o_mood,
    }
}

/// Inserts `value`, then checks the returned row and the row read back equal it.
async fn round_trip(db: &Db, value: FxType) -> Result<FxType> {
    let inserted = FxType::insert(to_new(value.clone())).one(db).await?;
    let expected = FxType {
        id: inserted.id,
        ..value
    };
    assert_eq!(inserted, expected);
    let read = FxType::find(inserted.id).one(db).await?;
    assert_eq!(read, expected);
    Ok(read)
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn extreme_values_of_every_type_round_trip_unchanged(db: Db) -> Result<()> {
    round_trip(&db, extremes()).await?;
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn nulls_empty_arrays_and_empty_text_round_trip_unchanged(db: Db) -> Result<()> {
    let row = round_trip(&db, empties()).await?;
    assert!(row.t_texts.is_empty() && row.t_moods.is_empty());
    assert_eq!(row.o_texts, None);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn an_empty_array_in_a_nullable_array_column_stays_distinct_from_null(db: Db) -> Result<()> {
    let row = round_trip(
        &db,
        FxType {
            o_texts: Some(vec![]),
            ..empties()
        },
    )
    .await?;
    assert_eq!(row.o_texts, Some(vec![]));
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn float_edge_values_round_trip_and_nan_stays_nan(db: Db) -> Result<()> {
    for (f32_value, f64_value) in [
        (f32::MIN, f64::MIN),
        (f32::EPSILON, f64::EPSILON),
        (f32::INFINITY, f64::NEG_INFINITY),
        (1e-45, 5e-324),
    ] {
        round_trip(
            &db,
            FxType {
                t_f32: f32_value,
                t_f64: f64_value,
                o_f64: Some(f64_value),
                ..empties()
            },
        )
        .await?;
    }

    let negative_zero = FxType::insert(to_new(FxType {
        t_f32: -0.0,
        t_f64: -0.0,
        ..empties()
    }))
    .one(&db)
    .await?;
    let read = FxType::find(negative_zero.id).one(&db).await?;
    assert!(read.t_f32 == 0.0 && read.t_f32.is_sign_negative());
    assert!(read.t_f64 == 0.0 && read.t_f64.is_sign_negative());

    let nan = FxType::insert(to_new(FxType {
        t_f32: f32::NAN,
        t_f64: f64::NAN,
        o_f64: Some(f64::NAN),
        ..empties()
    }))
    .one(&db)
    .await?;
    let read = FxType::find(nan.id).one(&db).await?;
    assert!(read.t_f32.is_nan());
    assert!(read.t_f64.is_nan());
    assert!(read.o_f64.is_some_and(f64::is_nan));
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn rows_of_every_type_round_trip_through_insert_many_and_upsert(db: Db) -> Result<()> {
    let inserted = FxType::insert_many([to_new(extremes()), to_new(empties())])
        .all(&db)
        .await?;
    assert_eq!(inserted.len(), 2);
    assert_eq!(
        inserted[0],
        FxType {
            id: inserted[0].id,
            ..extremes()
        }
    );
    assert_eq!(
        inserted[1],
        FxType {
            id: inserted[1].id,
            ..empties()
        }
    );

    let replaced = FxType::upsert(NewFxType {
        id: Some(inserted[1].id),
        ..to_new(extremes())
    })
    .on_conflict(FxType::id)
    .update_all()
    .one(&db)
    .await?;
    assert_eq!(
        replaced,
        FxType {
            id: inserted[1].id,
            ..extremes()
        }
    );
    assert_eq!(FxType::find(inserted[1].id).one(&db).await?, replaced);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn enum_labels_follow_camel_case_and_renames(db: Db) -> Result<()> {
    assert_eq!(Mood::VeryHappy.label(), "veryHappy");
    assert_eq!(Mood::Neutral.label(), "neutral");
    assert_eq!(Mood::Grumpy.label(), "grumpy_cat");
    assert_eq!(Mood::META.name, "fx_mood");
    assert_eq!(Mood::META.labels, ["veryHappy", "neutral", "grumpy_cat"]);

    // The type in the database has exactly these labels, so each variant must be accepted
    // and read back as itself.
    for mood in [Mood::VeryHappy, Mood::Neutral, Mood::Grumpy] {
        let row = round_trip(
            &db,
            FxType {
                t_mood: mood,
                t_moods: vec![mood],
                o_mood: Some(mood),
                ..empties()
            },
        )
        .await?;
        assert_eq!(row.t_mood, mood);
    }
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn enum_date_and_array_columns_can_be_filtered(db: Db) -> Result<()> {
    let a = round_trip(&db, extremes()).await?;
    let b = round_trip(&db, empties()).await?;

    let grumpy = FxType::select()
        .filter(FxType::t_mood.eq(Mood::Grumpy))
        .all(&db)
        .await?;
    assert_eq!(grumpy, vec![b.clone()]);
    let moods = FxType::select()
        .filter(FxType::t_mood.is_in([Mood::VeryHappy, Mood::Neutral]))
        .all(&db)
        .await?;
    assert_eq!(moods, vec![a.clone()]);
    let no_mood = FxType::select()
        .filter(FxType::o_mood.is_null())
        .all(&db)
        .await?;
    assert_eq!(no_mood, vec![b.clone()]);
    let after = FxType::select()
        .filter(FxType::t_date.gt(date(2000, 1, 1)))
        .all(&db)
        .await?;
    assert_eq!(after, vec![a.clone()]);
    let by_array = FxType::select()
        .filter(FxType::t_i64s.eq(Vec::<i64>::new()))
        .all(&db)
        .await?;
    assert_eq!(by_array, vec![b]);
    let by_json = FxType::select()
        .filter(FxType::t_json.eq(extremes().t_json))
        .all(&db)
        .await?;
    assert_eq!(by_json, vec![a]);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn a_nul_byte_in_text_or_json_is_a_typed_error_and_writes_nothing(db: Db) -> Result<()> {
    let cases = [
        FxType {
            t_text: "nul\0byte".into(),
            ..empties()
        },
        FxType {
            t_texts: vec!["fine".into(), "nul\0byte".into()],
            ..empties()
        },
        FxType {
            o_text: Some("\0".into()),
            ..empties()
        },
        FxType {
            t_json: serde_json::json!({"key": "nul\u{0}byte"}),
            ..empties()
        },
    ];
    for case in cases {
        let Err(err) = FxType::insert(to_new(case)).one(&db).await else {
            panic!("a NUL byte was stored");
        };
        assert_eq!(err.kind(), ErrorKind::Conversion, "{err:?}");
    }
    assert_eq!(FxType::select().count(&db).await?, 0);
    Ok(())
}
