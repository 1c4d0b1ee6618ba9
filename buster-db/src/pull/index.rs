//! Indexes as the derive states them: a unique key on a field or the table, an index, a
//! text-search index, or the reason it cannot.

use super::introspect::{FoundIndex, FoundTable};
use super::layout::Item;

/// How the derive states an index.
pub(crate) enum Key<'a> {
    /// `#[column(unique)]` / `#[column(unique(all_rows))]`.
    Column { field: &'a str, all_rows: bool },
    /// An item of `#[table(..)]`.
    List { group: Group, item: Item },
}

/// The table attribute's kinds of index, in the order a declaration lists them.
#[derive(Clone, Copy)]
pub(crate) enum Group {
    Unique,
    UniqueNullsNotDistinct,
    Index,
    SearchIndex,
}

/// The derive's statement of `index`, or why there is none. The derive names its indexes
/// itself, so the index must have the name it would give it.
pub(crate) fn key<'a>(
    t: &FoundTable,
    index: &FoundIndex,
    soft_delete: bool,
    field_of: &impl Fn(&str) -> Option<&'a str>,
) -> Result<Key<'a>, String> {
    if !index.default_options {
        return Err(
            "it has INCLUDE columns, or an operator class, sort order or collation of its own"
                .into(),
        );
    }
    let search = !index.unique && index.method == "gin" && !index.plain_columns;
    if search {
        return search_key(t, index, field_of);
    }
    if !index.plain_columns {
        return Err("a key is an expression".into());
    }
    if index.method != "btree" {
        return Err(format!("it is a {} index", index.method));
    }
    let fields: Vec<&str> = index
        .columns
        .iter()
        .map(|c| field_of(c).ok_or_else(|| format!("column \"{c}\" is not declared")))
        .collect::<Result<_, _>>()?;
    let suffix = if index.unique { "key" } else { "idx" };
    let expected = format!("{}_{}_{suffix}", t.name, index.columns.join("_"));
    if index.name != expected {
        return Err(format!("the derive would name it \"{expected}\""));
    }
    if !index.unique {
        if index.predicate.is_some() {
            return Err("it is partial".into());
        }
        return Ok(Key::List {
            group: Group::Index,
            item: Item::words("index", &fields),
        });
    }
    let all_rows = match (&index.predicate, soft_delete) {
        (None, soft_delete) => soft_delete,
        (Some(p), true) if is_live_filter(p) => false,
        (Some(_), true) => return Err("its predicate is not `deleted_at IS NULL`".into()),
        (Some(_), false) => return Err("it is partial".into()),
    };
    if let [field] = fields.as_slice()
        && !index.nulls_not_distinct
    {
        return Ok(Key::Column { field, all_rows });
    }
    let mut words = fields;
    words.extend(all_rows.then_some("all_rows"));
    Ok(if index.nulls_not_distinct {
        Key::List {
            group: Group::UniqueNullsNotDistinct,
            item: Item::words("unique_nulls_not_distinct", &words),
        }
    } else {
        Key::List {
            group: Group::Unique,
            item: Item::words("unique", &words),
        }
    })
}

/// A text-search index as the derive writes it: GIN over the English `to_tsvector` of one
/// column, named `<table>_<column>_search_idx`.
fn search_key<'a>(
    t: &FoundTable,
    index: &FoundIndex,
    field_of: &impl Fn(&str) -> Option<&'a str>,
) -> Result<Key<'a>, String> {
    let not_search = || "a key is an expression".to_owned();
    let [expression] = index.columns.as_slice() else {
        return Err(not_search());
    };
    // Compared without identifier quotes, which PostgreSQL prints only where a name needs
    // them, as the drift check compares it.
    let bare = |s: &str| s.replace('"', "");
    let column = t
        .columns
        .iter()
        .find(|c| bare(&crate::meta::search_expression(&c.name, "english")) == bare(expression));
    let Some(column) = column else {
        return Err(not_search());
    };
    let field = field_of(&column.name)
        .ok_or_else(|| format!("column \"{}\" is not declared", column.name))?;
    if index.predicate.is_some() {
        return Err("it is partial".into());
    }
    let expected = format!("{}_{}_search_idx", t.name, column.name);
    if index.name != expected {
        return Err(format!("the derive would name it \"{expected}\""));
    }
    Ok(Key::List {
        group: Group::SearchIndex,
        item: Item::words("search_index", &[field]),
    })
}

/// `(deleted_at IS NULL)` in any spacing, case or quoting, as the drift check reads a
/// predicate.
fn is_live_filter(predicate: &str) -> bool {
    crate::drift::normalize::expression(predicate) == "deleted_at is null"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_filters() {
        assert!(is_live_filter("(deleted_at IS NULL)"));
        assert!(is_live_filter("\"deleted_at\" is null"));
        assert!(!is_live_filter("(deleted_at IS NOT NULL)"));
    }
}
