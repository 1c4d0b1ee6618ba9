//! The users queries on real rows: what each returns, what soft deletion hides, and the input
//! each refuses before sending any SQL.

use buster_database::schema::{Organization, User, UserOrganizationRole, UsersToOrganization};
use buster_database::{
    AddUserToOrganizationParams, CreateOrganizationParams, CreateUserParams,
    FindUsersByEmailsParams, GetUserByEmailParams, GetUserEmailParams, GetUserParams,
    GetUserWithOrganizationsParams, GetUsersByIdsParams, ListUsersParams, RestoreUserParams,
    SoftDeleteUserParams, UpdateUserParams, UpsertUserByEmailParams, UpsertUserByIdParams,
    add_user_to_organization, create_organization, create_user, find_users_by_emails, get_user,
    get_user_by_email, get_user_email, get_user_with_organizations, get_users_by_ids, list_users,
    restore_user, soft_delete_user, update_user, upsert_user_by_email, upsert_user_by_id,
};
use buster_db::prelude::*;
use buster_db::types::serde_json;
use buster_db::{ErrorKind, Result, Uuid};
use buster_db_tests::{invalid_field, kind};

async fn user(db: &Db, name: &str) -> Result<User> {
    create_user(
        CreateUserParams::new(format!("{}@example.com", name.to_lowercase()), name),
        db,
    )
    .await
}

