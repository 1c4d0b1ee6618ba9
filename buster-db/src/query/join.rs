//! Joins: selects over several tables with typed `ON` conditions and tuple results.
//!
//! The tables of a joined query are its slots (`source.rs`). Each soft-deletable table hides its
//! deleted rows before it is joined, whatever the join: `from.rs` places each predicate (in the
//! `ON` clause of an inner or left join, so a left join keeps its left row; see `placement`
//! there for right and full joins).

use std::marker::PhantomData;

use tokio_postgres::Row;

use crate::Result;
use crate::expr::{Columns, Expr, InSource, Order, RowLevel};
use crate::meta::TableMeta;
use crate::sql::Writer;
use crate::table::{SoftDelete, Table};

use super::from::{Body, JoinKind, Total, Visibility};
use super::project::{Item, OneColumn, Projected, Projection};
use super::run::{Query, Read, terminals};
use super::source::{
    Inner, Left, MakeOptional, Maybe, Push, ReadsJoined, Slots, Source, TableRef, Unjoined,
};

/// A `SELECT` over joined tables, returning one tuple per row (`(A, B)`, `(A, Option<B>)`, …).
#[must_use = "a query does nothing until a terminal method such as `all` runs it"]
pub struct Joined<S> {
    body: Body,
    _slots: PhantomData<fn() -> S>,
}

impl<S: Slots> Joined<S> {
    pub(crate) fn from_parts(body: Body) -> Joined<S> {
        Joined {
            body,
            _slots: PhantomData,
        }
    }

    pub(crate) fn body_mut(&mut self) -> &mut Body {
        &mut self.body
    }

    /// `INNER JOIN table ON on`: rows without a match are dropped; soft-deleted rows of the
    /// joined table never match.
    pub fn inner_join<X, C, I>(
        mut self,
        table: TableRef<X>,
        on: Expr<C>,
    ) -> Joined<<S as Push<Inner<X>>>::Out>
    where
        X: Source,
        S: Unjoined<X>,
        S: Push<Inner<X>>,
        C: Columns<<S as Push<Inner<X>>>::Out, I> + RowLevel,
        I: ReadsJoined<<S as Push<Inner<X>>>::At>,
    {
        let _ = table;
        self.body.join(
            JoinKind::Inner,
            <X::Table as Table>::META,
            X::alias(),
            on.erase(),
        );
        Joined::from_parts(self.body)
    }

    /// `INNER JOIN LATERAL (subquery) AS "x" ON true`: for each row so far, the rows of a
    /// [`lateral`](crate::query::lateral) subquery (rows with none are dropped); the subquery's
    /// condition may read every table joined so far.
    pub fn inner_join_lateral<X, Q, C, I>(
        mut self,
        rows: super::lateral::Lateral<X, Q, C>,
    ) -> Joined<<S as Push<Inner<X>>>::Out>
    where
        X: Table + Source,
        Q: Table,
        S: Push<Inner<X>>,
        C: Columns<super::compound::With<S, Q>, I>,
    {
        self.body
            .join_lateral(JoinKind::Inner, <X as Table>::META, rows.sub);
        Joined::from_parts(self.body)
    }

    /// `LEFT JOIN LATERAL (subquery) AS "x" ON true`: like
    /// [`inner_join_lateral`](Joined::inner_join_lateral), keeping the rows for which the
    /// subquery returns none (with `None`).
    pub fn left_join_lateral<X, Q, C, I>(
        mut self,
        rows: super::lateral::Lateral<X, Q, C>,
    ) -> Joined<<S as Push<Left<X>>>::Out>
    where
        X: Table + Source,
        Q: Table,
        S: Push<Left<X>>,
        C: Columns<super::compound::With<S, Q>, I>,
    {
        self.body
            .join_lateral(JoinKind::Left, <X as Table>::META, rows.sub);
        Joined::from_parts(self.body)
    }

    /// `LEFT JOIN table ON on`: rows without a match (or whose match is soft-deleted) keep their
    /// left side and get `None`.
    pub fn left_join<X, C, I>(
        mut self,
        table: TableRef<X>,
        on: Expr<C>,
    ) -> Joined<<S as Push<Left<X>>>::Out>
    where
        X: Source,
        S: Unjoined<X>,
        S: Push<Left<X>>,
        C: Columns<<S as Push<Left<X>>>::Out, I> + RowLevel,
        I: ReadsJoined<<S as Push<Left<X>>>::At>,
    {
        let _ = table;
        self.body.join(
            JoinKind::Left,
            <X::Table as Table>::META,
            X::alias(),
            on.erase(),
        );
        Joined::from_parts(self.body)
    }

    /// `RIGHT JOIN table ON on`: every (live) row of `table` comes out, with the tables already
    /// in the query as `Option`s, `None` where nothing matched (or only soft-deleted rows did).
    pub fn right_join<X, C, I>(
        mut self,
        table: TableRef<X>,
        on: Expr<C>,
    ) -> Joined<<<S as MakeOptional>::Out as Push<Inner<X>>>::Out>
    where
        X: Source,
        S: Unjoined<X>,
        S: MakeOptional,
        <S as MakeOptional>::Out: Push<Inner<X>>,
        C: Columns<<<S as MakeOptional>::Out as Push<Inner<X>>>::Out, I> + RowLevel,
        I: ReadsJoined<<<S as MakeOptional>::Out as Push<Inner<X>>>::At>,
    {
        let _ = table;
        self.body.join(
            JoinKind::Right,
            <X::Table as Table>::META,
            X::alias(),
            on.erase(),
        );
        Joined::from_parts(self.body)
    }

