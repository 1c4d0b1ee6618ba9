//! Soft delete, restore and (for tables without soft delete) delete.

use std::borrow::Cow;

use postgres_types::ToSql;

use crate::expr::{Columns, Node, SetValue};
use crate::sql::Writer;
use crate::table::{Key, Table, Updatable};

use super::Rendered;
use super::from::Visibility;
use super::run::terminals;
use super::statements::{Statements, write_key};

enum Target<T: Table> {
    Key(T::Key),
    Filter(Node),
}

fn render_key<'a, T: Table>(sql: &'a str, key: &'a T::Key) -> Rendered<'a> {
    let mut params = Vec::with_capacity(T::__statements().key_count());
    key.__bind(&mut params);
    Rendered {
        sql: Cow::Borrowed(sql),
        params,
        read: false,
    }
}

/// Sets the soft-delete column (and `updated_at`) of live rows to `now()`, returning them. Rows
/// that are already deleted are left untouched and not returned.
#[must_use = "a query does nothing until a terminal method such as `one` runs it"]
pub struct SoftDelete<T: Table> {
    target: Target<T>,
    sets: Vec<(&'static str, Box<dyn ToSql + Send + Sync>)>,
}

impl<T: Table> SoftDelete<T> {
    pub(crate) fn by_key(key: T::Key) -> SoftDelete<T> {
        SoftDelete {
            target: Target::Key(key),
            sets: Vec::new(),
        }
    }

    pub(crate) fn by_filter(filter: Node) -> SoftDelete<T> {
        SoftDelete {
            target: Target::Filter(filter),
            sets: Vec::new(),
        }
    }

    /// Also sets `column` to `value` in the same statement (for example who deleted the row).
    pub fn set<C, I, V>(mut self, column: C, value: V) -> SoftDelete<T>
    where
        C: Updatable + Columns<T, I>,
        V: SetValue<C>,
    {
        let _ = column;
        self.sets.push((C::NAME, Box::new(value.into_value())));
        self
    }

    fn statement(&self) -> Rendered<'_> {
        let stmts: &'static Statements = T::__statements();
        match &self.target {
            Target::Key(key) if self.sets.is_empty() => render_key::<T>(&stmts.soft_delete, key),
            target => {
                let meta = T::META;
                let mut w = Writer::new();
                w.push("UPDATE ");
                w.table(meta);
                w.push(" SET ");
                if let Some(sd) = meta.soft_delete_column() {
                    w.ident(sd.name);
                    w.push(" = now()");
                }
                if let Some(u) = meta.updated_at_column() {
                    w.push(", ");
                    w.ident(u.name);
                    w.push(" = now()");
                }
                for (name, value) in &self.sets {
                    w.push(", ");
                    w.ident(name);
                    w.push(" = ");
                    w.bind(&**value);
                }
                w.push(" WHERE ");
                match target {
                    Target::Key(key) => {
                        write_key::<T>(&mut w, key);
                    }
                    Target::Filter(filter) => filter.write(&mut w),
                }
                if let Some(p) = T::__statements().visible(Visibility::Live) {
                    w.push(" AND ");
                    w.push(p);
                }
                stmts.returning(&mut w);
                Rendered::finish(w)
            }
        }
    }
}

terminals!(write [T: Table] SoftDelete<T> => T);

/// Clears the soft-delete column of a deleted row, returning it.
#[must_use = "a query does nothing until a terminal method such as `one` runs it"]
pub struct Restore<T: Table> {
    key: T::Key,
}

impl<T: Table> Restore<T> {
    pub(crate) fn new(key: T::Key) -> Restore<T> {
        Restore { key }
    }

    fn statement(&self) -> Rendered<'_> {
        render_key::<T>(&T::__statements().restore, &self.key)
    }
}

terminals!(write [T: Table] Restore<T> => T);

/// Deletes rows of a table that has no soft-delete column — the row with a key, or every row
/// matching a filter — returning them (`execute` returns how many).
#[must_use = "a query does nothing until a terminal method such as `one` runs it"]
pub struct Delete<T: Table> {
    target: Target<T>,
}

impl<T: Table> Delete<T> {
    pub(crate) fn new(key: T::Key) -> Delete<T> {
        Delete {
            target: Target::Key(key),
        }
    }

    pub(crate) fn by_filter(filter: Node) -> Delete<T> {
        Delete {
            target: Target::Filter(filter),
        }
    }

    fn statement(&self) -> Rendered<'_> {
        let stmts = T::__statements();
        match &self.target {
            Target::Key(key) => render_key::<T>(&stmts.delete, key),
            Target::Filter(filter) => {
                let mut w = Writer::new();
                w.push("DELETE FROM ");
                w.table(T::META);
                w.push(" WHERE ");
                filter.write(&mut w);
                stmts.returning(&mut w);
                Rendered::finish(w)
            }
        }
    }
}

terminals!(write [T: Table] Delete<T> => T);
