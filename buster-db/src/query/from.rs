//! The body every select shares — `FROM` with its joins, `WHERE`, `ORDER BY`, `LIMIT`,
//! `OFFSET` — and the one renderer of the soft-delete predicate.
//!
//! Every statement that hides (or shows only) soft-deleted rows renders that predicate through
//! [`soft_delete_filter`]: selects and joins here, the fixed-shape statements, relation loads and
//! upsert arbiters.

use std::fmt::{self, Write};

use crate::expr::{Node, OrderTerm};
use crate::meta::TableMeta;
use crate::sql::{Writer, write_ident};

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

impl fmt::Display for SoftDeleteFilter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(q) = self.qualifier {
            write_ident(f, q)?;
            f.write_char('.')?;
        }
        write_ident(f, self.column)?;
        f.write_str(self.test)
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

pub(crate) struct JoinClause {
    left: bool,
    meta: &'static TableMeta,
    alias: &'static str,
    on: Node,
    visibility: Visibility,
}

/// The shared parts of a select over one or more tables: sources, filters, order, window.
pub(crate) struct Body {
    pub(crate) base: &'static TableMeta,
    pub(crate) base_visibility: Visibility,
    pub(crate) joins: Vec<JoinClause>,
    pub(crate) filters: Vec<Node>,
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
            order: Vec::new(),
            limit: None,
            offset: None,
            ctes: Vec::new(),
        }
    }

    pub(crate) fn join(
        &mut self,
        left: bool,
        meta: &'static TableMeta,
        alias: &'static str,
        on: Node,
    ) {
        self.joins.push(JoinClause {
            left,
            meta,
            alias,
            on,
            visibility: Visibility::Live,
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

    /// ` FROM "t" [INNER|LEFT] JOIN … WHERE …`
    pub(crate) fn write_from_where<'a>(&'a self, w: &mut Writer<'a>) {
        w.push(" FROM ");
        w.table(self.base);
        for j in &self.joins {
            w.push(if j.left {
                " LEFT JOIN "
            } else {
                " INNER JOIN "
            });
            w.table(j.meta);
            if j.alias != j.meta.name {
                w.push(" AS ");
                w.ident(j.alias);
            }
            w.push(" ON ");
            j.on.write(w);
            // In the ON clause, so a left join keeps its left row when the right one is deleted.
            if let Some(p) = soft_delete_filter(j.meta, Some(j.alias), j.visibility) {
                w.push(" AND ");
                w.push_display(p);
            }
        }
        let mut first = true;
        for f in &self.filters {
            w.push(if first { " WHERE " } else { " AND " });
            first = false;
            f.write(w);
        }
        if let Some(p) = soft_delete_filter(self.base, Some(self.base.name), self.base_visibility) {
            w.push(if first { " WHERE " } else { " AND " });
            w.push_display(p);
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
