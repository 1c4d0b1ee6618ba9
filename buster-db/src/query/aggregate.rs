//! Aggregates (`count`, `sum`, `avg`, `min`, `max`, `count(*)`), their `having` comparisons,
//! and the column lists of `GROUP BY` / `DISTINCT ON`.
//!
//! How an aggregate is selected and decoded is a projection, in `project.rs`.

use std::marker::PhantomData;

use postgres_types::FromSqlOwned;

use crate::expr::{Aggregated, ColumnRef, Columns, Expr, Node};
use crate::value::{ColumnType, IntoSql, Numeric};

/// An aggregate function applied to column `C`.
pub struct Agg<F, C>(PhantomData<fn() -> (F, C)>);

impl<F, C> Clone for Agg<F, C> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<F, C> Copy for Agg<F, C> {}

/// `count(*)`.
#[derive(Debug, Clone, Copy)]
pub struct CountAll;

/// `count(*)`: the number of rows (in each group).
pub fn count_all() -> CountAll {
    CountAll
}

/// An aggregate function of a column whose value type is `V`.
#[doc(hidden)]
pub trait AggFn<V> {
    type Output: FromSqlOwned;
    /// The value type `having` comparisons take.
    type Compare;
    const OPEN: &'static str;
    const CLOSE: &'static str;
}

#[doc(hidden)]
pub struct CountF;
#[doc(hidden)]
pub struct CountDistinctF;
/// `sum` of a column of the numeric type `N`.
#[doc(hidden)]
pub struct SumF<N>(PhantomData<fn() -> N>);
#[doc(hidden)]
pub struct AvgF;
#[doc(hidden)]
pub struct MinF;
#[doc(hidden)]
pub struct MaxF;

impl<V> AggFn<V> for CountF {
    type Output = i64;
    type Compare = i64;
    const OPEN: &'static str = "count(";
    const CLOSE: &'static str = ")";
}
impl<V> AggFn<V> for CountDistinctF {
    type Output = i64;
    type Compare = i64;
    const OPEN: &'static str = "count(DISTINCT ";
    const CLOSE: &'static str = ")";
}
impl<V, N: Numeric> AggFn<V> for SumF<N> {
    type Output = Option<N::Sum>;
    type Compare = N::Sum;
    const OPEN: &'static str = "sum(";
    const CLOSE: &'static str = N::SUM_CLOSE;
}
// No `Numeric` bound: `avg` is only built for numeric columns, and its output is `f64` whatever
// the column, so a rejected `avg` is not reported again where it is selected.
impl<V> AggFn<V> for AvgF {
    type Output = Option<f64>;
    type Compare = f64;
    const OPEN: &'static str = "avg(";
    const CLOSE: &'static str = ")::double precision";
}
impl<V: ColumnType> AggFn<V> for MinF {
    type Output = V::Optional;
    type Compare = V;
    const OPEN: &'static str = "min(";
    const CLOSE: &'static str = ")";
}
impl<V: ColumnType> AggFn<V> for MaxF {
    type Output = V::Optional;
    type Compare = V;
    const OPEN: &'static str = "max(";
    const CLOSE: &'static str = ")";
}

/// A value an aggregate of column `C`, of type `T`, is compared with in `having`.
#[diagnostic::on_unimplemented(
    message = "an aggregate of column `{C}` has type `{T}`, so it cannot be compared with a `{Self}`",
    label = "expected a value of type `{T}`",
    note = "`count` is an `i64`, `sum` of an integer column an `i64` (of a float column a float), `avg` an `f64`, `min` / `max` the column's type"
)]
pub trait AggregateValue<T, C> {
    /// The owned value bound as a parameter.
    #[doc(hidden)]
    type Out: postgres_types::ToSql + Send + Sync + 'static;
    /// Converts into the bound value.
    #[doc(hidden)]
    fn into_aggregate_value(self) -> Self::Out;
}

#[diagnostic::do_not_recommend]
impl<V: IntoSql<T>, T, C> AggregateValue<T, C> for V {
    type Out = V::Out;
    fn into_aggregate_value(self) -> V::Out {
        self.into_sql()
    }
}

/// The columns a `having` condition on `count(*)` reads: none.
pub struct NoColumns;

#[diagnostic::do_not_recommend]
impl<S> Columns<S, ()> for NoColumns {}

#[diagnostic::do_not_recommend]
impl crate::expr::RowLevel for NoColumns {}

