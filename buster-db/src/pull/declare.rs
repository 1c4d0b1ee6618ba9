//! What to declare for each table and enum type: names, field types and the `#[table]` /
//! `#[column]` items, or a TODO where the derive cannot state what the database has.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::expression::{check_expression, default_expression};
use super::index::{Group, Key, key};
use super::introspect::{FoundColumn, FoundTable, Introspection};
use super::layout::{Item, Use};
use super::name;
use super::pg_enum::{EnumDecl, enum_decls};
use super::ty::{self, Import, Mapped};
use crate::meta::ForeignKeyAction;

/// A table's declaration.
pub(crate) struct TableDecl {
    pub(crate) table: String,
    pub(crate) names: TableNames,
    pub(crate) doc: String,
    /// TODO comments above the struct, the missing primary key last.
    pub(crate) notes: Vec<String>,
    /// The items of `#[table(..)]`.
    pub(crate) attrs: Vec<Item>,
    pub(crate) members: Vec<Member>,
    pub(crate) uses: Vec<Use>,
    /// The other tables of the schema its foreign keys reference.
    pub(crate) references: BTreeSet<String>,
}

impl TableDecl {
    /// Every TODO of the table's file, in the order of its lines.
    pub(crate) fn todos(&self) -> impl Iterator<Item = &str> {
        let members = self.members.iter().flat_map(|m| match m {
            Member::Field { notes, .. } => notes.iter().map(String::as_str).collect::<Vec<_>>(),
            Member::Todo(message) => vec![message.as_str()],
        });
        self.notes.iter().map(String::as_str).chain(members)
    }
}

/// A field, or the TODO in place of a column that cannot be one.
pub(crate) enum Member {
    Field {
        doc: String,
        notes: Vec<String>,
        attrs: Vec<Item>,
        ident: String,
        ty: String,
    },
    Todo(String),
}

/// The Rust names of one table.
#[derive(Clone)]
pub(crate) struct TableNames {
    pub(crate) struct_name: String,
    /// The module of the column types (the derive names it after the table unless told).
    pub(crate) module: String,
    /// The file, without `.rs`.
    pub(crate) file: String,
}

/// Everything to write.
pub(crate) struct Declarations {
    pub(crate) tables: Vec<TableDecl>,
    pub(crate) enums: Vec<EnumDecl>,
    /// The tables' order in `TABLES`: referenced tables first.
    pub(crate) order: Vec<usize>,
    /// What is left to do about the schema as a whole.
    pub(crate) todos: Vec<String>,
}

/// One column's field, before keys and foreign keys are known.
struct Plan<'a> {
    found: &'a FoundColumn,
    field: String,
    mapped: Option<Mapped>,
    /// `created_at`, `updated_at` or `soft_delete`.
    managed: Option<&'static str>,
}

pub(crate) fn declare(found: &Introspection, schema: &str) -> Declarations {
    let enums = enum_decls(&found.enums);
    let enum_by_printed: HashMap<&str, &str> = found
        .enums
        .iter()
        .zip(&enums)
        .map(|(f, d)| (f.printed.as_str(), d.rust.as_str()))
        .collect();
    let names = table_names(&found.tables, &enums);
    let plans: Vec<Vec<Plan<'_>>> = found
        .tables
        .iter()
        .map(|t| plan_columns(t, &enum_by_printed))
        .collect();
    let index_of: HashMap<&str, usize> = found
        .tables
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let ctx = Context {
        found,
        schema,
        names: &names,
        plans: &plans,
        index_of: &index_of,
    };
    let tables: Vec<TableDecl> = (0..found.tables.len()).map(|i| ctx.table(i)).collect();
    let order = order(&tables, &index_of);
    let mut todos = Vec::new();
    if found.tables.is_empty() && found.enums.is_empty() {
        todos.push(format!(
            "schema \"{schema}\" has no tables and no enum types"
        ));
    }
    Declarations {
        tables,
        enums,
        order,
        todos,
    }
}

