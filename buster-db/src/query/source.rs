//! What a query reads from: tables, aliased tables, and the slots of a joined query.
//!
//! A joined query's sources are a tuple of slots: [`Inner<T>`] for the first table and each
//! inner-joined table (decoded as `T`), [`Left<T>`] for a left-joined table (decoded as
//! `Option<T>`). Columns used in `on`, `filter`, `order_by` and projections are checked against
//! that tuple at compile time, through [`InSource`] and [`SlotKind`].

use std::marker::PhantomData;

use postgres_types::{FromSql, Type};
use tokio_postgres::Row;

use crate::Result;
use crate::expr::{ColumnRef, InSource};
use crate::meta::TableMeta;
use crate::table::{Column, Table};

/// A table (or an aliased table) named as a value, to join it: `Membership::table()`.
pub struct TableRef<X>(PhantomData<fn() -> X>);

impl<X> Clone for TableRef<X> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<X> Copy for TableRef<X> {}

impl<X> TableRef<X> {
    pub(crate) fn new() -> TableRef<X> {
        TableRef(PhantomData)
    }
}

/// Something a query can read from: a table, or a table under an alias.
pub trait Source: Send + Sync + 'static {
    /// The table read.
    type Table: Table;
    /// The name the query gives it (the table name, or the alias).
    fn alias() -> &'static str;
}

impl<T: Table> Source for T {
    type Table = T;
    fn alias() -> &'static str {
        T::META.name
    }
}

/// The name of an alias, declared with [`alias!`](crate::alias).
pub trait AliasName: Copy + Send + Sync + 'static {
    /// The SQL alias.
    const NAME: &'static str;
}

/// Declares an alias type for joining a table a second time:
/// `buster_db::alias!(pub Owner = "owner");` then `User::alias(Owner)`.
#[macro_export]
macro_rules! alias {
    ($vis:vis $name:ident = $sql:literal) => {
        #[doc = concat!("The table alias `", $sql, "`.")]
        #[derive(Debug, Clone, Copy)]
        $vis struct $name;
        impl $crate::query::bounds::AliasName for $name {
            const NAME: &'static str = $sql;
        }
    };
}

/// Table `T` under the alias `A`.
pub struct Alias<T, A>(PhantomData<fn() -> (T, A)>);

impl<T: Table, A: AliasName> Source for Alias<T, A> {
    type Table = T;
    fn alias() -> &'static str {
        A::NAME
    }
}

/// A column of table `C::Table` read through the alias `A`.
pub struct AliasColumn<C, A>(PhantomData<fn() -> (C, A)>);

impl<C, A> Clone for AliasColumn<C, A> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<C, A> Copy for AliasColumn<C, A> {}

impl<C: Column, A: AliasName> ColumnRef for AliasColumn<C, A> {
    type Source = Alias<C::Table, A>;
    type Value = C::Value;
    type Field = C::Field;
    const NAME: &'static str = C::NAME;
    fn qualifier() -> &'static str {
        A::NAME
    }
}

impl<T: Table, A: AliasName> TableRef<Alias<T, A>> {
    /// Column `column` of the aliased table.
    pub fn col<C: Column<Table = T>>(self, column: C) -> AliasColumn<C, A> {
        let _ = column;
        AliasColumn(PhantomData)
    }
}

/// A slot holding a table that every result row has (the first table and inner joins).
pub struct Inner<X>(PhantomData<fn() -> X>);
/// A slot holding a left-joined table: `None` when no row matched.
pub struct Left<X>(PhantomData<fn() -> X>);

/// How a slot's values come out: as they are ([`Present`]), or in an `Option` for a left join
/// ([`Optional`]).
pub trait Kind: 'static {
    /// `V` or `Option<V>`.
    type Wrap<V>;
    /// Decodes a whole row of `T` starting at `offset`.
    #[doc(hidden)]
    fn row<T: Table>(row: &Row, offset: usize) -> Result<Self::Wrap<T>>;
}

/// Marker of slots whose rows are always present.
pub struct Present;
/// Marker of left-joined slots.
pub struct Optional;

impl Kind for Present {
    type Wrap<V> = V;
    fn row<T: Table>(row: &Row, offset: usize) -> Result<T> {
        T::__decode(row, offset)
    }
}

/// Reads whether a column is NULL, whatever its type.
struct NullProbe(bool);

impl<'a> FromSql<'a> for NullProbe {
    fn from_sql(
        _: &Type,
        _: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(NullProbe(false))
    }
    fn from_sql_null(
        _: &Type,
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(NullProbe(true))
    }
    fn accepts(_: &Type) -> bool {
        true
    }
}

impl Kind for Optional {
    type Wrap<V> = Option<V>;
    fn row<T: Table>(row: &Row, offset: usize) -> Result<Option<T>> {
        // A matched row has a non-NULL primary key; an unmatched left join has all NULLs.
        let meta = T::META;
        let key = meta
            .primary_key
            .first()
            .and_then(|k| meta.columns.iter().position(|c| c.name == *k))
            .unwrap_or(0);
        let probe: NullProbe = crate::__private::get(row, offset + key, meta.name)?;
        if probe.0 {
            Ok(None)
        } else {
            T::__decode(row, offset).map(Some)
        }
    }
}

