// `#[derive(Record)]` on a struct read from a two-column selection. The input is read by
// `record::tests::expansion` in `src/record/mod.rs`; everything below the marker is what the
// derive emits for it.

#[derive(Record)]
pub struct UserEmail {
    pub id: Uuid,
    pub email: String,
}

// ---- expansion (generated; UPDATE_SNAPSHOTS=1 rewrites it) ----

#[automatically_derived]
impl ::buster_db::__private::FromColumns<(Uuid, String)> for UserEmail {
    type Names = (
        ::buster_db::__private::Name<
            (::buster_db::__private::letters::i, ::buster_db::__private::letters::d),
        >,
        ::buster_db::__private::Name<
            (
                ::buster_db::__private::letters::e,
                ::buster_db::__private::letters::m,
                ::buster_db::__private::letters::a,
                ::buster_db::__private::letters::i,
                ::buster_db::__private::letters::l,
            ),
        >,
    );
    fn from_columns(__t: (Uuid, String)) -> Self {
        UserEmail {
            id: __t.0,
            email: __t.1,
        }
    }
}
#[automatically_derived]
impl ::buster_db::__private::RawRow for UserEmail {
    type Values = (Uuid, String);
    const NAMES: ::core::option::Option<&'static [&'static str]> = ::core::option::Option::Some(
        &["id", "email"],
    );
    fn from_values(__t: (Uuid, String)) -> Self {
        <Self as ::buster_db::__private::FromColumns<(Uuid, String)>>::from_columns(__t)
    }
}
