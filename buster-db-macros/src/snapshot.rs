//! Expansion snapshots, so a newcomer can read what each derive emits and a reviewer sees every
//! change to it as a diff. A file in `tests/expand/` holds a hand-written input, then a marker
//! line, then the pretty-printed expansion of that input; the test expands the input again and
//! compares.
//!
//! After an intended change, rewrite the expansions with
//! `UPDATE_SNAPSHOTS=1 cargo test -p buster-db-macros` and review the diff.

use std::error::Error;
use std::path::PathBuf;

use proc_macro2::TokenStream;

/// Everything after this line is generated.
const MARKER: &str = "// ---- expansion (generated; UPDATE_SNAPSHOTS=1 rewrites it) ----\n";

/// Expands the input of `tests/expand/<name>.rs` with `derive` and compares the result with the
/// expansion below the marker.
pub(crate) fn assert_expansion(
    name: &str,
    derive: fn(TokenStream) -> syn::Result<TokenStream>,
) -> Result<(), Box<dyn Error>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/expand")
        .join(format!("{name}.rs"));
    let text = std::fs::read_to_string(&path)?;
    let (input, expected) = text
        .split_once(MARKER)
        .ok_or_else(|| format!("{} has no line `{}`", path.display(), MARKER.trim_end()))?;
    // Comments in the input are not tokens, so the file can explain itself.
    let expansion = derive(input.parse()?)?;
    let actual = prettyplease::unparse(&syn::parse2(expansion)?);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, format!("{input}{MARKER}\n{actual}"))?;
        return Ok(());
    }
    let expected = expected.strip_prefix('\n').unwrap_or(expected);
    let first_difference = actual
        .lines()
        .zip(expected.lines())
        .position(|(a, e)| a != e)
        .unwrap_or_else(|| actual.lines().count().min(expected.lines().count()));
    assert!(
        actual == expected,
        "the expansion in {} is out of date from line {} on:\n  now:      {:?}\n  snapshot: {:?}\n\
         If the change is intended, run `UPDATE_SNAPSHOTS=1 cargo test -p buster-db-macros` and review the diff.",
        path.display(),
        // Below the input, the marker and the blank line after it.
        input.lines().count() + 2 + first_difference + 1,
        actual.lines().nth(first_difference).unwrap_or("<end>"),
        expected.lines().nth(first_difference).unwrap_or("<end>"),
    );
    Ok(())
}
