//! Relations declared on the derive, loaded for a list of parents in one statement each.
//!
//! ```ignore
//! #[derive(Table)]
//! #[table(
//!     name = "users",
//!     has_one(profile = user_profiles::user_id),
//!     has_many(memberships = users_to_organizations::user_id),
//!     many_to_many(organizations = Organization,
//!                  through(users_to_organizations::user_id, users_to_organizations::organization_id)),
//! )]
//! struct User { /* … */ }
//!
//! let users = User::select().all(&db).await?;
//! let orgs: Vec<Vec<Organization>> = User::organizations().load(&users, &db).await?;
//! ```
//!
//! Each load is one statement with the parents' keys bound as one array (`= ANY($1)`), whatever
//! the number of parents; the children come back grouped by parent, in the parents' order.
//! Soft-deleted children and soft-deleted join rows never appear unless `with_deleted()` is
//! called.

use std::collections::HashMap;
use std::hash::Hash;
use std::marker::PhantomData;

use postgres_types::FromSqlOwned;

use crate::Result;
use crate::executor::Executor;
use crate::expr::SameType;
use crate::query::{Rendered, Statements, Visibility, each_row};
use crate::sql::Writer;
use crate::table::{Column, SoftDelete, Table};

/// A primary key a relation can group by: a single column that hashes.
#[diagnostic::on_unimplemented(
    message = "relations need a single-column primary key that can be hashed; `{Self}` is not one",
    note = "tables with a composite primary key cannot be the parent of a declared relation"
)]
pub trait RelationKey:
    Hash + Eq + Clone + FromSqlOwned + postgres_types::ToSql + Send + Sync + 'static
{
}

impl<K> RelationKey for K where
    K: crate::types::Scalar
        + Hash
        + Eq
        + Clone
        + FromSqlOwned
        + postgres_types::ToSql
        + Send
        + Sync
{
}

type Marker<T> = fn() -> T;

/// Children of `P` whose column `C` holds the parent's key: at most one each.
pub struct HasOne<P, C> {
    visibility: Visibility,
    _p: PhantomData<Marker<(P, C)>>,
}

/// Children of `P` whose column `C` holds the parent's key.
pub struct HasMany<P, C> {
    visibility: Visibility,
    _p: PhantomData<Marker<(P, C)>>,
}

/// Rows of `X` linked to `P` through a join table whose column `F` holds the parent's key and
/// whose column `T` holds the key of `X`.
pub struct ManyToMany<P, F, T, X> {
    visibility: Visibility,
    _p: PhantomData<Marker<(P, F, T, X)>>,
}

/// A column that holds the primary key of `P` (its type equals the key's, up to `Option`).
#[diagnostic::on_unimplemented(
    message = "column `{Self}` cannot hold the primary key of `{P}`: their types differ",
    label = "not a key of `{P}`",
    note = "a relation's key column must have the type of the primary key it points at (up to `Option`)"
)]
pub trait HoldsKeyOf<P> {}

#[diagnostic::do_not_recommend]
impl<P: Table, C: Column> HoldsKeyOf<P> for C where C::Value: SameType<P::Key> {}

/// A relation's key column whose declared foreign key, if it has one, references `P`.
#[diagnostic::on_unimplemented(
    message = "column `{Self}` is declared to reference another table than `{P}`",
    label = "its `references` names another table",
    note = "a relation's key column points at the parent's key: fix the relation or the column's `references`"
)]
pub trait KeyPointsAt<P> {}

#[diagnostic::do_not_recommend]
impl<P, C: Column> KeyPointsAt<P> for C where C::References: ReferencedIn<P> {}

/// What a column's `references` names: nothing (`()`), or a column of the table `P`.
#[doc(hidden)]
pub trait ReferencedIn<P> {}
impl<P> ReferencedIn<P> for () {}
impl<P: Table, R: Column<Table = P>> ReferencedIn<P> for R {}

impl<P, C: HoldsKeyOf<P> + KeyPointsAt<P>> HasOne<P, C> {
    #[doc(hidden)]
    pub fn __new() -> Self {
        HasOne {
            visibility: Visibility::Live,
            _p: PhantomData,
        }
    }
}

