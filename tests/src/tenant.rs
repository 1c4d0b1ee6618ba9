//! Tenant tables under row-level security (`tests/tenant_fixtures/`): every row has an
//! `org_id`, and the policies show a role other than the owner only the rows of the
//! organization in `app.org_id`.

use buster_db::{DateTime, Executor, Result, Table, Utc, Uuid, raw_query};

/// The role the policies apply to (the tables' owner and superusers bypass them).
pub const TENANT_ROLE: &str = "buster_tenant";

/// A project of one organization; its name is unique within the organization among live rows.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(
    name = "tn_projects",
    unique(org_id, name),
    has_many(tasks = tn_tasks::project_id)
)]
pub struct TnProject {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub org_id: Uuid,
    pub name: String,
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// A task of a project, carrying the project's organization.
#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "tn_tasks")]
pub struct TnTask {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub org_id: Uuid,
    pub project_id: Uuid,
    pub title: String,
}

/// The tenant setting (`app.org_id`, `None` or empty when unset) and the current user of the
/// session that runs the statement: what a tenant transaction must leave behind it.
pub async fn session_context(on: &impl Executor) -> Result<(Option<String>, String)> {
    raw_query("SELECT current_setting('app.org_id', true), current_user::text")
        .one(on)
        .await
}
