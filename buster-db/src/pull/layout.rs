//! Rust text laid out the way rustfmt lays it out, for the few shapes `pull` writes
//! (attributes, `use` lines, a static slice), so that what it writes passes `cargo fmt --check`
//! as written.

use std::cmp::Ordering;

use super::name::version_order;

/// rustfmt's `max_width`.
const MAX_WIDTH: usize = 100;
/// rustfmt's `attr_fn_like_width`: the arguments of a list attribute with more than one item
/// go one per line beyond this width.
const ATTR_ARGS_WIDTH: usize = 70;
/// rustfmt's `array_width`.
const ARRAY_WIDTH: usize = 60;

/// An item of an attribute's list: `primary_key`, `default = "now()"`, or a nested list such
/// as `unique(a, b)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Item {
    Atom(String),
    List(String, Vec<Item>),
}

impl Item {
    pub(crate) fn atom(text: impl Into<String>) -> Item {
        Item::Atom(text.into())
    }

    /// `key = "value"`, the value a Rust string literal.
    pub(crate) fn string(key: &str, value: &str) -> Item {
        Item::Atom(format!("{key} = {}", string_literal(value)))
    }

    /// `name(a, b)` of words.
    pub(crate) fn words<S: AsRef<str>>(name: &str, words: &[S]) -> Item {
        Item::List(
            name.to_owned(),
            words.iter().map(|w| Item::atom(w.as_ref())).collect(),
        )
    }

    fn one_line(&self) -> String {
        match self {
            Item::Atom(text) => text.clone(),
            Item::List(name, items) => format!("{name}({})", args(items)),
        }
    }
}

/// A Rust string literal of `text`.
pub(crate) fn string_literal(text: &str) -> String {
    format!("{text:?}")
}

fn args(items: &[Item]) -> String {
    items
        .iter()
        .map(Item::one_line)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether a list whose one-line form is `line` columns wide stays on one line.
fn fits(items: &[Item], line: usize, limit: usize) -> bool {
    (items.len() < 2 || args(items).len() <= ATTR_ARGS_WIDTH) && line <= limit
}

/// `#[name(items)]` indented by `indent` spaces, with its newline.
pub(crate) fn attribute(out: &mut String, indent: usize, name: &str, items: &[Item]) {
    let pad = " ".repeat(indent);
    let line = format!("{pad}#[{name}({})]", args(items));
    // Inside an item (a struct's fields) rustfmt leaves one column less.
    let limit = if indent == 0 {
        MAX_WIDTH
    } else {
        MAX_WIDTH - 1
    };
    if fits(items, line.len(), limit) {
        out.push_str(&line);
        out.push('\n');
        return;
    }
    out.push_str(&format!("{pad}#[{name}(\n"));
    vertical(out, indent + 4, items);
    out.push_str(&format!("{pad})]\n"));
}

fn vertical(out: &mut String, indent: usize, items: &[Item]) {
    let pad = " ".repeat(indent);
    for (i, item) in items.iter().enumerate() {
        let comma = if i + 1 < items.len() { "," } else { "" };
        let line = format!("{pad}{}{comma}", item.one_line());
        match item {
            Item::List(name, children) if !fits(children, line.len(), MAX_WIDTH) => {
                out.push_str(&format!("{pad}{name}(\n"));
                vertical(out, indent + 4, children);
                out.push_str(&format!("{pad}){comma}\n"));
            }
            _ => {
                out.push_str(&line);
                out.push('\n');
            }
        }
    }
}

/// `pub static NAME: &[&Type] = &[a, b];`, one element per line when they do not fit.
pub(crate) fn static_slice(out: &mut String, doc: &str, head: &str, elements: &[String]) {
    out.push_str(&format!("/// {doc}\n"));
    let joined = elements.join(", ");
    let line = format!("{head} = &[{joined}];");
    let one_line = if elements.len() < 2 {
        line.len() <= MAX_WIDTH
    } else {
        joined.len() <= ARRAY_WIDTH && line.len() <= MAX_WIDTH
    };
    if one_line {
        out.push_str(&line);
    } else if elements.len() == 1 {
        out.push_str(&format!("{head} =\n    &[{joined}];"));
    } else {
        out.push_str(&format!("{head} = &[\n"));
        for e in elements {
            out.push_str(&format!("    {e},\n"));
        }
        out.push_str("];");
    }
    out.push('\n');
}

/// A `use` declaration: a path, ending in one name or a list of names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Use {
    pub(crate) path: Vec<String>,
    /// Sorted as rustfmt sorts them.
    pub(crate) names: Vec<String>,
}

impl Use {
    /// `use <path>::{names};` (or `use <path>::name;` for one name).
    pub(crate) fn new(path: &str, mut names: Vec<String>) -> Use {
        names.sort_by(|a, b| version_order(a, b));
        names.dedup();
        Use {
            path: path.split("::").map(str::to_owned).collect(),
            names,
        }
    }

