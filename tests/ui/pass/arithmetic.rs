// `+ - * /` on every numeric column type, nullable ones included, on a column named like the
// operator's parameter, and on a column declared through an alias of a number, which reaches
// them through `.expr()`.
use buster_db::prelude::*;
use buster_db::{Decimal, Table, Uuid};

type Cents = i64;

#[derive(Table)]
#[table(name = "ledgers")]
pub struct Ledger {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub small: i16,
    pub count: i32,
    pub big: i64,
    pub ratio: f32,
    pub weight: f64,
    pub amount: Decimal,
    pub bonus: Option<i32>,
    pub total: Cents,
    pub rhs: i64,
}

fn main() {
    let _ = Ledger::update(Uuid::nil())
        .set(Ledger::small, Ledger::small + 1i16)
        .set(Ledger::count, Ledger::count * 2 - 1)
        .set(Ledger::big, Ledger::big / 3)
        .set(Ledger::ratio, Ledger::ratio * 0.5f32)
        .set(Ledger::weight, Ledger::weight - 1.5)
        .set(Ledger::amount, Ledger::amount + Decimal::new(5, 1))
        .set(Ledger::bonus, Ledger::bonus + 10)
        .set(Ledger::total, Ledger::total.expr() + 100)
        .set(Ledger::rhs, Ledger::rhs + 1);
}
