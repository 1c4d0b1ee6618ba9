//! The report and asset-search queries on real rows: appending to and replacing report content in
//! one statement each (concurrent appends both land), and a text search over chats, collections
//! and reports in one paginated union.

use buster_database::schema::{
    AssetType, Collection, NewCollection, NewReportFile, Organization, ReportFile, User,
};
use buster_database::{
    AppendReportContentParams, AssetHit, CreateChatWithMessageParams, CreateOrganizationParams,
    CreateUserParams, MessageContent, ReplaceReportContentParams, SearchAssetsParams,
    append_report_content, create_chat_with_message, create_organization, create_user,
    replace_report_content, search_assets,
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
