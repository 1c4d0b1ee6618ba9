//! Window functions: `row_number`, `rank`, `dense_rank`, `lag`, `lead` and aggregates
//! `OVER (PARTITION BY … ORDER BY …)`.
//!
//! A windowed value is an [`Over`], not an [`Expr`](super::Expr): it can be selected and ordered by, but not
//! used in a filter, where PostgreSQL does not allow it (filter on it from an outer query).

use std::marker::PhantomData;

use tokio_postgres::Row;

use super::func::IntoExpr;
use super::{Both, ColumnRef, Columns, Node, Order, OrderTarget, OrderTerm};
use crate::Result;
use crate::query::Agg;
use crate::query::bounds::{AggFn, CountAll, Item, NoColumns, Unnamed};
use crate::sql::Writer;
use crate::value::ColumnType;

/// A window: `PARTITION BY` and `ORDER BY` lists over the columns `C`. Start one with [`over`].
pub struct Window<C> {
    partition: Vec<Node>,
    order: Vec<OrderTerm>,
    _p: PhantomData<fn() -> C>,
}

impl<C> Clone for Window<C> {
    fn clone(&self) -> Self {
        Window {
            partition: self.partition.clone(),
            order: self.order.clone(),
            _p: PhantomData,
        }
    }
}

/// An empty window: every row of the result is one partition.
pub fn over() -> Window<NoColumns> {
    Window {
        partition: Vec::new(),
        order: Vec::new(),
        _p: PhantomData,
    }
}

impl<C> Window<C> {
    /// Appends a `PARTITION BY` term: a column or an expression.
    pub fn partition_by<A: IntoExpr<M>, M>(mut self, by: A) -> Window<Both<C, A::Columns>> {
        self.partition.push(by.into_node());
        Window {
            partition: self.partition,
            order: self.order,
            _p: PhantomData,
        }
    }

    /// Appends an `ORDER BY` term.
    pub fn order_by<D>(mut self, order: Order<D>) -> Window<Both<C, D>> {
        self.order.push(order.term);
        Window {
            partition: self.partition,
            order: self.order,
            _p: PhantomData,
        }
    }

    fn node(self) -> Node {
        Node::Ordered {
            open: "",
            partition: self.partition,
            order: self.order,
            close: "",
        }
    }
}

/// A window function before its window: finish it with [`over`](WindowFn::over).
#[must_use = "a window function needs its window: `.over(over().order_by(..))`"]
pub struct WindowFn<C, T> {
    node: Node,
    _p: PhantomData<fn() -> (C, T)>,
}

impl<C, T> WindowFn<C, T> {
    fn new(node: Node) -> WindowFn<C, T> {
        WindowFn {
            node,
            _p: PhantomData,
        }
    }

    /// `function OVER (window)`.
    pub fn over<D>(self, window: Window<D>) -> Over<Both<C, D>, T> {
        Over::new(Node::Template {
            parts: vec!["", " OVER (", ")"],
            args: vec![self.node, window.node()],
        })
    }
}

fn plain<T>(call: &'static str) -> WindowFn<NoColumns, T> {
    WindowFn::new(Node::Template {
        parts: vec![call],
        args: Vec::new(),
    })
}

/// `row_number()`: the row's position in its partition, from 1.
pub fn row_number() -> WindowFn<NoColumns, i64> {
    plain("row_number()")
}

/// `rank()`: the row's rank in its partition, with gaps after ties.
pub fn rank() -> WindowFn<NoColumns, i64> {
    plain("rank()")
}

/// `dense_rank()`: the row's rank in its partition, without gaps.
pub fn dense_rank() -> WindowFn<NoColumns, i64> {
    plain("dense_rank()")
}

/// `lag(value)`: `value` of the previous row of the partition, NULL on its first row.
pub fn lag<A: IntoExpr<M>, M>(
    value: A,
) -> WindowFn<A::Columns, Option<<A::Type as ColumnType>::Inner>> {
    WindowFn::new(Node::Template {
        parts: vec!["lag(", ")"],
        args: vec![value.into_node()],
    })
}

/// `lead(value)`: `value` of the next row of the partition, NULL on its last row.
pub fn lead<A: IntoExpr<M>, M>(
    value: A,
) -> WindowFn<A::Columns, Option<<A::Type as ColumnType>::Inner>> {
    WindowFn::new(Node::Template {
        parts: vec!["lead(", ")"],
        args: vec![value.into_node()],
    })
}

impl<F, C> Agg<F, C>
where
    C: ColumnRef,
    F: AggFn<C::Value>,
{
    /// The aggregate as a window function: `sum(column) OVER (window)`, one value per row.
    pub fn over<D>(self, window: Window<D>) -> Over<Both<C, D>, F::Output> {
        // The aggregate's closing text may end in a cast, which applies to the windowed value.
        let (close, cast) = F::CLOSE.split_at(1);
        Over::new(Node::Template {
            parts: vec!["(", " OVER (", "))", cast],
            args: vec![
                Node::Template {
                    parts: vec![F::OPEN, close],
                    args: vec![super::value::column_node::<C>()],
                },
                window.node(),
            ],
        })
    }
}

impl CountAll {
    /// `count(*) OVER (window)`: the number of rows of the row's window.
    pub fn over<D>(self, window: Window<D>) -> Over<D, i64> {
        Over::new(Node::Template {
            parts: vec!["count(*) OVER (", ")"],
            args: vec![window.node()],
        })
    }
}

/// A window function with its window, over the columns `C`, of type `T`: select it or order
/// by it.
pub struct Over<C, T> {
    node: Node,
    _p: PhantomData<fn() -> (C, T)>,
}

impl<C, T> Clone for Over<C, T> {
    fn clone(&self) -> Self {
        Over::new(self.node.clone())
    }
}

impl<C, T> Over<C, T> {
    fn new(node: Node) -> Over<C, T> {
        Over {
            node,
            _p: PhantomData,
        }
    }

    /// Ascending order on the windowed value.
    pub fn asc(self) -> Order<C> {
        Order::of(OrderTarget::Expr(Box::new(self.node)), false)
    }

    /// Descending order on the windowed value.
    pub fn desc(self) -> Order<C> {
        Order::of(OrderTarget::Expr(Box::new(self.node)), true)
    }
}

#[diagnostic::do_not_recommend]
impl<C, T, S, I> Item<S, I> for Over<C, T>
where
    C: Columns<S, I>,
    T: postgres_types::FromSqlOwned,
{
    type Output = T;
    type Field = Unnamed;
    fn write<'a>(&'a self, w: &mut Writer<'a>) {
        self.node.write(w);
    }
    fn decode(row: &Row, idx: &mut usize) -> Result<T> {
        let v = crate::__private::get(row, *idx, "window function")?;
        *idx += 1;
        Ok(v)
    }
}
