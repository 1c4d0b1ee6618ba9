//! Value expressions: operands, literals, arithmetic, comparisons, casts and orderings.
//!
//! Every operand is matched by its Rust type up to `Option`: an integer expression takes an
//! `i32` value, an `i32` column or another `i32` expression; the result is nullable when one of
//! its operands is.

use std::sync::Arc;

use super::{Both, ColumnRef, Expr, Node, Order, OrderTarget};
use crate::query::bounds::NoColumns;
use crate::value::{ColumnType, IntoSql, Scalar};

/// Marks an [`Operand`] that is a value, bound as a parameter.
#[doc(hidden)]
pub struct ByValue;
/// Marks an [`Operand`] that is a column.
#[doc(hidden)]
pub struct ByColumn;
/// Marks an [`Operand`] that is an expression.
#[doc(hidden)]
pub struct ByExpr;

/// Something that can stand where an expression of type `T` is expected: a value of `T`'s type
/// (bound as a parameter), a column of that type or an [`Expr`] of that type — each up to
/// `Option`.
///
/// `M` is inferred (it tells the three kinds apart) and never written.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used where an expression of type `{T}` is expected",
    label = "expected a value, a column or an expression of type `{T}`",
    note = "operands match by Rust type up to `Option`; convert other types with `.cast::<T>()` or compare values of the same type"
)]
pub trait Operand<T: ColumnType, M> {
    /// The columns the operand reads.
    type Columns;
    /// The operand's own type: `T`, its `Option`, or its non-null type.
    type Type: ColumnType;
    /// The operand's SQL.
    #[doc(hidden)]
    fn into_node(self) -> Node;
}

#[diagnostic::do_not_recommend]
impl<T: ColumnType, V: IntoSql<T::Inner>> Operand<T, ByValue> for V {
    type Columns = NoColumns;
    type Type = T::Inner;
    fn into_node(self) -> Node {
        bind::<T::Inner>(Arc::new(self.into_sql()))
    }
}

#[diagnostic::do_not_recommend]
impl<T: ColumnType, C: ColumnRef> Operand<T, ByColumn> for C
where
    C::Value: ColumnType<Inner = T::Inner>,
{
    type Columns = C;
    type Type = C::Value;
    fn into_node(self) -> Node {
        column_node::<C>()
    }
}

#[diagnostic::do_not_recommend]
impl<T: ColumnType, D, U: ColumnType<Inner = T::Inner>> Operand<T, ByExpr> for Expr<D, U> {
    type Columns = D;
    type Type = U;
    fn into_node(self) -> Node {
        self.erase()
    }
}

pub(crate) fn column_node<C: ColumnRef>() -> Node {
    Node::Column {
        table: C::qualifier(),
        column: C::NAME,
    }
}

/// A bound value, cast to its type so that the server need not infer it (a select-list
/// constant, a `CASE` branch, a function argument).
pub(crate) fn bind<T: ColumnType>(value: Arc<dyn postgres_types::ToSql + Send + Sync>) -> Node {
    Node::Bind {
        value,
        cast: Some(T::SQL_TYPE),
    }
}

/// A value usable as a constant expression: any column type's value, or `&str` for text.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a constant expression",
    note = "constants are values of a column type (String, i32, Uuid, an enum deriving `buster_db::Enum`, …) or `&str`"
)]
pub trait Literal {
    /// The constant's Rust type.
    type Type: Scalar;
    /// The bound value.
    #[doc(hidden)]
    fn into_value(self) -> Self::Type;
}

#[diagnostic::do_not_recommend]
impl<T: Scalar> Literal for T {
    type Type = T;
    fn into_value(self) -> T {
        self
    }
}

impl Literal for &str {
    type Type = String;
    fn into_value(self) -> String {
        self.to_owned()
    }
}

/// A constant as an expression, bound as a parameter and cast to its type: select it to tag the
/// rows of each part of a union (`lit(AssetType::Chat)`), or use it in `CASE`, functions or
/// `SET`.
pub fn lit<V: Literal>(value: V) -> Expr<NoColumns, V::Type> {
    Expr::new(bind::<V::Type>(Arc::new(value.into_value())))
}

/// The type of an expression combining operands of types `Self` and `B`: the same non-null type,
/// or its `Option` when either may be NULL.
#[diagnostic::on_unimplemented(
    message = "operands of types `{Self}` and `{B}` cannot be combined",
    note = "both operands must have the same Rust type, up to `Option`"
)]
pub trait Unify<B>: ColumnType {
    /// The combined type.
    type Out: ColumnType;
}

impl<T: Scalar> Unify<T> for T {
    type Out = T;
}
impl<T: Scalar> Unify<Option<T>> for T {
    type Out = Option<T>;
}
impl<T: Scalar> Unify<T> for Option<T> {
    type Out = Option<T>;
}
impl<T: Scalar> Unify<Option<T>> for Option<T> {
    type Out = Option<T>;
}