    /// `FULL JOIN table ON on`: the rows of both sides come out, matched where `on` holds and
    /// alone otherwise, so every table of the result is an `Option`. Soft-deleted rows of either
    /// side neither match nor come out alone.
    pub fn full_join<X, C, I>(
        mut self,
        table: TableRef<X>,
        on: Expr<C>,
    ) -> Joined<<<S as MakeOptional>::Out as Push<Maybe<X>>>::Out>
    where
        X: Source,
        S: Unjoined<X>,
        S: MakeOptional,
        <S as MakeOptional>::Out: Push<Maybe<X>>,
        C: Columns<<<S as MakeOptional>::Out as Push<Maybe<X>>>::Out, I> + RowLevel,
        I: ReadsJoined<<<S as MakeOptional>::Out as Push<Maybe<X>>>::At>,
    {
        let _ = table;
        self.body.join(
            JoinKind::Full,
            <X::Table as Table>::META,
            X::alias(),
            on.erase(),
        );
        Joined::from_parts(self.body)
    }

    /// Adds a condition over any of the joined tables; several are combined with `AND`.
    pub fn filter<C, I>(mut self, condition: Expr<C>) -> Joined<S>
    where
        C: Columns<S, I>,
    {
        self.body.filters.push(condition.erase());
        self
    }

    /// Appends an `ORDER BY` term on a column of any joined table.
    pub fn order_by<C, I>(mut self, order: Order<C>) -> Joined<S>
    where
        C: Columns<S, I>,
    {
        self.body.order.push(order.term);
        self
    }

    /// Attaches a common table expression ([`cte`](crate::query::cte)).
    pub fn with(mut self, cte: super::cte::Cte) -> Joined<S> {
        self.body.ctes.push(cte);
        self
    }

    /// `LIMIT n`.
    pub fn limit(mut self, n: i64) -> Joined<S> {
        self.body.limit = Some(n);
        self
    }

    /// `OFFSET n`.
    pub fn offset(mut self, n: i64) -> Joined<S> {
        self.body.offset = Some(n);
        self
    }

    /// Selects a tuple of items (columns, `Table::table()`, aggregates) instead of whole rows.
    pub fn columns<P: Projection<S, I>, I>(self, items: P) -> Projected<S, P, I> {
        Projected::new(self.body, items)
    }

    /// Selects one item (a column, `Table::table()` or an aggregate) instead of whole rows.
    pub fn column<A: Item<S, I>, I>(self, item: A) -> Projected<S, OneColumn<A>, I> {
        Projected::new(self.body, OneColumn(item))
    }

    /// Includes the soft-deleted rows of one of the joined tables.
    pub fn with_deleted<X, I>(mut self, table: TableRef<X>) -> Joined<S>
    where
        X: Source + InSource<S, I>,
        X::Table: SoftDelete,
    {
        let _ = table;
        self.body
            .set_visibility(X::alias(), Visibility::WithDeleted);
        self
    }

    /// Keeps only the soft-deleted rows of one of the joined tables.
    pub fn only_deleted<X, I>(mut self, table: TableRef<X>) -> Joined<S>
    where
        X: Source + InSource<S, I>,
        X::Table: SoftDelete,
    {
        let _ = table;
        self.body
            .set_visibility(X::alias(), Visibility::OnlyDeleted);
        self
    }
}

impl<S: Slots> Query for Joined<S> {
    type Output = S::Output;
    type Orderable = super::compound::RowsOf<S>;
    fn write_query<'a>(&'a self, w: &mut Writer<'a>) {
        self.body.write_with(w);
        w.push("SELECT ");
        write_columns(w, &S::tables());
        self.body.write_from_where(w);
        self.body.write_order_limit(w);
    }
    fn decode_row(row: &Row) -> Result<S::Output> {
        S::decode(row)
    }
    fn table_name(&self) -> &'static str {
        self.body.base.name
    }
    fn expected_rows(&self) -> Option<usize> {
        self.body.expected_rows()
    }
}

impl<S: Slots> Read for Joined<S> {
    fn write_total<'a>(&'a self, w: &mut Writer<'a>, total: Total) {
        self.body.write_total(w, total);
    }
    fn window(&mut self, limit: i64, offset: i64) {
        self.body.window(limit, offset);
    }
}

terminals!(read [S: Slots] Joined<S> => S::Output);

pub(crate) fn write_columns(w: &mut Writer<'_>, tables: &[(&'static TableMeta, &'static str)]) {
    let mut first = true;
    for (meta, alias) in tables {
        for c in meta.columns {
            if !first {
                w.push(", ");
            }
            first = false;
            w.qualified(alias, c.name);
        }
    }
}
