//! The command line of a schema, as a library: `migrate`, `status`, `check` and `ddl` for the
//! tables, enum types and migrations of a [`Schema`]. Any crate mounts it in a `main` of its own:
//!
//! ```no_run
//! # mod my_crate { pub static SCHEMA: buster_db::Schema =
//! #     buster_db::Schema { tables: &[], enums: &[], migrations: &[] }; }
//! fn main() -> std::process::ExitCode {
//!     buster_db::cli::run("my-db", &my_crate::SCHEMA)
//! }
//! ```
//!
//! The database is the one of `--database-url`, else `DATABASE_URL`, else
//! `postgres://postgres@127.0.0.1:5432/postgres` (a local default for development; a deployed
//! tool passes its URL).
//!
//! Exit codes: 0 on success, 1 when `check` finds drift, 2 when the command fails (bad URL,
//! unreachable server, failed or edited migration, bad arguments).

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::migrate::{self, MigrationState};
use crate::{Config, Db, Result, Schema, drift};

#[derive(Parser)]
#[command(
    version,
    about = "Migrations and schema checks of a database declared with buster-db"
)]
struct Cli {
    /// The database to work on [default: $DATABASE_URL, else
    /// postgres://postgres@127.0.0.1:5432/postgres]
    #[arg(long, global = true, value_name = "URL")]
    database_url: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply the pending migrations, printing each one applied
    Migrate {
        /// Print what would run (file, transaction or not, SQL) and change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// List every migration as applied, pending, edited or failed, then the drift of the
    /// declarations from the database
    Status,
    /// Compare the database with the table declarations; exit 1 on any difference
    Check,
    /// Print the DDL of the table declarations (enum types, tables, indexes; no foreign keys)
    Ddl,
    /// Write `#[derive(Table)]` declarations of the database's tables into a folder: a file per
    /// table, `enums.rs`, `mod.rs`; print each file written and each TODO left in them
    Pull {
        /// The folder to write (created when missing), e.g. src/schema
        #[arg(long, value_name = "DIR")]
        out: std::path::PathBuf,
        /// The schema to read
        #[arg(long, value_name = "NAME", default_value = "public")]
        schema: String,
    },
}

/// What a command decided about the exit code when it did not fail.
enum Outcome {
    Ok,
    Drift,
}

/// Runs the command line named `name` for `schema` with the process's arguments.
pub fn run(name: &'static str, schema: &Schema) -> ExitCode {
    run_from(name, schema, std::env::args_os())
}

/// Runs the command line named `name` for `schema` with `args` (the first is the program name).
pub fn run_from<I, T>(name: &'static str, schema: &Schema, args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let command = <Cli as clap::CommandFactory>::command().name(name);
    let cli = match command
        .try_get_matches_from(args)
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    let result = match runtime {
        Ok(runtime) => runtime.block_on(execute(name, schema, cli)),
        Err(e) => {
            eprintln!("{name}: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Drift) => ExitCode::from(1),
        Err(e) => {
            // `Error`'s Display never shows a password.
            eprintln!("{name}: {e}");
            ExitCode::from(2)
        }
    }
}

async fn execute(name: &str, schema: &Schema, cli: Cli) -> Result<Outcome> {
    if let Command::Ddl = cli.command {
        print!("{}", drift::ddl(schema.tables, schema.enums));
        return Ok(Outcome::Ok);
    }
    // Like the test harness, a development tool may fall back to the local server.
    let url = cli
        .database_url
        .unwrap_or_else(crate::testing::database_url);
    let config = Config::from_url(&url)?.pool_size(2).application_name(name);
    let db = Db::connect(config).await?;
    let outcome = match cli.command {
        Command::Migrate { dry_run: true } => run_dry_run(&db, schema).await,
        Command::Migrate { dry_run: false } => run_migrate(&db, schema).await,
        Command::Status => run_status(&db, schema).await,
        Command::Check => run_check(&db, schema).await,
        Command::Ddl => Ok(Outcome::Ok),
        Command::Pull { out, schema } => run_pull(&db, &out, &schema).await,
    };
    db.close();
    outcome
}

async fn run_migrate(db: &Db, schema: &Schema) -> Result<Outcome> {
    let report = migrate::migrate(db, schema.migrations).await?;
    for applied in &report.applied {
        println!(
            "applied {:04}_{}.sql ({} ms)",
            applied.version,
            applied.name,
            applied.duration.as_millis()
        );
    }
    if report.applied.is_empty() {
        println!(
            "nothing to apply ({} migrations already applied)",
            report.already_applied
        );
    }
    Ok(Outcome::Ok)
}

async fn run_dry_run(db: &Db, schema: &Schema) -> Result<Outcome> {
    let statuses = migrate::status(db, schema.migrations).await?;
    let mut would = 0;
    for m in schema.migrations {
        let state = statuses
            .iter()
            .find(|s| s.version == m.version)
            .map(|s| s.state);
        match state {
            Some(MigrationState::Pending | MigrationState::Failed) => {}
            Some(MigrationState::Edited) => {
                println!(
                    "would refuse: {} was edited after it was applied",
                    m.file_name()
                );
                return Ok(Outcome::Drift);
            }
            _ => continue,
        }
        would += 1;
        let how = if m.runs_in_transaction() {
            "in a transaction"
        } else {
            "outside a transaction, statement by statement"
        };
        println!("-- would apply {} ({how})", m.file_name());
        println!("{}", m.sql.trim_end());
    }
    println!("-- {would} migration(s) would be applied; nothing was changed");
    Ok(Outcome::Ok)
}

async fn run_status(db: &Db, schema: &Schema) -> Result<Outcome> {
    let statuses = migrate::status(db, schema.migrations).await?;
    for s in &statuses {
        // `MigrationState`'s Display ignores width, so pad its text.
        let state = s.state.to_string();
        let file = format!("{:04}_{}.sql", s.version, s.name);
        match s.applied_at {
            Some(at) => println!("{state:<8} {file}  {}", at.format("%Y-%m-%d %H:%M:%S UTC")),
            None => println!("{state:<8} {file}"),
        }
    }
    let count = |state| statuses.iter().filter(|s| s.state == state).count();
    println!(
        "{} applied, {} pending, {} edited, {} unknown",
        count(MigrationState::Applied),
        count(MigrationState::Pending),
        count(MigrationState::Edited),
        count(MigrationState::UnknownApplied)
    );
    let failed = count(MigrationState::Failed);
    if failed > 0 {
        println!(
            "{failed} failed part-way outside a transaction: make its statements repeatable or \
             undo them, then migrate again"
        );
    }
    let differences = drift::check(db, schema.tables, schema.enums).await?;
    if differences.is_empty() {
        println!("no drift");
    } else {
        for d in &differences {
            println!("drift: {d}");
        }
        println!("{} difference(s)", differences.len());
    }
    Ok(Outcome::Ok)
}

async fn run_check(db: &Db, schema: &Schema) -> Result<Outcome> {
    let differences = drift::check(db, schema.tables, schema.enums).await?;
    if differences.is_empty() {
        println!("no drift");
        return Ok(Outcome::Ok);
    }
    for d in &differences {
        println!("{d}");
    }
    println!("{} difference(s)", differences.len());
    Ok(Outcome::Drift)
}

async fn run_pull(db: &Db, out: &std::path::Path, schema: &str) -> Result<Outcome> {
    let pulled = crate::pull::pull(db, &crate::pull::PullOptions::new().schema(schema)).await?;
    let written = pulled.write(out).map_err(|e| {
        crate::Error::new(
            crate::ErrorKind::Config,
            format!("cannot write into `{}`: {e}", out.display()),
        )
    })?;
    for path in &written {
        println!("wrote {}", path.display());
    }
    for warning in &pulled.warnings {
        println!("TODO {warning}");
    }
    println!(
        "{} file(s), {} TODO(s)",
        written.len(),
        pulled.warnings.len()
    );
    Ok(Outcome::Ok)
}
