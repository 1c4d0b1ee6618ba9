//! What a query reads from: tables, aliased tables, and the slots of a joined query.
//!
//! A joined query's sources are a tuple of slots: [`Inner<T>`] for a table every row has (the
//! first table, an inner-joined one, the one a right join brings; decoded as `T`), [`Left<T>`]
//! for a left-joined table and [`Maybe<T>`] for a table a right or full join made optional
//! (both decoded as `Option<T>`). Columns used in `on`, `filter`, `order_by` and projections are checked against
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
    /// The name the query gives it, as a type: [`TableIdent`] or [`AliasIdent`].
    #[doc(hidden)]
    type Ident;
    /// The name the query gives it (the table name, or the alias).
    fn alias() -> &'static str;
}

impl<T: Table> Source for T {
    type Table = T;
    type Ident = TableIdent<T::__Ident>;
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
    type Ident = AliasIdent<A>;
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

/// An alias a query over the sources `S` joins (at the place `I`).
#[diagnostic::on_unimplemented(
    message = "the alias `{Self}` is not joined in this query",
    label = "reads a column through an alias the query does not join",
    note = "join the aliased table, `.inner_join({T}::alias({Self}), ..)`, before reading its columns"
)]
pub trait AliasJoined<T, S, I> {}

#[diagnostic::do_not_recommend]
impl<A, T, S, I> AliasJoined<T, S, I> for A where Alias<T, A>: InSource<S, I> {}

// No `do_not_recommend`: a column of an alias the query does not join names the alias.
impl<C: Column, A: AliasName, S, I> crate::expr::Columns<S, I> for AliasColumn<C, A> where
    A: AliasJoined<C::Table, S, I>
{
}

impl<T: Table, A: AliasName> TableRef<Alias<T, A>> {
    /// Column `column` of the aliased table.
    pub fn col<C: Column<Table = T>>(self, column: C) -> AliasColumn<C, A> {
        let _ = column;
        AliasColumn(PhantomData)
    }
}

/// A slot holding a table that every result row has (the first table, inner joins, and the
/// table a right join brings in).
pub struct Inner<X>(PhantomData<fn() -> X>);
/// A slot holding a left-joined table: `None` when no row matched.
pub struct Left<X>(PhantomData<fn() -> X>);
/// A slot holding a table that a later right join, or a full join, made optional: `None` in the
/// rows the other side brought without a match.
pub struct Maybe<X>(PhantomData<fn() -> X>);

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
    /// The same table once a right or full join makes it optional.
    type AsOptional: Slot;
    /// The name the query gives it.
    fn alias() -> &'static str;
}

impl<X: Source> Slot for Inner<X> {
    type Id = X;
    type Kind = Present;
    type Table = X::Table;
    type AsOptional = Maybe<X>;
    fn alias() -> &'static str {
        X::alias()
    }
}

impl<X: Source> Slot for Left<X> {
    type Id = X;
    type Kind = Optional;
    type Table = X::Table;
    type AsOptional = Left<X>;
    fn alias() -> &'static str {
        X::alias()
    }
}

impl<X: Source> Slot for Maybe<X> {
    type Id = X;
    type Kind = Optional;
    type Table = X::Table;
    type AsOptional = Maybe<X>;
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
#[doc(hidden)]
pub struct P5;
#[doc(hidden)]
pub struct P6;
#[doc(hidden)]
pub struct P7;
#[doc(hidden)]
pub struct P8;
#[doc(hidden)]
pub struct P9;
#[doc(hidden)]
pub struct P10;
#[doc(hidden)]
pub struct P11;

/// The slots of a joined query: one to twelve tables, as many as a row tuple can hold and still
/// be compared and printed (the standard library's tuple impls stop at twelve).
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
#[diagnostic::on_unimplemented(
    message = "cannot join another table to a query on `{Self}`",
    note = "a query joins at most 12 tables (a row decodes into a tuple of at most 12 values)"
)]
pub trait Push<X> {
    /// The longer tuple.
    type Out: Slots;
    /// The position of `X` in it.
    type At;
}

/// The slots of a query once a right or full join makes every table already in it optional.
pub trait MakeOptional {
    /// The same tuple, every slot [`Slot::AsOptional`].
    type Out: Slots;
}

/// Tables that take part in a query, with how their values come out.
pub trait SlotKind<S, I> {
    /// [`Present`] or [`Optional`].
    type Kind: Kind;
}

impl<T: Table> SlotKind<T, crate::expr::Here> for T {
    type Kind = Present;
}

/// Picks the slot at a position.
#[doc(hidden)]
pub trait Pick<S> {
    type Id;
    type Kind: Kind;
}

