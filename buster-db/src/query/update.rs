//! `UPDATE` of live rows.

use std::marker::PhantomData;

use crate::expr::{Assign, Columns, Expr, Node, RowLevel};
use crate::meta::TableMeta;
use crate::sql::Writer;
use crate::table::{Patch, Table, Updatable};

use super::Rendered;
use super::from::{Visibility, soft_delete_filter};
use super::project::Projection;
use super::run::terminals;
use super::source::{Inner, Source, TableRef};
use super::statements::write_key;

enum Target<T: Table> {
    Key(T::Key),
    Filter(Node),
}

/// An `UPDATE` of live rows of `T` (by key or by filter) that sets `updated_at = now()` and
/// returns the updated rows. Soft-deleted rows are never updated: the predicate is part of the
/// statement, so there is no check-then-act race.
///
/// `S` are the tables the statement reads: `T`, or `T` and the table of
/// [`from`](Update::from).
#[must_use = "a query does nothing until a terminal method such as `one` runs it"]
pub struct Update<T: Table, S = T> {
    target: Target<T>,
    filters: Vec<Node>,
    sets: Vec<(&'static str, Node)>,
    patch: Option<T::Patch>,
    from: Option<FromTable>,
    ctes: Vec<super::cte::Cte>,
    _sources: PhantomData<fn() -> S>,
}

/// The table of `UPDATE … FROM`, its join condition and its live-row filter.
struct FromTable {
    meta: &'static TableMeta,
    alias: &'static str,
    on: Node,
}

impl<T: Table> Update<T> {
    pub(crate) fn by_key(key: T::Key) -> Update<T> {
        Update::with_target(Target::Key(key))
    }

    pub(crate) fn by_filter(filter: Node) -> Update<T> {
        Update::with_target(Target::Filter(filter))
    }

    fn with_target(target: Target<T>) -> Update<T> {
        Update {
            target,
            filters: Vec::new(),
            sets: Vec::new(),
            patch: None,
            from: None,
            ctes: Vec::new(),
            _sources: PhantomData,
        }
    }

    /// `UPDATE t … FROM x WHERE on`: the rows of `T` that `on` matches with a live row of `x`
    /// (whose soft-deleted rows never match), with `x`'s columns readable in `set`, `filter` and
    /// `returning`. Each row of `T` is updated once, with one matching row of `x` (PostgreSQL
    /// picks which when several match: make `on` match one).
    pub fn from<X, C, J>(self, table: TableRef<X>, on: Expr<C>) -> Update<T, (Inner<T>, Inner<X>)>
    where
        X: Source,
        C: Columns<(Inner<T>, Inner<X>), J> + RowLevel,
    {
        let _ = table;
        Update {
            target: self.target,
            filters: self.filters,
            sets: self.sets,
            patch: self.patch,
            from: Some(FromTable {
                meta: <X::Table as Table>::META,
                alias: X::alias(),
                on: on.erase(),
            }),
            ctes: self.ctes,
            _sources: PhantomData,
        }
    }
}

impl<T: Table, S> Update<T, S> {
    /// Sets `column` to `value`: a value of the column's type (bound as a parameter), another
    /// column of `T`, or an expression over `T`'s columns (`Counter::n + 1`,
    /// `Report::content.expr().concat(text)`), computed by the server from the row's current
    /// values in the same statement.
    pub fn set<C, I, V, M>(mut self, column: C, value: V) -> Update<T, S>
    where
        C: Updatable + Columns<T, I>,
        V: Assign<C, S, M>,
    {
        let _ = column;
        self.sets.push((C::NAME, value.into_node()));
        self
    }

    /// Attaches a common table expression ([`cte`](crate::query::cte)), e.g. the rows of
    /// [`unnest`](crate::query::unnest) to update from with [`from`](Update::from).
    pub fn with(mut self, cte: super::cte::Cte) -> Update<T, S> {
        self.ctes.push(cte);
        self
    }

    /// Sets every field of `patch` that is `Some`.
    pub fn patch(mut self, patch: T::Patch) -> Update<T, S> {
        self.patch = Some(patch);
        self
    }

    /// Adds a condition the rows must also meet (combined with `AND`).
    pub fn filter<C, I>(mut self, condition: Expr<C>) -> Update<T, S>
    where
        C: Columns<S, I> + RowLevel,
    {
        self.filters.push(condition.erase());
        self
    }

    /// `RETURNING` these items (columns of `T`, expressions over them, or a tuple) instead of
    /// whole rows: `.returning((Counter::name, Counter::n))` returns `(String, i32)` rows, and
    /// `one_as` / `all_as` read them into a `#[derive(Record)]` struct.
    pub fn returning<P: Projection<S, I>, I>(
        self,
        items: P,
    ) -> super::returning::Returning<Update<T, S>, P, I> {
        super::returning::Returning::new(self, items)
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
        super::cte::write_with(w, &self.ctes);
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
        if let Some(f) = &self.from {
            w.push(" FROM ");
            w.table(f.meta);
            if f.alias != f.meta.name {
                w.push(" AS ");
                w.ident(f.alias);
            }
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
        if let Some(f) = &self.from {
            w.push(" AND ");
            f.on.write(w);
            if let Some(p) = soft_delete_filter(f.meta, Some(f.alias), Visibility::Live) {
                w.push(" AND ");
                p.write(w);
            }
        }
    }
}

terminals!(write [T: Table, S] Update<T, S> => T);

impl<T: Table, S> super::returning::sealed::Sealed for Update<T, S> {}

impl<T: Table, S> super::returning::WriteBody for Update<T, S> {
    type Table = T;
    type Sources = S;
    fn write_body<'a>(&'a self, w: &mut Writer<'a>) {
        self.write_update(w);
    }
    fn nothing_to_write(&self) -> bool {
        false
    }
    fn rows_written(&self) -> Option<usize> {
        match self.target {
            Target::Key(_) => Some(1),
            Target::Filter(_) => None,
        }
    }
}