struct Context<'a> {
    found: &'a Introspection,
    schema: &'a str,
    names: &'a [TableNames],
    plans: &'a [Vec<Plan<'a>>],
    index_of: &'a HashMap<&'a str, usize>,
}

impl Context<'_> {
    fn table(&self, i: usize) -> TableDecl {
        let t = &self.found.tables[i];
        let names = self.names[i].clone();
        let mut attrs = vec![Item::string("name", &t.name)];
        if self.schema != "public" {
            attrs.push(Item::string("schema", self.schema));
        }
        if names.module != t.name {
            attrs.push(Item::string("columns", &names.module));
        }
        let mut table = Table {
            ctx: self,
            index: i,
            t,
            plans: &self.plans[i],
            attrs,
            notes: Vec::new(),
            column_items: HashMap::new(),
            field_notes: HashMap::new(),
            modules: BTreeSet::new(),
            references: BTreeSet::new(),
        };
        let missing_key = table.primary_key();
        table.keys();
        table.checks();
        table.foreign_keys();
        table.notes.extend(missing_key);
        let (members, imports) = table.fields();
        TableDecl {
            table: t.name.clone(),
            doc: t
                .comment
                .clone()
                .unwrap_or_else(|| format!("A row of `{}`.", t.name)),
            names,
            notes: table.notes,
            attrs: table.attrs,
            members,
            uses: uses(&imports, table.modules),
            references: table.references,
        }
    }

    /// `references = module::field` and the actions of a one-column foreign key, with the
    /// module to import (none for a reference to the table itself), or why it cannot be stated.
    fn reference(
        &self,
        table: usize,
        column: &str,
        fk: &super::introspect::FoundForeignKey,
    ) -> Result<(Vec<Item>, Option<String>), String> {
        if fk.schema != self.schema {
            return Err(format!("it references schema \"{}\"", fk.schema));
        }
        let Some(&target) = self.index_of.get(fk.table.as_str()) else {
            return Err(format!("table \"{}\" is not pulled", fk.table));
        };
        let [referenced] = fk.references.as_slice() else {
            return Err("it references several columns".into());
        };
        let plan = |t: usize, c: &str| {
            self.plans[t]
                .iter()
                .find(|p| p.found.name == c && p.mapped.is_some())
        };
        let (Some(from), Some(to)) = (plan(table, column), plan(target, referenced)) else {
            return Err(format!(
                "column \"{referenced}\" of \"{}\" is not declared",
                fk.table
            ));
        };
        let same = |a: &Mapped, b: &Mapped| a.rust == b.rust && a.sql_type == b.sql_type;
        if let (Some(a), Some(b)) = (&from.mapped, &to.mapped)
            && !same(a, b)
        {
            return Err(format!(
                "column \"{column}\" ({}) and the column it references ({}) have different types",
                from.found.type_name, to.found.type_name
            ));
        }
        let actions = [("on_delete", fk.on_delete), ("on_update", fk.on_update)];
        if !from.found.nullable && actions.iter().any(|(_, a)| *a == ForeignKeyAction::SetNull) {
            return Err(format!(
                "SET NULL on column \"{column}\", which is NOT NULL"
            ));
        }
        let module = &self.names[target].module;
        let mut items = vec![Item::atom(format!("references = {module}::{}", to.field))];
        for (key, action) in actions {
            if action != ForeignKeyAction::NoAction {
                items.push(Item::string(key, &action.sql().to_ascii_lowercase()));
            }
        }
        Ok((items, (target != table).then(|| module.clone())))
    }
}

