//! SQL functions, `CASE`, JSON, array and full-text operators, declared functions
//! ([`sql_fn!`](crate::sql_fn)) and typed SQL fragments ([`sql!`](crate::sql)).
//!
//! Each function is typed like PostgreSQL's: its arguments are checked, and a strict function
//! of a nullable argument returns `Option<_>`.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use super::value::{
    ByColumn, ByExpr, ByValue, Literal, Nullability, Operand, TextType, Unify, bind, column_node,
    infix,
};
use super::{Both, ColumnRef, Expr, Node};
use crate::query::bounds::NoColumns;
use crate::value::ColumnType;

/// A column, an expression or a constant value: what a function argument or a `CASE` branch
/// whose type is not fixed by an earlier argument can be.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as an expression",
    label = "expected a column, an `Expr` or a constant",
    note = "constants are values of a column type (String, i32, Uuid, an enum, …) or `&str`"
)]
pub trait IntoExpr<M> {
    /// The columns it reads.
    type Columns;
    /// Its Rust type.
    type Type: ColumnType;
    /// Its SQL.
    #[doc(hidden)]
    fn into_node(self) -> Node;
}

#[diagnostic::do_not_recommend]
impl<V: Literal> IntoExpr<ByValue> for V {
    type Columns = NoColumns;
    type Type = V::Type;
    fn into_node(self) -> Node {
        bind::<V::Type>(Arc::new(self.into_value()))
    }
}

#[diagnostic::do_not_recommend]
impl<C: ColumnRef> IntoExpr<ByColumn> for C {
    type Columns = C;
    type Type = C::Value;
    fn into_node(self) -> Node {
        column_node::<C>()
    }
}

impl<C, T: ColumnType> IntoExpr<ByExpr> for Expr<C, T> {
    type Columns = C;
    type Type = T;
    fn into_node(self) -> Node {
        self.erase()
    }
}

fn call(parts: Vec<&'static str>, args: Vec<Node>) -> Node {
    Node::Template { parts, args }
}

/// `coalesce(a, b)`: `a` unless it is NULL, else `b`; NULL only when `b` may be.
pub fn coalesce<A, B, MA, MB>(a: A, b: B) -> Expr<Both<A::Columns, B::Columns>, B::Type>
where
    A: IntoExpr<MA>,
    B: Operand<A::Type, MB>,
{
    Expr::new(call(
        vec!["coalesce(", ", ", ")"],
        vec![a.into_node(), b.into_node()],
    ))
}

/// `nullif(a, b)`: NULL when `a = b`, else `a`.
pub fn nullif<A, B, MA, MB>(
    a: A,
    b: B,
) -> Expr<Both<A::Columns, B::Columns>, Option<<A::Type as ColumnType>::Inner>>
where
    A: IntoExpr<MA>,
    B: Operand<A::Type, MB>,
{
    Expr::new(call(
        vec!["nullif(", ", ", ")"],
        vec![a.into_node(), b.into_node()],
    ))
}

