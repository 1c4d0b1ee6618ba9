//! Typed expressions, predicates and orderings built from column constants.
//!
//! An [`Expr<C, T>`] remembers in its type the columns `C` it reads, so that a query can check at
//! compile time that each of them belongs to a table of the query, and the Rust type `T` of its
//! value (`bool` for a condition, `Option<_>` when it may be NULL).

// The traits through which operands give up their SQL name a crate-private type: user code can
// use them but neither implement them nor build SQL through them.
#![allow(private_interfaces)]
// An expression's type is its API: the columns it reads and its value's type.
#![allow(clippy::type_complexity)]

use std::marker::PhantomData;
use std::sync::Arc;

mod func;
mod value;
mod window;

pub use func::*;
pub use value::{
    Accepts, Assign, ByColumn, ByExpr, ByValue, Excluded, Literal, Nullability, Numeric, Operand,
    ProposedRow, TextType, Unify, UpsertScope, excluded, lit,
};
pub use window::{Over, Window, WindowFn, dense_rank, lag, lead, over, rank, row_number};

use postgres_types::ToSql;

use crate::sql::Writer;
use crate::table::{Column, NullableColumn, Table};
use crate::value::ColumnType;
use crate::value::IntoSql;

/// An SQL expression over the columns `C` (a column type, or [`Both`] of two sets) whose value
/// has the Rust type `T`; `Expr<C>` is a condition (`T = bool`).
///
/// Conditions are built with [`ColumnExt`] methods and combined with [`Expr::and`],
/// [`Expr::or`] and [`Expr::not`]; values with [`lit`], the functions of this module, [`case`],
/// arithmetic and [`sql`]. Values are always bound as parameters. An expression is `Clone`:
/// build it once and use it in several queries.
pub struct Expr<C, T = bool> {
    node: Node,
    _columns: PhantomData<fn() -> (C, T)>,
}

impl<C, T> Clone for Expr<C, T> {
    fn clone(&self) -> Self {
        Expr::new(self.node.clone())
    }
}

/// Two column sets, as read by a compound expression.
pub struct Both<A, B>(PhantomData<fn() -> (A, B)>);

/// The columns `C` as read by an aggregate (`count(*) > 5`, `sum(amount) >= 100`): a condition
/// for `having`, not for a row-level clause (`filter`, `on`), which PostgreSQL evaluates before
/// rows are grouped.
pub struct Aggregated<C>(PhantomData<fn() -> C>);

// No `do_not_recommend`: a column of another table in an aggregate is reported as that column.
impl<S, I, C: Columns<S, I>> Columns<S, I> for Aggregated<C> {}

/// Column sets a row-level condition may read: everything but an aggregate's.
#[diagnostic::on_unimplemented(
    message = "an aggregate cannot be used in a row-level condition (`filter`, a join's `on`): rows are filtered before they are grouped",
    label = "compares an aggregate",
    note = "conditions on aggregates go in `having`, after `group_by`"
)]
pub trait RowLevel {}

#[diagnostic::do_not_recommend]
impl<C: ColumnRef> RowLevel for C {}
#[diagnostic::do_not_recommend]
impl<A: RowLevel, B: RowLevel> RowLevel for Both<A, B> {}

type Value = Arc<dyn ToSql + Send + Sync>;

/// A query rendered inside an expression (`EXISTS (…)`, `IN (…)`).
pub(crate) trait SubQuery: Send + Sync {
    fn write<'a>(&'a self, w: &mut Writer<'a>);
}

