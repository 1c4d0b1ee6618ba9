// An upsert's conflict target is a tuple of columns that is not declared unique.
use buster_db::Table;

#[derive(Table)]
#[table(
    name = "memberships",
    primary_key(org_id, user_id),
    unique(org_id, email)
)]
pub struct Membership {
    pub org_id: i64,
    pub user_id: i64,
    pub email: String,
    pub role: String,
}

fn main() {
    let new = NewMembership {
        org_id: 1,
        user_id: 2,
        email: "a@x.io".into(),
        role: "admin".into(),
    };
    let _ = Membership::upsert(new)
        .on_conflict((Membership::email, Membership::role))
        .do_nothing();
}