macro_rules! unified_pair {
    ($($(#[$doc:meta])* $name:ident $open:literal),* $(,)?) => {$(
        $(#[$doc])*
        pub fn $name<A, B, MA, MB>(
            a: A,
            b: B,
        ) -> Expr<Both<A::Columns, B::Columns>, <A::Type as Unify<B::Type>>::Out>
        where
            A: IntoExpr<MA>,
            B: Operand<A::Type, MB>,
            A::Type: Unify<B::Type>,
        {
            Expr::new(call(vec![$open, ", ", ")"], vec![a.into_node(), b.into_node()]))
        }
    )*};
}

unified_pair!(
    /// `greatest(a, b)`: the larger of two values of the same type (NULLs are ignored).
    greatest "greatest(",
    /// `least(a, b)`: the smaller of two values of the same type (NULLs are ignored).
    least "least(",
);

macro_rules! text_to_text {
    ($($(#[$doc:meta])* $name:ident $open:literal),* $(,)?) => {$(
        $(#[$doc])*
        pub fn $name<A: IntoExpr<M>, M>(text: A) -> Expr<A::Columns, A::Type>
        where
            A::Type: TextType,
        {
            Expr::new(call(vec![$open, ")"], vec![text.into_node()]))
        }
    )*};
}

text_to_text!(
    /// `lower(text)`.
    lower "lower(",
    /// `upper(text)`.
    upper "upper(",
    /// `trim(text)`: without leading and trailing spaces.
    trim "btrim(",
);

/// `length(text)`: the number of characters.
pub fn length<A: IntoExpr<M>, M>(text: A) -> Expr<A::Columns, <A::Type as Nullability>::Lift<i32>>
where
    A::Type: TextType + Nullability,
{
    Expr::new(call(vec!["length(", ")"], vec![text.into_node()]))
}

/// `left(text, n)`: the first `n` characters.
pub fn left<A, N, MA, MN>(text: A, n: N) -> Expr<Both<A::Columns, N::Columns>, A::Type>
where
    A: IntoExpr<MA>,
    A::Type: TextType,
    N: Operand<i32, MN>,
{
    Expr::new(call(
        vec!["left(", ", ", ")"],
        vec![text.into_node(), n.into_node()],
    ))
}

/// `right(text, n)`: the last `n` characters.
pub fn right<A, N, MA, MN>(text: A, n: N) -> Expr<Both<A::Columns, N::Columns>, A::Type>
where
    A: IntoExpr<MA>,
    A::Type: TextType,
    N: Operand<i32, MN>,
{
    Expr::new(call(
        vec!["right(", ", ", ")"],
        vec![text.into_node(), n.into_node()],
    ))
}

/// `replace(text, from, to)`: every occurrence of `from` replaced by `to`.
pub fn replace<A, F, T, MA, MF, MT>(
    text: A,
    from: F,
    to: T,
) -> Expr<Both<A::Columns, Both<F::Columns, T::Columns>>, A::Type>
where
    A: IntoExpr<MA>,
    A::Type: TextType,
    F: Operand<String, MF>,
    T: Operand<String, MT>,
{
    Expr::new(call(
        vec!["replace(", ", ", ", ", ")"],
        vec![text.into_node(), from.into_node(), to.into_node()],
    ))
}

/// A field of a date or time, for [`date_trunc`] and [`extract`]. Rendered as fixed SQL text,
/// so that the same expression in a select list and a `GROUP BY` is the same expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePart {
    /// `microseconds`
    Microseconds,
    /// `milliseconds`
    Milliseconds,
    /// `second`
    Second,
    /// `minute`
    Minute,
    /// `hour`
    Hour,
    /// `day`
    Day,
    /// `week` (ISO weeks, starting on Monday)
    Week,
    /// `month`
    Month,
    /// `quarter`
    Quarter,
    /// `year`
    Year,
    /// `dow`: the day of the week, Sunday 0 (for `extract` only)
    DayOfWeek,
    /// `epoch`: seconds since 1970-01-01 00:00 UTC (for `extract` only)
    Epoch,
}

impl DatePart {
    fn name(self) -> &'static str {
        match self {
            DatePart::Microseconds => "microseconds",
            DatePart::Milliseconds => "milliseconds",
            DatePart::Second => "second",
            DatePart::Minute => "minute",
            DatePart::Hour => "hour",
            DatePart::Day => "day",
            DatePart::Week => "week",
            DatePart::Month => "month",
            DatePart::Quarter => "quarter",
            DatePart::Year => "year",
            DatePart::DayOfWeek => "dow",
            DatePart::Epoch => "epoch",
        }
    }

    fn quoted(self) -> &'static str {
        match self {
            DatePart::Microseconds => "date_trunc('microseconds', ",
            DatePart::Milliseconds => "date_trunc('milliseconds', ",
            DatePart::Second => "date_trunc('second', ",
            DatePart::Minute => "date_trunc('minute', ",
            DatePart::Hour => "date_trunc('hour', ",
            DatePart::Day => "date_trunc('day', ",
            DatePart::Week => "date_trunc('week', ",
            DatePart::Month => "date_trunc('month', ",
            DatePart::Quarter => "date_trunc('quarter', ",
            DatePart::Year => "date_trunc('year', ",
            DatePart::DayOfWeek => "date_trunc('dow', ",
            DatePart::Epoch => "date_trunc('epoch', ",
        }
    }

    fn extract(self) -> &'static str {
        match self {
            DatePart::Microseconds => "extract(microseconds FROM ",
            DatePart::Milliseconds => "extract(milliseconds FROM ",
            DatePart::Second => "extract(second FROM ",
            DatePart::Minute => "extract(minute FROM ",
            DatePart::Hour => "extract(hour FROM ",
            DatePart::Day => "extract(day FROM ",
            DatePart::Week => "extract(week FROM ",
            DatePart::Month => "extract(month FROM ",
            DatePart::Quarter => "extract(quarter FROM ",
            DatePart::Year => "extract(year FROM ",
            DatePart::DayOfWeek => "extract(dow FROM ",
            DatePart::Epoch => "extract(epoch FROM ",
        }
    }
}

impl std::fmt::Display for DatePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Timestamp types: what `date_trunc`, `date` and `extract` take.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a timestamp",
    label = "not a timestamp expression",
    note = "date functions apply to `DateTime<Utc>` (timestamptz) and `NaiveDateTime` (timestamp) expressions"
)]
pub trait Timestamp: ColumnType {}
impl Timestamp for DateTime<Utc> {}
impl Timestamp for Option<DateTime<Utc>> {}
impl Timestamp for chrono::NaiveDateTime {}
impl Timestamp for Option<chrono::NaiveDateTime> {}

