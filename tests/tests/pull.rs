//! `pull` writes declarations from an existing database. From the migrated Buster database it
//! writes exactly the files committed in `tests/pulled-buster/src/schema/` (a crate that
//! compiles them and whose `round_trip` test finds them equal to the migrations); from the
//! database of `pull_fixtures/` it writes what the derive states and a TODO, listed in the
//! warnings, for each thing it cannot.
//!
//! After a change to `pull` or to the migrations, rewrite the committed files with
//! `UPDATE_PULLED=1 cargo test -p buster-db-tests --test pull` and review their diff.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use buster_db::Db;
use buster_db::pull::{PullOptions, Pulled, pull};
use buster_db::testing::TestDb;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The committed output of `pull` on the Buster database.
const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/pulled-buster/src/schema");

fn files(pulled: &Pulled) -> BTreeMap<PathBuf, &str> {
    pulled
        .files
        .iter()
        .map(|f| (f.path.clone(), f.contents.as_str()))
        .collect()
}

/// The `.rs` files of `dir`, by name.
fn committed(dir: &Path) -> std::io::Result<BTreeMap<PathBuf, String>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "rs")
            && let Some(name) = path.file_name()
        {
            out.insert(PathBuf::from(name), std::fs::read_to_string(&path)?);
        }
    }
    Ok(out)
}

/// Makes `dir` hold exactly the files of `pulled`.
fn rewrite(dir: &Path, pulled: &Pulled) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for stale in committed(dir)?.keys() {
        if pulled.file(stale).is_none() {
            std::fs::remove_file(dir.join(stale))?;
        }
    }
    pulled.write(dir)?;
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn the_buster_database_pulls_to_the_committed_files(db: Db) -> TestResult {
    let pulled = pull(&db, &PullOptions::new().database_name("buster")).await?;
    assert_eq!(pulled.warnings, vec![]);
    let dir = Path::new(COMMITTED);
    if std::env::var_os("UPDATE_PULLED").is_some() {
        rewrite(dir, &pulled)?;
    }
    let committed = committed(dir)?;
    let written = files(&pulled);
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        committed.keys().collect::<Vec<_>>(),
        "the files of {COMMITTED}; rewrite them with UPDATE_PULLED=1"
    );
    for (path, contents) in &written {
        assert_eq!(
            *contents,
            committed[path],
            "{} differs from what pull writes; rewrite it with UPDATE_PULLED=1",
            path.display()
        );
    }
    // One table file per table of the migrations, the enum types, the module.
    assert_eq!(written.len(), 13 + 2);
    assert!(
        written[Path::new("chat.rs")]
            .starts_with("//! Written by `pull` from database `buster`, schema `public`.\n")
    );
    Ok(())
}

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn the_header_names_the_database_read(db: Db) -> TestResult {
    let pulled = pull(&db, &PullOptions::new()).await?;
    let name = db.config().dbname().unwrap_or_default().to_owned();
    assert!(name.starts_with("buster_"), "a test database: {name}");
    let header = format!("//! Written by `pull` from database `{name}`, schema `public`.\n");
    assert!(pulled.files.iter().all(|f| f.contents.starts_with(&header)));
    Ok(())
}

/// Asserts that `file` of `pulled` has each of `lines` (compared without indentation).
fn assert_lines(pulled: &Pulled, file: &str, lines: &[&str]) {
    let contents = pulled.file(file).map_or("", |f| f.contents.as_str());
    for line in lines {
        assert!(
            contents.lines().any(|l| l.trim() == *line),
            "{file} has no line `{line}`:\n{contents}"
        );
    }
}

