//! What the walkthrough tests share: the README's command block of a section, and a scratch
//! folder. Included by `#[path]` into the tests of the crates the walkthroughs use.

use std::path::{Path, PathBuf};

/// The arguments of each command line of the first `sh` block under the README heading
/// `heading` (e.g. `### Changing the schema`), each line starting with `prefix` (the `cargo run
/// .. --` that runs the crate's command line), comments after ` #` dropped.
pub(crate) fn commands(manifest_dir: &str, heading: &str, prefix: &str) -> Vec<String> {
    let readme = Path::new(manifest_dir).join("../../README.md");
    let text = std::fs::read_to_string(readme).expect("the README is readable");
    let section = text
        .split(&format!("\n{heading}\n"))
        .nth(1)
        .unwrap_or_else(|| panic!("the README has a `{heading}` section"));
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .expect("the section has an `sh` block");
    block
        .lines()
        .map(|l| l.split(" #").next().unwrap_or(l).trim())
        .filter(|l| !l.is_empty())
        .map(|l| match l.strip_prefix(prefix) {
            Some(args) => args.to_owned(),
            None => panic!("a walkthrough command starts with `{prefix}`: {l}"),
        })
        .collect()
}

/// A new, empty folder under the system's temporary folder.
pub(crate) fn scratch_folder(name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let dir = std::env::temp_dir().join(format!("{name}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}
