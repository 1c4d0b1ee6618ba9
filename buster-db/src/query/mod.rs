//! Query builders. Each renders to one SQL statement with `$n` parameters.

mod compound;
mod insert;
mod join;
mod project;
mod select;
mod statements;
mod update;
mod upsert;
mod write;

pub(crate) use compound::SubQuery;
pub use compound::{
    Correlated, InSelectExt, Query, QueryOf, Union, UnionExt, ValuesFor, With, exists, not_exists,
};
pub use insert::Insert;
pub use join::{
    Alias, AliasColumn, AliasName, Inner, Joined, Kind, Left, Optional, Pick, Present, Push, Slot,
    SlotKind, Slots, Source, TableRef,
};
pub use project::{
    Agg, AggFn, AggregateExt, CountAll, FromColumns, GroupBy, Item, NoColumns, NumericColumn, One,
    Projected, Projection, count_all,
};
pub use select::{Find, Select};
pub use select::{MAX_PAGE_SIZE, Page};
pub use statements::Statements;
pub use update::Update;
pub use upsert::{
    AllRows, LiveRows, OnConflict, Revivable, Upsert, UpsertColumns, UpsertDoNothing,
    UpsertDoUpdate, Written,
};
pub use write::{Delete, Restore, SoftDelete};

use std::borrow::Cow;

use postgres_types::ToSql;

use crate::executor::Executor;
use crate::sql::Sql;
use crate::table::Table;
use crate::{Error, Result};

/// Which rows of a soft-deletable table a statement sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Visibility {
    Live,
    WithDeleted,
    OnlyDeleted,
}

impl Visibility {
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// A statement ready to run: its text and parameters borrowed from the builder.
pub(crate) struct Rendered<'a> {
    pub(crate) sql: Cow<'a, str>,
    pub(crate) params: Vec<&'a (dyn ToSql + Sync)>,
}

impl<'a> Rendered<'a> {
    /// The statement a writer holds.
    pub(crate) fn finish(w: crate::sql::Writer<'a>) -> Rendered<'a> {
        let (sql, params) = w.finish();
        Rendered {
            sql: Cow::Owned(sql),
            params,
        }
    }

    pub(crate) fn to_sql(&self) -> Sql {
        Sql {
            text: self.sql.clone().into_owned(),
            params: self.params.len(),
        }
    }
}

fn check_params(r: &Rendered<'_>) -> Result<()> {
    if r.params.len() > insert::MAX_PARAMS {
        return Err(Error::validation(
            "rows",
            format!(
                "the statement would bind {} parameters; PostgreSQL accepts at most {}",
                r.params.len(),
                insert::MAX_PARAMS
            ),
        ));
    }
    Ok(())
}

pub(crate) async fn execute<E: Executor + ?Sized>(exec: &E, r: &Rendered<'_>) -> Result<u64> {
    check_params(r)?;
    exec.__execute(&r.sql, &r.params).await
}

pub(crate) async fn fetch<T: Table, E: Executor + ?Sized>(
    exec: &E,
    r: &Rendered<'_>,
) -> Result<Vec<T>> {
    check_params(r)?;
    let rows = exec.__query(&r.sql, &r.params).await?;
    rows.iter().map(|row| T::__decode(row, 0)).collect()
}

pub(crate) async fn fetch_optional<T: Table, E: Executor + ?Sized>(
    exec: &E,
    r: &Rendered<'_>,
) -> Result<Option<T>> {
    check_params(r)?;
    let rows = exec.__query(&r.sql, &r.params).await?;
    rows.first().map(|row| T::__decode(row, 0)).transpose()
}

/// `(limit, offset)` of page `page` (from 1) of `page_size` rows, validated.
pub(crate) fn page_window(page: u32, page_size: u32) -> Result<(i64, i64)> {
    if page < 1 {
        return Err(Error::validation("page", "must be at least 1"));
    }
    if !(1..=MAX_PAGE_SIZE).contains(&page_size) {
        return Err(Error::validation(
            "page_size",
            format!("must be between 1 and {MAX_PAGE_SIZE}"),
        ));
    }
    Ok((
        i64::from(page_size),
        i64::from(page - 1) * i64::from(page_size),
    ))
}

/// Runs a page's rows and the total count concurrently and assembles the [`Page`].
pub(crate) async fn fetch_page<O, E: Executor + ?Sized>(
    exec: &E,
    items: &Rendered<'_>,
    total: &Rendered<'_>,
    (page, page_size, offset): (u32, u32, i64),
    decode: impl Fn(&tokio_postgres::Row) -> Result<O>,
) -> Result<Page<O>> {
    check_params(items)?;
    let (rows, total) = tokio::join!(exec.__query(&items.sql, &items.params), count(exec, total));
    let items = rows?.iter().map(decode).collect::<Result<Vec<_>>>()?;
    let total = total?;
    Ok(Page {
        has_more: offset + (items.len() as i64) < total,
        items,
        total,
        page,
        page_size,
    })
}

/// Runs a query and decodes every row.
pub(crate) async fn query_all<Q: Query, E: Executor + ?Sized>(
    q: &Q,
    exec: &E,
) -> Result<Vec<Q::Output>> {
    let mut w = crate::sql::Writer::new();
    q.write_query(&mut w);
    let r = Rendered::finish(w);
    check_params(&r)?;
    let rows = exec.__query(&r.sql, &r.params).await?;
    rows.iter().map(Q::decode_row).collect()
}

/// Runs a query and decodes its first row; `table` names the not-found error of `one`.
pub(crate) async fn query_first<Q: Query, E: Executor + ?Sized>(
    q: &Q,
    exec: &E,
) -> Result<Option<Q::Output>> {
    let mut w = crate::sql::Writer::new();
    q.write_query(&mut w);
    let r = Rendered::finish(w);
    check_params(&r)?;
    let rows = exec.__query(&r.sql, &r.params).await?;
    rows.first().map(Q::decode_row).transpose()
}

/// Runs a `SELECT count(*) …` statement.
pub(crate) async fn count<E: Executor + ?Sized>(exec: &E, r: &Rendered<'_>) -> Result<i64> {
    check_params(r)?;
    let rows = exec.__query(&r.sql, &r.params).await?;
    let row = rows.first().ok_or_else(|| Error::not_found("count"))?;
    crate::__private::get(row, 0, "count")
}

/// Writes ` ORDER BY … LIMIT $n OFFSET $m` (each part only when present).
pub(crate) fn write_order_limit<'a>(
    w: &mut crate::sql::Writer<'a>,
    order: &[crate::expr::OrderTerm],
    limit: &'a Option<i64>,
    offset: &'a Option<i64>,
) {
    for (i, o) in order.iter().enumerate() {
        w.push(if i == 0 { " ORDER BY " } else { ", " });
        o.write(w);
    }
    if let Some(n) = limit {
        w.push(" LIMIT ");
        w.bind(n);
    }
    if let Some(n) = offset {
        w.push(" OFFSET ");
        w.bind(n);
    }
}