/// `date_trunc('part', ts)`: the timestamp truncated to `part` (`Week` starts on Monday).
pub fn date_trunc<A: IntoExpr<M>, M>(part: DatePart, ts: A) -> Expr<A::Columns, A::Type>
where
    A::Type: Timestamp,
{
    Expr::new(call(vec![part.quoted(), ")"], vec![ts.into_node()]))
}

/// `ts::date`: the calendar date of a timestamp (a `timestamptz` in the session's time zone).
pub fn date<A: IntoExpr<M>, M>(ts: A) -> Expr<A::Columns, <A::Type as Nullability>::Lift<NaiveDate>>
where
    A::Type: Timestamp + Nullability,
{
    Expr::new(call(vec!["CAST(", " AS date)"], vec![ts.into_node()]))
}

/// `extract(part FROM ts)` as `f64`.
pub fn extract<A: IntoExpr<M>, M>(
    part: DatePart,
    ts: A,
) -> Expr<A::Columns, <A::Type as Nullability>::Lift<f64>>
where
    A::Type: Timestamp + Nullability,
{
    Expr::new(call(
        vec![part.extract(), ")::double precision"],
        vec![ts.into_node()],
    ))
}

/// `now()`: the start time of the current transaction.
pub fn now() -> Expr<NoColumns, DateTime<Utc>> {
    Expr::new(call(vec!["now()"], Vec::new()))
}

/// `CASE WHEN condition THEN value … [ELSE value] END`, started with its first branch.
///
/// The first branch's value fixes the type; each further branch takes a value, column or
/// expression of that type, up to `Option`. Without [`otherwise`](Case::otherwise) the result
/// is NULL when no branch matches, so [`end`](Case::end) is `Option<_>`.
pub fn case<C, V, M>(condition: Expr<C>, then: V) -> Case<Both<C, V::Columns>, V::Type>
where
    V: IntoExpr<M>,
{
    Case {
        branches: vec![condition.erase(), then.into_node()],
        _p: std::marker::PhantomData,
    }
}

/// A `CASE` expression being built by [`case`].
#[must_use = "finish the CASE with `otherwise(value)` or `end()`"]
pub struct Case<C, T> {
    branches: Vec<Node>,
    _p: std::marker::PhantomData<fn() -> (C, T)>,
}

impl<C, T: ColumnType> Case<C, T> {
    /// Another `WHEN condition THEN value`.
    pub fn when<D, V, M>(
        mut self,
        condition: Expr<D>,
        then: V,
    ) -> Case<Both<C, Both<D, V::Columns>>, <T as Unify<V::Type>>::Out>
    where
        V: Operand<T, M>,
        T: Unify<V::Type>,
    {
        self.branches.push(condition.erase());
        self.branches.push(then.into_node());
        Case {
            branches: self.branches,
            _p: std::marker::PhantomData,
        }
    }

    /// `ELSE value END`.
    pub fn otherwise<V, M>(
        mut self,
        value: V,
    ) -> Expr<Both<C, V::Columns>, <T as Unify<V::Type>>::Out>
    where
        V: Operand<T, M>,
        T: Unify<V::Type>,
    {
        self.branches.push(value.into_node());
        Expr::new(self.render(true))
    }

    /// `END` without `ELSE`: NULL when no branch matches.
    pub fn end(self) -> Expr<C, Option<T::Inner>> {
        Expr::new(self.render(false))
    }

    fn render(self, with_else: bool) -> Node {
        // WHEN c0 THEN v0 WHEN c1 THEN v1 … [ELSE e] END: one text part around each branch.
        let pairs = self.branches.len() / 2;
        let mut parts = Vec::with_capacity(self.branches.len() + 1);
        parts.push("CASE WHEN ");
        for i in 0..pairs {
            parts.push(" THEN ");
            if i + 1 < pairs {
                parts.push(" WHEN ");
            }
        }
        if with_else {
            parts.push(" ELSE ");
        }
        parts.push(" END");
        call(parts, self.branches)
    }
}

/// JSON operators of `jsonb` expressions.
impl<C> Expr<C, serde_json::Value> {
    /// `self -> key`: the member `key` as jsonb, NULL when absent.
    pub fn get(self, key: &str) -> Expr<C, Option<serde_json::Value>> {
        Expr::new(infix(self.erase(), " -> ", text(key)))
    }

    /// `self ->> key`: the member `key` as text, NULL when absent.
    pub fn get_text(self, key: &str) -> Expr<C, Option<String>> {
        Expr::new(infix(self.erase(), " ->> ", text(key)))
    }

    /// `self #> path`: the value at `path` as jsonb, NULL when absent.
    pub fn path(self, path: &[&str]) -> Expr<C, Option<serde_json::Value>> {
        Expr::new(infix(self.erase(), " #> ", texts(path)))
    }

