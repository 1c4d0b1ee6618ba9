//! `INSERT`, upsert and `UPDATE … RETURNING` of chosen items instead of whole rows.

use std::marker::PhantomData;

use tokio_postgres::Row;

use crate::Result;
use crate::executor::Executor;
use crate::sql::Writer;
use crate::table::Table;

use super::Rendered;
use super::names::NamesMatch;
use super::project::{FromColumns, Projection};
use super::run::{Run, terminals};

pub(crate) mod sealed {
    /// Only buster-db's write builders choose their `RETURNING` list.
    pub trait Sealed {}
}

/// A write statement whose `RETURNING` list can be chosen: its text up to that clause.
/// Sealed: implemented by `Insert`, the upserts and `Update`.
pub trait WriteBody: sealed::Sealed + Send + Sync {
    /// The table written.
    type Table: Table;
    /// The tables the `RETURNING` list may read (the written one, and an `UPDATE … FROM`'s).
    type Sources;
    /// Writes the statement without `RETURNING`.
    #[doc(hidden)]
    fn write_body<'a>(&'a self, w: &mut Writer<'a>);
    /// True when there is nothing to write: no statement is sent.
    #[doc(hidden)]
    fn nothing_to_write(&self) -> bool;
    /// How many rows it writes at most, when known.
    #[doc(hidden)]
    fn rows_written(&self) -> Option<usize>;
}

/// A write returning chosen items (`.returning((T::id, T::name))`): columns of the written table,
/// expressions over them, or a tuple; `one_as` / `all_as` read them into a record.
#[must_use = "a query does nothing until a terminal method such as `one` runs it"]
pub struct Returning<Q, P, I> {
    write: Q,
    items: P,
    _p: PhantomData<fn() -> I>,
}

impl<Q, P, I> Returning<Q, P, I> {
    pub(crate) fn new(write: Q, items: P) -> Returning<Q, P, I> {
        Returning {
            write,
            items,
            _p: PhantomData,
        }
    }
}

impl<Q: WriteBody, P: Projection<Q::Sources, I>, I> Run for Returning<Q, P, I> {
    type Output = P::Output;
    fn render(&self) -> Rendered<'_> {
        let mut w = Writer::new();
        self.write.write_body(&mut w);
        w.push(" RETURNING ");
        self.items.write(&mut w);
        Rendered::finish(w)
    }
    fn decode(&self, row: &Row) -> Result<P::Output> {
        P::decode(row)
    }
    fn table(&self) -> &'static str {
        <Q::Table as Table>::META.name
    }
    fn is_noop(&self) -> bool {
        self.write.nothing_to_write()
    }
    fn expected_rows(&self) -> Option<usize> {
        self.write.rows_written()
    }
}

terminals!(@rows [Q: WriteBody, P: Projection<Q::Sources, I>, I] Returning<Q, P, I> => P::Output, []);

impl<Q: WriteBody, P: Projection<Q::Sources, I>, I> Returning<Q, P, I> {
    /// Every returned row, read into a record struct (`#[derive(buster_db::Record)]`).
    pub async fn all_as<R, E>(self, exec: &E) -> Result<Vec<R>>
    where
        R: FromColumns<P::Output>,
        P::Fields: NamesMatch<R::Names>,
        P::Output: Send,
        E: Executor + ?Sized,
    {
        let rows = super::run::all(&self, exec).await?;
        Ok(rows.into_iter().map(R::from_columns).collect())
    }

    /// The first returned row read into a record struct, or a not-found error.
    pub async fn one_as<R, E>(self, exec: &E) -> Result<R>
    where
        R: FromColumns<P::Output>,
        P::Fields: NamesMatch<R::Names>,
        P::Output: Send,
        E: Executor + ?Sized,
    {
        Ok(R::from_columns(super::run::one(&self, exec).await?))
    }
}