#[derive(Clone)]
pub(crate) enum Node {
    /// `"table"."column"`.
    Column {
        table: &'static str,
        column: &'static str,
    },
    /// `$n`, with a cast to the value's type where the server cannot infer it.
    Bind {
        value: Value,
        cast: Option<crate::meta::SqlType>,
    },
    /// Fixed SQL text around operands: `parts[0] args[0] parts[1] … parts[n]`.
    Template {
        parts: Vec<&'static str>,
        args: Vec<Node>,
    },
    /// A string constant known at compile time, written as an escaped SQL literal (`'english'`),
    /// so that it is part of the statement's text: an index expression can match it.
    Text(&'static str),
    /// `CAST(inner AS ty)`.
    Cast {
        inner: Box<Node>,
        ty: crate::meta::SqlType,
    },
    /// `(expr) [ASC|DESC] …` lists inside a call: `OVER (…)`, ordered aggregates.
    Ordered {
        open: &'static str,
        partition: Vec<Node>,
        order: Vec<OrderTerm>,
        close: &'static str,
    },
    Compare {
        table: &'static str,
        column: &'static str,
        op: &'static str,
        value: Value,
    },
    Columns {
        left: (&'static str, &'static str),
        op: &'static str,
        right: (&'static str, &'static str),
    },
    Aggregate {
        open: &'static str,
        column: Option<(&'static str, &'static str)>,
        close: &'static str,
        op: &'static str,
        value: Value,
    },
    Sub {
        prefix: &'static str,
        column: Option<(&'static str, &'static str)>,
        sub: Arc<dyn SubQuery>,
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
            Node::Column { table, column } => w.qualified(table, column),
            Node::Bind { value, cast } => {
                w.bind(&**value);
                if let Some(ty) = cast {
                    w.push("::");
                    w.push_display(ty);
                }
            }
            Node::Template { parts, args } => {
                for (i, part) in parts.iter().enumerate() {
                    w.push(part);
                    if let Some(a) = args.get(i) {
                        a.write(w);
                    }
                }
            }
            Node::Text(text) => w.literal(text),
            Node::Cast { inner, ty } => {
                w.push("CAST(");
                inner.write(w);
                w.push(" AS ");
                w.push_display(ty);
                w.push(")");
            }
            Node::Ordered {
                open,
                partition,
                order,
                close,
            } => {
                w.push(open);
                for (i, p) in partition.iter().enumerate() {
                    w.push(if i == 0 { "PARTITION BY " } else { ", " });
                    p.write(w);
                }
                for (i, o) in order.iter().enumerate() {
                    w.push(match (i, partition.is_empty()) {
                        (0, true) => "ORDER BY ",
                        (0, false) => " ORDER BY ",
                        _ => ", ",
                    });
                    o.write(w);
                }
                w.push(close);
            }
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
            Node::Aggregate {
                open,
                column,
                close,
                op,
                value,
            } => {
                w.push(open);
                match column {
                    Some((t, c)) => w.qualified(t, c),
                    None => w.push("*"),
                }
                w.push(close);
                w.push(op);
                w.bind(&**value);
            }
            Node::Columns { left, op, right } => {
                w.qualified(left.0, left.1);
                w.push(op);
                w.qualified(right.0, right.1);
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
            Node::Sub {
                prefix,
                column,
                sub,
            } => {
                if let Some((t, c)) = column {
                    w.qualified(t, c);
                    w.push(" ");
                }
                w.push(prefix);
                sub.write(w);
                w.push(")");
            }
        }
    }
}

impl<C, T> Expr<C, T> {
    pub(crate) fn from_node(node: Node) -> Expr<C, T> {
        Expr::new(node)
    }

    pub(crate) fn new(node: Node) -> Expr<C, T> {
        Expr {
            node,
            _columns: PhantomData,
        }
    }

    pub(crate) fn erase(self) -> Node {
        self.node
    }

    pub(crate) fn node(&self) -> &Node {
        &self.node
    }
}

impl<C> Expr<C> {
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
}

/// A column as a query reads it: a table's column ([`Column`]) or the column of an aliased table
/// ([`AliasColumn`](crate::query::AliasColumn)).
pub trait ColumnRef: Copy + Send + Sync + 'static {
    /// The identity of the table (or alias) the column is read from.
    type Source;
    /// The column's Rust type.
    type Value: ColumnType;
    /// The name of the column's Rust field, as a type ([`Column::Field`]).
    type Field;
    /// The column name.
    const NAME: &'static str;
    /// The name the column is qualified with in SQL: the table name or the alias.
    fn qualifier() -> &'static str;
}

impl<C: Column> ColumnRef for C {
    type Source = C::Table;
    type Value = C::Value;
    type Field = C::Field;
    const NAME: &'static str = C::NAME;
    fn qualifier() -> &'static str {
        <C::Table as Table>::META.name
    }
}

/// The place of a table in a query's sources, inferred by the compiler.
#[doc(hidden)]
pub struct Here;

/// Tables that take part in a query whose sources are `S`.
#[diagnostic::on_unimplemented(
    message = "table `{Self}` is not part of this query",
    label = "`{Self}` is not in this query"
)]
pub trait InSource<S, I> {}

impl<T: Table> InSource<T, Here> for T {}

/// A set of columns that all belong to tables of a query whose sources are `S`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column of a table this query reads",
    label = "reads a column of a table that is not part of this query",
    note = "a filter, ordering, join condition or update may only use columns of the tables the query reads (join a table before using its columns)"
)]
pub trait Columns<S, I> {}

// The columns of a table implement `Columns` one by one (`__column_columns!`, from the derive), the
// columns of an alias in `source.rs`.

// No `do_not_recommend`: the column of the pair that is not in the query is named.
impl<A, B, S, IA, IB> Columns<S, (IA, IB)> for Both<A, B>
where
    A: Columns<S, IA>,
    B: Columns<S, IB>,
{
}

