//! `INSERT … ON CONFLICT`: upserts on a primary or unique key.

use std::marker::PhantomData;

use crate::Result;
use crate::executor::Executor;
use crate::expr::{Assign, Columns, Expr, Node, RowLevel, UpsertScope};
use crate::sql::Writer;
use crate::table::{ConflictTarget, SoftDelete, Table, Updatable};

use super::Rendered;
use super::from::{Visibility, soft_delete_filter};
use super::insert::Rows;
use super::run::{self, terminals};

/// An upsert waiting for its conflict target: call [`on_conflict`](Upsert::on_conflict).
#[must_use = "choose a conflict target with `on_conflict`"]
pub struct Upsert<T: Table> {
    rows: Rows<T>,
}

impl<T: Table> Upsert<T> {
    pub(crate) fn new(row: T::New) -> Upsert<T> {
        Upsert {
            rows: Rows::One(row),
        }
    }

    pub(crate) fn many(rows: Vec<T::New>) -> Upsert<T> {
        Upsert {
            rows: Rows::many(rows),
        }
    }

    /// The key whose conflict triggers the update: the primary key or a unique key of `T`
    /// (anything else does not compile). A unique key of a soft-deletable table is unique among
    /// live rows, and the statement names the matching partial index predicate, unless the key
    /// is declared `all_rows` (`#[table(unique(a, b, all_rows))]`): then it covers deleted rows
    /// too, and a deleted row conflicts on it.
    pub fn on_conflict<K: ConflictTarget<T>>(self, key: K) -> OnConflict<T, K::Scope> {
        let _ = key;
        OnConflict {
            rows: self.rows,
            target: K::COLUMNS,
            live_only: K::LIVE_ONLY,
            _scope: PhantomData,
        }
    }
}

/// An upsert with its conflict target: choose [`do_nothing`](OnConflict::do_nothing),
/// [`update`](OnConflict::update) or [`update_all`](OnConflict::update_all).
#[must_use = "choose what a conflict does: `do_nothing`, `update` or `update_all`"]
pub struct OnConflict<T: Table, A = AllRows> {
    rows: Rows<T>,
    target: &'static [&'static str],
    /// The target is a live-rows unique key: a partial index the arbiter names.
    live_only: bool,
    _scope: PhantomData<fn() -> A>,
}

/// The scope of a conflict target whose index covers every row (a primary key, a unique key
/// declared `all_rows`, or a unique key of a table without soft delete): a soft-deleted row can
/// conflict, so it can be revived.
pub struct AllRows;

/// The scope of a unique key of a soft-deletable table: unique among live rows only (a partial
/// index), so a soft-deleted row never conflicts and there is nothing to revive.
pub struct LiveRows;

/// Conflict targets through which a soft-deleted row can conflict, and so be revived.
#[diagnostic::on_unimplemented(
    message = "`revive()` has nothing to revive through a key that is unique among live rows only",
    label = "a soft-deleted row never conflicts on this key",
    note = "soft-deleted rows do not take part in a live-rows unique key, so an upsert on it inserts a new row beside them; upsert on the primary key, or on a unique key declared over every row with `all_rows`, to revive a row"
)]
pub trait Revivable {}
impl Revivable for AllRows {}

impl<T: Table, A> OnConflict<T, A> {
    /// `ON CONFLICT … DO NOTHING`: conflicting rows are skipped and not returned.
    pub fn do_nothing(self) -> UpsertDoNothing<T> {
        UpsertDoNothing {
            inner: OnConflict {
                rows: self.rows,
                target: self.target,
                live_only: self.live_only,
                _scope: PhantomData,
            },
        }
    }

    /// `ON CONFLICT … DO UPDATE SET c = EXCLUDED.c` for the given columns (one column or a
    /// tuple), plus `updated_at = now()`. A conflicting soft-deleted row is left deleted (and not
    /// returned) unless [`revive`](UpsertDoUpdate::revive) is called.
    pub fn update<U, I>(self, columns: U) -> UpsertDoUpdate<T, A>
    where
        U: UpsertColumns<T, I>,
    {
        let _ = columns;
        let mut set = Vec::new();
        U::names(&mut set);
        UpsertDoUpdate {
            inner: self,
            set,
            exprs: Vec::new(),
            only_if: Vec::new(),
            revive: false,
        }
    }