    fn line(&self) -> String {
        let path = self.path.join("::");
        match self.names.as_slice() {
            [one] => format!("use {path}::{one};"),
            names => format!("use {path}::{{{}}};", names.join(", ")),
        }
    }

    /// One declaration per name, for a list that would not fit on a line.
    fn split(&self) -> Vec<Use> {
        self.names
            .iter()
            .map(|n| Use {
                path: self.path.clone(),
                names: vec![n.clone()],
            })
            .collect()
    }

    /// The segments as rustfmt compares them: the path, then the one name or the list.
    fn segments(&self) -> Vec<Segment<'_>> {
        let mut out: Vec<Segment<'_>> = self.path.iter().map(|s| Segment::Name(s)).collect();
        match self.names.as_slice() {
            [one] => out.push(Segment::Name(one)),
            names => out.push(Segment::List(names)),
        }
        out
    }
}

enum Segment<'a> {
    Name(&'a str),
    List(&'a [String]),
}

/// rustfmt's order of `use` declarations: `self`, `super` and `crate` first, then by name; at
/// each segment a name before a list, lists by their names.
fn use_order(a: &Use, b: &Use) -> Ordering {
    let rank = |s: &str| match s {
        "self" => 0,
        "super" => 1,
        "crate" => 2,
        _ => 3,
    };
    let (sa, sb) = (a.segments(), b.segments());
    for (i, (x, y)) in sa.iter().zip(&sb).enumerate() {
        let ordering = match (x, y) {
            (Segment::Name(x), Segment::Name(y)) if i == 0 => {
                rank(x).cmp(&rank(y)).then_with(|| version_order(x, y))
            }
            (Segment::Name(x), Segment::Name(y)) => version_order(x, y),
            (Segment::Name(_), Segment::List(_)) => Ordering::Less,
            (Segment::List(_), Segment::Name(_)) => Ordering::Greater,
            (Segment::List(x), Segment::List(y)) => x
                .iter()
                .zip(y.iter())
                .map(|(p, q)| version_order(p, q))
                .find(|o| o.is_ne())
                .unwrap_or_else(|| x.len().cmp(&y.len())),
        };
        if ordering.is_ne() {
            return ordering;
        }
    }
    sa.len().cmp(&sb.len())
}

/// The `use` lines, sorted, each list that does not fit on a line split into single names.
pub(crate) fn uses(out: &mut String, uses: &[Use]) {
    let mut all: Vec<Use> = Vec::new();
    for u in uses.iter().filter(|u| !u.names.is_empty()) {
        if u.line().len() > MAX_WIDTH {
            all.extend(u.split());
        } else {
            all.push(u.clone());
        }
    }
    all.sort_by(use_order);
    for u in &all {
        out.push_str(&u.line());
        out.push('\n');
    }
}

/// `text` as comment lines starting with `marker` (`//`, `///`, `//!`), indented; an empty
/// line is the bare marker, and no line ends in a space.
pub(crate) fn comment(out: &mut String, indent: usize, marker: &str, text: &str) {
    let pad = " ".repeat(indent);
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            out.push_str(&format!("{pad}{marker}\n"));
        } else {
            out.push_str(&format!("{pad}{marker} {line}\n"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_go_vertical_like_rustfmt() {
        let mut out = String::new();
        attribute(
            &mut out,
            0,
            "table",
            &[
                Item::string("name", "chats"),
                Item::words("index", &["organization_id"]),
                Item::words("index", &["created_by"]),
                Item::words("search_index", &["title"]),
            ],
        );
        assert_eq!(
            out,
            "#[table(\n    name = \"chats\",\n    index(organization_id),\n    index(created_by),\n    search_index(title)\n)]\n"
        );
        let mut out = String::new();
        attribute(
            &mut out,
            4,
            "column",
            &[Item::atom("primary_key"), Item::string("default", "now()")],
        );
        assert_eq!(out, "    #[column(primary_key, default = \"now()\")]\n");
    }

    #[test]
    fn uses_sort_like_rustfmt() {
        let mut out = String::new();
        uses(
            &mut out,
            &[
                Use::new("buster_db", vec!["Uuid".into(), "DateTime".into()]),
                Use::new("std::net", vec!["IpAddr".into()]),
                Use::new("super", vec!["users".into(), "organizations".into()]),
                Use::new("super", vec!["ChatType".into()]),
                Use::new("buster_db::types::cidr", vec!["IpCidr".into()]),
            ],
        );
        assert_eq!(
            out,
            "use super::ChatType;\nuse super::{organizations, users};\n\
             use buster_db::types::cidr::IpCidr;\nuse buster_db::{DateTime, Uuid};\n\
             use std::net::IpAddr;\n"
        );
    }
}
