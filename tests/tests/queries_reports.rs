//! The report and asset queries on real rows: appending to and replacing report content in one
//! statement each (concurrent appends all land), a text search over chats, collections and
//! reports in one paginated union, and the permissioned library listing (one statement, CASE
//! ordering, database pagination).

use buster_database::schema::{AssetPermissionRole, IdentityType};
use buster_database::schema::{
    AssetType, Collection, NewCollection, NewReportFile, Organization, ReportFile, User,
};
use buster_database::{
    AddAssetsToCollectionParams, AppendReportContentParams, AssetHit, CollectionAsset,
    CreateChatWithMessageParams, CreateOrganizationParams, CreateUserParams,
    GetAssetAncestorsParams, GrantAssetPermissionParams, ListLibraryAssetsParams, MessageContent,
    ReplaceReportContentParams, RevokeAssetPermissionsParams, SearchAssetsParams,
    add_assets_to_collection, append_report_content, create_chat_with_message, create_organization,
    create_user, get_asset_ancestors, grant_asset_permission, list_library_assets,
    list_shared_assets, replace_report_content, revoke_asset_permissions, search_assets,
};
use buster_db::prelude::*;
use buster_db::{ErrorKind, Result, Uuid};
use buster_db_tests::{invalid_field, kind};

async fn setup(db: &Db) -> Result<(User, Organization)> {
    let ada = create_user(CreateUserParams::new("ada@example.com", "Ada"), db).await?;
    let acme = create_organization(CreateOrganizationParams::new("Acme"), db).await?;
    Ok((ada, acme))
}

