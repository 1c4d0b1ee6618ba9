//! Keyset pagination: each page starts after the last row of the previous one, found by the
//! values of its ordering columns (the cursor), instead of skipping `OFFSET` rows.
//!
//! `keyset(order, after)` orders the query by `order` alone and keeps the rows that come after
//! the cursor `after` in that order; `page(n, &db)` reads `n` of them plus one, to tell whether
//! more follow, and returns the cursor of the last row it keeps. A page costs the same wherever
//! it falls (an index on the ordering columns serves it), and rows written meanwhile neither
//! shift later pages nor make them repeat a row.
//!
//! The seek condition compares with `<` / `>` in each term's direction: one row comparison
//! `(a, b) < ($1, $2)` when every term goes the same way, else, run by run of terms of one
//! direction, `a <= $1 AND (a < $1 OR (a = $1 AND b > $2))` (the leading bound lets an index
//! range scan start at the cursor). Each cursor value is bound once.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

use postgres_types::ToSql;
use tokio_postgres::Row;

use crate::Result;
use crate::executor::Executor;
use crate::expr::{ColumnRef, Columns, Here, Order, OrderTerm};
use crate::meta::TableMeta;
use crate::sql::{Sql, Writer};
use crate::table::Table;
use crate::value::Scalar;

use super::Rendered;
use super::from::{Body, Condition};
use super::join::Joined;
use super::page::window;
use super::run::{self, Query, Run, terminals};
use super::select::Select;
use super::source::{P0, P1, P2, P3, P4, P5, P6, P7, P8, P9, P10, P11, Pick, Present, Slots};

/// A query paged by keyset: built by `keyset(order, after)` on a [`Select`] or a [`Joined`];
/// run with [`page`](Keyset::page). `K` is the cursor: the values of the ordering columns.
#[must_use = "a query does nothing until a terminal method such as `page` runs it"]
pub struct Keyset<Q, K> {
    query: Q,
    /// Where each ordering column sits in a result row.
    positions: Vec<usize>,
    decode: fn(&Row, &[usize]) -> Result<K>,
}

/// One page of a keyset-paginated query.
#[derive(Debug, Clone, PartialEq)]
pub struct KeysetPage<T, K> {
    /// The rows of this page, in the keyset's order.
    pub items: Vec<T>,
    /// The cursor of the last row, to pass as `after` for the next page; `None` when no row
    /// follows this page.
    pub next: Option<K>,
}

/// One ordering column of a keyset, as the seek condition names it.
#[derive(Clone, Copy)]
struct SeekColumn {
    qualifier: &'static str,
    name: &'static str,
    desc: bool,
}

/// The terms of a keyset ordering, collected from its [`Order`]s.
#[doc(hidden)]
#[derive(Default)]
pub struct Terms {
    columns: Vec<SeekColumn>,
    order: Vec<OrderTerm>,
}

type Value = Box<dyn ToSql + Send + Sync>;

/// Columns a keyset may order by: NOT NULL ones. (`a < $1` never holds when `a` is NULL, so the
/// rows with NULLs would never come.)
#[diagnostic::on_unimplemented(
    message = "column `{Self}` is nullable, so it cannot order a keyset page",
    label = "nullable column",
    note = "a keyset compares each ordering column with the cursor, and NULL compares with nothing: order by NOT NULL columns, ending with a unique one such as the primary key"
)]
pub trait KeysetColumn: ColumnRef {}

#[diagnostic::do_not_recommend]
impl<C: ColumnRef> KeysetColumn for C where C::Value: Scalar {}

/// One term of a keyset ordering: `column.asc()` or `column.desc()` of a NOT NULL column of a
/// table every row of a query on `S` has.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a keyset ordering term of a query on `{S}`",
    label = "not `column.asc()` / `column.desc()`",
    note = "each term of a keyset is `column.asc()` or `column.desc()` of a NOT NULL column of the query"
)]
pub trait KeysetTerm<S, I>: KeysetCursor {
    #[doc(hidden)]
    fn __push(self, terms: &mut Terms);
    #[doc(hidden)]
    fn __bind(value: Self::Cursor, out: &mut Vec<Value>);
    #[doc(hidden)]
    fn __decode(row: &Row, position: usize) -> Result<Self::Cursor>;
}

