//! `UPDATE` of live rows.

use std::marker::PhantomData;

use tokio_postgres::Row;

use crate::Result;
use crate::executor::Executor;
use crate::expr::{Assign, Columns, Expr, Node};
use crate::sql::Writer;
use crate::table::{Patch, Table, Updatable};

use super::Rendered;
use super::from::Visibility;
use super::names::NamesMatch;
use super::project::{FromColumns, Projection};
use super::run::{Run, terminals};
use super::statements::write_key;

enum Target<T: Table> {
    Key(T::Key),
    Filter(Node),
}

/// An `UPDATE` of live rows of `T` (by key or by filter) that sets `updated_at = now()` and
/// returns the updated rows. Soft-deleted rows are never updated: the predicate is part of the
/// statement, so there is no check-then-act race.
#[must_use = "a query does nothing until a terminal method such as `one` runs it"]
pub struct Update<T: Table> {
    target: Target<T>,
    filters: Vec<Node>,
    sets: Vec<(&'static str, Node)>,
    patch: Option<T::Patch>,
}

impl<T: Table> Update<T> {
    pub(crate) fn by_key(key: T::Key) -> Update<T> {
        Update {
            target: Target::Key(key),
            filters: Vec::new(),
            sets: Vec::new(),
            patch: None,
        }
    }

    pub(crate) fn by_filter(filter: Node) -> Update<T> {
        Update {
            target: Target::Filter(filter),
            filters: Vec::new(),
            sets: Vec::new(),
            patch: None,
        }
    }

    /// Sets `column` to `value`: a value of the column's type (bound as a parameter), another
    /// column of `T`, or an expression over `T`'s columns (`Counter::n + 1`,
    /// `Report::content.expr().concat(text)`), computed by the server from the row's current
    /// values in the same statement.
    pub fn set<C, I, V, M>(mut self, column: C, value: V) -> Update<T>
    where
        C: Updatable + Columns<T, I>,
        V: Assign<C, T, M>,
    {
        let _ = column;
        self.sets.push((C::NAME, value.into_node()));
        self
    }

    /// Sets every field of `patch` that is `Some`.
    pub fn patch(mut self, patch: T::Patch) -> Update<T> {
        self.patch = Some(patch);
        self
    }

    /// Adds a condition the rows must also meet (combined with `AND`).
    pub fn filter<C, I>(mut self, condition: Expr<C>) -> Update<T>
    where
        C: Columns<T, I>,
    {
        self.filters.push(condition.erase());
        self
    }

    /// `RETURNING` these items (columns of `T`, expressions over them, or a tuple) instead of
    /// whole rows: `.returning((Counter::name, Counter::n))` returns `(String, i32)` rows, and
    /// `one_as` / `all_as` read them into a `#[derive(Record)]` struct.
    pub fn returning<P: Projection<T, I>, I>(self, items: P) -> UpdateReturning<T, P, I> {
        UpdateReturning {
            update: self,
            items,
            _p: PhantomData,
        }
    }

    fn statement(&self) -> Rendered<'_> {
        let mut w = Writer::new();
        self.write_update(&mut w);
        T::__statements().returning(&mut w);
        Rendered::finish(w)
    }

    /// The statement up to its `RETURNING` clause.
    fn write_update<'a>(&'a self, w: &mut Writer<'a>) {
        let meta = T::META;
        w.push("UPDATE ");
        w.table(meta);
        w.push(" SET ");
        let mut first = true;
        let mut patch_sets = Vec::new();
        if let Some(p) = &self.patch {
            p.__sets(&mut patch_sets);
        }
        for (name, value) in patch_sets {
            if !first {
                w.push(", ");
            }
            first = false;
            w.ident(name);
            w.push(" = ");
            w.bind(value);
        }
        for (name, value) in &self.sets {
            if !first {
                w.push(", ");
            }
            first = false;
            w.ident(name);
            w.push(" = ");
            value.write(w);
        }
        match meta.updated_at_column() {
            Some(u) => {
                if !first {
                    w.push(", ");
                }
                w.ident(u.name);
                w.push(" = now()");
            }
            None if first => {
                // Nothing to set and no timestamp to touch: a no-op assignment keeps the
                // statement valid and still returns the matched rows.
                if let Some(k) = meta.primary_key.first() {
                    w.ident(k);
                    w.push(" = ");
                    w.qualified(meta.name, k);
                }
            }
            None => {}
        }
        w.push(" WHERE ");
        match &self.target {
            Target::Key(key) => {
                write_key::<T>(w, key);
            }
            Target::Filter(f) => f.write(w),
        }
        for f in &self.filters {
            w.push(" AND ");
            f.write(w);
        }
        if let Some(p) = T::__statements().visible(Visibility::Live) {
            w.push(" AND ");
            w.push(p);
        }
    }
}

terminals!(write [T: Table] Update<T> => T);

/// An `UPDATE … RETURNING` of chosen items, built by [`Update::returning`].
#[must_use = "a query does nothing until a terminal method such as `one` runs it"]
pub struct UpdateReturning<T: Table, P, I> {
    update: Update<T>,
    items: P,
    _p: PhantomData<fn() -> I>,
}

impl<T: Table, P: Projection<T, I>, I> Run for UpdateReturning<T, P, I> {
    type Output = P::Output;
    fn render(&self) -> Rendered<'_> {
        let mut w = Writer::new();
        self.update.write_update(&mut w);
        w.push(" RETURNING ");
        self.items.write(&mut w);
        Rendered::finish(w)
    }
    fn decode(&self, row: &Row) -> Result<P::Output> {
        P::decode(row)
    }
    fn table(&self) -> &'static str {
        T::META.name
    }
}

terminals!(@rows [T: Table, P: Projection<T, I>, I] UpdateReturning<T, P, I> => P::Output);

impl<T: Table, P: Projection<T, I>, I> UpdateReturning<T, P, I> {
    /// Every updated row, read into a record struct (`#[derive(buster_db::Record)]`).
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

    /// The updated row read into a record struct, or a not-found error when no row matched.
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
