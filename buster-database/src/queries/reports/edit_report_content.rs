//! Append to a report's content, or replace text in it: one `UPDATE` each, computed by the
//! server from the row's current content, so two concurrent edits both land (no read, then
//! write).

use crate::schema::ReportFile;
use crate::validate;
use buster_db::expr::replace;
use buster_db::prelude::*;
use buster_db::{Result, Uuid};

/// The longest text one edit adds, in characters.
pub const MAX_REPORT_EDIT: usize = 1_000_000;

/// Input of [`append_report_content`].
#[derive(Debug, Clone, PartialEq)]
pub struct AppendReportContentParams {
    /// The report.
    pub report_id: Uuid,
    /// The text appended to the end of its content.
    pub text: String,
    /// Who makes the edit (`users.id`).
    pub updated_by: Uuid,
}

impl AppendReportContentParams {
    /// Appends `text` to report `report_id` on behalf of `updated_by`.
    pub fn new(report_id: Uuid, text: impl Into<String>, updated_by: Uuid) -> Self {
        AppendReportContentParams {
            report_id,
            text: text.into(),
            updated_by,
        }
    }

    /// Checks that `text` is not empty, at most [`MAX_REPORT_EDIT`] characters and without NUL.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`](buster_db::ErrorKind::Validation) for field `text`.
    pub fn validate(&self) -> Result<()> {
        validate::text("text", &self.text, MAX_REPORT_EDIT)
    }
}

/// Appends text to a live report in one statement
/// (`SET content = content || $1, updated_by = $2, updated_at = now()`) and returns the report.
///
/// # Errors
///
/// [`ErrorKind::NotFound`](buster_db::ErrorKind::NotFound) when the report does not exist or is
/// soft-deleted; validation and database errors.
pub async fn append_report_content<E: Executor + ?Sized>(
    params: AppendReportContentParams,
    exec: &E,
) -> Result<ReportFile> {
    params.validate()?;
    ReportFile::update(params.report_id)
        .set(
            ReportFile::content,
            ReportFile::content.expr().concat(params.text),
        )
        .set(ReportFile::updated_by, params.updated_by)
        .one(exec)
        .await
}

/// Input of [`replace_report_content`].
#[derive(Debug, Clone, PartialEq)]
pub struct ReplaceReportContentParams {
    /// The report.
    pub report_id: Uuid,
    /// The text to find (every occurrence is replaced).
    pub find: String,
    /// What replaces it (may be empty, to delete).
    pub replace_with: String,
    /// Who makes the edit (`users.id`).
    pub updated_by: Uuid,
}

impl ReplaceReportContentParams {
    /// Replaces every `find` in report `report_id` with `replace_with`.
    pub fn new(
        report_id: Uuid,
        find: impl Into<String>,
        replace_with: impl Into<String>,
        updated_by: Uuid,
    ) -> Self {
        ReplaceReportContentParams {
            report_id,
            find: find.into(),
            replace_with: replace_with.into(),
            updated_by,
        }
    }

    /// Checks that `find` is not empty and both texts are at most [`MAX_REPORT_EDIT`]
    /// characters without NUL.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`](buster_db::ErrorKind::Validation) for field `find` or
    /// `replace_with`.
    pub fn validate(&self) -> Result<()> {
        if self.find.is_empty() {
            return Err(buster_db::Error::validation("find", "must not be empty"));
        }
        validate::bounded("find", &self.find, MAX_REPORT_EDIT)?;
        validate::bounded("replace_with", &self.replace_with, MAX_REPORT_EDIT)
    }
}

/// Replaces every occurrence of a text in a live report's content in one statement
/// (`SET content = replace(content, $1, $2)`) and returns the report. A text that does not occur
/// leaves the content as it is (the edit is still recorded in `updated_by` / `updated_at`).
///
/// # Errors
///
/// [`ErrorKind::NotFound`](buster_db::ErrorKind::NotFound) when the report does not exist or is
/// soft-deleted; validation and database errors.
pub async fn replace_report_content<E: Executor + ?Sized>(
    params: ReplaceReportContentParams,
    exec: &E,
) -> Result<ReportFile> {
    params.validate()?;
    ReportFile::update(params.report_id)
        .set(
            ReportFile::content,
            replace(ReportFile::content, params.find, params.replace_with),
        )
        .set(ReportFile::updated_by, params.updated_by)
        .one(exec)
        .await
}