/// One table's declaration while it is worked out.
struct Table<'c> {
    ctx: &'c Context<'c>,
    index: usize,
    t: &'c FoundTable,
    plans: &'c [Plan<'c>],
    /// The items of `#[table(..)]`.
    attrs: Vec<Item>,
    /// TODOs above the struct.
    notes: Vec<String>,
    /// `#[column(..)]` items from keys and foreign keys, by field.
    column_items: HashMap<&'c str, Vec<Item>>,
    /// TODOs above a field, by field.
    field_notes: HashMap<&'c str, Vec<String>>,
    /// The column modules of the tables referenced.
    modules: BTreeSet<String>,
    /// The other tables of the schema referenced.
    references: BTreeSet<String>,
}

impl<'c> Table<'c> {
    /// The field of a column, when the column has one.
    fn field_of(&self, column: &str) -> Option<&'c str> {
        let plans: &'c [Plan<'c>] = self.plans;
        plans
            .iter()
            .find(|p| p.found.name == column && p.mapped.is_some())
            .map(|p| p.field.as_str())
    }

    fn column_has(&self, field: &str, what: fn(&Item) -> bool) -> bool {
        self.column_items
            .get(field)
            .is_some_and(|items| items.iter().any(what))
    }

    /// Declares the primary key; returns the TODO when there is none to declare.
    fn primary_key(&mut self) -> Option<String> {
        let t = self.t;
        let Some(pk) = t.indexes.iter().find(|i| i.primary) else {
            let candidates: Vec<String> = t
                .indexes
                .iter()
                .filter(|i| {
                    i.unique
                        && i.predicate.is_none()
                        && i.columns.iter().all(|c| {
                            self.field_of(c).is_some()
                                && t.columns.iter().any(|f| f.name == *c && !f.nullable)
                        })
                })
                .map(|i| format!("({})", i.columns.join(", ")))
                .collect();
            let hint = if candidates.is_empty() {
                String::new()
            } else {
                format!(" (unique and not null here: {})", candidates.join(", "))
            };
            return Some(format!(
                "`{}` has no primary key, so this declaration does not compile: mark the \
                 field(s) of a unique, non-null key `#[column(primary_key)]`{hint}",
                t.name
            ));
        };
        let fields: Option<Vec<&str>> = pk.columns.iter().map(|c| self.field_of(c)).collect();
        match fields.as_deref() {
            Some([field]) => self
                .column_items
                .entry(field)
                .or_default()
                .push(Item::atom("primary_key")),
            Some(fields) => self.attrs.push(Item::words("primary_key", fields)),
            None => {
                return Some(format!(
                    "the primary key ({}) has a column that is not declared, so this \
                     declaration does not compile: declare the column and mark the key",
                    pk.columns.join(", ")
                ));
            }
        }
        None
    }

    /// Unique keys and indexes, on the fields or the table, in the derive's groups.
    fn keys(&mut self) {
        let t = self.t;
        let soft_delete = self.plans.iter().any(|p| p.managed == Some("soft_delete"));
        let mut lists: [Vec<Item>; 4] = Default::default();
        for index in t.indexes.iter().filter(|i| !i.primary) {
            match key(t, index, soft_delete, &|c| self.field_of(c)) {
                Ok(Key::Column { field, all_rows }) if !self.column_has(field, is_unique) => {
                    let item = if all_rows {
                        Item::words("unique", &["all_rows"])
                    } else {
                        Item::atom("unique")
                    };
                    self.column_items.entry(field).or_default().push(item);
                }
                Ok(Key::Column { field, all_rows }) => {
                    let mut words = vec![field];
                    words.extend(all_rows.then_some("all_rows"));
                    lists[Group::Unique as usize].push(Item::words("unique", &words));
                }
                Ok(Key::List { group, item }) => lists[group as usize].push(item),
                Err(reason) => self.notes.push(format!(
                    "index \"{}\" cannot be declared with the derive ({reason}): {}",
                    index.name, index.definition
                )),
            }
        }
        self.attrs.extend(lists.into_iter().flatten());
    }

    fn checks(&mut self) {
        for check in &self.t.checks {
            match check_expression(&check.definition) {
                Some(sql) => self.attrs.push(Item::List(
                    "check".into(),
                    vec![Item::string("name", &check.name), Item::string("sql", sql)],
                )),
                None => self.notes.push(format!(
                    "check \"{}\" cannot be declared with the derive: {}",
                    check.name, check.definition
                )),
            }
        }
    }

    /// One-column foreign keys on their fields; a TODO for any other.
    fn foreign_keys(&mut self) {
        let t = self.t;
        for fk in &t.foreign_keys {
            if fk.schema == self.ctx.schema && fk.table != t.name {
                self.references.insert(fk.table.clone());
            }
            let [column] = fk.columns.as_slice() else {
                self.notes.push(format!(
                    "foreign key \"{}\" has several columns, which the derive cannot state: {}",
                    fk.name, fk.definition
                ));
                continue;
            };
            // A column without a field has its own TODO.
            let Some(field) = self.field_of(column) else {
                continue;
            };
            let todo = match self.ctx.reference(self.index, column, fk) {
                Ok((items, module)) if !self.column_has(field, is_reference) => {
                    self.column_items.entry(field).or_default().extend(items);
                    self.modules.extend(module);
                    continue;
                }
                Ok(_) => format!(
                    "foreign key \"{}\" is a second one on column \"{column}\", which the derive \
                     cannot state: {}",
                    fk.name, fk.definition
                ),
                Err(reason) => format!(
                    "foreign key \"{}\" cannot be declared with the derive ({reason}): {}",
                    fk.name, fk.definition
                ),
            };
            self.field_notes.entry(field).or_default().push(todo);
        }
    }

    /// The fields, and the names their types need.
    fn fields(&mut self) -> (Vec<Member>, BTreeSet<Import>) {
        let mut members = Vec::new();
        let mut imports = BTreeSet::new();
        for plan in self.plans {
            let c = plan.found;
            let Some(mapped) = &plan.mapped else {
                members.push(Member::Todo(format!(
                    "column \"{}\" has type {}, which buster-db cannot map; declare it by hand",
                    c.name, c.type_name
                )));
                continue;
            };
            imports.extend(mapped.imports.iter().cloned());
            let field = plan.field.as_str();
            let mut items = Vec::new();
            if field.trim_start_matches("r#") != c.name {
                items.push(Item::string("name", &c.name));
            }
            let (references, keys): (Vec<Item>, Vec<Item>) = self
                .column_items
                .remove(field)
                .unwrap_or_default()
                .into_iter()
                .partition(is_reference);
            items.extend(keys);
            if plan.managed.is_none()
                && !c.generated
                && let Some(default) = &c.default
                && let Some(default) = default_expression(default, &c.type_name)
            {
                items.push(Item::string("default", default));
            }
            items.extend(
                mapped
                    .sql_type
                    .as_deref()
                    .map(|t| Item::string("sql_type", t)),
            );
            items.extend(plan.managed.map(Item::atom));
            items.extend(references);
            let mut notes = self.field_notes.remove(field).unwrap_or_default();
            notes.extend(generation_todo(c));
            let ty = if c.nullable {
                format!("Option<{}>", mapped.rust)
            } else {
                mapped.rust.clone()
            };
            members.push(Member::Field {
                doc: c
                    .comment
                    .clone()
                    .unwrap_or_else(|| format!("Column `{}` of `{}`.", c.name, self.t.name)),
                notes,
                attrs: items,
                ident: plan.field.clone(),
                ty,
            });
        }
        (members, imports)
    }
}