/// Writes `"t"."k1" = $n AND "t"."k2" = $n+1 …` binding the parts of `key`.
pub(crate) fn write_key<'a, T: Table>(w: &mut crate::sql::Writer<'a>, key: &'a T::Key) {
    let mut params = Vec::new();
    crate::table::Key::__bind(key, &mut params);
    for (i, (k, p)) in T::META.primary_key.iter().zip(params).enumerate() {
        if i > 0 {
            w.push(" AND ");
        }
        w.qualified(T::META.name, k);
        w.push(" = ");
        w.bind(p);
    }
}

pub(crate) fn required<T: Table>(row: Option<T>) -> Result<T> {
    row.ok_or_else(|| Error::not_found(T::META.name))
}

/// Adds the terminal methods to a builder that renders with `fn render(&self) -> Rendered<'_>`
/// and returns rows of `T`.
macro_rules! terminals {
    ($ty:ident) => {
        $crate::query::terminals!($ty, noop = __never_noop);
        impl<T: $crate::table::Table> $ty<T> {
            fn __never_noop(&self) -> bool {
                false
            }
        }
    };
    ($ty:ident, noop = $noop:ident) => {
        $crate::query::terminals!($ty<>, noop = $noop);
    };
    ($ty:ident < $($extra:ident),* >, noop = $noop:ident) => {
        impl<T: $crate::table::Table $(, $extra)*> $ty<T $(, $extra)*> {
            /// Runs the statement and returns every row.
            pub async fn all<E: $crate::Executor + ?Sized>(
                self,
                exec: &E,
            ) -> $crate::Result<Vec<T>> {
                if self.$noop() {
                    return Ok(Vec::new());
                }
                let r = self.render();
                $crate::query::fetch(exec, &r).await
            }

            /// Runs the statement and returns the first row, or an
            /// [`ErrorKind::NotFound`]($crate::ErrorKind::NotFound) error when there is none.
            pub async fn one<E: $crate::Executor + ?Sized>(self, exec: &E) -> $crate::Result<T> {
                if self.$noop() {
                    return $crate::query::required(None);
                }
                let r = self.render();
                $crate::query::required($crate::query::fetch_optional(exec, &r).await?)
            }

            /// Runs the statement and returns the first row, if any.
            pub async fn optional<E: $crate::Executor + ?Sized>(
                self,
                exec: &E,
            ) -> $crate::Result<Option<T>> {
                if self.$noop() {
                    return Ok(None);
                }
                let r = self.render();
                $crate::query::fetch_optional(exec, &r).await
            }

            /// Runs the statement and returns the number of rows it returned or affected.
            pub async fn execute<E: $crate::Executor + ?Sized>(
                self,
                exec: &E,
            ) -> $crate::Result<u64> {
                if self.$noop() {
                    return Ok(0);
                }
                let mut r = self.render();
                r.sql = T::__statements().without_returning(r.sql);
                $crate::query::execute(exec, &r).await
            }

            /// The SQL this builder runs, and its parameter count, without a database.
            pub fn to_sql(&self) -> $crate::Sql {
                self.render().to_sql()
            }
        }
    };
}
pub(crate) use terminals;