    /// `self #>> path`: the value at `path` as text, NULL when absent.
    pub fn path_text(self, path: &[&str]) -> Expr<C, Option<String>> {
        Expr::new(infix(self.erase(), " #>> ", texts(path)))
    }

    /// `self @> value`: whether the document contains `value`.
    pub fn contains(self, value: serde_json::Value) -> Expr<C> {
        Expr::new(infix(self.erase(), " @> ", json(value)))
    }

    /// `self ? key`: whether `key` is a top-level member (or array string).
    pub fn has_key(self, key: &str) -> Expr<C> {
        Expr::new(infix(self.erase(), " ? ", text(key)))
    }

    /// `jsonb_set(self, path, value)`: the document with the value at `path` replaced
    /// (or added, when its parent exists).
    pub fn set_path(self, path: &[&str], value: serde_json::Value) -> Expr<C, serde_json::Value> {
        Expr::new(call(
            vec!["jsonb_set(", ", ", ", ", ")"],
            vec![self.erase(), texts(path), json(value)],
        ))
    }
}

fn text(value: &str) -> Node {
    Node::Bind {
        value: Arc::new(value.to_owned()),
        cast: Some(crate::meta::SqlType::named("text")),
    }
}

fn texts(values: &[&str]) -> Node {
    let owned: Vec<String> = values.iter().map(|v| (*v).to_owned()).collect();
    Node::Bind {
        value: Arc::new(owned),
        cast: Some(crate::meta::SqlType::named("text").array()),
    }
}

fn json(value: serde_json::Value) -> Node {
    Node::Bind {
        value: Arc::new(value),
        cast: Some(crate::meta::SqlType::named("jsonb")),
    }
}

/// Array operators of array expressions.
impl<C, E: crate::value::Element + Clone> Expr<C, Vec<E>> {
    /// `self @> values`: whether the array holds every one of `values`.
    pub fn contains_all(self, values: Vec<E>) -> Expr<C> {
        Expr::new(infix(
            self.erase(),
            " @> ",
            bind::<Vec<E>>(Arc::new(values)),
        ))
    }

    /// `self && values`: whether the array holds any of `values`.
    pub fn overlaps(self, values: Vec<E>) -> Expr<C> {
        Expr::new(infix(
            self.erase(),
            " && ",
            bind::<Vec<E>>(Arc::new(values)),
        ))
    }

    /// `array_length(self, 1)`: the number of elements, NULL for an empty array.
    pub fn array_length(self) -> Expr<C, Option<i32>> {
        Expr::new(call(vec!["array_length(", ", 1)"], vec![self.erase()]))
    }

    /// `value = ANY(self)`: whether the array holds `value`.
    pub fn has<V: Operand<E, M>, M>(self, value: V) -> Expr<Both<C, V::Columns>> {
        Expr::new(call(
            vec!["(", " = ANY(", "))"],
            vec![value.into_node(), self.erase()],
        ))
    }
}

/// A text-search document (`tsvector`), only ever an expression: build it with
/// [`to_tsvector`], match it with [`Expr::matches`].
pub enum TsVector {}
/// A text-search query (`tsquery`), only ever an expression: build it with [`plainto_tsquery`]
/// or [`websearch_to_tsquery`].
pub enum TsQuery {}

/// A text-search configuration (`regconfig`), written as a constant in the statement (escaped
/// as a string literal), so that an expression index on `to_tsvector('english', …)` serves the
/// query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextSearch(pub &'static str);

impl TextSearch {
    /// The `english` configuration (stemming, English stop words).
    pub const ENGLISH: TextSearch = TextSearch("english");
    /// The `simple` configuration (lower-cased words, no stemming).
    pub const SIMPLE: TextSearch = TextSearch("simple");

    fn node(self) -> Node {
        Node::Template {
            parts: vec!["", "::regconfig"],
            args: vec![Node::Text(self.0)],
        }
    }
}

/// A text-search expression: its columns `C` and whether it is a document or a query.
pub struct Search<C, K> {
    node: Node,
    _p: std::marker::PhantomData<fn() -> (C, K)>,
}

impl<C, K> Clone for Search<C, K> {
    fn clone(&self) -> Self {
        Search {
            node: self.node.clone(),
            _p: std::marker::PhantomData,
        }
    }
}

/// `to_tsvector(config, text)`: the document of `text`; NULL text is an empty document.
pub fn to_tsvector<A: IntoExpr<M>, M>(config: TextSearch, text: A) -> Search<A::Columns, TsVector>
where
    A::Type: TextType,
{
    Search {
        node: call(
            vec!["to_tsvector(", ", coalesce(", ", ''))"],
            vec![config.node(), text.into_node()],
        ),
        _p: std::marker::PhantomData,
    }
}

