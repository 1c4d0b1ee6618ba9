//! Common table expressions: `WITH name (columns) AS (query)` and `WITH RECURSIVE`.
//!
//! A CTE's rows are declared like a table, as a struct deriving `Table` whose name is the CTE's
//! (and which no schema lists, so nothing migrates it). The defining query must return that
//! struct's column types, in order; then the struct is selected, joined and filtered like any
//! table of the query it is attached to with `.with(..)`.

// `CteBody` hands over a crate-private renderer: usable, not implementable, outside.
#![allow(private_interfaces)]

use std::sync::Arc;

use crate::expr::SubQuery;
use crate::meta::TableMeta;
use crate::sql::Writer;
use crate::table::Table;

use super::compound::{SameRow, Union};
use super::run::Query;

/// One `name (columns) AS (query)` of a `WITH` clause, built by [`cte`] or [`cte_recursive`].
#[derive(Clone)]
pub struct Cte {
    meta: &'static TableMeta,
    recursive: bool,
    body: Arc<dyn SubQuery>,
}

/// Queries that can define the CTE `T`: a select or a union whose rows have `T`'s column types,
/// in order.
#[diagnostic::on_unimplemented(
    message = "this query cannot define the common table expression `{T}`",
    label = "its rows do not have the column types of `{T}`",
    note = "select one item per column of `{T}`, in declaration order and of the column's Rust type (a union's parts alike)"
)]
pub trait CteBody<T>: Send + Sync + 'static {
    /// The query, ready to render inside the `WITH` clause.
    #[doc(hidden)]
    fn into_sub(self) -> Arc<dyn SubQuery>;
}

struct QuerySub<Q>(Q);

impl<Q: Query> SubQuery for QuerySub<Q> {
    fn write<'a>(&'a self, w: &mut Writer<'a>) {
        self.0.write_query(w);
    }
}

#[diagnostic::do_not_recommend]
impl<T, Q> CteBody<T> for Q
where
    T: Table,
    Q: Query + 'static,
    Q::Output: SameRow<T::__Columns>,
{
    fn into_sub(self) -> Arc<dyn SubQuery> {
        Arc::new(QuerySub(self))
    }
}

#[diagnostic::do_not_recommend]
impl<T, O, K> CteBody<T> for Union<O, K>
where
    T: Table,
    O: SameRow<T::__Columns> + 'static,
    K: 'static,
{
    fn into_sub(self) -> Arc<dyn SubQuery> {
        Arc::new(self)
    }
}

/// `WITH "t" (columns) AS (query)`: the rows of `query` under the name of table `T`, for the
/// query it is attached to with `.with(..)`: `cte::<Recent>(query)`.
pub fn cte<T: Table>(query: impl CteBody<T>) -> Cte {
    Cte {
        meta: T::META,
        recursive: false,
        body: query.into_sub(),
    }
}

/// `WITH RECURSIVE "t" (columns) AS (base UNION [ALL] step)`: `step` reads `T` itself (joins
/// `T::table()`), and the rows it adds are fed back until it adds none — hierarchies such as a
/// folder's ancestors. Soft-deleted rows of the tables it reads stay hidden at every step.
pub fn cte_recursive<T: Table, U>(query: U) -> Cte
where
    U: CteBody<T> + RecursiveBody,
{
    Cte {
        meta: T::META,
        recursive: true,
        body: query.into_sub(),
    }
}

/// The body of a recursive CTE: a union of the base query and the step.
#[diagnostic::on_unimplemented(
    message = "a recursive common table expression is a union of its base and its step",
    label = "not a union",
    note = "write `base.union_all(step)` (or `union`), `step` reading the CTE's own table"
)]
pub trait RecursiveBody {}

impl<O, K> RecursiveBody for Union<O, K> {}

/// Writes `WITH [RECURSIVE] "a" ("x", "y") AS (…), "b" … ` for `ctes` (nothing when empty).
pub(crate) fn write_with<'a>(w: &mut Writer<'a>, ctes: &'a [Cte]) {
    if ctes.is_empty() {
        return;
    }
    w.push(if ctes.iter().any(|c| c.recursive) {
        "WITH RECURSIVE "
    } else {
        "WITH "
    });
    for (i, c) in ctes.iter().enumerate() {
        if i > 0 {
            w.push(", ");
        }
        w.ident(c.meta.name);
        w.push(" (");
        for (j, col) in c.meta.columns.iter().enumerate() {
            if j > 0 {
                w.push(", ");
            }
            w.ident(col.name);
        }
        w.push(") AS (");
        c.body.write(w);
        w.push(")");
    }
    w.push(" ");
}

/// The rows of `unnest` over arrays bound as parameters, one column per array: a source of
/// values for a CTE (`cte::<Wanted>(unnest((ids, names)))`) that a query then joins like a
/// table, e.g. to update or compare many rows with one statement whatever their number.
pub struct Unnest<O> {
    arrays: Vec<Box<dyn postgres_types::ToSql + Send + Sync>>,
    types: Vec<crate::meta::SqlType>,
    _rows: std::marker::PhantomData<fn() -> O>,
}

/// Arrays `unnest` reads: a tuple of `Vec`s of column types, of equal or different lengths
/// (shorter ones are padded with NULL by PostgreSQL, so give them the same length).
pub trait UnnestArrays {
    /// The rows: a tuple of the element types.
    type Rows;
    /// The arrays and their SQL element types.
    #[doc(hidden)]
    fn into_arrays(
        self,
    ) -> (
        Vec<Box<dyn postgres_types::ToSql + Send + Sync>>,
        Vec<crate::meta::SqlType>,
    );
}

macro_rules! unnest_arrays {
    ($($t:ident $v:ident),+) => {
        impl<$($t: crate::value::Element),+> UnnestArrays for ($(Vec<$t>,)+) {
            type Rows = ($($t,)+);
            fn into_arrays(
                self,
            ) -> (
                Vec<Box<dyn postgres_types::ToSql + Send + Sync>>,
                Vec<crate::meta::SqlType>,
            ) {
                let ($($v,)+) = self;
                (
                    vec![$(Box::new($v) as Box<dyn postgres_types::ToSql + Send + Sync>),+],
                    vec![$(<$t as crate::value::Scalar>::SQL_TYPE.array()),+],
                )
            }
        }
    };
}
unnest_arrays!(A a);
unnest_arrays!(A a, B b);
unnest_arrays!(A a, B b, C c);
unnest_arrays!(A a, B b, C c, D d);

/// `SELECT * FROM unnest($1::t1[], $2::t2[], …)`: one row per position of the arrays.
pub fn unnest<A: UnnestArrays>(arrays: A) -> Unnest<A::Rows> {
    let (arrays, types) = arrays.into_arrays();
    Unnest {
        arrays,
        types,
        _rows: std::marker::PhantomData,
    }
}

impl<O> SubQuery for Unnest<O> {
    fn write<'a>(&'a self, w: &mut Writer<'a>) {
        w.push("SELECT * FROM unnest(");
        for (i, (a, ty)) in self.arrays.iter().zip(&self.types).enumerate() {
            if i > 0 {
                w.push(", ");
            }
            w.bind(&**a);
            w.push("::");
            w.push_display(ty);
        }
        w.push(")");
    }
}

#[diagnostic::do_not_recommend]
impl<T, O> CteBody<T> for Unnest<O>
where
    T: Table,
    O: SameRow<T::__Columns> + 'static,
{
    fn into_sub(self) -> Arc<dyn SubQuery> {
        Arc::new(self)
    }
}