impl<P, C: HoldsKeyOf<P> + KeyPointsAt<P>> HasMany<P, C> {
    #[doc(hidden)]
    pub fn __new() -> Self {
        HasMany {
            visibility: Visibility::Live,
            _p: PhantomData,
        }
    }
}

impl<P, F, T, X> ManyToMany<P, F, T, X>
where
    F: HoldsKeyOf<P> + KeyPointsAt<P>,
    T: HoldsKeyOf<X> + KeyPointsAt<X>,
{
    #[doc(hidden)]
    pub fn __new() -> Self {
        ManyToMany {
            visibility: Visibility::Live,
            _p: PhantomData,
        }
    }
}

macro_rules! new_with_deleted {
    ($ty:ident < $($g:ident),+ >, $child:ty) => {
        impl<$($g),+> $ty<$($g),+>
        where
            Self: Loadable,
            <Self as Loadable>::Child: SoftDelete,
        {
            /// Includes soft-deleted children (and, for many-to-many, soft-deleted join rows).
            pub fn with_deleted(mut self) -> Self {
                self.visibility = Visibility::WithDeleted;
                self
            }
        }
    };
}

#[doc(hidden)]
pub trait Loadable {
    type Child: Table;
}

impl<P: Table, C: Column> Loadable for HasOne<P, C> {
    type Child = C::Table;
}
impl<P: Table, C: Column> Loadable for HasMany<P, C> {
    type Child = C::Table;
}
impl<P: Table, F: Column, T: Column, X: Table> Loadable for ManyToMany<P, F, T, X> {
    type Child = X;
}

new_with_deleted!(HasOne<P, C>, C::Table);
new_with_deleted!(HasMany<P, C>, C::Table);
new_with_deleted!(ManyToMany<P, F, T, X>, X);

/// ` AND ` the table's soft-delete predicate for `v`, as rendered once per table.
fn soft(w: &mut Writer<'_>, table: &'static Statements, v: Visibility) {
    if let Some(p) = table.visible(v) {
        w.push(" AND ");
        w.push(p);
    }
}

fn pk_order(w: &mut Writer<'_>, table: &'static crate::meta::TableMeta) {
    for (i, k) in table.primary_key.iter().enumerate() {
        w.push(if i == 0 { " ORDER BY " } else { ", " });
        w.qualified(table.name, k);
    }
}