/// `plainto_tsquery(config, words)`: every word must match.
pub fn plainto_tsquery(config: TextSearch, words: &str) -> Search<NoColumns, TsQuery> {
    Search {
        node: call(
            vec!["plainto_tsquery(", ", ", ")"],
            vec![config.node(), text(words)],
        ),
        _p: std::marker::PhantomData,
    }
}

/// `websearch_to_tsquery(config, query)`: web-search syntax (`"quoted phrase"`, `or`, `-word`).
pub fn websearch_to_tsquery(config: TextSearch, query: &str) -> Search<NoColumns, TsQuery> {
    Search {
        node: call(
            vec!["websearch_to_tsquery(", ", ", ")"],
            vec![config.node(), text(query)],
        ),
        _p: std::marker::PhantomData,
    }
}

impl<C> Search<C, TsVector> {
    /// `document @@ query`.
    pub fn matches<D>(self, query: Search<D, TsQuery>) -> Expr<Both<C, D>> {
        Expr::new(infix(self.node, " @@ ", query.node))
    }

    /// `ts_rank(document, query)`: how well the document matches, as `f32`.
    pub fn rank<D>(self, query: Search<D, TsQuery>) -> Expr<Both<C, D>, f32> {
        Expr::new(call(
            vec!["ts_rank(", ", ", ")"],
            vec![self.node, query.node],
        ))
    }
}

/// `ts_headline(config, text, query)`: `text` with the matching words marked `<b>…</b>`.
pub fn ts_headline<A: IntoExpr<M>, M, D>(
    config: TextSearch,
    text: A,
    query: Search<D, TsQuery>,
) -> Expr<Both<A::Columns, D>, A::Type>
where
    A::Type: TextType,
{
    Expr::new(call(
        vec!["ts_headline(", ", ", ", ", ")"],
        vec![config.node(), text.into_node(), query.node],
    ))
}

/// The arguments of a declared function: a tuple of operands, each of the declared type (up to
/// `Option`) in `T`. `M` is inferred.
#[diagnostic::on_unimplemented(
    message = "the arguments `{Self}` do not match the declared parameter types `{T}`",
    note = "each argument is a value, a column or an expression of its parameter's type, up to `Option`"
)]
pub trait ArgsOf<T, M> {
    /// The columns the arguments read.
    type Columns;
    /// Their SQL, in order.
    #[doc(hidden)]
    fn into_nodes(self, out: &mut Vec<Node>);
}

/// The arguments of an SQL fragment: a tuple of columns, expressions or constants.
#[diagnostic::on_unimplemented(
    message = "`{Self}` are not arguments of an SQL fragment",
    note = "each argument is a column, an `Expr` or a constant value"
)]
pub trait FragmentArgs<M> {
    /// The columns the arguments read.
    type Columns;
    /// Their SQL, in order.
    #[doc(hidden)]
    fn into_nodes(self, out: &mut Vec<Node>);
}

impl ArgsOf<(), ()> for () {
    type Columns = NoColumns;
    fn into_nodes(self, _: &mut Vec<Node>) {}
}

impl FragmentArgs<()> for () {
    type Columns = NoColumns;
    fn into_nodes(self, _: &mut Vec<Node>) {}
}

macro_rules! tuple_args {
    ($($a:ident $t:ident $m:ident),+) => {
        impl<$($a, $t: ColumnType, $m),+> ArgsOf<($($t,)+), ($($m,)+)> for ($($a,)+)
        where
            $($a: Operand<$t, $m>),+
        {
            type Columns = tuple_args!(@op $($a $t $m),+);
            #[allow(non_snake_case)]
            fn into_nodes(self, out: &mut Vec<Node>) {
                let ($($a,)+) = self;
                $(out.push($a.into_node());)+
            }
        }

        impl<$($a, $m),+> FragmentArgs<($($m,)+)> for ($($a,)+)
        where
            $($a: IntoExpr<$m>),+
        {
            type Columns = tuple_args!(@ex $($a $m),+);
            #[allow(non_snake_case)]
            fn into_nodes(self, out: &mut Vec<Node>) {
                let ($($a,)+) = self;
                $(out.push($a.into_node());)+
            }
        }
    };
    (@op $a:ident $t:ident $m:ident) => { <$a as Operand<$t, $m>>::Columns };
    (@op $a:ident $t:ident $m:ident, $($rest:tt)+) => {
        Both<<$a as Operand<$t, $m>>::Columns, tuple_args!(@op $($rest)+)>
    };
    (@ex $a:ident $m:ident) => { <$a as IntoExpr<$m>>::Columns };
    (@ex $a:ident $m:ident, $($rest:tt)+) => {
        Both<<$a as IntoExpr<$m>>::Columns, tuple_args!(@ex $($rest)+)>
    };
}
tuple_args!(A1 T1 M1);
tuple_args!(A1 T1 M1, A2 T2 M2);
tuple_args!(A1 T1 M1, A2 T2 M2, A3 T3 M3);
tuple_args!(A1 T1 M1, A2 T2 M2, A3 T3 M3, A4 T4 M4);
tuple_args!(A1 T1 M1, A2 T2 M2, A3 T3 M3, A4 T4 M4, A5 T5 M5);
tuple_args!(A1 T1 M1, A2 T2 M2, A3 T3 M3, A4 T4 M4, A5 T5 M5, A6 T6 M6);