/// A column type's nullability applied to another type: `Lift<U>` of `String` is `U`, of
/// `Option<String>` it is `Option<U>`. A strict function of a nullable argument may return NULL.
#[doc(hidden)]
pub trait Nullability: ColumnType {
    /// `U`, or `Option<U>` when `Self` is nullable.
    type Lift<U: Scalar>: ColumnType;
}
impl<T: Scalar> Nullability for T {
    type Lift<U: Scalar> = U;
}
impl<T: Scalar> Nullability for Option<T> {
    type Lift<U: Scalar> = Option<U>;
}

/// Types with arithmetic: `+`, `-`, `*`, `/`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no arithmetic",
    label = "not a number",
    note = "`+ - * /` apply to i16, i32, i64, f32, f64 and Decimal expressions"
)]
pub trait Numeric: Scalar {}
impl Numeric for i16 {}
impl Numeric for i32 {}
impl Numeric for i64 {}
impl Numeric for f32 {}
impl Numeric for f64 {}
#[cfg(feature = "decimal")]
impl Numeric for rust_decimal::Decimal {}

/// Text types: `||`, `like` and the string functions.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not text",
    label = "not a text expression",
    note = "string operators and functions apply to `String` expressions (text, varchar, citext as text)"
)]
pub trait TextType: ColumnType<Inner = String> {}
impl TextType for String {}
impl TextType for Option<String> {}

pub(crate) fn infix(left: Node, op: &'static str, right: Node) -> Node {
    Node::Template {
        parts: vec!["(", op, ")"],
        args: vec![left, right],
    }
}

fn postfix(inner: Node, op: &'static str) -> Node {
    Node::Template {
        parts: vec!["(", op],
        args: vec![inner],
    }
}

macro_rules! comparisons {
    ($($name:ident $op:literal),* $(,)?) => {$(
        #[doc = concat!("`self", $op, "other`: a value, a column or an expression of the same type.")]
        pub fn $name<R: Operand<T, M>, M>(self, other: R) -> Expr<Both<C, R::Columns>> {
            Expr::new(infix(self.erase(), $op, other.into_node()))
        }
    )*};
}

macro_rules! arithmetic {
    ($($name:ident $op:literal $what:literal),* $(,)?) => {$(
        #[doc = concat!("`self", $op, "other` (", $what, "): a value, a column or an expression of the same numeric type.")]
        pub fn $name<R: Operand<T, M>, M>(
            self,
            other: R,
        ) -> Expr<Both<C, R::Columns>, <T as Unify<R::Type>>::Out>
        where
            T::Inner: Numeric,
            T: Unify<R::Type>,
        {
            Expr::new(infix(self.erase(), $op, other.into_node()))
        }
    )*};
}

impl<C, T: ColumnType> Expr<C, T> {
    comparisons!(eq " = ", ne " <> ", lt " < ", le " <= ", gt " > ", ge " >= ");
    arithmetic!(
        plus " + " "addition",
        minus " - " "subtraction",
        times " * " "multiplication",
        divided_by " / " "division; integers divide to an integer",
    );

    /// `self IS NULL`.
    pub fn is_null(self) -> Expr<C> {
        Expr::new(postfix(self.erase(), ") IS NULL"))
    }

    /// `self IS NOT NULL`.
    pub fn is_not_null(self) -> Expr<C> {
        Expr::new(postfix(self.erase(), ") IS NOT NULL"))
    }

    /// `self IS DISTINCT FROM other`: `<>` that treats NULL as a value.
    pub fn is_distinct_from<R: Operand<T, M>, M>(self, other: R) -> Expr<Both<C, R::Columns>> {
        Expr::new(infix(self.erase(), " IS DISTINCT FROM ", other.into_node()))
    }

    /// `self = ANY($1)` with one array parameter of the values; an empty list matches nothing.
    pub fn is_in<I>(self, values: I) -> Expr<C>
    where
        I: IntoIterator,
        I::Item: IntoSql<T::Inner>,
    {
        let values: Vec<_> = values.into_iter().map(IntoSql::into_sql).collect();
        Expr::new(Node::Template {
            parts: vec!["(", " = ANY(", "))"],
            args: vec![
                self.erase(),
                Node::Bind {
                    value: Arc::new(values),
                    cast: None,
                },
            ],
        })
    }

    /// The expression typed as nullable (`Option<_>`), e.g. to combine it with NULL-able
    /// branches or read a column of a left-joined table through it.
    pub fn nullable(self) -> Expr<C, Option<T::Inner>> {
        Expr::new(self.erase())
    }

    /// `CAST(self AS type)` to the PostgreSQL type of `U`; the server checks the conversion.
    pub fn cast<U: ColumnType>(self) -> Expr<C, U> {
        Expr::new(Node::Cast {
            inner: Box::new(self.erase()),
            ty: U::SQL_TYPE,
        })
    }

    /// Ascending order on this expression.
    pub fn asc(self) -> Order<C> {
        Order::of(OrderTarget::Expr(Box::new(self.erase())), false)
    }

    /// Descending order on this expression.
    pub fn desc(self) -> Order<C> {
        Order::of(OrderTarget::Expr(Box::new(self.erase())), true)
    }
}

