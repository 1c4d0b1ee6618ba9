//! Common table expressions: `WITH` and `WITH RECURSIVE`, their rows declared as a table.

use buster_db::prelude::*;
use buster_db::query::{cte, cte_recursive};
use buster_db::{DateTime, Utc, Uuid};

#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "ex_folders")]
pub struct Folder {
    #[column(primary_key, default = "gen_random_uuid()")]
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub name: String,
    #[column(soft_delete)]
    pub deleted_at: Option<DateTime<Utc>>,
}

/// The rows of the recursive query: a folder above the start and how far above it is.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "ancestors")]
pub struct Ancestor {
    #[column(primary_key)]
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub name: String,
    pub depth: i32,
}

/// The rows of a plain CTE: folder names in capitals.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "shouted")]
pub struct Shouted {
    #[column(primary_key)]
    pub id: Uuid,
    pub loud: String,
}

async fn folder(db: &Db, name: &str, parent: Option<&Folder>) -> Folder {
    Folder::insert(NewFolder {
        id: None,
        parent_id: parent.map(|p| p.id),
        name: name.into(),
    })
    .one(db)
    .await
    .unwrap()
}

fn ancestors_of(start: Uuid) -> buster_db::query::Cte {
    cte_recursive::<Ancestor, _>(
        Folder::select()
            .columns((Folder::id, Folder::parent_id, Folder::name, lit(0i32)))
            .filter(Folder::id.eq(start))
            .union_all(
                Folder::select()
                    .inner_join(Ancestor::table(), Ancestor::parent_id.eq_col(Folder::id))
                    .columns((
                        Folder::id,
                        Folder::parent_id,
                        Folder::name,
                        Ancestor::depth + 1,
                    )),
            ),
    )
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "expr_fixtures")]
async fn a_recursive_query_walks_up_a_hierarchy_in_one_statement(db: Db) {
    let root = folder(&db, "root", None).await;
    let team = folder(&db, "team", Some(&root)).await;
    let q3 = folder(&db, "q3", Some(&team)).await;
    let drafts = folder(&db, "drafts", Some(&q3)).await;
    let q = Ancestor::select()
        .with(ancestors_of(drafts.id))
        .order_by(Ancestor::depth.asc());
    assert_eq!(
        q.to_sql().text,
        "WITH RECURSIVE \"ancestors\" (\"id\", \"parent_id\", \"name\", \"depth\") AS ((SELECT \"ex_folders\".\"id\", \"ex_folders\".\"parent_id\", \"ex_folders\".\"name\", $1::integer FROM \"ex_folders\" WHERE \"ex_folders\".\"id\" = $2 AND \"ex_folders\".\"deleted_at\" IS NULL) UNION ALL (SELECT \"ex_folders\".\"id\", \"ex_folders\".\"parent_id\", \"ex_folders\".\"name\", (\"ancestors\".\"depth\" + $3::integer) FROM \"ex_folders\" INNER JOIN \"ancestors\" ON \"ancestors\".\"parent_id\" = \"ex_folders\".\"id\" WHERE \"ex_folders\".\"deleted_at\" IS NULL)) SELECT \"ancestors\".\"id\", \"ancestors\".\"parent_id\", \"ancestors\".\"name\", \"ancestors\".\"depth\" FROM \"ancestors\" ORDER BY \"ancestors\".\"depth\""
    );
    let chain: Vec<(String, i32)> = q
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| (a.name, a.depth))
        .collect();
    assert_eq!(
        chain,
        vec![
            ("drafts".into(), 0),
            ("q3".into(), 1),
            ("team".into(), 2),
            ("root".into(), 3)
        ]
    );

    // A soft-deleted folder ends the walk: its parents are not reached through it.
    Folder::soft_delete(team.id).one(&db).await.unwrap();
    let names: Vec<String> = Ancestor::select()
        .with(ancestors_of(drafts.id))
        .order_by(Ancestor::depth.asc())
        .column(Ancestor::name)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(names, ["drafts", "q3"]);
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "expr_fixtures")]
async fn a_cte_is_joined_and_filtered_like_a_table(db: Db) {
    let root = folder(&db, "root", None).await;
    let docs = folder(&db, "docs", Some(&root)).await;
    let rows: Vec<(String, String)> = Folder::select()
        .with(cte::<Shouted>(
            Folder::select().columns((Folder::id, buster_db::expr::upper(Folder::name))),
        ))
        .inner_join(Shouted::table(), Shouted::id.eq_col(Folder::id))
        .filter(Shouted::loud.like("D%"))
        .columns((Folder::name, Shouted::loud))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(rows, vec![(docs.name.clone(), "DOCS".to_string())]);

    // count and pagination keep the WITH clause.
    let page = Shouted::select()
        .with(cte::<Shouted>(
            Folder::select().columns((Folder::id, buster_db::expr::upper(Folder::name))),
        ))
        .order_by(Shouted::loud.asc())
        .paginate(1, 1, &db)
        .await
        .unwrap();
    assert_eq!(page.total, 2);
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].loud, "DOCS");
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "expr_fixtures")]
async fn a_union_is_the_subquery_of_in_select(db: Db) {
    let root = folder(&db, "root", None).await;
    let a = folder(&db, "a", Some(&root)).await;
    let b = folder(&db, "b", Some(&root)).await;
    folder(&db, "c", Some(&root)).await;
    let picked = Folder::select()
        .column(Folder::id)
        .filter(Folder::name.eq("a"))
        .union(
            Folder::select()
                .column(Folder::id)
                .filter(Folder::name.eq("b")),
        );
    let q = Folder::select()
        .filter(Folder::id.in_select(picked))
        .order_by(Folder::name.asc())
        .column(Folder::name);
    assert!(q.to_sql().text.contains(
        "WHERE \"ex_folders\".\"id\" IN ((SELECT \"ex_folders\".\"id\" FROM \"ex_folders\" WHERE \"ex_folders\".\"name\" = $1 AND \"ex_folders\".\"deleted_at\" IS NULL) UNION (SELECT"
    ));
    let names: Vec<String> = q.all(&db).await.unwrap();
    assert_eq!(names, [a.name, b.name]);
}

