//! Reads: every filter operator, ordering, limit and offset, count, exists and pagination, on
//! the fixture table `fx_tasks` (one soft-deleted row among them, which never shows up).

use buster_db::prelude::*;
use buster_db::query::Select;
use buster_db::{ErrorKind, NaiveDate, Result, Uuid};
use buster_db_tests::{FxTask, NewFxTask};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Five live tasks and one soft-deleted one (`epsilon`).
async fn seed(db: &Db) -> Result<Vec<FxTask>> {
    let task = |title: &str, priority, note: Option<&str>, due_on| NewFxTask {
        id: None,
        title: title.into(),
        priority,
        note: note.map(Into::into),
        due_on,
    };
    let tasks = FxTask::insert_many([
        task("alpha", 1, Some("Urgent fix"), Some(date(2024, 1, 10))),
        task("beta", 2, None, Some(date(2024, 2, 1))),
        task("gamma", 3, Some("later"), None),
        task("delta", 4, None, None),
        task("Alphabet", 5, Some("x"), Some(date(2024, 3, 1))),
        task("epsilon", 2, Some("deleted"), Some(date(2024, 1, 1))),
    ])
    .all(db)
    .await?;
    let Some(epsilon) = tasks.iter().find(|t| t.title == "epsilon") else {
        panic!("seeded tasks lack epsilon: {tasks:?}");
    };
    FxTask::soft_delete(epsilon.id).one(db).await?;
    Ok(tasks)
}

/// Titles of the rows `query` returns, in the order returned.
async fn titles(query: Select<FxTask>, db: &Db) -> Result<Vec<String>> {
    Ok(query.all(db).await?.into_iter().map(|t| t.title).collect())
}