/// The TODO of an identity or generated column, whose values the database makes: the derive
/// has no attribute for them and would write them.
fn generation_todo(c: &FoundColumn) -> Option<String> {
    if let Some(identity) = c.identity {
        let consequence = if identity == "ALWAYS" {
            "inserts would give it a value, which the database refuses"
        } else {
            "inserts would have to give it a value"
        };
        return Some(format!(
            "column \"{}\" is an identity column (GENERATED {identity} AS IDENTITY), which the \
             derive cannot state: {consequence}; declare it by hand",
            c.name
        ));
    }
    c.generated.then(|| {
        format!(
            "column \"{}\" is generated (GENERATED ALWAYS AS ({}) STORED), which the derive \
             cannot state: inserts and updates would write it; declare it by hand",
            c.name,
            c.default.as_deref().unwrap_or_default()
        )
    })
}

fn is_unique(item: &Item) -> bool {
    matches!(item, Item::Atom(a) if a == "unique")
        || matches!(item, Item::List(name, _) if name == "unique")
}

fn is_reference(item: &Item) -> bool {
    matches!(item, Item::Atom(a)
        if a.starts_with("references ") || a.starts_with("on_delete ") || a.starts_with("on_update "))
}

/// The fields of a table's columns: names, Rust types, managed roles.
fn plan_columns<'a>(t: &'a FoundTable, enums: &HashMap<&str, &str>) -> Vec<Plan<'a>> {
    let primary: Vec<&str> = t
        .indexes
        .iter()
        .filter(|i| i.primary)
        .flat_map(|i| i.columns.iter().map(String::as_str))
        .collect();
    let unique_alone = |column: &str| {
        t.indexes
            .iter()
            .any(|i| i.unique && !i.primary && i.columns.len() == 1 && i.columns[0] == column)
    };
    let mut taken: HashSet<String> = HashSet::new();
    t.columns
        .iter()
        .map(|c| {
            let (field, _) = name::field(&c.name);
            let field = name::unique(field, |f| taken.contains(f));
            taken.insert(field.clone());
            let mapped = ty::map(&c.type_name, |printed| {
                enums.get(printed).map(|rust| (*rust).to_owned())
            });
            let managed = managed_role(
                c,
                primary.contains(&c.name.as_str()) || unique_alone(&c.name),
            );
            Plan {
                found: c,
                field,
                mapped,
                managed,
            }
        })
        .collect()
}

