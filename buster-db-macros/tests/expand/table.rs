// `#[derive(Table)]` on a soft-deletable table with every column role, a unique key and a
// relation. The input is read by `table::tests::expansion` in `src/table/mod.rs`; everything
// below the marker is what the derive emits for it.

#[derive(Table)]
#[table(name = "users", has_many(posts = posts::author_id))]
pub struct User {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    #[column(unique)]
    pub email: String,
    pub name: Option<String>,
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

// ---- expansion (generated; UPDATE_SNAPSHOTS=1 rewrites it) ----

///The column types of table `users` ([`User`]).
#[allow(non_camel_case_types, non_snake_case)]
pub mod users {
    #[allow(unused_imports)]
    use super::*;
    ::buster_db::__column!(
        #[doc = "Column `id` of `users`."] pub id of super::User, value = Uuid, letters =
        [i d], references = (), name = "id"
    );
    ::buster_db::__column!(
        #[doc = "Column `email` of `users`."] pub email of super::User, value = String,
        letters = [e m a i l], references = (), name = "email"
    );
    ::buster_db::__column!(
        #[doc = "Column `name` of `users`."] pub name of super::User, value = Option <
        String >, letters = [n a m e], references = (), name = "name"
    );
    ::buster_db::__column!(
        #[doc = "Column `created_at` of `users`."] pub created_at of super::User, value =
        DateTime < Utc >, letters = [c r e a t e d __ a t], references = (), name =
        "created_at"
    );
    ::buster_db::__column!(
        #[doc = "Column `updated_at` of `users`."] pub updated_at of super::User, value =
        DateTime < Utc >, letters = [u p d a t e d __ a t], references = (), name =
        "updated_at"
    );
    ::buster_db::__column!(
        #[doc = "Column `deleted_at` of `users`."] pub deleted_at of super::User, value =
        Option < DateTime < Utc > >, letters = [d e l e t e d __ a t], references = (),
        name = "deleted_at"
    );
    #[allow(dead_code)]
    mod __namesakes {
        pub(super) struct id;
        pub(super) struct email;
        pub(super) struct name;
        pub(super) struct created_at;
        pub(super) struct updated_at;
        pub(super) struct deleted_at;
    }
}
impl User {
    ///The `id` column of `users`.
    #[allow(non_upper_case_globals)]
    pub const id: users::id = users::id;
    ///The `email` column of `users`.
    #[allow(non_upper_case_globals)]
    pub const email: users::email = users::email;
    ///The `name` column of `users`.
    #[allow(non_upper_case_globals)]
    pub const name: users::name = users::name;
    ///The `created_at` column of `users`.
    #[allow(non_upper_case_globals)]
    pub const created_at: users::created_at = users::created_at;
    ///The `updated_at` column of `users`.
    #[allow(non_upper_case_globals)]
    pub const updated_at: users::updated_at = users::updated_at;
    ///The `deleted_at` column of `users`.
    #[allow(non_upper_case_globals)]
    pub const deleted_at: users::deleted_at = users::deleted_at;
    ///The `posts` relation: the rows whose `posts :: author_id` points here.
    pub fn posts() -> ::buster_db::__private::HasMany<Self, posts::author_id> {
        ::buster_db::__private::relation()
    }
}
///The insert shape of [`User`]: columns with a default are `Option` (`None` → `DEFAULT`); managed columns are absent.
#[derive(Clone, PartialEq)]
pub struct NewUser {
    ///Column `id`; `None` uses its default `gen_random_uuid()`.
    pub id: ::core::option::Option<Uuid>,
    ///Column `email`.
    pub email: String,
    ///Column `name`.
    pub name: Option<String>,
}
#[automatically_derived]
impl ::core::fmt::Debug for NewUser {
    #[inline]
    fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        ::buster_db::__private::debug_insert::<User, Self>(self, __f, "NewUser")
    }
}
impl NewUser {
    ///A row of `users` with its required columns (`email`: NOT NULL, no default) and every other column at its default (or NULL); set others with `NewUser { column: Some(value), ..NewUser::new(..) }`.
    #[allow(clippy::too_many_arguments, clippy::new_without_default)]
    #[inline]
    pub fn new(email: String) -> NewUser {
        NewUser {
            id: ::core::option::Option::None,
            email,
            name: ::core::option::Option::None,
        }
    }
}
#[automatically_derived]
impl ::buster_db::__private::Insertable<User> for NewUser {
    #[inline]
    fn __values<'__a>(
        &'__a self,
        __out: &mut ::std::vec::Vec<
            ::core::option::Option<&'__a (dyn ::buster_db::__private::ToSql + Sync)>,
        >,
    ) {
        ::buster_db::__private::values::<
            (
                ::buster_db::__private::Defaulted<users::id>,
                (users::email, (users::name, ())),
            ),
            _,
        >((&self.id, (&self.email, (&self.name, ()))), __out);
    }
    #[inline]
    fn __arrays(
        __rows: ::std::vec::Vec<Self>,
    ) -> ::std::vec::Vec<
        ::std::boxed::Box<dyn ::buster_db::__private::ToSql + Send + Sync>,
    > {
        ::buster_db::__private::arrays::<
            (
                ::buster_db::__private::Defaulted<users::id>,
                (users::email, (users::name, ())),
            ),
            _,
            _,
        >(__rows, |__r: Self| (__r.id, (__r.email, (__r.name, ()))))
    }
}
///The update shape of [`User`]: each `Some` field is set; the key and managed columns cannot be.
#[derive(Clone, PartialEq)]
pub struct UserPatch {
    ///Sets column `email` when `Some`.
    pub email: ::core::option::Option<String>,
    ///Sets column `name` when `Some`.
    pub name: ::core::option::Option<Option<String>>,
}
#[automatically_derived]
impl ::core::fmt::Debug for UserPatch {
    #[inline]
    fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        ::buster_db::__private::debug_patch::<User, Self>(self, __f, "UserPatch")
    }
}
#[automatically_derived]
impl ::core::default::Default for UserPatch {
    #[inline]
    fn default() -> Self {
        UserPatch {
            email: ::core::option::Option::None,
            name: ::core::option::Option::None,
        }
    }
}
#[automatically_derived]
impl ::buster_db::__private::Patch<User> for UserPatch {
    #[inline]
    fn __sets<'__a>(
        &'__a self,
        __out: &mut ::std::vec::Vec<
            (&'static str, &'__a (dyn ::buster_db::__private::ToSql + Sync)),
        >,
    ) {
        ::buster_db::__private::sets::<
            (users::email, (users::name, ())),
            _,
        >((&self.email, (&self.name, ())), __out);
    }
}
const _: () = {
    #[automatically_derived]
    impl ::buster_db::__private::Table for User {
        type Key = Uuid;
        type New = NewUser;
        type Patch = UserPatch;
        type __Columns = (
            Uuid,
            String,
            Option<String>,
            DateTime<Utc>,
            DateTime<Utc>,
            Option<DateTime<Utc>>,
        );
        type __Ident = (
            ::buster_db::__private::X4,
            (
                ::buster_db::__private::X2,
                (
                    ::buster_db::__private::X2,
                    (
                        ::buster_db::__private::X8,
                        (
                            ::buster_db::__private::X8,
                            (
                                ::buster_db::__private::X4,
                                (
                                    ::buster_db::__private::X7,
                                    (
                                        ::buster_db::__private::X1,
                                        (
                                            ::buster_db::__private::X6,
                                            (
                                                ::buster_db::__private::X2,
                                                (
                                                    ::buster_db::__private::X8,
                                                    (
                                                        ::buster_db::__private::XC,
                                                        (
                                                            ::buster_db::__private::X3,
                                                            (
                                                                ::buster_db::__private::X3,
                                                                (
                                                                    ::buster_db::__private::X3,
                                                                    (::buster_db::__private::X3, ()),
                                                                ),
                                                            ),
                                                        ),
                                                    ),
                                                ),
                                            ),
                                        ),
                                    ),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        );
        const META: &'static ::buster_db::__private::TableMeta = &::buster_db::__private::TableMeta {
            name: "users",
            schema: ::core::option::Option::None,
            struct_name: "User",
            columns: &[
                ::buster_db::__private::ColumnMeta {
                    name: "id",
                    field: "id",
                    sql_type: ::buster_db::__private::sql_type::<users::id>(),
                    nullable: ::buster_db::__private::nullable::<users::id>(),
                    default: ::core::option::Option::Some("gen_random_uuid()"),
                    primary_key: true,
                    managed: ::buster_db::__private::Managed::No,
                },
                ::buster_db::__private::ColumnMeta {
                    name: "email",
                    field: "email",
                    sql_type: ::buster_db::__private::sql_type::<users::email>(),
                    nullable: ::buster_db::__private::nullable::<users::email>(),
                    default: ::core::option::Option::None,
                    primary_key: false,
                    managed: ::buster_db::__private::Managed::No,
                },
                ::buster_db::__private::ColumnMeta {
                    name: "name",
                    field: "name",
                    sql_type: ::buster_db::__private::sql_type::<users::name>(),
                    nullable: ::buster_db::__private::nullable::<users::name>(),
                    default: ::core::option::Option::None,
                    primary_key: false,
                    managed: ::buster_db::__private::Managed::No,
                },
                ::buster_db::__private::ColumnMeta {
                    name: "created_at",
                    field: "created_at",
                    sql_type: ::buster_db::__private::sql_type::<users::created_at>(),
                    nullable: ::buster_db::__private::nullable::<users::created_at>(),
                    default: ::core::option::Option::None,
                    primary_key: false,
                    managed: ::buster_db::__private::Managed::CreatedAt,
                },
                ::buster_db::__private::ColumnMeta {
                    name: "updated_at",
                    field: "updated_at",
                    sql_type: ::buster_db::__private::sql_type::<users::updated_at>(),
                    nullable: ::buster_db::__private::nullable::<users::updated_at>(),
                    default: ::core::option::Option::None,
                    primary_key: false,
                    managed: ::buster_db::__private::Managed::UpdatedAt,
                },
                ::buster_db::__private::ColumnMeta {
                    name: "deleted_at",
                    field: "deleted_at",
                    sql_type: ::buster_db::__private::sql_type::<users::deleted_at>(),
                    nullable: ::buster_db::__private::nullable::<users::deleted_at>(),
                    default: ::core::option::Option::None,
                    primary_key: false,
                    managed: ::buster_db::__private::Managed::SoftDelete,
                },
            ],
            primary_key: &["id"],
            indexes: &[
                ::buster_db::__private::IndexMeta {
                    name: "users_email_key",
                    columns: &["email"],
                    unique: true,
                    live_only: true,
                    predicate: ::core::option::Option::None,
                    nulls_not_distinct: false,
                    search: ::core::option::Option::None,
                },
            ],
            foreign_keys: &[],
            checks: &[],
            soft_delete: ::core::option::Option::Some(5usize),
            updated_at: ::core::option::Option::Some(4usize),
        };
        #[inline]
        fn __statements() -> &'static ::buster_db::__private::Statements {
            static __STATEMENTS: ::buster_db::__private::OnceLock<
                ::buster_db::__private::Statements,
            > = ::buster_db::__private::OnceLock::new();
            ::buster_db::__private::statements(
                &__STATEMENTS,
                <Self as ::buster_db::__private::Table>::META,
            )
        }
        #[inline]
        fn primary_key(&self) -> Self::Key {
            ::core::clone::Clone::clone(&self.id)
        }
        #[inline]
        fn __decode(
            __row: &::buster_db::__private::Row,
            __offset: usize,
        ) -> ::buster_db::__private::Result<Self> {
            match ::buster_db::__private::decode::<
                (
                    users::id,
                    (
                        users::email,
                        (
                            users::name,
                            (
                                users::created_at,
                                (users::updated_at, (users::deleted_at, ())),
                            ),
                        ),
                    ),
                ),
            >(__row, __offset) {
                ::core::result::Result::Ok(
                    (__v0, (__v1, (__v2, (__v3, (__v4, (__v5, ())))))),
                ) => {
                    ::core::result::Result::Ok(User {
                        id: __v0,
                        email: __v1,
                        name: __v2,
                        created_at: __v3,
                        updated_at: __v4,
                        deleted_at: __v5,
                    })
                }
                ::core::result::Result::Err(__e) => ::core::result::Result::Err(__e),
            }
        }
    }
    #[automatically_derived]
    #[diagnostic::do_not_recommend]
    impl ::buster_db::__private::SoftDelete for User {}
    #[automatically_derived]
    #[diagnostic::do_not_recommend]
    impl ::buster_db::__private::Updatable for users::email {}
    #[automatically_derived]
    #[diagnostic::do_not_recommend]
    impl ::buster_db::__private::Updatable for users::name {}
    #[automatically_derived]
    #[diagnostic::do_not_recommend]
    impl ::buster_db::__private::ConflictTarget<User> for users::id {
        const COLUMNS: &'static [&'static str] = &["id"];
        const LIVE_ONLY: bool = false;
        type Scope = ::buster_db::__private::AllRows;
    }
    #[automatically_derived]
    #[diagnostic::do_not_recommend]
    impl ::buster_db::__private::ConflictTarget<User> for users::email {
        const COLUMNS: &'static [&'static str] = &["email"];
        const LIVE_ONLY: bool = true;
        type Scope = ::buster_db::__private::LiveRows;
    }
};
