//! The cardinal rule: `buster-db` is the only way to the database.
//!
//! 1. No workspace crate other than `buster-db` depends directly (normal, dev or build
//!    dependency) on the driver crates `tokio-postgres`, `deadpool-postgres` or `postgres-types`.
//!    [`DRIVER_EXCEPTIONS`] lists the crates allowed to, each with its reason.
//! 2. Only the engine (`buster-db/src`) and the product package (`buster-database/src`) hold SQL:
//!    no Rust source under `tests/` (every test crate), `examples/` or `buster-database/tests`
//!    sends SQL text of its own.
//!    The scan reads every `.rs` file there except this one, skips comments, and looks at every
//!    string literal (plain, raw, byte) whose text, after leading whitespace, starts with an SQL
//!    statement keyword in capitals followed by whitespace (`SELECT `, `INSERT `, `UPDATE `,
//!    `DELETE `, `CREATE `, … see [`KEYWORDS`]). Such a literal is allowed only when
//!    - it lies in a top-level item (a `fn`, `const`, `mod` … at brace depth 0) whose code calls
//!      `to_sql` and never calls the executor's hidden raw entry points `__query` / `__execute`:
//!      it is the expected text of a `to_sql()` assertion, which no statement is built from; or
//!    - it is listed, with its file and exact text, in [`SQL_EXCEPTIONS`].
//!
//!    Separately, a call of `__query` / `__execute` (the only way to send text, since rule 1
//!    keeps the driver out of these crates) is allowed only in the files of
//!    [`RAW_SEND_EXCEPTIONS`]. The files of [`UNSCANNED_FILES`] (fault injection on a throwaway
//!    cluster) are not scanned at all.
//!
//! The `.sql` migration and fixture files are not Rust sources and are not scanned.

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

/// Files that may call the executor's raw entry points, and why.
const RAW_SEND_EXCEPTIONS: &[(&str, &str)] = &[
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

/// SQL literals allowed outside `to_sql()` assertions: file, exact literal text, reason.
const SQL_EXCEPTIONS: &[(&str, &str, &str)] = &[
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
        "SELECT count(*) FROM pg_database WHERE datname = '{name}'",
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
        if rel == THIS_FILE || UNSCANNED_FILES.iter().any(|(f, _)| rel == *f) {
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
    let raw_send_allowed = RAW_SEND_EXCEPTIONS.iter().any(|(f, _)| *f == rel);
    let mut violations = Vec::new();
    for item in &scanned.items {
        let code = &scanned.code[item.start..item.end];
        let sends = code.contains("__query") || code.contains("__execute");
        if sends && !raw_send_allowed {
            for (at, _) in code
                .match_indices("__query")
                .chain(code.match_indices("__execute"))
            {
                violations.push((
                    line_of(source, item.start + at),
                    "calls `__query` / `__execute` (raw SQL to the database)".to_owned(),
                ));
            }
        }
        let expected_text_only = code.contains("to_sql") && !sends;
        for lit in scanned
            .literals
            .iter()
            .filter(|l| item.start <= l.start && l.start < item.end)
        {
            if !starts_with_keyword(&lit.text) || expected_text_only {
                continue;
            }
            let listed = SQL_EXCEPTIONS
                .iter()
                .any(|(f, text, _)| *f == rel && *text == lit.text);
            if !listed {
                let head: String = lit.text.chars().take(60).collect();
                violations.push((line_of(source, lit.start), format!("SQL text {head:?}")));
            }
        }
    }
    violations
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

/// A string literal: its text between the quotes (escapes left as written) and its offset.
struct Literal {
    start: usize,
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
                literals.push(Literal {
                    start: i,
                    text: source[open..close.min(bytes.len())].to_owned(),
                });
                i = close + 1 + hashes;
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
            "tests/tests/demo.rs:9: calls `__query` / `__execute` (raw SQL to the database)",
            "tests/tests/demo.rs:12: SQL text \"  DELETE FROM users WHERE id = {id}\"",
        ]
    );
    assert!(starts_with_keyword("\\n    WITH x AS (SELECT 1) SELECT 2"));
    assert!(!starts_with_keyword("SELECTED"));
    assert!(!starts_with_keyword("select 1"));
}
