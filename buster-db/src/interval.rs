//! `interval`: a span of months, days and microseconds, kept apart as PostgreSQL keeps them.

use std::error::Error as StdError;

use bytes::{BufMut, BytesMut};
use postgres_types::{FromSql, IsNull, ToSql, Type, to_sql_checked};

/// A PostgreSQL `interval`: months, days and microseconds, each kept as stored.
///
/// PostgreSQL does not fold one field into another: `1 month` and `30 days` are different
/// intervals (added to 31 January they land on different dates), so this type keeps the three
/// fields apart and compares them field by field. `Interval::months(1) != Interval::days(30)`.
///
/// ```
/// use buster_db::Interval;
///
/// let billing = Interval::months(1);
/// let grace = Interval::days(3).plus_micros(12 * 3_600_000_000);
/// assert_eq!(grace, Interval { months: 0, days: 3, microseconds: 43_200_000_000 });
/// assert_ne!(billing, Interval::days(30));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Interval {
    /// Whole months (a year is 12).
    pub months: i32,
    /// Whole days, apart from months: a day is not always 24 hours across a time zone change.
    pub days: i32,
    /// The time part, in microseconds.
    pub microseconds: i64,
}

impl Interval {
    /// An interval of `months` months.
    pub const fn months(months: i32) -> Interval {
        Interval {
            months,
            days: 0,
            microseconds: 0,
        }
    }

    /// An interval of `days` days.
    pub const fn days(days: i32) -> Interval {
        Interval {
            months: 0,
            days,
            microseconds: 0,
        }
    }

    /// An interval of `microseconds` microseconds.
    pub const fn micros(microseconds: i64) -> Interval {
        Interval {
            months: 0,
            days: 0,
            microseconds,
        }
    }

    /// This interval with `microseconds` more in its time part.
    pub const fn plus_micros(self, microseconds: i64) -> Interval {
        Interval {
            microseconds: self.microseconds.wrapping_add(microseconds),
            ..self
        }
    }
}

// The binary format: microseconds (int8), days (int4), months (int4), big-endian.
impl ToSql for Interval {
    fn to_sql(
        &self,
        _: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        out.put_i64(self.microseconds);
        out.put_i32(self.days);
        out.put_i32(self.months);
        Ok(IsNull::No)
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::INTERVAL
    }

    to_sql_checked!();
}

impl<'a> FromSql<'a> for Interval {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Interval, Box<dyn StdError + Sync + Send>> {
        let bytes: [u8; 16] = raw
            .try_into()
            .map_err(|_| format!("an interval is 16 bytes, got {}", raw.len()))?;
        let [
            m0,
            m1,
            m2,
            m3,
            m4,
            m5,
            m6,
            m7,
            d0,
            d1,
            d2,
            d3,
            n0,
            n1,
            n2,
            n3,
        ] = bytes;
        Ok(Interval {
            microseconds: i64::from_be_bytes([m0, m1, m2, m3, m4, m5, m6, m7]),
            days: i32::from_be_bytes([d0, d1, d2, d3]),
            months: i32::from_be_bytes([n0, n1, n2, n3]),
        })
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::INTERVAL
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_binary_format_keeps_each_field() -> Result<(), Box<dyn StdError + Sync + Send>> {
        let value = Interval {
            months: -14,
            days: i32::MAX,
            microseconds: i64::MIN,
        };
        let mut buf = BytesMut::new();
        value.to_sql(&Type::INTERVAL, &mut buf)?;
        assert_eq!(buf.len(), 16);
        assert_eq!(Interval::from_sql(&Type::INTERVAL, &buf)?, value);
        assert!(Interval::from_sql(&Type::INTERVAL, &buf[..15]).is_err());
        Ok(())
    }
}
