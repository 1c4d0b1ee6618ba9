//! The organizations queries on real rows, the all-or-nothing creation of a user with their
//! organization, and the input each query refuses before sending any SQL.

use buster_database::schema::{
    ColorPalette, ColorPalettes, Organization, User, UserOrganizationRole, UserOrganizationStatus,
    UsersToOrganization,
};
use buster_database::{
    AddUserToOrganizationParams, CountActiveMembersParams, CreateOrganizationParams,
    CreateUserParams, CreateUserWithOrganizationParams, GetOrganizationParams,
    SoftDeleteUserParams, UpdateOrganizationColorPalettesParams, UpdateUserParams,
    add_user_to_organization, count_active_members, create_organization, create_user,
    create_user_with_organization, get_organization, soft_delete_user,
    update_organization_color_palettes, update_user,
};
use buster_db::prelude::*;
use buster_db::types::serde_json;
use buster_db::{DateTime, ErrorKind, JsonValue, Result, Utc, Uuid};
use buster_db_tests::{invalid_field, kind};

/// `organizations` with its palettes read as plain JSON, to see what is stored.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "organizations", columns = "raw_organizations")]
pub struct RawOrganization {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub name: String,
    pub organization_color_palettes: JsonValue,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

async fn user(db: &Db, name: &str) -> Result<User> {
    create_user(
        CreateUserParams::new(format!("{}@example.com", name.to_lowercase()), name),
        db,
    )
    .await
}

async fn org(db: &Db, name: &str) -> Result<Organization> {
    create_organization(CreateOrganizationParams::new(name), db).await
}

async fn member(
    db: &Db,
    user: &User,
    org: &Organization,
    status: UserOrganizationStatus,
) -> Result<UsersToOrganization> {
    add_user_to_organization(
        AddUserToOrganizationParams {
            status,
            ..AddUserToOrganizationParams::new(
                user.id,
                org.id,
                UserOrganizationRole::Querier,
                user.id,
            )
        },
        db,
    )
    .await
}

fn palette(id: &str, colors: &[&str]) -> ColorPalette {
    ColorPalette {
        id: id.into(),
        name: None,
        colors: colors.iter().map(|c| (*c).to_owned()).collect(),
    }
}

fn palettes_params(
    organization_id: Uuid,
    palettes: Vec<ColorPalette>,
) -> UpdateOrganizationColorPalettesParams {
    UpdateOrganizationColorPalettesParams {
        organization_id,
        palettes: ColorPalettes {
            selected_id: palettes.first().map(|p| p.id.clone()),
            palettes,
            selected_dictionary_palette: None,
        },
    }
}

fn count(organization_id: Uuid) -> CountActiveMembersParams {
    CountActiveMembersParams { organization_id }
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn create_organization_stores_the_row_with_its_defaults(db: Db) -> Result<()> {
    let acme = create_organization(
        CreateOrganizationParams {
            domain: Some("acme.io".into()),
            domains: Some(vec!["acme.io".into(), "acme.com".into()]),
            ..CreateOrganizationParams::new("Acme")
        },
        &db,
    )
    .await?;
    assert_eq!(acme.name, "Acme");
    assert_eq!(
        acme.domains.as_deref(),
        Some(&["acme.io".to_owned(), "acme.com".to_owned()][..])
    );
    assert_eq!(acme.default_role, UserOrganizationRole::RestrictedQuerier);
    assert!(!acme.payment_required && !acme.restrict_new_user_invitations);
    assert_eq!(acme.organization_color_palettes.0, ColorPalettes::default());
    assert_eq!(
        get_organization(GetOrganizationParams { id: acme.id }, &db).await?,
        acme
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn organization_names_are_unique_among_live_organizations(db: Db) -> Result<()> {
    let acme = org(&db, "Acme").await?;
    let err = org(&db, "Acme").await.err();
    assert_eq!(
        err.as_ref().map(|e| e.kind()),
        Some(ErrorKind::UniqueViolation)
    );
    assert_eq!(
        err.as_ref().and_then(|e| e.constraint()),
        Some("organizations_name_key")
    );
    // Once deleted, the name is free again.
    Organization::soft_delete(acme.id).one(&db).await?;
    let again = org(&db, "Acme").await?;
    assert_ne!(again.id, acme.id);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn get_organization_is_not_found_for_a_missing_or_deleted_organization(db: Db) -> Result<()> {
    let missing = get_organization(GetOrganizationParams { id: Uuid::new_v4() }, &db).await;
    assert_eq!(kind(missing), Some(ErrorKind::NotFound));
    let acme = org(&db, "Acme").await?;
    Organization::soft_delete(acme.id).one(&db).await?;
    let deleted = get_organization(GetOrganizationParams { id: acme.id }, &db).await;
    assert_eq!(kind(deleted), Some(ErrorKind::NotFound));
    // The row is still there for whoever opts in.
    assert!(
        Organization::find(acme.id)
            .with_deleted()
            .one(&db)
            .await?
            .deleted_at
            .is_some()
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn update_organization_color_palettes_replaces_the_jsonb_value(db: Db) -> Result<()> {
    let acme = org(&db, "Acme").await?;
    let mut params = palettes_params(
        acme.id,
        vec![
            ColorPalette {
                name: Some("Brand".into()),
                ..palette("brand", &["#1f77b4", "#ff7f0e"])
            },
            palette("mono", &["#000000"]),
        ],
    );
    params.palettes.selected_dictionary_palette = Some(palette("d3", &["#2ca02c"]));
    let updated = update_organization_color_palettes(params.clone(), &db).await?;
    assert_eq!(updated.organization_color_palettes.0, params.palettes);
    assert!(updated.updated_at > acme.updated_at);
    assert_eq!(
        get_organization(GetOrganizationParams { id: acme.id }, &db)
            .await?
            .organization_color_palettes
            .0,
        params.palettes
    );

    // Stored with the product's camelCase keys.
    let raw = RawOrganization::find(acme.id).one(&db).await?;
    assert_eq!(
        raw.organization_color_palettes,
        serde_json::json!({
            "selectedId": "brand",
            "palettes": [
                { "id": "brand", "name": "Brand", "colors": ["#1f77b4", "#ff7f0e"] },
                { "id": "mono", "colors": ["#000000"] }
            ],
            "selectedDictionaryPalette": { "id": "d3", "colors": ["#2ca02c"] }
        })
    );

    // Replaced whole, not merged.
    let emptied = update_organization_color_palettes(palettes_params(acme.id, vec![]), &db).await?;
    assert_eq!(
        emptied.organization_color_palettes.0,
        ColorPalettes::default()
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn update_organization_color_palettes_of_a_deleted_organization_is_not_found(
    db: Db,
) -> Result<()> {
    let acme = org(&db, "Acme").await?;
    let deleted = Organization::soft_delete(acme.id).one(&db).await?;
    let params = palettes_params(acme.id, vec![palette("p", &["#fff"])]);
    assert_eq!(
        kind(update_organization_color_palettes(params, &db).await),
        Some(ErrorKind::NotFound)
    );
    assert_eq!(
        Organization::find(acme.id).with_deleted().one(&db).await?,
        deleted
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn count_active_members_counts_active_live_memberships_of_live_users(db: Db) -> Result<()> {
    let acme = org(&db, "Acme").await?;
    let other = org(&db, "Other").await?;
    let ada = user(&db, "Ada").await?;
    let bob = user(&db, "Bob").await?;
    let cy = user(&db, "Cy").await?;
    let dee = user(&db, "Dee").await?;
    let eve = user(&db, "Eve").await?;
    for u in [&ada, &bob, &cy, &dee] {
        member(&db, u, &acme, UserOrganizationStatus::Active).await?;
    }
    member(&db, &eve, &acme, UserOrganizationStatus::Pending).await?;
    member(&db, &ada, &other, UserOrganizationStatus::Active).await?;
    assert_eq!(count_active_members(count(acme.id), &db).await?, 4);

    // A removed membership and a deleted user no longer count.
    UsersToOrganization::soft_delete((cy.id, acme.id))
        .one(&db)
        .await?;
    soft_delete_user(SoftDeleteUserParams { id: dee.id }, &db).await?;
    assert_eq!(count_active_members(count(acme.id), &db).await?, 2);
    assert_eq!(count_active_members(count(other.id), &db).await?, 1);
    assert_eq!(count_active_members(count(Uuid::new_v4()), &db).await?, 0);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_deleted_organization_disappears_from_every_organizations_read(db: Db) -> Result<()> {
    let acme = org(&db, "Acme").await?;
    let ada = user(&db, "Ada").await?;
    member(&db, &ada, &acme, UserOrganizationStatus::Active).await?;
    assert_eq!(count_active_members(count(acme.id), &db).await?, 1);

    Organization::soft_delete(acme.id).one(&db).await?;
    let get = get_organization(GetOrganizationParams { id: acme.id }, &db).await;
    assert_eq!(kind(get), Some(ErrorKind::NotFound));
    assert_eq!(count_active_members(count(acme.id), &db).await?, 0);
    // The membership itself is untouched: the organization hides it.
    assert!(
        UsersToOrganization::find((ada.id, acme.id))
            .one(&db)
            .await?
            .deleted_at
            .is_none()
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn create_user_with_organization_creates_all_three_rows(db: Db) -> Result<()> {
    let created = create_user_with_organization(
        CreateUserWithOrganizationParams {
            user: CreateUserParams::new("ada@example.com", "Ada"),
            organization: CreateOrganizationParams::new("Acme"),
        },
        &db,
    )
    .await?;
    let m = &created.membership;
    assert_eq!(
        (m.user_id, m.organization_id),
        (created.user.id, created.organization.id)
    );
    assert_eq!(m.role, UserOrganizationRole::WorkspaceAdmin);
    assert_eq!(m.status, UserOrganizationStatus::Active);
    assert_eq!(
        (m.created_by, m.updated_by),
        (created.user.id, created.user.id)
    );
    assert_eq!(User::find(created.user.id).one(&db).await?, created.user);
    assert_eq!(
        Organization::find(created.organization.id).one(&db).await?,
        created.organization
    );
    assert_eq!(
        UsersToOrganization::find((created.user.id, created.organization.id))
            .one(&db)
            .await?,
        created.membership
    );
    assert_eq!(
        count_active_members(count(created.organization.id), &db).await?,
        1
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn create_user_with_organization_leaves_nothing_behind_when_a_later_step_fails(
    db: Db,
) -> Result<()> {
    // The organization name is taken, so the second step fails after the user was inserted.
    let taken = org(&db, "Acme").await?;
    let result = create_user_with_organization(
        CreateUserWithOrganizationParams {
            user: CreateUserParams::new("ada@example.com", "Ada"),
            organization: CreateOrganizationParams::new("Acme"),
        },
        &db,
    )
    .await;
    let err = result.err();
    assert_eq!(
        err.as_ref().map(|e| e.kind()),
        Some(ErrorKind::UniqueViolation)
    );
    assert_eq!(
        err.as_ref().and_then(|e| e.constraint()),
        Some("organizations_name_key")
    );
    assert_eq!(User::select().with_deleted().count(&db).await?, 0);
    assert_eq!(
        Organization::select().with_deleted().all(&db).await?,
        vec![taken]
    );
    assert_eq!(
        UsersToOrganization::select()
            .with_deleted()
            .count(&db)
            .await?,
        0
    );

    // With a free name the same input succeeds: the failed attempt left no email behind either.
    let created = create_user_with_organization(
        CreateUserWithOrganizationParams {
            user: CreateUserParams::new("ada@example.com", "Ada"),
            organization: CreateOrganizationParams::new("Acme 2"),
        },
        &db,
    )
    .await?;
    assert_eq!(created.user.email, "ada@example.com");
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn create_user_with_organization_with_a_taken_email_writes_nothing(db: Db) -> Result<()> {
    user(&db, "Ada").await?;
    let result = create_user_with_organization(
        CreateUserWithOrganizationParams {
            user: CreateUserParams::new("ada@example.com", "Ada"),
            organization: CreateOrganizationParams::new("Acme"),
        },
        &db,
    )
    .await;
    assert_eq!(kind(result), Some(ErrorKind::UniqueViolation));
    assert_eq!(User::select().with_deleted().count(&db).await?, 1);
    assert_eq!(Organization::select().with_deleted().count(&db).await?, 0);
    assert_eq!(
        UsersToOrganization::select()
            .with_deleted()
            .count(&db)
            .await?,
        0
    );
    Ok(())
}

// Validation: each rule refuses its input before any statement is sent.

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_blank_organization_name_or_domain_is_refused(db: Db) -> Result<()> {
    let before = db.statements_executed();
    let blank = create_organization(CreateOrganizationParams::new(" "), &db).await;
    assert_eq!(invalid_field(blank).as_deref(), Some("name"));
    let domain = create_organization(
        CreateOrganizationParams {
            domain: Some(String::new()),
            ..CreateOrganizationParams::new("Acme")
        },
        &db,
    )
    .await;
    assert_eq!(invalid_field(domain).as_deref(), Some("domain"));
    let domains = create_organization(
        CreateOrganizationParams {
            domains: Some(vec!["acme.io".into(), String::new()]),
            ..CreateOrganizationParams::new("Acme")
        },
        &db,
    )
    .await;
    assert_eq!(invalid_field(domains).as_deref(), Some("domains"));
    assert_eq!(db.statements_executed(), before);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn an_organization_name_longer_than_255_characters_is_refused(db: Db) -> Result<()> {
    let before = db.statements_executed();
    let long = create_organization(CreateOrganizationParams::new("x".repeat(256)), &db).await;
    assert_eq!(invalid_field(long).as_deref(), Some("name"));
    assert_eq!(db.statements_executed(), before);
    assert_eq!(org(&db, &"x".repeat(255)).await?.name.len(), 255);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn create_user_with_organization_validates_both_parts_before_any_statement(
    db: Db,
) -> Result<()> {
    let before = db.statements_executed();
    let bad_email = create_user_with_organization(
        CreateUserWithOrganizationParams {
            user: CreateUserParams::new("nope", "Ada"),
            organization: CreateOrganizationParams::new("Acme"),
        },
        &db,
    )
    .await;
    assert_eq!(invalid_field(bad_email).as_deref(), Some("user.email"));
    let bad_name = create_user_with_organization(
        CreateUserWithOrganizationParams {
            user: CreateUserParams::new("ada@example.com", "Ada"),
            organization: CreateOrganizationParams::new(""),
        },
        &db,
    )
    .await;
    assert_eq!(
        invalid_field(bad_name).as_deref(),
        Some("organization.name")
    );
    assert_eq!(db.statements_executed(), before);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_palette_without_colors_is_refused(db: Db) -> Result<()> {
    let before = db.statements_executed();
    let params = palettes_params(Uuid::new_v4(), vec![palette("empty", &[])]);
    let r = update_organization_color_palettes(params, &db).await;
    assert_eq!(invalid_field(r).as_deref(), Some("palettes[0].colors"));
    assert_eq!(db.statements_executed(), before);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn palettes_with_blank_or_repeated_ids_or_blank_colors_are_refused(db: Db) -> Result<()> {
    let before = db.statements_executed();
    let id = Uuid::new_v4();
    for (palettes, field) in [
        (vec![palette("", &["#fff"])], "palettes[0].id"),
        (
            vec![palette("a", &["#fff"]), palette("a", &["#000"])],
            "palettes[1].id",
        ),
        (vec![palette("a", &["#fff", " "])], "palettes[0].colors[1]"),
        (
            (0..101)
                .map(|i| palette(&format!("p{i}"), &["#fff"]))
                .collect(),
            "palettes",
        ),
    ] {
        let r = update_organization_color_palettes(palettes_params(id, palettes), &db).await;
        assert_eq!(invalid_field(r).as_deref(), Some(field));
    }
    let mut blank_selection = palettes_params(id, vec![palette("a", &["#fff"])]);
    blank_selection.palettes.selected_id = Some(String::new());
    let r = update_organization_color_palettes(blank_selection, &db).await;
    assert_eq!(invalid_field(r).as_deref(), Some("selected_id"));
    assert_eq!(db.statements_executed(), before);
    Ok(())
}

/// `jsonb` stores no NUL character; one inside any string or key of a JSON param is refused
/// before any statement, naming the field, instead of failing at the server.
#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_nul_character_inside_a_json_param_is_refused_before_any_statement(db: Db) -> Result<()> {
    let ada = user(&db, "Ada").await?;
    let acme = org(&db, "Acme").await?;
    let before = db.statements_executed();

    for config in [
        serde_json::json!({ "theme": "dark\u{0}" }),
        serde_json::json!({ "nested": { "list": ["ok", "bad\u{0}"] } }),
        serde_json::json!({ "key\u{0}": true }),
    ] {
        let mut params = CreateUserParams::new("nul@example.com", "Nul");
        params.config = Some(config.clone());
        assert_eq!(
            invalid_field(create_user(params, &db).await).as_deref(),
            Some("config")
        );
        let update = UpdateUserParams {
            id: ada.id,
            config: Some(config),
            ..Default::default()
        };
        assert_eq!(
            invalid_field(update_user(update, &db).await).as_deref(),
            Some("config")
        );
    }

    let mut named = palette("a", &["#fff"]);
    named.name = Some("Br\u{0}and".into());
    for (palettes, field) in [
        (vec![palette("a\u{0}", &["#fff"])], "palettes[0].id"),
        (vec![named], "palettes[0].name"),
        (
            vec![palette("a", &["#fff", "#0\u{0}0"])],
            "palettes[0].colors[1]",
        ),
    ] {
        let r = update_organization_color_palettes(palettes_params(acme.id, palettes), &db).await;
        assert_eq!(invalid_field(r).as_deref(), Some(field));
    }
    let mut dictionary = palettes_params(acme.id, vec![]);
    dictionary.palettes.selected_dictionary_palette = Some(palette("d3", &["#2ca\u{0}"]));
    let r = update_organization_color_palettes(dictionary, &db).await;
    assert_eq!(
        invalid_field(r).as_deref(),
        Some("selected_dictionary_palette.colors[0]")
    );

    assert_eq!(db.statements_executed(), before);
    Ok(())
}
