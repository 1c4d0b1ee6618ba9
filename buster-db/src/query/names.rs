//! Names at the type level: how a record's fields are matched with the selected columns.
//!
//! The derives write a name as a list of characters, `(Ch<'e'>, (Ch<'m'>, … ()))`: each column
//! type carries the name of its Rust field, each `#[derive(Record)]` the names of its fields,
//! and reading a projection into a record requires the two lists to agree position by position,
//! so `columns((User::email, User::name)).all_as::<Contact>()` with `Contact { name, email }`
//! does not compile instead of swapping the two strings.

/// One character of a name.
#[doc(hidden)]
pub struct Ch<const C: char>;

/// The name of a selected item that has none of its own (an aggregate, a whole table): any
/// record field may take it.
pub struct Unnamed;

/// A selected item's name that a record field named `N` accepts: the same name, or
/// [`Unnamed`].
#[diagnostic::on_unimplemented(
    message = "a field of the record is not named as the column selected at its place",
    label = "the record's fields and the selected columns differ in name or order",
    note = "a record is read by position, and each field must carry the name of the column selected at its place: `columns((User::email, User::name))` reads into `struct Contact {{ email: String, name: String }}`; reorder the fields or the columns"
)]
pub trait FieldName<N> {}

#[diagnostic::do_not_recommend]
impl<H, T> FieldName<(H, T)> for (H, T) {}

#[diagnostic::do_not_recommend]
impl<H, T> FieldName<(H, T)> for Unnamed {}
