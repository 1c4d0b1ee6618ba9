// A `group_by` of seventeen columns: a query groups by at most sixteen.
use buster_db::prelude::*;
use buster_db::Table;

#[derive(Table)]
#[table(name = "wide")]
pub struct Wide {
    #[column(primary_key)]
    pub id: i64,
    pub c1: i32,
    pub c2: i32,
    pub c3: i32,
    pub c4: i32,
    pub c5: i32,
    pub c6: i32,
    pub c7: i32,
    pub c8: i32,
    pub c9: i32,
    pub c10: i32,
    pub c11: i32,
    pub c12: i32,
    pub c13: i32,
    pub c14: i32,
    pub c15: i32,
    pub c16: i32,
    pub c17: i32,
}

fn main() {
    let _ = Wide::select().columns((Wide::c1, count_all())).group_by((
        Wide::c1,
        Wide::c2,
        Wide::c3,
        Wide::c4,
        Wide::c5,
        Wide::c6,
        Wide::c7,
        Wide::c8,
        Wide::c9,
        Wide::c10,
        Wide::c11,
        Wide::c12,
        Wide::c13,
        Wide::c14,
        Wide::c15,
        Wide::c16,
        Wide::c17,
    ));
}