    /// Like [`update`](OnConflict::update) with every updatable column that is not part of the
    /// conflict target.
    pub fn update_all(self) -> UpsertDoUpdate<T, A> {
        let set = T::META
            .columns
            .iter()
            .filter(|c| c.updatable() && !self.target.contains(&c.name))
            .map(|c| c.name)
            .collect();
        UpsertDoUpdate {
            inner: self,
            set,
            exprs: Vec::new(),
            only_if: Vec::new(),
            revive: false,
        }
    }

    fn write_head<'a>(&'a self, w: &mut Writer<'a>) {
        self.rows.write(w);
        w.push(" ON CONFLICT (");
        for (i, c) in self.target.iter().enumerate() {
            if i > 0 {
                w.push(", ");
            }
            w.ident(c);
        }
        w.push(")");
        if self.live_only
            && let Some(p) = soft_delete_filter(T::META, None, Visibility::Live)
        {
            w.push(" WHERE ");
            p.write(w);
        }
    }
}

/// `INSERT … ON CONFLICT … DO NOTHING RETURNING …`.
#[must_use = "a query does nothing until a terminal method such as `one` runs it"]
pub struct UpsertDoNothing<T: Table> {
    inner: OnConflict<T>,
}

impl<T: Table> UpsertDoNothing<T> {
    fn is_noop(&self) -> bool {
        self.inner.rows.is_empty()
    }

    fn row_count(&self) -> usize {
        self.inner.rows.len()
    }

    fn statement(&self) -> Rendered<'_> {
        Rendered::with(|w| {
            self.inner.write_head(w);
            w.push(" DO NOTHING");
            T::__statements().returning(w);
        })
    }

    /// `RETURNING` these items instead of whole rows (only inserted rows are returned).
    pub fn returning<P: super::project::Projection<T, I>, I>(
        self,
        items: P,
    ) -> super::returning::Returning<UpsertDoNothing<T>, P, I> {
        super::returning::Returning::new(self, items)
    }
}

impl<T: Table> super::returning::sealed::Sealed for UpsertDoNothing<T> {}

impl<T: Table> super::returning::WriteBody for UpsertDoNothing<T> {
    type Table = T;
    type Sources = T;
    fn write_body<'a>(&'a self, w: &mut Writer<'a>) {
        self.inner.write_head(w);
        w.push(" DO NOTHING");
    }
    fn nothing_to_write(&self) -> bool {
        self.is_noop()
    }
    fn rows_written(&self) -> Option<usize> {
        Some(self.row_count())
    }
}

terminals!(write [T: Table] UpsertDoNothing<T> => T, noop = is_noop, rows = row_count);

/// `INSERT … ON CONFLICT … DO UPDATE … RETURNING …`.
#[must_use = "a query does nothing until a terminal method such as `one` runs it"]
pub struct UpsertDoUpdate<T: Table, A = AllRows> {
    inner: OnConflict<T, A>,
    set: Vec<&'static str>,
    exprs: Vec<(&'static str, Node)>,
    only_if: Vec<Node>,
    revive: bool,
}

impl<T: Table, A> UpsertDoUpdate<T, A> {
    /// Also revives a conflicting soft-deleted row: its soft-delete column is cleared and it is
    /// updated like a live one. Only through a conflict target a deleted row can conflict on
    /// (the primary key, or a unique key declared `all_rows`): a live-rows unique key does not
    /// compile here.
    pub fn revive(mut self) -> UpsertDoUpdate<T, A>
    where
        T: SoftDelete,
        A: Revivable,
    {
        self.revive = true;
        self
    }

