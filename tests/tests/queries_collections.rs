//! The collection queries on real rows: adding assets (reviving removed entries) and removing
//! them, each with a number of statements that does not depend on how many assets there are.

use buster_database::schema::{
    AssetType, Collection, CollectionsToAsset, NewCollection, Organization, User,
};
use buster_database::{
    AddAssetsToCollectionParams, CollectionAsset, CreateOrganizationParams, CreateUserParams,
    RemoveAssetsFromCollectionParams, add_assets_to_collection, create_organization, create_user,
    remove_assets_from_collection,
};
use buster_db::prelude::*;
use buster_db::{ErrorKind, Result, Uuid};

use AssetType::{Chat, DashboardFile, MetricFile};

async fn user(db: &Db, name: &str) -> Result<User> {
    let email = format!("{}@example.com", name.to_lowercase());
    create_user(CreateUserParams::new(email, name), db).await
}

async fn collection(db: &Db, org: &Organization, by: &User) -> Result<Collection> {
    Collection::insert(NewCollection {
        id: None,
        name: "Quarterly".into(),
        description: None,
        organization_id: org.id,
        created_by: by.id,
        updated_by: by.id,
    })
    .one(db)
    .await
}

async fn setup(db: &Db) -> Result<(User, Collection)> {
    let ada = user(db, "Ada").await?;
    let acme = create_organization(CreateOrganizationParams::new("Acme"), db).await?;
    let c = collection(db, &acme, &ada).await?;
    Ok((ada, c))
}

fn add(c: &Collection, assets: &[CollectionAsset], by: &User) -> AddAssetsToCollectionParams {
    AddAssetsToCollectionParams {
        collection_id: c.id,
        assets: assets.to_vec(),
        added_by: by.id,
    }
}

fn remove(
    c: &Collection,
    assets: &[CollectionAsset],
    by: &User,
) -> RemoveAssetsFromCollectionParams {
    RemoveAssetsFromCollectionParams {
        collection_id: c.id,
        assets: assets.to_vec(),
        removed_by: by.id,
    }
}

fn keys(mut rows: Vec<CollectionsToAsset>) -> Vec<(Uuid, AssetType)> {
    rows.sort_by_key(|r| (r.asset_id, r.asset_type as u8));
    rows.into_iter()
        .map(|r| (r.asset_id, r.asset_type))
        .collect()
}

fn sorted(mut assets: Vec<CollectionAsset>) -> Vec<(Uuid, AssetType)> {
    assets.sort_by_key(|a| (a.asset_id, a.asset_type as u8));
    assets
        .into_iter()
        .map(|a| (a.asset_id, a.asset_type))
        .collect()
}

