//! The `buster-db` command line of the Buster database: the engine's command line
//! (`migrate`, `status`, `check`, `ddl`) mounted with the Buster tables, enums and migrations.

fn main() -> std::process::ExitCode {
    buster_db::cli::run("buster-db", &buster_database::SCHEMA)
}
