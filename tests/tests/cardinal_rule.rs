//! The cardinal rule: `buster-db` is the only way to the database.
//!
//! 1. No workspace crate other than `buster-db` depends directly (normal, dev or build
//!    dependency) on the driver crates `tokio-postgres`, `deadpool-postgres` or `postgres-types`.
//!    [`DRIVER_EXCEPTIONS`] lists the crates allowed to, each with its reason.
//! 2. Only the engine (`buster-db/src`) and the product package (`buster-database/src`) hold SQL:
//!    no Rust source under `tests/` (every test crate), `examples/` or `buster-database/tests`
//!    sends SQL text of its own.
//!    The scan reads every `.rs` file there except this one, skips comments, and checks:
//!    - `buster_db::raw_query` (the one way to send SQL text, since rule 1 keeps the driver out
//!      of these crates) is called only in the files of [`RAW_QUERY_FILES`], each time with its
//!      SQL text written as one string literal right in the call (`raw_query("…")`,
//!      `raw_query::<T>("…")`; not a `const`, a variable or `concat!`), and that text, whatever
//!      its first word, is listed with its file in [`SQL_EXCEPTIONS`]. Naming `raw_query`
//!      otherwise than in a `use` or a call (`as` another name, as a function value) is refused,
//!      as it would hide the text from the scan;
//!    - every other string literal (plain, raw, byte) whose text, after leading whitespace,
//!      starts with an SQL statement keyword in capitals followed by whitespace (`SELECT `,
//!      `INSERT `, `UPDATE `, `DELETE `, `CREATE `, … see [`KEYWORDS`]) is allowed only when it
//!      lies in a top-level item (a `fn`, `const`, `mod` … at brace depth 0) whose code calls
//!      `to_sql` and never `raw_query` (it is the expected text of a `to_sql()` assertion, which
//!      no statement is built from), or when it is listed in [`SQL_EXCEPTIONS`];
//!    - nothing calls the executor's internal methods (`__query`, `__execute`, …): they are
//!      private to buster-db, and a way to reach them again would be a back door.
//!
//!    The files of [`UNSCANNED_FILES`] (administration of throwaway clusters) are not scanned,
//!    and neither are the compile-fail cases under [`COMPILE_FAIL_DIR`], which exist not to
//!    compile (the cases of `tests/ui/pass/`, which are built and run, are scanned).
//!
//! An exception that nothing needs any more fails the rule too. The `.sql` migration and fixture
//! files are not Rust sources and are not scanned.

use std::path::{Path, PathBuf};
use std::process::Command;

use buster_db::types::serde_json::{self, Value};

/// The crates whose use outside `buster-db` breaks rule 1.
const DRIVER_CRATES: &[&str] = &["tokio-postgres", "deadpool-postgres", "postgres-types"];

/// Workspace crates allowed to depend on a driver crate directly, and why.
const DRIVER_EXCEPTIONS: &[(&str, &str)] = &[(
    "buster-db-bench",
    "it measures buster-db against hand-written code on the bare driver and pool, so it must \
     use them directly; no application code lives there",
)];

/// Statement keywords that open SQL text (case-sensitive, followed by whitespace).
const KEYWORDS: &[&str] = &[
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "MERGE",
    "WITH",
    "VALUES",
    "CREATE",
    "ALTER",
    "DROP",
    "TRUNCATE",
    "COPY",
    "GRANT",
    "REVOKE",
    "SET",
    "RESET",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "SAVEPOINT",
    "LOCK",
    "CALL",
    "DO",
    "EXECUTE",
    "PREPARE",
    "VACUUM",
    "ANALYZE",
    "LISTEN",
    "NOTIFY",
];

/// Directories (from the workspace root) whose Rust sources are scanned.
const SCANNED: &[&str] = &["tests", "examples", "buster-database/tests"];

/// This file: its constants and comments quote keywords on purpose.
const THIS_FILE: &str = "tests/tests/cardinal_rule.rs";