/// The impls of one tuple length: `arity!(P0 S0, P1 S1; next S2)` for `(S0, S1)`, which a join
/// extends to `(S0, S1, S2)`.
macro_rules! arity {
    ($($p:ident $s:ident),+; next $np:ident $n:ident) => {
        arity!($($p $s),+);

        impl<$($s: Slot,)+ $n: Slot> Push<$n> for ($($s,)+) {
            type Out = ($($s,)+ $n,);
            type At = $np;
        }
    };
    ($($p:ident $s:ident),+) => {
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

        impl<$($s: Slot),+> MakeOptional for ($($s,)+) {
            type Out = ($($s::AsOptional,)+);
        }

        impl<X, $($s: Slot),+> Unjoined<X> for ($($s,)+) where $($s::Id: Distinct<X>),+ {}

        arity!(@positions [$($s),+] $($p $s),+);
    };
    (@positions $all:tt $($p:ident $s:ident),+) => {
        $(arity!(@at $all $p $s);)+
    };
    // The slot `$s` at position `$p` of the tuple `$all`: columns of its table belong to the
    // query, and come out as its kind says.
    (@at [$($all:ident),+] $p:ident $s:ident) => {
        impl<$($all: Slot),+> Pick<($($all,)+)> for $p {
            type Id = $s::Id;
            type Kind = $s::Kind;
        }
        impl<X, $($all: Slot),+> InSource<($($all,)+), $p> for X
        where
            $p: Pick<($($all,)+), Id = X>,
        {
        }
        impl<X, $($all: Slot),+> SlotKind<($($all,)+), $p> for X
        where
            $p: Pick<($($all,)+), Id = X>,
        {
            type Kind = <$p as Pick<($($all,)+)>>::Kind;
        }
    };
}

arity!(P0 S0; next P1 S1);
arity!(P0 S0, P1 S1; next P2 S2);
arity!(P0 S0, P1 S1, P2 S2; next P3 S3);
arity!(P0 S0, P1 S1, P2 S2, P3 S3; next P4 S4);
arity!(P0 S0, P1 S1, P2 S2, P3 S3, P4 S4; next P5 S5);
arity!(P0 S0, P1 S1, P2 S2, P3 S3, P4 S4, P5 S5; next P6 S6);
arity!(P0 S0, P1 S1, P2 S2, P3 S3, P4 S4, P5 S5, P6 S6; next P7 S7);
arity!(P0 S0, P1 S1, P2 S2, P3 S3, P4 S4, P5 S5, P6 S6, P7 S7; next P8 S8);
arity!(P0 S0, P1 S1, P2 S2, P3 S3, P4 S4, P5 S5, P6 S6, P7 S7, P8 S8; next P9 S9);
arity!(P0 S0, P1 S1, P2 S2, P3 S3, P4 S4, P5 S5, P6 S6, P7 S7, P8 S8, P9 S9; next P10 S10);
arity!(P0 S0, P1 S1, P2 S2, P3 S3, P4 S4, P5 S5, P6 S6, P7 S7, P8 S8, P9 S9, P10 S10; next P11 S11);
arity!(P0 S0, P1 S1, P2 S2, P3 S3, P4 S4, P5 S5, P6 S6, P7 S7, P8 S8, P9 S9, P10 S10, P11 S11);

/// Slots that can join a query already reading 12 tables: none, since a query reads at most 12
/// (a row decodes into a tuple of at most 12 values).
#[diagnostic::on_unimplemented(
    message = "a query joins at most 12 tables: this join would be the thirteenth",
    label = "a thirteenth table",
    note = "a row decodes into a tuple of at most 12 values: split the query, or read some of the tables with a subquery (`in_select`, `exists`)"
)]
pub trait JoinBeyondTwelveTables {}

/// The sources of a query past its twelfth table: a thirteenth join is already refused (by
/// [`JoinBeyondTwelveTables`]), and every column counts as read here, so nothing else about
/// that join is reported.
#[doc(hidden)]
pub struct Overflow;

impl Slots for Overflow {
    type Output = ();
    fn tables() -> Vec<(&'static TableMeta, &'static str)> {
        Vec::new()
    }
    fn decode(_: &Row) -> Result<()> {
        Ok(())
    }
}

impl<X> InSource<Overflow, crate::expr::Here> for X {}

impl<X> Unjoined<X> for Overflow {}

impl<X> SlotKind<Overflow, crate::expr::Here> for X {
    type Kind = Present;
}

impl<P> Reads<P> for crate::expr::Here {
    type Out = Yes;
}