/// The cursor of a keyset ordering: one value per term, of the term's column type. Read from
/// the columns' types alone, so that `keyset(order, after)` takes its cursor whatever else is
/// wrong with the ordering, and that is reported once, as the ordering's.
#[doc(hidden)]
pub trait KeysetCursor {
    /// The cursor.
    type Cursor;
}

impl<C: ColumnRef> KeysetCursor for Order<C> {
    type Cursor = C::Value;
}

macro_rules! tuple_cursor {
    ($($o:ident),+) => {
        impl<$($o: KeysetCursor),+> KeysetCursor for ($($o,)+) {
            type Cursor = ($($o::Cursor,)+);
        }
    };
}
tuple_cursor!(O0);
tuple_cursor!(O0, O1);
tuple_cursor!(O0, O1, O2);
tuple_cursor!(O0, O1, O2, O3);
tuple_cursor!(O0, O1, O2, O3, O4);
tuple_cursor!(O0, O1, O2, O3, O4, O5);

/// The kinds of slots a keyset may order by: those every row has. A column of an optional
/// table is NULL in the rows that lack the table, and NULL compares with nothing.
#[diagnostic::on_unimplemented(
    message = "a keyset cannot order by a column of a table that a row may lack",
    label = "a column of a left-, right- or full-joined table",
    note = "order a keyset by columns of tables every row has: the first table and inner-joined ones (a right join makes the tables before it optional)"
)]
pub trait EveryRowHas {}

impl EveryRowHas for Present {}

/// Positions, among the sources `S`, of tables every row has. Checked on the position a column
/// was found at, so that a column of a table outside the query reports only that.
#[doc(hidden)]
pub trait EveryRowAt<S> {}

impl<T> EveryRowAt<T> for Here {}

macro_rules! every_row_at {
    ($($p:ident),+) => {$(
        impl<S> EveryRowAt<S> for $p
        where
            $p: Pick<S>,
            <$p as Pick<S>>::Kind: EveryRowHas,
        {
        }
    )+};
}
every_row_at!(P0, P1, P2, P3, P4, P5, P6, P7, P8, P9, P10, P11);

impl<C, S, I> KeysetTerm<S, I> for Order<C>
where
    C: KeysetColumn + Columns<S, I>,
    I: EveryRowAt<S>,
{
    fn __push(self, terms: &mut Terms) {
        terms.columns.push(SeekColumn {
            qualifier: C::qualifier(),
            name: C::NAME,
            desc: self.is_desc(),
        });
        terms.order.push(self.term);
    }
    fn __bind(value: C::Value, out: &mut Vec<Value>) {
        out.push(Box::new(value));
    }
    fn __decode(row: &Row, position: usize) -> Result<C::Value> {
        crate::__private::get(row, position, C::NAME)
    }
}

/// The ordering of a keyset: one [`KeysetTerm`] or a tuple of up to 6. Its
/// [`Cursor`](KeysetCursor::Cursor) holds one value per term, of the term's column type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a keyset ordering of a query on `{S}`",
    note = "a keyset orders by `column.asc()` / `column.desc()`, or a tuple of up to 6 of them, of NOT NULL columns of the query"
)]
pub trait KeysetOrder<S, I>: KeysetCursor {
    #[doc(hidden)]
    fn __terms(self, terms: &mut Terms);
    #[doc(hidden)]
    fn __bind(cursor: Self::Cursor, out: &mut Vec<Value>);
    #[doc(hidden)]
    fn __decode(row: &Row, positions: &[usize]) -> Result<Self::Cursor>;
}

