//! The asset permission queries on real rows: granting (and reviving a revoked grant), bulk
//! revoking in one statement, and listing an asset's grants with their users.

use buster_database::schema::{
    AssetPermission, AssetPermissionRole, AssetType, IdentityType, User,
};
use buster_database::{
    AssetPermissionWithUser, CreateUserParams, GrantAssetPermissionParams,
    ListAssetPermissionsParams, RevokeAssetPermissionsParams, SoftDeleteUserParams, create_user,
    grant_asset_permission, list_asset_permissions, revoke_asset_permissions, soft_delete_user,
};
use buster_db::prelude::*;
use buster_db::{Result, Uuid};

use AssetPermissionRole::{CanEdit, CanView, FullAccess, Owner};

async fn user(db: &Db, name: &str) -> Result<User> {
    let email = format!("{}@example.com", name.to_lowercase());
    create_user(CreateUserParams::new(email, name), db).await
}

async fn grant(
    db: &Db,
    identity: (Uuid, IdentityType),
    asset: Uuid,
    role: AssetPermissionRole,
    by: &User,
) -> Result<AssetPermission> {
    grant_asset_permission(
        GrantAssetPermissionParams {
            identity_id: identity.0,
            identity_type: identity.1,
            asset_id: asset,
            asset_type: AssetType::DashboardFile,
            role,
            granted_by: by.id,
        },
        db,
    )
    .await
}

fn to_user(u: &User) -> (Uuid, IdentityType) {
    (u.id, IdentityType::User)
}

fn revoke(asset: Uuid, ids: Vec<Uuid>, by: &User) -> RevokeAssetPermissionsParams {
    RevokeAssetPermissionsParams {
        asset_id: asset,
        asset_type: AssetType::DashboardFile,
        identity_type: IdentityType::User,
        identity_ids: ids,
        revoked_by: by.id,
    }
}

async fn listed(db: &Db, asset: Uuid) -> Result<Vec<AssetPermissionWithUser>> {
    list_asset_permissions(
        ListAssetPermissionsParams {
            asset_id: asset,
            asset_type: AssetType::DashboardFile,
        },
        db,
    )
    .await
}

