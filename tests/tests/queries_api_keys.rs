//! The API key queries on real rows: creating, validating (key and organization both live),
//! listing and revoking, and the key text they refuse.

use buster_database::schema::{ApiKey, Organization, User};
use buster_database::{
    CreateApiKeyParams, CreateOrganizationParams, CreateUserParams, ListApiKeysParams,
    RevokeApiKeyParams, ValidateApiKeyParams, create_api_key, create_organization, create_user,
    list_api_keys, revoke_api_key, validate_api_key,
};
use buster_db::prelude::*;
use buster_db::{ErrorKind, Result, Uuid};
use buster_db_tests::{invalid_field, kind};

struct Tenant {
    owner: User,
    org: Organization,
}

async fn tenant(db: &Db, name: &str) -> Result<Tenant> {
    let owner = create_user(
        CreateUserParams::new(format!("owner@{}.io", name.to_lowercase()), "Owner"),
        db,
    )
    .await?;
    let org = create_organization(CreateOrganizationParams::new(name), db).await?;
    Ok(Tenant { owner, org })
}

async fn key(db: &Db, t: &Tenant, text: &str) -> Result<ApiKey> {
    create_api_key(
        CreateApiKeyParams {
            owner_id: t.owner.id,
            organization_id: t.org.id,
            key: text.into(),
        },
        db,
    )
    .await
}

fn check(text: &str) -> ValidateApiKeyParams {
    ValidateApiKeyParams { key: text.into() }
}

fn revoke(k: &ApiKey) -> RevokeApiKeyParams {
    RevokeApiKeyParams {
        id: k.id,
        organization_id: k.organization_id,
    }
}

