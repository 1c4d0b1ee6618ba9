// Both fields are `String`, but the columns are `varchar(20)` and `text`.
use buster_db::Table;

#[derive(Table)]
#[table(name = "countries")]
pub struct Country {
    #[column(primary_key)]
    pub code: String,
}

#[derive(Table)]
#[table(name = "cities")]
pub struct City {
    #[column(primary_key)]
    pub id: i64,
    #[column(references = countries::code, sql_type = "varchar(20)")]
    pub country: String,
}

fn main() {}
