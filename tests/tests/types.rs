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

mod more_types {
    //! numeric, timestamp, time, interval, bytea, inet, cidr and citext.

    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    use std::str::FromStr;

    use buster_db::prelude::*;
    use buster_db::types::cidr::{IpCidr, IpInet};
    use buster_db::{
        Citext, Decimal, ErrorKind, Interval, NaiveDate, NaiveDateTime, NaiveTime, Result, Sql,
        Table, Uuid, drift,
    };
    use buster_db_tests::{FxMoreType, FxWideNumber, NewFxMoreType};

    fn decimal(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap_or_default()
    }

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, micros: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .and_then(|date| date.and_hms_micro_opt(h, mi, s, micros))
            .unwrap_or_default()
    }

    fn time(h: u32, m: u32, s: u32, micros: u32) -> NaiveTime {
        NaiveTime::from_hms_micro_opt(h, m, s, micros).unwrap_or_default()
    }

    fn inet(text: &str) -> IpInet {
        IpInet::from_str(text).unwrap()
    }

    fn cidr(text: &str) -> IpCidr {
        IpCidr::from_str(text).unwrap()
    }

    /// The largest and most precise values, every nullable column set.
    fn extremes() -> FxMoreType {
        FxMoreType {
            id: Uuid::nil(),
            t_numeric: Decimal::MAX,
            t_ts: at(9999, 12, 31, 23, 59, 59, 999_999),
            t_time: time(23, 59, 59, 999_999),
            t_date: NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or_default(),
            t_interval: Interval {
                months: -1_000_000,
                days: 1_000_000,
                microseconds: -259_199_999_999,
            },
            t_bytes: (0..=255).collect(),
            t_ip: IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)),
            t_inet: inet("10.1.2.3/8"),
            t_cidr: cidr("2001:db8::/32"),
            t_citext: Citext::from("Ann@Example.COM 🦀"),
            a_numeric: vec![
                Decimal::MIN,
                decimal("0.0000000000000000000000000001"),
                decimal("-123456789.123456789"),
                Decimal::ZERO,
            ],
            a_ts: vec![at(1, 1, 1, 0, 0, 0, 1), at(2024, 2, 29, 12, 0, 0, 0)],
            a_time: vec![time(0, 0, 0, 0), time(12, 30, 0, 1)],
            a_interval: vec![Interval::months(1), Interval::days(30), Interval::micros(1)],
            a_bytes: vec![vec![], vec![0], vec![255; 1000]],
            a_ip: vec![
                IpAddr::V4(Ipv4Addr::UNSPECIFIED),
                IpAddr::V4(Ipv4Addr::BROADCAST),
                IpAddr::V6(Ipv6Addr::LOCALHOST),
            ],
            a_cidr: vec![cidr("0.0.0.0/0"), cidr("192.168.1.0/24"), cidr("::1/128")],
            a_citext: vec![Citext::from(""), Citext::from("MiXeD")],
            o_numeric: Some(decimal("-0.50")),
            o_ts: Some(at(1970, 1, 1, 0, 0, 0, 0)),
            o_time: Some(time(0, 0, 0, 1)),
            o_interval: Some(Interval::default()),
            o_bytes: Some(vec![]),
            o_ip: Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
            o_cidr: Some(cidr("10.0.0.0/8")),
            o_citext: Some(Citext::from("x")),
        }
    }

    /// Other values, empty arrays and every nullable column NULL.
    fn empties() -> FxMoreType {
        FxMoreType {
            id: Uuid::nil(),
            t_numeric: decimal("0.00"),
            t_ts: at(1, 1, 1, 0, 0, 0, 0),
            t_time: time(0, 0, 0, 0),
            t_date: NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or_default(),
            t_interval: Interval::months(1),
            t_bytes: vec![],
            t_ip: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            t_inet: inet("::/0"),
            t_cidr: cidr("0.0.0.0/0"),
            t_citext: Citext::from(""),
            a_numeric: vec![],
            a_ts: vec![],
            a_time: vec![],
            a_interval: vec![],
            a_bytes: vec![],
            a_ip: vec![],
            a_cidr: vec![],
            a_citext: vec![],
            o_numeric: None,
            o_ts: None,
            o_time: None,
            o_interval: None,
            o_bytes: None,
            o_ip: None,
            o_cidr: None,
            o_citext: None,
        }
    }

    fn to_new(t: FxMoreType) -> NewFxMoreType {
        NewFxMoreType {
            id: None,
            t_numeric: t.t_numeric,
            t_ts: t.t_ts,
            t_time: t.t_time,
            t_date: t.t_date,
            t_interval: t.t_interval,
            t_bytes: t.t_bytes,
            t_ip: t.t_ip,
            t_inet: t.t_inet,
            t_cidr: t.t_cidr,
            t_citext: t.t_citext,
            a_numeric: t.a_numeric,
            a_ts: t.a_ts,
            a_time: t.a_time,
            a_interval: t.a_interval,
            a_bytes: t.a_bytes,
            a_ip: t.a_ip,
            a_cidr: t.a_cidr,
            a_citext: t.a_citext,
            o_numeric: t.o_numeric,
            o_ts: t.o_ts,
            o_time: t.o_time,
            o_interval: t.o_interval,
            o_bytes: t.o_bytes,
            o_ip: t.o_ip,
            o_cidr: t.o_cidr,
            o_citext: t.o_citext,
        }
    }

    /// Inserts `value` and reads it back; both must equal it, field by field.
    async fn round_trip(db: &Db, value: FxMoreType) -> Result<FxMoreType> {
        let inserted = FxMoreType::insert(to_new(value.clone())).one(db).await?;
        let expected = FxMoreType {
            id: inserted.id,
            ..value
        };
        assert_eq!(inserted, expected);
        let read = FxMoreType::find(inserted.id).one(db).await?;
        assert_eq!(read, expected);
        Ok(read)
    }

    #[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "types_fixtures")]
    async fn extreme_values_of_the_added_types_round_trip_unchanged(db: Db) -> Result<()> {
        let row = round_trip(&db, extremes()).await?;
        // Decimal's `==` ignores trailing zeros; the stored scale must survive as well.
        assert_eq!(row.a_numeric[1].scale(), 28);
        assert_eq!(row.o_numeric.map(|d| d.to_string()), Some("-0.50".into()));
        assert_eq!(row.t_citext.as_str(), "Ann@Example.COM 🦀");
        assert_eq!(row.t_inet.network_length(), 8);
        assert_eq!(row.t_bytes.len(), 256);
        Ok(())
    }

    #[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "types_fixtures")]
    async fn nulls_and_empty_arrays_of_the_added_types_round_trip(db: Db) -> Result<()> {
        let row = round_trip(&db, empties()).await?;
        // A zero keeps its value but not its scale: `rust_decimal` sends zero without one.
        assert_eq!(row.t_numeric, Decimal::ZERO);
        assert!(row.o_bytes.is_none() && row.a_bytes.is_empty());
        // An empty bytea is a value, not NULL.
        let row = round_trip(
            &db,
            FxMoreType {
                o_bytes: Some(vec![]),
                ..empties()
            },
        )
        .await?;
        assert_eq!(row.o_bytes, Some(vec![]));
        Ok(())
    }

    #[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "types_fixtures")]
    async fn an_interval_of_one_month_stays_apart_from_thirty_days(db: Db) -> Result<()> {
        let month = round_trip(
            &db,
            FxMoreType {
                t_interval: Interval::months(1),
                ..empties()
            },
        )
        .await?;
        let days = round_trip(
            &db,
            FxMoreType {
                t_interval: Interval::days(30),
                ..empties()
            },
        )
        .await?;
        assert_eq!(month.t_interval, Interval::months(1));
        assert_eq!(days.t_interval, Interval::days(30));
        // PostgreSQL compares intervals as if a month were 30 days: one filter finds both,
        // each still read back with the fields it was written with.
        let mut equal = FxMoreType::select()
            .filter(FxMoreType::t_interval.eq(Interval::days(30)))
            .all(&db)
            .await?;
        equal.sort_by_key(|r| r.t_interval.months);
        assert_eq!(equal, vec![days.clone(), month.clone()]);
        let longer = FxMoreType::select()
            .filter(FxMoreType::t_interval.gt(Interval::days(29)))
            .count(&db)
            .await?;
        assert_eq!(longer, 2);
        Ok(())
    }

    #[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "types_fixtures")]
    async fn the_added_types_can_be_filtered_ordered_and_summed(db: Db) -> Result<()> {
        let a = round_trip(
            &db,
            FxMoreType {
                t_numeric: decimal("10.25"),
                t_ts: at(2024, 1, 1, 8, 0, 0, 0),
                t_citext: Citext::from("Ann@Example.com"),
                t_ip: IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)),
                t_bytes: vec![1, 2, 3],
                ..empties()
            },
        )
        .await?;
        let b = round_trip(
            &db,
            FxMoreType {
                t_numeric: decimal("0.75"),
                t_ts: at(2024, 1, 2, 8, 0, 0, 0),
                ..empties()
            },
        )
        .await?;

        // citext compares without regard to case, in the database.
        let by_email = FxMoreType::select()
            .filter(FxMoreType::t_citext.eq(Citext::from("ann@EXAMPLE.com")))
            .all(&db)
            .await?;
        assert_eq!(by_email, vec![a.clone()]);
        let later = FxMoreType::select()
            .filter(FxMoreType::t_ts.gt(at(2024, 1, 1, 12, 0, 0, 0)))
            .all(&db)
            .await?;
        assert_eq!(later, vec![b.clone()]);
        let by_ip = FxMoreType::select()
            .filter(FxMoreType::t_ip.eq(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1))))
            .all(&db)
            .await?;
        assert_eq!(by_ip, vec![a.clone()]);
        let by_bytes = FxMoreType::select()
            .filter(FxMoreType::t_bytes.eq(vec![1u8, 2, 3]))
            .all(&db)
            .await?;
        assert_eq!(by_bytes, vec![a.clone()]);
        let ordered = FxMoreType::select()
            .order_by(FxMoreType::t_numeric.asc())
            .all(&db)
            .await?;
        assert_eq!(ordered, vec![b, a]);
        let total = FxMoreType::select()
            .columns((FxMoreType::t_numeric.sum(),))
            .one(&db)
            .await?;
        assert_eq!(total, (Some(decimal("11.00")),));
        Ok(())
    }

    #[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "types_fixtures")]
    async fn a_numeric_a_decimal_cannot_hold_is_a_typed_error_on_read(db: Db) -> Result<()> {
        assert_eq!(
            FxWideNumber::find(3).one(&db).await?.value.to_string(),
            "12.50"
        );
        for id in [1, 2] {
            let Err(err) = FxWideNumber::find(id).one(&db).await else {
                panic!("row {id} was read as a Decimal");
            };
            assert_eq!(err.kind(), ErrorKind::Conversion, "{err:?}");
            assert_eq!(err.column(), Some("value"), "{err:?}");
        }
        Ok(())
    }

    #[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "types_fixtures")]
    async fn the_added_types_match_the_database_in_the_drift_check(db: Db) -> Result<()> {
        let found = drift::check(
            &db,
            &[<FxMoreType as Table>::META, <FxWideNumber as Table>::META],
            &[],
        )
        .await?;
        assert_eq!(found, vec![]);
        Ok(())
    }

    #[test]
    fn the_ddl_names_each_added_type_as_the_catalog_does() {
        let ddl = <FxMoreType as Table>::META.ddl();
        for line in [
            r#""t_numeric" numeric NOT NULL"#,
            r#""t_ts" timestamp without time zone NOT NULL"#,
            r#""t_time" time without time zone NOT NULL"#,
            r#""t_interval" interval NOT NULL"#,
            r#""t_bytes" bytea NOT NULL"#,
            r#""t_ip" inet NOT NULL"#,
            r#""t_cidr" cidr NOT NULL"#,
            r#""t_citext" citext NOT NULL"#,
            r#""a_numeric" numeric[] NOT NULL"#,
            r#""a_bytes" bytea[] NOT NULL"#,
            r#""a_citext" citext[] NOT NULL"#,
            r#""o_interval" interval,"#,
            r#""o_citext" citext"#,
        ] {
            assert!(ddl.contains(line), "{line} not in\n{ddl}");
        }
    }

    #[test]
    fn filters_on_the_added_types_bind_their_values() {
        let query = FxMoreType::select()
            .filter(
                FxMoreType::t_numeric
                    .ge(Decimal::ONE)
                    .and(FxMoreType::t_interval.lt(Interval::months(1)))
                    .and(FxMoreType::o_citext.is_null()),
            )
            .columns((count_all(),));
        assert_eq!(
            query.to_sql(),
            Sql {
                text: r#"SELECT count(*) FROM "fx_more_types" WHERE (("fx_more_types"."t_numeric" >= $1 AND "fx_more_types"."t_interval" < $2) AND "fx_more_types"."o_citext" IS NULL)"#.into(),
                params: 2,
            }
        );
    }
}