/// A call of the declared function `open…)` with `args` (what [`sql_fn!`](crate::sql_fn)
/// expands to).
#[doc(hidden)]
pub fn __call<R, T, M, A: ArgsOf<T, M>>(open: &'static str, args: A) -> Expr<A::Columns, R> {
    let mut nodes = Vec::new();
    args.into_nodes(&mut nodes);
    let mut parts = Vec::with_capacity(nodes.len() + 1);
    parts.push(open);
    parts.extend(std::iter::repeat_n(", ", nodes.len().saturating_sub(1)));
    parts.push(")");
    Expr::new(call(parts, nodes))
}

/// Builds a fragment from its text and arguments (what [`sql!`](crate::sql) expands to).
#[doc(hidden)]
pub fn __fragment<T, M, A: FragmentArgs<M>>(text: &'static str, args: A) -> Expr<A::Columns, T> {
    let mut nodes = Vec::new();
    args.into_nodes(&mut nodes);
    Expr::new(call(text.split("{}").collect(), nodes))
}

/// The number of `{}` placeholders in an SQL fragment, at compile time.
#[doc(hidden)]
pub const fn __placeholders(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut n = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'{' && bytes[i + 1] == b'}' {
            n += 1;
            i += 2;
        } else {
            i += 1;
        }
    }
    n
}

/// Whether an SQL fragment contains a `$` (a placeholder written by hand), a `'` (a string
/// literal) or a `;` (a second statement): values belong in arguments, where they are bound.
#[doc(hidden)]
pub const fn __has_inline_value(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' || bytes[i] == b'\'' || bytes[i] == b';' {
            return true;
        }
        i += 1;
    }
    false
}

