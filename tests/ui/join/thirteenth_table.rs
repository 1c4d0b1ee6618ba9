// A thirteenth table joined to a query that already reads twelve.
use buster_db::prelude::*;
use buster_db::{DateTime, Table, Utc};

#[derive(Table)]
#[table(name = "orgs")]
pub struct Org {
    #[column(primary_key)]
    pub id: i64,
    pub name: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Table)]
#[table(name = "teams")]
pub struct Team {
    #[column(primary_key)]
    pub id: i64,
    pub org_id: i64,
    pub name: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Table)]
#[table(name = "members")]
pub struct Member {
    #[column(primary_key)]
    pub id: i64,
    pub team_id: i64,
    pub name: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Table)]
#[table(name = "projects")]
pub struct Project {
    #[column(primary_key)]
    pub id: i64,
    pub member_id: i64,
    pub name: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Table)]
#[table(name = "boards")]
pub struct Board {
    #[column(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub name: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Table)]
#[table(name = "cards")]
pub struct Card {
    #[column(primary_key)]
    pub id: i64,
    pub board_id: i64,
    pub name: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Table)]
#[table(name = "comments")]
pub struct Comment {
    #[column(primary_key)]
    pub id: i64,
    pub card_id: i64,
    pub name: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Table)]
#[table(name = "reactions")]
pub struct Reaction {
    #[column(primary_key)]
    pub id: i64,
    pub comment_id: i64,
    pub name: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Table)]
#[table(name = "labels")]
pub struct Label {
    #[column(primary_key)]
    pub id: i64,
    pub reaction_id: i64,
    pub name: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

buster_db::alias!(A1 = "a1");
buster_db::alias!(A2 = "a2");
buster_db::alias!(A3 = "a3");
buster_db::alias!(A4 = "a4");

fn main() {
    let q = Org::select()
        .inner_join(Team::table(), Team::org_id.eq_col(Org::id))
        .inner_join(Member::table(), Member::team_id.eq_col(Team::id))
        .inner_join(Project::table(), Project::member_id.eq_col(Member::id))
        .inner_join(Board::table(), Board::project_id.eq_col(Project::id))
        .inner_join(Card::table(), Card::board_id.eq_col(Board::id))
        .inner_join(Comment::table(), Comment::card_id.eq_col(Card::id))
        .inner_join(Reaction::table(), Reaction::comment_id.eq_col(Comment::id))
        .left_join(Org::alias(A1), Org::alias(A1).col(Org::id).eq_col(Team::org_id))
        .left_join(Org::alias(A2), Org::alias(A2).col(Org::id).eq_col(Team::org_id))
        .left_join(Org::alias(A3), Org::alias(A3).col(Org::id).eq_col(Team::org_id))
        .left_join(Org::alias(A4), Org::alias(A4).col(Org::id).eq_col(Team::org_id));
    let _ = q.inner_join(Label::table(), Label::reaction_id.eq_col(Reaction::id));
}
