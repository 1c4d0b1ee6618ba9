//! The body every select shares — `FROM` with its joins, `WHERE`, `ORDER BY`, `LIMIT`,
//! `OFFSET` — and the one renderer of the soft-delete predicate.
//!
//! Every statement that hides (or shows only) soft-deleted rows renders that predicate through
//! [`soft_delete_filter`]: selects and joins here, the fixed-shape statements, relation loads and
//! upsert arbiters.

use std::fmt;

use crate::expr::{Node, OrderTerm};
use crate::meta::TableMeta;
use crate::sql::Writer;

/// Which rows of a soft-deletable table a statement sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Visibility {
    Live,
    WithDeleted,
    OnlyDeleted,
}

impl Visibility {
    /// Every visibility, in [`index`](Visibility::index) order.
    pub(crate) const ALL: [Visibility; 3] = [
        Visibility::Live,
        Visibility::WithDeleted,
        Visibility::OnlyDeleted,
    ];

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// The soft-delete predicate of one table, rendered by its `Display`:
/// `"alias"."deleted_at" IS NULL`, or `IS NOT NULL` for deleted rows only.
pub(crate) struct SoftDeleteFilter<'a> {
    qualifier: Option<&'a str>,
    column: &'a str,
    test: &'static str,
}

/// The soft-delete predicate of `meta` for `v`, its column qualified by `qualifier` (the table
/// name or its alias; `None` names the bare column, as index predicates and conflict arbiters
/// do). `None` when the table has no soft-delete column or `v` sees every row.
pub(crate) fn soft_delete_filter<'a>(
    meta: &'a TableMeta,
    qualifier: Option<&'a str>,
    v: Visibility,
) -> Option<SoftDeleteFilter<'a>> {
    let column = meta.soft_delete_column()?.name;
    let test = match v {
        Visibility::Live => " IS NULL",
        Visibility::OnlyDeleted => " IS NOT NULL",
        Visibility::WithDeleted => return None,
    };
    Some(SoftDeleteFilter {
        qualifier,
        column,
        test,
    })
}

impl SoftDeleteFilter<'_> {
    /// Appends the predicate to `w` (what `Display` writes, without the formatting machinery).
    pub(crate) fn write(&self, w: &mut Writer<'_>) {
        if let Some(q) = self.qualifier {
            w.qualified(q, self.column);
        } else {
            w.ident(self.column);
        }
        w.push(self.test);
    }
}

/// For the texts rendered once (per table, per index): the same as [`SoftDeleteFilter::write`].
impl fmt::Display for SoftDeleteFilter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Writer::new();
        self.write(&mut w);
        f.write_str(&w.finish().0)
    }
}

/// What a terminal asks about all the rows a query matches.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Total {
    /// `SELECT count(*) …`
    Count,
    /// `SELECT EXISTS (…)`
    Exists,
}

impl Total {
    /// `SELECT count(*) FROM (<rows>) AS "alias"` or `SELECT EXISTS (<rows>)`.
    pub(crate) fn wrap<'a>(
        self,
        w: &mut Writer<'a>,
        alias: &str,
        rows: impl FnOnce(&mut Writer<'a>),
    ) {
        match self {
            Total::Count => w.push("SELECT count(*) FROM ("),
            Total::Exists => w.push("SELECT EXISTS ("),
        }
        rows(w);
        match self {
            Total::Count => {
                w.push(") AS ");
                w.ident(alias);
            }
            Total::Exists => w.push(")"),
        }
    }
}

/// How a joined table is joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JoinKind {
    Inner,
    Left,
    Right,
    Full,
}

impl JoinKind {
    fn keyword(self) -> &'static str {
        match self {
            JoinKind::Inner => " INNER JOIN ",
            JoinKind::Left => " LEFT JOIN ",
            JoinKind::Right => " RIGHT JOIN ",
            JoinKind::Full => " FULL JOIN ",
        }
    }

    /// Whether the join keeps every row of the table it brings in (rather than only the ones
    /// that match): then an `ON` condition cannot filter that table.
    fn keeps_joined(self) -> bool {
        matches!(self, JoinKind::Right | JoinKind::Full)
    }
}