/// Runs `rustfmt --check` on each file; `false` when there is no rustfmt to run.
fn formatted(pulled: &Pulled) -> Result<bool, Box<dyn std::error::Error>> {
    use std::io::Write;
    for f in &pulled.files {
        let child = Command::new("rustfmt")
            .args(["--edition", "2024", "--check"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn();
        let Ok(mut child) = child else {
            return Ok(false);
        };
        child
            .stdin
            .take()
            .ok_or("no stdin")?
            .write_all(f.contents.as_bytes())?;
        let out = child.wait_with_output()?;
        assert!(
            out.status.success(),
            "{} is not as rustfmt formats it:\n{}",
            f.path.display(),
            String::from_utf8_lossy(&out.stdout)
        );
    }
    Ok(true)
}

#[buster_db::test(migrations = "pull_fixtures")]
async fn what_the_derive_cannot_state_is_left_as_a_todo(db: Db) -> TestResult {
    let pulled = pull(&db, &PullOptions::new().database_name("fixtures")).await?;
    let paths: Vec<_> = pulled
        .files
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "mod.rs",
            "enums.rs",
            "author.rs",
            "edition.rs",
            "page_view.rs",
            "post.rs",
            "post_tag.rs"
        ]
    );

    // Declared: comments as docs, sequences and casts in defaults, varchar / char / numeric /
    // json through `sql_type`, a keyword column, a column name that is no identifier, enum
    // columns and arrays, a unique key of a table without soft delete, NULLS NOT DISTINCT, a
    // check.
    assert_lines(
        &pulled,
        "author.rs",
        &[
            "/// People who write posts.",
            "pub struct Author {",
            "#[column(primary_key, default = \"nextval('authors_id_seq'::regclass)\")]",
            "pub id: i64,",
            "/// The name in the author's URL.",
            "#[column(unique, sql_type = \"varchar(40)\")]",
            "pub handle: String,",
            "#[column(sql_type = \"char(12)\")]",
            "pub display_name: Option<String>,",
            "#[column(default = \"'person'\")]",
            "pub r#type: String,",
            "#[column(name = \"Created At\", default = \"now()\")]",
            "pub created_at: DateTime<Utc>,",
            "#[column(default = \"'happy'\")]",
            "pub mood: Mood,",
            "pub moods: Option<Vec<Mood>>,",
            "#[column(sql_type = \"numeric(3,1)\")]",
            "pub rating: Option<Decimal>,",
            "#[column(sql_type = \"json\")]",
            "pub profile: Option<JsonValue>,",
            "unique_nulls_not_distinct(display_name),",
            "index(r#type, mood),",
            "check(name = \"authors_handle_not_empty\", sql = \"length((handle)::text) > 0\")",
        ],
    );
    // The labels round-trip: the default style where it fits, a rename where it does not.
    assert_lines(
        &pulled,
        "enums.rs",
        &[
            "/// How a writer feels.",
            "#[pg_enum(name = \"mood\")]",
            "pub enum Mood {",
            "Happy,",
            "#[pg_enum(rename = \"notSure\")]",
            "NotSure,",
            "#[pg_enum(rename = \"HTTP-error\")]",
            "HttpError,",
        ],
    );
    // Soft delete: the managed columns, a live-rows unique key, a unique key over every row;
    // a foreign key with its action, a plain and a text-search index.
    assert_lines(
        &pulled,
        "post.rs",
        &[
            "use super::authors;",
            "unique(author_id, title),",
            "index(author_id),",
            "search_index(title)",
            "#[column(references = authors::id, on_delete = \"cascade\")]",
            "pub author_id: i64,",
            "#[column(unique(all_rows), sql_type = \"varchar(80)\")]",
            "#[column(created_at)]",
            "#[column(updated_at)]",
            "#[column(soft_delete)]",
            "pub deleted_at: Option<DateTime<Utc>>,",
            "// TODO: column \"search\" has type tsvector, which buster-db cannot map; declare it by hand",
        ],
    );
    assert_lines(
        &pulled,
        "post_tag.rs",
        &[
            "#[table(name = \"post_tags\", primary_key(post_id, tag))]",
            "#[column(references = posts::id, on_delete = \"cascade\", on_update = \"restrict\")]",
        ],
    );
    assert_lines(
        &pulled,
        "page_view.rs",
        &[
            "// TODO: `page_views` has no primary key, so this declaration does not compile: mark the field(s) of a unique, non-null key `#[column(primary_key)]`",
            "#[column(default = \"now()\", sql_type = \"timestamp(3)\")]",
            "pub viewed_at: NaiveDateTime,",
            "pub visitor: Option<IpAddr>,",
        ],
    );
    // No field is guessed for the tsvector column.
    let post = pulled.file("post.rs").map_or("", |f| f.contents.as_str());
    assert!(!post.contains("pub search"), "{post}");
    // The missing key's TODO is right above the struct.
    let page_view = pulled
        .file("page_view.rs")
        .map_or("", |f| f.contents.as_str());
    assert!(page_view.contains(
        "`#[column(primary_key)]`\n#[derive(buster_db::Table, Debug, Clone, PartialEq)]\n"
    ));
    assert_lines(
        &pulled,
        "mod.rs",
        &[
            "<Author as Table>::META,",
            "pub static ENUMS: &[&EnumMeta] = &[<Mood as Enum>::META];",
        ],
    );
    let module = pulled.file("mod.rs").map_or("", |f| f.contents.as_str());
    let position = |s: &str| module.find(s);
    assert!(position("<Author as Table>") < position("<Post as Table>"));
    assert!(position("<Post as Table>") < position("<PostTag as Table>"));
    assert!(position("<PostTag as Table>") < position("<Edition as Table>"));

    let warnings: Vec<(Option<&str>, &str)> = pulled
        .warnings
        .iter()
        .map(|w| (w.table.as_deref(), w.message.as_str()))
        .collect();
    assert_eq!(
        warnings,
        [
            (
                Some("authors"),
                "index \"authors_lower_handle_idx\" cannot be declared with the derive (a key is \
                 an expression): CREATE INDEX authors_lower_handle_idx ON public.authors USING \
                 btree (lower((handle)::text))"
            ),
            (
                Some("editions"),
                "foreign key \"editions_post_id_tag_fkey\" has several columns, which the derive \
                 cannot state: FOREIGN KEY (post_id, tag) REFERENCES post_tags(post_id, tag)"
            ),
            (
                Some("editions"),
                "column \"number\" is an identity column (GENERATED ALWAYS AS IDENTITY), which \
                 the derive cannot state: inserts would give it a value, which the database \
                 refuses; declare it by hand"
            ),
            (
                Some("editions"),
                "column \"title_length\" is generated (GENERATED ALWAYS AS (length((tag)::text)) \
                 STORED), which the derive cannot state: inserts and updates would write it; \
                 declare it by hand"
            ),
            (
                Some("page_views"),
                "`page_views` has no primary key, so this declaration does not compile: mark the \
                 field(s) of a unique, non-null key `#[column(primary_key)]`"
            ),
            (
                Some("posts"),
                "index \"posts_newest\" cannot be declared with the derive (it has INCLUDE \
                 columns, or an operator class, sort order or collation of its own): CREATE \
                 INDEX posts_newest ON public.posts USING btree (created_at DESC)"
            ),
            (
                Some("posts"),
                "column \"search\" has type tsvector, which buster-db cannot map; declare it by \
                 hand"
            ),
        ]
    );
    // Each warning is a TODO in the file of its table, and there is no other TODO.
    let todos: usize = pulled
        .files
        .iter()
        .map(|f| f.contents.matches("// TODO: ").count())
        .sum();
    assert_eq!(todos, pulled.warnings.len());
    for w in &pulled.warnings {
        let todo = format!("// TODO: {}\n", w.message);
        assert!(
            pulled.files.iter().any(|f| f.contents.contains(&todo)),
            "no TODO for {w}"
        );
    }

    if !formatted(&pulled)? {
        eprintln!("skipping the rustfmt check of the pulled files: no rustfmt on the PATH");
    }
    Ok(())
}