/// Where a loaded row holds the parent's key it belongs to.
#[derive(Clone, Copy)]
enum KeyAt {
    /// In the child's own column (a has-one or has-many foreign key), read in place.
    Child(usize, &'static str),
    /// In a column after the child's (the join table's, for many-to-many).
    After,
}

/// Runs the statement and groups the children by the parent key `key` points at.
async fn load_grouped<P, X, E>(
    parents: &[P],
    sql: String,
    key: KeyAt,
    exec: &E,
) -> Result<Vec<Vec<X>>>
where
    P: Table,
    P::Key: RelationKey,
    X: Table,
    E: Executor + ?Sized,
{
    if parents.is_empty() {
        return Ok(Vec::new());
    }
    let keys: Vec<P::Key> = parents.iter().map(Table::primary_key).collect();
    let statement = Rendered {
        sql: sql.into(),
        params: vec![&keys],
        read: true,
    };
    let (at, name) = match key {
        KeyAt::Child(at, name) => (at, name),
        KeyAt::After => (X::META.columns.len(), "parent key"),
    };
    // Each child goes straight into its parent's list as it arrives. A parent listed twice
    // gets its children at its first place.
    let mut place: HashMap<&P::Key, usize> = HashMap::with_capacity(keys.len());
    for (i, key) in keys.iter().enumerate() {
        place.entry(key).or_insert(i);
    }
    let mut groups: Vec<Vec<X>> = std::iter::repeat_with(Vec::new).take(keys.len()).collect();
    each_row(exec, &statement, |row| {
        let key: P::Key = crate::__private::get(row, at, name)?;
        if let Some(group) = place.get(&key).and_then(|&i| groups.get_mut(i)) {
            group.push(X::__decode(row, 0)?);
        }
        Ok(())
    })
    .await?;
    Ok(groups)
}

fn child_sql(child: &'static Statements, fk: &'static str, v: Visibility) -> String {
    let meta = child.meta;
    let mut w = Writer::new();
    w.push("SELECT ");
    w.push(&child.columns);
    w.push(" FROM ");
    w.table(meta);
    w.push(" WHERE ");
    w.qualified(meta.name, fk);
    w.push(" = ANY($1)");
    soft(&mut w, child, v);
    pk_order(&mut w, meta);
    w.finish().0
}

// No key-type bound here: a relation is only built (`__new`) once its key column is checked,
// so a mismatch is reported there, once.
impl<P, C> HasMany<P, C>
where
    P: Table,
    P::Key: RelationKey,
    C: Column,
{
    /// The SQL of a load.
    pub fn to_sql(&self) -> String {
        child_sql(
            <C::Table as Table>::__statements(),
            C::NAME,
            self.visibility,
        )
    }

    /// The children of each parent, in the parents' order: one statement for any number of
    /// parents, none for an empty list.
    pub async fn load<E: Executor + ?Sized>(
        self,
        parents: &[P],
        exec: &E,
    ) -> Result<Vec<Vec<C::Table>>> {
        // The foreign key is one of the child's columns: its value is read where it is.
        let columns = <C::Table as Table>::META.columns;
        let Some(at) = columns.iter().position(|c| c.name == C::NAME) else {
            return Err(crate::Error::new(
                crate::ErrorKind::Config,
                format!(
                    "the relation's key column `{}` is not a column of its table",
                    C::NAME
                ),
            ));
        };
        let key = KeyAt::Child(at, C::NAME);
        load_grouped::<P, C::Table, E>(parents, self.to_sql(), key, exec).await
    }
}

// No key-type bound here: a relation is only built (`__new`) once its key column is checked,
// so a mismatch is reported there, once.
impl<P, C> HasOne<P, C>
where
    P: Table,
    P::Key: RelationKey,
    C: Column,
{
    /// The same children, loaded as a list each.
    fn as_many(&self) -> HasMany<P, C> {
        HasMany {
            visibility: self.visibility,
            _p: PhantomData,
        }
    }

    /// The SQL of a load.
    pub fn to_sql(&self) -> String {
        self.as_many().to_sql()
    }

    /// The child of each parent, if any, in the parents' order: one statement.
    pub async fn load<E: Executor + ?Sized>(
        self,
        parents: &[P],
        exec: &E,
    ) -> Result<Vec<Option<C::Table>>> {
        let groups = self.as_many().load(parents, exec).await?;
        Ok(groups.into_iter().map(|g| g.into_iter().next()).collect())
    }
}

impl<P, F, T, X> ManyToMany<P, F, T, X>
where
    P: Table,
    P::Key: RelationKey,
    F: Column,
    T: Column<Table = F::Table>,
    X: Table,
{
    /// The SQL of a load.
    pub fn to_sql(&self) -> String {
        let target = X::__statements();
        let join = <F::Table as Table>::META;
        let mut w = Writer::new();
        w.push("SELECT ");
        w.push(&target.columns);
        w.push(", ");
        w.qualified(join.name, F::NAME);
        w.push(" FROM ");
        w.table(X::META);
        w.push(" INNER JOIN ");
        w.table(join);
        w.push(" ON ");
        w.qualified(join.name, T::NAME);
        w.push(" = ");
        if let Some(pk) = X::META.primary_key.first() {
            w.qualified(X::META.name, pk);
        }
        soft(&mut w, <F::Table as Table>::__statements(), self.visibility);
        w.push(" WHERE ");
        w.qualified(join.name, F::NAME);
        w.push(" = ANY($1)");
        soft(&mut w, target, self.visibility);
        pk_order(&mut w, X::META);
        w.finish().0
    }

    /// The linked rows of each parent, in the parents' order: one statement.
    pub async fn load<E: Executor + ?Sized>(self, parents: &[P], exec: &E) -> Result<Vec<Vec<X>>> {
        load_grouped::<P, X, E>(parents, self.to_sql(), KeyAt::After, exec).await
    }
}
