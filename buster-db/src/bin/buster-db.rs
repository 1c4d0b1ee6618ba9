//! The `buster-db` command line: apply migrations, show their state, check the database
//! against the table declarations, print the declared DDL.
//!
//! The database is the one of `--database-url`, else `DATABASE_URL`, else
//! `postgres://postgres@127.0.0.1:5432/postgres`.
//!
//! Exit codes: 0 on success, 1 when `check` finds drift, 2 when the command fails (bad URL,
//! unreachable server, failed or edited migration).

use std::process::ExitCode;

use buster_db::migrate::{self, MigrationState};
use buster_db::{Config, Db, drift, schema};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "buster-db",
    version,
    about = "Migrations and schema checks of the Buster database"
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
    Migrate,
    /// List every migration as applied, pending or edited
    Status,
    /// Compare the database with the table declarations; exit 1 on any difference
    Check,
    /// Print the DDL of the table declarations (enum types, tables, indexes; no foreign keys)
    Ddl,
}

/// What a command decided about the exit code when it did not fail.
enum Outcome {
    Ok,
    Drift,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    let result = match runtime {
        Ok(runtime) => runtime.block_on(run(cli)),
        Err(e) => {
            eprintln!("buster-db: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Drift) => ExitCode::from(1),
        Err(e) => {
            // `Error`'s Display never shows a password.
            eprintln!("buster-db: {e}");
            ExitCode::from(2)
        }
    }
}

async fn run(cli: Cli) -> buster_db::Result<Outcome> {
    if let Command::Ddl = cli.command {
        print!("{}", drift::ddl(schema::TABLES, schema::ENUMS));
        return Ok(Outcome::Ok);
    }
    let config = match &cli.database_url {
        Some(url) => Config::from_url(url)?,
        None => Config::from_env()?,
    };
    let db = Db::connect(config.pool_size(2).application_name("buster-db")).await?;
    let outcome = match cli.command {
        Command::Migrate => run_migrate(&db).await,
        Command::Status => run_status(&db).await,
        Command::Check => run_check(&db).await,
        Command::Ddl => Ok(Outcome::Ok),
    };
    db.close();
    outcome
}

async fn run_migrate(db: &Db) -> buster_db::Result<Outcome> {
    let report = migrate::migrate(db).await?;
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

async fn run_status(db: &Db) -> buster_db::Result<Outcome> {
    let statuses = migrate::status(db, migrate::MIGRATIONS).await?;
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
    Ok(Outcome::Ok)
}

async fn run_check(db: &Db) -> buster_db::Result<Outcome> {
    let differences = drift::check(db, schema::TABLES, schema::ENUMS).await?;
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