async fn report(
    db: &Db,
    by: &User,
    org: &Organization,
    name: &str,
    content: &str,
) -> Result<ReportFile> {
    ReportFile::insert(NewReportFile {
        id: None,
        name: name.into(),
        content: Some(content.into()),
        organization_id: org.id,
        created_by: by.id,
        updated_by: by.id,
    })
    .one(db)
    .await
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn appending_and_replacing_edit_the_content_in_place(db: Db) -> Result<()> {
    let (ada, acme) = setup(&db).await?;
    let bob = create_user(CreateUserParams::new("bob@example.com", "Bob"), &db).await?;
    let r = report(&db, &ada, &acme, "Q3", "# Q3\n").await?;

    let appended = append_report_content(
        AppendReportContentParams::new(r.id, "Revenue grew.\n", bob.id),
        &db,
    )
    .await?;
    assert_eq!(appended.content, "# Q3\nRevenue grew.\n");
    assert_eq!(appended.updated_by, bob.id);

    let replaced = replace_report_content(
        ReplaceReportContentParams::new(r.id, "grew", "rose", ada.id),
        &db,
    )
    .await?;
    assert_eq!(replaced.content, "# Q3\nRevenue rose.\n");
    assert_eq!(
        ReportFile::find(r.id).one(&db).await?.content,
        replaced.content
    );

    // Concurrent appends are computed by the server from the current row: none is lost.
    let mut edits = tokio::task::JoinSet::new();
    for i in 0..8 {
        let db = db.clone();
        let params = AppendReportContentParams::new(r.id, format!("[{i}]"), ada.id);
        edits.spawn(async move { append_report_content(params, &db).await });
    }
    while let Some(result) = edits.join_next().await {
        result.expect("the edit task ran")?;
    }
    let content = ReportFile::find(r.id).one(&db).await?.content;
    for i in 0..8 {
        assert!(content.contains(&format!("[{i}]")), "{content}");
    }
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn edits_refuse_bad_input_and_deleted_reports(db: Db) -> Result<()> {
    let (ada, acme) = setup(&db).await?;
    let r = report(&db, &ada, &acme, "Q3", "text").await?;
    assert_eq!(
        invalid_field(
            append_report_content(AppendReportContentParams::new(r.id, "", ada.id), &db).await
        )
        .as_deref(),
        Some("text")
    );
    assert_eq!(
        invalid_field(
            replace_report_content(ReplaceReportContentParams::new(r.id, "", "x", ada.id), &db)
                .await
        )
        .as_deref(),
        Some("find")
    );
    ReportFile::soft_delete(r.id).one(&db).await?;
    assert_eq!(
        kind(
            append_report_content(AppendReportContentParams::new(r.id, "more", ada.id), &db).await
        ),
        Some(ErrorKind::NotFound)
    );
    assert_eq!(
        kind(
            append_report_content(
                AppendReportContentParams::new(Uuid::new_v4(), "more", ada.id),
                &db
            )
            .await
        ),
        Some(ErrorKind::NotFound)
    );
    // The deleted report kept its content.
    let kept = ReportFile::find(r.id).with_deleted().one(&db).await?;
    assert_eq!(kept.content, "text");
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_search_finds_chats_collections_and_reports_of_the_organization(db: Db) -> Result<()> {
    let (ada, acme) = setup(&db).await?;
    let other = create_organization(CreateOrganizationParams::new("Other"), &db).await?;
    let chat = create_chat_with_message(
        CreateChatWithMessageParams::new(
            acme.id,
            ada.id,
            "Revenue planning",
            MessageContent::request("first", "How do we plan?"),
        ),
        &db,
    )
    .await?
    .chat;
    let collection = Collection::insert(NewCollection {
        id: None,
        name: "Plans for 2027".into(),
        description: None,
        organization_id: acme.id,
        created_by: ada.id,
        updated_by: ada.id,
    })
    .one(&db)
    .await?;
    let plan = report(&db, &ada, &acme, "Hiring plan", "").await?;
    let gone = report(&db, &ada, &acme, "Old plan", "").await?;
    ReportFile::soft_delete(gone.id).one(&db).await?;
    report(&db, &ada, &other, "Their plan", "").await?;
    report(&db, &ada, &acme, "Churn", "").await?;

    let page = search_assets(SearchAssetsParams::new(acme.id, "plans", 1, 2), &db).await?;
    assert_eq!(page.total, 3);
    assert!(page.has_more);
    assert_eq!(
        page.items,
        vec![
            AssetHit {
                asset_id: plan.id,
                asset_type: AssetType::ReportFile,
                name: "Hiring plan".into()
            },
            AssetHit {
                asset_id: collection.id,
                asset_type: AssetType::Collection,
                name: "Plans for 2027".into()
            },
        ]
    );
    let rest = search_assets(SearchAssetsParams::new(acme.id, "plans", 2, 2), &db).await?;
    assert_eq!(
        rest.items,
        vec![AssetHit {
            asset_id: chat.id,
            asset_type: AssetType::Chat,
            name: "Revenue planning".into()
        }]
    );
    let none = search_assets(
        SearchAssetsParams::new(acme.id, "plan -hiring -revenue -2027", 1, 10),
        &db,
    )
    .await?;
    assert_eq!(none.total, 0);
    assert_eq!(
        invalid_field(search_assets(SearchAssetsParams::new(acme.id, " ", 1, 10), &db).await)
            .as_deref(),
        Some("query")
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn the_library_lists_what_a_user_created_or_was_granted_collections_first(
    db: Db,
) -> Result<()> {
    let (ada, acme) = setup(&db).await?;
    let bob = create_user(CreateUserParams::new("bob@example.com", "Bob"), &db).await?;
    let chat = create_chat_with_message(
        CreateChatWithMessageParams::new(
            acme.id,
            ada.id,
            "Ada's chat",
            MessageContent::request("first", "Hi"),
        ),
        &db,
    )
    .await?
    .chat;
    let mine = report(&db, &ada, &acme, "Ada's report", "").await?;
    let shared = report(&db, &bob, &acme, "Bob's shared report", "").await?;
    let private = report(&db, &bob, &acme, "Bob's private report", "").await?;
    let deleted = report(&db, &ada, &acme, "Ada's deleted report", "").await?;
    ReportFile::soft_delete(deleted.id).one(&db).await?;
    let folder = Collection::insert(NewCollection {
        id: None,
        name: "Bob's collection".into(),
        description: None,
        organization_id: acme.id,
        created_by: bob.id,
        updated_by: bob.id,
    })
    .one(&db)
    .await?;
    for (asset, kind) in [
        (shared.id, AssetType::ReportFile),
        (folder.id, AssetType::Collection),
    ] {
        grant_asset_permission(
            GrantAssetPermissionParams::to_user(
                ada.id,
                asset,
                kind,
                AssetPermissionRole::CanView,
                bob.id,
            ),
            &db,
        )
        .await?;
    }

    let names = |page: &buster_db::Page<buster_database::LibraryAsset>| {
        page.items
            .iter()
            .map(|a| a.name.clone())
            .collect::<Vec<_>>()
    };
    let first =
        list_library_assets(ListLibraryAssetsParams::new(ada.id, acme.id, 1, 3), &db).await?;
    assert_eq!(first.total, 4);
    assert!(first.has_more);
    // Collections, then reports (newest first), then chats.
    assert_eq!(
        names(&first),
        ["Bob's collection", "Bob's shared report", "Ada's report"]
    );
    let second =
        list_library_assets(ListLibraryAssetsParams::new(ada.id, acme.id, 2, 3), &db).await?;
    assert_eq!(names(&second), ["Ada's chat"]);
    assert_eq!(second.items[0].asset_id, chat.id);
    assert_eq!(second.items[0].asset_type, AssetType::Chat);
    assert!(!names(&first).contains(&private.name));
    assert!(!names(&first).contains(&deleted.name));
    assert!(names(&first).contains(&mine.name));

    // The shared listing: only what others created and granted.
    let shared_page =
        list_shared_assets(ListLibraryAssetsParams::new(ada.id, acme.id, 1, 10), &db).await?;
    assert_eq!(
        names(&shared_page),
        ["Bob's collection", "Bob's shared report"]
    );
    assert_eq!(shared_page.total, 2);

    // A revoked grant hides the asset again.
    revoke_asset_permissions(
        RevokeAssetPermissionsParams {
            asset_id: shared.id,
            asset_type: AssetType::ReportFile,
            identity_type: IdentityType::User,
            identity_ids: vec![ada.id],
            revoked_by: bob.id,
        },
        &db,
    )
    .await?;
    let after =
        list_library_assets(ListLibraryAssetsParams::new(ada.id, acme.id, 1, 10), &db).await?;
    assert_eq!(
        names(&after),
        ["Bob's collection", "Ada's report", "Ada's chat"]
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn the_ancestors_of_a_report_are_its_collections_and_chats_in_one_statement(
    db: Db,
) -> Result<()> {
    let (ada, acme) = setup(&db).await?;
    let r = report(&db, &ada, &acme, "Q3", "").await?;
    let collection = |name: &str| NewCollection {
        id: None,
        name: name.into(),
        description: None,
        organization_id: acme.id,
        created_by: ada.id,
        updated_by: ada.id,
    };
    let board = Collection::insert(collection("Board")).one(&db).await?;
    let finance = Collection::insert(collection("Finance")).one(&db).await?;
    let archive = Collection::insert(collection("Archive")).one(&db).await?;
    for c in [&board, &finance, &archive] {
        add_assets_to_collection(
            AddAssetsToCollectionParams {
                collection_id: c.id,
                assets: vec![CollectionAsset::new(r.id, AssetType::ReportFile)],
                added_by: ada.id,
            },
            &db,
        )
        .await?;
    }
    Collection::soft_delete(archive.id).one(&db).await?;
    let chat = create_chat_with_message(
        CreateChatWithMessageParams::new(
            acme.id,
            ada.id,
            "Q3 chat",
            MessageContent::request("t", "Hi"),
        ),
        &db,
    )
    .await?
    .chat;
    buster_database::schema::Chat::update(chat.id)
        .set(buster_database::schema::Chat::most_recent_file_id, r.id)
        .set(
            buster_database::schema::Chat::most_recent_file_type,
            AssetType::ReportFile,
        )
        .one(&db)
        .await?;

    let before = db.statements_executed();
    let found = get_asset_ancestors(
        GetAssetAncestorsParams::new(r.id, AssetType::ReportFile),
        &db,
    )
    .await?;
    assert_eq!(db.statements_executed() - before, 1);
    assert_eq!(
        found,
        vec![
            AssetHit {
                asset_id: board.id,
                asset_type: AssetType::Collection,
                name: "Board".into()
            },
            AssetHit {
                asset_id: finance.id,
                asset_type: AssetType::Collection,
                name: "Finance".into()
            },
            AssetHit {
                asset_id: chat.id,
                asset_type: AssetType::Chat,
                name: "Q3 chat".into()
            },
        ]
    );
    // The same id as another kind has no ancestors.
    assert!(
        get_asset_ancestors(GetAssetAncestorsParams::new(r.id, AssetType::Chat), &db)
            .await?
            .is_empty()
    );
    Ok(())
}
