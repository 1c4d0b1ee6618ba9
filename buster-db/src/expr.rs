//! Typed predicates and orderings built from column constants.
//!
//! An [`Expr<C>`] remembers in its type the columns `C` it reads, so that a query can check at
//! compile time that each of them belongs to a table of the query.

use std::marker::PhantomData;

use postgres_types::ToSql;

use crate::sql::Writer;
use crate::table::{Column, NullableColumn, Table};
use crate::value::IntoSql;

/// A boolean SQL expression over the columns `C` (a column type, or [`Both`] of two sets).
///
/// Built with [`ColumnExt`] methods and combined with [`Expr::and`], [`Expr::or`] and
/// [`Expr::not`]. Values are always bound as parameters.
pub struct Expr<C> {
    node: Node,
    _columns: PhantomData<fn() -> C>,
}

/// Two column sets, as read by a compound expression.
pub struct Both<A, B>(PhantomData<fn() -> (A, B)>);

type Value = Box<dyn ToSql + Send + Sync>;

pub(crate) enum Node {
    Compare {
        table: &'static str,
        column: &'static str,
        op: &'static str,
        value: Value,
    },
    Any {
        table: &'static str,
        column: &'static str,
        values: Value,
    },
    Null {
        table: &'static str,
        column: &'static str,
        negated: bool,
    },
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Not(Box<Node>),
}

impl Node {
    pub(crate) fn write<'a>(&'a self, w: &mut Writer<'a>) {
        match self {
            Node::Compare {
                table,
                column,
                op,
                value,
            } => {
                w.qualified(table, column);
                w.push(op);
                w.bind(&**value);
            }
            Node::Any {
                table,
                column,
                values,
            } => {
                w.qualified(table, column);
                w.push(" = ANY(");
                w.bind(&**values);
                w.push(")");
            }
            Node::Null {
                table,
                column,
                negated,
            } => {
                w.qualified(table, column);
                w.push(if *negated { " IS NOT NULL" } else { " IS NULL" });
            }
            Node::And(a, b) => {
                w.push("(");
                a.write(w);
                w.push(" AND ");
                b.write(w);
                w.push(")");
            }
            Node::Or(a, b) => {
                w.push("(");
                a.write(w);
                w.push(" OR ");
                b.write(w);
                w.push(")");
            }
            Node::Not(a) => {
                w.push("NOT (");
                a.write(w);
                w.push(")");
            }
        }
    }
}

impl<C> Expr<C> {
    fn new(node: Node) -> Expr<C> {
        Expr {
            node,
            _columns: PhantomData,
        }
    }

    /// Both conditions hold.
    pub fn and<D>(self, other: Expr<D>) -> Expr<Both<C, D>> {
        Expr::new(Node::And(Box::new(self.node), Box::new(other.node)))
    }

    /// Either condition holds.
    pub fn or<D>(self, other: Expr<D>) -> Expr<Both<C, D>> {
        Expr::new(Node::Or(Box::new(self.node), Box::new(other.node)))
    }

    /// The condition does not hold.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Expr<C> {
        Expr::new(Node::Not(Box::new(self.node)))
    }

    pub(crate) fn erase(self) -> Node {
        self.node
    }
}

/// The place of a table in a query's sources, inferred by the compiler.
#[doc(hidden)]
pub struct Here;

/// Tables that take part in a query whose sources are `S`.
#[diagnostic::on_unimplemented(
    message = "table `{Self}` is not part of this query on `{S}`",
    label = "`{Self}` is not in this query"
)]
pub trait InSource<S, I> {}

impl<T: Table> InSource<T, Here> for T {}

/// A set of columns that all belong to tables of a query whose sources are `S`.
#[diagnostic::on_unimplemented(
    message = "column `{Self}` cannot be used in a query on `{S}`",
    label = "this column's table is not part of the query",
    note = "a filter, ordering or update may only use columns of the tables the query reads"
)]
pub trait Columns<S, I> {}

#[diagnostic::do_not_recommend]
impl<C, S, I> Columns<S, I> for C
where
    C: Column,
    C::Table: InSource<S, I>,
{
}

impl<A, B, S, IA, IB> Columns<S, (IA, IB)> for Both<A, B>
where
    A: Columns<S, IA>,
    B: Columns<S, IB>,
{
}

/// A value usable for column `C`.
#[diagnostic::on_unimplemented(
    message = "expected a value for column `{C}`, found `{Self}`",
    label = "wrong type for column `{C}`",
    note = "the value must have the column's Rust type (text columns also take `&str`)"
)]
pub trait ValueFor<C: Column> {
    /// The bound value.
    type Out: ToSql + Send + Sync + 'static;
    /// Converts into the bound value.
    fn into_value(self) -> Self::Out;
}

#[diagnostic::do_not_recommend]
impl<C: Column, V: IntoSql<C::Value>> ValueFor<C> for V {
    type Out = V::Out;
    fn into_value(self) -> V::Out {
        self.into_sql()
    }
}

