//! The library: every chat, collection and report a user can open, a page at a time.

use crate::schema::{AssetPermission, AssetType, Chat, Collection, IdentityType, ReportFile};
use crate::validate;
use buster_db::prelude::*;
use buster_db::query::cte;
use buster_db::{DateTime, Page, Result, Utc, Uuid};

/// The rows of the library's common table expression: one per asset, whatever its kind. Never
/// migrated: it names the `WITH` clause of [`list_library_assets`], not a table.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "library_assets")]
pub struct LibraryAsset {
    /// The asset's id.
    #[column(primary_key)]
    pub asset_id: Uuid,
    /// Its kind.
    pub asset_type: AssetType,
    /// Its name (a chat's title).
    pub name: String,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// Input of [`list_library_assets`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListLibraryAssetsParams {
    /// Whose library.
    pub user_id: Uuid,
    /// The organization whose assets are listed.
    pub organization_id: Uuid,
    /// The page, from 1.
    pub page: u32,
    /// Rows per page (1 to [`MAX_PAGE_SIZE`](buster_db::query::MAX_PAGE_SIZE)).
    pub page_size: u32,
}

impl ListLibraryAssetsParams {
    /// Page `page` of `page_size` assets of `user_id`'s library in `organization_id`.
    pub fn new(user_id: Uuid, organization_id: Uuid, page: u32, page_size: u32) -> Self {
        ListLibraryAssetsParams {
            user_id,
            organization_id,
            page,
            page_size,
        }
    }

    /// Checks the page.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`](buster_db::ErrorKind::Validation) for field `page` or
    /// `page_size`.
    pub fn validate(&self) -> Result<()> {
        validate::page(self.page, self.page_size)
    }
}

/// The live chats, collections and reports of the organization that the user created or holds a
/// live permission on, collections first, then reports, then chats, each kind newest first:
/// one statement (`WITH library_assets AS (… UNION …) SELECT … ORDER BY CASE …`) and its
/// count, paginated in the database. A revoked permission or a soft-deleted asset hides the
/// asset.
///
/// # Errors
///
/// Validation and database errors.
pub async fn list_library_assets<E: Executor + ?Sized>(
    params: ListLibraryAssetsParams,
    exec: &E,
) -> Result<Page<LibraryAsset>> {
    library(params, false, exec).await
}

/// The live chats, collections and reports of the organization that others created and the user
/// holds a live permission on: the library without what the user created, in the same order,
/// one statement and its count, paginated in the database.
///
/// # Errors
///
/// Validation and database errors.
pub async fn list_shared_assets<E: Executor + ?Sized>(
    params: ListLibraryAssetsParams,
    exec: &E,
) -> Result<Page<LibraryAsset>> {
    library(params, true, exec).await
}

async fn library<E: Executor + ?Sized>(
    params: ListLibraryAssetsParams,
    shared_only: bool,
    exec: &E,
) -> Result<Page<LibraryAsset>> {
    params.validate()?;
    // "Mine" is what the user created; the shared listing keeps only what others created.
    let me = params.user_id;
    let granted = |kind: AssetType| {
        AssetPermission::select()
            .filter(AssetPermission::identity_id.eq(params.user_id))
            .filter(AssetPermission::identity_type.eq(IdentityType::User))
            .filter(AssetPermission::asset_type.eq(kind))
            .column(AssetPermission::asset_id)
    };
    let org = params.organization_id;
    let chats = Chat::select()
        .columns((
            Chat::id,
            lit(AssetType::Chat),
            Chat::title,
            Chat::updated_at,
        ))
        .filter(Chat::organization_id.eq(org))
        .filter(if shared_only {
            Chat::created_by
                .ne(me)
                .and(Chat::id.in_select(granted(AssetType::Chat)))
        } else {
            Chat::created_by
                .eq(me)
                .or(Chat::id.in_select(granted(AssetType::Chat)))
        });
    let collections = Collection::select()
        .columns((
            Collection::id,
            lit(AssetType::Collection),
            Collection::name,
            Collection::updated_at,
        ))
        .filter(Collection::organization_id.eq(org))
        .filter(if shared_only {
            Collection::created_by
                .ne(me)
                .and(Collection::id.in_select(granted(AssetType::Collection)))
        } else {
            Collection::created_by
                .eq(me)
                .or(Collection::id.in_select(granted(AssetType::Collection)))
        });
    let reports = ReportFile::select()
        .columns((
            ReportFile::id,
            lit(AssetType::ReportFile),
            ReportFile::name,
            ReportFile::updated_at,
        ))
        .filter(ReportFile::organization_id.eq(org))
        .filter(if shared_only {
            ReportFile::created_by
                .ne(me)
                .and(ReportFile::id.in_select(granted(AssetType::ReportFile)))
        } else {
            ReportFile::created_by
                .eq(me)
                .or(ReportFile::id.in_select(granted(AssetType::ReportFile)))
        });
    let kind_order = case(LibraryAsset::asset_type.eq(AssetType::Collection), 0i32)
        .when(LibraryAsset::asset_type.eq(AssetType::ReportFile), 1i32)
        .otherwise(2i32);
    LibraryAsset::select()
        .with(cte::<LibraryAsset>(
            chats.union_all(collections).union_all(reports),
        ))
        .order_by(kind_order.asc())
        .order_by(LibraryAsset::updated_at.desc())
        .order_by(LibraryAsset::asset_id.asc())
        .paginate(params.page, params.page_size, exec)
        .await
}
