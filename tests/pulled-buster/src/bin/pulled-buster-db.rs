//! This crate's command line: the engine's, mounted with the pulled declarations.

fn main() -> std::process::ExitCode {
    buster_db::cli::run("pulled-buster-db", &buster_db_pulled_buster::SCHEMA)
}
