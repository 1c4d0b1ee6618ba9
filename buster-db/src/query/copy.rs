//! `COPY … FROM STDIN BINARY`: bulk loads without `RETURNING` or conflict handling.

use postgres_types::ToSql;

use crate::executor::Executor;
use crate::sql::Writer;
use crate::table::{Insertable, Table};

use super::insert::ColumnUse;
use crate::{Error, Result};

/// A bulk load of rows into `T` through `COPY … FROM STDIN BINARY` (see
/// [`Table::copy_in`]).
///
/// The column list is the insertable columns of `T`, without those every row leaves to their
/// default; the column types are the server's own (read once per connection), so the values
/// are encoded as exactly those types. One statement: a row the server refuses (a duplicate
/// key, a violated constraint) or a value that cannot be encoded fails the whole load, and no
/// row is written.
#[must_use = "a copy does nothing until `execute` runs it"]
pub struct CopyIn<T: Table> {
    rows: Vec<T::New>,
}

impl<T: Table> CopyIn<T> {
    pub(crate) fn new(rows: Vec<T::New>) -> CopyIn<T> {
        CopyIn { rows }
    }

    /// The `COPY` statement and the query describing its column types, for these rows; or a
    /// validation error when a defaulted column is given for some rows and not for others.
    fn statements(&self) -> Result<(String, String, Vec<bool>)> {
        let columns: Vec<_> = T::META.columns.iter().filter(|c| c.insertable()).collect();
        let ColumnUse { given, defaulted } = ColumnUse::of::<T>(&self.rows);
        for (i, column) in columns.iter().enumerate() {
            if given[i] && defaulted[i] {
                return Err(Error::validation(
                    column.name,
                    format!(
                        "copy_in into `{}`: column `{}` is given for some rows and left to its \
                         default for others; COPY has one column list for every row",
                        T::META.name,
                        column.name
                    ),
                ));
            }
        }
        let kept: Vec<&str> = columns
            .iter()
            .zip(&given)
            .filter(|(c, given)| **given || c.default.is_none())
            .map(|(c, _)| c.name)
            .collect();
        if kept.is_empty() {
            return Err(Error::validation(
                T::META.name,
                format!(
                    "copy_in into `{}`: every row leaves every column to its default; COPY needs \
                     at least one column",
                    T::META.name
                ),
            ));
        }
        let list = |w: &mut Writer<'_>| {
            for (i, name) in kept.iter().enumerate() {
                if i > 0 {
                    w.push(", ");
                }
                w.ident(name);
            }
        };
        let mut copy = Writer::new();
        copy.push("COPY ");
        copy.table(T::META);
        copy.push(" (");
        list(&mut copy);
        copy.push(") FROM STDIN BINARY");
        let mut describe = Writer::new();
        describe.push("SELECT ");
        list(&mut describe);
        describe.push(" FROM ");
        describe.table(T::META);
        describe.push(" LIMIT 0");
        let keep = columns
            .iter()
            .zip(&given)
            .map(|(c, given)| *given || c.default.is_none())
            .collect();
        Ok((copy.finish().0, describe.finish().0, keep))
    }

    /// The `COPY` statement these rows are loaded with, without a database.
    ///
    /// # Errors
    ///
    /// As [`execute`](CopyIn::execute), for a defaulted column given by some rows only.
    pub fn to_sql(&self) -> Result<String> {
        Ok(self.statements()?.0)
    }

    /// Loads the rows and returns how many were written (all or none).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`](crate::ErrorKind::Validation) before anything is sent when a
    /// defaulted column is given for some rows and left to its default for others;
    /// [`ErrorKind::Conversion`](crate::ErrorKind::Conversion) for a value that cannot be
    /// encoded as its column's type; the server's error (a unique or not-null violation …) for
    /// a row it refuses. In every case no row is written.
    pub async fn execute<E: Executor + ?Sized>(self, exec: &E) -> Result<u64> {
        if self.rows.is_empty() {
            return Ok(0);
        }
        let (copy, describe, keep) = self.statements()?;
        let width = keep.iter().filter(|k| **k).count();
        // One flat list of every row's values: no allocation per row.
        let mut flat: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(self.rows.len() * width);
        let mut values = Vec::with_capacity(keep.len());
        for row in &self.rows {
            values.clear();
            row.__values(&mut values);
            for (value, keep) in values.iter().zip(&keep) {
                match (value, keep) {
                    (Some(value), true) => flat.push(*value),
                    (None, false) => {}
                    // Only a column with a default can be left out, and `statements` keeps a
                    // column given by any row.
                    _ => {
                        return Err(Error::validation(
                            T::META.name,
                            "copy_in: a row does not match the column list",
                        ));
                    }
                }
            }
        }
        exec.__copy_in(&copy, &describe, &flat, width).await
    }
}