pub(crate) struct JoinClause {
    kind: JoinKind,
    meta: &'static TableMeta,
    alias: &'static str,
    on: Node,
    visibility: Visibility,
    /// `JOIN LATERAL (sub) AS "alias"`: a subquery that may read the earlier tables' columns.
    lateral: Option<std::sync::Arc<dyn crate::expr::SubQuery>>,
}

/// Where the soft-delete predicate of one table of a query goes, so that the query reads as if
/// the table held only its visible rows: each must filter the table's rows before a join could
/// keep or null-extend them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placement {
    /// In `WHERE`: the table's rows are never null-extended, so dropping the result rows of
    /// its hidden rows is the same as never reading them.
    Where,
    /// In the `ON` clause of join `n`, on the side that join drops when it does not match.
    On(usize),
    /// Inside the `FROM` item: `(SELECT * FROM t WHERE …) AS t`, for a table kept whole by a
    /// full join (or by a right join and then a full join), which no `ON` can filter and whose
    /// null-extended rows `WHERE` would mistake.
    Derived,
}

/// The placement of the predicate of table `table` of a query (0 the first table, then each
/// joined one), given `kind(n)`, how join `n` of `joins` is made. Computed per table when
/// needed: a query joins a handful of tables at most, and nothing is collected first.
///
/// - A table brought by an inner or left join is the side that join drops when unmatched: its
///   own `ON` clause filters it.
/// - A table kept whole (the first table, or one a right join brings) is filtered in `WHERE`
///   while no later join can null-extend it; if the next join that can is a right join, that
///   join drops it when unmatched, so its `ON` clause filters it; if it is a full join, which
///   keeps both sides, only a derived table can.
/// - A table a full join brings is kept whole by its own join: a derived table.
fn placement(kind: impl Fn(usize) -> JoinKind, joins: usize, table: usize) -> Placement {
    let kept_whole = |from: usize| {
        let next = (from..joins).find(|&n| kind(n).keeps_joined());
        match next.map(|n| (n, kind(n))) {
            None => Placement::Where,
            Some((n, JoinKind::Right)) => Placement::On(n),
            Some(_) => Placement::Derived,
        }
    };
    let Some(join) = table.checked_sub(1) else {
        return kept_whole(0);
    };
    match kind(join) {
        JoinKind::Inner | JoinKind::Left => Placement::On(join),
        JoinKind::Right => kept_whole(table),
        JoinKind::Full => Placement::Derived,
    }
}

/// A condition a builder adds to `WHERE` besides its filters (a keyset page's position).
pub(crate) trait Condition: Send + Sync {
    fn write<'a>(&'a self, w: &mut Writer<'a>);
}

/// The shared parts of a select over one or more tables: sources, filters, order, window.
pub(crate) struct Body {
    pub(crate) base: &'static TableMeta,
    pub(crate) base_visibility: Visibility,
    pub(crate) joins: Vec<JoinClause>,
    pub(crate) filters: Vec<Node>,
    /// Rendered after the filters.
    pub(crate) seek: Option<Box<dyn Condition>>,
    pub(crate) order: Vec<OrderTerm>,
    pub(crate) limit: Option<i64>,
    pub(crate) offset: Option<i64>,
    /// The `WITH` clause's common table expressions.
    pub(crate) ctes: Vec<super::cte::Cte>,
}

impl Body {
    /// The live rows of `base`, unfiltered.
    pub(crate) fn new(base: &'static TableMeta) -> Body {
        Body {
            base,
            base_visibility: Visibility::Live,
            joins: Vec::new(),
            filters: Vec::new(),
            seek: None,
            order: Vec::new(),
            limit: None,
            offset: None,
            ctes: Vec::new(),
        }
    }

