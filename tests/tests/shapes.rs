//! Query shapes: joins of eight and twelve tables, right and full joins that keep hiding
//! soft-deleted rows, `group_by` / `distinct_on` of sixteen columns, keyset pagination, and
//! `delete_where` on a table without soft delete.

use std::collections::HashSet;

use buster_db::prelude::*;
use buster_db::{DateTime, KeysetPage, Utc, Uuid};
use buster_db_tests::shapes::*;
use buster_db_tests::{User, invalid_field, new_user};

async fn user(db: &Db, name: &str) -> User {
    User::insert(new_user(&format!("{name}@x.io"), name))
        .one(db)
        .await
        .unwrap()
}

async fn workspace(db: &Db, name: &str) -> SxWorkspace {
    SxWorkspace::insert(NewSxWorkspace {
        id: None,
        name: name.into(),
    })
    .one(db)
    .await
    .unwrap()
}

async fn folder(db: &Db, ws: &SxWorkspace, parent: Option<&SxFolder>, name: &str) -> SxFolder {
    SxFolder::insert(NewSxFolder {
        id: None,
        workspace_id: ws.id,
        parent_id: parent.map(|p| p.id),
        name: name.into(),
    })
    .one(db)
    .await
    .unwrap()
}

async fn dashboard(db: &Db, folder: Option<&SxFolder>, title: &str) -> SxDashboard {
    SxDashboard::insert(NewSxDashboard {
        id: None,
        folder_id: folder.map(|f| f.id),
        title: title.into(),
    })
    .one(db)
    .await
    .unwrap()
}

async fn source(db: &Db, owner: &User, name: &str) -> SxSource {
    SxSource::insert(NewSxSource {
        id: None,
        owner_id: owner.id,
        name: name.into(),
    })
    .one(db)
    .await
    .unwrap()
}

async fn widget(db: &Db, d: &SxDashboard, m: &SxMetric, position: i32) -> SxWidget {
    SxWidget::insert(NewSxWidget {
        id: None,
        dashboard_id: d.id,
        metric_id: m.id,
        position,
    })
    .one(db)
    .await
    .unwrap()
}

/// One row of every table of the chain, named after `tag`.
struct Chain {
    workspace: SxWorkspace,
    folder: SxFolder,
    dashboard: SxDashboard,
    widget: SxWidget,
    metric: SxMetric,
    dataset: SxDataset,
    source: SxSource,
    owner: User,
}

async fn chain(db: &Db, tag: &str) -> Chain {
    let owner = user(db, tag).await;
    let workspace = workspace(db, &format!("{tag} workspace")).await;
    let folder = folder(db, &workspace, None, &format!("{tag} folder")).await;
    let dashboard = dashboard(db, Some(&folder), &format!("{tag} dashboard")).await;
    let source = source(db, &owner, &format!("{tag} source")).await;
    let dataset = SxDataset::insert(NewSxDataset {
        id: None,
        source_id: source.id,
        name: format!("{tag} dataset"),
    })
    .one(db)
    .await
    .unwrap();
    let metric = SxMetric::insert(NewSxMetric {
        id: None,
        dataset_id: dataset.id,
        name: format!("{tag} metric"),
    })
    .one(db)
    .await
    .unwrap();
    let widget = widget(db, &dashboard, &metric, 1).await;
    Chain {
        workspace,
        folder,
        dashboard,
        widget,
        metric,
        dataset,
        source,
        owner,
    }
}

/// A metric of a dataset of a source of a new user, on no dashboard yet.
async fn metric(db: &Db) -> SxMetric {
    let owner = user(db, "metric owner").await;
    let source = source(db, &owner, "metric source").await;
    let dataset = SxDataset::insert(NewSxDataset {
        id: None,
        source_id: source.id,
        name: "metric dataset".into(),
    })
    .one(db)
    .await
    .unwrap();
    SxMetric::insert(NewSxMetric {
        id: None,
        dataset_id: dataset.id,
        name: "metric".into(),
    })
    .one(db)
    .await
    .unwrap()
}

buster_db::alias!(Parent1 = "parent_1");
buster_db::alias!(Parent2 = "parent_2");
buster_db::alias!(Parent3 = "parent_3");
buster_db::alias!(Parent4 = "parent_4");

