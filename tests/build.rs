//! Rebuilds the tests when a fixture migration file is added or removed.
fn main() {
    for dir in [
        "../migrations",
        "migrations",
        "join_fixtures",
        "shapes_fixtures",
        "drift_fixtures",
        "tenant_fixtures",
        "types_fixtures",
        "existing_fixtures",
        "expr_fixtures",
        "raw_fixtures",
        "pull_fixtures",
    ] {
        if std::path::Path::new(dir).exists() {
            println!("cargo:rerun-if-changed={dir}");
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
}