    pub(crate) fn join(
        &mut self,
        kind: JoinKind,
        meta: &'static TableMeta,
        alias: &'static str,
        on: Node,
    ) {
        self.joins.push(JoinClause {
            kind,
            meta,
            alias,
            on,
            visibility: Visibility::Live,
            lateral: None,
        });
    }

    /// `[INNER|LEFT] JOIN LATERAL (sub) AS "alias" ON true`.
    pub(crate) fn join_lateral(
        &mut self,
        kind: JoinKind,
        meta: &'static TableMeta,
        sub: std::sync::Arc<dyn crate::expr::SubQuery>,
    ) {
        self.joins.push(JoinClause {
            kind,
            meta,
            alias: meta.name,
            on: Node::Template {
                parts: vec!["true"],
                args: Vec::new(),
            },
            visibility: Visibility::Live,
            lateral: Some(sub),
        });
    }

    /// Which rows of the table (or alias) `alias` the query sees.
    pub(crate) fn set_visibility(&mut self, alias: &str, v: Visibility) {
        if self.base.name == alias {
            self.base_visibility = v;
        }
        for j in &mut self.joins {
            if j.alias == alias {
                j.visibility = v;
            }
        }
    }

    /// The `LIMIT`, as a row count, when there is one.
    pub(crate) fn expected_rows(&self) -> Option<usize> {
        limit_rows(self.limit)
    }

    /// `LIMIT limit OFFSET offset`.
    pub(crate) fn window(&mut self, limit: i64, offset: i64) {
        self.limit = Some(limit);
        self.offset = Some(offset);
    }

    /// ` FROM "t" [INNER|LEFT|RIGHT|FULL] JOIN … WHERE …`, each table's soft-delete predicate
    /// where [`placement`] says.
    pub(crate) fn write_from_where<'a>(&'a self, w: &mut Writer<'a>) {
        let joins = self.joins.len();
        let placement = |i: usize| placement(|n| self.joins[n].kind, joins, i);
        let table = |i: usize| match i.checked_sub(1) {
            None => (self.base, self.base.name, self.base_visibility),
            Some(n) => {
                let j = &self.joins[n];
                (j.meta, j.alias, j.visibility)
            }
        };
        let predicate = |i: usize| {
            let (meta, alias, v) = table(i);
            soft_delete_filter(meta, Some(alias), v)
        };
        w.push(" FROM ");
        write_from_item(w, table(0), placement(0));
        for (n, j) in self.joins.iter().enumerate() {
            w.push(j.kind.keyword());
            if let Some(sub) = &j.lateral {
                w.push("LATERAL (");
                sub.write(w);
                w.push(") AS ");
                w.ident(j.alias);
            } else {
                write_from_item(w, table(n + 1), placement(n + 1));
            }
            w.push(" ON ");
            j.on.write(w);
            for i in 0..=joins {
                if placement(i) == Placement::On(n)
                    && let Some(p) = predicate(i)
                {
                    w.push(" AND ");
                    p.write(w);
                }
            }
        }
        let in_where = (0..=joins)
            .filter(|&i| placement(i) == Placement::Where)
            .filter_map(predicate);
        self.write_where(w, in_where);
    }

    /// ` WHERE …`: the filters, the keyset position, then the tables' soft-delete predicates
    /// that belong there.
    fn write_where<'a>(
        &'a self,
        w: &mut Writer<'a>,
        predicates: impl IntoIterator<Item = SoftDeleteFilter<'a>>,
    ) {
        let mut first = true;
        let mut and = |w: &mut Writer<'a>| {
            w.push(if first { " WHERE " } else { " AND " });
            first = false;
        };
        for f in &self.filters {
            and(w);
            f.write(w);
        }
        if let Some(seek) = &self.seek {
            and(w);
            seek.write(w);
        }
        for p in predicates {
            and(w);
            p.write(w);
        }
    }

    /// `WITH … ` when the query has common table expressions.
    pub(crate) fn write_with<'a>(&'a self, w: &mut Writer<'a>) {
        super::cte::write_with(w, &self.ctes);
    }

    /// ` ORDER BY … LIMIT $n OFFSET $m`
    pub(crate) fn write_order_limit<'a>(&'a self, w: &mut Writer<'a>) {
        write_order_limit(w, &self.order, &self.limit, &self.offset);
    }

    /// `SELECT 1 FROM … WHERE …`: the rows, for `EXISTS`.
    pub(crate) fn write_select_one<'a>(&'a self, w: &mut Writer<'a>) {
        self.write_with(w);
        w.push("SELECT 1");
        self.write_from_where(w);
    }

    /// `SELECT count(*) FROM … WHERE …` or `SELECT EXISTS (SELECT 1 FROM … WHERE …)`: ordering
    /// and window do not change either.
    pub(crate) fn write_total<'a>(&'a self, w: &mut Writer<'a>, total: Total) {
        match total {
            Total::Count => {
                self.write_with(w);
                w.push("SELECT count(*)");
                self.write_from_where(w);
            }
            Total::Exists => total.wrap(w, "", |w| self.write_select_one(w)),
        }
    }
}

