//! The command line of a schema, as a library: `migrate`, `status`, `check`, `ddl`, `generate`
//! and `pull` for the tables, enum types and migrations of a [`Schema`]. Any crate mounts it in
//! a `main` of its own:
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
//! Exit codes: 0 on success, 1 when `check` finds drift or `generate` wrote a migration with a
//! step to write by hand, 2 when the command fails (bad URL, unreachable server, failed or
//! edited migration, bad arguments).

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::migrate::{self, Migration, MigrationState};
use crate::{Config, Db, Error, ErrorKind, Result, Schema, drift, generate};

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

    /// Read the migrations from this folder at run time instead of those built in (so a file
    /// just written by `generate` can be applied without a rebuild); `generate` reads and writes
    /// here (required)
    #[arg(long, global = true, value_name = "DIR")]
    migrations: Option<std::path::PathBuf>,

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
    /// Print the DDL of the table declarations (enum types, tables, checks, indexes, foreign
    /// keys)
    Ddl,
    /// Write the migration that takes the migrated database to the declarations, as
    /// `NNNN_<name>.sql` in the migrations folder (worked out on a scratch database built from
    /// the migrations, never on the database itself); exit 1 when a step must be written by
    /// hand
    Generate {
        /// The new migration's name: lowercase letters, digits and `_`
        name: String,
        /// Write destructive steps (drop a column or table, a narrowing type change) as
        /// statements instead of comments
        #[arg(long)]
        allow_destructive: bool,
        /// Create indexes on existing tables with `CREATE INDEX CONCURRENTLY` (the migration
        /// then runs outside a transaction)
        #[arg(long)]
        concurrently: bool,
    },
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
    if let Command::Generate {
        name,
        allow_destructive,
        concurrently,
    } = &cli.command
    {
        let Some(dir) = cli.migrations.clone() else {
            return Err(Error::new(
                ErrorKind::Config,
                "generate needs `--migrations DIR`: the folder of the migrations it starts \
                 from and writes the new one to",
            ));
        };
        let options = generate::Options {
            allow_destructive: *allow_destructive,
            concurrently: *concurrently,
        };
        return run_generate(&url, schema, &dir, name, options).await;
    }
    let loaded;
    let schema = match &cli.migrations {
        Some(dir) => {
            loaded = Schema {
                migrations: read_migrations(dir)?,
                ..*schema
            };
            &loaded
        }
        None => schema,
    };
    let config = Config::from_url(&url)?.pool_size(2).application_name(name);
    let db = Db::connect(config).await?;
    let outcome = match cli.command {
        Command::Migrate { dry_run: true } => run_dry_run(&db, schema).await,
        Command::Migrate { dry_run: false } => run_migrate(&db, schema).await,
        Command::Status => run_status(&db, schema).await,
        Command::Check => run_check(&db, schema).await,
        Command::Ddl | Command::Generate { .. } => Ok(Outcome::Ok),
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

async fn run_generate(
    url: &str,
    schema: &Schema,
    dir: &std::path::Path,
    name: &str,
    options: generate::Options,
) -> Result<Outcome> {
    if !is_migration_name(name) {
        return Err(Error::new(
            ErrorKind::Config,
            format!("`{name}` is not a migration name: use lowercase letters, digits and `_`"),
        ));
    }
    let migrations = read_migrations(dir)?;
    let plan = generate::plan(url, schema, migrations, options).await?;
    if plan.is_empty() {
        println!(
            "no changes: the {} migration(s) in {} already give the declared schema",
            migrations.len(),
            dir.display()
        );
        return Ok(Outcome::Ok);
    }
    let version = migrations.iter().map(|m| m.version).max().unwrap_or(0) + 1;
    let last = migrations
        .iter()
        .max_by_key(|m| m.version)
        .map(Migration::file_name);
    let path = dir.join(format!("{version:04}_{name}.sql"));
    std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&path, plan.to_sql(last.as_deref())))
        .map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!("cannot write {}: {e}", path.display()),
            )
        })?;
    let count = |kind| plan.steps.iter().filter(|s| s.kind == kind).count();
    println!(
        "wrote {} ({} step(s){})",
        path.display(),
        plan.steps.len(),
        if plan.no_transaction {
            ", runs outside a transaction"
        } else {
            ""
        }
    );
    let destructive = count(generate::StepKind::Destructive);
    if destructive > 0 && !options.allow_destructive {
        println!(
            "{destructive} destructive step(s) left commented out: review them, then \
             uncomment or run again with --allow-destructive"
        );
    }
    for step in &plan.steps {
        if step.kind == generate::StepKind::Unexpressible
            && let Some(note) = &step.note
        {
            println!("cannot be generated: {note}");
        }
    }
    // What the file leaves, as the drift check of a database migrated with it reports it.
    for d in &plan.remaining {
        println!("left after this migration: {d}");
    }
    if plan.is_complete() {
        Ok(Outcome::Ok)
    } else {
        Ok(Outcome::Drift)
    }
}

/// The name part of a migration file, `NNNN_<name>.sql`: lowercase letters, digits and `_`.
fn is_migration_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The `NNNN_name.sql` files of `dir`, by version, read at run time. A command line runs once
/// and exits, so their text is kept for the rest of the process.
fn read_migrations(dir: &std::path::Path) -> Result<&'static [Migration]> {
    let error = |message: String| Error::new(ErrorKind::Migration, message);
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(&[]),
        Err(e) => return Err(error(format!("cannot list {}: {e}", dir.display()))),
    };
    let mut out: Vec<Migration> = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| error(format!("cannot list {}: {e}", dir.display())))?
            .path();
        let Some(file) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(stem) = file.strip_suffix(".sql") else {
            continue;
        };
        let parsed = stem.split_once('_').and_then(|(v, n)| {
            let valid = is_migration_name(n) && v.chars().all(|c| c.is_ascii_digit());
            Some((v.parse::<i64>().ok()?, n)).filter(|_| valid)
        });
        let Some((version, name)) = parsed else {
            return Err(error(format!(
                "migration file `{file}` must be named `NNNN_name.sql` (digits, `_`, then \
                 lowercase letters, digits and `_`)"
            )));
        };
        if let Some(other) = out.iter().find(|m| m.version == version) {
            return Err(error(format!(
                "duplicate migration version {version}: `{}` and `{file}`",
                other.file_name()
            )));
        }
        let sql = std::fs::read_to_string(&path)
            .map_err(|e| error(format!("cannot read {}: {e}", path.display())))?;
        out.push(Migration {
            version,
            name: Box::leak(name.to_owned().into_boxed_str()),
            sql: Box::leak(sql.into_boxed_str()),
        });
    }
    out.sort_by_key(|m| m.version);
    Ok(Box::leak(out.into_boxed_slice()))
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
