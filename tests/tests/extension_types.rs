//! A type and an operator the engine does not know, declared by the user: PostgreSQL's built-in
//! `point` (two `float8`s) with its `<->` distance operator, the way an extension's vector type
//! and its `<=>` would be declared.

use buster_db::prelude::*;
use buster_db::types::{BytesMut, FromSql, IsNull, Scalar, SqlType, ToSql, Type, to_sql_checked};

/// A point on the plane, stored as PostgreSQL's `point`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

type BoxError = Box<dyn std::error::Error + Sync + Send>;

impl ToSql for Point {
    fn to_sql(&self, _: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        out.extend_from_slice(&self.x.to_be_bytes());
        out.extend_from_slice(&self.y.to_be_bytes());
        Ok(IsNull::No)
    }
    fn accepts(ty: &Type) -> bool {
        ty.name() == "point"
    }
    to_sql_checked!();
}

impl<'a> FromSql<'a> for Point {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Point, BoxError> {
        let (x, y) = raw.split_at_checked(8).ok_or("a point is 16 bytes")?;
        let x: [u8; 8] = x.try_into()?;
        let y: [u8; 8] = y.try_into()?;
        Ok(Point {
            x: f64::from_be_bytes(x),
            y: f64::from_be_bytes(y),
        })
    }
    fn accepts(ty: &Type) -> bool {
        ty.name() == "point"
    }
}

impl Scalar for Point {
    const SQL_TYPE: SqlType = SqlType::named("point");
}

buster_db::sql_operator! {
    /// `a <-> b`: the distance between two points.
    fn distance(a: Point, b: Point) -> f64 = "<->";
}

#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "ex_places")]
pub struct Place {
    #[column(primary_key)]
    pub name: String,
    pub at: Point,
    pub last_seen: Option<Point>,
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "expr_fixtures")]
async fn a_user_declared_type_round_trips_and_its_operator_orders_rows(db: Db) {
    for (name, x, y, seen) in [
        ("far", 10.0, 10.0, None),
        ("near", 1.0, 1.0, Some(Point { x: 0.5, y: -0.25 })),
        ("origin", 0.0, 0.0, None),
    ] {
        Place::insert(NewPlace {
            name: name.into(),
            at: Point { x, y },
            last_seen: seen,
        })
        .one(&db)
        .await
        .unwrap();
    }
    let here = Point { x: 0.9, y: 1.2 };
    let q = Place::select()
        .filter(distance(Place::at, here).lt(5.0))
        .order_by(distance(Place::at, here).asc());
    assert_eq!(
        q.to_sql().text,
        "SELECT \"ex_places\".\"name\", \"ex_places\".\"at\", \"ex_places\".\"last_seen\" FROM \"ex_places\" WHERE ((\"ex_places\".\"at\" <-> $1::point) < $2::double precision) ORDER BY (\"ex_places\".\"at\" <-> $3::point)"
    );
    let rows = q.all(&db).await.unwrap();
    assert_eq!(
        rows.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["near", "origin"]
    );
    assert_eq!(rows[0].last_seen, Some(Point { x: 0.5, y: -0.25 }));
    assert_eq!(rows[1].last_seen, None);
    let d: Vec<f64> = Place::select()
        .column(distance(Place::at, Point { x: 3.0, y: 4.0 }))
        .filter(Place::name.eq("origin"))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(d, [5.0]);
    // Compared and set like any column type.
    let moved = Place::update("far".to_string())
        .set(Place::at, Point { x: 2.0, y: 2.0 })
        .one(&db)
        .await
        .unwrap();
    assert_eq!(moved.at, Point { x: 2.0, y: 2.0 });
}