/// Text columns: the ones `like` and `ilike` apply to.
#[diagnostic::on_unimplemented(
    message = "column `{Self}` is not a text column, so it has no `like` / `ilike`",
    label = "not a text column"
)]
pub trait TextColumn: Column {}

#[doc(hidden)]
pub trait Text {}
impl Text for String {}
impl Text for Option<String> {}

#[diagnostic::do_not_recommend]
impl<C: Column> TextColumn for C where C::Value: Text {}

/// Predicate and ordering methods of every column: `use buster_db::prelude::*;`.
pub trait ColumnExt: Column {
    /// `column = value`.
    fn eq<V: ValueFor<Self>>(self, value: V) -> Expr<Self> {
        compare::<Self>(" = ", Box::new(value.into_value()))
    }
    /// `column <> value`.
    fn ne<V: ValueFor<Self>>(self, value: V) -> Expr<Self> {
        compare::<Self>(" <> ", Box::new(value.into_value()))
    }
    /// `column < value`.
    fn lt<V: ValueFor<Self>>(self, value: V) -> Expr<Self> {
        compare::<Self>(" < ", Box::new(value.into_value()))
    }
    /// `column <= value`.
    fn le<V: ValueFor<Self>>(self, value: V) -> Expr<Self> {
        compare::<Self>(" <= ", Box::new(value.into_value()))
    }
    /// `column > value`.
    fn gt<V: ValueFor<Self>>(self, value: V) -> Expr<Self> {
        compare::<Self>(" > ", Box::new(value.into_value()))
    }
    /// `column >= value`.
    fn ge<V: ValueFor<Self>>(self, value: V) -> Expr<Self> {
        compare::<Self>(" >= ", Box::new(value.into_value()))
    }
    /// `column LIKE pattern` (case-sensitive; `%` and `_` are wildcards).
    fn like(self, pattern: impl Into<String>) -> Expr<Self>
    where
        Self: TextColumn,
    {
        compare::<Self>(" LIKE ", Box::new(pattern.into()))
    }
    /// `column ILIKE pattern` (case-insensitive).
    fn ilike(self, pattern: impl Into<String>) -> Expr<Self>
    where
        Self: TextColumn,
    {
        compare::<Self>(" ILIKE ", Box::new(pattern.into()))
    }
    /// `column = ANY($1)`: one array parameter, so one cached statement serves every list size.
    /// An empty list matches nothing.
    fn is_in<I>(self, values: I) -> Expr<Self>
    where
        I: IntoIterator,
        I::Item: ValueFor<Self>,
    {
        let values: Vec<_> = values.into_iter().map(ValueFor::into_value).collect();
        Expr::new(Node::Any {
            table: <Self::Table as Table>::META.name,
            column: Self::NAME,
            values: Box::new(values),
        })
    }
    /// `column IS NULL` (nullable columns only).
    fn is_null(self) -> Expr<Self>
    where
        Self: NullableColumn,
    {
        null::<Self>(false)
    }
    /// `column IS NOT NULL` (nullable columns only).
    fn is_not_null(self) -> Expr<Self>
    where
        Self: NullableColumn,
    {
        null::<Self>(true)
    }
    /// Ascending order on this column.
    fn asc(self) -> Order<Self> {
        Order::new::<Self>(false)
    }
    /// Descending order on this column.
    fn desc(self) -> Order<Self> {
        Order::new::<Self>(true)
    }
}

impl<C: Column> ColumnExt for C {}

fn compare<C: Column>(op: &'static str, value: Value) -> Expr<C> {
    Expr::new(Node::Compare {
        table: <C::Table as Table>::META.name,
        column: C::NAME,
        op,
        value,
    })
}

fn null<C: Column>(negated: bool) -> Expr<C> {
    Expr::new(Node::Null {
        table: <C::Table as Table>::META.name,
        column: C::NAME,
        negated,
    })
}

/// An `ORDER BY` term on column `C`.
pub struct Order<C> {
    pub(crate) term: OrderTerm,
    _column: PhantomData<fn() -> C>,
}

#[derive(Clone, Copy)]
pub(crate) struct OrderTerm {
    table: &'static str,
    column: &'static str,
    desc: bool,
    nulls_first: Option<bool>,
}

impl OrderTerm {
    pub(crate) fn write(&self, w: &mut Writer<'_>) {
        w.qualified(self.table, self.column);
        if self.desc {
            w.push(" DESC");
        }
        match self.nulls_first {
            Some(true) => w.push(" NULLS FIRST"),
            Some(false) => w.push(" NULLS LAST"),
            None => {}
        }
    }
}

impl<C> Order<C> {
    fn new<K: Column>(desc: bool) -> Order<C> {
        Order {
            term: OrderTerm {
                table: <K::Table as Table>::META.name,
                column: K::NAME,
                desc,
                nulls_first: None,
            },
            _column: PhantomData,
        }
    }

    /// `NULLS FIRST`.
    pub fn nulls_first(mut self) -> Order<C> {
        self.term.nulls_first = Some(true);
        self
    }

    /// `NULLS LAST`.
    pub fn nulls_last(mut self) -> Order<C> {
        self.term.nulls_first = Some(false);
        self
    }
}