/// The managed role of a column, recognised by name and type: `created_at` / `updated_at`
/// as `timestamptz NOT NULL DEFAULT now()`, `deleted_at` as a `timestamptz` that may be NULL
/// and has no default. A key column is never managed.
fn managed_role(c: &FoundColumn, key: bool) -> Option<&'static str> {
    if key || c.generated || c.identity.is_some() || c.type_name != "timestamp with time zone" {
        return None;
    }
    match c.name.as_str() {
        "created_at" if !c.nullable && c.default.as_deref() == Some("now()") => Some("created_at"),
        "updated_at" if !c.nullable && c.default.as_deref() == Some("now()") => Some("updated_at"),
        "deleted_at" if c.nullable && c.default.is_none() => Some("soft_delete"),
        _ => None,
    }
}

/// The `use` lines of a table file.
fn uses(imports: &BTreeSet<Import>, modules: BTreeSet<String>) -> Vec<Use> {
    let mut root = Vec::new();
    let mut enums = Vec::new();
    let mut out = Vec::new();
    for import in imports {
        match import {
            Import::Root(name) => root.push((*name).to_owned()),
            Import::Enum(name) => enums.push(name.clone()),
            Import::Path(path) => {
                if let Some((path, name)) = path.rsplit_once("::") {
                    out.push(Use::new(path, vec![name.to_owned()]));
                }
            }
        }
    }
    out.push(Use::new("super", enums));
    out.push(Use::new("super", modules.into_iter().collect()));
    out.push(Use::new("buster_db", root));
    out
}

