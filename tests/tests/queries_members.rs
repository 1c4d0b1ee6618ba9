//! The members queries on real rows: adding (and reviving) memberships, listing with search,
//! filters and pages, removing with `deleted_by`, and the input they refuse.

use buster_database::schema::{
    Organization, User, UserOrganizationRole, UserOrganizationStatus, UsersToOrganization,
};
use buster_database::{
    AddUserToOrganizationParams, CreateOrganizationParams, CreateUserParams,
    GetUserWithOrganizationsParams, ListOrganizationMembersParams, OrganizationMember,
    RemoveUserFromOrganizationParams, SoftDeleteUserParams, add_user_to_organization,
    create_organization, create_user, get_user_with_organizations, list_organization_members,
    remove_user_from_organization, soft_delete_user,
};
use buster_db::prelude::*;
use buster_db::{ErrorKind, Page, Result, Uuid};
use buster_db_tests::{invalid_field, kind};

use UserOrganizationRole::{DataAdmin, Querier, Viewer, WorkspaceAdmin};

async fn user_with(db: &Db, name: &str, email: &str) -> Result<User> {
    create_user(CreateUserParams::new(email, name), db).await
}

async fn user(db: &Db, name: &str) -> Result<User> {
    let email = format!("{}@example.com", name.to_lowercase().replace(' ', "."));
    user_with(db, name, &email).await
}

async fn org(db: &Db, name: &str) -> Result<Organization> {
    create_organization(CreateOrganizationParams::new(name), db).await
}

async fn add(
    db: &Db,
    user: &User,
    org: &Organization,
    role: UserOrganizationRole,
    by: &User,
) -> Result<UsersToOrganization> {
    add_user_to_organization(
        AddUserToOrganizationParams::new(user.id, org.id, role, by.id),
        db,
    )
    .await
}

fn remove(user: &User, org: &Organization, by: &User) -> RemoveUserFromOrganizationParams {
    RemoveUserFromOrganizationParams {
        user_id: user.id,
        organization_id: org.id,
        removed_by: by.id,
    }
}

fn names(page: &Page<OrganizationMember>) -> Vec<&str> {
    page.items.iter().map(|m| m.user.name.as_str()).collect()
}

