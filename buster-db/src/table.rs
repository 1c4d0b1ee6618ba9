//! The traits `#[derive(Table)]` implements, and the entry points of every query.

use postgres_types::ToSql;
use tokio_postgres::Row;

use crate::Result;
use crate::expr::{ColumnRef, Columns, Expr, RowLevel};
use crate::meta::TableMeta;
use crate::query::Alias;
use crate::query::bounds::{AliasName, TableRef};
use crate::query::{
    CopyIn, Delete, Find, Insert, Restore, Select, SoftDelete as SoftDeleteQuery, Statements,
    Update, Upsert,
};
use crate::value::{ColumnType, Scalar};

/// A database table, implemented by `#[derive(Table)]`.
///
/// Its provided functions are the entry points of every query on the table:
///
/// ```ignore
/// let user = User::insert(NewUser::new(email, name)).one(&db).await?;
/// let same = User::find(user.id).optional(&db).await?;          // deleted rows are invisible
/// let page = User::select()
///     .filter(User::email.ilike("%@acme.io").and(User::is_active.eq(true)))
///     .order_by(User::created_at.desc())
///     .paginate(1, 20, &db)
///     .await?;
/// ```
///
/// # Attributes
///
/// On the struct:
/// - `#[table(name = "users")]`: the table name (default: the struct name in snake case plus `s`).
/// - `#[table(unique(a, b), unique(c))]`: a unique key over several columns (repeatable).
/// - `#[table(unique_nulls_not_distinct(a, b))]`: a unique key whose NULLs count as equal.
/// - `#[table(index(a, b))]`: a secondary (non-unique) index.
/// - `#[table(primary_key(a, b))]`: a composite primary key (or mark each field `primary_key`).
/// - `#[table(columns = "users")]`: the name of the generated module holding the column types
///   (default: the table name).
///
/// On fields:
/// - `#[column(primary_key)]`: part of the primary key.
/// - `#[column(unique)]`: a single-column unique key (unique among live rows on a soft-deletable
///   table: a partial unique index `WHERE deleted_at IS NULL`).
/// - `#[column(default = "gen_random_uuid()")]`: the SQL default; the insert shape makes the
///   field optional (`None` → `DEFAULT`).
/// - `#[column(created_at)]`, `#[column(updated_at)]`: timestamps managed by buster-db
///   (`DEFAULT now()`; `updated_at` is set to `now()` by every update and upsert). Callers never
///   write them.
/// - `#[column(soft_delete)]`: the `Option<DateTime<Utc>>` deletion timestamp. Reads hide rows
///   where it is set; the table gets `soft_delete` / `restore` and no hard delete.
/// - `#[column(name = "...")]`: the column name (default: the field name).
pub trait Table: Sized + Send + Sync + Unpin + 'static {
    /// The primary key value: the key column's type, or a tuple for a composite key.
    type Key: Key;
    /// The insert shape (`NewUser`): columns with defaults are `Option`, managed columns absent.
    type New: Insertable<Self>;
    /// The update shape (`UserPatch`): every updatable column as `Option`.
    type Patch: Patch<Self>;

    /// The Rust types of the columns, in order, as a tuple: what a query defining the table as a
    /// common table expression must return.
    #[doc(hidden)]
    type __Columns;

    /// The table's SQL name as a type, a hash written as sixteen hexadecimal digits: how a
    /// join tells that a table is already in the query.
    #[doc(hidden)]
    type __Ident;

    /// The table's metadata.
    const META: &'static TableMeta;

    #[doc(hidden)]
    fn __statements() -> &'static Statements;

    #[doc(hidden)]
    fn __decode(row: &Row, offset: usize) -> Result<Self>;

    /// This row's primary key.
    fn primary_key(&self) -> Self::Key;

    /// The table as a value, to join it: `User::select().inner_join(Membership::table(), …)`.
    fn table() -> TableRef<Self> {
        TableRef::new()
    }

    /// The table under an alias declared with [`alias!`](crate::alias), to join it twice:
    /// `let owner = User::alias(Owner); … owner.col(User::email) …`.
    fn alias<A: AliasName>(alias: A) -> TableRef<Alias<Self, A>> {
        let _ = alias;
        TableRef::new()
    }

    /// `SELECT` of live rows, to refine with `filter`, `order_by`, `limit`, ….
    fn select() -> Select<Self> {
        Select::new()
    }

    /// The live row with this primary key.
    fn find(key: Self::Key) -> Find<Self> {
        Find::new(key)
    }

    /// `INSERT … RETURNING *` of one row.
    fn insert(row: Self::New) -> Insert<Self> {
        Insert::new(row)
    }

    /// Inserts many rows in one statement (`UNNEST` of one array per column, so the statement is
    /// the same for 1 or 100,000 rows).
    fn insert_many(rows: impl IntoIterator<Item = Self::New>) -> Insert<Self> {
        Insert::many(rows.into_iter().collect())
    }

    /// Loads many rows with `COPY … FROM STDIN BINARY`: the fastest bulk load, for rows that
    /// need no `RETURNING` and no conflict handling. All rows or none are written.
    fn copy_in(rows: impl IntoIterator<Item = Self::New>) -> CopyIn<Self> {
        CopyIn::new(rows.into_iter().collect())
    }

    /// `INSERT … ON CONFLICT`: choose the conflict target with `on_conflict`.
    fn upsert(row: Self::New) -> Upsert<Self> {
        Upsert::new(row)
    }

    /// Upserts many rows in one statement.
    fn upsert_many(rows: impl IntoIterator<Item = Self::New>) -> Upsert<Self> {
        Upsert::many(rows.into_iter().collect())
    }

    /// `UPDATE` of the live row with this key; set columns with `set` or `patch`.
    fn update(key: Self::Key) -> Update<Self> {
        Update::by_key(key)
    }

    /// `UPDATE` of every live row matching `filter`.
    fn update_where<C, I>(filter: Expr<C>) -> Update<Self>
    where
        C: Columns<Self, I> + RowLevel,
    {
        Update::by_filter(filter.erase())
    }

    /// Soft-deletes the live row with this key: sets the soft-delete column and `updated_at` to
    /// `now()` and returns the row. A row that is already deleted is left as it is (no row).
    fn soft_delete(key: Self::Key) -> SoftDeleteQuery<Self>
    where
        Self: SoftDelete,
    {
        SoftDeleteQuery::by_key(key)
    }

    /// Soft-deletes every live row matching `filter`, returning them.
    fn soft_delete_where<C, I>(filter: Expr<C>) -> SoftDeleteQuery<Self>
    where
        Self: SoftDelete,
        C: Columns<Self, I> + RowLevel,
    {
        SoftDeleteQuery::by_filter(filter.erase())
    }

    /// Restores the soft-deleted row with this key. Restoring into a live duplicate fails with
    /// [`ErrorKind::UniqueViolation`](crate::ErrorKind::UniqueViolation).
    fn restore(key: Self::Key) -> Restore<Self>
    where
        Self: SoftDelete,
    {
        Restore::new(key)
    }

    /// `DELETE` of the row with this key. Only tables without a soft-delete column have it.
    fn delete(key: Self::Key) -> Delete<Self>
    where
        Self: HardDelete,
    {
        Delete::new(key)
    }

    /// `DELETE` of every row matching `filter`, returning them; `execute` returns how many were
    /// deleted. Only tables without a soft-delete column have it.
    fn delete_where<C, I>(filter: Expr<C>) -> Delete<Self>
    where
        Self: HardDelete,
        C: Columns<Self, I> + RowLevel,
    {
        Delete::by_filter(filter.erase())
    }
}