#[buster_db::test(migrations = "pull_fixtures")]
async fn another_schema_is_pulled_with_its_name(db: Db) -> TestResult {
    let options = PullOptions::new()
        .schema("archive")
        .database_name("fixtures");
    let pulled = pull(&db, &options).await?;
    let paths: Vec<_> = pulled
        .files
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    assert_eq!(paths, ["mod.rs", "post.rs"]);
    assert_lines(
        &pulled,
        "post.rs",
        &[
            "//! Written by `pull` from database `fixtures`, schema `archive`.",
            "#[table(name = \"posts\", schema = \"archive\")]",
            "pub author_id: Option<i64>,",
        ],
    );
    let warnings: Vec<String> = pulled.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "table \"posts\": foreign key \"posts_author_id_fkey\" cannot be declared with the \
          derive (it references schema \"public\"): FOREIGN KEY (author_id) REFERENCES \
          authors(id)"
        ]
    );
    assert_eq!(
        pull(&db, &PullOptions::new().schema("nowhere"))
            .await?
            .warnings[0]
            .message,
        "schema \"nowhere\" has no tables and no enum types"
    );
    Ok(())
}

#[test]
fn the_command_line_writes_the_files_and_fails_with_2() -> TestResult {
    let runtime = tokio::runtime::Runtime::new()?;
    let test_db = runtime.block_on(TestDb::create(buster_database::MIGRATIONS))?;
    let url = test_db.url();
    let run = |out: &Path| {
        let out = out.display().to_string();
        let args = ["buster-db", "--database-url", &url, "pull", "--out", &out];
        buster_db::cli::run_from("buster-db", &buster_database::SCHEMA, args)
    };
    let out = std::env::temp_dir().join(format!("buster-db-pull-{}", std::process::id()));
    let code = run(&out.join("schema"));
    // A folder inside a file cannot be created.
    let failed = run(&out.join("schema").join("mod.rs").join("inner"));
    let written = committed(&out.join("schema"));
    let _ = std::fs::remove_dir_all(&out);
    runtime.block_on(test_db.drop_database())?;

    assert_eq!(code, ExitCode::SUCCESS);
    assert_eq!(failed, ExitCode::from(2));
    let written = written?;
    let expected = committed(Path::new(COMMITTED))?;
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    // The same files, but for the database named in the first line.
    let body = |text: &str| text.split_once('\n').map(|(_, rest)| rest.to_owned());
    for (path, text) in &written {
        assert_eq!(body(text), body(&expected[path]), "{}", path.display());
    }
    Ok(())
}

/// The string items of the `const NAME: &[&str] = &[…];` list in `file` (a workspace path).
fn str_list(file: &str, name: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let head = format!("const {name}: &[&str] = &[");
    let Some(start) = text.find(&head) else {
        panic!("{file} has no list {name}");
    };
    let body = &text[start + head.len()..];
    let body = &body[..body.find("];").unwrap_or(body.len())];
    body.split(',')
        .map(|item| item.trim().trim_matches('"').to_owned())
        .filter(|item| !item.is_empty())
        .collect()
}

/// `pull` renames a column whose field would take the name of a table's function; the derive
/// refuses such a field. The proc-macro crate cannot share its list with the engine, so the two
/// copies are kept equal here.
#[test]
fn pull_avoids_exactly_the_field_names_the_derive_refuses() {
    let derive = str_list("buster-db-macros/src/table/valid.rs", "RESERVED");
    let pulled = str_list("buster-db/src/pull/name.rs", "RESERVED_FIELDS");
    assert!(derive.contains(&"select".to_owned()), "{derive:?}");
    assert_eq!(pulled, derive);
}