/// A value a column `C` can be compared with: its non-null Rust type `T` (text columns also take
/// `&str`). `None` is not a value to compare with: `= NULL` is never true; use `is_null()`.
#[diagnostic::on_unimplemented(
    message = "expected a `{T}` value for column `{C}`, found `{Self}`",
    label = "expected `{T}`",
    note = "comparisons take the column's non-null Rust type (text columns also take `&str`); to test for NULL use `is_null()` / `is_not_null()`"
)]
pub trait ValueFor<C: ColumnRef, T = <<C as ColumnRef>::Value as ColumnType>::Inner> {
    /// The bound value.
    type Out: ToSql + Send + Sync + 'static;
    /// Converts into the bound value.
    fn into_value(self) -> Self::Out;
}

#[diagnostic::do_not_recommend]
impl<C: ColumnRef, V: IntoSql<<C::Value as ColumnType>::Inner>> ValueFor<C> for V {
    type Out = V::Out;
    fn into_value(self) -> V::Out {
        self.into_sql()
    }
}

/// A value column `C` can be set to: its Rust type `T` (`None` for NULL on a nullable column;
/// text columns also take `&str`).
#[diagnostic::on_unimplemented(
    message = "expected a `{T}` value for column `{C}`, found `{Self}`",
    label = "expected `{T}`"
)]
pub trait SetValue<C: ColumnRef, T = <C as ColumnRef>::Value> {
    /// The bound value.
    type Out: ToSql + Send + Sync + 'static;
    /// Converts into the bound value.
    fn into_value(self) -> Self::Out;
}

