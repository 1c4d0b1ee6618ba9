//! The chats and messages queries on real rows: creating a chat with its owner grant and first
//! message atomically, upserting messages that touch their chat, the chat with its creator, the
//! union listing of a user's chats, and conversation history.

use buster_database::schema::{
    AssetPermission, AssetPermissionRole, AssetType, Chat, ChatType, IdentityType, Message,
    Organization, User,
};
use buster_database::{
    ChatWithFirstMessage, CreateChatWithMessageParams, CreateOrganizationParams, CreateUserParams,
    GetChatWithCreatorParams, GetConversationHistoryParams, GrantAssetPermissionParams,
    ListChatsForUserParams, MessageContent, RevokeAssetPermissionsParams, SoftDeleteUserParams,
    UpsertMessageParams, UpsertedMessage, create_chat_with_message, create_organization,
    create_user, get_chat_with_creator, get_conversation_history, grant_asset_permission,
    list_chats_for_user, revoke_asset_permissions, soft_delete_user, upsert_message,
};
use buster_db::prelude::*;
use buster_db::query::Written;
use buster_db::types::serde_json::json;
use buster_db::{ErrorKind, Page, Result, Uuid};
use buster_db_tests::{invalid_field, kind};

async fn user(db: &Db, name: &str) -> Result<User> {
    let email = format!("{}@example.com", name.to_lowercase());
    create_user(CreateUserParams::new(email, name), db).await
}

async fn org(db: &Db) -> Result<Organization> {
    create_organization(CreateOrganizationParams::new("Acme"), db).await
}

async fn chat(db: &Db, org: &Organization, by: &User, title: &str) -> Result<ChatWithFirstMessage> {
    create_chat_with_message(
        CreateChatWithMessageParams::new(
            org.id,
            by.id,
            title,
            MessageContent::request(format!("{title}: first"), "How are sales?"),
        ),
        db,
    )
    .await
}

async fn say(db: &Db, chat: &Chat, by: &User, id: Uuid, title: &str) -> Result<UpsertedMessage> {
    upsert_message(
        UpsertMessageParams {
            id,
            chat_id: chat.id,
            created_by: by.id,
            content: MessageContent::request(title, format!("{title}?")),
        },
        db,
    )
    .await
}

async fn grant(db: &Db, user: &User, chat: &Chat, by: &User) -> Result<AssetPermission> {
    grant_asset_permission(
        GrantAssetPermissionParams::to_user(
            user.id,
            chat.id,
            AssetType::Chat,
            AssetPermissionRole::CanView,
            by.id,
        ),
        db,
    )
    .await
}

fn titles(page: &Page<Chat>) -> Vec<&str> {
    page.items.iter().map(|c| c.title.as_str()).collect()
}

fn message_titles(messages: &[Message]) -> Vec<&str> {
    messages.iter().map(|m| m.title.as_str()).collect()
}