impl<C, S, I> KeysetOrder<S, I> for Order<C>
where
    Order<C>: KeysetTerm<S, I>,
{
    fn __terms(self, terms: &mut Terms) {
        self.__push(terms);
    }
    fn __bind(cursor: Self::Cursor, out: &mut Vec<Value>) {
        <Order<C> as KeysetTerm<S, I>>::__bind(cursor, out);
    }
    fn __decode(row: &Row, positions: &[usize]) -> Result<Self::Cursor> {
        <Order<C> as KeysetTerm<S, I>>::__decode(row, position(positions, 0))
    }
}

/// A position the decoder was given, or one past any row (decoding it then fails with a
/// conversion error rather than a panic).
fn position(positions: &[usize], n: usize) -> usize {
    positions.get(n).copied().unwrap_or(usize::MAX)
}

macro_rules! tuple_keyset {
    ($($o:ident $i:ident $n:tt),+) => {
        impl<S, $($o, $i),+> KeysetOrder<S, ($($i,)+)> for ($($o,)+)
        where
            $($o: KeysetTerm<S, $i>),+
        {
            fn __terms(self, terms: &mut Terms) {
                $(self.$n.__push(terms);)+
            }
            fn __bind(cursor: Self::Cursor, out: &mut Vec<Value>) {
                $($o::__bind(cursor.$n, out);)+
            }
            fn __decode(row: &Row, positions: &[usize]) -> Result<Self::Cursor> {
                Ok(($($o::__decode(row, position(positions, $n))?,)+))
            }
        }
    };
}
tuple_keyset!(O0 I0 0);
tuple_keyset!(O0 I0 0, O1 I1 1);
tuple_keyset!(O0 I0 0, O1 I1 1, O2 I2 2);
tuple_keyset!(O0 I0 0, O1 I1 1, O2 I2 2, O3 I3 3);
tuple_keyset!(O0 I0 0, O1 I1 1, O2 I2 2, O3 I3 3, O4 I4 4);
tuple_keyset!(O0 I0 0, O1 I1 1, O2 I2 2, O3 I3 3, O4 I4 4, O5 I5 5);

/// The rows after a cursor, in the keyset's order.
struct Seek {
    columns: Vec<SeekColumn>,
    values: Vec<Value>,
}

impl Condition for Seek {
    fn write<'a>(&'a self, w: &mut Writer<'a>) {
        // Runs of consecutive terms going the same way: `(a, b) < ($1, $2)` compares a run.
        let mut runs: Vec<Range<usize>> = Vec::new();
        for (i, c) in self.columns.iter().enumerate() {
            match runs.last_mut() {
                Some(run) if self.columns[run.start].desc == c.desc => run.end = i + 1,
                _ => runs.push(i..i + 1),
            }
        }
        let mut bound = vec![0; self.values.len()];
        let mut seek = SeekWriter {
            seek: self,
            bound: &mut bound,
        };
        // The rows after the cursor on a run: `<` for a descending run, `>` for an ascending
        // one; with `=` allowed, for the bound of the first run.
        let after =
            |run: &Range<usize>, or_equal: bool| match (self.columns[run.start].desc, or_equal) {
                (true, false) => " < ",
                (true, true) => " <= ",
                (false, false) => " > ",
                (false, true) => " >= ",
            };
        let [first, rest @ ..] = runs.as_slice() else {
            w.push("TRUE");
            return;
        };
        if rest.is_empty() {
            seek.compare(w, first, after(first, false));
            return;
        }
        w.push("(");
        seek.compare(w, first, after(first, true));
        w.push(" AND (");
        for (n, run) in runs.iter().enumerate() {
            if n > 0 {
                w.push(" OR (");
                for earlier in &runs[..n] {
                    seek.compare(w, earlier, " = ");
                    w.push(" AND ");
                }
            }
            seek.compare(w, run, after(run, false));
            if n > 0 {
                w.push(")");
            }
        }
        w.push("))");
    }
}