impl<C, T: TextType> Expr<C, T> {
    /// `self || other`: string concatenation (NULL when either side is NULL; see
    /// [`concat_ws`](super::concat_ws) for a NULL-skipping form).
    pub fn concat<R: Operand<T, M>, M>(
        self,
        other: R,
    ) -> Expr<Both<C, R::Columns>, <T as Unify<R::Type>>::Out>
    where
        T: Unify<R::Type>,
    {
        Expr::new(infix(self.erase(), " || ", other.into_node()))
    }

    /// `self LIKE pattern` (`%` and `_` are wildcards).
    pub fn like(self, pattern: impl Into<String>) -> Expr<C> {
        Expr::new(infix(self.erase(), " LIKE ", text_bind(pattern.into())))
    }

    /// `self ILIKE pattern` (case-insensitive).
    pub fn ilike(self, pattern: impl Into<String>) -> Expr<C> {
        Expr::new(infix(self.erase(), " ILIKE ", text_bind(pattern.into())))
    }
}

impl<C> Expr<C, bool> {
    /// The condition as a nullable boolean, e.g. to select it next to other values.
    pub fn as_value(self) -> Expr<C, Option<bool>> {
        Expr::new(self.erase())
    }
}

fn text_bind(value: String) -> Node {
    Node::Bind {
        value: Arc::new(value),
        cast: None,
    }
}

/// Column types that accept a value of type `U`: `U` itself, or `T` for an `Option<T>` column.
#[doc(hidden)]
pub trait Accepts<U> {}
impl<T: ColumnType> Accepts<T> for T {}
impl<T: Scalar> Accepts<T> for Option<T> {}

/// What `set(column, …)` takes in a query over `S`: a value of the column's type (bound as a
/// parameter), another column, or an expression of that type over the query's columns
/// (`Counter::n + 1`, `Report::content.expr().concat(text)`).
///
/// `M` is inferred and never written.
#[diagnostic::on_unimplemented(
    message = "expected a `{T}` value for column `{C}`, found `{Self}`",
    label = "expected `{T}`, or a column or an expression of that type",
    note = "a nullable column also takes its non-null type; `None` sets NULL"
)]
pub trait Assign<C: ColumnRef, S, M, T = <C as ColumnRef>::Value> {
    /// The assigned SQL.
    #[doc(hidden)]
    fn into_node(self) -> Node;
}

#[diagnostic::do_not_recommend]
impl<C: ColumnRef, S, V: super::SetValue<C>> Assign<C, S, ByValue> for V {
    fn into_node(self) -> Node {
        Node::Bind {
            value: Arc::new(self.into_value()),
            cast: None,
        }
    }
}

#[diagnostic::do_not_recommend]
impl<C, S, D, I> Assign<C, S, (ByColumn, I)> for D
where
    C: ColumnRef,
    D: ColumnRef + super::Columns<S, I>,
    C::Value: Accepts<D::Value>,
{
    fn into_node(self) -> Node {
        column_node::<D>()
    }
}

#[diagnostic::do_not_recommend]
impl<C, S, D, U, I> Assign<C, S, (ByExpr, I)> for Expr<D, U>
where
    C: ColumnRef,
    D: super::Columns<S, I>,
    C::Value: Accepts<U>,
{
    fn into_node(self) -> Node {
        self.erase()
    }
}

/// The statement scope of an upsert's `DO UPDATE` on `T`: its columns and
/// [`excluded`](super::excluded) ones.
pub struct UpsertScope<T>(std::marker::PhantomData<fn() -> T>);

impl<T: crate::Table> super::InSource<UpsertScope<T>, super::Here> for T {}

/// The columns `C` of the row an upsert proposed (`EXCLUDED`).
pub struct Excluded<C>(std::marker::PhantomData<fn() -> C>);

// No `do_not_recommend`: outside an upsert the message says so, inside one it names a column of
// another table.
impl<S, C, I> super::Columns<S, I> for Excluded<C> where S: ProposedRow<C, I> {}

/// The sources of a statement with a proposed row whose columns `C` are read (at `I`): an
/// upsert's `DO UPDATE`.
#[diagnostic::on_unimplemented(
    message = "`excluded({C})` is a value an upsert proposed, and this statement proposes none",
    label = "`excluded(..)` outside an upsert's update",
    note = "`excluded(..)` reads the row an upsert tried to insert: use it in `on_conflict(..).update(..).set(..)` or that update's `filter`"
)]
pub trait ProposedRow<C, I> {}

impl<T, C, I> ProposedRow<C, I> for UpsertScope<T> where C: super::Columns<T, I> {}

#[diagnostic::do_not_recommend]
impl<C> super::RowLevel for Excluded<C> {}

/// `excluded.column`: the value the upsert proposed for `column`, in
/// `on_conflict(..).update(..).set(..)` and its `filter`.
pub fn excluded<C: ColumnRef>(column: C) -> Expr<Excluded<C>, C::Value> {
    let _ = column;
    Expr::new(Node::Column {
        table: "excluded",
        column: C::NAME,
    })
}
