// A bigint column compared with a Decimal: numeric and bigint are different column types.
use buster_db::prelude::*;
use buster_db::{Decimal, Table};

#[derive(Table)]
#[table(name = "invoices")]
pub struct Invoice {
    #[column(primary_key)]
    pub id: i64,
    pub total_cents: i64,
    pub total: Decimal,
}

fn main() {
    let _ = Invoice::select().filter(Invoice::total_cents.eq(Decimal::ONE));
}
