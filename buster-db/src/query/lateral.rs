//! `JOIN LATERAL`: a subquery run for each row of the tables before it, e.g. the three newest
//! posts of each user. Its rows are declared like a CTE's, as a `Table` struct listed in no
//! schema, and its correlation with the outer tables is a typed condition.

// A lateral subquery hands over a crate-private renderer: usable, not implementable, outside.
#![allow(private_interfaces)]

use std::marker::PhantomData;
use std::sync::Arc;

use crate::expr::{Expr, SubQuery};
use crate::table::Table;

use super::compound::SameRow;
use super::project::{Grouping, Projected, Projection};

type Marker<X, Q, C> = fn() -> (X, Q, C);

/// Rows a lateral subquery named as table `X` may return: `X`'s column types, in order.
#[diagnostic::on_unimplemented(
    message = "the lateral subquery's rows `{Self}` do not have the column types of `{X}`",
    label = "rows of other types",
    note = "select one item per column of `{X}`, in declaration order and of the column's Rust type"
)]
pub trait LateralRows<X> {}

#[diagnostic::do_not_recommend]
impl<X: Table, O: SameRow<X::__Columns>> LateralRows<X> for O {}

/// The rows of a lateral subquery under the name of table `X`, correlated by a condition over
/// the columns `C` (of the subquery's table `Q` and of the outer query); built by [`lateral`].
pub struct Lateral<X, Q, C> {
    pub(crate) sub: Arc<dyn SubQuery>,
    _p: PhantomData<Marker<X, Q, C>>,
}

struct Sub<Q>(Q);

impl<Q: super::run::Query> SubQuery for Sub<Q> {
    fn write<'a>(&'a self, w: &mut crate::sql::Writer<'a>) {
        self.0.write_query(w);
    }
}

/// The subquery `query` with the correlation `on` added to its filters (it may read `query`'s
/// table and every table of the query it is joined to), its rows named as table `X`:
/// `lateral::<TopPost, _, _, _, _>(Post::select().order_by(..).limit(3).columns(..), Post::author_id.eq_col(User::id))`.
/// The query must select `X`'s column types in order; its table's deleted rows stay hidden.
// The grouping is an `impl` argument so that the turbofish keeps naming `X, Q, P, I, C`.
pub fn lateral<X, Q, P, I, C>(
    query: Projected<Q, P, I, impl Grouping<P> + 'static>,
    on: Expr<C>,
) -> Lateral<X, Q, C>
where
    X: Table,
    Q: Table,
    P: Projection<Q, I> + 'static,
    I: 'static,
    P::Output: LateralRows<X>,
{
    let mut query = query;
    query.body_mut().filters.push(on.erase());
    Lateral {
        sub: Arc::new(Sub(query)),
        _p: PhantomData,
    }
}
