//! The per-row work of a derived table — decoding a row, the values of an insert, the arrays of a
//! batch, the `SET` list of a patch — written once, over a table's columns as a list of column
//! types nested in pairs: `(users::id, (users::email, ()))`.
//!
//! The derive emits one call per method with the list and the fields in the same nesting. The
//! compiler then checks one call per method and table instead of one per column, and the code
//! that does the work is generic, compiled where a table's statements run.

use std::marker::PhantomData;
use std::mem::ManuallyDrop;

use postgres_types::{FromSql, ToSql};

use crate::__private::conversion_error;
use crate::types::Row;
use crate::{Column, Error, ErrorKind};

// The derive passes each column's own type (`users::email`) rather than its field type: the
// field type must be a column type in one place only, the `Column` impl, so an unsupported type
// is one error at the field instead of one per use.

/// The first error of a row's columns, while a row is decoded.
///
/// It has no drop glue: a decoded row ends with none, and then dropping it is no code at all
/// (an `Option<Error>` is checked and dropped once per row). A row with an error always ends in
/// [`decode`]'s error path, which takes it.
pub struct Failed(ManuallyDrop<Option<Error>>);

impl Failed {
    /// No error yet.
    #[inline]
    const fn none() -> Failed {
        Failed(ManuallyDrop::new(None))
    }

    /// The error of a row whose columns could not all be decoded: the first column's.
    fn into_error(self) -> Error {
        ManuallyDrop::into_inner(self.0)
            .unwrap_or_else(|| Error::new(ErrorKind::Conversion, "a column could not be decoded"))
    }
}

/// Reads position `idx` of `row` as the value of column `C`; `None` when it cannot be decoded,
/// or when an earlier column of the row could not (`failed` holds the first error).
#[inline]
fn column<C: Column>(row: &Row, idx: usize, failed: &mut Failed) -> Option<C::Value> {
    // The work is done once per value type, not once per column.
    read(row, idx, C::NAME, failed)
}

#[inline]
fn read<T: for<'r> FromSql<'r>>(
    row: &Row,
    idx: usize,
    column: &str,
    failed: &mut Failed,
) -> Option<T> {
    if failed.0.is_some() {
        return None;
    }
    match row.try_get(idx) {
        Ok(value) => Some(value),
        Err(err) => {
            // Only the first error is kept, so the slot is empty here.
            failed.0 = ManuallyDrop::new(Some(conversion_error(&err, column)));
            None
        }
    }
}

/// An insert shape's column with an SQL default: its field is an `Option`, and `None` leaves the
/// column to its default.
pub struct Defaulted<C>(PhantomData<C>);

/// The columns of a row, read from consecutive positions.
pub trait Decode {
    /// The values, nested as the columns are.
    type Out;

    /// Reads the columns from position `idx` on; `None` when one cannot be decoded, or when an
    /// earlier column of the row could not (`failed` holds the first error).
    fn read(row: &Row, idx: usize, failed: &mut Failed) -> Option<Self::Out>;
}

impl Decode for () {
    type Out = ();

    #[inline]
    fn read(_: &Row, _: usize, _: &mut Failed) -> Option<()> {
        Some(())
    }
}

impl<C: Column, T: Decode> Decode for (C, T) {
    type Out = (C::Value, T::Out);

    #[inline]
    fn read(row: &Row, idx: usize, failed: &mut Failed) -> Option<Self::Out> {
        // Every column is read, the first failure kept: no early return in the middle of a row.
        let head = column::<C>(row, idx, failed);
        let tail = T::read(row, idx + 1, failed);
        match (head, tail) {
            (Some(head), Some(tail)) => Some((head, tail)),
            _ => None,
        }
    }
}

/// The values of one row to insert, by reference: `R` nests the fields as the list nests the
/// columns.
pub trait Values<'a, R> {
    /// Appends each value, `None` for a column left to its default.
    fn push(fields: R, out: &mut Vec<Option<&'a (dyn ToSql + Sync)>>);
}

