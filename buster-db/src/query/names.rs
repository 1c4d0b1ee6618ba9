//! Names at the type level: how a record's fields are matched with the selected columns.
//!
//! The derives write a name as a tuple of its characters, `Name<(e, m, a, i, l)>` (the types of
//! [`letters`]; another character is a [`Ch`]): each column type carries the name of its Rust
//! field, each `#[derive(Record)]` the names of its fields, and reading a projection into a
//! record requires the two to agree position by position, so `columns((User::email, User::name)).all_as::<Contact>()` with
//! `Contact { name, email }` does not compile instead of swapping the two strings.

use std::marker::PhantomData;

/// One character of a name that [`letters`] has no type for.
#[doc(hidden)]
pub struct Ch<const C: char>;

/// The characters of names, one type each: `a`–`z`, `A`–`Z`, `_0`–`_9`, and `__` for `_`. A
/// type is named where a constant argument (`Ch<'a'>`) would be one more item for the compiler
/// to check.
#[doc(hidden)]
#[allow(non_camel_case_types)]
pub mod letters {
    macro_rules! letters {
        ($($l:ident)*) => {
            $(
                #[doc = concat!("The character `", stringify!($l), "` of a name.")]
                pub struct $l;
            )*
        };
    }
    letters!(a b c d e f g h i j k l m n o p q r s t u v w x y z);
    letters!(A B C D E F G H I J K L M N O P Q R S T U V W X Y Z);
    letters!(_0 _1 _2 _3 _4 _5 _6 _7 _8 _9);
    /// The character `_` of a name.
    pub struct __;
}

/// A name, as the tuple of its characters.
#[doc(hidden)]
pub struct Name<L>(PhantomData<fn() -> L>);

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
impl<L> FieldName<Name<L>> for Name<L> {}

#[diagnostic::do_not_recommend]
impl<L> FieldName<Name<L>> for Unnamed {}

/// The names of the selected items (`Self`) against a record's field names `N`: one name, or a
/// tuple of them, each accepted by [`FieldName`].
#[diagnostic::on_unimplemented(
    message = "the record's fields are not named as the selected columns, in order",
    label = "a field is not named as the column selected at its place",
    note = "a record is read by position, and each field must carry the name of the column selected at its place: `columns((User::email, User::name))` reads into `struct Contact {{ email: String, name: String }}`; reorder the fields or the columns"
)]
pub trait NamesMatch<N> {}

#[diagnostic::do_not_recommend]
impl<L, F: FieldName<Name<L>>> NamesMatch<Name<L>> for F {}

macro_rules! tuple_names {
    ($($f:ident $n:ident),+) => {
        #[diagnostic::do_not_recommend]
        impl<$($f, $n),+> NamesMatch<($($n,)+)> for ($($f,)+) where $($f: FieldName<$n>),+ {}
    };
}
tuple_names!(F1 N1);
tuple_names!(F1 N1, F2 N2);
tuple_names!(F1 N1, F2 N2, F3 N3);
tuple_names!(F1 N1, F2 N2, F3 N3, F4 N4);
tuple_names!(F1 N1, F2 N2, F3 N3, F4 N4, F5 N5);
tuple_names!(F1 N1, F2 N2, F3 N3, F4 N4, F5 N5, F6 N6);
tuple_names!(F1 N1, F2 N2, F3 N3, F4 N4, F5 N5, F6 N6, F7 N7);
tuple_names!(F1 N1, F2 N2, F3 N3, F4 N4, F5 N5, F6 N6, F7 N7, F8 N8);