mod newtypes {
    //! Newtypes over a column type, with `#[derive(buster_db::Scalar)]`.

    use buster_db::prelude::*;
    use buster_db::{Result, Table, Uuid, drift};
    use buster_db_tests::{FxSeat, Label, NewFxSeat, OrgId, UserId};

    fn seat(user: u128, org: u128, invited_by: Option<u128>) -> NewFxSeat {
        NewFxSeat {
            user_id: UserId(Uuid::from_u128(user)),
            org_id: OrgId(Uuid::from_u128(org)),
            invited_by: invited_by.map(|u| UserId(Uuid::from_u128(u))),
            admins: vec![UserId(Uuid::from_u128(user)), UserId(Uuid::max())],
            label: Label {
                text: format!("seat {user}"),
            },
        }
    }

    #[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "types_fixtures")]
    async fn newtype_columns_round_trip_and_filter_by_their_own_type(db: Db) -> Result<()> {
        let a = FxSeat::insert(seat(1, 10, None)).one(&db).await?;
        let b = FxSeat::insert(seat(2, 10, Some(1))).one(&db).await?;
        FxSeat::insert(seat(3, 20, Some(1))).one(&db).await?;
        assert_eq!(a.user_id, UserId(Uuid::from_u128(1)));
        assert_eq!(b.invited_by, Some(UserId(Uuid::from_u128(1))));
        assert_eq!(
            b.admins,
            vec![UserId(Uuid::from_u128(2)), UserId(Uuid::max())]
        );
        assert_eq!(b.label.text, "seat 2");

        assert_eq!(FxSeat::find(UserId(Uuid::from_u128(2))).one(&db).await?, b);
        let in_org = FxSeat::select()
            .filter(FxSeat::org_id.eq(OrgId(Uuid::from_u128(10))))
            .order_by(FxSeat::user_id.asc())
            .all(&db)
            .await?;
        assert_eq!(in_org, vec![a.clone(), b.clone()]);
        let invited = FxSeat::select()
            .filter(FxSeat::invited_by.is_in([UserId(Uuid::from_u128(1))]))
            .count(&db)
            .await?;
        assert_eq!(invited, 2);
        let uninvited = FxSeat::select()
            .filter(FxSeat::invited_by.is_null())
            .all(&db)
            .await?;
        assert_eq!(uninvited, vec![a]);

        let found = drift::check(&db, &[<FxSeat as Table>::META], &[]).await?;
        assert_eq!(found, vec![]);
        Ok(())
    }
}