fn list(t: &Tenant) -> ListApiKeysParams {
    ListApiKeysParams {
        organization_id: t.org.id,
    }
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn create_api_key_stores_the_key(db: Db) -> Result<()> {
    let acme = tenant(&db, "Acme").await?;
    let k = key(&db, &acme, "bk_live_0123456789abcdef").await?;
    assert_eq!(k.key, "bk_live_0123456789abcdef");
    assert_eq!(
        (k.owner_id, k.organization_id),
        (acme.owner.id, acme.org.id)
    );
    assert_eq!(k.deleted_at, None);
    assert_eq!(ApiKey::find(k.id).one(&db).await?, k);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn key_text_is_unique_among_live_keys(db: Db) -> Result<()> {
    let acme = tenant(&db, "Acme").await?;
    let first = key(&db, &acme, "bk_same").await?;
    let err = key(&db, &acme, "bk_same").await.err();
    assert_eq!(
        err.as_ref().map(|e| e.kind()),
        Some(ErrorKind::UniqueViolation)
    );
    assert_eq!(
        err.as_ref().and_then(|e| e.constraint()),
        Some("api_keys_key_key")
    );
    // A revoked key's text may be issued again.
    revoke_api_key(revoke(&first), &db).await?;
    let second = key(&db, &acme, "bk_same").await?;
    assert_ne!(second.id, first.id);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn create_api_key_for_a_missing_organization_is_a_foreign_key_violation(
    db: Db,
) -> Result<()> {
    let acme = tenant(&db, "Acme").await?;
    let r = create_api_key(
        CreateApiKeyParams {
            owner_id: acme.owner.id,
            organization_id: Uuid::new_v4(),
            key: "bk_orphan".into(),
        },
        &db,
    )
    .await;
    assert_eq!(kind(r), Some(ErrorKind::ForeignKeyViolation));
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn validate_api_key_returns_the_key_with_its_organization_in_one_statement(
    db: Db,
) -> Result<()> {
    let acme = tenant(&db, "Acme").await?;
    let k = key(&db, &acme, "bk_valid").await?;
    let before = db.statements_executed();
    let found = validate_api_key(check("bk_valid"), &db).await?;
    assert_eq!(db.statements_executed(), before + 1);
    let Some(found) = found else {
        return Err(buster_db::Error::not_found("api_keys"));
    };
    assert_eq!(found.api_key, k);
    assert_eq!(found.organization, acme.org);
    assert_eq!(validate_api_key(check("bk_unknown"), &db).await?, None);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_revoked_key_does_not_validate(db: Db) -> Result<()> {
    let acme = tenant(&db, "Acme").await?;
    let k = key(&db, &acme, "bk_revoked").await?;
    revoke_api_key(revoke(&k), &db).await?;
    assert_eq!(validate_api_key(check("bk_revoked"), &db).await?, None);
    assert!(
        ApiKey::find(k.id)
            .with_deleted()
            .one(&db)
            .await?
            .deleted_at
            .is_some()
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_deleted_organization_hides_its_keys_from_every_api_key_read(db: Db) -> Result<()> {
    let acme = tenant(&db, "Acme").await?;
    let k = key(&db, &acme, "bk_acme").await?;
    Organization::soft_delete(acme.org.id).one(&db).await?;

    assert_eq!(validate_api_key(check("bk_acme"), &db).await?, None);
    assert!(list_api_keys(list(&acme), &db).await?.is_empty());
    // The key itself was not revoked; the organization hides it.
    assert_eq!(ApiKey::find(k.id).one(&db).await?, k);
    // Restoring the organization (an explicit act) brings the key back.
    Organization::restore(acme.org.id).one(&db).await?;
    assert!(validate_api_key(check("bk_acme"), &db).await?.is_some());
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn list_api_keys_lists_the_live_keys_of_one_organization_newest_first(db: Db) -> Result<()> {
    let acme = tenant(&db, "Acme").await?;
    let other = tenant(&db, "Other").await?;
    let a = key(&db, &acme, "bk_a").await?;
    let b = key(&db, &acme, "bk_b").await?;
    let c = key(&db, &acme, "bk_c").await?;
    key(&db, &other, "bk_other").await?;
    revoke_api_key(revoke(&b), &db).await?;

    let keys = list_api_keys(list(&acme), &db).await?;
    assert_eq!(keys, vec![c, a]);
    assert_eq!(list_api_keys(list(&other), &db).await?.len(), 1);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn revoke_api_key_soft_deletes_once_and_only_in_its_organization(db: Db) -> Result<()> {
    let acme = tenant(&db, "Acme").await?;
    let other = tenant(&db, "Other").await?;
    let k = key(&db, &acme, "bk_key").await?;

    let wrong_tenant = RevokeApiKeyParams {
        id: k.id,
        organization_id: other.org.id,
    };
    assert_eq!(
        kind(revoke_api_key(wrong_tenant, &db).await),
        Some(ErrorKind::NotFound)
    );
    assert!(validate_api_key(check("bk_key"), &db).await?.is_some());

    let revoked = revoke_api_key(revoke(&k), &db).await?;
    assert_eq!(revoked.id, k.id);
    assert!(revoked.deleted_at.is_some());
    assert_eq!(
        kind(revoke_api_key(revoke(&k), &db).await),
        Some(ErrorKind::NotFound)
    );
    assert_eq!(ApiKey::find(k.id).with_deleted().one(&db).await?, revoked);
    Ok(())
}

// Validation: each rule refuses its input before any statement is sent.

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn blank_or_whitespace_key_text_is_refused(db: Db) -> Result<()> {
    let before = db.statements_executed();
    for bad in ["", "   ", "bk with space", "bk\tkey"] {
        assert_eq!(
            invalid_field(validate_api_key(check(bad), &db).await).as_deref(),
            Some("key"),
            "{bad:?}"
        );
        let create = create_api_key(
            CreateApiKeyParams {
                owner_id: Uuid::new_v4(),
                organization_id: Uuid::new_v4(),
                key: bad.into(),
            },
            &db,
        )
        .await;
        assert_eq!(invalid_field(create).as_deref(), Some("key"));
    }
    assert_eq!(db.statements_executed(), before);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn key_text_longer_than_1024_characters_is_refused(db: Db) -> Result<()> {
    let before = db.statements_executed();
    let long = "k".repeat(1025);
    assert_eq!(
        invalid_field(validate_api_key(check(&long), &db).await).as_deref(),
        Some("key")
    );
    assert_eq!(db.statements_executed(), before);
    assert_eq!(validate_api_key(check(&"k".repeat(1024)), &db).await?, None);
    Ok(())
}
