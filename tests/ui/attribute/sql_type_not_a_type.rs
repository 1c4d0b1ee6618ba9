// `sql_type` values that are not a type name: empty, a statement smuggled in, a comment.
use buster_db::Table;

#[derive(Table)]
#[table(name = "codes")]
pub struct Code {
    #[column(primary_key)]
    pub id: i32,
    #[column(sql_type = "")]
    pub a: String,
    #[column(sql_type = "text; DROP TABLE codes")]
    pub b: String,
    #[column(sql_type = "text -- comment")]
    pub c: String,
    #[column(sql_type = "(text)")]
    pub d: String,
}

fn main() {}