/// Declares SQL functions the engine does not know — an extension's, or one of the database's
/// own — as typed Rust functions returning an [`Expr`].
///
/// Each argument is declared with its Rust type and takes a value, a column or an expression of
/// that type (up to `Option`); the declared return type is the expression's (write `Option<_>`
/// when the function may return NULL). The name is quoted as an identifier; a schema may
/// prefix it (`vault.create_secret`).
///
/// ```
/// buster_db::sql_fn! {
///     /// `similarity(a, b)` of the `pg_trgm` extension: how alike two strings are, 0 to 1.
///     pub fn similarity(a: String, b: String) -> f32;
///     /// `vault.create_secret(secret)`, returning the new secret's id.
///     pub fn vault.create_secret(secret: String) -> uuid::Uuid;
/// }
/// let e = similarity("kitten", "sitting");
/// # let _ = e;
/// ```
#[macro_export]
macro_rules! sql_fn {
    ($(
        $(#[$meta:meta])*
        $vis:vis fn $first:ident $(. $second:ident)? ( $($arg:ident : $ty:ty),* $(,)? ) -> $ret:ty;
    )*) => {$(
        $crate::sql_fn!(@one [$(#[$meta])*] [$vis] [$first $(. $second)?] [$($arg : $ty),*] [$ret]);
    )*};
    (@one [$($meta:tt)*] [$vis:vis] [$name:ident] [$($arg:ident : $ty:ty),*] [$ret:ty]) => {
        $crate::sql_fn!(@emit [$($meta)*] [$vis] $name
            [concat!("\"", stringify!($name), "\"(")] [$($arg : $ty),*] [$ret]);
    };
    (@one [$($meta:tt)*] [$vis:vis] [$schema:ident . $name:ident] [$($arg:ident : $ty:ty),*] [$ret:ty]) => {
        $crate::sql_fn!(@emit [$($meta)*] [$vis] $name
            [concat!("\"", stringify!($schema), "\".\"", stringify!($name), "\"(")]
            [$($arg : $ty),*] [$ret]);
    };
    (@emit [$($meta:tt)*] [$vis:vis] $name:ident [$open:expr] [$($arg:ident : $ty:ty),*] [$ret:ty]) => {
        $($meta)*
        #[allow(non_camel_case_types, clippy::too_many_arguments)]
        // The columns read are a parameter equal to the arguments' rather than a path through
        // `ArgsOf`, so that an argument of the wrong type is reported once, at the argument.
        $vis fn $name<$($arg,)* __M, __C>(
            $($arg: $arg),*
        ) -> $crate::Expr<__C, $ret>
        where
            ($($arg,)*): $crate::expr::ArgsOf<($($ty,)*), __M, Columns = __C>,
        {
            $crate::expr::__call::<$ret, ($($ty,)*), __M, _>($open, ($($arg,)*))
        }
    };
}

/// A typed SQL fragment: SQL text written in the code, with `{}` for each argument, and the
/// Rust type of its value. Arguments are columns, expressions or constants; constants are bound
/// as parameters, columns are written as quoted identifiers.
///
/// The text must be a string literal, and may contain no `$` placeholder, no `'…'` literal and
/// no `;`: a value can only enter through an argument, where it is bound. The number of `{}`
/// must match the arguments. Each of these is a compile error.
///
/// ```
/// use buster_db::expr::lit;
/// let words = buster_db::sql!(i32; "array_length(regexp_split_to_array({}, {}), 1)", lit("a b c"), r"\s+");
/// # let _ = words;
/// ```
#[macro_export]
macro_rules! sql {
    ($ty:ty; $text:literal $(, $arg:expr)* $(,)?) => {{
        const _: () = {
            ::core::assert!(
                $crate::expr::__placeholders($text) == <[()]>::len(&[$($crate::sql!(@unit $arg)),*]),
                "the SQL fragment's `{{}}` placeholders and its arguments differ in number"
            );
            ::core::assert!(
                !$crate::expr::__has_inline_value($text),
                "an SQL fragment may not contain `$`, `'` or `;`: pass values as arguments, which are bound as parameters"
            );
        };
        $crate::expr::__fragment::<$ty, _, _>($text, ($($arg,)*))
    }};
    (@unit $arg:expr) => { () };
}

/// One column type of a table: the unit struct, its `Clone`, `Copy`, `Column` and `Columns`
/// impls; emitted by `#[derive(Table)]` for each column. Written here, the items are spelled out
/// by the compiler's own macro expander instead of being built token by token by the derive.
/// The field's name is given as its letters (`[e m a i l]`, types of `letters`), or as a whole
/// type (`field = ..`) when it has a character outside `[A-Za-z0-9_]`.
#[doc(hidden)]
#[macro_export]
macro_rules! __column {
    (
        $(#[$attr:meta])* $vis:vis $col:ident of $table:path,
        value = $value:ty, letters = [$($l:ident)*], references = $refs:ty, name = $name:literal
    ) => {
        $crate::__column!(
            $(#[$attr])* $vis $col of $table,
            value = $value,
            field = $crate::__private::Name<($($crate::__private::letters::$l,)*)>,
            references = $refs,
            name = $name
        );
    };
    (
        $(#[$attr:meta])* $vis:vis $col:ident of $table:path,
        value = $value:ty, field = $field:ty, references = $refs:ty, name = $name:literal
    ) => {
        $(#[$attr])*
        #[allow(non_camel_case_types)]
        $vis struct $col;

        // Written out: `derive(Clone, Copy)` adds a third, internal impl.
        #[automatically_derived]
        impl ::core::clone::Clone for $col {
            #[inline]
            fn clone(&self) -> Self {
                *self
            }
        }
        #[automatically_derived]
        impl ::core::marker::Copy for $col {}

        #[automatically_derived]
        impl $crate::__private::Column for $col {
            type Table = $table;
            type Value = $value;
            type Field = $field;
            type References = $refs;
            const NAME: &'static str = $name;
        }

        $crate::__column_columns!($col);
    };
}

/// The `Columns` impl of one column type; emitted by `#[derive(Table)]` for each column.
#[doc(hidden)]
#[macro_export]
macro_rules! __column_columns {
    ($col:ty) => {
        // One impl per column type rather than a blanket one over every column: a compound
        // condition (`Both<..>`, an aggregate's, a subquery's) then has one impl to be checked
        // through, and a message names the column outside the query, not the compound.
        #[automatically_derived]
        #[diagnostic::do_not_recommend]
        impl<S, I> $crate::expr::Columns<S, I> for $col where
            <$col as $crate::expr::ColumnRef>::Source: $crate::expr::InSource<S, I>
        {
        }
    };
}

/// `+ - * /` with a value on the right of a column (`Counter::n + 1`); emitted by
/// `#[derive(Table)]` for each column of a numeric type, with that number type (`i32` for an
/// `Option<i32>` column) and the column's own value type (written out, so the compiler has no
/// projection to normalize in each impl).
#[doc(hidden)]
#[macro_export]
macro_rules! __column_ops {
    ($col:ty, $num:ty, $value:ty) => {
        $crate::__column_ops!(@op $col, $num, $value, Add add " + ");
        $crate::__column_ops!(@op $col, $num, $value, Sub sub " - ");
        $crate::__column_ops!(@op $col, $num, $value, Mul mul " * ");
        $crate::__column_ops!(@op $col, $num, $value, Div div " / ");
    };
    // Not generic over the value: an impl without parameters is checked once, where one with a
    // bound is checked, and laid out, in its own environment. A literal takes the column's type.
    (@op $col:ty, $num:ty, $value:ty, $tr:ident $method:ident $sql:literal) => {
        #[automatically_derived]
        impl ::core::ops::$tr<$num> for $col {
            type Output = $crate::Expr<$col, $value>;
            // `__rhs`, as the derive names its locals: a parameter may not be named like a unit
            // struct in scope, and every column is one (`rhs` would clash with a column `rhs`).
            #[inline]
            fn $method(self, __rhs: $num) -> Self::Output {
                $crate::expr::column_arithmetic::<$col>(__rhs, $sql)
            }
        }
    };
}

/// `column op value`, for the operator impls of numeric columns.
#[doc(hidden)]
pub fn column_arithmetic<C>(
    value: <C::Value as ColumnType>::Inner,
    op: &'static str,
) -> Expr<C, C::Value>
where
    C: ColumnRef,
{
    Expr::new(infix(
        column_node::<C>(),
        op,
        bind::<<C::Value as ColumnType>::Inner>(Arc::new(value)),
    ))
}

macro_rules! expr_ops {
    ($($tr:ident $method:ident $sql:literal),*) => {$(
        impl<C, T: ColumnType, V> std::ops::$tr<V> for Expr<C, T>
        where
            V: crate::value::IntoSql<T::Inner>,
            T::Inner: super::value::Numeric,
        {
            type Output = Expr<C, T>;
            fn $method(self, value: V) -> Expr<C, T> {
                Expr::new(infix(
                    self.erase(),
                    $sql,
                    bind::<T::Inner>(Arc::new(value.into_sql())),
                ))
            }
        }
    )*};
}
expr_ops!(Add add " + ", Sub sub " - ", Mul mul " * ", Div div " / ");

/// Declares binary operators the engine does not know — an extension's, such as `pg_trgm`'s
/// `<->` (distance) and `%` (similar), or a vector type's `<=>` — as typed Rust functions
/// returning an [`Expr`]. The operator must be made of operator characters only
/// (`+ - * / < > = ~ ! @ # % ^ & | ` ?`), which is checked at compile time.
///
/// ```
/// buster_db::sql_operator! {
///     /// `a <-> b` of `pg_trgm`: how far apart two strings are, 0 to 1.
///     pub fn trigram_distance(a: String, b: String) -> f32 = "<->";
/// }
/// let e = trigram_distance("kitten", "sitting");
/// # let _ = e;
/// ```
#[macro_export]
macro_rules! sql_operator {
    ($(
        $(#[$meta:meta])*
        $vis:vis fn $name:ident ( $a:ident : $ta:ty, $b:ident : $tb:ty $(,)? ) -> $ret:ty = $op:literal;
    )*) => {$(
        $(#[$meta])*
        #[allow(non_camel_case_types)]
        $vis fn $name<$a, $b, __M>(
            $a: $a,
            $b: $b,
        ) -> $crate::Expr<<($a, $b) as $crate::expr::ArgsOf<($ta, $tb), __M>>::Columns, $ret>
        where
            ($a, $b): $crate::expr::ArgsOf<($ta, $tb), __M>,
        {
            const _: () = ::core::assert!(
                $crate::expr::__is_operator($op),
                "an operator is made of the characters + - * / < > = ~ ! @ # % ^ & | ` ? only"
            );
            $crate::expr::__operator::<$ret, ($ta, $tb), __M, _>(
                ::core::concat!(" ", $op, " "),
                ($a, $b),
            )
        }
    )*};
}

/// Whether `op` is a PostgreSQL operator name: 1 to 63 operator characters.
#[doc(hidden)]
pub const fn __is_operator(op: &str) -> bool {
    let bytes = op.as_bytes();
    if bytes.is_empty() || bytes.len() > 63 {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' | b'-' | b'*' | b'/' | b'<' | b'>' | b'=' | b'~' | b'!' | b'@' | b'#' | b'%'
            | b'^' | b'&' | b'|' | b'`' | b'?' => {}
            _ => return false,
        }
        // `--` and `/*` would start a comment.
        if i + 1 < bytes.len()
            && ((bytes[i] == b'-' && bytes[i + 1] == b'-')
                || (bytes[i] == b'/' && bytes[i + 1] == b'*'))
        {
            return false;
        }
        i += 1;
    }
    true
}

/// `(a op b)` with the checked arguments (what [`sql_operator!`](crate::sql_operator) expands to).
#[doc(hidden)]
pub fn __operator<R, T, M, A: ArgsOf<T, M>>(op: &'static str, args: A) -> Expr<A::Columns, R> {
    let mut nodes = Vec::new();
    args.into_nodes(&mut nodes);
    Expr::new(call(vec!["(", op, ")"], nodes))
}