fn soft_delete(id: Uuid) -> SoftDeleteUserParams {
    SoftDeleteUserParams { id }
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn create_user_stores_the_row_with_its_defaults(db: Db) -> Result<()> {
    let ada = create_user(
        CreateUserParams {
            avatar_url: Some("https://example.com/ada.png".into()),
            ..CreateUserParams::new("ada@example.com", "Ada")
        },
        &db,
    )
    .await?;
    assert_eq!(ada.email, "ada@example.com");
    assert_eq!(ada.name, "Ada");
    assert!(ada.is_active);
    assert_eq!(ada.config, serde_json::json!({}));
    assert_eq!(
        ada.avatar_url.as_deref(),
        Some("https://example.com/ada.png")
    );
    assert_eq!(ada.deleted_at, None);
    assert_eq!(User::find(ada.id).one(&db).await?, ada);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn create_user_with_the_email_of_a_live_user_is_a_unique_violation(db: Db) -> Result<()> {
    user(&db, "Ada").await?;
    let err = create_user(CreateUserParams::new("ada@example.com", "Other"), &db)
        .await
        .err();
    assert_eq!(
        err.as_ref().map(|e| e.kind()),
        Some(ErrorKind::UniqueViolation)
    );
    assert_eq!(
        err.as_ref().and_then(|e| e.constraint()),
        Some("users_email_key")
    );
    assert_eq!(User::select().with_deleted().count(&db).await?, 1);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn get_user_hides_a_deleted_user_unless_include_deleted(db: Db) -> Result<()> {
    let ada = user(&db, "Ada").await?;
    assert_eq!(
        get_user(GetUserParams::new(ada.id), &db).await?,
        Some(ada.clone())
    );
    let deleted = soft_delete_user(soft_delete(ada.id), &db).await?;

    assert_eq!(get_user(GetUserParams::new(ada.id), &db).await?, None);
    let with_deleted = GetUserParams {
        id: ada.id,
        include_deleted: true,
    };
    assert_eq!(get_user(with_deleted, &db).await?, Some(deleted));
    assert_eq!(
        get_user(GetUserParams::new(Uuid::new_v4()), &db).await?,
        None
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn get_user_by_email_finds_the_live_user_only(db: Db) -> Result<()> {
    let old = user(&db, "Ada").await?;
    let by_email = || GetUserByEmailParams::new("ada@example.com");
    assert_eq!(get_user_by_email(by_email(), &db).await?, Some(old.clone()));

    soft_delete_user(soft_delete(old.id), &db).await?;
    assert_eq!(get_user_by_email(by_email(), &db).await?, None);

    // The deleted account freed its email: a new one takes it and is the one found.
    let new = user(&db, "Ada").await?;
    assert_ne!(new.id, old.id);
    assert_eq!(get_user_by_email(by_email(), &db).await?, Some(new));
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn get_user_email_reads_the_email_of_a_live_user(db: Db) -> Result<()> {
    let ada = user(&db, "Ada").await?;
    let params = GetUserEmailParams { id: ada.id };
    assert_eq!(
        get_user_email(params, &db).await?.as_deref(),
        Some("ada@example.com")
    );
    soft_delete_user(soft_delete(ada.id), &db).await?;
    assert_eq!(get_user_email(params, &db).await?, None);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn update_user_changes_the_given_fields_only(db: Db) -> Result<()> {
    let ada = create_user(
        CreateUserParams {
            avatar_url: Some("https://example.com/a.png".into()),
            ..CreateUserParams::new("ada@example.com", "Ada")
        },
        &db,
    )
    .await?;
    let updated = update_user(
        UpdateUserParams {
            id: ada.id,
            name: Some("Ada Lovelace".into()),
            avatar_url: Some(None),
            config: Some(serde_json::json!({ "theme": "dark" })),
            ..Default::default()
        },
        &db,
    )
    .await?;
    assert_eq!(updated.name, "Ada Lovelace");
    assert_eq!(updated.avatar_url, None);
    assert_eq!(updated.config, serde_json::json!({ "theme": "dark" }));
    assert_eq!(updated.email, ada.email);
    assert!(updated.is_active);
    assert!(updated.updated_at > ada.updated_at);
    assert_eq!(User::find(ada.id).one(&db).await?, updated);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn update_user_is_not_found_for_a_missing_or_deleted_user(db: Db) -> Result<()> {
    let rename = |id| UpdateUserParams {
        id,
        name: Some("Renamed".into()),
        ..Default::default()
    };
    assert_eq!(
        kind(update_user(rename(Uuid::new_v4()), &db).await),
        Some(ErrorKind::NotFound)
    );

    let ada = user(&db, "Ada").await?;
    let deleted = soft_delete_user(soft_delete(ada.id), &db).await?;
    assert_eq!(
        kind(update_user(rename(ada.id), &db).await),
        Some(ErrorKind::NotFound)
    );
    assert_eq!(User::find(ada.id).with_deleted().one(&db).await?, deleted);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn update_user_to_the_email_of_another_live_user_is_a_unique_violation(db: Db) -> Result<()> {
    user(&db, "Ada").await?;
    let bob = user(&db, "Bob").await?;
    let err = update_user(
        UpdateUserParams {
            id: bob.id,
            email: Some("ada@example.com".into()),
            ..Default::default()
        },
        &db,
    )
    .await
    .err();
    assert_eq!(
        err.as_ref().map(|e| e.kind()),
        Some(ErrorKind::UniqueViolation)
    );
    assert_eq!(User::find(bob.id).one(&db).await?, bob);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn soft_delete_user_keeps_the_row_and_a_second_delete_is_not_found(db: Db) -> Result<()> {
    let ada = user(&db, "Ada").await?;
    let deleted = soft_delete_user(soft_delete(ada.id), &db).await?;
    assert_eq!(deleted.id, ada.id);
    assert!(deleted.deleted_at.is_some());
    assert_eq!(
        kind(soft_delete_user(soft_delete(ada.id), &db).await),
        Some(ErrorKind::NotFound)
    );
    // Still there for whoever opts in, unchanged by the second call.
    assert_eq!(User::find(ada.id).with_deleted().one(&db).await?, deleted);
    assert_eq!(User::select().only_deleted().count(&db).await?, 1);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn restore_user_brings_a_deleted_user_back(db: Db) -> Result<()> {
    let ada = user(&db, "Ada").await?;
    assert_eq!(
        kind(restore_user(RestoreUserParams { id: ada.id }, &db).await),
        Some(ErrorKind::NotFound),
        "a live user has nothing to restore"
    );
    soft_delete_user(soft_delete(ada.id), &db).await?;
    let restored = restore_user(RestoreUserParams { id: ada.id }, &db).await?;
    assert_eq!(restored.deleted_at, None);
    assert_eq!(
        get_user(GetUserParams::new(ada.id), &db).await?,
        Some(restored)
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn restore_user_whose_email_was_taken_meanwhile_is_a_unique_violation(db: Db) -> Result<()> {
    let old = user(&db, "Ada").await?;
    soft_delete_user(soft_delete(old.id), &db).await?;
    user(&db, "Ada").await?;
    let err = restore_user(RestoreUserParams { id: old.id }, &db)
        .await
        .err();
    assert_eq!(
        err.as_ref().map(|e| e.kind()),
        Some(ErrorKind::UniqueViolation)
    );
    assert_eq!(
        err.as_ref().and_then(|e| e.constraint()),
        Some("users_email_key")
    );
    assert!(
        User::find(old.id)
            .with_deleted()
            .one(&db)
            .await?
            .deleted_at
            .is_some()
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn upsert_user_by_id_inserts_then_updates_the_same_row(db: Db) -> Result<()> {
    let id = Uuid::new_v4();
    let params = |name: &str, avatar: Option<&str>| UpsertUserByIdParams {
        id,
        email: "ada@example.com".into(),
        name: name.into(),
        avatar_url: avatar.map(str::to_owned),
    };
    let inserted = upsert_user_by_id(params("Ada", Some("https://example.com/a.png")), &db).await?;
    assert_eq!(inserted.id, id);
    let updated = upsert_user_by_id(params("Ada Lovelace", None), &db).await?;
    assert_eq!(updated.id, id);
    assert_eq!(updated.name, "Ada Lovelace");
    assert_eq!(updated.avatar_url, None);
    assert_eq!(updated.created_at, inserted.created_at);
    assert_eq!(User::select().with_deleted().count(&db).await?, 1);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn upsert_user_by_id_leaves_a_deleted_user_deleted(db: Db) -> Result<()> {
    let ada = user(&db, "Ada").await?;
    let deleted = soft_delete_user(soft_delete(ada.id), &db).await?;
    let again = upsert_user_by_id(
        UpsertUserByIdParams {
            id: ada.id,
            email: "ada@example.com".into(),
            name: "Ada again".into(),
            avatar_url: None,
        },
        &db,
    )
    .await;
    assert_eq!(kind(again), Some(ErrorKind::NotFound));
    assert_eq!(User::find(ada.id).with_deleted().one(&db).await?, deleted);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn upsert_user_by_email_updates_the_live_user_with_that_email(db: Db) -> Result<()> {
    let params = |name: &str| UpsertUserByEmailParams {
        email: "ada@example.com".into(),
        name: name.into(),
        avatar_url: None,
    };
    let first = upsert_user_by_email(params("Ada"), &db).await?;
    let second = upsert_user_by_email(params("Ada Lovelace"), &db).await?;
    assert_eq!(second.id, first.id);
    assert_eq!(second.name, "Ada Lovelace");
    assert_eq!(User::select().with_deleted().count(&db).await?, 1);

    // A deleted user's email is free: the upsert creates a new user and leaves the old deleted.
    soft_delete_user(soft_delete(first.id), &db).await?;
    let third = upsert_user_by_email(params("New Ada"), &db).await?;
    assert_ne!(third.id, first.id);
    assert_eq!(third.name, "New Ada");
    assert!(
        User::find(first.id)
            .with_deleted()
            .one(&db)
            .await?
            .deleted_at
            .is_some()
    );
    assert_eq!(User::select().with_deleted().count(&db).await?, 2);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn get_users_by_ids_returns_the_live_users_among_the_ids(db: Db) -> Result<()> {
    let ada = user(&db, "Ada").await?;
    let bob = user(&db, "Bob").await?;
    let eve = user(&db, "Eve").await?;
    soft_delete_user(soft_delete(eve.id), &db).await?;

    let mut found = get_users_by_ids(
        GetUsersByIdsParams {
            ids: vec![ada.id, bob.id, eve.id, Uuid::new_v4(), ada.id],
        },
        &db,
    )
    .await?;
    found.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(found, vec![ada, bob]);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn get_users_by_ids_with_no_ids_sends_no_statement(db: Db) -> Result<()> {
    user(&db, "Ada").await?;
    let before = db.statements_executed();
    let found = get_users_by_ids(GetUsersByIdsParams { ids: Vec::new() }, &db).await?;
    assert!(found.is_empty());
    assert_eq!(db.statements_executed(), before);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn find_users_by_emails_maps_each_found_email_to_its_live_user(db: Db) -> Result<()> {
    let ada = user(&db, "Ada").await?;
    let bob = user(&db, "Bob").await?;
    let eve = user(&db, "Eve").await?;
    soft_delete_user(soft_delete(eve.id), &db).await?;

    let before = db.statements_executed();
    let found = find_users_by_emails(
        FindUsersByEmailsParams {
            emails: vec![
                "ada@example.com".into(),
                "bob@example.com".into(),
                "eve@example.com".into(),
                "nobody@example.com".into(),
            ],
        },
        &db,
    )
    .await?;
    assert_eq!(db.statements_executed(), before + 1);
    assert_eq!(found.len(), 2);
    assert_eq!(found.get("ada@example.com"), Some(&ada));
    assert_eq!(found.get("bob@example.com"), Some(&bob));
    assert!(!found.contains_key("eve@example.com"));

    let before = db.statements_executed();
    let none = find_users_by_emails(FindUsersByEmailsParams { emails: vec![] }, &db).await?;
    assert!(none.is_empty());
    assert_eq!(db.statements_executed(), before);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn list_users_pages_through_the_live_users_with_their_total(db: Db) -> Result<()> {
    let mut live = Vec::new();
    for name in ["Ada", "Bob", "Cy", "Dee", "Eve"] {
        live.push(user(&db, name).await?);
    }
    let gone = user(&db, "Gone").await?;
    soft_delete_user(soft_delete(gone.id), &db).await?;

    let first = list_users(ListUsersParams::new(1, 2), &db).await?;
    let second = list_users(ListUsersParams::new(2, 2), &db).await?;
    let third = list_users(ListUsersParams::new(3, 2), &db).await?;
    assert_eq!((first.total, first.page, first.page_size), (5, 1, 2));
    assert!(first.has_more && second.has_more && !third.has_more);
    assert_eq!(
        (first.items.len(), second.items.len(), third.items.len()),
        (2, 2, 1)
    );
    // Oldest first, no overlap, no deleted user.
    let listed: Vec<User> = [first.items, second.items, third.items].concat();
    assert_eq!(listed, live);

    let beyond = list_users(ListUsersParams::new(4, 2), &db).await?;
    assert!(beyond.items.is_empty());
    assert_eq!(beyond.total, 5);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn get_user_with_organizations_lists_live_memberships_of_live_organizations(
    db: Db,
) -> Result<()> {
    let ada = user(&db, "Ada").await?;
    let mut orgs = Vec::new();
    for name in ["Acme", "Globex", "Initech", "Umbrella"] {
        let org = create_organization(CreateOrganizationParams::new(name), &db).await?;
        add_user_to_organization(
            AddUserToOrganizationParams::new(ada.id, org.id, UserOrganizationRole::Querier, ada.id),
            &db,
        )
        .await?;
        orgs.push(org);
    }
    // Globex's membership is removed; Initech itself is deleted.
    UsersToOrganization::soft_delete((ada.id, orgs[1].id))
        .one(&db)
        .await?;
    Organization::soft_delete(orgs[2].id).one(&db).await?;

    let params = GetUserWithOrganizationsParams { user_id: ada.id };
    let before = db.statements_executed();
    let found = get_user_with_organizations(params, &db).await?;
    assert_eq!(db.statements_executed(), before + 2);
    let Some(found) = found else {
        return Err(buster_db::Error::not_found("users"));
    };
    assert_eq!(found.user, ada);
    let names: Vec<&str> = found
        .organizations
        .iter()
        .map(|o| o.organization.name.as_str())
        .collect();
    assert_eq!(names, ["Acme", "Umbrella"]);
    assert!(found.organizations.iter().all(|o| {
        o.membership.user_id == ada.id && o.membership.organization_id == o.organization.id
    }));

    // The same query inside a transaction (both statements on one connection).
    let in_tx = db
        .transaction(async |tx| get_user_with_organizations(params, tx).await)
        .await?;
    assert_eq!(in_tx.map(|f| f.organizations.len()), Some(2));
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_deleted_user_disappears_from_every_users_read(db: Db) -> Result<()> {
    let ada = user(&db, "Ada").await?;
    let org = create_organization(CreateOrganizationParams::new("Acme"), &db).await?;
    add_user_to_organization(
        AddUserToOrganizationParams::new(ada.id, org.id, UserOrganizationRole::Viewer, ada.id),
        &db,
    )
    .await?;
    soft_delete_user(soft_delete(ada.id), &db).await?;

    assert_eq!(get_user(GetUserParams::new(ada.id), &db).await?, None);
    assert_eq!(
        get_user_by_email(GetUserByEmailParams::new("ada@example.com"), &db).await?,
        None
    );
    assert_eq!(
        get_user_email(GetUserEmailParams { id: ada.id }, &db).await?,
        None
    );
    let by_ids = GetUsersByIdsParams { ids: vec![ada.id] };
    assert!(get_users_by_ids(by_ids, &db).await?.is_empty());
    let by_emails = FindUsersByEmailsParams {
        emails: vec!["ada@example.com".into()],
    };
    assert!(find_users_by_emails(by_emails, &db).await?.is_empty());
    let page = list_users(ListUsersParams::new(1, 10), &db).await?;
    assert_eq!((page.total, page.items.len()), (0, 0));
    let with_orgs = GetUserWithOrganizationsParams { user_id: ada.id };
    assert_eq!(get_user_with_organizations(with_orgs, &db).await?, None);

    // Only the explicit opt-ins see it.
    let opt_in = GetUserParams {
        id: ada.id,
        include_deleted: true,
    };
    assert!(
        get_user(opt_in, &db)
            .await?
            .is_some_and(|u| u.deleted_at.is_some())
    );
    assert_eq!(User::select().with_deleted().count(&db).await?, 1);
    Ok(())
}

// Validation: each rule refuses its input before any statement is sent.

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn an_invalid_email_is_refused_before_any_statement(db: Db) -> Result<()> {
    let before = db.statements_executed();
    for bad in [
        "",
        "ada",
        "ada@",
        "@example.com",
        "ada@example",
        "a b@example.com",
        "a@b@c.io",
    ] {
        let create = create_user(CreateUserParams::new(bad, "Ada"), &db).await;
        assert_eq!(invalid_field(create).as_deref(), Some("email"), "{bad:?}");
    }
    let get = get_user_by_email(GetUserByEmailParams::new("not-an-email"), &db).await;
    assert_eq!(invalid_field(get).as_deref(), Some("email"));
    let update = update_user(
        UpdateUserParams {
            email: Some("nope".into()),
            ..Default::default()
        },
        &db,
    )
    .await;
    assert_eq!(invalid_field(update).as_deref(), Some("email"));
    let upsert = upsert_user_by_email(
        UpsertUserByEmailParams {
            email: "nope".into(),
            name: "Ada".into(),
            avatar_url: None,
        },
        &db,
    )
    .await;
    assert_eq!(invalid_field(upsert).as_deref(), Some("email"));
    let many = find_users_by_emails(
        FindUsersByEmailsParams {
            emails: vec!["ada@example.com".into(), "nope".into()],
        },
        &db,
    )
    .await;
    assert_eq!(invalid_field(many).as_deref(), Some("emails"));

    assert_eq!(db.statements_executed(), before);
    assert_eq!(User::select().with_deleted().count(&db).await?, 0);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_blank_name_is_refused_before_any_statement(db: Db) -> Result<()> {
    let before = db.statements_executed();
    for blank in ["", "   "] {
        let create = create_user(CreateUserParams::new("ada@example.com", blank), &db).await;
        assert_eq!(invalid_field(create).as_deref(), Some("name"));
    }
    let upsert = upsert_user_by_id(
        UpsertUserByIdParams {
            id: Uuid::new_v4(),
            email: "ada@example.com".into(),
            name: String::new(),
            avatar_url: None,
        },
        &db,
    )
    .await;
    assert_eq!(invalid_field(upsert).as_deref(), Some("name"));
    let blank_avatar = create_user(
        CreateUserParams {
            avatar_url: Some(" ".into()),
            ..CreateUserParams::new("ada@example.com", "Ada")
        },
        &db,
    )
    .await;
    assert_eq!(invalid_field(blank_avatar).as_deref(), Some("avatar_url"));
    assert_eq!(db.statements_executed(), before);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_name_longer_than_255_characters_is_refused(db: Db) -> Result<()> {
    let before = db.statements_executed();
    let longest = "é".repeat(255);
    let too_long = "é".repeat(256);
    let create = create_user(
        CreateUserParams::new("ada@example.com", too_long.clone()),
        &db,
    )
    .await;
    assert_eq!(invalid_field(create).as_deref(), Some("name"));
    let update = update_user(
        UpdateUserParams {
            name: Some(too_long),
            ..Default::default()
        },
        &db,
    )
    .await;
    assert_eq!(invalid_field(update).as_deref(), Some("name"));
    assert_eq!(db.statements_executed(), before);

    let ok = create_user(
        CreateUserParams::new("ada@example.com", longest.clone()),
        &db,
    )
    .await?;
    assert_eq!(ok.name, longest);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_config_that_is_not_an_object_is_refused(db: Db) -> Result<()> {
    let before = db.statements_executed();
    let create = create_user(
        CreateUserParams {
            config: Some(serde_json::json!(["not", "an", "object"])),
            ..CreateUserParams::new("ada@example.com", "Ada")
        },
        &db,
    )
    .await;
    assert_eq!(invalid_field(create).as_deref(), Some("config"));
    assert_eq!(db.statements_executed(), before);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_page_below_1_is_refused(db: Db) -> Result<()> {
    let before = db.statements_executed();
    let page = list_users(ListUsersParams::new(0, 10), &db).await;
    assert_eq!(invalid_field(page).as_deref(), Some("page"));
    assert_eq!(db.statements_executed(), before);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_page_size_outside_1_to_5000_is_refused(db: Db) -> Result<()> {
    let before = db.statements_executed();
    for size in [0, 5001, u32::MAX] {
        let page = list_users(ListUsersParams::new(1, size), &db).await;
        assert_eq!(invalid_field(page).as_deref(), Some("page_size"), "{size}");
    }
    assert_eq!(db.statements_executed(), before);
    let largest = list_users(ListUsersParams::new(1, 5000), &db).await?;
    assert_eq!(largest.page_size, 5000);
    Ok(())
}