/// A column of a table, implemented by the derive for each generated column type
/// (`users::email`, reachable as the constant `User::email`).
pub trait Column: Copy + Send + Sync + 'static {
    /// The table the column belongs to.
    type Table: Table;
    /// The column's Rust type (`Option<T>` when nullable).
    type Value: ColumnType;
    /// The name of the column's Rust field, as a type: what a record field read from this
    /// column must be named (see [`FieldName`](crate::query::bounds::FieldName)).
    type Field;
    /// The column this one references (`#[column(references = other::id)]`), or `()`.
    type References;
    /// The column's name in the database.
    const NAME: &'static str;
}

/// Tables with a soft-delete column (`#[column(soft_delete)]`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no soft-delete column, so it has no deleted rows to delete, restore or include",
    label = "`{Self}` is not soft-deletable",
    note = "mark an `Option<DateTime<Utc>>` field with `#[column(soft_delete)]` to make the table soft-deletable"
)]
pub trait SoftDelete: Table {}

/// Tables whose rows may be deleted for good: those without a soft-delete column.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is soft-deletable: its rows are never hard-deleted",
    label = "no hard delete for soft-deletable tables",
    note = "use `{Self}::soft_delete(key)` or `{Self}::soft_delete_where(filter)`; the rows stay in the table, hidden from reads, and can be restored"
)]
pub trait HardDelete: Table {}