macro_rules! agg_compare {
    ($($name:ident $op:literal),*) => {
        impl<F, C> Agg<F, C>
        where
            C: ColumnRef,
            F: AggFn<C::Value>,
            F::Compare: crate::types::ColumnType,
        {
            $(
                #[doc = concat!("`aggregate", $op, "value`, for `having`.")]
                pub fn $name<V: AggregateValue<F::Compare, C>>(self, value: V) -> Expr<Aggregated<C>> {
                    Expr::from_node(Node::Aggregate {
                        open: F::OPEN,
                        column: Some((C::qualifier(), C::NAME)),
                        close: F::CLOSE,
                        op: $op,
                        value: std::sync::Arc::new(value.into_aggregate_value()),
                    })
                }
            )*
        }

        impl CountAll {
            $(
                #[doc = concat!("`count(*)", $op, "value`, for `having`.")]
                pub fn $name(self, value: i64) -> Expr<Aggregated<NoColumns>> {
                    Expr::from_node(Node::Aggregate {
                        open: "count(",
                        column: None,
                        close: ")",
                        op: $op,
                        value: std::sync::Arc::new(value),
                    })
                }
            )*
        }
    };
}
agg_compare!(eq " = ", ne " <> ", lt " < ", le " <= ", gt " > ", ge " >= ");

/// Where the columns of a `group_by` were found among the query's sources: the index a
/// [`GroupBy`] bound infers. The selection is checked against `Gate<B>`, which is `B` once every
/// column was found, and stays unknown otherwise, so that a `group_by` the query cannot take is
/// reported alone, not again as selected columns it leaves out.
#[doc(hidden)]
pub trait Found {
    /// `B`, behind the positions.
    type Gate<B>;
}

impl Found for crate::expr::Here {
    type Gate<B> = B;
}

macro_rules! found {
    ($($p:ident)+) => {$(
        impl Found for super::source::$p {
            type Gate<B> = B;
        }
    )+};
}
found!(P0 P1 P2 P3 P4 P5 P6 P7 P8 P9 P10 P11);

macro_rules! found_tuple {
    ($($i:ident)+) => {
        impl<$($i: Found),+> Found for ($($i,)+) {
            type Gate<B> = found_tuple!(@gate B; $($i)+);
        }
    };
    (@gate $b:ty; $i:ident) => { <$i as Found>::Gate<$b> };
    (@gate $b:ty; $i:ident $($rest:ident)+) => {
        <$i as Found>::Gate<found_tuple!(@gate $b; $($rest)+)>
    };
}
found_tuple!(I1);
found_tuple!(I1 I2);
found_tuple!(I1 I2 I3);
found_tuple!(I1 I2 I3 I4);
found_tuple!(I1 I2 I3 I4 I5);
found_tuple!(I1 I2 I3 I4 I5 I6);
found_tuple!(I1 I2 I3 I4 I5 I6 I7);
found_tuple!(I1 I2 I3 I4 I5 I6 I7 I8);
found_tuple!(I1 I2 I3 I4 I5 I6 I7 I8 I9);
found_tuple!(I1 I2 I3 I4 I5 I6 I7 I8 I9 I10);
found_tuple!(I1 I2 I3 I4 I5 I6 I7 I8 I9 I10 I11);
found_tuple!(I1 I2 I3 I4 I5 I6 I7 I8 I9 I10 I11 I12);
found_tuple!(I1 I2 I3 I4 I5 I6 I7 I8 I9 I10 I11 I12 I13);
found_tuple!(I1 I2 I3 I4 I5 I6 I7 I8 I9 I10 I11 I12 I13 I14);
found_tuple!(I1 I2 I3 I4 I5 I6 I7 I8 I9 I10 I11 I12 I13 I14 I15);
found_tuple!(I1 I2 I3 I4 I5 I6 I7 I8 I9 I10 I11 I12 I13 I14 I15 I16);

/// Columns to group by (or to make `DISTINCT ON`): one column or a tuple of up to 16.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be grouped by: it is not a column of a table this query reads",
    note = "group by columns of the tables in the query: one, or a tuple of at most 16"
)]
pub trait GroupBy<S, I> {
    /// Appends `"t"."c"` terms.
    #[doc(hidden)]
    fn columns(out: &mut Vec<(&'static str, &'static str)>);
}

#[diagnostic::do_not_recommend]
impl<C: ColumnRef + Columns<S, I>, S, I> GroupBy<S, I> for C {
    fn columns(out: &mut Vec<(&'static str, &'static str)>) {
        out.push((C::qualifier(), C::NAME));
    }
}

