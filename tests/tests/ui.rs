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