    /// Also sets `column` to `value` on a conflict: a value, a column or an expression over the
    /// existing row's columns and the proposed row's ([`excluded`](crate::expr::excluded)):
    /// `.set(Counter::n, Counter::n.expr().plus(excluded(Counter::n)))`. A column named here
    /// and in `update(..)` takes this value.
    pub fn set<C, I, V, M>(mut self, column: C, value: V) -> UpsertDoUpdate<T, A>
    where
        C: Updatable + Columns<T, I>,
        V: Assign<C, UpsertScope<T>, M>,
    {
        let _ = column;
        self.set.retain(|n| *n != C::NAME);
        self.exprs.push((C::NAME, value.into_node()));
        self
    }

    /// `DO UPDATE … WHERE condition`: a conflicting row is updated (and returned) only when
    /// `condition` holds; it may read the existing row's columns and
    /// [`excluded`](crate::expr::excluded) ones.
    pub fn filter<C, I>(mut self, condition: Expr<C>) -> UpsertDoUpdate<T, A>
    where
        C: Columns<UpsertScope<T>, I> + RowLevel,
    {
        self.only_if.push(condition.erase());
        self
    }

    fn is_noop(&self) -> bool {
        self.inner.rows.is_empty()
    }

    fn row_count(&self) -> usize {
        self.inner.rows.len()
    }

    fn statement(&self) -> Rendered<'_> {
        self.render_with(false)
    }

    /// Runs the upsert and says, for each returned row, whether it was inserted or updated
    /// (PostgreSQL's `xmax = 0` marks a row version created by this statement's insert).
    pub async fn outcomes<E: Executor + ?Sized>(self, exec: &E) -> Result<Vec<(T, Written)>> {
        if self.is_noop() {
            return Ok(Vec::new());
        }
        let width = T::META.columns.len();
        let rows = self.inner.rows.len();
        run::fetch(
            exec,
            &self.render_with(true),
            usize::MAX,
            Some(rows),
            |row| {
                let inserted: bool = crate::__private::get(row, width, "inserted")?;
                let written = if inserted {
                    Written::Inserted
                } else {
                    Written::Updated
                };
                Ok((T::__decode(row, 0)?, written))
            },
        )
        .await
    }

    fn render_with(&self, outcome: bool) -> Rendered<'_> {
        let meta = T::META;
        let mut w = Writer::new();
        self.write_do_update(&mut w);
        T::__statements().returning(&mut w);
        if outcome {
            w.push(", (");
            w.ident(meta.name);
            w.push(".xmax = 0)");
        }
        Rendered::finish(w)
    }

    /// The statement up to its `RETURNING` clause.
    fn write_do_update<'a>(&'a self, w: &mut Writer<'a>) {
        let meta = T::META;
        self.inner.write_head(w);
        w.push(" DO UPDATE SET ");
        let mut count = 0;
        let mut assign = |w: &mut Writer<'_>, name: &str, value: Option<&str>| {
            if count > 0 {
                w.push(", ");
            }
            count += 1;
            w.ident(name);
            w.push(" = ");
            match value {
                Some(v) => w.push(v),
                None => {
                    w.push("EXCLUDED.");
                    w.ident(name);
                }
            }
        };
        for c in &self.set {
            assign(w, c, None);
        }
        if let Some(u) = meta.updated_at_column() {
            assign(w, u.name, Some("now()"));
        }
        let sd = meta.soft_delete_column();
        match sd {
            Some(sd) if self.revive => assign(w, sd.name, Some("NULL")),
            _ => {}
        }
        if self.set.is_empty() && self.exprs.is_empty() && meta.updated_at.is_none() && !self.revive
        {
            // Nothing to change: re-assign the key so the conflicting row is still returned.
            if let Some(k) = self.inner.target.first() {
                assign(w, k, None);
            }
        }
        for (name, value) in &self.exprs {
            if count > 0 {
                w.push(", ");
            }
            count += 1;
            w.ident(name);
            w.push(" = ");
            value.write(w);
        }
        let mut first = true;
        if !self.revive
            && let Some(p) = T::__statements().visible(Visibility::Live)
        {
            w.push(" WHERE ");
            w.push(p);
            first = false;
        }
        for f in &self.only_if {
            w.push(if first { " WHERE " } else { " AND " });
            first = false;
            f.write(w);
        }
    }

    /// `RETURNING` these items instead of whole rows.
    pub fn returning<P: super::project::Projection<T, I>, I>(
        self,
        items: P,
    ) -> super::returning::Returning<UpsertDoUpdate<T, A>, P, I>
    where
        A: Send + Sync,
    {
        super::returning::Returning::new(self, items)
    }
}