macro_rules! tuple_group {
    ($($c:ident $i:ident),+ $(,)?) => {
        #[diagnostic::do_not_recommend]
        impl<S, $($c, $i),+> GroupBy<S, ($($i,)+)> for ($($c,)+)
        where
            $($c: GroupBy<S, $i>),+
        {
            fn columns(out: &mut Vec<(&'static str, &'static str)>) {
                $($c::columns(out);)+
            }
        }
    };
}
tuple_group!(C1 I1);
tuple_group!(C1 I1, C2 I2);
tuple_group!(C1 I1, C2 I2, C3 I3);
tuple_group!(C1 I1, C2 I2, C3 I3, C4 I4);
tuple_group!(C1 I1, C2 I2, C3 I3, C4 I4, C5 I5);
tuple_group!(C1 I1, C2 I2, C3 I3, C4 I4, C5 I5, C6 I6);
tuple_group!(C1 I1, C2 I2, C3 I3, C4 I4, C5 I5, C6 I6, C7 I7);
tuple_group!(C1 I1, C2 I2, C3 I3, C4 I4, C5 I5, C6 I6, C7 I7, C8 I8);
tuple_group!(C1 I1, C2 I2, C3 I3, C4 I4, C5 I5, C6 I6, C7 I7, C8 I8, C9 I9);
tuple_group!(C1 I1, C2 I2, C3 I3, C4 I4, C5 I5, C6 I6, C7 I7, C8 I8, C9 I9, C10 I10);
tuple_group!(C1 I1, C2 I2, C3 I3, C4 I4, C5 I5, C6 I6, C7 I7, C8 I8, C9 I9, C10 I10, C11 I11);
tuple_group!(
    C1 I1, C2 I2, C3 I3, C4 I4, C5 I5, C6 I6, C7 I7, C8 I8, C9 I9, C10 I10, C11 I11, C12 I12,
);
tuple_group!(
    C1 I1, C2 I2, C3 I3, C4 I4, C5 I5, C6 I6, C7 I7, C8 I8, C9 I9, C10 I10, C11 I11, C12 I12,
    C13 I13,
);
tuple_group!(
    C1 I1, C2 I2, C3 I3, C4 I4, C5 I5, C6 I6, C7 I7, C8 I8, C9 I9, C10 I10, C11 I11, C12 I12,
    C13 I13, C14 I14,
);
tuple_group!(
    C1 I1, C2 I2, C3 I3, C4 I4, C5 I5, C6 I6, C7 I7, C8 I8, C9 I9, C10 I10, C11 I11, C12 I12,
    C13 I13, C14 I14, C15 I15,
);
tuple_group!(
    C1 I1, C2 I2, C3 I3, C4 I4, C5 I5, C6 I6, C7 I7, C8 I8, C9 I9, C10 I10, C11 I11, C12 I12,
    C13 I13, C14 I14, C15 I15, C16 I16,
);

/// Aggregate methods of every column: `User::id.count()`, `Post::score.sum()`, ….
pub trait AggregateExt: ColumnRef {
    /// `count(column)`: non-NULL values.
    fn count(self) -> Agg<CountF, Self> {
        Agg(PhantomData)
    }
    /// `count(DISTINCT column)`.
    fn count_distinct(self) -> Agg<CountDistinctF, Self> {
        Agg(PhantomData)
    }
    /// `sum(column)` (numeric columns only); integers sum to `i64`.
    fn sum(self) -> Agg<<Self as NumericColumn>::Sum, Self>
    where
        Self: NumericColumn,
    {
        Agg(PhantomData)
    }
    /// `avg(column)` as `f64` (numeric columns only).
    fn avg(self) -> Agg<<Self as NumericColumn>::Avg, Self>
    where
        Self: NumericColumn,
    {
        Agg(PhantomData)
    }
    /// `min(column)`: `None` when there are no rows.
    fn min(self) -> Agg<MinF, Self> {
        Agg(PhantomData)
    }
    /// `max(column)`: `None` when there are no rows.
    fn max(self) -> Agg<MaxF, Self> {
        Agg(PhantomData)
    }
}

impl<C: ColumnRef> AggregateExt for C {}

/// Numeric columns: the ones `sum` and `avg` apply to.
#[diagnostic::on_unimplemented(
    message = "column `{Self}` is not numeric, so it has no `sum` / `avg`",
    label = "not a numeric column",
    note = "`sum` and `avg` apply to i16, i32, i64, f32 and f64 columns"
)]
pub trait NumericColumn: ColumnRef {
    /// `sum`, named through this trait so that a `sum` of a column that is not numeric is one
    /// error: the aggregate's type is then unknown, and nothing else is checked against it.
    #[doc(hidden)]
    type Sum;
    /// `avg`, likewise.
    #[doc(hidden)]
    type Avg;
}

#[diagnostic::do_not_recommend]
impl<C: ColumnRef> NumericColumn for C
where
    C::Value: Numeric,
{
    // The sum's type is read from the column's: for a column that is not numeric it is
    // unknown, so the aggregate is not reported again where it is selected.
    type Sum = SumF<<C::Value as Numeric>::Itself>;
    type Avg = AvgF;
}
