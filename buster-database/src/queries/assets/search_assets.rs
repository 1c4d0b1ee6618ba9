//! Full-text search over an organization's chats, collections and reports, a page at a time.

use crate::schema::{AssetType, Chat, Collection, ReportFile};
use crate::validate;
use buster_db::expr::{TextSearch, to_tsvector, websearch_to_tsquery};
use buster_db::prelude::*;
use buster_db::{Page, Result, Uuid};

/// Input of [`search_assets`].
#[derive(Debug, Clone, PartialEq)]
pub struct SearchAssetsParams {
    /// The organization whose assets are searched.
    pub organization_id: Uuid,
    /// The search, in web-search syntax: words, `"a phrase"`, `or`, `-excluded`.
    pub query: String,
    /// The page, from 1.
    pub page: u32,
    /// Rows per page (1 to [`MAX_PAGE_SIZE`](buster_db::query::MAX_PAGE_SIZE)).
    pub page_size: u32,
}

impl SearchAssetsParams {
    /// Page `page` of `page_size` hits for `query` in organization `organization_id`.
    pub fn new(organization_id: Uuid, query: impl Into<String>, page: u32, page_size: u32) -> Self {
        SearchAssetsParams {
            organization_id,
            query: query.into(),
            page,
            page_size,
        }
    }

    /// Checks the query text (1 to 255 characters) and the page.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`](buster_db::ErrorKind::Validation) for field `query`, `page` or
    /// `page_size`.
    pub fn validate(&self) -> Result<()> {
        validate::text("query", &self.query, validate::MAX_TEXT)?;
        validate::page(self.page, self.page_size)
    }
}

/// One asset whose name matches a search.
#[derive(Debug, Clone, PartialEq)]
pub struct AssetHit {
    /// The asset's id.
    pub asset_id: Uuid,
    /// Its kind.
    pub asset_type: AssetType,
    /// Its name (a chat's title).
    pub name: String,
}

/// The live chats, collections and reports of an organization whose name matches `query`
/// (English stemming: "plans" finds "plan"), ordered by name then id, paginated in the database:
/// one `UNION ALL` statement whose parts tag their rows with their asset type, plus its count.
///
/// # Errors
///
/// Validation and database errors.
pub async fn search_assets<E: Executor + ?Sized>(
    params: SearchAssetsParams,
    exec: &E,
) -> Result<Page<AssetHit>> {
    params.validate()?;
    let org = params.organization_id;
    let query = || websearch_to_tsquery(TextSearch::ENGLISH, &params.query);
    let chats = Chat::select()
        .columns((Chat::id, lit(AssetType::Chat), Chat::title))
        .filter(Chat::organization_id.eq(org))
        .filter(to_tsvector(TextSearch::ENGLISH, Chat::title).matches(query()));
    let collections = Collection::select()
        .columns((Collection::id, lit(AssetType::Collection), Collection::name))
        .filter(Collection::organization_id.eq(org))
        .filter(to_tsvector(TextSearch::ENGLISH, Collection::name).matches(query()));
    let reports = ReportFile::select()
        .columns((ReportFile::id, lit(AssetType::ReportFile), ReportFile::name))
        .filter(ReportFile::organization_id.eq(org))
        .filter(to_tsvector(TextSearch::ENGLISH, ReportFile::name).matches(query()));
    let page = chats
        .union_all(collections)
        .union_all(reports)
        .order_by(Chat::title.asc())
        .order_by(Chat::id.asc())
        .paginate(params.page, params.page_size, exec)
        .await?;
    Ok(Page {
        items: page
            .items
            .into_iter()
            .map(|(asset_id, asset_type, name)| AssetHit {
                asset_id,
                asset_type,
                name,
            })
            .collect(),
        total: page.total,
        page: page.page,
        page_size: page.page_size,
        has_more: page.has_more,
    })
}