/// The trybuild cases: the ones outside [`PASS_DIR`] must fail to compile, so none of them runs.
const COMPILE_FAIL_DIR: &str = "tests/ui/";

/// The trybuild cases that must compile; trybuild also runs them.
const PASS_DIR: &str = "tests/ui/pass/";

/// The executor's internal methods, private to buster-db.
const INTERNAL_METHODS: &[&str] = &[
    "__query",
    "__execute",
    "__each",
    "__read_each",
    "__stream",
    "__copy_in",
];

/// Files left out of the scan entirely, and why. Fault injection is administration of a
/// throwaway server, not application access to the database.
const UNSCANNED_FILES: &[(&str, &str)] = &[
    (
        "tests/tests/reliability.rs",
        "the fault suite administers a throwaway cluster of its own: it terminates backends, \
         alters tables under a warm statement cache and changes server settings, which no query \
         of an application may do",
    ),
    (
        "tests/tests/replicas.rs",
        "administers a throwaway primary and its streaming replica: pauses and resumes WAL replay \
         and turns synchronous replication on, which no query of an application may do",
    ),
];

/// Files that may call `raw_query`, and why.
const RAW_QUERY_FILES: &[(&str, &str)] = &[
    (
        "tests/tests/raw.rs",
        "the tests of raw statements themselves: a server function, statements without a table, \
         decoding into tuples and records, rows affected, the placeholder check and conversion \
         errors, which only SQL text can exercise",
    ),
    (
        "tests/src/tenant.rs",
        "reads the session's tenant setting and current user, to show that a transaction's \
         `set_local` and `role` end with it; no table of the schema holds them",
    ),
    (
        "tests/tests/pool_lifecycle.rs",
        "watches the pool's server sessions in `pg_stat_activity` of a throwaway cluster and \
         terminates them, which no table of the schema describes",
    ),
    (
        "tests/tests/pipelining.rs",
        "tells which server session ran a statement, to see statements share one; no table of \
         the schema records that",
    ),
    (
        "tests/tests/pgbouncer.rs",
        "reads a server setting and sleeps on the server, to show which session settings reach \
         a server session shared through PgBouncer; no table of the schema is involved",
    ),
    (
        "tests/tests/harness.rs",
        "the tests of `#[buster_db::test(migrations = buster_database::MIGRATIONS)]` itself inspect the server (which database a test got, \
         what the catalogs and the migration ledger hold), which no table of the schema describes",
    ),
    (
        "tests/own-schema/tests/own_tables.rs",
        "lists the tables of the test database from the catalog, to show it holds exactly the \
         crate's own schema",
    ),
    (
        "tests/tests/tls.rs",
        "asks the server whether its own session is encrypted and which client certificate it \
         saw (`pg_stat_ssl`), which no table of the schema describes",
    ),
];

