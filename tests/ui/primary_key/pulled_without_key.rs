// A table `pull` wrote from a database table that has no primary key: it does not compile until
// a key is marked, as its TODO says.
use buster_db::{NaiveDateTime, Uuid};

/// A row of `page_views`.
// TODO: `page_views` has no primary key, so this declaration does not compile: mark the field(s) of a unique, non-null key `#[column(primary_key)]`
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "page_views")]
pub struct PageView {
    /// Column `post_id` of `page_views`.
    pub post_id: Uuid,
    /// Column `viewed_at` of `page_views`.
    #[column(default = "now()", sql_type = "timestamp(3)")]
    pub viewed_at: NaiveDateTime,
}

fn main() {}
