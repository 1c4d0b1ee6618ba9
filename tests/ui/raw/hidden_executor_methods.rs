// The executor's internal methods that send SQL text, called from user code: through a generic
// `Executor` bound and on a `Db`.
use buster_db::{Db, Executor};

async fn through_a_bound<E: Executor>(on: &E) {
    let _ = on.__query("SELECT 1", &[]).await;
}

async fn on_a_db(db: &Db) {
    let _ = db.__execute("SELECT 1", &[]).await;
}

fn main() {
    let _ = (through_a_bound::<Db>, on_a_db);
}