fn sorted(mut ps: Vec<AssetPermission>) -> Vec<AssetPermission> {
    ps.sort_by_key(|p| p.identity_id);
    ps
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn grant_inserts_then_changes_the_role_in_one_statement(db: Db) -> Result<()> {
    let admin = user(&db, "Admin").await?;
    let other = user(&db, "Other").await?;
    let ada = user(&db, "Ada").await?;
    let dashboard = Uuid::new_v4();

    let before = db.statements_executed();
    let first = grant(&db, to_user(&ada), dashboard, CanView, &admin).await?;
    assert_eq!(db.statements_executed() - before, 1);
    assert_eq!(
        (
            first.identity_id,
            first.identity_type,
            first.asset_id,
            first.asset_type
        ),
        (
            ada.id,
            IdentityType::User,
            dashboard,
            AssetType::DashboardFile
        )
    );
    assert_eq!(
        (first.role, first.created_by, first.updated_by),
        (CanView, admin.id, admin.id)
    );

    let second = grant(&db, to_user(&ada), dashboard, CanEdit, &other).await?;
    assert_eq!(
        (second.role, second.created_by, second.updated_by),
        (CanEdit, admin.id, other.id)
    );
    assert_eq!(second.created_at, first.created_at);
    assert!(second.updated_at > first.updated_at);
    assert_eq!(
        AssetPermission::select().with_deleted().all(&db).await?,
        vec![second]
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_revoked_permission_is_revived_by_a_grant_with_the_new_role(db: Db) -> Result<()> {
    let admin = user(&db, "Admin").await?;
    let ada = user(&db, "Ada").await?;
    let dashboard = Uuid::new_v4();
    let first = grant(&db, to_user(&ada), dashboard, CanView, &admin).await?;
    let revoked = revoke_asset_permissions(revoke(dashboard, vec![ada.id], &admin), &db).await?;
    assert_eq!(revoked.len(), 1);
    assert!(revoked[0].deleted_at.is_some());
    assert!(listed(&db, dashboard).await?.is_empty());

    let revived = grant(&db, to_user(&ada), dashboard, FullAccess, &admin).await?;
    assert_eq!(revived.deleted_at, None);
    assert_eq!(revived.role, FullAccess);
    assert_eq!(revived.created_at, first.created_at);
    assert!(revived.updated_at > revoked[0].updated_at);
    assert_eq!(
        AssetPermission::select().with_deleted().all(&db).await?,
        vec![revived.clone()]
    );
    let rows = listed(&db, dashboard).await?;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (&rows[0].permission, rows[0].user.as_ref()),
        (&revived, Some(&ada))
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn bulk_revoke_is_one_statement_returning_only_the_revoked_live_grants(db: Db) -> Result<()> {
    let admin = user(&db, "Admin").await?;
    let [ada, bob, cy, dee] = [
        user(&db, "Ada").await?,
        user(&db, "Bob").await?,
        user(&db, "Cy").await?,
        user(&db, "Dee").await?,
    ];
    let dashboard = Uuid::new_v4();
    let elsewhere = Uuid::new_v4();
    let g_ada = grant(&db, to_user(&ada), dashboard, CanView, &admin).await?;
    let g_bob = grant(&db, to_user(&bob), dashboard, CanEdit, &admin).await?;
    let g_dee = grant(&db, to_user(&dee), dashboard, CanView, &admin).await?;
    // Same ids, other identity type or other asset: never revoked by a user revoke on `dashboard`.
    let team = grant(
        &db,
        (ada.id, IdentityType::Team),
        dashboard,
        CanView,
        &admin,
    )
    .await?;
    let other_asset = grant(&db, to_user(&ada), elsewhere, Owner, &admin).await?;

    let before = db.statements_executed();
    let revoked = revoke_asset_permissions(
        revoke(dashboard, vec![ada.id, bob.id, cy.id, ada.id], &dee),
        &db,
    )
    .await?;
    assert_eq!(db.statements_executed() - before, 1);
    let revoked = sorted(revoked);
    let mut expected = sorted(vec![g_ada.clone(), g_bob.clone()]);
    for (r, e) in revoked.iter().zip(&mut expected) {
        assert!(r.deleted_at.is_some());
        assert_eq!(r.updated_by, dee.id);
        e.deleted_at = r.deleted_at;
        e.updated_at = r.updated_at;
        e.updated_by = dee.id;
    }
    assert_eq!(revoked, expected);

    let live = sorted(AssetPermission::select().all(&db).await?);
    assert_eq!(live, sorted(vec![g_dee, team, other_asset]));
    assert_eq!(
        AssetPermission::select().only_deleted().count(&db).await?,
        2
    );

    // Revoking again finds nothing live and changes nothing; an empty list sends nothing.
    let again =
        revoke_asset_permissions(revoke(dashboard, vec![ada.id, bob.id], &dee), &db).await?;
    assert!(again.is_empty());
    assert_eq!(
        sorted(AssetPermission::select().only_deleted().all(&db).await?),
        revoked
    );
    let before = db.statements_executed();
    let none = revoke_asset_permissions(revoke(dashboard, vec![], &dee), &db).await?;
    assert!(none.is_empty());
    assert_eq!(db.statements_executed(), before);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn list_asset_permissions_joins_users_only_for_user_identities(db: Db) -> Result<()> {
    let admin = user(&db, "Admin").await?;
    let ada = user(&db, "Ada").await?;
    let bob = user(&db, "Bob").await?;
    let cy = user(&db, "Cy").await?;
    let dashboard = Uuid::new_v4();
    let g_ada = grant(&db, to_user(&ada), dashboard, Owner, &admin).await?;
    // A team whose id equals Ada's id: the compound ON condition keeps Ada out of it.
    let g_team = grant(
        &db,
        (ada.id, IdentityType::Team),
        dashboard,
        CanView,
        &admin,
    )
    .await?;
    let org = Uuid::new_v4();
    let g_org = grant(
        &db,
        (org, IdentityType::Organization),
        dashboard,
        CanView,
        &admin,
    )
    .await?;
    let g_bob = grant(&db, to_user(&bob), dashboard, CanEdit, &admin).await?;
    grant(&db, to_user(&cy), dashboard, CanEdit, &admin).await?;
    grant(&db, to_user(&cy), Uuid::new_v4(), CanEdit, &admin).await?;
    revoke_asset_permissions(revoke(dashboard, vec![cy.id], &admin), &db).await?;
    soft_delete_user(SoftDeleteUserParams { id: bob.id }, &db).await?;

    let before = db.statements_executed();
    let rows = listed(&db, dashboard).await?;
    assert_eq!(db.statements_executed() - before, 1);
    let got: Vec<(AssetPermission, Option<User>)> =
        rows.into_iter().map(|r| (r.permission, r.user)).collect();
    assert_eq!(
        got,
        vec![
            (g_ada, Some(ada)),
            (g_team, None),
            (g_org, None),
            (g_bob, None),
        ]
    );
    assert!(listed(&db, Uuid::new_v4()).await?.is_empty());
    Ok(())
}
