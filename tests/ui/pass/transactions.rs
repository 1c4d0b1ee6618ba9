// Transactions: the closure's `?` and bare `Ok(..)` need no annotation; an error type of the
// application's own goes through `try_transaction`.
use buster_db::prelude::*;
use buster_db::{Table, Uuid};

#[derive(Table, Debug, Clone, PartialEq)]
#[table(name = "accounts")]
pub struct Account {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub balance: i64,
}

#[derive(Debug)]
pub enum TransferError {
    Database(buster_db::Error),
    Overdrawn,
}

impl From<buster_db::Error> for TransferError {
    fn from(e: buster_db::Error) -> TransferError {
        TransferError::Database(e)
    }
}

async fn uses(db: &Db, from: Uuid) -> Result<(), TransferError> {
    let balance = db
        .transaction(async |tx| {
            let account = Account::find(from).one(tx).await?;
            tx.transaction(async |inner| {
                Account::find(from).one(inner).await?;
                Ok(())
            })
            .await?;
            Ok(account.balance)
        })
        .await?;
    db.try_transaction(async |tx| {
        let account = Account::find(from).one(tx).await?;
        if account.balance < 10 {
            return Err(TransferError::Overdrawn);
        }
        Ok(())
    })
    .await?;
    let _ = balance;
    Ok(())
}

fn main() {
    let _ = uses;
}
