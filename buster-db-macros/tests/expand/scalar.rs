// A newtype over a column type: `UserId` is stored as `uuid` and compares only with itself.
#[derive(Scalar)]
pub struct UserId(Uuid);
// ---- expansion (generated; UPDATE_SNAPSHOTS=1 rewrites it) ----

const _: () = {
    #[automatically_derived]
    #[diagnostic::do_not_recommend]
    impl ::buster_db::__private::Scalar for UserId {
        const SQL_TYPE: ::buster_db::__private::SqlType = <Uuid as ::buster_db::__private::Scalar>::SQL_TYPE;
    }
    #[automatically_derived]
    impl ::buster_db::__private::Element for UserId
    where
        for<'__a> Uuid: ::buster_db::__private::Element,
    {}
    #[automatically_derived]
    impl ::buster_db::__private::ToSql for UserId {
        fn to_sql(
            &self,
            ty: &::buster_db::__private::Type,
            out: &mut ::buster_db::__private::BytesMut,
        ) -> ::core::result::Result<
            ::buster_db::__private::IsNull,
            ::buster_db::__private::BoxError,
        > {
            ::buster_db::__private::ToSql::to_sql(&self.0, ty, out)
        }
        fn accepts(ty: &::buster_db::__private::Type) -> bool {
            <Uuid as ::buster_db::__private::ToSql>::accepts(ty)
        }
        ::buster_db::__private::to_sql_checked!();
    }
    #[automatically_derived]
    impl<'__a> ::buster_db::__private::FromSql<'__a> for UserId {
        fn from_sql(
            ty: &::buster_db::__private::Type,
            raw: &'__a [u8],
        ) -> ::core::result::Result<Self, ::buster_db::__private::BoxError> {
            <Uuid as ::buster_db::__private::FromSql<'__a>>::from_sql(ty, raw)
                .map(UserId)
        }
        fn accepts(ty: &::buster_db::__private::Type) -> bool {
            <Uuid as ::buster_db::__private::FromSql<'__a>>::accepts(ty)
        }
    }
};