impl<'a> Values<'a, ()> for () {
    #[inline]
    fn push(_: (), _: &mut Vec<Option<&'a (dyn ToSql + Sync)>>) {}
}

impl<'a, C: Column, T: Values<'a, R>, R> Values<'a, (&'a C::Value, R)> for (C, T) {
    #[inline]
    fn push((head, tail): (&'a C::Value, R), out: &mut Vec<Option<&'a (dyn ToSql + Sync)>>) {
        out.push(Some(head));
        T::push(tail, out);
    }
}

impl<'a, C: Column, T: Values<'a, R>, R> Values<'a, (&'a Option<C::Value>, R)>
    for (Defaulted<C>, T)
{
    #[inline]
    fn push(
        (head, tail): (&'a Option<C::Value>, R),
        out: &mut Vec<Option<&'a (dyn ToSql + Sync)>>,
    ) {
        out.push(head.as_ref().map(|v| v as &(dyn ToSql + Sync)));
        T::push(tail, out);
    }
}

/// The columns of a batch as one array each (`UNNEST`): `R` is one row's fields, owned and
/// nested as the list nests the columns.
pub trait Arrays<R> {
    /// The arrays being filled, nested as the columns are.
    type Builders;

    /// Empty arrays with room for `n` rows.
    fn with_capacity(n: usize) -> Self::Builders;

    /// Appends one row's values.
    fn push(arrays: &mut Self::Builders, fields: R);

    /// Appends the arrays, in column order, as parameters.
    fn finish(arrays: Self::Builders, out: &mut Vec<Box<dyn ToSql + Send + Sync>>);
}

impl Arrays<()> for () {
    type Builders = ();

    #[inline]
    fn with_capacity(_: usize) {}

    #[inline]
    fn push(_: &mut (), _: ()) {}

    #[inline]
    fn finish(_: (), _: &mut Vec<Box<dyn ToSql + Send + Sync>>) {}
}

/// The `Arrays` impl of a column kind: a plain column's array holds its values, a defaulted
/// column's its `Option`s (`None` → the default).
macro_rules! column_arrays {
    ($($kind:ty => $value:ty),* $(,)?) => {$(
        impl<C: Column, T: Arrays<R>, R> Arrays<($value, R)> for ($kind, T) {
            type Builders = (Vec<$value>, T::Builders);

            #[inline]
            fn with_capacity(n: usize) -> Self::Builders {
                (Vec::with_capacity(n), T::with_capacity(n))
            }

            #[inline]
            fn push(arrays: &mut Self::Builders, (head, tail): ($value, R)) {
                arrays.0.push(head);
                T::push(&mut arrays.1, tail);
            }

            #[inline]
            fn finish((head, tail): Self::Builders, out: &mut Vec<Box<dyn ToSql + Send + Sync>>) {
                out.push(boxed(head));
                T::finish(tail, out);
            }
        }
    )*};
}

column_arrays! {
    C => C::Value,
    Defaulted<C> => Option<C::Value>,
}

/// A parameter, boxed: once per value type, not once per column.
fn boxed<V: ToSql + Send + Sync + 'static>(value: V) -> Box<dyn ToSql + Send + Sync> {
    Box::new(value)
}

/// The columns a patch sets: `R` nests the patch's `Option` fields, by reference, as the list
/// nests the columns.
pub trait Sets<'a, R> {
    /// Appends `(column name, value)` for each field that is `Some`.
    fn push(fields: R, out: &mut Vec<(&'static str, &'a (dyn ToSql + Sync))>);
}

impl<'a> Sets<'a, ()> for () {
    #[inline]
    fn push(_: (), _: &mut Vec<(&'static str, &'a (dyn ToSql + Sync))>) {}
}

impl<'a, C: Column, T: Sets<'a, R>, R> Sets<'a, (&'a Option<C::Value>, R)> for (C, T) {
    #[inline]
    fn push(
        (head, tail): (&'a Option<C::Value>, R),
        out: &mut Vec<(&'static str, &'a (dyn ToSql + Sync))>,
    ) {
        if let Some(value) = head {
            out.push((C::NAME, value));
        }
        T::push(tail, out);
    }
}

/// Decodes the columns `L` of `row` from position `offset` on.
#[inline]
pub fn decode<L: Decode>(row: &Row, offset: usize) -> crate::Result<L::Out> {
    let mut failed = Failed::none();
    match L::read(row, offset, &mut failed) {
        Some(out) => Ok(out),
        None => Err(failed.into_error()),
    }
}

/// Appends the values of one row to insert.
#[inline]
pub fn values<'a, L: Values<'a, R>, R>(fields: R, out: &mut Vec<Option<&'a (dyn ToSql + Sync)>>) {
    L::push(fields, out);
}

/// The arrays of a batch, one per column of `L`; `split` takes a row apart into its fields.
#[inline]
pub fn arrays<L: Arrays<R>, N, R>(
    rows: Vec<N>,
    split: impl Fn(N) -> R,
) -> Vec<Box<dyn ToSql + Send + Sync>> {
    let mut arrays = L::with_capacity(rows.len());
    for row in rows {
        L::push(&mut arrays, split(row));
    }
    let mut out = Vec::new();
    L::finish(arrays, &mut out);
    out
}

/// Appends the columns a patch sets.
#[inline]
pub fn sets<'a, L: Sets<'a, R>, R>(
    fields: R,
    out: &mut Vec<(&'static str, &'a (dyn ToSql + Sync))>,
) {
    L::push(fields, out);
}
