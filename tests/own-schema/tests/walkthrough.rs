//! The README's "Changing the schema" walkthrough, run as written: each `cargo run -p
//! buster-db-own-schema --bin own-schema-db -- ..` line of its command block runs this crate's
//! command line, on a database migrated up to `0001_books.sql` and a copy of the migrations
//! folder as it was before the change. `generate` must write exactly the committed
//! `0002_add_copies.sql`; `migrate` applies it; `status` and `check` find no drift.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use std::path::Path;
use std::process::Command;

use buster_db::testing::TestDb;
use buster_db_own_schema::SCHEMA;

const PREFIX: &str = "cargo run -p buster-db-own-schema --bin own-schema-db -- ";
const FOLDER: &str = "tests/own-schema/migrations";

#[path = "../../shared/readme_walkthrough.rs"]
mod readme_walkthrough;

#[tokio::test]
async fn the_changing_the_schema_walkthrough_runs_as_written() -> buster_db::Result<()> {
    let commands = readme_walkthrough::commands(
        env!("CARGO_MANIFEST_DIR"),
        "### Changing the schema",
        PREFIX,
    );
    assert_eq!(
        commands
            .iter()
            .map(|c| c.split(' ').next().unwrap_or(""))
            .collect::<Vec<_>>(),
        ["generate", "migrate", "status", "check"],
        "{commands:?}"
    );
    // The database and the folder as they were before `copies` was declared.
    let before = &SCHEMA.migrations[..1];
    let db = TestDb::create(before).await?;
    let folder = readme_walkthrough::scratch_folder("own-schema-walkthrough");
    let first = before[0].file_name();
    std::fs::write(folder.join(&first), before[0].sql).expect("copy of 0001");

    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/0002_add_copies.sql");
    let mut outputs = Vec::new();
    for command in &commands {
        let mut args: Vec<String> = command
            .split_whitespace()
            .map(|a| {
                if a == FOLDER {
                    folder.display().to_string()
                } else {
                    a.to_owned()
                }
            })
            .collect();
        if !args.iter().any(|a| a == "--migrations") {
            args.push("--migrations".into());
            args.push(folder.display().to_string());
        }
        args.push("--database-url".into());
        args.push(db.url());
        let out = Command::new(env!("CARGO_BIN_EXE_own-schema-db"))
            .args(&args)
            .output()
            .expect("own-schema-db runs");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "`{command}` failed ({}):\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        outputs.push(stdout);
    }
    let written = std::fs::read_to_string(folder.join("0002_add_copies.sql"))
        .expect("generate wrote 0002_add_copies.sql");
    let expected = std::fs::read_to_string(&committed).expect("the committed migration");
    assert_eq!(written, expected, "generate writes the committed file");
    assert!(
        outputs[0].contains("0002_add_copies.sql (2 step(s))"),
        "{}",
        outputs[0]
    );
    assert!(
        outputs[1].contains("applied 0002_add_copies.sql"),
        "{}",
        outputs[1]
    );
    assert!(
        outputs[2].contains("2 applied, 0 pending") && outputs[2].contains("no drift"),
        "{}",
        outputs[2]
    );
    assert!(outputs[3].contains("no drift"), "{}", outputs[3]);

    std::fs::remove_dir_all(&folder).ok();
    db.drop_database().await
}
