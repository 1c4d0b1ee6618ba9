//! The README's "From an existing database" walkthrough, run as written: each `cargo run -p
//! buster-db-pulled-buster --bin pulled-buster-db -- ..` line of its command block runs this
//! crate's command line against an existing database (one migrated with the workspace's
//! migrations). `pull` must write the files this crate was built from (the first line, which
//! names the database read, aside), and `check` must find no drift.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use std::path::Path;
use std::process::Command;

use buster_db::testing::TestDb;

const PREFIX: &str = "cargo run -p buster-db-pulled-buster --bin pulled-buster-db -- ";
const FOLDER: &str = "tests/pulled-buster/src/schema";

#[path = "../../shared/readme_walkthrough.rs"]
mod readme_walkthrough;

/// A file's text without its first line (which names the database it was read from).
fn body(text: &str) -> &str {
    text.split_once('\n').map_or("", |(_, rest)| rest)
}

#[tokio::test]
async fn the_from_an_existing_database_walkthrough_runs_as_written() -> buster_db::Result<()> {
    let commands =
        readme_walkthrough::commands(env!("CARGO_MANIFEST_DIR"), "### Step by step", PREFIX);
    let verbs: Vec<&str> = commands
        .iter()
        .map(|c| c.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(verbs, ["pull", "check"], "{commands:?}");

    let existing = TestDb::create(buster_db_pulled_buster::MIGRATIONS).await?;
    let out = readme_walkthrough::scratch_folder("pulled-walkthrough");
    let mut outputs = Vec::new();
    for command in &commands {
        let mut args: Vec<String> = command
            .split_whitespace()
            .map(|a| {
                if a == FOLDER {
                    out.display().to_string()
                } else {
                    a.to_owned()
                }
            })
            .collect();
        args.push("--database-url".into());
        args.push(existing.url());
        let run = Command::new(env!("CARGO_BIN_EXE_pulled-buster-db"))
            .args(&args)
            .output()
            .expect("pulled-buster-db runs");
        let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
        assert!(
            run.status.success(),
            "`{command}` failed ({}):\n{stdout}\n{}",
            run.status,
            String::from_utf8_lossy(&run.stderr)
        );
        outputs.push(stdout);
    }
    assert!(outputs[0].contains(", 0 TODO(s)"), "{}", outputs[0]);
    assert!(outputs[1].contains("no drift"), "{}", outputs[1]);

    // What `pull` wrote is what this crate was built from.
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/schema");
    let mut names: Vec<String> = std::fs::read_dir(&committed)
        .expect("the committed schema folder")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    let mut written: Vec<String> = std::fs::read_dir(&out)
        .expect("pull wrote the folder")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    written.sort();
    assert_eq!(written, names);
    for name in &names {
        let a = std::fs::read_to_string(committed.join(name)).expect("committed file");
        let b = std::fs::read_to_string(out.join(name)).expect("pulled file");
        assert_eq!(body(&b), body(&a), "{name}");
    }
    std::fs::remove_dir_all(&out).ok();
    existing.drop_database().await
}