/// New names for folders, by id: the rows of an `unnest`.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "renames")]
pub struct Rename {
    #[column(primary_key)]
    pub id: Uuid,
    pub name: String,
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "expr_fixtures")]
async fn unnest_feeds_one_update_of_many_rows_with_their_own_values(db: Db) {
    let a = folder(&db, "a", None).await;
    let b = folder(&db, "b", None).await;
    let c = folder(&db, "c", None).await;
    Folder::soft_delete(c.id).one(&db).await.unwrap();
    let renames = buster_db::query::unnest((
        vec![a.id, b.id, c.id],
        vec!["alpha".to_string(), "beta".to_string(), "gamma".to_string()],
    ));
    let q = Folder::update_where(Folder::name.ne(""))
        .with(cte::<Rename>(renames))
        .from(Rename::table(), Rename::id.eq_col(Folder::id))
        .set(Folder::name, Rename::name);
    assert_eq!(
        q.to_sql().text,
        "WITH \"renames\" (\"id\", \"name\") AS (SELECT * FROM unnest($1::uuid[], $2::text[])) UPDATE \"ex_folders\" SET \"name\" = \"renames\".\"name\" FROM \"renames\" WHERE \"ex_folders\".\"name\" <> $3 AND \"ex_folders\".\"deleted_at\" IS NULL AND \"renames\".\"id\" = \"ex_folders\".\"id\" RETURNING \"ex_folders\".\"id\", \"ex_folders\".\"parent_id\", \"ex_folders\".\"name\", \"ex_folders\".\"deleted_at\""
    );
    let mut renamed: Vec<String> = q
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|f| f.name)
        .collect();
    renamed.sort();
    // The soft-deleted folder is not renamed.
    assert_eq!(renamed, ["alpha", "beta"]);
    let kept = Folder::find(c.id).with_deleted().one(&db).await.unwrap();
    assert_eq!(kept.name, "c");

    // The same rows joined in a select.
    let rows: Vec<(String, String)> = Folder::select()
        .with(cte::<Rename>(buster_db::query::unnest((
            vec![a.id],
            vec!["again".to_string()],
        ))))
        .inner_join(Rename::table(), Rename::id.eq_col(Folder::id))
        .columns((Folder::name, Rename::name))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(rows, vec![("alpha".to_string(), "again".to_string())]);
}