terminals!(write [T: Table, A] UpsertDoUpdate<T, A> => T, noop = is_noop, rows = row_count);

impl<T: Table, A> super::returning::sealed::Sealed for UpsertDoUpdate<T, A> {}

impl<T: Table, A> super::returning::WriteBody for UpsertDoUpdate<T, A>
where
    Self: Send + Sync,
{
    type Table = T;
    type Sources = T;
    fn write_body<'a>(&'a self, w: &mut Writer<'a>) {
        self.write_do_update(w);
    }
    fn nothing_to_write(&self) -> bool {
        self.is_noop()
    }
    fn rows_written(&self) -> Option<usize> {
        Some(self.row_count())
    }
}

/// What an upsert did to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// The row was inserted.
    Inserted,
    /// A conflicting row was updated (or revived).
    Updated,
}

/// Columns an upsert may update from `EXCLUDED`: one updatable column of `T`, or a tuple of them.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be updated by an upsert on `{T}`",
    label = "expected updatable columns of `{T}`",
    note = "each column must belong to `{T}` and be updatable: primary key columns, `created_at`, `updated_at` and the soft-delete column are never set from `EXCLUDED`"
)]
pub trait UpsertColumns<T, I> {
    /// Appends the column names.
    #[doc(hidden)]
    fn names(out: &mut Vec<&'static str>);
}

#[diagnostic::do_not_recommend]
impl<T, I, C> UpsertColumns<T, I> for C
where
    C: Updatable + Columns<T, I>,
{
    fn names(out: &mut Vec<&'static str>) {
        out.push(C::NAME);
    }
}

macro_rules! tuple_columns {
    ($($c:ident $i:ident),+) => {
        #[diagnostic::do_not_recommend]
        impl<T, $($c, $i),+> UpsertColumns<T, ($($i,)+)> for ($($c,)+)
        where
            $($c: UpsertColumns<T, $i>),+
        {
            fn names(out: &mut Vec<&'static str>) {
                $($c::names(out);)+
            }
        }
    };
}
tuple_columns!(C1 I1);
tuple_columns!(C1 I1, C2 I2);
tuple_columns!(C1 I1, C2 I2, C3 I3);
tuple_columns!(C1 I1, C2 I2, C3 I3, C4 I4);
tuple_columns!(C1 I1, C2 I2, C3 I3, C4 I4, C5 I5);
tuple_columns!(C1 I1, C2 I2, C3 I3, C4 I4, C5 I5, C6 I6);
tuple_columns!(C1 I1, C2 I2, C3 I3, C4 I4, C5 I5, C6 I6, C7 I7);
tuple_columns!(C1 I1, C2 I2, C3 I3, C4 I4, C5 I5, C6 I6, C7 I7, C8 I8);
tuple_columns!(C1 I1, C2 I2, C3 I3, C4 I4, C5 I5, C6 I6, C7 I7, C8 I8, C9 I9);
tuple_columns!(C1 I1, C2 I2, C3 I3, C4 I4, C5 I5, C6 I6, C7 I7, C8 I8, C9 I9, C10 I10);
tuple_columns!(C1 I1, C2 I2, C3 I3, C4 I4, C5 I5, C6 I6, C7 I7, C8 I8, C9 I9, C10 I10, C11 I11);
tuple_columns!(C1 I1, C2 I2, C3 I3, C4 I4, C5 I5, C6 I6, C7 I7, C8 I8, C9 I9, C10 I10, C11 I11, C12 I12);
