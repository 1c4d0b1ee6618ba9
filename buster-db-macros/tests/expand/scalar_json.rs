// A serde type stored as jsonb, with no `Json<T>` around it in the table.
#[derive(Scalar)]
#[scalar(json)]
pub struct Preferences {
    pub theme: String,
    pub digest: bool,
}
// ---- expansion (generated; UPDATE_SNAPSHOTS=1 rewrites it) ----

const _: () = {
    #[automatically_derived]
    #[diagnostic::do_not_recommend]
    impl ::buster_db::__private::Scalar for Preferences {
        const SQL_TYPE: ::buster_db::__private::SqlType = ::buster_db::__private::SqlType::named(
            "jsonb",
        );
    }
    #[automatically_derived]
    impl ::buster_db::__private::Element for Preferences {}
    #[automatically_derived]
    impl ::buster_db::__private::ToSql for Preferences {
        fn to_sql(
            &self,
            ty: &::buster_db::__private::Type,
            out: &mut ::buster_db::__private::BytesMut,
        ) -> ::core::result::Result<
            ::buster_db::__private::IsNull,
            ::buster_db::__private::BoxError,
        > {
            ::buster_db::__private::ToSql::to_sql(
                &::buster_db::__private::Json(self),
                ty,
                out,
            )
        }
        fn accepts(ty: &::buster_db::__private::Type) -> bool {
            <::buster_db::__private::Json<
                Self,
            > as ::buster_db::__private::ToSql>::accepts(ty)
        }
        ::buster_db::__private::to_sql_checked!();
    }
    #[automatically_derived]
    impl<'__a> ::buster_db::__private::FromSql<'__a> for Preferences {
        fn from_sql(
            ty: &::buster_db::__private::Type,
            raw: &'__a [u8],
        ) -> ::core::result::Result<Self, ::buster_db::__private::BoxError> {
            <::buster_db::__private::Json<
                Self,
            > as ::buster_db::__private::FromSql<'__a>>::from_sql(ty, raw)
                .map(|__json| __json.0)
        }
        fn accepts(ty: &::buster_db::__private::Type) -> bool {
            <::buster_db::__private::Json<
                Self,
            > as ::buster_db::__private::FromSql<'__a>>::accepts(ty)
        }
    }
};
