// A text enum given a PostgreSQL type name: it is stored in a text column and has no type.
#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq)]
#[pg_enum(text, name = "asset_kind")]
pub enum AssetKind {
    Dashboard,
    MetricFile,
}

fn main() {}
