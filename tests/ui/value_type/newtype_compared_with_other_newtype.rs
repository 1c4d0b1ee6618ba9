// A column of one id newtype compared with another id newtype over the same uuid.
use buster_db::prelude::*;
use buster_db::{Table, Uuid};

#[derive(buster_db::Scalar, Debug, Clone, Copy, PartialEq)]
pub struct UserId(pub Uuid);

#[derive(buster_db::Scalar, Debug, Clone, Copy, PartialEq)]
pub struct OrgId(pub Uuid);

#[derive(Table)]
#[table(name = "seats")]
pub struct Seat {
    #[column(primary_key)]
    pub user_id: UserId,
    pub org_id: OrgId,
}

fn main() {
    let _ = Seat::select().filter(Seat::org_id.eq(UserId(Uuid::nil())));
    let _ = Seat::select().filter(Seat::user_id.eq(Uuid::nil()));
}