/// Workspaces → folders → dashboards → widgets → metrics → datasets → sources, inner joins, and
/// the sources' owners, left-joined.
macro_rules! eight_tables {
    () => {
        SxWorkspace::select()
            .inner_join(
                SxFolder::table(),
                SxFolder::workspace_id.eq_col(SxWorkspace::id),
            )
            .inner_join(
                SxDashboard::table(),
                SxDashboard::folder_id.eq_col(SxFolder::id),
            )
            .inner_join(
                SxWidget::table(),
                SxWidget::dashboard_id.eq_col(SxDashboard::id),
            )
            .inner_join(SxMetric::table(), SxMetric::id.eq_col(SxWidget::metric_id))
            .inner_join(
                SxDataset::table(),
                SxDataset::id.eq_col(SxMetric::dataset_id),
            )
            .inner_join(SxSource::table(), SxSource::id.eq_col(SxDataset::source_id))
            .left_join(User::table(), User::id.eq_col(SxSource::owner_id))
    };
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "shapes_fixtures")]
async fn eight_tables_join_into_one_typed_row_and_each_hides_its_deleted_rows(db: Db) {
    let a = chain(&db, "a").await;
    let b = chain(&db, "b").await;
    let c = chain(&db, "c").await;
    let d = chain(&db, "d").await;
    // b's widget and c's dataset are deleted: inner joins drop their rows. d's owner is
    // deleted: the left join keeps d's row, without its owner.
    SxWidget::soft_delete(b.widget.id).one(&db).await.unwrap();
    SxDataset::soft_delete(c.dataset.id).one(&db).await.unwrap();
    User::soft_delete(d.owner.id).one(&db).await.unwrap();

    let names = eight_tables!()
        .columns((
            SxWorkspace::name,
            SxFolder::name,
            SxDashboard::title,
            SxWidget::position,
            SxMetric::name,
            SxDataset::name,
            SxSource::name,
            User::email,
        ))
        .order_by(SxWorkspace::name.asc());
    assert_eq!(
        names.to_sql().text,
        r#"SELECT "sx_workspaces"."name", "sx_folders"."name", "sx_dashboards"."title", "sx_widgets"."position", "sx_metrics"."name", "sx_datasets"."name", "sx_sources"."name", "users"."email" FROM "sx_workspaces" INNER JOIN "sx_folders" ON "sx_folders"."workspace_id" = "sx_workspaces"."id" AND "sx_folders"."deleted_at" IS NULL INNER JOIN "sx_dashboards" ON "sx_dashboards"."folder_id" = "sx_folders"."id" AND "sx_dashboards"."deleted_at" IS NULL INNER JOIN "sx_widgets" ON "sx_widgets"."dashboard_id" = "sx_dashboards"."id" AND "sx_widgets"."deleted_at" IS NULL INNER JOIN "sx_metrics" ON "sx_metrics"."id" = "sx_widgets"."metric_id" AND "sx_metrics"."deleted_at" IS NULL INNER JOIN "sx_datasets" ON "sx_datasets"."id" = "sx_metrics"."dataset_id" AND "sx_datasets"."deleted_at" IS NULL INNER JOIN "sx_sources" ON "sx_sources"."id" = "sx_datasets"."source_id" LEFT JOIN "users" ON "users"."id" = "sx_sources"."owner_id" AND "users"."deleted_at" IS NULL WHERE "sx_workspaces"."deleted_at" IS NULL ORDER BY "sx_workspaces"."name""#
    );
    type Names = (
        String,
        String,
        String,
        i32,
        String,
        String,
        String,
        Option<String>,
    );
    let names: Vec<Names> = names.all(&db).await.unwrap();
    let firsts: Vec<_> = names
        .iter()
        .map(|n| (n.0.as_str(), n.6.as_str(), n.7.as_deref()))
        .collect();
    assert_eq!(
        firsts,
        [
            ("a workspace", "a source", Some("a@x.io")),
            ("d workspace", "d source", None)
        ]
    );

    type Row = (
        SxWorkspace,
        SxFolder,
        SxDashboard,
        SxWidget,
        SxMetric,
        SxDataset,
        SxSource,
        Option<User>,
    );
    let rows: Vec<Row> = eight_tables!()
        .order_by(SxWorkspace::name.asc())
        .all(&db)
        .await
        .unwrap();
    let expected: Vec<Row> = vec![
        (
            a.workspace,
            a.folder,
            a.dashboard,
            a.widget,
            a.metric,
            a.dataset,
            a.source,
            Some(a.owner),
        ),
        (
            d.workspace,
            d.folder,
            d.dashboard,
            d.widget,
            d.metric,
            d.dataset,
            d.source,
            None,
        ),
    ];
    assert_eq!(rows, expected);
    assert_eq!(eight_tables!().count(&db).await.unwrap(), 2);
    // Opting in for one table of eight brings back only its deleted rows.
    let with_deleted_widgets = eight_tables!()
        .with_deleted(SxWidget::table())
        .column(SxWorkspace::name)
        .order_by(SxWorkspace::name.asc())
        .all(&db)
        .await
        .unwrap();
    assert_eq!(
        with_deleted_widgets,
        ["a workspace", "b workspace", "d workspace"]
    );
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "shapes_fixtures")]
async fn twelve_tables_join_with_aliases_of_the_same_table(db: Db) {
    let c = chain(&db, "deep").await;
    // The chain's folder sits four levels deep: root > one > two > three > folder.
    let root = folder(&db, &c.workspace, None, "root").await;
    let one = folder(&db, &c.workspace, Some(&root), "one").await;
    let two = folder(&db, &c.workspace, Some(&one), "two").await;
    let three = folder(&db, &c.workspace, Some(&two), "three").await;
    SxFolder::update(c.folder.id)
        .set(SxFolder::parent_id, Some(three.id))
        .one(&db)
        .await
        .unwrap();
    // A second chain whose folder has no parent: every ancestor comes out `None`.
    let flat = chain(&db, "flat").await;

    let p1 = SxFolder::alias(Parent1);
    let p2 = SxFolder::alias(Parent2);
    let p3 = SxFolder::alias(Parent3);
    let p4 = SxFolder::alias(Parent4);
    let q = eight_tables!()
        .left_join(p1, p1.col(SxFolder::id).eq_col(SxFolder::parent_id))
        .left_join(p2, p2.col(SxFolder::id).eq_col(p1.col(SxFolder::parent_id)))
        .left_join(p3, p3.col(SxFolder::id).eq_col(p2.col(SxFolder::parent_id)))
        .left_join(p4, p4.col(SxFolder::id).eq_col(p3.col(SxFolder::parent_id)))
        .filter(
            p4.col(SxFolder::name)
                .eq("root")
                .or(SxFolder::parent_id.is_null()),
        )
        .order_by(SxWorkspace::name.asc());
    let sql = q.to_sql().text;
    assert!(sql.ends_with(r#" LEFT JOIN "sx_folders" AS "parent_4" ON "parent_4"."id" = "parent_3"."parent_id" AND "parent_4"."deleted_at" IS NULL WHERE ("parent_4"."name" = $1 OR "sx_folders"."parent_id" IS NULL) AND "sx_workspaces"."deleted_at" IS NULL ORDER BY "sx_workspaces"."name""#), "{sql}");
    let rows = q.all(&db).await.unwrap();
    let ancestors: Vec<_> = rows
        .iter()
        .map(|(w, .., f1, f2, f3, f4)| {
            (
                w.name.as_str(),
                [f1, f2, f3, f4].map(|f| f.as_ref().map(|f| f.name.clone())),
            )
        })
        .collect();
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(
        ancestors,
        [
            (
                "deep workspace",
                [some("three"), some("two"), some("one"), some("root")]
            ),
            ("flat workspace", [None, None, None, None]),
        ]
    );
    assert_eq!(rows[1].0, flat.workspace);
    assert_eq!(rows[0].7.as_ref(), Some(&c.owner));
}

/// Folders and dashboards with a deleted row on each side:
///
/// - `f1` (live) holds `d1` and the deleted `d4`;
/// - `f2` (deleted) holds `d2`;
/// - `f3` (live) holds nothing;
/// - `f4` (live, in the deleted workspace `w2`) holds `d5`;
/// - `d3` is in no folder.
struct Sides {
    f1: SxFolder,
    f2: SxFolder,
    f3: SxFolder,
    f4: SxFolder,
    d1: SxDashboard,
    d2: SxDashboard,
    d3: SxDashboard,
    d4: SxDashboard,
    d5: SxDashboard,
}

async fn sides(db: &Db) -> Sides {
    let w1 = workspace(db, "w1").await;
    let w2 = workspace(db, "w2").await;
    let f1 = folder(db, &w1, None, "f1").await;
    let f2 = folder(db, &w1, None, "f2").await;
    let f3 = folder(db, &w1, None, "f3").await;
    let f4 = folder(db, &w2, None, "f4").await;
    let d1 = dashboard(db, Some(&f1), "d1").await;
    let d2 = dashboard(db, Some(&f2), "d2").await;
    let d3 = dashboard(db, None, "d3").await;
    let d4 = dashboard(db, Some(&f1), "d4").await;
    let d5 = dashboard(db, Some(&f4), "d5").await;
    let f2 = SxFolder::soft_delete(f2.id).one(db).await.unwrap();
    let d4 = SxDashboard::soft_delete(d4.id).one(db).await.unwrap();
    SxWorkspace::soft_delete(w2.id).one(db).await.unwrap();
    Sides {
        f1,
        f2,
        f3,
        f4,
        d1,
        d2,
        d3,
        d4,
        d5,
    }
}

/// `(folder, dashboard)` names of optional pairs, sorted.
fn pairs(rows: &[(Option<SxFolder>, Option<SxDashboard>)]) -> Vec<(Option<&str>, Option<&str>)> {
    let mut out: Vec<_> = rows
        .iter()
        .map(|(f, d)| {
            (
                f.as_ref().map(|f| f.name.as_str()),
                d.as_ref().map(|d| d.title.as_str()),
            )
        })
        .collect();
    out.sort();
    out
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "shapes_fixtures")]
async fn right_join_keeps_every_live_row_of_the_joined_table(db: Db) {
    let s = sides(&db).await;
    let q = SxFolder::select().right_join(
        SxDashboard::table(),
        SxDashboard::folder_id.eq_col(SxFolder::id),
    );
    // The folders' predicate goes into the ON clause: in WHERE it would drop `d2`, whose
    // folder is deleted; the dashboards' stays in WHERE: in the ON clause it would keep `d4`.
    assert_eq!(
        q.to_sql().text,
        r#"SELECT "sx_folders"."id", "sx_folders"."workspace_id", "sx_folders"."parent_id", "sx_folders"."name", "sx_folders"."deleted_at", "sx_dashboards"."id", "sx_dashboards"."folder_id", "sx_dashboards"."title", "sx_dashboards"."deleted_at" FROM "sx_folders" RIGHT JOIN "sx_dashboards" ON "sx_dashboards"."folder_id" = "sx_folders"."id" AND "sx_folders"."deleted_at" IS NULL WHERE "sx_dashboards"."deleted_at" IS NULL"#
    );
    let rows: Vec<(Option<SxFolder>, SxDashboard)> = q.all(&db).await.unwrap();
    let mut got: Vec<_> = rows
        .iter()
        .map(|(f, d)| (d.title.as_str(), f.as_ref().map(|f| f.name.as_str())))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("d1", Some("f1")),
            ("d2", None),
            ("d3", None),
            ("d5", Some("f4"))
        ]
    );
    let d1 = rows.iter().find(|(_, d)| d.id == s.d1.id).unwrap();
    assert_eq!(d1, &(Some(s.f1.clone()), s.d1.clone()));
    assert_eq!(
        SxFolder::select()
            .right_join(
                SxDashboard::table(),
                SxDashboard::folder_id.eq_col(SxFolder::id)
            )
            .count(&db)
            .await
            .unwrap(),
        4
    );

    // Opting in on the optional side shows the deleted folder of `d2`.
    let rows = SxFolder::select()
        .right_join(
            SxDashboard::table(),
            SxDashboard::folder_id.eq_col(SxFolder::id),
        )
        .with_deleted(SxFolder::table())
        .filter(SxDashboard::id.eq(s.d2.id))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(rows, [(Some(s.f2.clone()), s.d2.clone())]);

    // After an inner join, the first table's predicate moves to the right join's ON clause
    // too: `d5`, whose folder's workspace is deleted, comes out without folder or workspace.
    let q = SxWorkspace::select()
        .inner_join(
            SxFolder::table(),
            SxFolder::workspace_id.eq_col(SxWorkspace::id),
        )
        .right_join(
            SxDashboard::table(),
            SxDashboard::folder_id.eq_col(SxFolder::id),
        )
        .columns((SxDashboard::title, SxFolder::name, SxWorkspace::name))
        .order_by(SxDashboard::title.asc());
    assert_eq!(
        q.to_sql().text,
        r#"SELECT "sx_dashboards"."title", "sx_folders"."name", "sx_workspaces"."name" FROM "sx_workspaces" INNER JOIN "sx_folders" ON "sx_folders"."workspace_id" = "sx_workspaces"."id" AND "sx_folders"."deleted_at" IS NULL RIGHT JOIN "sx_dashboards" ON "sx_dashboards"."folder_id" = "sx_folders"."id" AND "sx_workspaces"."deleted_at" IS NULL WHERE "sx_dashboards"."deleted_at" IS NULL ORDER BY "sx_dashboards"."title""#
    );
    let rows: Vec<(String, Option<String>, Option<String>)> = q.all(&db).await.unwrap();
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(
        rows,
        [
            ("d1".to_owned(), some("f1"), some("w1")),
            ("d2".to_owned(), None, None),
            ("d3".to_owned(), None, None),
            ("d5".to_owned(), None, None),
        ]
    );
    let _ = (s.f3, s.d4);
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "shapes_fixtures")]
async fn full_join_keeps_the_live_rows_of_both_sides_and_neither_side_s_deleted_ones(db: Db) {
    let s = sides(&db).await;
    let q = SxFolder::select().full_join(
        SxDashboard::table(),
        SxDashboard::folder_id.eq_col(SxFolder::id),
    );
    // A full join keeps both sides whole, so neither ON nor WHERE can hide a side's deleted
    // rows: each side is read through a derived table of its live rows.
    assert_eq!(
        q.to_sql().text,
        r#"SELECT "sx_folders"."id", "sx_folders"."workspace_id", "sx_folders"."parent_id", "sx_folders"."name", "sx_folders"."deleted_at", "sx_dashboards"."id", "sx_dashboards"."folder_id", "sx_dashboards"."title", "sx_dashboards"."deleted_at" FROM (SELECT * FROM "sx_folders" WHERE "deleted_at" IS NULL) AS "sx_folders" FULL JOIN (SELECT * FROM "sx_dashboards" WHERE "deleted_at" IS NULL) AS "sx_dashboards" ON "sx_dashboards"."folder_id" = "sx_folders"."id""#
    );
    let rows: Vec<(Option<SxFolder>, Option<SxDashboard>)> = q.all(&db).await.unwrap();
    assert_eq!(
        pairs(&rows),
        [
            (None, Some("d2")),
            (None, Some("d3")),
            (Some("f1"), Some("d1")),
            (Some("f3"), None),
            (Some("f4"), Some("d5")),
        ]
    );
    assert!(rows.contains(&(Some(s.f3.clone()), None)));
    assert!(rows.contains(&(None, Some(s.d3.clone()))));
    assert_eq!(
        SxFolder::select()
            .full_join(
                SxDashboard::table(),
                SxDashboard::folder_id.eq_col(SxFolder::id)
            )
            .count(&db)
            .await
            .unwrap(),
        5
    );

    // Only the deleted folders, against the live dashboards: `f2` meets `d2`; the others come
    // alone.
    let rows = SxFolder::select()
        .full_join(
            SxDashboard::table(),
            SxDashboard::folder_id.eq_col(SxFolder::id),
        )
        .only_deleted(SxFolder::table())
        .all(&db)
        .await
        .unwrap();
    assert_eq!(
        pairs(&rows),
        [
            (None, Some("d1")),
            (None, Some("d3")),
            (None, Some("d5")),
            (Some("f2"), Some("d2")),
        ]
    );

    // The first table of an inner join, then a full join: the workspace too is read as its
    // live rows, so `f4` (in the deleted workspace) drops out and `d5` comes alone.
    let q = SxWorkspace::select()
        .inner_join(
            SxFolder::table(),
            SxFolder::workspace_id.eq_col(SxWorkspace::id),
        )
        .full_join(
            SxDashboard::table(),
            SxDashboard::folder_id.eq_col(SxFolder::id),
        )
        .columns((SxWorkspace::name, SxFolder::name, SxDashboard::title));
    assert_eq!(
        q.to_sql().text,
        r#"SELECT "sx_workspaces"."name", "sx_folders"."name", "sx_dashboards"."title" FROM (SELECT * FROM "sx_workspaces" WHERE "deleted_at" IS NULL) AS "sx_workspaces" INNER JOIN "sx_folders" ON "sx_folders"."workspace_id" = "sx_workspaces"."id" AND "sx_folders"."deleted_at" IS NULL FULL JOIN (SELECT * FROM "sx_dashboards" WHERE "deleted_at" IS NULL) AS "sx_dashboards" ON "sx_dashboards"."folder_id" = "sx_folders"."id""#
    );
    let mut rows: Vec<(Option<String>, Option<String>, Option<String>)> = q.all(&db).await.unwrap();
    rows.sort();
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(
        rows,
        [
            (None, None, some("d2")),
            (None, None, some("d3")),
            (None, None, some("d5")),
            (some("w1"), some("f1"), some("d1")),
            (some("w1"), some("f3"), None),
        ]
    );
    let _ = (s.f4, s.d4);
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "shapes_fixtures")]
async fn a_right_join_then_a_full_join_hide_deleted_rows_at_every_step(db: Db) {
    let s = sides(&db).await;
    let metric = metric(&db).await;
    let w1 = widget(&db, &s.d1, &metric, 1).await;
    let gone = widget(&db, &s.d1, &metric, 2).await;
    SxWidget::soft_delete(gone.id).one(&db).await.unwrap();
    // A live widget on the deleted dashboard `d4`: it matches no live dashboard, so it comes
    // alone.
    let orphan = widget(&db, &s.d4, &metric, 3).await;

    let q = SxFolder::select()
        .right_join(
            SxDashboard::table(),
            SxDashboard::folder_id.eq_col(SxFolder::id),
        )
        .full_join(
            SxWidget::table(),
            SxWidget::dashboard_id.eq_col(SxDashboard::id),
        )
        .columns((SxFolder::name, SxDashboard::title, SxWidget::position));
    assert_eq!(
        q.to_sql().text,
        r#"SELECT "sx_folders"."name", "sx_dashboards"."title", "sx_widgets"."position" FROM "sx_folders" RIGHT JOIN (SELECT * FROM "sx_dashboards" WHERE "deleted_at" IS NULL) AS "sx_dashboards" ON "sx_dashboards"."folder_id" = "sx_folders"."id" AND "sx_folders"."deleted_at" IS NULL FULL JOIN (SELECT * FROM "sx_widgets" WHERE "deleted_at" IS NULL) AS "sx_widgets" ON "sx_widgets"."dashboard_id" = "sx_dashboards"."id""#
    );
    let mut rows: Vec<(Option<String>, Option<String>, Option<i32>)> = q.all(&db).await.unwrap();
    rows.sort();
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(
        rows,
        [
            (None, None, Some(orphan.position)),
            (None, some("d2"), None),
            (None, some("d3"), None),
            (some("f1"), some("d1"), Some(w1.position)),
            (some("f4"), some("d5"), None),
        ]
    );
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "shapes_fixtures")]
async fn group_by_and_distinct_on_take_sixteen_columns(db: Db) {
    let a = chain(&db, "a").await;
    // A second widget of a's dashboard and metric: one more row in a's group.
    widget(&db, &a.dashboard, &a.metric, 2).await;
    chain(&db, "b").await;

    let sixteen = (
        SxWorkspace::id,
        SxWorkspace::name,
        SxFolder::id,
        SxFolder::name,
        SxDashboard::id,
        SxDashboard::title,
        SxMetric::id,
        SxMetric::name,
        SxDataset::id,
        SxDataset::name,
        SxSource::id,
        SxSource::name,
        SxSource::owner_id,
        User::id,
        User::name,
        User::email,
    );
    let q = eight_tables!()
        .columns((SxDashboard::title, SxMetric::name, count_all()))
        .group_by(sixteen)
        .order_by(SxDashboard::title.asc());
    let sql = q.to_sql().text;
    assert!(
        sql.ends_with(r#" GROUP BY "sx_workspaces"."id", "sx_workspaces"."name", "sx_folders"."id", "sx_folders"."name", "sx_dashboards"."id", "sx_dashboards"."title", "sx_metrics"."id", "sx_metrics"."name", "sx_datasets"."id", "sx_datasets"."name", "sx_sources"."id", "sx_sources"."name", "sx_sources"."owner_id", "users"."id", "users"."name", "users"."email" ORDER BY "sx_dashboards"."title""#),
        "{sql}"
    );
    let rows = q.all(&db).await.unwrap();
    assert_eq!(
        rows,
        [
            ("a dashboard".to_owned(), "a metric".to_owned(), 2),
            ("b dashboard".to_owned(), "b metric".to_owned(), 1),
        ]
    );

    // One row per group of the sixteen columns: a's two widgets make one row.
    let q = eight_tables!()
        .columns((SxDashboard::title, SxWidget::position))
        .distinct_on(sixteen)
        .order_by(SxWorkspace::id.asc());
    assert!(q.to_sql().text.starts_with(r#"SELECT DISTINCT ON ("sx_workspaces"."id", "sx_workspaces"."name", "sx_folders"."id", "sx_folders"."name", "sx_dashboards"."id", "sx_dashboards"."title", "sx_metrics"."id", "sx_metrics"."name", "sx_datasets"."id", "sx_datasets"."name", "sx_sources"."id", "sx_sources"."name", "sx_sources"."owner_id", "users"."id", "users"."name", "users"."email") "sx_dashboards"."title", "sx_widgets"."position" FROM "#));
    let mut titles: Vec<String> = q
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    titles.sort();
    assert_eq!(titles, ["a dashboard", "b dashboard"]);
}

/// Events at five distinct instants, several at each (ties in the first ordering column), with
/// scores that tie too, and one deleted event at the busiest instant.
async fn events(db: &Db, n: usize) -> Vec<SxEvent> {
    let at = |k: usize| DateTime::<Utc>::from_timestamp(1_700_000_000 + (k % 5) as i64 * 60, 0);
    let rows: Vec<_> = (0..n)
        .map(|k| NewSxEvent {
            id: None,
            at: at(k).unwrap(),
            kind: format!("kind {}", k % 3),
            score: (k % 4) as i32,
            note: None,
        })
        .collect();
    let events = SxEvent::insert_many(rows).all(db).await.unwrap();
    let deleted = SxEvent::insert(NewSxEvent {
        id: None,
        at: at(0).unwrap(),
        kind: "deleted".into(),
        score: 0,
        note: None,
    })
    .one(db)
    .await
    .unwrap();
    SxEvent::soft_delete(deleted.id).one(db).await.unwrap();
    events
}

/// Checks that `pages` hold exactly the ids of `expected`, in order, none twice, every page but
/// the last full and only the last one without a next cursor.
fn check_pages<K>(pages: &[KeysetPage<SxEvent, K>], size: usize, expected: &[SxEvent]) {
    let got: Vec<Uuid> = pages.iter().flat_map(|p| &p.items).map(|e| e.id).collect();
    let want: Vec<Uuid> = expected.iter().map(|e| e.id).collect();
    assert_eq!(got, want);
    assert_eq!(got.iter().collect::<HashSet<_>>().len(), got.len());
    assert_eq!(pages.len(), expected.len().div_ceil(size));
    let (last, full) = pages.split_last().unwrap();
    assert!(
        full.iter()
            .all(|p| p.items.len() == size && p.next.is_some())
    );
    assert!(!last.items.is_empty() && last.items.len() <= size);
    assert!(last.next.is_none());
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "shapes_fixtures")]
async fn keyset_pages_through_ties_without_skipping_or_repeating_a_row(db: Db) {
    events(&db, 23).await;
    let order = || (SxEvent::at.desc(), SxEvent::id.desc());
    let expected = SxEvent::select()
        .order_by(SxEvent::at.desc())
        .order_by(SxEvent::id.desc())
        .all(&db)
        .await
        .unwrap();
    assert_eq!(expected.len(), 23);

    let first = SxEvent::select().keyset(order(), None);
    assert_eq!(
        first.to_sql().text,
        r#"SELECT "sx_events"."id", "sx_events"."at", "sx_events"."kind", "sx_events"."score", "sx_events"."note", "sx_events"."deleted_at" FROM "sx_events" WHERE "sx_events"."deleted_at" IS NULL ORDER BY "sx_events"."at" DESC, "sx_events"."id" DESC"#
    );
    let cursor = (expected[3].at, expected[3].id);
    let later = SxEvent::select()
        .filter(SxEvent::kind.ne("other"))
        .keyset(order(), Some(cursor));
    assert_eq!(
        later.page_to_sql(4),
        buster_db::Sql {
            text: r#"SELECT "sx_events"."id", "sx_events"."at", "sx_events"."kind", "sx_events"."score", "sx_events"."note", "sx_events"."deleted_at" FROM "sx_events" WHERE "sx_events"."kind" <> $1 AND ("sx_events"."at", "sx_events"."id") < ($2, $3) AND "sx_events"."deleted_at" IS NULL ORDER BY "sx_events"."at" DESC, "sx_events"."id" DESC LIMIT $4"#.into(),
            params: 4,
        }
    );

    let mut pages = Vec::new();
    let mut after = None;
    loop {
        let page = SxEvent::select()
            .keyset(order(), after)
            .page(4, &db)
            .await
            .unwrap();
        after = page.next;
        if pages.is_empty() {
            // A row written after the first page, ahead of the cursor, changes no later page
            // (with OFFSET pages, the last row of the first page would come again).
            SxEvent::insert(NewSxEvent {
                id: None,
                at: DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap(),
                kind: "late".into(),
                score: 0,
                note: None,
            })
            .one(&db)
            .await
            .unwrap();
        }
        pages.push(page);
        if after.is_none() {
            break;
        }
    }
    check_pages(&pages, 4, &expected);
    assert_eq!(
        pages[0].next,
        Some((expected[3].at, expected[3].id)),
        "the cursor is the last row's ordering values"
    );
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "shapes_fixtures")]
async fn keyset_with_mixed_directions_expands_the_comparison_run_by_run(db: Db) {
    events(&db, 21).await;
    let order = || (SxEvent::score.asc(), SxEvent::at.desc(), SxEvent::id.desc());
    let expected = SxEvent::select()
        .order_by(SxEvent::score.asc())
        .order_by(SxEvent::at.desc())
        .order_by(SxEvent::id.desc())
        .all(&db)
        .await
        .unwrap();
    let e = &expected[2];
    let q = SxEvent::select().keyset(order(), Some((e.score, e.at, e.id)));
    // `score` goes up, `(at, id)` down: the first run bounds the scan, each value is bound once.
    assert_eq!(
        q.to_sql(),
        buster_db::Sql {
            text: r#"SELECT "sx_events"."id", "sx_events"."at", "sx_events"."kind", "sx_events"."score", "sx_events"."note", "sx_events"."deleted_at" FROM "sx_events" WHERE ("sx_events"."score" >= $1 AND ("sx_events"."score" > $1 OR ("sx_events"."score" = $1 AND ("sx_events"."at", "sx_events"."id") < ($2, $3)))) AND "sx_events"."deleted_at" IS NULL ORDER BY "sx_events"."score", "sx_events"."at" DESC, "sx_events"."id" DESC"#.into(),
            params: 3,
        }
    );
    let rest = q.all(&db).await.unwrap();
    assert_eq!(rest, expected[3..]);

    // Three runs: up, down, up.
    let q = SxEvent::select().keyset(
        (SxEvent::score.asc(), SxEvent::at.desc(), SxEvent::id.asc()),
        Some((e.score, e.at, e.id)),
    );
    assert!(q.to_sql().text.contains(r#" WHERE ("sx_events"."score" >= $1 AND ("sx_events"."score" > $1 OR ("sx_events"."score" = $1 AND "sx_events"."at" < $2) OR ("sx_events"."score" = $1 AND "sx_events"."at" = $2 AND "sx_events"."id" > $3))) AND "#));

    // 21 rows in pages of 3: seven full pages, the last without a next cursor (no empty page).
    let mut pages = Vec::new();
    let mut after = None;
    loop {
        let page = SxEvent::select()
            .keyset(order(), after)
            .page(3, &db)
            .await
            .unwrap();
        after = page.next;
        pages.push(page);
        if after.is_none() {
            break;
        }
    }
    check_pages(&pages, 3, &expected);

    // The same rows in pages of one, up then down then up again.
    let order = || {
        (
            SxEvent::kind.asc(),
            SxEvent::score.desc(),
            SxEvent::id.asc(),
        )
    };
    let expected = SxEvent::select()
        .order_by(SxEvent::kind.asc())
        .order_by(SxEvent::score.desc())
        .order_by(SxEvent::id.asc())
        .all(&db)
        .await
        .unwrap();
    let mut pages = Vec::new();
    let mut after = None;
    loop {
        let page = SxEvent::select()
            .keyset(order(), after)
            .page(1, &db)
            .await
            .unwrap();
        after = page.next.clone();
        pages.push(page);
        if after.is_none() {
            break;
        }
    }
    check_pages(&pages, 1, &expected);
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "shapes_fixtures")]
async fn keyset_pages_joined_rows_and_checks_the_page_size(db: Db) {
    let s = sides(&db).await;
    let q = || {
        SxFolder::select().inner_join(
            SxDashboard::table(),
            SxDashboard::folder_id.eq_col(SxFolder::id),
        )
    };
    let order = || (SxFolder::name.desc(), SxDashboard::id.asc());
    let first = q().keyset(order(), None).page(1, &db).await.unwrap();
    assert_eq!(first.items, [(s.f4.clone(), s.d5.clone())]);
    assert_eq!(first.next, Some(("f4".to_owned(), s.d5.id)));
    let second = q().keyset(order(), first.next).page(5, &db).await.unwrap();
    assert_eq!(second.items, [(s.f1.clone(), s.d1.clone())]);
    assert_eq!(second.next, None);

    // A single term takes a bare value as its cursor.
    let by_title = SxDashboard::select()
        .keyset(SxDashboard::title.asc(), Some("d2".to_owned()))
        .page(10, &db)
        .await
        .unwrap();
    let titles: Vec<_> = by_title.items.iter().map(|d| d.title.as_str()).collect();
    assert_eq!(titles, ["d3", "d5"]);

    for size in [0, buster_db::query::MAX_PAGE_SIZE + 1] {
        let r = SxDashboard::select()
            .keyset(SxDashboard::id.asc(), None)
            .page(size, &db)
            .await;
        assert_eq!(invalid_field(r).as_deref(), Some("page_size"));
    }
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "shapes_fixtures")]
async fn delete_where_deletes_the_matching_rows_of_a_table_without_soft_delete(db: Db) {
    let ada = user(&db, "ada").await;
    let bob = user(&db, "bob").await;
    for name in ["tmp-1", "tmp-2", "keep"] {
        source(&db, &ada, name).await;
    }
    let bobs = source(&db, &bob, "tmp-bob").await;

    let q = SxSource::delete_where(
        SxSource::name
            .like("tmp-%")
            .and(SxSource::owner_id.eq(ada.id)),
    );
    assert_eq!(
        q.to_sql(),
        buster_db::Sql {
            text: r#"DELETE FROM "sx_sources" WHERE ("sx_sources"."name" LIKE $1 AND "sx_sources"."owner_id" = $2) RETURNING "sx_sources"."id", "sx_sources"."owner_id", "sx_sources"."name""#.into(),
            params: 2,
        }
    );
    assert_eq!(q.execute(&db).await.unwrap(), 2);
    let mut left = SxSource::select()
        .column(SxSource::name)
        .all(&db)
        .await
        .unwrap();
    left.sort();
    assert_eq!(left, ["keep", "tmp-bob"]);
    // Nothing matches any more: no row affected.
    let again = SxSource::delete_where(
        SxSource::name
            .like("tmp-%")
            .and(SxSource::owner_id.eq(ada.id)),
    );
    assert_eq!(again.execute(&db).await.unwrap(), 0);

    // `all` returns the deleted rows.
    let gone = SxSource::delete_where(SxSource::owner_id.eq(bob.id))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(gone, [bobs]);
    assert_eq!(SxSource::select().count(&db).await.unwrap(), 1);
}
