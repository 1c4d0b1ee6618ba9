//! This crate's command line: the engine's (`migrate`, `status`, `check`, `ddl`, `generate`)
//! mounted with this crate's schema.

fn main() -> std::process::ExitCode {
    buster_db::cli::run("own-schema-db", &buster_db_own_schema::SCHEMA)
}
