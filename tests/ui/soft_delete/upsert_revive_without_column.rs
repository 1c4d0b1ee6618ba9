// `revive` on an upsert into a table without a soft-delete column.
use buster_db::{Table, Uuid};

#[derive(Table)]
#[table(name = "posts")]
pub struct Post {
    #[column(primary_key)]
    pub id: i64,
    pub author_id: Uuid,
    pub title: String,
}

fn main() {
    let new = NewPost {
        id: 1,
        author_id: Uuid::nil(),
        title: "hello".into(),
    };
    let _ = Post::upsert(new)
        .on_conflict(Post::id)
        .update((Post::title,))
        .revive();
}