/// SQL literals allowed outside `to_sql()` assertions, and the text of every `raw_query` call:
/// file, exact literal text, reason.
const SQL_EXCEPTIONS: &[(&str, &str, &str)] = &[
    (
        "tests/tests/raw.rs",
        "SELECT vault.create_secret($1, $2)",
        "a server function of another schema, with bound values: what raw statements are for",
    ),
    (
        "tests/tests/raw.rs",
        "SELECT id, name, secret FROM vault.secrets WHERE name = $1",
        "rows of a table no struct declares, read into a record by their names",
    ),
    (
        "tests/tests/raw.rs",
        "SELECT now()",
        "a statement without a table (server function)",
    ),
    (
        "tests/tests/raw.rs",
        "SELECT set_config($1, $2, false)",
        "a session setting set through a server function, no table",
    ),
    (
        "tests/tests/raw.rs",
        "SELECT current_setting($1, true)",
        "a session setting read back (server function, no table)",
    ),
    (
        "tests/tests/raw.rs",
        "SELECT current_setting($2, true)",
        "a placeholder gap, refused before anything is sent",
    ),
    (
        "tests/tests/raw.rs",
        "SELECT email, deleted_at IS NOT NULL FROM users WHERE email LIKE $1 ORDER BY email",
        "rows read into a tuple; shows that SQL text gets no soft-delete filter",
    ),
    (
        "tests/tests/raw.rs",
        "SELECT g FROM generate_series(1, $1::int8) g",
        "a stream of rows from a set-returning function, no table",
    ),
    (
        "tests/tests/raw.rs",
        "UPDATE users SET name = $1 WHERE email LIKE $2",
        "the number of rows a raw write affected",
    ),
    (
        "tests/tests/raw.rs",
        "UPDATE users SET name = $1 WHERE email = $2",
        "too few values bound, refused before anything is sent",
    ),
    (
        "tests/tests/raw.rs",
        "SELECT count(*) FROM users WHERE name = $1",
        "too many values bound, refused before anything is sent",
    ),
    (
        "tests/tests/raw.rs",
        "SELECT id, email FROM users",
        "a column read as the wrong type, and a row of more columns than the row type reads",
    ),
    (
        "tests/tests/raw.rs",
        "SELECT email, name FROM users",
        "columns in another order than the fields of a record: refused, not swapped",
    ),
    (
        "tests/tests/raw.rs",
        "SELECT name, email FROM users",
        "the same record, read when the names agree",
    ),
    (
        "tests/tests/raw.rs",
        "SELECT 1 WHERE false",
        "a statement without rows: `optional` and `one` of nothing",
    ),
    (
        "tests/tests/raw.rs",
        "SET LOCAL statement_timeout = '5s'",
        "a raw statement inside a transaction, gone with it",
    ),
    (
        "tests/src/tenant.rs",
        "SELECT current_setting('app.org_id', true), current_user::text",
        "the session's tenant setting and role, which a tenant transaction must not leave \
         behind (server functions, no table)",
    ),
    (
        "tests/tests/observability.rs",
        "INSERT INTO",
        "looked for in the captured tracing output, to find the span of an insert; nothing is \
         sent",
    ),
    (
        "tests/tests/pool_lifecycle.rs",
        "SELECT pid FROM pg_stat_activity WHERE application_name = $1",
        "the server sessions of a pool (system catalog)",
    ),
    (
        "tests/tests/pool_lifecycle.rs",
        "SELECT pg_backend_pid()",
        "which server session ran the statement (server function)",
    ),
    (
        "tests/tests/pipelining.rs",
        "SELECT pg_backend_pid()",
        "which server session ran the statement (server function)",
    ),
    (
        "tests/tests/pool_lifecycle.rs",
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
        "kills a pool's server sessions, as a server restart or an admin would",
    ),
    (
        "tests/tests/pool_lifecycle.rs",
        "SELECT pg_sleep($1)",
        "a statement that outlives the connection's lifetime (server function)",
    ),
    (
        "tests/tests/pool_lifecycle.rs",
        "SELECT query FROM pg_stat_activity WHERE pid = $1",
        "the last statement a server session ran, to see the checkout ping (system catalog)",
    ),
    (
        "tests/tests/pgbouncer.rs",
        "SELECT pg_sleep($1)",
        "a statement that outlasts the statement timeout (server function, no table)",
    ),
    (
        "tests/tests/pgbouncer.rs",
        "SELECT current_setting($1, true)",
        "the session's value of a server setting (server function, no table)",
    ),
    (
        "buster-database/tests/cli.rs",
        r#"CREATE TABLE \"users\" ("#,
        "the expected output of the `ddl` command, which prints and sends nothing",
    ),
    (
        "buster-database/tests/cli.rs",
        r#"CREATE TYPE \"dataset_type\" AS ENUM ('table', 'view', 'materializedView');"#,
        "the expected output of the `ddl` command, which prints and sends nothing",
    ),
    (
        "tests/own-schema/tests/own_tables.rs",
        "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
        "the tables of the test database (system catalog)",
    ),
    (
        "tests/tests/tls.rs",
        "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
        "whether the server sees the test's own session as encrypted (system view)",
    ),
    (
        "tests/tests/tls.rs",
        "SELECT client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
        "the client certificate the server saw for the test's own session (system view)",
    ),
    (
        "tests/tests/harness.rs",
        "SELECT current_database()",
        "the name of the database the test was given",
    ),
    (
        "tests/tests/harness.rs",
        "SELECT count(*) FROM pg_database WHERE datname = $1",
        "whether a test database still exists (system catalog)",
    ),
    (
        "tests/tests/harness.rs",
        "SELECT count(*) FROM buster_db_migrations",
        "the migration ledger, written by `buster_db::migrate` and not a schema table",
    ),
    (
        "tests/tests/harness.rs",
        "SELECT 1::bigint",
        "a test may return a `Result`: any statement that needs no table",
    ),
    (
        "tests/tests/harness.rs",
        "SELECT indexdef FROM pg_indexes WHERE indexname = 'users_email_key'",
        "the migrated index definition (system catalog)",
    ),
];