fn search(org: &Organization, text: &str) -> ListOrganizationMembersParams {
    ListOrganizationMembersParams {
        search: Some(text.into()),
        ..ListOrganizationMembersParams::new(org.id, 1, 50)
    }
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn add_user_to_organization_inserts_a_membership_with_defaults(db: Db) -> Result<()> {
    let admin = user(&db, "Admin").await?;
    let ada = user(&db, "Ada").await?;
    let acme = org(&db, "Acme").await?;
    let m = add(&db, &ada, &acme, DataAdmin, &admin).await?;
    assert_eq!((m.user_id, m.organization_id), (ada.id, acme.id));
    assert_eq!(m.role, DataAdmin);
    assert_eq!(m.status, UserOrganizationStatus::Active);
    assert_eq!(
        (m.created_by, m.updated_by, m.deleted_by),
        (admin.id, admin.id, None)
    );
    assert!(!m.edit_sql && !m.upload_csv && !m.export_assets && !m.email_slack_enabled);
    assert_eq!(
        UsersToOrganization::find((ada.id, acme.id))
            .one(&db)
            .await?,
        m
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn adding_a_member_again_updates_role_status_and_updated_by(db: Db) -> Result<()> {
    let admin = user(&db, "Admin").await?;
    let other = user(&db, "Other").await?;
    let ada = user(&db, "Ada").await?;
    let acme = org(&db, "Acme").await?;
    let first = add(&db, &ada, &acme, Querier, &admin).await?;
    let second = add_user_to_organization(
        AddUserToOrganizationParams {
            status: UserOrganizationStatus::Inactive,
            ..AddUserToOrganizationParams::new(ada.id, acme.id, Viewer, other.id)
        },
        &db,
    )
    .await?;
    assert_eq!(second.role, Viewer);
    assert_eq!(second.status, UserOrganizationStatus::Inactive);
    assert_eq!((second.created_by, second.updated_by), (admin.id, other.id));
    assert_eq!(second.created_at, first.created_at);
    assert!(second.updated_at > first.updated_at);
    assert_eq!(
        UsersToOrganization::select()
            .with_deleted()
            .count(&db)
            .await?,
        1
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn adding_a_removed_member_revives_the_same_row(db: Db) -> Result<()> {
    let admin = user(&db, "Admin").await?;
    let ada = user(&db, "Ada").await?;
    let acme = org(&db, "Acme").await?;
    let first = add(&db, &ada, &acme, Querier, &admin).await?;
    let removed = remove_user_from_organization(remove(&ada, &acme, &admin), &db).await?;
    assert!(removed.deleted_at.is_some());

    let revived = add(&db, &ada, &acme, WorkspaceAdmin, &admin).await?;
    assert_eq!(revived.deleted_at, None);
    assert_eq!(revived.deleted_by, None);
    assert_eq!(revived.role, WorkspaceAdmin);
    assert_eq!(revived.created_at, first.created_at);
    assert_eq!(
        UsersToOrganization::select()
            .with_deleted()
            .count(&db)
            .await?,
        1
    );
    let page =
        list_organization_members(ListOrganizationMembersParams::new(acme.id, 1, 10), &db).await?;
    assert_eq!(names(&page), ["Ada"]);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn adding_a_member_to_a_missing_organization_is_a_foreign_key_violation(
    db: Db,
) -> Result<()> {
    let ada = user(&db, "Ada").await?;
    let r = add_user_to_organization(
        AddUserToOrganizationParams::new(ada.id, Uuid::new_v4(), Querier, ada.id),
        &db,
    )
    .await;
    assert_eq!(kind(r), Some(ErrorKind::ForeignKeyViolation));
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn list_organization_members_orders_by_name_and_pages_with_a_total(db: Db) -> Result<()> {
    let acme = org(&db, "Acme").await?;
    let other = org(&db, "Other").await?;
    let admin = user(&db, "Admin").await?;
    for name in ["Eve", "Bob", "Dee", "Ada", "Cy"] {
        let u = user(&db, name).await?;
        add(&db, &u, &acme, Querier, &admin).await?;
    }
    add(&db, &admin, &other, WorkspaceAdmin, &admin).await?;

    let first =
        list_organization_members(ListOrganizationMembersParams::new(acme.id, 1, 2), &db).await?;
    assert_eq!(names(&first), ["Ada", "Bob"]);
    assert_eq!(
        (first.total, first.page, first.page_size, first.has_more),
        (5, 1, 2, true)
    );
    assert!(
        first
            .items
            .iter()
            .all(|m| m.membership.organization_id == acme.id && m.membership.user_id == m.user.id)
    );
    let third =
        list_organization_members(ListOrganizationMembersParams::new(acme.id, 3, 2), &db).await?;
    assert_eq!(names(&third), ["Eve"]);
    assert!(!third.has_more);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn list_organization_members_searches_name_or_email_ignoring_case(db: Db) -> Result<()> {
    let acme = org(&db, "Acme").await?;
    let admin = user(&db, "Admin").await?;
    for (name, email) in [
        ("Ada Lovelace", "ada@analytical.org"),
        ("Grace Hopper", "grace@navy.mil"),
        ("Alan Turing", "alan@bletchley.uk"),
    ] {
        let u = user_with(&db, name, email).await?;
        add(&db, &u, &acme, Querier, &admin).await?;
    }
    let found = list_organization_members(search(&acme, "LOVE"), &db).await?;
    assert_eq!(names(&found), ["Ada Lovelace"]);
    let by_email = list_organization_members(search(&acme, "NAVY.MIL"), &db).await?;
    assert_eq!(names(&by_email), ["Grace Hopper"]);
    let either = list_organization_members(search(&acme, "al"), &db).await?;
    assert_eq!(names(&either), ["Ada Lovelace", "Alan Turing"]);
    assert_eq!(either.total, 2);
    let blank = list_organization_members(search(&acme, "  "), &db).await?;
    assert_eq!(blank.total, 3);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn search_text_wildcards_match_only_themselves(db: Db) -> Result<()> {
    let acme = org(&db, "Acme").await?;
    let admin = user(&db, "Admin").await?;
    for (name, email) in [
        ("100% Sure", "sure@example.com"),
        ("1000 Sure", "thousand@example.com"),
        ("snake_case", "snake@example.com"),
        ("snakeXcase", "camel@example.com"),
        ("back\\slash", "back@example.com"),
    ] {
        let u = user_with(&db, name, email).await?;
        add(&db, &u, &acme, Querier, &admin).await?;
    }
    let percent = list_organization_members(search(&acme, "0%"), &db).await?;
    assert_eq!(names(&percent), ["100% Sure"]);
    let underscore = list_organization_members(search(&acme, "e_c"), &db).await?;
    assert_eq!(names(&underscore), ["snake_case"]);
    let backslash = list_organization_members(search(&acme, "k\\s"), &db).await?;
    assert_eq!(names(&backslash), ["back\\slash"]);
    let only_percent = list_organization_members(search(&acme, "%"), &db).await?;
    assert_eq!(names(&only_percent), ["100% Sure"]);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn list_organization_members_filters_by_role_and_status(db: Db) -> Result<()> {
    let acme = org(&db, "Acme").await?;
    let admin = user(&db, "Admin").await?;
    add(&db, &admin, &acme, WorkspaceAdmin, &admin).await?;
    let ada = user(&db, "Ada").await?;
    add(&db, &ada, &acme, Viewer, &admin).await?;
    let bob = user(&db, "Bob").await?;
    add_user_to_organization(
        AddUserToOrganizationParams {
            status: UserOrganizationStatus::Pending,
            ..AddUserToOrganizationParams::new(bob.id, acme.id, Viewer, admin.id)
        },
        &db,
    )
    .await?;

    let viewers = ListOrganizationMembersParams {
        role: Some(Viewer),
        ..ListOrganizationMembersParams::new(acme.id, 1, 10)
    };
    assert_eq!(
        names(&list_organization_members(viewers.clone(), &db).await?),
        ["Ada", "Bob"]
    );
    let pending_viewers = ListOrganizationMembersParams {
        status: Some(UserOrganizationStatus::Pending),
        ..viewers
    };
    assert_eq!(
        names(&list_organization_members(pending_viewers, &db).await?),
        ["Bob"]
    );
    let admins_named_a = ListOrganizationMembersParams {
        role: Some(WorkspaceAdmin),
        search: Some("a".into()),
        ..ListOrganizationMembersParams::new(acme.id, 1, 10)
    };
    let page = list_organization_members(admins_named_a, &db).await?;
    assert_eq!((names(&page), page.total), (vec!["Admin"], 1));
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn remove_user_from_organization_soft_deletes_and_records_who_removed(db: Db) -> Result<()> {
    let admin = user(&db, "Admin").await?;
    let ada = user(&db, "Ada").await?;
    let acme = org(&db, "Acme").await?;
    let added = add(&db, &ada, &acme, Querier, &ada).await?;

    let before = db.statements_executed();
    let removed = remove_user_from_organization(remove(&ada, &acme, &admin), &db).await?;
    assert_eq!(db.statements_executed() - before, 1, "one statement");
    assert!(removed.deleted_at.is_some());
    assert_eq!(removed.deleted_by, Some(admin.id));
    assert_eq!(removed.updated_by, admin.id);
    assert_eq!(removed.created_by, added.created_by);
    assert_eq!(
        UsersToOrganization::find((ada.id, acme.id))
            .with_deleted()
            .one(&db)
            .await?,
        removed
    );

    // Removing again finds no live membership and changes nothing.
    let again = remove_user_from_organization(remove(&ada, &acme, &ada), &db).await;
    assert_eq!(kind(again), Some(ErrorKind::NotFound));
    let row = UsersToOrganization::find((ada.id, acme.id))
        .with_deleted()
        .one(&db)
        .await?;
    assert_eq!(row, removed);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn removing_a_missing_membership_is_not_found_and_writes_nothing(db: Db) -> Result<()> {
    let ada = user(&db, "Ada").await?;
    let acme = org(&db, "Acme").await?;
    let r = remove_user_from_organization(remove(&ada, &acme, &ada), &db).await;
    assert_eq!(kind(r), Some(ErrorKind::NotFound));
    assert_eq!(
        UsersToOrganization::select()
            .with_deleted()
            .count(&db)
            .await?,
        0
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_deleted_membership_disappears_from_every_members_read(db: Db) -> Result<()> {
    let admin = user(&db, "Admin").await?;
    let ada = user(&db, "Ada").await?;
    let acme = org(&db, "Acme").await?;
    add(&db, &admin, &acme, WorkspaceAdmin, &admin).await?;
    add(&db, &ada, &acme, Querier, &admin).await?;
    remove_user_from_organization(remove(&ada, &acme, &admin), &db).await?;

    let page =
        list_organization_members(ListOrganizationMembersParams::new(acme.id, 1, 10), &db).await?;
    assert_eq!((names(&page), page.total), (vec!["Admin"], 1));
    let ada_orgs =
        get_user_with_organizations(GetUserWithOrganizationsParams { user_id: ada.id }, &db)
            .await?
            .map(|u| u.organizations.len());
    assert_eq!(ada_orgs, Some(0));
    assert_eq!(
        buster_database::count_active_members(
            buster_database::CountActiveMembersParams {
                organization_id: acme.id
            },
            &db
        )
        .await?,
        1
    );
    // Only an explicit opt-in sees it.
    assert_eq!(
        UsersToOrganization::select()
            .only_deleted()
            .filter(UsersToOrganization::user_id.eq(ada.id))
            .count(&db)
            .await?,
        1
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn deleted_users_and_deleted_organizations_list_no_members(db: Db) -> Result<()> {
    let admin = user(&db, "Admin").await?;
    let ada = user(&db, "Ada").await?;
    let acme = org(&db, "Acme").await?;
    add(&db, &admin, &acme, WorkspaceAdmin, &admin).await?;
    add(&db, &ada, &acme, Querier, &admin).await?;

    soft_delete_user(SoftDeleteUserParams { id: ada.id }, &db).await?;
    let page =
        list_organization_members(ListOrganizationMembersParams::new(acme.id, 1, 10), &db).await?;
    assert_eq!((names(&page), page.total), (vec!["Admin"], 1));

    Organization::soft_delete(acme.id).one(&db).await?;
    let page =
        list_organization_members(ListOrganizationMembersParams::new(acme.id, 1, 10), &db).await?;
    assert_eq!((page.items.len(), page.total), (0, 0));
    Ok(())
}

// Validation: each rule refuses its input before any statement is sent.

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn search_text_longer_than_255_characters_is_refused(db: Db) -> Result<()> {
    let before = db.statements_executed();
    let acme_id = Uuid::new_v4();
    let params = ListOrganizationMembersParams {
        search: Some("a".repeat(256)),
        ..ListOrganizationMembersParams::new(acme_id, 1, 10)
    };
    assert_eq!(
        invalid_field(list_organization_members(params, &db).await).as_deref(),
        Some("search")
    );
    assert_eq!(db.statements_executed(), before);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn member_pages_below_1_or_sizes_outside_1_to_5000_are_refused(db: Db) -> Result<()> {
    let before = db.statements_executed();
    let id = Uuid::new_v4();
    let page0 = list_organization_members(ListOrganizationMembersParams::new(id, 0, 10), &db).await;
    assert_eq!(invalid_field(page0).as_deref(), Some("page"));
    for size in [0, 5001] {
        let r =
            list_organization_members(ListOrganizationMembersParams::new(id, 1, size), &db).await;
        assert_eq!(invalid_field(r).as_deref(), Some("page_size"));
    }
    assert_eq!(db.statements_executed(), before);
    Ok(())
}