async fn history(db: &Db, message: &Message) -> Result<Vec<Message>> {
    get_conversation_history(
        GetConversationHistoryParams {
            message_id: message.id,
        },
        db,
    )
    .await
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn create_chat_with_message_writes_the_chat_its_owner_grant_and_the_message(
    db: Db,
) -> Result<()> {
    let ada = user(&db, "Ada").await?;
    let acme = org(&db).await?;
    let before = db.statements_executed();
    let created = chat(&db, &acme, &ada, "Sales").await?;
    assert_eq!(db.statements_executed() - before, 3, "chat, grant, message");

    let c = &created.chat;
    assert_eq!(
        (c.title.as_str(), c.chat_type),
        ("Sales", ChatType::Analyst)
    );
    assert_eq!(
        (c.organization_id, c.created_by, c.updated_by),
        (acme.id, ada.id, ada.id)
    );
    assert!(!c.publicly_accessible);
    let p = &created.owner_permission;
    assert_eq!(
        (
            p.identity_id,
            p.identity_type,
            p.asset_id,
            p.asset_type,
            p.role
        ),
        (
            ada.id,
            IdentityType::User,
            c.id,
            AssetType::Chat,
            AssetPermissionRole::Owner
        )
    );
    assert_eq!((p.created_by, p.deleted_at), (ada.id, None));
    let m = &created.message;
    assert_eq!((m.chat_id, m.created_by), (c.id, ada.id));
    assert_eq!(m.title, "Sales: first");
    assert_eq!(m.request_message.as_deref(), Some("How are sales?"));
    assert_eq!(
        (m.response_messages.clone(), m.is_completed),
        (json!([]), false)
    );

    assert_eq!(Chat::find(c.id).one(&db).await?, *c);
    assert_eq!(Message::select().all(&db).await?, vec![m.clone()]);
    assert_eq!(AssetPermission::select().all(&db).await?, vec![p.clone()]);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_failing_chat_creation_leaves_nothing_behind(db: Db) -> Result<()> {
    let ada = user(&db, "Ada").await?;
    let acme = org(&db).await?;
    // An unknown creator, then an unknown organization.
    let ghost = Uuid::new_v4();
    let r = create_chat_with_message(
        CreateChatWithMessageParams::new(
            acme.id,
            ghost,
            "Ghost",
            MessageContent::request("hi", "hi"),
        ),
        &db,
    )
    .await;
    assert_eq!(kind(r), Some(ErrorKind::ForeignKeyViolation));
    let r = chat(
        &db,
        &Organization {
            id: Uuid::new_v4(),
            ..acme.clone()
        },
        &ada,
        "x",
    )
    .await;
    assert_eq!(kind(r), Some(ErrorKind::ForeignKeyViolation));

    assert_eq!(Chat::select().with_deleted().count(&db).await?, 0);
    assert_eq!(Message::select().with_deleted().count(&db).await?, 0);
    assert_eq!(
        AssetPermission::select().with_deleted().count(&db).await?,
        0
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn chat_creation_refuses_bad_titles_and_message_content_before_any_sql(db: Db) -> Result<()> {
    let ada = user(&db, "Ada").await?;
    let acme = org(&db).await?;
    let ok = CreateChatWithMessageParams::new(
        acme.id,
        ada.id,
        "Sales",
        MessageContent::request("first", "hi"),
    );
    let mut blank_title = ok.clone();
    blank_title.title = "  ".into();
    let mut long_title = ok.clone();
    long_title.title = "t".repeat(256);
    let mut blank_message_title = ok.clone();
    blank_message_title.message.title = String::new();
    let mut object_reasoning = ok.clone();
    object_reasoning.message.reasoning = json!({"step": 1});
    let mut nul_response = ok.clone();
    nul_response.message.response_messages = json!([{"text": "a\0b"}]);
    let mut nul_request = ok.clone();
    nul_request.message.request_message = Some("a\0b".into());

    let before = db.statements_executed();
    for (params, field) in [
        (blank_title, "title"),
        (long_title, "title"),
        (blank_message_title, "message.title"),
        (object_reasoning, "message.reasoning"),
        (nul_response, "message.response_messages"),
        (nul_request, "message.request_message"),
    ] {
        let r = create_chat_with_message(params, &db).await;
        assert_eq!(invalid_field(r).as_deref(), Some(field));
    }
    assert_eq!(db.statements_executed(), before);
    assert_eq!(Chat::select().with_deleted().count(&db).await?, 0);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn upsert_message_inserts_then_updates_and_touches_the_chat_each_time(db: Db) -> Result<()> {
    let ada = user(&db, "Ada").await?;
    let bob = user(&db, "Bob").await?;
    let acme = org(&db).await?;
    let created = chat(&db, &acme, &ada, "Sales").await?;
    let id = Uuid::new_v4();

    let before = db.statements_executed();
    let first = say(&db, &created.chat, &ada, id, "Q2").await?;
    assert_eq!(
        db.statements_executed() - before,
        2,
        "touch the chat, upsert the message"
    );
    assert_eq!(first.written, Written::Inserted);
    assert_eq!(
        (first.message.id, first.message.chat_id),
        (id, created.chat.id)
    );
    assert!(first.chat.updated_at > created.chat.updated_at);
    assert_eq!(Chat::find(created.chat.id).one(&db).await?, first.chat);

    let second = upsert_message(
        UpsertMessageParams {
            id,
            chat_id: created.chat.id,
            created_by: bob.id,
            content: MessageContent {
                response_messages: json!([{"text": "Up 4%"}]),
                is_completed: true,
                feedback: Some("great".into()),
                ..MessageContent::request("Q2 (edited)", "Q2 sales?")
            },
        },
        &db,
    )
    .await?;
    assert_eq!(second.written, Written::Updated);
    let m = &second.message;
    assert_eq!(m.title, "Q2 (edited)");
    assert_eq!(m.response_messages, json!([{"text": "Up 4%"}]));
    assert!(m.is_completed);
    assert_eq!(m.feedback.as_deref(), Some("great"));
    assert_eq!(
        (m.created_by, m.created_at),
        (ada.id, first.message.created_at)
    );
    assert!(second.chat.updated_at > first.chat.updated_at);
    assert_eq!(Message::find(id).one(&db).await?, *m);
    assert_eq!(Message::select().count(&db).await?, 2);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn upsert_message_on_a_deleted_chat_is_not_found_and_writes_nothing(db: Db) -> Result<()> {
    let ada = user(&db, "Ada").await?;
    let acme = org(&db).await?;
    let created = chat(&db, &acme, &ada, "Sales").await?;
    let deleted = Chat::soft_delete(created.chat.id).one(&db).await?;

    let r = say(&db, &created.chat, &ada, Uuid::new_v4(), "late").await;
    assert_eq!(kind(r), Some(ErrorKind::NotFound));
    let r = say(&db, &created.chat, &ada, created.message.id, "edit").await;
    assert_eq!(kind(r), Some(ErrorKind::NotFound));

    assert_eq!(
        Chat::find(created.chat.id).with_deleted().one(&db).await?,
        deleted
    );
    assert_eq!(Message::select().all(&db).await?, vec![created.message]);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn a_failed_message_upsert_rolls_back_the_chat_touch(db: Db) -> Result<()> {
    let ada = user(&db, "Ada").await?;
    let acme = org(&db).await?;
    let sales = chat(&db, &acme, &ada, "Sales").await?;
    let costs = chat(&db, &acme, &ada, "Costs").await?;

    // The id of a message of another chat: the update runs, then the whole transaction rolls back.
    let r = say(&db, &sales.chat, &ada, costs.message.id, "hijack").await;
    assert_eq!(kind(r), Some(ErrorKind::NotFound));
    assert_eq!(
        Message::find(costs.message.id).one(&db).await?,
        costs.message
    );
    assert_eq!(Chat::find(sales.chat.id).one(&db).await?, sales.chat);

    // A soft-deleted message is not revived: the chat touch is rolled back too.
    let gone = Message::soft_delete(sales.message.id).one(&db).await?;
    let r = say(&db, &sales.chat, &ada, sales.message.id, "revive?").await;
    assert_eq!(kind(r), Some(ErrorKind::NotFound));
    assert_eq!(Message::find(gone.id).with_deleted().one(&db).await?, gone);
    assert_eq!(Chat::find(sales.chat.id).one(&db).await?, sales.chat);

    // A new message whose sender does not exist.
    let r = upsert_message(
        UpsertMessageParams {
            id: Uuid::new_v4(),
            chat_id: sales.chat.id,
            created_by: Uuid::new_v4(),
            content: MessageContent::request("who?", "who?"),
        },
        &db,
    )
    .await;
    assert_eq!(kind(r), Some(ErrorKind::ForeignKeyViolation));
    assert_eq!(Chat::find(sales.chat.id).one(&db).await?, sales.chat);
    assert_eq!(Message::select().with_deleted().count(&db).await?, 2);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn upsert_message_refuses_bad_content_before_any_sql(db: Db) -> Result<()> {
    let ada = user(&db, "Ada").await?;
    let acme = org(&db).await?;
    let created = chat(&db, &acme, &ada, "Sales").await?;
    let chat_before = Chat::find(created.chat.id).one(&db).await?;
    let params = |content: MessageContent| UpsertMessageParams {
        id: Uuid::new_v4(),
        chat_id: created.chat.id,
        created_by: ada.id,
        content,
    };
    let before = db.statements_executed();
    for (content, field) in [
        (MessageContent::request("", "x"), "content.title"),
        (
            MessageContent {
                response_messages: json!("text"),
                ..MessageContent::request("t", "x")
            },
            "content.response_messages",
        ),
        (
            MessageContent {
                feedback: Some("f".repeat(1_000_001)),
                ..MessageContent::request("t", "x")
            },
            "content.feedback",
        ),
    ] {
        let r = upsert_message(params(content), &db).await;
        assert_eq!(invalid_field(r).as_deref(), Some(field));
    }
    assert_eq!(db.statements_executed(), before);
    assert_eq!(Chat::find(created.chat.id).one(&db).await?, chat_before);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn get_chat_with_creator_left_joins_the_creator(db: Db) -> Result<()> {
    let ada = user(&db, "Ada").await?;
    let acme = org(&db).await?;
    let created = chat(&db, &acme, &ada, "Sales").await?;
    let params = GetChatWithCreatorParams {
        chat_id: created.chat.id,
    };

    let before = db.statements_executed();
    let got = get_chat_with_creator(params, &db).await?.expect("the chat");
    assert_eq!(db.statements_executed() - before, 1);
    assert_eq!(
        (got.chat, got.creator),
        (created.chat.clone(), Some(ada.clone()))
    );

    soft_delete_user(SoftDeleteUserParams { id: ada.id }, &db).await?;
    let got = get_chat_with_creator(params, &db)
        .await?
        .expect("the chat stays");
    assert_eq!((got.chat, got.creator), (created.chat.clone(), None));

    Chat::soft_delete(created.chat.id).one(&db).await?;
    assert_eq!(get_chat_with_creator(params, &db).await?, None);
    let unknown = GetChatWithCreatorParams {
        chat_id: Uuid::new_v4(),
    };
    assert_eq!(get_chat_with_creator(unknown, &db).await?, None);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn list_chats_for_user_unions_created_and_granted_chats_newest_first(db: Db) -> Result<()> {
    let ada = user(&db, "Ada").await?;
    let bob = user(&db, "Bob").await?;
    let acme = org(&db).await?;
    // Created one after the other, so each is more recently updated than the one before.
    let a1 = chat(&db, &acme, &ada, "a1").await?.chat;
    let b1 = chat(&db, &acme, &bob, "b1").await?.chat;
    let a2 = chat(&db, &acme, &ada, "a2").await?.chat;
    let b2 = chat(&db, &acme, &bob, "b2").await?.chat;
    let b3 = chat(&db, &acme, &bob, "b3 not shared").await?.chat;
    let b4 = chat(&db, &acme, &bob, "b4 revoked").await?.chat;
    let a3 = chat(&db, &acme, &ada, "a3 deleted").await?.chat;
    let b5 = chat(&db, &acme, &bob, "b5 deleted").await?.chat;
    chat(&db, &acme, &ada, "a4").await?;
    let b6 = chat(&db, &acme, &bob, "b6").await?.chat;
    for c in [&b1, &b2, &b4, &b5, &b6] {
        grant(&db, &ada, c, &bob).await?;
    }
    // In both halves of the union: created by Ada and granted to her (listed once).
    grant(&db, &ada, &a2, &ada).await?;
    revoke_asset_permissions(
        RevokeAssetPermissionsParams {
            asset_id: b4.id,
            asset_type: AssetType::Chat,
            identity_type: IdentityType::User,
            identity_ids: vec![ada.id],
            revoked_by: bob.id,
        },
        &db,
    )
    .await?;
    Chat::soft_delete(a3.id).one(&db).await?;
    Chat::soft_delete(b5.id).one(&db).await?;
    // A new message moves a1 to the top.
    say(&db, &a1, &ada, Uuid::new_v4(), "again").await?;

    let page = |n| list_chats_for_user(ListChatsForUserParams::new(ada.id, n, 2), &db);
    let before = db.statements_executed();
    let p1 = page(1).await?;
    assert_eq!(db.statements_executed() - before, 2, "rows and count");
    let p2 = page(2).await?;
    let p3 = page(3).await?;
    let p4 = page(4).await?;
    assert_eq!(titles(&p1), ["a1", "b6"]);
    assert_eq!(titles(&p2), ["a4", "b2"]);
    assert_eq!(titles(&p3), ["a2", "b1"]);
    assert!(p4.items.is_empty());
    for p in [&p1, &p2, &p3, &p4] {
        assert_eq!(p.total, 6);
        assert_eq!(p.page_size, 2);
    }
    assert_eq!(
        [p1.has_more, p2.has_more, p3.has_more, p4.has_more],
        [true, true, false, false]
    );
    assert!(!titles(&p1).contains(&b3.title.as_str()));

    let all = list_chats_for_user(ListChatsForUserParams::new(ada.id, 1, 5000), &db).await?;
    assert_eq!(titles(&all), ["a1", "b6", "a4", "b2", "a2", "b1"]);
    assert!(!all.has_more);

    // Bob sees only what he created: no grants were made to him.
    let bobs = list_chats_for_user(ListChatsForUserParams::new(bob.id, 1, 50), &db).await?;
    assert_eq!(
        titles(&bobs),
        ["b6", "b4 revoked", "b3 not shared", "b2", "b1"]
    );
    assert_eq!(bobs.total, 5);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn chat_pages_below_1_or_sizes_outside_1_to_5000_are_refused(db: Db) -> Result<()> {
    let before = db.statements_executed();
    let me = Uuid::new_v4();
    for (params, field) in [
        (ListChatsForUserParams::new(me, 0, 10), "page"),
        (ListChatsForUserParams::new(me, 1, 0), "page_size"),
        (ListChatsForUserParams::new(me, 1, 5001), "page_size"),
    ] {
        let r = list_chats_for_user(params, &db).await;
        assert_eq!(invalid_field(r).as_deref(), Some(field));
    }
    assert_eq!(db.statements_executed(), before);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn conversation_history_holds_the_chats_live_messages_up_to_the_message(
    db: Db,
) -> Result<()> {
    let ada = user(&db, "Ada").await?;
    let acme = org(&db).await?;
    let sales = chat(&db, &acme, &ada, "Sales").await?;
    let other = chat(&db, &acme, &ada, "Other").await?;
    let m1 = sales.message.clone();
    let m2 = say(&db, &sales.chat, &ada, Uuid::new_v4(), "m2")
        .await?
        .message;
    let o2 = say(&db, &other.chat, &ada, Uuid::new_v4(), "o2")
        .await?
        .message;
    let m3 = say(&db, &sales.chat, &ada, Uuid::new_v4(), "m3")
        .await?
        .message;
    let m4 = say(&db, &sales.chat, &ada, Uuid::new_v4(), "m4")
        .await?
        .message;
    Message::soft_delete(m3.id).one(&db).await?;

    let before = db.statements_executed();
    let h = history(&db, &m2).await?;
    assert_eq!(db.statements_executed() - before, 1);
    assert_eq!(h, vec![m1.clone(), m2.clone()]);
    assert_eq!(message_titles(&history(&db, &m1).await?), ["Sales: first"]);
    assert_eq!(
        message_titles(&history(&db, &m4).await?),
        ["Sales: first", "m2", "m4"]
    );
    assert_eq!(
        message_titles(&history(&db, &o2).await?),
        ["Other: first", "o2"]
    );

    // A deleted anchor, an unknown id and a deleted chat have no history.
    assert_eq!(kind(history(&db, &m3).await), Some(ErrorKind::NotFound));
    let unknown = Message {
        id: Uuid::new_v4(),
        ..m1.clone()
    };
    assert_eq!(
        kind(history(&db, &unknown).await),
        Some(ErrorKind::NotFound)
    );
    Chat::soft_delete(sales.chat.id).one(&db).await?;
    assert_eq!(kind(history(&db, &m4).await), Some(ErrorKind::NotFound));
    assert_eq!(kind(history(&db, &m1).await), Some(ErrorKind::NotFound));
    assert_eq!(history(&db, &o2).await?.len(), 2);

    // And the deleted chat is gone from the listing too.
    let listed = list_chats_for_user(ListChatsForUserParams::new(ada.id, 1, 50), &db).await?;
    assert_eq!(titles(&listed), ["Other"]);
    assert_eq!(listed.total, 1);
    Ok(())
}