#[diagnostic::do_not_recommend]
impl<C: ColumnRef, V: IntoSql<C::Value>> SetValue<C> for V {
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
pub trait TextColumn: ColumnRef {}

#[doc(hidden)]
pub trait Text {}
impl Text for String {}
impl Text for Option<String> {}

#[diagnostic::do_not_recommend]
impl<C: ColumnRef> TextColumn for C where C::Value: Text {}

/// Predicate and ordering methods of every column: `use buster_db::prelude::*;`.
pub trait ColumnExt: ColumnRef {
    /// The column as an expression: for arithmetic (`Counter::n.expr().plus(1)`), functions,
    /// comparisons with other expressions, and `is_null()` on a column of a left-joined table
    /// (NULL there when the join found no row, whatever the column's own type).
    fn expr(self) -> Expr<Self, Self::Value> {
        Expr::new(value::column_node::<Self>())
    }
    /// `column = value`.
    fn eq<V: ValueFor<Self>>(self, value: V) -> Expr<Self> {
        compare::<Self>(" = ", Arc::new(value.into_value()))
    }
    /// `column <> value`.
    fn ne<V: ValueFor<Self>>(self, value: V) -> Expr<Self> {
        compare::<Self>(" <> ", Arc::new(value.into_value()))
    }
    /// `column < value`.
    fn lt<V: ValueFor<Self>>(self, value: V) -> Expr<Self> {
        compare::<Self>(" < ", Arc::new(value.into_value()))
    }
    /// `column <= value`.
    fn le<V: ValueFor<Self>>(self, value: V) -> Expr<Self> {
        compare::<Self>(" <= ", Arc::new(value.into_value()))
    }
    /// `column > value`.
    fn gt<V: ValueFor<Self>>(self, value: V) -> Expr<Self> {
        compare::<Self>(" > ", Arc::new(value.into_value()))
    }
    /// `column >= value`.
    fn ge<V: ValueFor<Self>>(self, value: V) -> Expr<Self> {
        compare::<Self>(" >= ", Arc::new(value.into_value()))
    }
    /// `column = other`, comparing two columns (join conditions). Their types must match, up
    /// to `Option`.
    fn eq_col<D: ComparableWith<Self>>(self, other: D) -> Expr<Both<Self, D>> {
        let _ = other;
        columns::<Self, D>(" = ")
    }
    /// `column <> other`.
    fn ne_col<D: ComparableWith<Self>>(self, other: D) -> Expr<Both<Self, D>> {
        let _ = other;
        columns::<Self, D>(" <> ")
    }
    /// `column < other`.
    fn lt_col<D: ComparableWith<Self>>(self, other: D) -> Expr<Both<Self, D>> {
        let _ = other;
        columns::<Self, D>(" < ")
    }
    /// `column <= other`.
    fn le_col<D: ComparableWith<Self>>(self, other: D) -> Expr<Both<Self, D>> {
        let _ = other;
        columns::<Self, D>(" <= ")
    }
    /// `column > other`.
    fn gt_col<D: ComparableWith<Self>>(self, other: D) -> Expr<Both<Self, D>> {
        let _ = other;
        columns::<Self, D>(" > ")
    }
    /// `column >= other`.
    fn ge_col<D: ComparableWith<Self>>(self, other: D) -> Expr<Both<Self, D>> {
        let _ = other;
        columns::<Self, D>(" >= ")
    }
    /// `column LIKE pattern` (case-sensitive; `%` and `_` are wildcards).
    fn like(self, pattern: impl Into<String>) -> Expr<Self>
    where
        Self: TextColumn,
    {
        compare::<Self>(" LIKE ", Arc::new(pattern.into()))
    }
    /// `column ILIKE pattern` (case-insensitive).
    fn ilike(self, pattern: impl Into<String>) -> Expr<Self>
    where
        Self: TextColumn,
    {
        compare::<Self>(" ILIKE ", Arc::new(pattern.into()))
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
            table: Self::qualifier(),
            column: Self::NAME,
            values: Arc::new(values),
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

impl<C: ColumnRef> ColumnExt for C {}

fn compare<C: ColumnRef>(op: &'static str, value: Value) -> Expr<C> {
    Expr::new(Node::Compare {
        table: C::qualifier(),
        column: C::NAME,
        op,
        value,
    })
}

fn columns<C: ColumnRef, D: ColumnRef>(op: &'static str) -> Expr<Both<C, D>> {
    Expr::new(Node::Columns {
        left: (C::qualifier(), C::NAME),
        op,
        right: (D::qualifier(), D::NAME),
    })
}

/// Rust types whose columns compare with each other: equal, or equal but for `Option`.
/// Rust types whose columns compare with each other.
#[doc(hidden)]
pub trait SameType<T> {}
impl<T> SameType<T> for T {}
impl<T> SameType<Option<T>> for T {}
impl<T> SameType<T> for Option<T> {}

/// Integer columns of different widths compare as PostgreSQL compares them (`int4 = int8` is
/// defined for every pair, with no rounding), so `eq_col` accepts them.
macro_rules! integer_widths {
    ($($a:ty => $b:ty),* $(,)?) => {$(
        impl SameType<$b> for $a {}
        impl SameType<Option<$b>> for $a {}
        impl SameType<$b> for Option<$a> {}
        impl SameType<Option<$b>> for Option<$a> {}
    )*};
}
integer_widths!(i16 => i32, i16 => i64, i32 => i16, i32 => i64, i64 => i16, i64 => i32);

/// A column that can be compared with column `C`.
#[diagnostic::on_unimplemented(
    message = "column `{Self}` cannot be compared with column `{C}`: their types differ",
    label = "not comparable with `{C}`",
    note = "columns compare when their Rust types are equal, up to `Option`; integer columns of any width compare with each other"
)]
pub trait ComparableWith<C>: ColumnRef {}

#[diagnostic::do_not_recommend]
impl<C: ColumnRef, D: ColumnRef> ComparableWith<C> for D where D::Value: SameType<C::Value> {}

fn null<C: ColumnRef>(negated: bool) -> Expr<C> {
    Expr::new(Node::Null {
        table: C::qualifier(),
        column: C::NAME,
        negated,
    })
}

/// An `ORDER BY` term over the columns `C`: a column or an expression, with its direction.
pub struct Order<C> {
    pub(crate) term: OrderTerm,
    _column: PhantomData<fn() -> C>,
}

impl<C> Clone for Order<C> {
    fn clone(&self) -> Self {
        Order {
            term: self.term.clone(),
            _column: PhantomData,
        }
    }
}

#[derive(Clone)]
pub(crate) enum OrderTarget {
    /// `"table"."column"`, or the bare `"column"` of a union's output when `table` is empty.
    Column {
        table: &'static str,
        column: &'static str,
    },
    Expr(Box<Node>),
}

#[derive(Clone)]
pub(crate) struct OrderTerm {
    target: OrderTarget,
    desc: bool,
    nulls_first: Option<bool>,
}

impl OrderTerm {
    /// The same term naming only the column, for ordering the output of a union.
    pub(crate) fn unqualified(mut self) -> OrderTerm {
        if let OrderTarget::Column { table, .. } = &mut self.target {
            *table = "";
        }
        self
    }

    pub(crate) fn write<'a>(&'a self, w: &mut Writer<'a>) {
        match &self.target {
            OrderTarget::Column { table: "", column } => w.ident(column),
            OrderTarget::Column { table, column } => w.qualified(table, column),
            OrderTarget::Expr(node) => node.write(w),
        }
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
    fn new<K: ColumnRef>(desc: bool) -> Order<C> {
        Order::of(
            OrderTarget::Column {
                table: K::qualifier(),
                column: K::NAME,
            },
            desc,
        )
    }

    pub(crate) fn of(target: OrderTarget, desc: bool) -> Order<C> {
        Order {
            term: OrderTerm {
                target,
                desc,
                nulls_first: None,
            },
            _column: PhantomData,
        }
    }

    /// Whether the term sorts in descending order.
    pub(crate) fn is_desc(&self) -> bool {
        self.term.desc
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
