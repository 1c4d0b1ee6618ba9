//! The exact SQL each query renders, checked without a database through `to_sql()`.

use buster_db::prelude::*;
use buster_db::{Sql, Uuid};
use buster_db_tests::{
    FxAccount, FxMembership, FxPost, FxTagged, NewFxMembership, NewFxTagged, NewUser, User,
    UserPatch,
};

/// The column list every statement on `users` selects or returns, in declaration order.
const USER_COLUMNS: &str = r#""users"."id", "users"."email", "users"."name", "users"."is_active", "users"."created_at", "users"."updated_at", "users"."deleted_at""#;

fn sql(text: String, params: usize) -> Sql {
    Sql { text, params }
}

fn new_user() -> NewUser {
    NewUser::new("ada@example.com".into(), "Ada".into())
}

#[test]
fn find_selects_the_live_row_by_primary_key() {
    assert_eq!(
        User::find(Uuid::nil()).to_sql(),
        sql(
            format!(
                r#"SELECT {USER_COLUMNS} FROM "users" WHERE "users"."id" = $1 AND "users"."deleted_at" IS NULL"#
            ),
            1
        )
    );
}

#[test]
fn find_with_deleted_has_no_deleted_at_predicate() {
    assert_eq!(
        User::find(Uuid::nil()).with_deleted().to_sql(),
        sql(
            format!(r#"SELECT {USER_COLUMNS} FROM "users" WHERE "users"."id" = $1"#),
            1
        )
    );
}

#[test]
fn find_only_deleted_asks_for_a_set_deleted_at() {
    assert_eq!(
        User::find(Uuid::nil()).only_deleted().to_sql(),
        sql(
            format!(
                r#"SELECT {USER_COLUMNS} FROM "users" WHERE "users"."id" = $1 AND "users"."deleted_at" IS NOT NULL"#
            ),
            1
        )
    );
}

#[test]
fn find_on_a_composite_key_binds_one_parameter_per_key_column() {
    assert_eq!(
        FxMembership::find((Uuid::nil(), Uuid::nil())).to_sql(),
        sql(
            r#"SELECT "fx_memberships"."org_id", "fx_memberships"."user_id", "fx_memberships"."role", "fx_memberships"."created_at", "fx_memberships"."updated_at", "fx_memberships"."deleted_at" FROM "fx_memberships" WHERE "fx_memberships"."org_id" = $1 AND "fx_memberships"."user_id" = $2 AND "fx_memberships"."deleted_at" IS NULL"#.into(),
            2
        )
    );
}

#[test]
fn select_without_filters_hides_deleted_rows() {
    assert_eq!(
        User::select().to_sql(),
        sql(
            format!(r#"SELECT {USER_COLUMNS} FROM "users" WHERE "users"."deleted_at" IS NULL"#),
            0
        )
    );
}

#[test]
fn select_renders_filters_order_limit_and_offset_as_bound_parameters() {
    let query = User::select()
        .filter(User::email.eq("ada@example.com"))
        .filter(User::is_active.eq(true).or(User::name.like("A%").not()))
        .order_by(User::created_at.desc())
        .order_by(User::name.asc().nulls_last())
        .limit(10)
        .offset(20);
    assert_eq!(
        query.to_sql(),
        sql(
            format!(
                r#"SELECT {USER_COLUMNS} FROM "users" WHERE "users"."email" = $1 AND ("users"."is_active" = $2 OR NOT ("users"."name" LIKE $3)) AND "users"."deleted_at" IS NULL ORDER BY "users"."created_at" DESC, "users"."name" NULLS LAST LIMIT $4 OFFSET $5"#
            ),
            5
        )
    );
}

#[test]
fn select_renders_every_comparison_operator() {
    let query = User::select()
        .filter(User::name.ne("a"))
        .filter(User::created_at.lt(buster_db::DateTime::UNIX_EPOCH))
        .filter(User::created_at.le(buster_db::DateTime::UNIX_EPOCH))
        .filter(User::updated_at.gt(buster_db::DateTime::UNIX_EPOCH))
        .filter(User::updated_at.ge(buster_db::DateTime::UNIX_EPOCH))
        .filter(User::email.ilike("%@acme.io"))
        .filter(
            User::deleted_at
                .is_null()
                .or(User::deleted_at.is_not_null()),
        )
        .order_by(User::deleted_at.desc().nulls_first());
    assert_eq!(
        query.to_sql(),
        sql(
            format!(
                r#"SELECT {USER_COLUMNS} FROM "users" WHERE "users"."name" <> $1 AND "users"."created_at" < $2 AND "users"."created_at" <= $3 AND "users"."updated_at" > $4 AND "users"."updated_at" >= $5 AND "users"."email" ILIKE $6 AND ("users"."deleted_at" IS NULL OR "users"."deleted_at" IS NOT NULL) AND "users"."deleted_at" IS NULL ORDER BY "users"."deleted_at" DESC NULLS FIRST"#
            ),
            6
        )
    );
}

#[test]
fn is_in_binds_one_array_parameter_whatever_the_list_size() {
    let one = User::select()
        .filter(User::id.is_in([Uuid::nil()]))
        .to_sql();
    let three = User::select()
        .filter(User::id.is_in([Uuid::nil(), Uuid::max(), Uuid::nil()]))
        .to_sql();
    let none = User::select()
        .filter(User::id.is_in(Vec::<Uuid>::new()))
        .to_sql();
    let expected = sql(
        format!(
            r#"SELECT {USER_COLUMNS} FROM "users" WHERE "users"."id" = ANY($1) AND "users"."deleted_at" IS NULL"#
        ),
        1,
    );
    assert_eq!(one, expected);
    assert_eq!(three, expected);
    assert_eq!(none, expected);
}

#[test]
fn select_with_deleted_has_no_deleted_at_predicate() {
    assert_eq!(
        User::select()
            .with_deleted()
            .filter(User::name.eq("Ada"))
            .to_sql(),
        sql(
            format!(r#"SELECT {USER_COLUMNS} FROM "users" WHERE "users"."name" = $1"#),
            1
        )
    );
}

#[test]
fn select_only_deleted_asks_for_a_set_deleted_at() {
    assert_eq!(
        User::select().only_deleted().to_sql(),
        sql(
            format!(r#"SELECT {USER_COLUMNS} FROM "users" WHERE "users"."deleted_at" IS NOT NULL"#),
            0
        )
    );
}

#[test]
fn select_on_a_table_without_soft_delete_has_no_visibility_predicate() {
    assert_eq!(
        FxPost::select().filter(FxPost::score.ge(3)).to_sql(),
        sql(
            r#"SELECT "fx_posts"."id", "fx_posts"."author_id", "fx_posts"."title", "fx_posts"."score" FROM "fx_posts" WHERE "fx_posts"."score" >= $1"#.into(),
            1
        )
    );
}

#[test]
fn insert_one_sends_default_for_absent_defaulted_columns() {
    assert_eq!(
        User::insert(new_user()).to_sql(),
        sql(
            format!(
                r#"INSERT INTO "users" ("id", "email", "name", "is_active") VALUES (DEFAULT, $1, $2, DEFAULT) RETURNING {USER_COLUMNS}"#
            ),
            2
        )
    );
}

#[test]
fn insert_one_binds_defaulted_columns_that_are_given() {
    let row = NewUser {
        id: Some(Uuid::nil()),
        is_active: Some(false),
        ..new_user()
    };
    assert_eq!(
        User::insert(row).to_sql(),
        sql(
            format!(
                r#"INSERT INTO "users" ("id", "email", "name", "is_active") VALUES ($1, $2, $3, $4) RETURNING {USER_COLUMNS}"#
            ),
            4
        )
    );
}

#[test]
fn insert_many_unnests_one_array_per_column_whatever_the_row_count() {
    let expected = sql(
        format!(
            r#"INSERT INTO "users" ("email", "name") SELECT "u"."email", "u"."name" FROM UNNEST($1::text[], $2::text[]) AS "u"("email", "name") RETURNING {USER_COLUMNS}"#
        ),
        2,
    );
    assert_eq!(User::insert_many([new_user()]).to_sql(), expected);
    assert_eq!(
        User::insert_many((0..50).map(|_| new_user())).to_sql(),
        expected
    );
}

#[test]
fn insert_many_keeps_a_defaulted_column_only_when_some_row_gives_it() {
    // One row gives its id, the other leaves it to the default: the id array holds a NULL for
    // that row, which the default replaces; `is_active` is left to its default by both.
    let with_id = NewUser {
        id: Some(Uuid::nil()),
        ..new_user()
    };
    assert_eq!(
        User::insert_many([with_id, new_user()]).to_sql(),
        sql(
            format!(
                r#"INSERT INTO "users" ("id", "email", "name") SELECT COALESCE("u"."id", gen_random_uuid()), "u"."email", "u"."name" FROM UNNEST($1::uuid[], $2::text[], $3::text[]) AS "u"("id", "email", "name") RETURNING {USER_COLUMNS}"#
            ),
            3,
        )
    );
    let every = NewUser {
        id: Some(Uuid::nil()),
        is_active: Some(false),
        ..new_user()
    };
    assert_eq!(
        User::insert_many([every]).to_sql(),
        sql(
            format!(
                r#"INSERT INTO "users" ("id", "email", "name", "is_active") SELECT COALESCE("u"."id", gen_random_uuid()), "u"."email", "u"."name", COALESCE("u"."is_active", true) FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::boolean[]) AS "u"("id", "email", "name", "is_active") RETURNING {USER_COLUMNS}"#
            ),
            4,
        )
    );
}

#[test]
fn insert_many_on_a_table_with_an_array_column_uses_multi_row_values() {
    let row = || NewFxTagged {
        id: None,
        name: "a".into(),
        tags: vec!["x".into()],
    };
    assert_eq!(
        FxTagged::insert_many([row(), row()]).to_sql(),
        sql(
            r#"INSERT INTO "fx_tagged" ("id", "name", "tags") VALUES (DEFAULT, $1, $2), (DEFAULT, $3, $4) RETURNING "fx_tagged"."id", "fx_tagged"."name", "fx_tagged"."tags""#.into(),
            4
        )
    );
}

#[test]
fn upsert_on_a_unique_key_of_a_soft_deletable_table_names_the_partial_index_predicate() {
    let query = User::upsert(new_user())
        .on_conflict(User::email)
        .update((User::name,));
    assert_eq!(
        query.to_sql(),
        sql(
            format!(
                r#"INSERT INTO "users" ("id", "email", "name", "is_active") VALUES (DEFAULT, $1, $2, DEFAULT) ON CONFLICT ("email") WHERE "deleted_at" IS NULL DO UPDATE SET "name" = EXCLUDED."name", "updated_at" = now() WHERE "users"."deleted_at" IS NULL RETURNING {USER_COLUMNS}"#
            ),
            2
        )
    );
}

#[test]
fn upsert_on_the_primary_key_has_no_arbiter_predicate_and_updates_live_rows_only() {
    let query = User::upsert(new_user())
        .on_conflict(User::id)
        .update((User::name, User::is_active));
    assert_eq!(
        query.to_sql(),
        sql(
            format!(
                r#"INSERT INTO "users" ("id", "email", "name", "is_active") VALUES (DEFAULT, $1, $2, DEFAULT) ON CONFLICT ("id") DO UPDATE SET "name" = EXCLUDED."name", "is_active" = EXCLUDED."is_active", "updated_at" = now() WHERE "users"."deleted_at" IS NULL RETURNING {USER_COLUMNS}"#
            ),
            2
        )
    );
}

#[test]
fn upsert_revive_clears_deleted_at_and_has_no_live_row_condition() {
    let query = User::upsert(new_user())
        .on_conflict(User::id)
        .update_all()
        .revive();
    assert_eq!(
        query.to_sql(),
        sql(
            format!(
                r#"INSERT INTO "users" ("id", "email", "name", "is_active") VALUES (DEFAULT, $1, $2, DEFAULT) ON CONFLICT ("id") DO UPDATE SET "email" = EXCLUDED."email", "name" = EXCLUDED."name", "is_active" = EXCLUDED."is_active", "updated_at" = now(), "deleted_at" = NULL RETURNING {USER_COLUMNS}"#
            ),
            2
        )
    );
}

#[test]
fn upsert_do_nothing_keeps_the_arbiter_predicate() {
    assert_eq!(
        User::upsert(new_user())
            .on_conflict(User::email)
            .do_nothing()
            .to_sql(),
        sql(
            format!(
                r#"INSERT INTO "users" ("id", "email", "name", "is_active") VALUES (DEFAULT, $1, $2, DEFAULT) ON CONFLICT ("email") WHERE "deleted_at" IS NULL DO NOTHING RETURNING {USER_COLUMNS}"#
            ),
            2
        )
    );
}

#[test]
fn upsert_many_unnests_and_updates_every_non_key_column() {
    let query = User::upsert_many([new_user(), new_user()])
        .on_conflict(User::email)
        .update_all();
    assert_eq!(
        query.to_sql(),
        sql(
            format!(
                r#"INSERT INTO "users" ("email", "name") SELECT "u"."email", "u"."name" FROM UNNEST($1::text[], $2::text[]) AS "u"("email", "name") ON CONFLICT ("email") WHERE "deleted_at" IS NULL DO UPDATE SET "name" = EXCLUDED."name", "is_active" = EXCLUDED."is_active", "updated_at" = now() WHERE "users"."deleted_at" IS NULL RETURNING {USER_COLUMNS}"#
            ),
            2
        )
    );
}

#[test]
fn upsert_on_a_composite_primary_key_lists_both_columns() {
    let row = NewFxMembership {
        org_id: Uuid::nil(),
        user_id: Uuid::nil(),
        role: "admin".into(),
    };
    let query = FxMembership::upsert(row)
        .on_conflict((FxMembership::org_id, FxMembership::user_id))
        .update(FxMembership::role);
    assert_eq!(
        query.to_sql(),
        sql(
            r#"INSERT INTO "fx_memberships" ("org_id", "user_id", "role") VALUES ($1, $2, $3) ON CONFLICT ("org_id", "user_id") DO UPDATE SET "role" = EXCLUDED."role", "updated_at" = now() WHERE "fx_memberships"."deleted_at" IS NULL RETURNING "fx_memberships"."org_id", "fx_memberships"."user_id", "fx_memberships"."role", "fx_memberships"."created_at", "fx_memberships"."updated_at", "fx_memberships"."deleted_at""#.into(),
            3
        )
    );
}

#[test]
fn update_by_key_sets_updated_at_and_touches_live_rows_only() {
    assert_eq!(
        User::update(Uuid::nil()).set(User::name, "Grace").to_sql(),
        sql(
            format!(
                r#"UPDATE "users" SET "name" = $1, "updated_at" = now() WHERE "users"."id" = $2 AND "users"."deleted_at" IS NULL RETURNING {USER_COLUMNS}"#
            ),
            2
        )
    );
}

#[test]
fn update_renders_patch_fields_then_set_columns_then_extra_filters() {
    let query = User::update(Uuid::nil())
        .patch(UserPatch {
            name: Some("Grace".into()),
            ..Default::default()
        })
        .set(User::is_active, false)
        .filter(User::email.eq("grace@example.com"));
    assert_eq!(
        query.to_sql(),
        sql(
            format!(
                r#"UPDATE "users" SET "name" = $1, "is_active" = $2, "updated_at" = now() WHERE "users"."id" = $3 AND "users"."email" = $4 AND "users"."deleted_at" IS NULL RETURNING {USER_COLUMNS}"#
            ),
            4
        )
    );
}

#[test]
fn update_with_an_empty_patch_still_sets_updated_at() {
    assert_eq!(
        User::update(Uuid::nil())
            .patch(UserPatch::default())
            .to_sql(),
        sql(
            format!(
                r#"UPDATE "users" SET "updated_at" = now() WHERE "users"."id" = $1 AND "users"."deleted_at" IS NULL RETURNING {USER_COLUMNS}"#
            ),
            1
        )
    );
}

#[test]
fn update_where_puts_the_filter_before_the_live_row_condition() {
    assert_eq!(
        User::update_where(User::is_active.eq(false))
            .set(User::name, "inactive")
            .to_sql(),
        sql(
            format!(
                r#"UPDATE "users" SET "name" = $1, "updated_at" = now() WHERE "users"."is_active" = $2 AND "users"."deleted_at" IS NULL RETURNING {USER_COLUMNS}"#
            ),
            2
        )
    );
}

#[test]
fn update_without_anything_to_set_on_a_table_without_timestamps_is_still_valid_sql() {
    assert_eq!(
        FxAccount::update(7).to_sql(),
        sql(
            r#"UPDATE "fx_accounts" SET "id" = "fx_accounts"."id" WHERE "fx_accounts"."id" = $1 RETURNING "fx_accounts"."id", "fx_accounts"."balance""#.into(),
            1
        )
    );
}

#[test]
fn soft_delete_sets_deleted_at_and_updated_at_of_a_live_row() {
    assert_eq!(
        User::soft_delete(Uuid::nil()).to_sql(),
        sql(
            format!(
                r#"UPDATE "users" SET "deleted_at" = now(), "updated_at" = now() WHERE "users"."id" = $1 AND "users"."deleted_at" IS NULL RETURNING {USER_COLUMNS}"#
            ),
            1
        )
    );
}

#[test]
fn soft_delete_where_touches_live_matching_rows_only() {
    assert_eq!(
        User::soft_delete_where(User::name.eq("Ada")).to_sql(),
        sql(
            format!(
                r#"UPDATE "users" SET "deleted_at" = now(), "updated_at" = now() WHERE "users"."name" = $1 AND "users"."deleted_at" IS NULL RETURNING {USER_COLUMNS}"#
            ),
            1
        )
    );
}

#[test]
fn restore_clears_deleted_at_of_a_deleted_row_only() {
    assert_eq!(
        User::restore(Uuid::nil()).to_sql(),
        sql(
            format!(
                r#"UPDATE "users" SET "deleted_at" = NULL, "updated_at" = now() WHERE "users"."id" = $1 AND "users"."deleted_at" IS NOT NULL RETURNING {USER_COLUMNS}"#
            ),
            1
        )
    );
}

#[test]
fn delete_exists_for_tables_without_soft_delete() {
    assert_eq!(
        FxPost::delete(Uuid::nil()).to_sql(),
        sql(
            r#"DELETE FROM "fx_posts" WHERE "fx_posts"."id" = $1 RETURNING "fx_posts"."id", "fx_posts"."author_id", "fx_posts"."title", "fx_posts"."score""#.into(),
            1
        )
    );
}

#[test]
fn a_soft_delete_can_record_who_deleted_in_the_same_statement() {
    let id = buster_db::Uuid::nil();
    let q = FxMembership::soft_delete((id, id)).set(FxMembership::role, "gone");
    assert_eq!(q.to_sql().params, 3);
    assert!(
        q.to_sql().text.starts_with(
            r#"UPDATE "fx_memberships" SET "deleted_at" = now(), "updated_at" = now(), "role" = $1 WHERE "fx_memberships"."#
        ),
        "{}",
        q.to_sql().text
    );
}