/// Titles of the rows matching `query`, sorted (for queries without `ORDER BY`).
async fn matching(query: Select<FxTask>, db: &Db) -> Result<Vec<String>> {
    let mut titles = titles(query, db).await?;
    titles.sort();
    Ok(titles)
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn eq_and_ne_compare_with_the_bound_value(db: Db) -> Result<()> {
    seed(&db).await?;
    let eq = FxTask::select().filter(FxTask::priority.eq(2));
    assert_eq!(matching(eq, &db).await?, ["beta"]);
    let text = FxTask::select().filter(FxTask::title.eq("alpha"));
    assert_eq!(matching(text, &db).await?, ["alpha"]);
    let ne = FxTask::select().filter(FxTask::priority.ne(1));
    assert_eq!(
        matching(ne, &db).await?,
        ["Alphabet", "beta", "delta", "gamma"]
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn lt_le_gt_ge_compare_numbers_and_dates(db: Db) -> Result<()> {
    seed(&db).await?;
    let lt = FxTask::select().filter(FxTask::priority.lt(3));
    assert_eq!(matching(lt, &db).await?, ["alpha", "beta"]);
    let le = FxTask::select().filter(FxTask::priority.le(3));
    assert_eq!(matching(le, &db).await?, ["alpha", "beta", "gamma"]);
    let gt = FxTask::select().filter(FxTask::priority.gt(3));
    assert_eq!(matching(gt, &db).await?, ["Alphabet", "delta"]);
    let ge = FxTask::select().filter(FxTask::priority.ge(3));
    assert_eq!(matching(ge, &db).await?, ["Alphabet", "delta", "gamma"]);
    // A nullable column compares with a plain value; NULLs never match.
    let before = FxTask::select().filter(FxTask::due_on.lt(date(2024, 2, 1)));
    assert_eq!(matching(before, &db).await?, ["alpha"]);
    let from = FxTask::select().filter(FxTask::due_on.ge(date(2024, 2, 1)));
    assert_eq!(matching(from, &db).await?, ["Alphabet", "beta"]);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn like_is_case_sensitive_and_ilike_is_not(db: Db) -> Result<()> {
    seed(&db).await?;
    let like = FxTask::select().filter(FxTask::title.like("Alpha%"));
    assert_eq!(matching(like, &db).await?, ["Alphabet"]);
    let suffix = FxTask::select().filter(FxTask::title.like("%ta"));
    assert_eq!(matching(suffix, &db).await?, ["beta", "delta"]);
    let one_char = FxTask::select().filter(FxTask::title.like("_eta"));
    assert_eq!(matching(one_char, &db).await?, ["beta"]);
    let ilike = FxTask::select().filter(FxTask::title.ilike("ALPHA%"));
    assert_eq!(matching(ilike, &db).await?, ["Alphabet", "alpha"]);
    let nullable = FxTask::select().filter(FxTask::note.ilike("urgent%"));
    assert_eq!(matching(nullable, &db).await?, ["alpha"]);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn is_in_matches_any_listed_value_and_an_empty_list_matches_nothing(db: Db) -> Result<()> {
    let tasks = seed(&db).await?;
    let listed = FxTask::select().filter(FxTask::priority.is_in([1, 3, 99]));
    assert_eq!(matching(listed, &db).await?, ["alpha", "gamma"]);

    let empty = FxTask::select().filter(FxTask::priority.is_in(Vec::<i32>::new()));
    assert_eq!(matching(empty, &db).await?, Vec::<String>::new());
    let empty_count = FxTask::select()
        .filter(FxTask::id.is_in(Vec::<Uuid>::new()))
        .count(&db)
        .await?;
    assert_eq!(empty_count, 0);

    let ids: Vec<Uuid> = tasks.iter().map(|t| t.id).collect();
    let by_id = FxTask::select().filter(FxTask::id.is_in(&ids));
    // The soft-deleted task is listed but stays hidden.
    assert_eq!(
        matching(by_id, &db).await?,
        ["Alphabet", "alpha", "beta", "delta", "gamma"]
    );
    let texts = FxTask::select().filter(FxTask::title.is_in(["beta", "nope"]));
    assert_eq!(matching(texts, &db).await?, ["beta"]);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn is_null_and_is_not_null_split_a_nullable_column(db: Db) -> Result<()> {
    seed(&db).await?;
    let null = FxTask::select().filter(FxTask::note.is_null());
    assert_eq!(matching(null, &db).await?, ["beta", "delta"]);
    let not_null = FxTask::select().filter(FxTask::note.is_not_null());
    assert_eq!(
        matching(not_null, &db).await?,
        ["Alphabet", "alpha", "gamma"]
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn and_or_not_combine_conditions_with_their_usual_precedence(db: Db) -> Result<()> {
    seed(&db).await?;
    let and = FxTask::select().filter(FxTask::priority.ge(2).and(FxTask::note.is_null()));
    assert_eq!(matching(and, &db).await?, ["beta", "delta"]);
    let or = FxTask::select().filter(FxTask::priority.eq(1).or(FxTask::priority.eq(5)));
    assert_eq!(matching(or, &db).await?, ["Alphabet", "alpha"]);
    let not = FxTask::select().filter(FxTask::priority.le(3).not());
    assert_eq!(matching(not, &db).await?, ["Alphabet", "delta"]);
    // (p = 1 OR p = 4) AND NOT (note IS NULL): each side is parenthesized as written.
    let nested = FxTask::select().filter(
        FxTask::priority
            .eq(1)
            .or(FxTask::priority.eq(4))
            .and(FxTask::note.is_null().not()),
    );
    assert_eq!(matching(nested, &db).await?, ["alpha"]);
    let repeated = FxTask::select()
        .filter(FxTask::priority.gt(1))
        .filter(FxTask::priority.lt(4));
    assert_eq!(matching(repeated, &db).await?, ["beta", "gamma"]);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn order_by_sorts_ascending_and_descending(db: Db) -> Result<()> {
    seed(&db).await?;
    let asc = FxTask::select().order_by(FxTask::priority.asc());
    assert_eq!(
        titles(asc, &db).await?,
        ["alpha", "beta", "gamma", "delta", "Alphabet"]
    );
    let desc = FxTask::select().order_by(FxTask::priority.desc());
    assert_eq!(
        titles(desc, &db).await?,
        ["Alphabet", "delta", "gamma", "beta", "alpha"]
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn order_by_places_nulls_first_or_last_as_asked(db: Db) -> Result<()> {
    seed(&db).await?;
    // Ties among NULLs are broken by priority.
    let nulls_first = FxTask::select()
        .order_by(FxTask::due_on.asc().nulls_first())
        .order_by(FxTask::priority.asc());
    assert_eq!(
        titles(nulls_first, &db).await?,
        ["gamma", "delta", "alpha", "beta", "Alphabet"]
    );
    let nulls_last = FxTask::select()
        .order_by(FxTask::due_on.desc().nulls_last())
        .order_by(FxTask::priority.desc());
    assert_eq!(
        titles(nulls_last, &db).await?,
        ["Alphabet", "beta", "alpha", "delta", "gamma"]
    );
    let asc_nulls_last = FxTask::select()
        .order_by(FxTask::due_on.asc().nulls_last())
        .order_by(FxTask::priority.asc());
    assert_eq!(
        titles(asc_nulls_last, &db).await?,
        ["alpha", "beta", "Alphabet", "gamma", "delta"]
    );
    let desc_nulls_first = FxTask::select()
        .order_by(FxTask::due_on.desc().nulls_first())
        .order_by(FxTask::priority.asc());
    assert_eq!(
        titles(desc_nulls_first, &db).await?,
        ["gamma", "delta", "Alphabet", "beta", "alpha"]
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn limit_and_offset_cut_the_ordered_rows(db: Db) -> Result<()> {
    seed(&db).await?;
    let window = FxTask::select()
        .order_by(FxTask::priority.asc())
        .limit(2)
        .offset(1);
    assert_eq!(titles(window, &db).await?, ["beta", "gamma"]);
    let first_two = FxTask::select().order_by(FxTask::priority.asc()).limit(2);
    assert_eq!(titles(first_two, &db).await?, ["alpha", "beta"]);
    let past_end = FxTask::select().order_by(FxTask::priority.asc()).offset(5);
    assert_eq!(titles(past_end, &db).await?, Vec::<String>::new());
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn count_and_exists_see_live_matching_rows_only(db: Db) -> Result<()> {
    seed(&db).await?;
    assert_eq!(FxTask::select().count(&db).await?, 5);
    assert_eq!(FxTask::select().with_deleted().count(&db).await?, 6);
    let two = FxTask::select().filter(FxTask::priority.eq(2));
    assert_eq!(two.count(&db).await?, 1);
    // Ordering and limits do not change the count.
    let limited = FxTask::select()
        .filter(FxTask::priority.ge(2))
        .order_by(FxTask::title.asc())
        .limit(1);
    assert_eq!(limited.count(&db).await?, 4);

    let high = FxTask::select().filter(FxTask::priority.gt(4));
    assert!(high.exists(&db).await?);
    let deleted_only = FxTask::select().filter(FxTask::title.eq("epsilon"));
    assert!(!deleted_only.exists(&db).await?);
    let none = FxTask::select().filter(FxTask::priority.gt(100));
    assert!(!none.exists(&db).await?);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn paginate_returns_pages_with_the_total_and_whether_more_follow(db: Db) -> Result<()> {
    seed(&db).await?;
    let query = || FxTask::select().order_by(FxTask::priority.asc());

    let first = query().paginate(1, 2, &db).await?;
    let titles: Vec<_> = first.items.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles, ["alpha", "beta"]);
    assert_eq!((first.total, first.page, first.page_size), (5, 1, 2));
    assert!(first.has_more);

    let second = query().paginate(2, 2, &db).await?;
    let titles: Vec<_> = second.items.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles, ["gamma", "delta"]);
    assert!(second.has_more);

    let last = query().paginate(3, 2, &db).await?;
    let titles: Vec<_> = last.items.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles, ["Alphabet"]);
    assert_eq!(last.total, 5);
    assert!(!last.has_more);

    let exact = query().paginate(1, 5, &db).await?;
    assert_eq!(
        (exact.items.len(), exact.total, exact.has_more),
        (5, 5, false)
    );

    let beyond = query().paginate(4, 2, &db).await?;
    assert!(beyond.items.is_empty());
    assert_eq!((beyond.total, beyond.page), (5, 4));
    assert!(!beyond.has_more);

    let filtered = query()
        .filter(FxTask::note.is_null())
        .paginate(1, 1, &db)
        .await?;
    assert_eq!(filtered.total, 2);
    assert_eq!(filtered.items.len(), 1);
    assert!(filtered.has_more);
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn paginate_refuses_bad_page_numbers_and_sizes_without_querying(db: Db) -> Result<()> {
    seed(&db).await?;
    let before = db.statements_executed();
    for (page, page_size, field) in [
        (0, 10, "page"),
        (1, 0, "page_size"),
        (1, 5001, "page_size"),
        (0, 0, "page"),
    ] {
        let Err(err) = FxTask::select().paginate(page, page_size, &db).await else {
            panic!("paginate({page}, {page_size}) was accepted");
        };
        assert_eq!(err.kind(), ErrorKind::Validation, "{page}, {page_size}");
        assert_eq!(err.field(), Some(field), "{page}, {page_size}");
    }
    assert_eq!(db.statements_executed(), before);

    let largest = FxTask::select().paginate(1, 5000, &db).await?;
    assert_eq!((largest.items.len(), largest.total), (5, 5));
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS, fixtures = "migrations")]
async fn find_counts_checks_existence_and_pages_its_row_like_any_read(db: Db) -> Result<()> {
    let tasks = seed(&db).await?;
    let by_title = |title: &str| tasks.iter().find(|t| t.title == title).map(|t| t.id);
    let (Some(alpha), Some(epsilon)) = (by_title("alpha"), by_title("epsilon")) else {
        panic!("seeded tasks lack alpha or epsilon: {tasks:?}");
    };
    assert!(FxTask::find(alpha).exists(&db).await?);
    assert_eq!(FxTask::find(alpha).count(&db).await?, 1);
    assert_eq!(FxTask::find(alpha).all(&db).await?.len(), 1);
    // The soft-deleted row is invisible to every terminal unless asked for.
    assert!(!FxTask::find(epsilon).exists(&db).await?);
    assert_eq!(FxTask::find(epsilon).count(&db).await?, 0);
    assert!(FxTask::find(epsilon).only_deleted().exists(&db).await?);

    let first = FxTask::find(alpha).paginate(1, 10, &db).await?;
    assert_eq!(
        (first.items.len(), first.total, first.has_more),
        (1, 1, false)
    );
    let second = FxTask::find(alpha).paginate(2, 10, &db).await?;
    assert_eq!((second.items.len(), second.total), (0, 1));
    Ok(())
}