/// The rows of a lateral subquery: a parent's first children by name.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "first_children")]
pub struct FirstChild {
    #[column(primary_key)]
    pub id: Uuid,
    pub name: String,
}

/// Parents of folders, in their own table so that the lateral subquery reads another table.
#[derive(buster_db::Table, Debug, Clone, PartialEq)]
#[table(name = "ex_counters")]
pub struct Owner {
    #[column(primary_key)]
    pub name: String,
    #[column(default = "0")]
    pub n: i32,
    pub note: Option<String>,
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "expr_fixtures")]
async fn a_lateral_join_takes_the_first_rows_of_each_parent(db: Db) {
    let a = folder(&db, "a", None).await;
    let b = folder(&db, "b", None).await;
    for name in ["a3", "a1", "a2"] {
        folder(&db, name, Some(&a)).await;
    }
    let gone = folder(&db, "b0", Some(&b)).await;
    Folder::soft_delete(gone.id).one(&db).await.unwrap();
    folder(&db, "b1", Some(&b)).await;
    for (owner, parent) in [("ann", Some(&a)), ("bob", Some(&b)), ("cid", None)] {
        Owner::insert(NewOwner {
            name: owner.into(),
            n: None,
            note: parent.map(|p| p.id.to_string()),
        })
        .one(&db)
        .await
        .unwrap();
    }
    // For each owner, the first two children (by name) of the folder its note names.
    let first_two = || {
        buster_db::query::lateral::<FirstChild, _, _, _, _>(
            Folder::select()
                .columns((Folder::id, Folder::name))
                .order_by(Folder::name.asc())
                .limit(2),
            Folder::parent_id
                .expr()
                .cast::<Option<String>>()
                .eq(Owner::note),
        )
    };
    let q = Owner::select()
        .inner_join_lateral(first_two())
        .order_by(Owner::name.asc())
        .order_by(FirstChild::name.asc())
        .columns((Owner::name, FirstChild::name));
    assert!(q.to_sql().text.contains(
        "INNER JOIN LATERAL (SELECT \"ex_folders\".\"id\", \"ex_folders\".\"name\" FROM \"ex_folders\" WHERE (CAST(\"ex_folders\".\"parent_id\" AS text) = \"ex_counters\".\"note\") AND \"ex_folders\".\"deleted_at\" IS NULL ORDER BY \"ex_folders\".\"name\" LIMIT $1) AS \"first_children\" ON true"
    ), "{}", q.to_sql().text);
    let rows: Vec<(String, String)> = q.all(&db).await.unwrap();
    let s = |a: &str, b: &str| (a.to_string(), b.to_string());
    // The soft-deleted child of `b` is not taken; `cid` has no children and is dropped.
    assert_eq!(rows, vec![s("ann", "a1"), s("ann", "a2"), s("bob", "b1")]);

    // LEFT JOIN LATERAL keeps the owner without children.
    let all: Vec<(String, Option<String>)> = Owner::select()
        .left_join_lateral(first_two())
        .order_by(Owner::name.asc())
        .order_by(FirstChild::name.asc())
        .columns((Owner::name, FirstChild::name))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(all[3], ("cid".to_string(), None));
}
