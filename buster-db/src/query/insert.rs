//! `INSERT … RETURNING`, one row or many.

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
        arrays: Vec<Box<dyn ToSql + Send + Sync>>,
        len: usize,
    },
    Values(Vec<T::New>),
}

impl<T: Table> Rows<T> {
    pub(crate) fn many(rows: Vec<T::New>) -> Rows<T> {
        if T::__statements().insert_unnest.is_some() {
            let len = rows.len();
            Rows::Arrays {
                arrays: <T::New as Insertable<T>>::__arrays(rows),
                len,
            }
        } else {
            Rows::Values(rows)
        }
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
                w.push(&stmts.insert_head);
                w.push(" VALUES ");
                write_values::<T>(w, row);
            }
            Rows::Arrays { arrays, .. } => {
                // The UNNEST statement numbers its parameters from $1, as they are bound here.
                if let Some(sql) = &stmts.insert_unnest {
                    w.push_numbered(sql, arrays.iter().map(|a| &**a as &(dyn ToSql + Sync)));
                }
            }
            Rows::Values(rows) => {
                w.push(&stmts.insert_head);
                w.push(" VALUES ");
                for (i, row) in rows.iter().enumerate() {
                    if i > 0 {
                        w.push(", ");
                    }
                    write_values::<T>(w, row);
                }
            }
        }
    }
}

fn write_values<'a, T: Table>(w: &mut Writer<'a>, row: &'a T::New) {
    let mut values = Vec::new();
    row.__values(&mut values);
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
        Rendered::with(|w| {
            self.rows.write(w);
            T::__statements().returning(w);
        })
    }
}

terminals!(write [T: Table] Insert<T> => T, noop = is_noop, rows = row_count);
