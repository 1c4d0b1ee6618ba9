// A table with a column of every supported type, each used in a typed filter.
use buster_db::prelude::*;
use buster_db::{DateTime, Json, JsonValue, NaiveDate, Table, Utc, Uuid};
use serde::{Deserialize, Serialize};

#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[pg_enum(name = "account_plan")]
pub enum Plan {
    Free,
    Team,
    Enterprise,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Preferences {
    pub theme: String,
    pub digest: bool,
}

#[derive(Table, Debug, Clone)]
#[table(name = "accounts")]
pub struct Account {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub handle: String,
    pub verified: bool,
    pub level: i16,
    pub logins: i32,
    pub bytes_used: i64,
    pub score: f32,
    pub balance: f64,
    pub plan: Plan,
    pub last_seen: DateTime<Utc>,
    pub birthday: NaiveDate,
    pub profile: JsonValue,
    pub preferences: Json<Preferences>,
    pub tags: Vec<String>,
    pub lucky_numbers: Vec<i64>,
    pub past_plans: Vec<Plan>,
    pub bio: Option<String>,
    pub manager_id: Option<Uuid>,
    pub trial_ends: Option<NaiveDate>,
    pub downgraded_to: Option<Plan>,
    pub settings: Option<JsonValue>,
    pub aliases: Option<Vec<String>>,
    #[column(created_at)]
    pub created_at: DateTime<Utc>,
    #[column(updated_at)]
    pub updated_at: DateTime<Utc>,
}

fn main() {
    let today = NaiveDate::from_ymd_opt(2024, 1, 31).unwrap_or_default();
    let q = Account::select()
        .filter(Account::id.ne(Uuid::nil()))
        .filter(Account::handle.eq("ann").or(Account::handle.like("a%")))
        .filter(Account::verified.eq(true))
        .filter(Account::level.ge(1_i16))
        .filter(Account::logins.gt(0))
        .filter(Account::bytes_used.lt(1_i64 << 30))
        .filter(Account::score.le(0.5_f32))
        .filter(Account::balance.gt(0.0))
        .filter(Account::plan.is_in([Plan::Team, Plan::Enterprise]))
        .filter(Account::last_seen.ge(Utc::now()))
        .filter(Account::birthday.lt(today))
        .filter(Account::profile.ne(JsonValue::Null))
        .filter(Account::tags.eq(vec!["a".to_owned()]))
        .filter(Account::lucky_numbers.ne(Vec::<i64>::new()))
        .filter(Account::past_plans.eq(vec![Plan::Free]))
        .filter(Account::bio.ilike("%rust%").or(Account::bio.is_null()))
        .filter(Account::manager_id.eq(Uuid::nil()))
        .filter(
            Account::trial_ends
                .is_not_null()
                .and(Account::trial_ends.gt(today)),
        )
        .filter(Account::downgraded_to.eq(Plan::Free))
        .filter(Account::settings.is_null().not())
        .filter(Account::aliases.is_null())
        .order_by(Account::balance.desc().nulls_last())
        .order_by(Account::handle.asc())
        .limit(10)
        .offset(20);
    let _ = q.to_sql();
    let _ = Account::update(Uuid::nil())
        .set(
            Account::preferences,
            Json(Preferences {
                theme: "dark".into(),
                digest: false,
            }),
        )
        .set(Account::plan, Plan::Enterprise)
        .set(Account::bio, None)
        .set(Account::manager_id, Some(Uuid::nil()))
        .to_sql();
}