/// Writes comparisons of runs of ordering columns with their cursor values, binding each value
/// the first time it appears and naming its placeholder again afterwards.
struct SeekWriter<'s, 'b> {
    seek: &'s Seek,
    /// The placeholder number of each value, 0 while unbound.
    bound: &'b mut [usize],
}

impl<'s> SeekWriter<'s, '_> {
    /// `"t"."a" op $1`, or `("t"."a", "t"."b") op ($1, $2)` for a run of several terms.
    fn compare(&mut self, w: &mut Writer<'s>, run: &Range<usize>, op: &str) {
        let many = run.len() > 1;
        let open = |w: &mut Writer<'s>| {
            if many {
                w.push("(");
            }
        };
        let close = |w: &mut Writer<'s>| {
            if many {
                w.push(")");
            }
        };
        open(w);
        for i in run.clone() {
            if i > run.start {
                w.push(", ");
            }
            let c = self.seek.columns[i];
            w.qualified(c.qualifier, c.name);
        }
        close(w);
        w.push(op);
        open(w);
        for i in run.clone() {
            if i > run.start {
                w.push(", ");
            }
            self.value(w, i);
        }
        close(w);
    }

    fn value(&mut self, w: &mut Writer<'s>, i: usize) {
        let (Some(value), Some(bound)) = (self.seek.values.get(i), self.bound.get_mut(i)) else {
            return;
        };
        if *bound > 0 {
            w.placeholder(*bound);
        } else {
            w.bind(&**value);
            *bound = w.last_placeholder();
        }
    }
}

/// Orders `body` by the keyset, keeps the rows after `after`, and says where each ordering
/// column sits among the result columns of `tables`.
fn prepare<O: KeysetOrder<S, I>, S, I>(
    body: &mut Body,
    tables: &[(&'static TableMeta, &'static str)],
    order: O,
    after: Option<O::Cursor>,
) -> Vec<usize> {
    let mut terms = Terms::default();
    order.__terms(&mut terms);
    body.order = terms.order;
    let positions = terms
        .columns
        .iter()
        .map(|c| column_position(tables, c.qualifier, c.name))
        .collect();
    if let Some(cursor) = after {
        let mut values = Vec::with_capacity(terms.columns.len());
        O::__bind(cursor, &mut values);
        body.seek = Some(Box::new(Seek {
            columns: terms.columns,
            values,
        }));
    }
    positions
}

/// The index of column `name` of the table (or alias) `qualifier` in a row of `tables`' columns.
fn column_position(
    tables: &[(&'static TableMeta, &'static str)],
    qualifier: &str,
    name: &str,
) -> usize {
    let mut offset = 0;
    for (meta, alias) in tables {
        if *alias == qualifier
            && let Some(i) = meta.columns.iter().position(|c| c.name == name)
        {
            return offset + i;
        }
        offset += meta.columns.len();
    }
    usize::MAX
}

impl<T: Table> Select<T> {
    /// Keyset pagination: orders the query by `order` alone (replacing any `order_by`) and keeps
    /// the rows after the cursor `after` (`None` for the first page). `order` is
    /// `column.asc()` / `column.desc()` or a tuple of them, of NOT NULL columns, ending with a
    /// unique one (the primary key) so that no two rows tie; the cursor holds one value per
    /// term, of its column's type. Read pages with [`page`](Keyset::page).
    ///
    /// ```ignore
    /// let first = Asset::select()
    ///     .keyset((Asset::created_at.desc(), Asset::id.desc()), None)
    ///     .page(20, &db).await?;
    /// let second = Asset::select()
    ///     .keyset((Asset::created_at.desc(), Asset::id.desc()), first.next)
    ///     .page(20, &db).await?;
    /// ```
    pub fn keyset<O: KeysetOrder<T, I>, I>(
        mut self,
        order: O,
        after: Option<O::Cursor>,
    ) -> Keyset<Select<T>, O::Cursor> {
        let positions = prepare(self.body_mut(), &[(T::META, T::META.name)], order, after);
        Keyset {
            query: self,
            positions,
            decode: O::__decode,
        }
    }
}