fn workspace_metadata() -> Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output();
    let output = match output {
        Ok(o) if o.status.success() => o,
        Ok(o) => panic!(
            "`cargo metadata` failed: {}",
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => panic!("cannot run `cargo metadata`: {e}"),
    };
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("`cargo metadata` printed no JSON: {e}"))
}

fn workspace_root() -> PathBuf {
    match workspace_metadata()["workspace_root"].as_str() {
        Some(root) => PathBuf::from(root),
        None => panic!("`cargo metadata` has no `workspace_root`"),
    }
}

#[test]
fn only_buster_db_depends_on_the_driver_crates() {
    let metadata = workspace_metadata();
    let Some(packages) = metadata["packages"].as_array() else {
        panic!("`cargo metadata` has no `packages`");
    };
    let names: Vec<&str> = packages.iter().filter_map(|p| p["name"].as_str()).collect();
    assert!(
        names.contains(&"buster-db")
            && names.contains(&"buster-database")
            && names.contains(&"buster-db-tests"),
        "unexpected workspace: {names:?}"
    );

    let mut violations = Vec::new();
    for package in packages {
        let name = package["name"].as_str().unwrap_or_default();
        if name == "buster-db" || DRIVER_EXCEPTIONS.iter().any(|(n, _)| *n == name) {
            continue;
        }
        for dep in package["dependencies"].as_array().into_iter().flatten() {
            let dep_name = dep["name"].as_str().unwrap_or_default();
            if DRIVER_CRATES.contains(&dep_name) {
                let kind = dep["kind"].as_str().unwrap_or("normal");
                violations.push(format!("`{name}` depends on `{dep_name}` ({kind})"));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "only buster-db may use the PostgreSQL driver directly:\n  {}",
        violations.join("\n  ")
    );
}

#[test]
fn no_test_or_example_source_sends_sql_text_of_its_own() {
    let root = workspace_root();
    let mut files = Vec::new();
    for dir in SCANNED {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(
        files.iter().any(|f| f.ends_with("harness.rs")),
        "the scan found no test sources under {}",
        root.display()
    );

    let mut violations = Vec::new();
    for path in &files {
        let rel = relative(&root, path);
        let compile_fail = rel.starts_with(COMPILE_FAIL_DIR) && !rel.starts_with(PASS_DIR);
        if rel == THIS_FILE || compile_fail || UNSCANNED_FILES.iter().any(|(f, _)| rel == *f) {
            continue;
        }
        let source = match std::fs::read_to_string(path) {
            Ok(s) => s,
            Err(e) => panic!("cannot read {rel}: {e}"),
        };
        violations.extend(check_source(&rel, &source));
    }
    assert!(
        violations.is_empty(),
        "SQL text sent from outside buster-db (see the rules at the top of {THIS_FILE}):\n  {}",
        violations.join("\n  ")
    );
}

#[test]
fn every_exception_is_still_needed() {
    let root = workspace_root();
    let mut stale = Vec::new();
    let mut files: Vec<&str> = SQL_EXCEPTIONS.iter().map(|(f, _, _)| *f).collect();
    files.extend(RAW_QUERY_FILES.iter().map(|(f, _)| *f));
    files.sort_unstable();
    files.dedup();
    for rel in files {
        let source = match std::fs::read_to_string(root.join(rel)) {
            Ok(s) => s,
            Err(e) => panic!("cannot read {rel}, named by an exception: {e}"),
        };
        let scanned = scan(&source);
        for (_, text, _) in SQL_EXCEPTIONS.iter().filter(|(f, _, _)| *f == rel) {
            if !scanned.literals.iter().any(|l| l.text == *text) {
                stale.push(format!("{rel}: no literal {text:?}"));
            }
        }
        let calls = ident_positions(&scanned.code, "raw_query")
            .into_iter()
            .any(|at| !matches!(raw_query_text(&scanned, at), RawText::NotACall));
        if RAW_QUERY_FILES.iter().any(|(f, _)| *f == rel) && !calls {
            stale.push(format!("{rel}: no `raw_query` call"));
        }
    }
    assert!(
        stale.is_empty(),
        "exceptions of {THIS_FILE} that nothing needs any more:\n  {}",
        stale.join("\n  ")
    );
}

/// The violations of rule 2 in one file.
fn check_source(rel: &str, source: &str) -> Vec<String> {
    let mut found = violations_in(rel, source);
    found.sort();
    found
        .into_iter()
        .map(|(line, what)| format!("{rel}:{line}: {what}"))
        .collect()
}

/// The violations of rule 2 in one file, with their line numbers.
fn violations_in(rel: &str, source: &str) -> Vec<(usize, String)> {
    let scanned = scan(source);
    let raw_query_allowed = RAW_QUERY_FILES.iter().any(|(f, _)| *f == rel);
    let listed = |text: &str| {
        SQL_EXCEPTIONS
            .iter()
            .any(|(f, listed, _)| *f == rel && *listed == text)
    };
    let mut violations = Vec::new();
    for method in INTERNAL_METHODS {
        for at in ident_positions(&scanned.code, method) {
            violations.push((
                line_of(source, at),
                format!("calls the executor's internal `{method}` (private to buster-db)"),
            ));
        }
    }
    for item in &scanned.items {
        let code = &scanned.code[item.start..item.end];
        let calls = ident_positions(code, "raw_query");
        let mut call_texts = Vec::new();
        for at in &calls {
            let at = item.start + at;
            let line = line_of(source, at);
            if !raw_query_allowed {
                violations.push((
                    line,
                    "calls `raw_query` (SQL text to the database)".to_owned(),
                ));
            }
            match raw_query_text(&scanned, at) {
                RawText::Literal(lit) => {
                    call_texts.push(lit.start);
                    if !listed(&lit.text) {
                        let head: String = lit.text.chars().take(60).collect();
                        violations.push((
                            line_of(source, lit.start),
                            format!("`raw_query` SQL text {head:?} is not listed"),
                        ));
                    }
                }
                RawText::NotALiteral => violations.push((
                    line,
                    "`raw_query` is called with SQL text that is not one literal written in the \
                     call"
                        .to_owned(),
                )),
                RawText::NotACall if is_use(code) => {}
                RawText::NotACall => violations.push((
                    line,
                    "`raw_query` is named without being called, which hides its SQL text"
                        .to_owned(),
                )),
            }
        }
        let expected_text_only = code.contains("to_sql") && calls.is_empty();
        for lit in scanned
            .literals
            .iter()
            .filter(|l| item.start <= l.start && l.start < item.end)
        {
            if call_texts.contains(&lit.start)
                || !starts_with_keyword(&lit.text)
                || expected_text_only
                || listed(&lit.text)
            {
                continue;
            }
            let head: String = lit.text.chars().take(60).collect();
            violations.push((line_of(source, lit.start), format!("SQL text {head:?}")));
        }
    }
    violations
}

/// Whether an item is a `use` declaration.
fn is_use(code: &str) -> bool {
    let code = code.trim_start();
    code.starts_with("use ") || code.starts_with("pub use ")
}

/// Where the identifier `name` occurs in `code` (comments and literals already blanked).
fn ident_positions(code: &str, name: &str) -> Vec<usize> {
    let bytes = code.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    code.match_indices(name)
        .map(|(at, _)| at)
        .filter(|&at| {
            let before = at.checked_sub(1).map(|i| bytes[i]);
            let after = bytes.get(at + name.len()).copied();
            !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
        })
        .collect()
}

/// What follows a `raw_query` at `at`.
enum RawText<'s> {
    /// A call whose one argument is this literal.
    Literal(&'s Literal),
    /// A call with any other argument.
    NotALiteral,
    /// No call: a `use`, a rename, a function value.
    NotACall,
}

/// The SQL text argument of the `raw_query` at `at`: past an optional turbofish, the `(`, one
/// literal, and the `)` (a trailing comma allowed).
fn raw_query_text(scanned: &Scanned, at: usize) -> RawText<'_> {
    let code = scanned.code.as_bytes();
    // Literals are blanked in `code`: a skip stops where one starts.
    let literal_at = |i: usize| scanned.literals.iter().find(|l| l.start == i);
    let skip_ws = |mut i: usize| {
        while i < code.len() && code[i].is_ascii_whitespace() && literal_at(i).is_none() {
            i += 1;
        }
        i
    };
    let mut i = skip_ws(at + "raw_query".len());
    if code[i..].starts_with(b"::") {
        i = skip_ws(i + 2);
        if code.get(i) != Some(&b'<') {
            return RawText::NotACall;
        }
        let mut depth = 0usize;
        while i < code.len() {
            match code[i] {
                b'<' => depth += 1,
                b'>' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        i = skip_ws(i + 1);
    }
    if code.get(i) != Some(&b'(') {
        return RawText::NotACall;
    }
    let open = skip_ws(i + 1);
    let Some(lit) = literal_at(open) else {
        return RawText::NotALiteral;
    };
    let mut close = skip_ws(lit.end);
    if code.get(close) == Some(&b',') {
        close = skip_ws(close + 1);
    }
    if code.get(close) == Some(&b')') {
        RawText::Literal(lit)
    } else {
        RawText::NotALiteral
    }
}

/// Whether `text` (a literal as written, escapes included) opens with an SQL keyword: leading
/// whitespace, `\n` / `\r` / `\t` escapes and line continuations are skipped first.
fn starts_with_keyword(text: &str) -> bool {
    let mut t = text.trim_start();
    while let Some(rest) = ["\\n", "\\r", "\\t"]
        .iter()
        .find_map(|e| t.strip_prefix(e))
        .or_else(|| {
            t.strip_prefix('\\')
                .filter(|r| r.starts_with(char::is_whitespace))
        })
    {
        t = rest.trim_start();
    }
    KEYWORDS.iter().any(|k| {
        t.strip_prefix(k).is_some_and(|rest| {
            rest.is_empty()
                || rest.starts_with(char::is_whitespace)
                || rest.starts_with('\\')
                || rest.starts_with(';')
        })
    })
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn line_of(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())].matches('\n').count() + 1
}

/// A string literal: its text between the quotes (escapes left as written), the offset of its
/// first character (a prefix included) and the offset just past its closing quote.
struct Literal {
    start: usize,
    end: usize,
    text: String,
}

/// A top-level item: the byte range from the end of the previous one to its closing `}` or `;`.
struct Item {
    start: usize,
    end: usize,
}

/// A source with comments and literals blanked out (`code`, same byte offsets), its literals,
/// and its top-level items.
struct Scanned {
    code: String,
    literals: Vec<Literal>,
    items: Vec<Item>,
}

/// A small Rust lexer: enough to tell code from comments, strings and char literals.
fn scan(source: &str) -> Scanned {
    let bytes = source.as_bytes();
    let mut code = vec![b' '; bytes.len()];
    let mut literals = Vec::new();
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut item_start = 0;
    let mut i = 0;
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    while i < bytes.len() {
        let b = bytes[i];
        let prev_ident = i > 0 && is_ident(bytes[i - 1]);
        if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if b == b'/' && bytes.get(i + 1) == Some(&b'*') {
            let mut nest = 0;
            while i < bytes.len() {
                if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
                    nest += 1;
                    i += 2;
                } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
                    nest -= 1;
                    i += 2;
                    if nest == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            continue;
        }
        // Raw strings: r"…", r#"…"#, br#"…"#, cr"…".
        let raw_at = if !prev_ident && (b == b'b' || b == b'c') && bytes.get(i + 1) == Some(&b'r') {
            Some(i + 2)
        } else if !prev_ident && b == b'r' {
            Some(i + 1)
        } else {
            None
        };
        if let Some(mut j) = raw_at {
            let raw_start = i;
            let mut hashes = 0;
            while bytes.get(j) == Some(&b'#') {
                hashes += 1;
                j += 1;
            }
            if bytes.get(j) == Some(&b'"') {
                let open = j + 1;
                let mut close = open;
                loop {
                    if close >= bytes.len() {
                        break;
                    }
                    if bytes[close] == b'"'
                        && bytes[close + 1..]
                            .iter()
                            .take(hashes)
                            .filter(|&&h| h == b'#')
                            .count()
                            == hashes
                    {
                        break;
                    }
                    close += 1;
                }
                i = close + 1 + hashes;
                literals.push(Literal {
                    start: raw_start,
                    end: i.min(bytes.len()),
                    text: source[open..close.min(bytes.len())].to_owned(),
                });
                continue;
            }
        }
        // Plain strings, with an optional b or c prefix.
        let quote_at = if b == b'"' {
            Some(i)
        } else if !prev_ident && (b == b'b' || b == b'c') && bytes.get(i + 1) == Some(&b'"') {
            Some(i + 1)
        } else {
            None
        };
        if let Some(q) = quote_at {
            let open = q + 1;
            let mut close = open;
            while close < bytes.len() && bytes[close] != b'"' {
                close += if bytes[close] == b'\\' { 2 } else { 1 };
            }
            let close = close.min(bytes.len());
            literals.push(Literal {
                start: i,
                end: (close + 1).min(bytes.len()),
                text: source[open..close].to_owned(),
            });
            i = close + 1;
            continue;
        }
        // Char literals ('x', '\n', '\u{1F600}'); a lone quote starts a lifetime or label.
        if b == b'\'' {
            if bytes.get(i + 1) == Some(&b'\\') {
                // Past the escaped character, so that '\'' ends at its second quote.
                let mut j = i + 3;
                while j < bytes.len() && bytes[j] != b'\'' {
                    j += 1;
                }
                i = j + 1;
                continue;
            }
            let ch_len = source[i + 1..].chars().next().map_or(1, char::len_utf8);
            if bytes.get(i + 1 + ch_len) == Some(&b'\'') {
                i += 2 + ch_len;
                continue;
            }
        }
        code[i] = b;
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    items.push(Item {
                        start: item_start,
                        end: i + 1,
                    });
                    item_start = i + 1;
                }
            }
            b';' if depth == 0 => {
                items.push(Item {
                    start: item_start,
                    end: i + 1,
                });
                item_start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if item_start < bytes.len() {
        items.push(Item {
            start: item_start,
            end: bytes.len(),
        });
    }
    Scanned {
        code: String::from_utf8_lossy(&code).into_owned(),
        literals,
        items,
    }
}

#[test]
fn the_scan_tells_sql_text_from_expected_text_and_comments() {
    let source = r####"
// "SELECT 1" in a comment is not a literal.
/* nor "DELETE FROM users" /* nested */ here */
fn expected() {
    assert_eq!(q.to_sql().text, "SELECT \"users\".\"id\" FROM \"users\"");
    let c = '"'; let l: &'static str = r#"UPDATE "users" SET x"#;
}
fn sends(db: &Db) {
    db.__execute("INSERT INTO users (email) VALUES ('a')", &[]);
}
fn builds() -> String {
    format!(r"  DELETE FROM users WHERE id = {id}")
}
fn prose() {
    let s = "SELECTED items"; let t = "a SELECT b"; let u = b"x"; let v = 'a';
}
"####;
    let found = check_source("tests/tests/demo.rs", source);
    assert_eq!(
        found,
        [
            "tests/tests/demo.rs:9: SQL text \"INSERT INTO users (email) VALUES ('a')\"",
            "tests/tests/demo.rs:9: calls the executor's internal `__execute` (private to buster-db)",
            "tests/tests/demo.rs:12: SQL text \"  DELETE FROM users WHERE id = {id}\"",
        ]
    );
    assert!(starts_with_keyword("\\n    WITH x AS (SELECT 1) SELECT 2"));
    assert!(!starts_with_keyword("SELECTED"));
    assert!(!starts_with_keyword("select 1"));
}

#[test]
fn raw_query_calls_need_a_listed_literal_written_in_the_call() {
    let source = r####"
use buster_db::{Db, raw_query};
fn listed(db: &Db) {
    raw_query::<(i64, Vec<String>)>("SELECT now()").one(db);
    assert_eq!(raw_query::<()>(r"SELECT now()",).to_sql().text, "SELECT now()");
}
fn unlisted(db: &Db) {
    raw_query::<i64>("select count(*) from users").one(db);
}
const SQL: &str = "SELECT now()";
fn not_a_literal(db: &Db) {
    raw_query::<()>(SQL).execute(db);
    raw_query::<()>(concat!("SELECT ", "now()")).execute(db);
    raw_query::<()>("SELECT now()".trim()).execute(db);
}
fn hidden(db: &Db) {
    let send = raw_query::<()>;
    use buster_db::raw_query as q;
    buster_db::raw_query_like();
}
"####;
    let raw_file = "tests/tests/raw.rs";
    let found = check_source(raw_file, source);
    assert_eq!(
        found,
        [
            "tests/tests/raw.rs:8: `raw_query` SQL text \"select count(*) from users\" is not listed",
            "tests/tests/raw.rs:12: `raw_query` is called with SQL text that is not one literal written in the call",
            "tests/tests/raw.rs:13: SQL text \"SELECT \"",
            "tests/tests/raw.rs:13: `raw_query` is called with SQL text that is not one literal written in the call",
            "tests/tests/raw.rs:14: `raw_query` is called with SQL text that is not one literal written in the call",
            "tests/tests/raw.rs:17: `raw_query` is named without being called, which hides its SQL text",
            "tests/tests/raw.rs:18: `raw_query` is named without being called, which hides its SQL text",
        ]
    );
    // Outside the files of `RAW_QUERY_FILES`, even a listed text may not be sent.
    let elsewhere = check_source(
        "tests/tests/select.rs",
        "fn f() { raw_query::<()>(\"SELECT now()\"); }",
    );
    assert_eq!(
        elsewhere,
        [
            "tests/tests/select.rs:1: `raw_query` SQL text \"SELECT now()\" is not listed",
            "tests/tests/select.rs:1: calls `raw_query` (SQL text to the database)",
        ]
    );
}