fn assets(n: usize, t: AssetType) -> Vec<CollectionAsset> {
    (0..n)
        .map(|_| CollectionAsset::new(Uuid::new_v4(), t))
        .collect()
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn adding_assets_writes_entries_in_two_statements_whatever_their_number(
    db: Db,
) -> Result<()> {
    let (ada, c) = setup(&db).await?;
    let bob = user(&db, "Bob").await?;
    let one = assets(1, Chat);
    let many: Vec<_> = assets(300, MetricFile)
        .into_iter()
        .chain(assets(200, DashboardFile))
        .collect();

    let before = db.statements_executed();
    let added = add_assets_to_collection(add(&c, &one, &ada), &db).await?;
    assert_eq!(db.statements_executed() - before, 2, "touch, upsert");
    assert_eq!(keys(added.clone()), sorted(one.clone()));
    let e = &added[0];
    assert_eq!(
        (e.collection_id, e.created_by, e.updated_by),
        (c.id, ada.id, ada.id)
    );

    let before = db.statements_executed();
    let added = add_assets_to_collection(add(&c, &many, &bob), &db).await?;
    assert_eq!(db.statements_executed() - before, 2);
    assert_eq!(keys(added), sorted(many.clone()));
    let touched = Collection::find(c.id).one(&db).await?;
    assert_eq!(touched.updated_by, bob.id);
    assert!(touched.updated_at > c.updated_at);

    // Adding again, with repeats, only updates `updated_by`.
    let mut again = one.clone();
    again.extend_from_slice(&one);
    let readded = add_assets_to_collection(add(&c, &again, &bob), &db).await?;
    assert_eq!(readded.len(), 1);
    assert_eq!(
        (readded[0].created_by, readded[0].updated_by),
        (ada.id, bob.id)
    );
    assert_eq!(readded[0].created_at, e.created_at);
    assert_eq!(
        CollectionsToAsset::select()
            .with_deleted()
            .count(&db)
            .await?,
        501
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn removing_assets_is_one_statement_matching_each_id_with_its_own_type(db: Db) -> Result<()> {
    let (ada, c) = setup(&db).await?;
    let shared = Uuid::new_v4();
    let chat = CollectionAsset::new(shared, Chat);
    let metric = CollectionAsset::new(shared, MetricFile);
    let rest = assets(3, DashboardFile);
    let mut all = vec![chat, metric];
    all.extend_from_slice(&rest);
    add_assets_to_collection(add(&c, &all, &ada), &db).await?;

    let before = db.statements_executed();
    let removed = remove_assets_from_collection(
        remove(
            &c,
            &[
                chat,
                rest[0],
                rest[1],
                rest[0],
                CollectionAsset::new(shared, DashboardFile),
            ],
            &ada,
        ),
        &db,
    )
    .await?;
    assert_eq!(db.statements_executed() - before, 1);
    assert!(
        removed
            .iter()
            .all(|r| r.deleted_at.is_some() && r.updated_by == ada.id)
    );
    assert_eq!(keys(removed), sorted(vec![chat, rest[0], rest[1]]));
    let live = CollectionsToAsset::select().all(&db).await?;
    assert_eq!(keys(live), sorted(vec![metric, rest[2]]));

    let before = db.statements_executed();
    let many = remove_assets_from_collection(remove(&c, &assets(1000, Chat), &ada), &db).await?;
    assert_eq!(db.statements_executed() - before, 1);
    assert!(many.is_empty());
    let again = remove_assets_from_collection(remove(&c, &[chat], &ada), &db).await?;
    assert!(again.is_empty(), "already removed");
    assert_eq!(
        CollectionsToAsset::select()
            .only_deleted()
            .count(&db)
            .await?,
        3
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn adding_a_removed_asset_revives_its_entry(db: Db) -> Result<()> {
    let (ada, c) = setup(&db).await?;
    let bob = user(&db, "Bob").await?;
    let a = CollectionAsset::new(Uuid::new_v4(), Chat);
    let first = add_assets_to_collection(add(&c, &[a], &ada), &db)
        .await?
        .remove(0);
    let removed = remove_assets_from_collection(remove(&c, &[a], &ada), &db)
        .await?
        .remove(0);
    assert!(removed.deleted_at.is_some());

    let revived = add_assets_to_collection(add(&c, &[a], &bob), &db)
        .await?
        .remove(0);
    assert_eq!(revived.deleted_at, None);
    assert_eq!((revived.created_by, revived.updated_by), (ada.id, bob.id));
    assert_eq!(revived.created_at, first.created_at);
    assert!(revived.updated_at > removed.updated_at);
    assert_eq!(
        CollectionsToAsset::select().with_deleted().all(&db).await?,
        vec![revived]
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn adding_to_a_deleted_collection_or_by_an_unknown_user_writes_nothing(db: Db) -> Result<()> {
    let (ada, c) = setup(&db).await?;
    let ghost = User {
        id: Uuid::new_v4(),
        ..ada.clone()
    };
    let r = add_assets_to_collection(add(&c, &assets(2, Chat), &ghost), &db).await;
    assert_eq!(
        r.err().map(|e| e.kind()),
        Some(ErrorKind::ForeignKeyViolation)
    );
    assert_eq!(Collection::find(c.id).one(&db).await?, c);

    let deleted = Collection::soft_delete(c.id).one(&db).await?;
    let r = add_assets_to_collection(add(&c, &assets(2, Chat), &ada), &db).await;
    assert_eq!(r.err().map(|e| e.kind()), Some(ErrorKind::NotFound));
    assert_eq!(
        Collection::find(c.id).with_deleted().one(&db).await?,
        deleted
    );
    assert_eq!(
        CollectionsToAsset::select()
            .with_deleted()
            .count(&db)
            .await?,
        0
    );

    // Empty lists send nothing.
    let before = db.statements_executed();
    assert!(
        add_assets_to_collection(add(&c, &[], &ada), &db)
            .await?
            .is_empty()
    );
    assert!(
        remove_assets_from_collection(remove(&c, &[], &ada), &db)
            .await?
            .is_empty()
    );
    assert_eq!(db.statements_executed(), before);
    Ok(())
}