/// No table: what [`JoinBeyondTwelveTables`] asks of the joined table, so that a thirteenth
/// join is refused once its table is known (with the message above) rather than while the
/// method is looked up (with one about the query's type).
#[doc(hidden)]
pub trait NeverJoined {}

#[diagnostic::do_not_recommend]
impl<X: NeverJoined> JoinBeyondTwelveTables for Inner<X> {}
#[diagnostic::do_not_recommend]
impl<X: NeverJoined> JoinBeyondTwelveTables for Left<X> {}
#[diagnostic::do_not_recommend]
impl<X: NeverJoined> JoinBeyondTwelveTables for Maybe<X> {}

// A thirteenth join then fails on `JoinBeyondTwelveTables`, whose name says why, rather than
// on a bare `Push` the compiler would only call unsatisfied.
impl<S0, S1, S2, S3, S4, S5, S6, S7, S8, S9, S10, S11, X> Push<X>
    for (S0, S1, S2, S3, S4, S5, S6, S7, S8, S9, S10, S11)
where
    S0: Slot,
    S1: Slot,
    S2: Slot,
    S3: Slot,
    S4: Slot,
    S5: Slot,
    S6: Slot,
    S7: Slot,
    S8: Slot,
    S9: Slot,
    S10: Slot,
    S11: Slot,
    X: JoinBeyondTwelveTables,
{
    type Out = Overflow;
    type At = P0;
}

/// Whether a column set, by the positions its columns were found at (the index a
/// [`Columns`](crate::expr::Columns) bound infers), reads the table at position `P`.
#[doc(hidden)]
pub trait Reads<P> {
    /// [`Yes`] or [`No`].
    type Out;
}

/// A type-level yes.
#[doc(hidden)]
pub struct Yes;
/// A type-level no.
#[doc(hidden)]
pub struct No;

/// A type-level flag, [`Yes`] or [`No`], with its `or` and `and`.
#[doc(hidden)]
pub trait Flag {
    /// `self || B`.
    type Or<B: Flag>: Flag;
    /// `self && B`.
    type And<B: Flag>: Flag;
}
impl Flag for Yes {
    type Or<B: Flag> = Yes;
    type And<B: Flag> = B;
}
impl Flag for No {
    type Or<B: Flag> = B;
    type And<B: Flag> = No;
}

/// [`No`] only.
#[doc(hidden)]
pub trait IsNo {}
impl IsNo for No {}

/// The name a table goes by in a query, as a type: a hash of its SQL name written by the
/// derive as sixteen hexadecimal digits ([`Table::__Ident`]). Two tables of one name are one
/// name to PostgreSQL, whatever their Rust types.
#[doc(hidden)]
pub struct TableIdent<N>(PhantomData<fn() -> N>);

/// The name an aliased table goes by in a query: the alias's type.
#[doc(hidden)]
pub struct AliasIdent<A>(PhantomData<fn() -> A>);

/// Whether two source names are the same: [`Yes`] or [`No`].
#[doc(hidden)]
pub trait SameIdent<B> {
    /// [`Yes`] or [`No`].
    type Out: Flag;
}
impl<N: SameDigits<M>, M> SameIdent<TableIdent<M>> for TableIdent<N> {
    type Out = N::Out;
}
impl<N, A> SameIdent<AliasIdent<A>> for TableIdent<N> {
    type Out = No;
}
impl<N, A> SameIdent<TableIdent<N>> for AliasIdent<A> {
    type Out = No;
}
// Two aliases are told apart by their types, which the type checker cannot compare: a query
// joining one alias twice is left to PostgreSQL.
impl<A, B> SameIdent<AliasIdent<B>> for AliasIdent<A> {
    type Out = No;
}

/// Whether two lists of hexadecimal digits are equal.
#[doc(hidden)]
pub trait SameDigits<B> {
    /// [`Yes`] or [`No`].
    type Out: Flag;
}
impl SameDigits<()> for () {
    type Out = Yes;
}
impl<A: SameDigit<B>, AR: SameDigits<BR>, B, BR> SameDigits<(B, BR)> for (A, AR) {
    type Out = <<A as SameDigit<B>>::Out as Flag>::And<<AR as SameDigits<BR>>::Out>;
}

/// Whether two hexadecimal digits are equal.
#[doc(hidden)]
pub trait SameDigit<B> {
    /// [`Yes`] or [`No`].
    type Out: Flag;
}

