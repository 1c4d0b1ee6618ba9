//! Rebuilds the crate when a migration file is added or removed (edits of existing files are
//! already tracked through `include_str!`).
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