/// Writes one table of `FROM`: `"t"`, `"t" AS "a"`, or, when its predicate is
/// [`Placement::Derived`], `(SELECT * FROM "t" WHERE "deleted_at" IS NULL) AS "a"`.
fn write_from_item(
    w: &mut Writer<'_>,
    (meta, alias, v): (&'static TableMeta, &'static str, Visibility),
    placement: Placement,
) {
    if placement == Placement::Derived
        && let Some(p) = soft_delete_filter(meta, None, v)
    {
        w.push("(SELECT * FROM ");
        w.table(meta);
        w.push(" WHERE ");
        p.write(w);
        w.push(") AS ");
        w.ident(alias);
        return;
    }
    w.table(meta);
    if alias != meta.name {
        w.push(" AS ");
        w.ident(alias);
    }
}

/// Writes ` ORDER BY … LIMIT $n OFFSET $m` (each part only when present).
pub(crate) fn write_order_limit<'a>(
    w: &mut Writer<'a>,
    order: &'a [OrderTerm],
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

/// A `LIMIT` as a row count (a negative one returns nothing).
pub(crate) fn limit_rows(limit: Option<i64>) -> Option<usize> {
    limit.map(|n| usize::try_from(n).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::JoinKind::{Full, Inner, Left, Right};
    use super::Placement::{Derived, On, Where};
    use super::{JoinKind, Placement, placement};

    #[test]
    fn each_table_is_filtered_before_a_join_can_keep_or_null_extend_it() {
        let cases: &[(&[JoinKind], &[Placement])] = &[
            (&[], &[Where]),
            (&[Inner, Left], &[Where, On(0), On(1)]),
            // The first table is the side a right join drops: its ON clause filters it.
            (&[Right], &[On(0), Where]),
            (&[Inner, Left, Right], &[On(2), On(0), On(1), Where]),
            // A full join keeps both sides whole.
            (&[Full], &[Derived, Derived]),
            (&[Inner, Full], &[Derived, On(0), Derived]),
            // Kept whole by a right join, then by a full join.
            (&[Right, Full], &[On(0), Derived, Derived]),
            (&[Right, Inner, Right], &[On(0), On(2), On(1), Where]),
            (&[Full, Left, Right], &[Derived, Derived, On(1), Where]),
        ];
        for (kinds, expected) in cases {
            let placed: Vec<_> = (0..=kinds.len())
                .map(|table| placement(|n| kinds[n], kinds.len(), table))
                .collect();
            assert_eq!(placed, *expected, "{kinds:?}");
        }
    }
}