/// Struct, module and file names for every table, unique across the schema: a struct and its
/// derived `New..` / `..Patch` must not meet another table's or an enum, a file module must not
/// hide a column module (both are re-exported by `mod.rs`).
fn table_names(tables: &[FoundTable], enums: &[EnumDecl]) -> Vec<TableNames> {
    let mut modules: Vec<String> = Vec::new();
    for t in tables {
        let plain = name::is_snake_identifier(&t.name)
            && !name::is_keyword(&t.name)
            && !matches!(t.name.as_str(), "enums" | "mod");
        let first = if plain {
            t.name.clone()
        } else {
            let snake = name::snake(&t.name, "table");
            if name::is_keyword(&snake) || matches!(snake.as_str(), "enums" | "mod") {
                format!("{snake}_columns")
            } else {
                snake
            }
        };
        let module = name::unique(first, |m| modules.iter().any(|x| x == m));
        modules.push(module);
    }
    let mut types: HashSet<String> = enums.iter().map(|e| e.rust.clone()).collect();
    types.extend(name::USED_TYPES.iter().map(|t| (*t).to_owned()));
    let mut files: HashSet<String> = HashSet::new();
    tables
        .iter()
        .zip(modules.iter())
        .map(|(t, module)| {
            let candidates = [
                name::struct_name(&t.name),
                name::upper_camel(&t.name, "Table"),
                format!("{}Table", name::upper_camel(&t.name, "Table")),
            ];
            let clashes = |s: &str| {
                [s.to_owned(), format!("New{s}"), format!("{s}Patch")]
                    .iter()
                    .any(|n| types.contains(n))
            };
            let struct_name = candidates
                .iter()
                .find(|c| !clashes(c))
                .cloned()
                .unwrap_or_else(|| name::unique(candidates[2].clone(), clashes));
            types.extend([
                struct_name.clone(),
                format!("New{struct_name}"),
                format!("{struct_name}Patch"),
            ]);
            let stem = name::snake(&struct_name, "table");
            let hides = |f: &str| {
                modules.iter().any(|m| m == f)
                    || name::is_keyword(f)
                    || matches!(f, "enums" | "mod")
                    || files.contains(f)
            };
            let stem = if hides(&stem) {
                name::unique(format!("{stem}_table"), hides)
            } else {
                stem
            };
            files.insert(stem.clone());
            TableNames {
                struct_name,
                module: module.clone(),
                file: stem,
            }
        })
        .collect()
}

/// Tables in `TABLES` order: each after the tables it references, ties by name, a cycle
/// broken at its first table by name.
fn order(tables: &[TableDecl], index_of: &HashMap<&str, usize>) -> Vec<usize> {
    let mut done = vec![false; tables.len()];
    let mut out = Vec::new();
    while out.len() < tables.len() {
        let ready = (0..tables.len()).find(|&i| {
            !done[i]
                && tables[i]
                    .references
                    .iter()
                    .filter_map(|r| index_of.get(r.as_str()))
                    .all(|&r| done[r])
        });
        let next = ready.or_else(|| (0..tables.len()).find(|&i| !done[i]));
        let Some(next) = next else { break };
        done[next] = true;
        out.push(next);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(name: &str) -> FoundTable {
        FoundTable {
            name: name.to_owned(),
            comment: None,
            columns: Vec::new(),
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
            checks: Vec::new(),
        }
    }

    fn names(tables: &[&str]) -> Vec<(String, String, String)> {
        let tables: Vec<FoundTable> = tables.iter().map(|t| table(t)).collect();
        table_names(&tables, &[])
            .into_iter()
            .map(|n| (n.struct_name, n.module, n.file))
            .collect()
    }

    fn strings(struct_name: &str, module: &str, file: &str) -> (String, String, String) {
        (struct_name.into(), module.into(), file.into())
    }

    #[test]
    fn names_do_not_meet() {
        assert_eq!(
            names(&["users", "user", "new_users"]),
            [
                strings("User", "users", "user_table"),
                strings("UserTable", "user", "user_table_table"),
                strings("NewUsers", "new_users", "new_users_table"),
            ]
        );
        assert_eq!(
            names(&["type", "options", "Audit Log"]),
            [
                strings("Type", "type_columns", "type_table"),
                strings("Options", "options", "options_table"),
                strings("AuditLog", "audit_log", "audit_log_table"),
            ]
        );
    }
}
