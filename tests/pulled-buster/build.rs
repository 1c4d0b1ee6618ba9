//! Rebuilds the crate when a migration file is added or removed.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