mod declared_types {
    //! Column types declared by hand with `#[column(sql_type = "..")]`.

    use std::str::FromStr;

    use buster_db::drift::{self, Difference};
    use buster_db::prelude::*;
    use buster_db::{Decimal, ErrorKind, NaiveDate, NaiveDateTime, Result, Table};
    use buster_db_tests::{FxSized, NewFxSized};

    /// `fx_sized` as a declaration that no longer matches the database: wider text, another
    /// scale, a plain array.
    #[derive(Table)]
    #[allow(dead_code)] // declared for its metadata only
    #[table(name = "fx_sized", columns = "fx_sized_drifted")]
    pub struct FxSizedDrifted {
        #[column(primary_key)]
        pub id: i32,
        #[column(sql_type = "varchar(255)")]
        pub code: String,
        #[column(sql_type = "numeric(12, 4)")]
        pub amount: Decimal,
        #[column(sql_type = "timestamp(3)")]
        pub at: NaiveDateTime,
        pub tags: Vec<String>,
        #[column(sql_type = "char(4)")]
        pub note: Option<String>,
    }

    fn at(micros: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2024, 5, 6)
            .and_then(|d| d.and_hms_micro_opt(7, 8, 9, micros))
            .unwrap_or_default()
    }

    fn sized(id: i32, code: &str) -> NewFxSized {
        NewFxSized {
            id,
            code: code.into(),
            amount: Decimal::from_str("1234.567").unwrap_or_default(),
            at: at(123_456),
            tags: vec!["a".into(), "b".into()],
            note: Some("ab".into()),
        }
    }

    #[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "types_fixtures")]
    async fn declared_types_match_the_database_and_changes_are_reported(db: Db) -> Result<()> {
        assert_eq!(
            drift::check(&db, &[<FxSized as Table>::META], &[]).await?,
            vec![]
        );
        let found = drift::check(&db, &[<FxSizedDrifted as Table>::META], &[]).await?;
        let column_type = |column: &str, expected: &str, found: &str| Difference::ColumnType {
            table: "fx_sized".into(),
            column: column.into(),
            expected: expected.into(),
            found: found.into(),
        };
        assert_eq!(
            found,
            vec![
                column_type("code", "varchar(255)", "character varying(50)"),
                column_type("amount", "numeric(12, 4)", "numeric(12,2)"),
                column_type("tags", "text[]", "character varying(20)[]"),
            ]
        );
        assert_eq!(
            found[0].to_string(),
            "column `fx_sized.code`: expected type varchar(255), found character varying(50)"
        );
        Ok(())
    }

    #[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "types_fixtures")]
    async fn values_take_the_declared_types_modifiers(db: Db) -> Result<()> {
        let rows = FxSized::insert_many([sized(1, "first"), sized(2, "second")])
            .all(&db)
            .await?;
        assert_eq!(rows.len(), 2);
        let row = FxSized::find(1).one(&db).await?;
        // numeric(12, 2) rounds to two places, timestamp(3) to milliseconds, char(4) pads.
        assert_eq!(row.amount.to_string(), "1234.57");
        assert_eq!(row.at, at(123_000));
        assert_eq!(row.note.as_deref(), Some("ab  "));
        assert_eq!(row.code, "first");
        assert_eq!(row.tags, vec!["a".to_owned(), "b".to_owned()]);
        let by_code = FxSized::select()
            .filter(FxSized::code.eq("second"))
            .all(&db)
            .await?;
        assert_eq!(by_code.len(), 1);

        // Text longer than varchar(50) is refused by the database and nothing is written.
        let Err(err) = FxSized::insert(sized(3, &"x".repeat(51))).one(&db).await else {
            panic!("51 characters were stored in a varchar(50)");
        };
        assert_eq!(err.kind(), ErrorKind::Database, "{err:?}");
        assert_eq!(err.code(), Some("22001"), "{err:?}");
        assert_eq!(FxSized::select().count(&db).await?, 2);
        Ok(())
    }

    #[test]
    fn the_ddl_uses_the_declared_types() {
        let ddl = <FxSized as Table>::META.ddl();
        assert!(ddl.contains(r#""code" varchar(50) NOT NULL"#), "{ddl}");
        assert!(ddl.contains(r#""amount" numeric(12, 2) NOT NULL"#), "{ddl}");
        assert!(ddl.contains(r#""tags" varchar(20)[] NOT NULL"#), "{ddl}");
        assert!(ddl.contains(r#""note" char(4)"#), "{ddl}");
    }
}

mod text_enums {
    //! Enums stored as their label in a text column: `#[pg_enum(text)]`.

    use buster_db::prelude::*;
    use buster_db::{Enum, ErrorKind, Result, Table, drift};
    use buster_db_tests::{FxTicket, NewFxTicket, TicketStatus};

    #[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "types_fixtures")]
    async fn text_enums_round_trip_as_their_labels(db: Db) -> Result<()> {
        let row = FxTicket::insert(NewFxTicket {
            id: 1,
            status: TicketStatus::OnHold,
            history: vec![TicketStatus::Open, TicketStatus::OnHold],
            previous: Some(TicketStatus::Open),
        })
        .one(&db)
        .await?;
        assert_eq!(row.status, TicketStatus::OnHold);
        assert_eq!(row.history, vec![TicketStatus::Open, TicketStatus::OnHold]);
        assert_eq!(row.previous, Some(TicketStatus::Open));
        assert_eq!(TicketStatus::OnHold.label(), "on_hold");

        let held = FxTicket::select()
            .filter(FxTicket::status.eq(TicketStatus::OnHold))
            .all(&db)
            .await?;
        assert_eq!(held, vec![row.clone()]);
        let open_before = FxTicket::select()
            .filter(FxTicket::previous.is_in([TicketStatus::Open, TicketStatus::Closed]))
            .all(&db)
            .await?;
        assert_eq!(open_before, vec![row]);

        let found = drift::check(&db, &[<FxTicket as Table>::META], &[]).await?;
        assert_eq!(found, vec![]);
        Ok(())
    }

    #[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "types_fixtures")]
    async fn an_unknown_label_in_a_text_enum_column_is_a_typed_error(db: Db) -> Result<()> {
        let Err(err) = FxTicket::find(99).one(&db).await else {
            panic!("the label `escalated` was read as a TicketStatus");
        };
        assert_eq!(err.kind(), ErrorKind::Conversion, "{err:?}");
        assert_eq!(err.column(), Some("status"), "{err:?}");
        assert!(err.to_string().contains("escalated"), "{err}");
        // The other rows are still readable; only the unknown one fails.
        assert_eq!(
            FxTicket::select()
                .filter(FxTicket::id.ne(99))
                .count(&db)
                .await?,
            0
        );
        Ok(())
    }

    #[test]
    fn a_text_enum_column_is_text_in_the_ddl() {
        let ddl = <FxTicket as Table>::META.ddl();
        assert!(ddl.contains(r#""status" text NOT NULL"#), "{ddl}");
        assert!(ddl.contains(r#""history" text[] NOT NULL"#), "{ddl}");
        assert!(ddl.contains(r#""previous" varchar(20)"#), "{ddl}");
        assert!(<FxTicket as Table>::META.enums().is_empty());
    }
}

mod json_types {
    //! jsonb columns of a serde type declared with `#[derive(Scalar)] #[scalar(json)]`.

    use buster_db::prelude::*;
    use buster_db::{ErrorKind, Result, Table, drift};
    use buster_db_tests::{FxSettings, NewFxSettings, Preferences};

    fn prefs(theme: &str) -> Preferences {
        Preferences {
            theme: theme.into(),
            digest: true,
            tags: vec!["a".into(), "🦀".into()],
        }
    }

    #[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "types_fixtures")]
    async fn a_serde_type_round_trips_as_jsonb_without_a_wrapper(db: Db) -> Result<()> {
        let row = FxSettings::insert(NewFxSettings {
            id: 1,
            settings: prefs("dark"),
            history: vec![prefs("light"), prefs("dark")],
            extra: None,
        })
        .one(&db)
        .await?;
        assert_eq!(row.settings, prefs("dark"));
        assert_eq!(row.history, vec![prefs("light"), prefs("dark")]);
        assert_eq!(row.extra, None);
        let dark = FxSettings::select()
            .filter(FxSettings::settings.eq(prefs("dark")))
            .all(&db)
            .await?;
        assert_eq!(dark, vec![row]);
        assert_eq!(
            drift::check(&db, &[<FxSettings as Table>::META], &[]).await?,
            vec![]
        );

        // jsonb holds any JSON: reading a value that is not a `Preferences` is a typed error.
        let Err(err) = FxSettings::find(99).one(&db).await else {
            panic!("{{\"theme\": 1}} was read as Preferences");
        };
        assert_eq!(err.kind(), ErrorKind::Conversion, "{err:?}");
        assert_eq!(err.column(), Some("settings"), "{err:?}");

        // A NUL character cannot be stored in jsonb: a typed error, nothing written.
        let Err(err) = FxSettings::insert(NewFxSettings {
            id: 2,
            settings: Preferences {
                theme: "nul\0".into(),
                digest: false,
                tags: vec![],
            },
            history: vec![],
            extra: None,
        })
        .one(&db)
        .await
        else {
            panic!("a NUL character was stored in jsonb");
        };
        assert_eq!(err.kind(), ErrorKind::Conversion, "{err:?}");
        assert_eq!(FxSettings::select().count(&db).await?, 2);
        Ok(())
    }
}

mod time_crate {
    //! The `time` crate's types (feature `time`), beside chrono's.

    use buster_db::prelude::*;
    use buster_db::types::time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};
    use buster_db::{Result, Table, drift};
    use buster_db_tests::{FxTimeType, NewFxTimeType};

    #[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "types_fixtures")]
    async fn time_crate_values_round_trip_with_microseconds(db: Db) -> Result<()> {
        let day = Date::from_calendar_date(2024, Month::February, 29).unwrap();
        let clock = Time::from_hms_micro(23, 59, 59, 999_999).unwrap();
        let local = PrimitiveDateTime::new(day, clock);
        // An instant written with an offset reads back as the same instant, in UTC.
        let at = local.assume_offset(UtcOffset::from_hms(5, 30, 0).unwrap());
        let new = NewFxTimeType {
            id: 1,
            at,
            local_at: local,
            day,
            clock,
            days: vec![Date::from_calendar_date(1, Month::January, 1).unwrap(), day],
            maybe: None,
        };
        let row = FxTimeType::insert(new).one(&db).await?;
        assert_eq!(row.at, at);
        assert_eq!(row.at.offset(), UtcOffset::UTC);
        assert_eq!((row.local_at, row.day, row.clock), (local, day, clock));
        assert_eq!(row.maybe, None);
        assert_eq!(FxTimeType::find(1).one(&db).await?, row);
        let later = FxTimeType::select()
            .filter(FxTimeType::at.gt(OffsetDateTime::UNIX_EPOCH))
            .count(&db)
            .await?;
        assert_eq!(later, 1);
        assert_eq!(
            drift::check(&db, &[<FxTimeType as Table>::META], &[]).await?,
            vec![]
        );
        Ok(())
    }
}
