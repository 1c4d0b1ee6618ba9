// `#[derive(Enum)]` with a type name, a renaming style and a renamed variant.
use buster_db::Enum;

#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[pg_enum(name = "user_organization_role", rename_all = "camelCase")]
pub enum Role {
    WorkspaceAdmin,
    DataAdmin,
    #[pg_enum(rename = "viewer")]
    Querier,
}

fn main() {
    assert_eq!(Role::WorkspaceAdmin.label(), "workspaceAdmin");
    assert_eq!(Role::Querier.label(), "viewer");
    assert_eq!(<Role as Enum>::META.name, "user_organization_role");
}
