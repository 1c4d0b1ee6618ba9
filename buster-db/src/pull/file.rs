//! The text of the files: one per table, `enums.rs`, `mod.rs`.

use super::declare::{Declarations, Member, TableDecl};
use super::layout::{self, Item, Use};
use super::name::version_order;
use super::pg_enum::EnumDecl;

/// The first lines of every file.
fn header(out: &mut String, database: &str, schema: &str, what: &str) {
    let first = format!("Written by `pull` from database `{database}`, schema `{schema}`.");
    layout::comment(out, 0, "//!", &format!("{first}\n\n{what}"));
}

fn todo(out: &mut String, indent: usize, message: &str) {
    layout::comment(out, indent, "//", &format!("TODO: {message}"));
}

pub(crate) fn table(decl: &TableDecl, database: &str, schema: &str) -> String {
    let mut out = String::new();
    header(
        &mut out,
        database,
        schema,
        &format!("The table `{}`.", decl.table),
    );
    out.push('\n');
    if decl.uses.iter().any(|u| !u.names.is_empty()) {
        layout::uses(&mut out, &decl.uses);
        out.push('\n');
    }
    layout::comment(&mut out, 0, "///", &decl.doc);
    for note in &decl.notes {
        todo(&mut out, 0, note);
    }
    out.push_str("#[derive(buster_db::Table, Debug, Clone, PartialEq)]\n");
    layout::attribute(&mut out, 0, "table", &decl.attrs);
    out.push_str(&format!("pub struct {} {{", decl.names.struct_name));
    if decl.members.is_empty() {
        out.push_str("}\n");
        return out;
    }
    out.push('\n');
    for member in &decl.members {
        match member {
            Member::Field {
                doc,
                notes,
                attrs,
                ident,
                ty,
            } => {
                layout::comment(&mut out, 4, "///", doc);
                for note in notes {
                    todo(&mut out, 4, note);
                }
                if !attrs.is_empty() {
                    layout::attribute(&mut out, 4, "column", attrs);
                }
                out.push_str(&format!("    pub {ident}: {ty},\n"));
            }
            Member::Todo(message) => todo(&mut out, 4, message),
        }
    }
    out.push_str("}\n");
    out
}

pub(crate) fn enums(decls: &[EnumDecl], database: &str, schema: &str) -> String {
    let mut out = String::new();
    header(&mut out, database, schema, "The enum types of the schema.");
    for e in decls {
        out.push('\n');
        layout::comment(&mut out, 0, "///", &e.doc);
        out.push_str("#[derive(buster_db::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]\n");
        if e.allow_variant_names {
            out.push_str(
                "#[allow(clippy::enum_variant_names, reason = \"the labels of the database type\")]\n",
            );
        }
        let mut items = vec![Item::string("name", &e.name)];
        items.extend(e.rename_all.map(|style| Item::string("rename_all", style)));
        layout::attribute(&mut out, 0, "pg_enum", &items);
        out.push_str(&format!("pub enum {} {{", e.rust));
        if e.variants.is_empty() {
            out.push_str("}\n");
            continue;
        }
        out.push('\n');
        for (ident, label, rename) in &e.variants {
            layout::comment(&mut out, 4, "///", &format!("The label `{label}`."));
            if *rename {
                layout::attribute(&mut out, 4, "pg_enum", &[Item::string("rename", label)]);
            }
            out.push_str(&format!("    {ident},\n"));
        }
        out.push_str("}\n");
    }
    out
}

pub(crate) fn module(decls: &Declarations, database: &str, schema: &str) -> String {
    let mut out = String::new();
    header(
        &mut out,
        database,
        schema,
        "Its tables, one file each, and its enum types. [`TABLES`] and [`ENUMS`] list them for\n\
         the drift check (`buster_db::drift::check`) and the DDL (`buster_db::drift::ddl`).",
    );
    out.push('\n');
    let mut files: Vec<&str> = decls.tables.iter().map(|t| t.names.file.as_str()).collect();
    if !decls.enums.is_empty() {
        files.push("enums");
    }
    // rustfmt orders `mod` declarations by their text, `use` declarations by version.
    let mut mods = files.clone();
    mods.sort_unstable();
    for m in &mods {
        out.push_str(&format!("mod {m};\n"));
    }
    if !files.is_empty() {
        out.push('\n');
        files.sort_by(|a, b| version_order(a, b));
        for f in &files {
            out.push_str(&format!("pub use {f}::*;\n"));
        }
        out.push('\n');
    }
    let mut traits = Vec::new();
    if !decls.tables.is_empty() {
        traits.push("Table".to_owned());
    }
    if !decls.enums.is_empty() {
        traits.push("Enum".to_owned());
    }
    layout::uses(
        &mut out,
        &[
            Use::new(
                "buster_db::meta",
                vec!["EnumMeta".into(), "TableMeta".into()],
            ),
            Use::new("buster_db", traits),
        ],
    );
    out.push('\n');
    let tables: Vec<String> = decls
        .order
        .iter()
        .map(|&i| format!("<{} as Table>::META", decls.tables[i].names.struct_name))
        .collect();
    layout::static_slice(
        &mut out,
        "Every table of the schema, referenced tables before the tables that reference them.",
        "pub static TABLES: &[&TableMeta]",
        &tables,
    );
    out.push('\n');
    let enums: Vec<String> = decls
        .enums
        .iter()
        .map(|e| format!("<{} as Enum>::META", e.rust))
        .collect();
    layout::static_slice(
        &mut out,
        "Every enum type of the schema.",
        "pub static ENUMS: &[&EnumMeta]",
        &enums,
    );
    out
}
