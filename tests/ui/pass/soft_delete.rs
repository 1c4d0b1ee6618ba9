// A soft-deletable table: soft delete, restore, and reads that opt into deleted rows.
use buster_db::prelude::*;
use buster_db::{DateTime, Table, Utc};

#[derive(Table, Debug)]
#[table(name = "documents")]
pub struct Document {
    #[column(primary_key)]
    pub id: i64,
    pub title: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

async fn lifecycle(db: &Db) -> buster_db::Result<()> {
    let deleted: Document = Document::soft_delete(1).one(db).await?;
    let _ = deleted;
    let bulk: Vec<Document> = Document::soft_delete_where(Document::title.like("draft%"))
        .all(db)
        .await?;
    let _ = bulk;
    let trash = Document::select().only_deleted().all(db).await?;
    let all = Document::select().with_deleted().count(db).await?;
    let _ = (trash, all);
    let _ = Document::find(1).with_deleted().optional(db).await?;
    let _ = Document::find(1).only_deleted().optional(db).await?;
    let _ = Document::select()
        .filter(Document::deleted_at.is_not_null())
        .with_deleted();
    Document::restore(1).one(db).await?;
    Ok(())
}

fn main() {
    let _ = lifecycle;
}