macro_rules! digits {
    ($($d:ident)+) => {
        $(
            #[doc(hidden)]
            pub struct $d;
        )+
        digits!(@all [$($d)+] $($d)+);
    };
    (@all $all:tt $($d:ident)+) => {
        $(digits!(@one $d $all);)+
    };
    (@one $d:ident [$($e:ident)+]) => {
        $(impl SameDigit<$e> for $d {
            type Out = digits!(@eq $d $e);
        })+
    };
    (@eq X0 X0) => { Yes }; (@eq X1 X1) => { Yes }; (@eq X2 X2) => { Yes };
    (@eq X3 X3) => { Yes }; (@eq X4 X4) => { Yes }; (@eq X5 X5) => { Yes };
    (@eq X6 X6) => { Yes }; (@eq X7 X7) => { Yes }; (@eq X8 X8) => { Yes };
    (@eq X9 X9) => { Yes }; (@eq XA XA) => { Yes }; (@eq XB XB) => { Yes };
    (@eq XC XC) => { Yes }; (@eq XD XD) => { Yes }; (@eq XE XE) => { Yes };
    (@eq XF XF) => { Yes };
    (@eq $a:ident $b:ident) => { No };
}
digits!(X0 X1 X2 X3 X4 X5 X6 X7 X8 X9 XA XB XC XD XE XF);

/// A source a query already reads, which the source `X` is not: joining `X` keeps every
/// table's name distinct, as PostgreSQL requires and as column checks need to tell the tables
/// apart.
#[diagnostic::on_unimplemented(
    message = "`{X}` is already in this query: joining it a second time needs an alias",
    label = "`{X}` joined again under its own name",
    note = "declare an alias with `buster_db::alias!(Manager = \"manager\");`, join `{X}::alias(Manager)` and read its columns as `manager.col(..)` (where `let manager = {X}::alias(Manager);`)"
)]
pub trait Distinct<X> {}

#[diagnostic::do_not_recommend]
impl<Y: Source, X: Source> Distinct<X> for Y
where
    Y::Ident: SameIdent<X::Ident>,
    <Y::Ident as SameIdent<X::Ident>>::Out: IsNo,
{
}

/// The slots of a query none of which is the source `X`.
#[doc(hidden)]
pub trait Unjoined<X> {}

/// Type-level `or`.
#[doc(hidden)]
pub trait Or<B> {
    /// The result.
    type Out;
}
impl<B> Or<B> for Yes {
    type Out = Yes;
}
impl<B> Or<B> for No {
    type Out = B;
}

impl<P> Reads<P> for () {
    type Out = No;
}
impl<P, A: Reads<P>, B: Reads<P>> Reads<P> for (A, B)
where
    A::Out: Or<B::Out>,
{
    type Out = <A::Out as Or<B::Out>>::Out;
}
impl<P, I: Reads<P>> Reads<P> for crate::query::compound::Outer<I> {
    type Out = I::Out;
}
impl<P> Reads<P> for crate::query::compound::Sub {
    type Out = No;
}

macro_rules! reads {
    (@row $p:ident: $($q:ident)+) => {
        $(impl Reads<$p> for $q {
            type Out = reads!(@eq $p $q);
        })+
    };
    (@eq P0 P0) => { Yes }; (@eq P1 P1) => { Yes }; (@eq P2 P2) => { Yes };
    (@eq P3 P3) => { Yes }; (@eq P4 P4) => { Yes }; (@eq P5 P5) => { Yes };
    (@eq P6 P6) => { Yes }; (@eq P7 P7) => { Yes }; (@eq P8 P8) => { Yes };
    (@eq P9 P9) => { Yes }; (@eq P10 P10) => { Yes }; (@eq P11 P11) => { Yes };
    (@eq $a:ident $b:ident) => { No };
    ($($p:ident)+) => {
        reads!(@all [$($p)+] $($p)+);
    };
    (@all $all:tt $($p:ident)+) => {
        $(reads!(@one $p $all);)+
    };
    (@one $p:ident [$($q:ident)+]) => {
        reads!(@row $p: $($q)+);
    };
}
reads!(P0 P1 P2 P3 P4 P5 P6 P7 P8 P9 P10 P11);

/// A join condition, by the positions its columns were found at, that reads the table being
/// joined (at position `P`).
#[diagnostic::on_unimplemented(
    message = "the join condition never reads a column of the table being joined",
    label = "reads none of the joined table's columns",
    note = "a join's `on` relates the joined table to the query: compare one of its columns with a column already in the query (a condition on other tables alone belongs in `filter`)"
)]
pub trait ReadsJoined<P> {}

#[diagnostic::do_not_recommend]
impl<P, I> ReadsJoined<P> for I
where
    I: Reads<P>,
    <I as Reads<P>>::Out: IsYes,
{
}

/// [`Yes`] only.
#[doc(hidden)]
pub trait IsYes {}
impl IsYes for Yes {}