/// One table of a joined query.
pub trait Slot: 'static {
    /// The identity columns are checked against (`T` or `Alias<T, A>`).
    type Id;
    /// [`Present`] or [`Optional`].
    type Kind: Kind;
    /// The table.
    type Table: Table;
    /// The name the query gives it.
    fn alias() -> &'static str;
}

impl<X: Source> Slot for Inner<X> {
    type Id = X;
    type Kind = Present;
    type Table = X::Table;
    fn alias() -> &'static str {
        X::alias()
    }
}

impl<X: Source> Slot for Left<X> {
    type Id = X;
    type Kind = Optional;
    type Table = X::Table;
    fn alias() -> &'static str {
        X::alias()
    }
}

/// Position markers of a table among a query's sources, inferred by the compiler.
#[doc(hidden)]
pub struct P0;
#[doc(hidden)]
pub struct P1;
#[doc(hidden)]
pub struct P2;
#[doc(hidden)]
pub struct P3;
#[doc(hidden)]
pub struct P4;

/// The slots of a joined query.
pub trait Slots: 'static {
    /// The decoded row: a tuple with one element per slot.
    type Output;
    /// Each slot's table and alias, in order.
    fn tables() -> Vec<(&'static TableMeta, &'static str)>;
    /// Decodes a row.
    #[doc(hidden)]
    fn decode(row: &Row) -> Result<Self::Output>;
}

/// Adds a slot to a tuple of slots.
pub trait Push<X> {
    /// The longer tuple.
    type Out: Slots;
}

macro_rules! slots {
    ($($s:ident),+) => {
        impl<$($s: Slot),+> Slots for ($($s,)+) {
            type Output = ($(<$s::Kind as Kind>::Wrap<$s::Table>,)+);
            fn tables() -> Vec<(&'static TableMeta, &'static str)> {
                vec![$((<$s::Table as Table>::META, $s::alias())),+]
            }
            fn decode(row: &Row) -> Result<Self::Output> {
                let mut __offset = 0;
                Ok(($({
                    let v = <$s::Kind as Kind>::row::<$s::Table>(row, __offset)?;
                    __offset += <$s::Table as Table>::META.columns.len();
                    let _ = __offset;
                    v
                },)+))
            }
        }
    };
}

slots!(S0);
slots!(S0, S1);
slots!(S0, S1, S2);
slots!(S0, S1, S2, S3);
slots!(S0, S1, S2, S3, S4);

macro_rules! push {
    ($next:ident; $($s:ident),+) => {
        impl<$($s: Slot,)+ $next: Slot> Push<$next> for ($($s,)+) {
            type Out = ($($s,)+ $next,);
        }
    };
}

push!(S1; S0);
push!(S2; S0, S1);
push!(S3; S0, S1, S2);
push!(S4; S0, S1, S2, S3);

/// Tables that take part in a query, with how their values come out.
pub trait SlotKind<S, I> {
    /// [`Present`] or [`Optional`].
    type Kind: Kind;
}

impl<T: Table> SlotKind<T, crate::expr::Here> for T {
    type Kind = Present;
}

macro_rules! in_source {
    ($at:ident: $($s:ident),+) => {
        impl<X, $($s: Slot),+> InSource<($($s,)+), $at> for X where $at: Pick<($($s,)+), Id = X> {}
        impl<X, $($s: Slot),+> SlotKind<($($s,)+), $at> for X
        where
            $at: Pick<($($s,)+), Id = X>,
        {
            type Kind = <$at as Pick<($($s,)+)>>::Kind;
        }
    };
}

/// Picks the slot at a position.
#[doc(hidden)]
pub trait Pick<S> {
    type Id;
    type Kind: Kind;
}

macro_rules! pick {
    ($at:ident => $target:ident; $($s:ident),+) => {
        impl<$($s: Slot),+> Pick<($($s,)+)> for $at {
            type Id = $target::Id;
            type Kind = $target::Kind;
        }
    };
}

pick!(P0 => S0; S0);
pick!(P0 => S0; S0, S1);
pick!(P1 => S1; S0, S1);
pick!(P0 => S0; S0, S1, S2);
pick!(P1 => S1; S0, S1, S2);
pick!(P2 => S2; S0, S1, S2);
pick!(P0 => S0; S0, S1, S2, S3);
pick!(P1 => S1; S0, S1, S2, S3);
pick!(P2 => S2; S0, S1, S2, S3);
pick!(P3 => S3; S0, S1, S2, S3);
pick!(P0 => S0; S0, S1, S2, S3, S4);
pick!(P1 => S1; S0, S1, S2, S3, S4);
pick!(P2 => S2; S0, S1, S2, S3, S4);
pick!(P3 => S3; S0, S1, S2, S3, S4);
pick!(P4 => S4; S0, S1, S2, S3, S4);

in_source!(P0: S0);
in_source!(P0: S0, S1);
in_source!(P1: S0, S1);
in_source!(P0: S0, S1, S2);
in_source!(P1: S0, S1, S2);
in_source!(P2: S0, S1, S2);
in_source!(P0: S0, S1, S2, S3);
in_source!(P1: S0, S1, S2, S3);
in_source!(P2: S0, S1, S2, S3);
in_source!(P3: S0, S1, S2, S3);
in_source!(P0: S0, S1, S2, S3, S4);
in_source!(P1: S0, S1, S2, S3, S4);
in_source!(P2: S0, S1, S2, S3, S4);
in_source!(P3: S0, S1, S2, S3, S4);
in_source!(P4: S0, S1, S2, S3, S4);
