-- The enum types of the Buster schema. Labels are appended, never renamed or removed: rows and
-- application builds in the field still use them.
CREATE TYPE user_organization_role AS ENUM
    ('workspace_admin', 'data_admin', 'querier', 'restricted_querier', 'viewer');
CREATE TYPE user_organization_status AS ENUM ('active', 'inactive', 'pending', 'guest');
CREATE TYPE sharing_setting AS ENUM ('none', 'team', 'organization', 'public');
CREATE TYPE asset_type AS ENUM
    ('chat', 'metric_file', 'dashboard_file', 'report_file', 'collection');
CREATE TYPE asset_permission_role AS ENUM
    ('owner', 'viewer', 'can_view', 'can_filter', 'can_edit', 'full_access');
CREATE TYPE identity_type AS ENUM ('user', 'team', 'organization');
CREATE TYPE chat_type AS ENUM ('analyst', 'data_engineer');
CREATE TYPE data_source_onboarding_status AS ENUM
    ('notStarted', 'inProgress', 'completed', 'failed');
CREATE TYPE dataset_type AS ENUM ('table', 'view', 'materializedView');