/// Columns an update may set: not part of the primary key and not managed by buster-db.
#[diagnostic::on_unimplemented(
    message = "column `{Self}` cannot be set by an update",
    label = "not updatable",
    note = "primary key columns never change, and `created_at`, `updated_at` and the soft-delete column are written only by buster-db (use `soft_delete` / `restore`)"
)]
pub trait Updatable: Column {}

/// Columns that accept NULL: only they have `is_null` / `is_not_null`.
#[diagnostic::on_unimplemented(
    message = "column `{Self}` is NOT NULL, so `is_null()` / `is_not_null()` would be constant",
    label = "NOT NULL column",
    note = "only columns of type `Option<T>` can be NULL"
)]
pub trait NullableColumn: ColumnRef {}

#[diagnostic::do_not_recommend]
impl<C: ColumnRef> NullableColumn for C where C::Value: Nullable {}

#[doc(hidden)]
pub trait Nullable {}
impl<T> Nullable for Option<T> {}

/// A conflict target of an upsert on `T`: its primary key or one of its unique keys (a column,
/// or a tuple of columns).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is neither the primary key nor a unique key of `{T}`",
    label = "not a unique key of `{T}`",
    note = "`ON CONFLICT` needs a unique index to arbitrate on: declare the key with `#[column(unique)]`, `#[table(unique(...))]` or as the primary key"
)]
pub trait ConflictTarget<T: Table> {
    /// The key's columns.
    const COLUMNS: &'static [&'static str];
    /// Whether the key's unique index covers live rows only (a partial index over the rows
    /// whose soft-delete column is NULL); upserts then render the same predicate as the
    /// arbiter, through the one soft-delete predicate renderer.
    const LIVE_ONLY: bool;
    /// [`AllRows`](crate::query::bounds::AllRows) or [`LiveRows`](crate::query::bounds::LiveRows): whether a soft-deleted row
    /// can conflict on this key.
    type Scope;
}

/// A primary key value: bound as one parameter per key column.
pub trait Key: Send + Sync + 'static {
    #[doc(hidden)]
    fn __bind<'a>(&'a self, out: &mut Vec<&'a (dyn ToSql + Sync)>);
}

impl<T: Scalar> Key for T {
    fn __bind<'a>(&'a self, out: &mut Vec<&'a (dyn ToSql + Sync)>) {
        out.push(self);
    }
}

macro_rules! tuple_key {
    ($($name:ident . $idx:tt),+) => {
        impl<$($name: Scalar),+> Key for ($($name,)+) {
            fn __bind<'a>(&'a self, out: &mut Vec<&'a (dyn ToSql + Sync)>) {
                $(out.push(&self.$idx);)+
            }
        }
    };
}
tuple_key!(A.0, B.1);
tuple_key!(A.0, B.1, C.2);
tuple_key!(A.0, B.1, C.2, D.3);
tuple_key!(A.0, B.1, C.2, D.3, E.4);

/// The insert shape of a table, generated by the derive.
pub trait Insertable<T: Table>: Send + Sync + Sized + 'static {
    /// For each insertable column of `T::META` in order: its value, or `None` for `DEFAULT`.
    #[doc(hidden)]
    fn __values<'a>(&'a self, out: &mut Vec<Option<&'a (dyn ToSql + Sync)>>);

    /// One array per insertable column, in order; columns with a default hold `Option`s.
    #[doc(hidden)]
    fn __arrays(rows: Vec<Self>) -> Vec<Box<dyn ToSql + Send + Sync>>;
}

/// The update shape of a table, generated by the derive.
pub trait Patch<T: Table>: Send + Sync + 'static {
    /// The columns this patch sets, with their values.
    #[doc(hidden)]
    fn __sets<'a>(&'a self, out: &mut Vec<(&'static str, &'a (dyn ToSql + Sync))>);
}
