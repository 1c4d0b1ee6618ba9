//! Compile-time guarantees of buster-db, checked with trybuild: every misuse in `tests/ui/<kind
//! of mistake>/` must fail to compile with the committed message, and every case in
//! `tests/ui/pass/` must compile.
//!
//! Regenerate the snapshots with `TRYBUILD=overwrite cargo test -p buster-db-tests --test ui`.

use std::process::Command;

/// The compiler the `.stderr` snapshots were written with. Other versions word and place their
/// diagnostics differently, so the snapshots are only compared on this one.
const PINNED_RUSTC: &str = "1.95.";

/// Folders of `tests/ui/`, one per kind of mistake; `pass` is checked separately.
const FAILING: &[&str] = &[
    "foreign_column",
    "expression",
    "value_type",
    "column_method",
    "read_only_column",
    "soft_delete",
    "upsert",
    "key",
    "derive_shape",
    "attribute",
    "primary_key",
    "managed_column",
    "column_type",
    "enum_derive",
    "join",
    "projection",
    "aggregate",
    "keyset",
    "subquery",
    "union",
    "relation",
    "scalar_derive",
    "raw",
    "foreign_key",
];

fn rustc_version() -> Option<String> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(rustc).arg("--version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

#[test]
fn ui() {
    let version = rustc_version().unwrap_or_else(|| "an unknown rustc".into());
    let pinned = version
        .strip_prefix("rustc ")
        .is_some_and(|v| v.starts_with(PINNED_RUSTC));
    if !pinned {
        eprintln!(
            "skipping the UI tests: their snapshots are written with rustc {PINNED_RUSTC}x, \
             this is {version}"
        );
        return;
    }
    let t = trybuild::TestCases::new();
    for folder in FAILING {
        t.compile_fail(format!("ui/{folder}/*.rs"));
    }
    t.pass("ui/pass/*.rs");
}

/// Internal types that must not appear in the headline (`error…:` line) of a message.
const INTERNAL_TYPES: &[&str] = &[
    "Inner<",
    "Left<",
    "Maybe<",
    "Both<",
    "Projected<",
    "Here",
    "Push",
    "Pick",
    "Alias<",
    "AliasColumn<",
    "Correlated<",
    "Excluded<",
    "Agg<",
    "Aggregated<",
    "OneColumn<",
    "Selected<",
    "RowsOf<",
    "Name<",
    "Ch<",
    "__private",
];

/// Cases whose headline still names an internal type: each is work left, and the scorer fails
/// once a case here no longer needs to be (so the list only shrinks).
const INTERNAL_TYPES_LEFT: &[&str] = &[];

/// Cases that hold several mistakes on purpose, with their number of errors: one per mistake.
const SEVERAL_MISTAKES: &[(&str, usize)] = &[
    ("aggregate/aggregate_in_filter", 3),
    ("attribute/schema_not_an_identifier", 3),
    ("attribute/sql_type_not_a_type", 4),
    ("attribute/unknown_and_duplicate", 4),
    ("foreign_key/action_without_references", 2),
    ("foreign_key/check_without_sql", 2),
    ("join/on_without_joined_table", 2),
    ("key/all_rows_misplaced", 5),
    ("raw/hidden_executor_methods", 2),
    ("raw/sql_built_at_run_time", 2),
    ("scalar_derive/not_one_field", 3),
    ("union/order_by_column_not_selected", 2),
    ("value_type/newtype_compared_with_other_newtype", 2),
];

/// Cases of one mistake still reported more than once, with their number of errors: work left,
/// and the scorer fails when a count changes (down: update it; up: a regression).
const FOLLOW_ON_ERRORS_LEFT: &[(&str, usize)] = &[
    ("column_type/json_without_serde", 3),
    ("projection/record_field_types", 3),
    ("projection/record_fields_swapped", 3),
    ("raw/row_type_not_a_column_type", 4),
];

/// Every compile-fail case: `folder/name`, its `.rs` text and its `.stderr` snapshot.
fn cases() -> Vec<(String, String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
    let mut out = Vec::new();
    for folder in FAILING {
        let mut names: Vec<String> = std::fs::read_dir(root.join(folder))
            .map(|d| {
                d.filter_map(|e| e.ok()?.file_name().into_string().ok())
                    .filter_map(|n| n.strip_suffix(".rs").map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        for name in names {
            let read = |ext: &str| {
                std::fs::read_to_string(root.join(folder).join(format!("{name}.{ext}")))
                    .unwrap_or_default()
            };
            out.push((format!("{folder}/{name}"), read("rs"), read("stderr")));
        }
    }
    out
}

fn headlines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.starts_with("error")).collect()
}

/// Column names in a headline given without their table: "column `email`" (not `users::email`,
/// `users.email`, or "column `email` of table `users`").
fn unqualified_columns(headline: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in headline.match_indices("column `") {
        let rest = &headline[i + "column `".len()..];
        let Some(end) = rest.find('`') else { continue };
        let name = &rest[..end];
        let after = &rest[end + 1..];
        if !name.contains("::") && !name.contains('.') && !after.starts_with(" of table") {
            out.push(name.to_owned());
        }
    }
    out
}

/// The scorer: no internal type in a headline, one error per mistake, every column in a
/// message named with its table; the lists of work left must match the snapshots exactly.
#[test]
fn the_messages_read_as_prose() {
    let mut problems = Vec::new();
    let all = cases();
    for (case, _, stderr) in &all {
        let heads = headlines(stderr);
        let internal = heads
            .iter()
            .any(|h| INTERNAL_TYPES.iter().any(|t| h.contains(t)));
        let listed = INTERNAL_TYPES_LEFT.contains(&case.as_str());
        if internal && !listed {
            problems.push(format!("{case}: a headline names an internal type"));
        } else if !internal && listed {
            problems.push(format!(
                "{case}: no internal type any more; take it off INTERNAL_TYPES_LEFT"
            ));
        }
        let expected = SEVERAL_MISTAKES
            .iter()
            .chain(FOLLOW_ON_ERRORS_LEFT)
            .find(|(c, _)| c == case)
            .map_or(1, |(_, n)| *n);
        if heads.len() != expected {
            problems.push(format!(
                "{case}: {} error(s), expected {expected}",
                heads.len()
            ));
        }
        for h in &heads {
            for column in unqualified_columns(h) {
                problems.push(format!("{case}: column `{column}` without its table"));
            }
        }
    }
    for listed in INTERNAL_TYPES_LEFT
        .iter()
        .chain(SEVERAL_MISTAKES.iter().map(|(c, _)| c))
        .chain(FOLLOW_ON_ERRORS_LEFT.iter().map(|(c, _)| c))
    {
        if !all.iter().any(|(c, _, _)| c == listed) {
            problems.push(format!("{listed}: listed, but there is no such case"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

const TABLE_BEGIN: &str = "<!-- compile-fail messages: written from tests/ui by `UPDATE_README=1 cargo test -p buster-db-tests --test ui` -->\n";
const TABLE_END: &str = "<!-- end of compile-fail messages -->\n";

/// The README's table of mistakes and messages: one row per compile-fail case, the case's
/// opening comment and its first headline, as the snapshots hold them.
fn messages_table() -> String {
    let mut out = String::from("| case | mistake | first message |\n|---|---|---|\n");
    for (case, rs, stderr) in cases() {
        let mistake: Vec<&str> = rs
            .lines()
            .take_while(|l| l.starts_with("//"))
            .map(|l| l.trim_start_matches('/').trim())
            .collect();
        let headline = headlines(&stderr).first().map_or("", |h| {
            h.split_once(": ").map_or(*h, |(_, message)| message)
        });
        let cell = |s: &str| s.replace('|', "\\|");
        out.push_str(&format!(
            "| `{case}` | {} | {} |\n",
            cell(&mistake.join(" ")),
            cell(headline)
        ));
    }
    out
}

#[test]
fn the_readme_table_of_messages_is_the_snapshots() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let readme = std::fs::read_to_string(&path).unwrap_or_default();
    let (Some(begin), Some(end)) = (readme.find(TABLE_BEGIN), readme.find(TABLE_END)) else {
        panic!("the README has no table of compile-fail messages between its markers");
    };
    let start = begin + TABLE_BEGIN.len();
    let table = messages_table();
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{table}{}", &readme[..start], &readme[end..]);
        std::fs::write(&path, updated).unwrap_or_else(|e| panic!("cannot write the README: {e}"));
        return;
    }
    assert_eq!(
        &readme[start..end],
        table,
        "the README's table differs from the snapshots: rewrite it with UPDATE_README=1"
    );
}