impl<S: Slots> Joined<S> {
    /// Keyset pagination over joined rows: as [`Select::keyset`], ordering by NOT NULL columns
    /// of the tables every row has (the first table and inner-joined ones; a column of an
    /// optional table would be NULL in the rows that lack it).
    pub fn keyset<O: KeysetOrder<S, I>, I>(
        mut self,
        order: O,
        after: Option<O::Cursor>,
    ) -> Keyset<Joined<S>, O::Cursor> {
        let positions = prepare(self.body_mut(), &S::tables(), order, after);
        Keyset {
            query: self,
            positions,
            decode: O::__decode,
        }
    }
}

/// The queries keyset pagination pages: whole rows of one table ([`Select`]) and joined rows
/// ([`Joined`]).
pub trait Paged: Query {
    #[doc(hidden)]
    fn __limit(&mut self, n: i64);
}

impl<T: Table> Paged for Select<T> {
    fn __limit(&mut self, n: i64) {
        self.body_mut().limit = Some(n);
    }
}

impl<S: Slots> Paged for Joined<S> {
    fn __limit(&mut self, n: i64) {
        self.body_mut().limit = Some(n);
    }
}

impl<Q: Paged, K: 'static> Run for Keyset<Q, K> {
    type Output = Q::Output;
    fn render(&self) -> Rendered<'_> {
        Rendered::with(|w| self.query.write_query(w)).read_if(!self.query.locks_rows())
    }
    fn decode(&self, row: &Row) -> Result<Q::Output> {
        Q::decode_row(row)
    }
    fn table(&self) -> &'static str {
        self.query.table_name()
    }
    fn is_read(&self) -> bool {
        !self.query.locks_rows()
    }
    fn expected_rows(&self) -> Option<usize> {
        Query::expected_rows(&self.query)
    }
}

terminals!(@rows [Q: Paged, K: 'static] Keyset<Q, K> => Q::Output, []);

impl<Q: Paged, K: Send + 'static> Keyset<Q, K> {
    /// The next `size` rows (1 to [`MAX_PAGE_SIZE`](crate::query::MAX_PAGE_SIZE)) after the
    /// cursor, and the cursor of the last one when more rows follow. Reads `size + 1` rows to
    /// know; a bad `size` is an [`ErrorKind::Validation`](crate::ErrorKind::Validation) error
    /// for `page_size`, before anything is sent.
    pub async fn page<E: Executor + ?Sized>(
        mut self,
        size: u32,
        exec: &E,
    ) -> Result<KeysetPage<Q::Output, K>>
    where
        Q::Output: Send,
    {
        let (limit, _) = window(1, size)?;
        self.query.__limit(limit + 1);
        let size = size as usize;
        let read = AtomicUsize::new(0);
        let r = self.render();
        let rows = run::fetch(exec, &r, size + 1, Some(size + 1), |row| {
            // Only the last row of the page gives the cursor.
            let last = read.fetch_add(1, Ordering::Relaxed) + 1 == size;
            let cursor = if last {
                Some((self.decode)(row, &self.positions)?)
            } else {
                None
            };
            Ok((Q::decode_row(row)?, cursor))
        })
        .await?;
        let more = rows.len() > size;
        let mut items = Vec::with_capacity(size.min(rows.len()));
        let mut next = None;
        for (item, cursor) in rows.into_iter().take(size) {
            items.push(item);
            next = cursor.or(next);
        }
        Ok(KeysetPage {
            items,
            next: next.filter(|_| more),
        })
    }

    /// The SQL [`page`](Keyset::page) sends for pages of `size` rows, and its parameter count.
    pub fn page_to_sql(mut self, size: u32) -> Sql {
        self.query.__limit(i64::from(size) + 1);
        self.to_sql()
    }
}
