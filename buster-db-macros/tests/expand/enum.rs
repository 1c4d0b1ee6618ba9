// `#[derive(Enum)]` with labels from `rename_all` and from a variant's `rename`. The input is
// read by `pg_enum::tests::expansion` in `src/pg_enum/mod.rs`; everything below the marker is
// what the derive emits for it.

#[derive(Enum)]
#[pg_enum(name = "user_role", rename_all = "snake_case")]
pub enum Role {
    SuperAdmin,
    #[pg_enum(rename = "member")]
    Viewer,
}

// ---- expansion (generated; UPDATE_SNAPSHOTS=1 rewrites it) ----

const _: () = {
    static __META: ::buster_db::__private::EnumMeta = ::buster_db::__private::EnumMeta {
        name: "user_role",
        labels: &["super_admin", "member"],
    };
    #[automatically_derived]
    impl ::buster_db::__private::Enum for Role {
        const META: &'static ::buster_db::__private::EnumMeta = &__META;
        fn label(&self) -> &'static str {
            match self {
                Role::SuperAdmin => "super_admin",
                Role::Viewer => "member",
            }
        }
    }
    #[automatically_derived]
    #[diagnostic::do_not_recommend]
    impl ::buster_db::__private::Scalar for Role {
        const SQL_TYPE: ::buster_db::__private::SqlType = ::buster_db::__private::SqlType::enumeration(
            &__META,
        );
    }
    #[automatically_derived]
    impl ::buster_db::__private::Element for Role {}
    #[automatically_derived]
    impl ::buster_db::__private::ToSql for Role {
        fn to_sql(
            &self,
            _ty: &::buster_db::__private::Type,
            out: &mut ::buster_db::__private::BytesMut,
        ) -> ::core::result::Result<
            ::buster_db::__private::IsNull,
            ::buster_db::__private::BoxError,
        > {
            ::buster_db::__private::enum_to_sql(
                ::buster_db::__private::Enum::label(self),
                out,
            )
        }
        fn accepts(ty: &::buster_db::__private::Type) -> bool {
            ::buster_db::__private::enum_accepts(ty, "user_role")
        }
        ::buster_db::__private::to_sql_checked!();
    }
    #[automatically_derived]
    impl<'__a> ::buster_db::__private::FromSql<'__a> for Role {
        fn from_sql(
            _ty: &::buster_db::__private::Type,
            raw: &'__a [u8],
        ) -> ::core::result::Result<Self, ::buster_db::__private::BoxError> {
            match ::buster_db::__private::enum_label(raw, "user_role")? {
                "super_admin" => ::core::result::Result::Ok(Role::SuperAdmin),
                "member" => ::core::result::Result::Ok(Role::Viewer),
                __other => {
                    ::core::result::Result::Err(
                        ::buster_db::__private::unknown_label(__other, "user_role"),
                    )
                }
            }
        }
        fn accepts(ty: &::buster_db::__private::Type) -> bool {
            ::buster_db::__private::enum_accepts(ty, "user_role")
        }
    }
};
