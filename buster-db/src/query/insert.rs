//! `INSERT … RETURNING`, one row or many.

use std::borrow::Cow;

use postgres_types::ToSql;

use crate::sql::Writer;
use crate::table::{Insertable, Table};

use super::Rendered;
use super::run::terminals;

/// The rows of an insert or upsert. Many rows are turned into one array per column up front
/// (`UNNEST`), so the statement text does not depend on the row count; tables with array-typed
/// columns (which `UNNEST` would flatten) use multi-row `VALUES` instead.
pub(crate) enum Rows<T: Table> {
    One(T::New),
    Arrays {
        /// The statement for this batch's shape: the columns every row leaves to their
        /// default are left out (no all-`NULL` array to bind, no `COALESCE` to evaluate).
        sql: Cow<'static, str>,
        arrays: Vec<Box<dyn ToSql + Send + Sync>>,
        len: usize,
    },
    Values(Vec<T::New>),
}

impl<T: Table> Rows<T> {
    pub(crate) fn many(rows: Vec<T::New>) -> Rows<T> {
        let stmts = T::__statements();
        let keep = ColumnUse::of::<T>(&rows).given;
        let Some(sql) = stmts.insert_unnest_for(&keep) else {
            return Rows::Values(rows);
        };
        let len = rows.len();
        let arrays = <T::New as Insertable<T>>::__arrays(rows)
            .into_iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(a, _)| a)
            .collect();
        Rows::Arrays { sql, arrays, len }
    }

    /// The number of rows.
    pub(crate) fn len(&self) -> usize {
        match self {
            Rows::One(_) => 1,
            Rows::Arrays { len, .. } => *len,
            Rows::Values(rows) => rows.len(),
        }
    }

    /// True when there is nothing to insert: no statement is sent.
    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Rows::One(_) => false,
            Rows::Arrays { len, .. } => *len == 0,
            Rows::Values(rows) => rows.is_empty(),
        }
    }

    /// Writes `INSERT INTO "t" (…) VALUES …` or `… SELECT … FROM UNNEST(…)`.
    pub(crate) fn write<'a>(&'a self, w: &mut Writer<'a>) {
        let stmts = T::__statements();
        match self {
            Rows::One(row) => {
                let mut values = Vec::new();
                row.__values(&mut values);
                match stmts.insert_one_for(&values) {
                    // The text rendered up front numbers its parameters from $1, as they are
                    // bound here.
                    Some(sql) => w.push_numbered(sql, values.into_iter().flatten()),
                    None => {
                        w.push(&stmts.insert_head);
                        w.push(" VALUES ");
                        write_values(w, values);
                    }
                }
            }
            Rows::Arrays { sql, arrays, .. } => {
                // The UNNEST statement numbers its parameters from $1, as they are bound here.
                w.push_numbered(sql, arrays.iter().map(|a| &**a as &(dyn ToSql + Sync)));
            }
            Rows::Values(rows) => {
                w.push(&stmts.insert_head);
                w.push(" VALUES ");
                let mut values = Vec::new();
                for (i, row) in rows.iter().enumerate() {
                    if i > 0 {
                        w.push(", ");
                    }
                    values.clear();
                    row.__values(&mut values);
                    write_values(w, values.drain(..));
                }
            }
        }
    }
}

/// How a batch of rows uses the insertable columns of `T`, in their order.
pub(crate) struct ColumnUse {
    /// Some row gives the column a value.
    pub(crate) given: Vec<bool>,
    /// Some row leaves the column to its default.
    pub(crate) defaulted: Vec<bool>,
}

impl ColumnUse {
    pub(crate) fn of<T: Table>(rows: &[T::New]) -> ColumnUse {
        // A column without a default is given by every row; only with a default among the
        // columns is there a pass over the rows.
        let mut given: Vec<bool> = T::META
            .columns
            .iter()
            .filter(|c| c.insertable())
            .map(|c| c.default.is_none())
            .collect();
        let mut defaulted = vec![false; given.len()];
        if given.iter().any(|g| !g) {
            let mut values = Vec::with_capacity(given.len());
            for row in rows {
                values.clear();
                row.__values(&mut values);
                for ((g, d), value) in given.iter_mut().zip(&mut defaulted).zip(&values) {
                    match value {
                        Some(_) => *g = true,
                        None => *d = true,
                    }
                }
            }
        }
        ColumnUse { given, defaulted }
    }
}

/// `(v1, DEFAULT, …)`: each value bound, `None` as `DEFAULT`.
fn write_values<'a>(
    w: &mut Writer<'a>,
    values: impl IntoIterator<Item = Option<&'a (dyn ToSql + Sync)>>,
) {
    w.push("(");
    for (i, v) in values.into_iter().enumerate() {
        if i > 0 {
            w.push(", ");
        }
        match v {
            Some(v) => w.bind(v),
            None => w.push("DEFAULT"),
        }
    }
    w.push(")");
}

/// An `INSERT` of one or many rows of `T`, returning the inserted rows.
#[must_use = "a query does nothing until a terminal method such as `one` runs it"]
pub struct Insert<T: Table> {
    rows: Rows<T>,
}

impl<T: Table> Insert<T> {
    pub(crate) fn new(row: T::New) -> Insert<T> {
        Insert {
            rows: Rows::One(row),
        }
    }

    pub(crate) fn many(rows: Vec<T::New>) -> Insert<T> {
        Insert {
            rows: Rows::many(rows),
        }
    }

    fn is_noop(&self) -> bool {
        self.rows.is_empty()
    }

    fn row_count(&self) -> usize {
        self.rows.len()
    }

    fn statement(&self) -> Rendered<'_> {
        let stmts = T::__statements();
        if let Rows::One(row) = &self.rows {
            let mut values = Vec::new();
            row.__values(&mut values);
            if stmts.insert_one_for(&values).is_some() {
                // Rendered up front with its `RETURNING` list too: nothing to write.
                return Rendered {
                    sql: Cow::Borrowed(&stmts.insert_one_returning),
                    params: values.into_iter().flatten().collect(),
                    read: false,
                };
            }
        }
        Rendered::with(|w| {
            self.rows.write(w);
            stmts.returning(w);
        })
    }

    /// `RETURNING` these items (columns of `T`, expressions over them, or a tuple) instead of
    /// whole rows: `.returning(User::id)` returns the new ids.
    pub fn returning<P: super::project::Projection<T, I>, I>(
        self,
        items: P,
    ) -> super::returning::Returning<Insert<T>, P, I> {
        super::returning::Returning::new(self, items)
    }
}

impl<T: Table> super::returning::sealed::Sealed for Insert<T> {}

impl<T: Table> super::returning::WriteBody for Insert<T> {
    type Table = T;
    type Sources = T;
    fn write_body<'a>(&'a self, w: &mut Writer<'a>) {
        self.rows.write(w);
    }
    fn nothing_to_write(&self) -> bool {
        self.is_noop()
    }
    fn rows_written(&self) -> Option<usize> {
        Some(self.row_count())
    }
}

terminals!(write [T: Table] Insert<T> => T, noop = is_noop, rows = row_count);
