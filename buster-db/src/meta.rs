//! Table metadata produced by `#[derive(Table)]`: enough to render DDL and to compare a struct
//! with a live database.

use std::fmt::{self, Write};

/// A PostgreSQL type as the catalog names it (`format_type` spelling), possibly an array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SqlType {
    /// The element type name, e.g. `text`, `timestamp with time zone`, or an enum's name.
    pub name: &'static str,
    /// Whether the column is a one-dimensional array of `name`.
    pub array: bool,
    /// For PostgreSQL enum types, their labels.
    pub enum_meta: Option<&'static EnumMeta>,
}

impl SqlType {
    /// A plain (non-array, non-enum) type.
    pub const fn named(name: &'static str) -> SqlType {
        SqlType {
            name,
            array: false,
            enum_meta: None,
        }
    }

    /// A type declared by hand (`#[column(sql_type = "varchar(255)")]`), possibly an array.
    pub const fn declared(name: &'static str, array: bool) -> SqlType {
        SqlType {
            name,
            array,
            enum_meta: None,
        }
    }

    /// A PostgreSQL enum type.
    pub const fn enumeration(meta: &'static EnumMeta) -> SqlType {
        SqlType {
            name: meta.name,
            array: false,
            enum_meta: Some(meta),
        }
    }

    /// The array type of this type.
    pub const fn array(self) -> SqlType {
        SqlType {
            array: true,
            ..self
        }
    }
}

impl fmt::Display for SqlType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.enum_meta.is_some() {
            crate::sql::write_ident(f, self.name)?;
        } else {
            f.write_str(self.name)?;
        }
        if self.array {
            f.write_str("[]")?;
        }
        Ok(())
    }
}

/// A PostgreSQL enum type declared with `#[derive(buster_db::Enum)]`.
#[derive(Debug, PartialEq, Eq)]
pub struct EnumMeta {
    /// The type's name.
    pub name: &'static str,
    /// Its labels, in declaration order.
    pub labels: &'static [&'static str],
}

impl EnumMeta {
    /// `CREATE TYPE "name" AS ENUM (...)`.
    pub fn ddl(&self) -> String {
        let mut s = String::from("CREATE TYPE ");
        push_ident(&mut s, self.name);
        s.push_str(" AS ENUM (");
        for (i, label) in self.labels.iter().enumerate() {
            if i > 0 {
                s.push_str(", ");
            }
            crate::sql::push_literal(&mut s, label);
        }
        s.push_str(");");
        s
    }
}

/// What the runtime manages for a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Managed {
    /// Written by callers.
    No,
    /// `created_at`: `DEFAULT now()`, never written by callers.
    CreatedAt,
    /// `updated_at`: `DEFAULT now()`, set to `now()` by every update and upsert.
    UpdatedAt,
    /// The soft-delete timestamp (`deleted_at`): only `soft_delete` and `restore` write it.
    SoftDelete,
}

/// One column of a table.
#[derive(Debug)]
pub struct ColumnMeta {
    /// The column name in the database.
    pub name: &'static str,
    /// The Rust field name.
    pub field: &'static str,
    /// Its type.
    pub sql_type: SqlType,
    /// Whether it accepts NULL.
    pub nullable: bool,
    /// The SQL default expression, if any.
    pub default: Option<&'static str>,
    /// Whether it is part of the primary key.
    pub primary_key: bool,
    /// Who writes it.
    pub managed: Managed,
}

impl ColumnMeta {
    /// Whether an insert may provide this column.
    pub fn insertable(&self) -> bool {
        self.managed == Managed::No
    }

    /// Whether an update may set this column.
    pub fn updatable(&self) -> bool {
        self.managed == Managed::No && !self.primary_key
    }

    /// The column as `CREATE TABLE` and `ADD COLUMN` write it: `"name" type [NOT NULL]
    /// [DEFAULT ..]`.
    pub fn definition(&self) -> String {
        let mut s = String::new();
        push_ident(&mut s, self.name);
        let _ = write!(s, " {}", self.sql_type);
        if !self.nullable {
            s.push_str(" NOT NULL");
        }
        if let Some(d) = self.effective_default() {
            let _ = write!(s, " DEFAULT {d}");
        }
        s
    }

    /// The default expression the database applies, including the managed `now()` ones.
    pub fn effective_default(&self) -> Option<&'static str> {
        match (self.default, self.managed) {
            (Some(d), _) => Some(d),
            (None, Managed::CreatedAt | Managed::UpdatedAt) => Some("now()"),
            _ => None,
        }
    }
}

/// A unique key or index declared on a table.
#[derive(Debug)]
pub struct IndexMeta {
    /// The index name.
    pub name: &'static str,
    /// Its columns, in order.
    pub columns: &'static [&'static str],
    /// Whether it is unique.
    pub unique: bool,
    /// Whether the index covers live rows only (a unique key of a soft-deletable table): its
    /// predicate is then the table's live-row filter, rendered by the same code as every read's.
    pub live_only: bool,
    /// Any other partial-index predicate, as SQL.
    pub predicate: Option<&'static str>,
    /// `NULLS NOT DISTINCT`: NULLs count as equal, so a key with a nullable column still
    /// conflicts (and an upsert on it updates instead of inserting a duplicate).
    pub nulls_not_distinct: bool,
    /// A text-search index (`#[table(search_index(column))]`): a GIN index over
    /// `to_tsvector('<config>'::regconfig, COALESCE(column, ''))` of its one column, the
    /// expression [`to_tsvector`](crate::expr::to_tsvector) renders, so a search uses it.
    pub search: Option<&'static str>,
}

impl IndexMeta {
    /// The index's key expressions as PostgreSQL prints them (`pg_get_indexdef`), quoted
    /// identifiers written with their quotes: the columns, or a search index's `to_tsvector`.
    pub fn key_expressions(&self) -> Vec<String> {
        match self.search {
            Some(config) => self
                .columns
                .iter()
                .map(|c| search_expression(c, config))
                .collect(),
            None => self.columns.iter().map(|c| (*c).to_owned()).collect(),
        }
    }
}

/// A search index's key expression over `column`, as PostgreSQL prints it:
/// `to_tsvector('english'::regconfig, COALESCE("title", ''::text))`.
pub(crate) fn search_expression(column: &str, config: &str) -> String {
    format!(
        "to_tsvector({}::regconfig, COALESCE({}, ''::text))",
        crate::sql::literal(config),
        crate::sql::quoted_ident(column)
    )
}

/// What a foreign key does when the referenced row is deleted or its key updated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForeignKeyAction {
    /// `NO ACTION`, PostgreSQL's default: the statement fails if a referencing row remains
    /// at the end of the statement.
    NoAction,
    /// `RESTRICT`: the statement fails at once.
    Restrict,
    /// `CASCADE`: referencing rows are deleted (or their key updated) too.
    Cascade,
    /// `SET NULL`: the referencing columns become NULL.
    SetNull,
    /// `SET DEFAULT`: the referencing columns get their defaults.
    SetDefault,
}

impl ForeignKeyAction {
    /// The action as SQL: `NO ACTION`, `CASCADE`, …
    pub fn sql(self) -> &'static str {
        match self {
            ForeignKeyAction::NoAction => "NO ACTION",
            ForeignKeyAction::Restrict => "RESTRICT",
            ForeignKeyAction::Cascade => "CASCADE",
            ForeignKeyAction::SetNull => "SET NULL",
            ForeignKeyAction::SetDefault => "SET DEFAULT",
        }
    }

    /// The action of an `on_delete = ".."` attribute value: `no action`, `restrict`,
    /// `cascade`, `set null` or `set default` (any case, `_` for the space).
    pub fn parse(text: &str) -> Option<ForeignKeyAction> {
        let t = text.trim().to_ascii_lowercase().replace('_', " ");
        Some(match t.as_str() {
            "no action" => ForeignKeyAction::NoAction,
            "restrict" => ForeignKeyAction::Restrict,
            "cascade" => ForeignKeyAction::Cascade,
            "set null" => ForeignKeyAction::SetNull,
            "set default" => ForeignKeyAction::SetDefault,
            _ => return None,
        })
    }
}

/// A foreign key declared with `#[column(references = other::id)]`.
#[derive(Debug)]
pub struct ForeignKeyMeta {
    /// The constraint's name: `<table>_<column>_fkey`, as PostgreSQL names an inline
    /// `REFERENCES`.
    pub name: &'static str,
    /// The referencing columns of this table.
    pub columns: &'static [&'static str],
    /// The referenced table (a function, so a table may reference itself).
    pub table: fn() -> &'static TableMeta,
    /// The referenced columns, in the order of `columns`.
    pub references: &'static [&'static str],
    /// `ON DELETE`.
    pub on_delete: ForeignKeyAction,
    /// `ON UPDATE`.
    pub on_update: ForeignKeyAction,
}

impl ForeignKeyMeta {
    /// `FOREIGN KEY ("a") REFERENCES "t" ("id")`, with `ON DELETE` / `ON UPDATE` when they
    /// are not `NO ACTION`.
    pub fn definition(&self) -> String {
        let mut s = String::from("FOREIGN KEY (");
        push_ident_list(&mut s, self.columns);
        s.push_str(") REFERENCES ");
        let _ = crate::sql::write_table(&mut s, (self.table)());
        s.push_str(" (");
        push_ident_list(&mut s, self.references);
        s.push(')');
        if self.on_delete != ForeignKeyAction::NoAction {
            let _ = write!(s, " ON DELETE {}", self.on_delete.sql());
        }
        if self.on_update != ForeignKeyAction::NoAction {
            let _ = write!(s, " ON UPDATE {}", self.on_update.sql());
        }
        s
    }
}

/// A CHECK constraint declared with `#[table(check(name = "..", sql = ".."))]`.
#[derive(Debug)]
pub struct CheckMeta {
    /// The constraint's name.
    pub name: &'static str,
    /// Its boolean expression, as SQL.
    pub sql: &'static str,
}

impl TableMeta {
    /// The `WHERE` predicate of `idx`, one of this table's indexes.
    pub(crate) fn index_predicate(&self, idx: &IndexMeta) -> Option<String> {
        if idx.live_only {
            let live = crate::query::soft_delete_filter(self, None, crate::query::Visibility::Live);
            return live.map(|f| f.to_string());
        }
        idx.predicate.map(str::to_owned)
    }
}

/// Everything the derive knows about a table.
#[derive(Debug)]
pub struct TableMeta {
    /// The table name.
    pub name: &'static str,
    /// The schema holding the table (`#[table(schema = "vault")]`); `None` looks the table up
    /// through the session's `search_path`. Statements name it `"schema"."name"` and qualify
    /// columns by the bare name, which is what PostgreSQL calls the table inside a statement.
    pub schema: Option<&'static str>,
    /// The Rust struct name.
    pub struct_name: &'static str,
    /// Columns in declaration order; rows are decoded by this position.
    pub columns: &'static [ColumnMeta],
    /// Primary key column names.
    pub primary_key: &'static [&'static str],
    /// Unique keys and secondary indexes.
    pub indexes: &'static [IndexMeta],
    /// Foreign keys (`#[column(references = ..)]`).
    pub foreign_keys: &'static [ForeignKeyMeta],
    /// CHECK constraints (`#[table(check(..))]`).
    pub checks: &'static [CheckMeta],
    /// Position of the soft-delete column, if the table has one.
    pub soft_delete: Option<usize>,
    /// Position of the `updated_at` column, if the table has one.
    pub updated_at: Option<usize>,
}

impl TableMeta {
    /// The soft-delete column, if any.
    pub fn soft_delete_column(&self) -> Option<&ColumnMeta> {
        self.soft_delete.and_then(|i| self.columns.get(i))
    }

    /// The `updated_at` column, if any.
    pub fn updated_at_column(&self) -> Option<&ColumnMeta> {
        self.updated_at.and_then(|i| self.columns.get(i))
    }

    /// The table's name for messages: `schema.name`, or `name` without a schema.
    pub fn display_name(&self) -> String {
        match self.schema {
            Some(schema) => format!("{schema}.{}", self.name),
            None => self.name.to_owned(),
        }
    }

    /// Looks a column up by its database name.
    pub fn column(&self, name: &str) -> Option<&ColumnMeta> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The enum types this table's columns use.
    pub fn enums(&self) -> Vec<&'static EnumMeta> {
        let mut out: Vec<&'static EnumMeta> = Vec::new();
        for c in self.columns {
            if let Some(e) = c.sql_type.enum_meta
                && !out.iter().any(|o| o.name == e.name)
            {
                out.push(e);
            }
        }
        out
    }

    /// `ALTER TABLE .. ADD CONSTRAINT .. FOREIGN KEY` for each of this table's foreign keys:
    /// run after every table exists, so tables may reference each other in any order.
    pub fn foreign_key_ddl(&self) -> String {
        let mut s = String::new();
        for fk in self.foreign_keys {
            s.push_str("ALTER TABLE ");
            let _ = crate::sql::write_table(&mut s, self);
            s.push_str(" ADD CONSTRAINT ");
            push_ident(&mut s, fk.name);
            let _ = writeln!(s, " {};", fk.definition());
        }
        s
    }

    /// `CREATE TABLE` (with its CHECK constraints) and `CREATE [UNIQUE] INDEX` statements for
    /// this table; enum types are not included (see [`TableMeta::enums`]), nor are foreign
    /// keys (see [`TableMeta::foreign_key_ddl`]).
    pub fn ddl(&self) -> String {
        let mut s = String::from("CREATE TABLE ");
        let _ = crate::sql::write_table(&mut s, self);
        s.push_str(" (\n");
        for (i, c) in self.columns.iter().enumerate() {
            if i > 0 {
                s.push_str(",\n");
            }
            s.push_str("    ");
            s.push_str(&c.definition());
        }
        s.push_str(",\n    PRIMARY KEY (");
        push_ident_list(&mut s, self.primary_key);
        s.push(')');
        for check in self.checks {
            s.push_str(",\n    CONSTRAINT ");
            push_ident(&mut s, check.name);
            let _ = write!(s, " CHECK ({})", check.sql);
        }
        s.push_str("\n);\n");
        for idx in self.indexes {
            s.push_str(&self.index_ddl(idx, false));
            s.push_str(";\n");
        }
        s
    }

    /// `CREATE [UNIQUE] INDEX [CONCURRENTLY] "name" ON "table" ..` for `idx`, one of this
    /// table's indexes, without the final `;`.
    pub fn index_ddl(&self, idx: &IndexMeta, concurrently: bool) -> String {
        let mut s = String::from(if idx.unique {
            "CREATE UNIQUE INDEX "
        } else {
            "CREATE INDEX "
        });
        if concurrently {
            s.push_str("CONCURRENTLY IF NOT EXISTS ");
        }
        push_ident(&mut s, idx.name);
        s.push_str(" ON ");
        let _ = crate::sql::write_table(&mut s, self);
        if idx.search.is_some() {
            s.push_str(" USING gin (");
            s.push_str(&idx.key_expressions().join(", "));
        } else {
            s.push_str(" (");
            push_ident_list(&mut s, idx.columns);
        }
        s.push(')');
        if idx.nulls_not_distinct {
            s.push_str(" NULLS NOT DISTINCT");
        }
        if let Some(p) = self.index_predicate(idx) {
            let _ = write!(s, " WHERE {p}");
        }
        s
    }
}

fn push_ident(s: &mut String, name: &str) {
    let _ = crate::sql::write_ident(s, name);
}

fn push_ident_list(s: &mut String, names: &[&str]) {
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        push_ident(s, n);
    }
}

/// Everything a crate declares about its database: its tables, its enum types and its
/// migrations. The drift check, the DDL rendering and the command line ([`crate::cli`]) work
/// on one of these; a crate usually declares it once as a `static`.
///
/// ```
/// use buster_db::{Schema, Table};
///
/// #[derive(Table)]
/// #[table(name = "notes")]
/// pub struct Note {
///     #[column(primary_key)]
///     pub id: i64,
///     pub body: String,
/// }
///
/// pub static SCHEMA: Schema = Schema {
///     tables: &[<Note as Table>::META],
///     enums: &[],
///     migrations: &[],
/// };
/// fn main() {
///     assert_eq!(SCHEMA.tables[0].name, "notes");
/// }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Schema {
    /// The declared tables, referenced tables before the tables that reference them.
    pub tables: &'static [&'static TableMeta],
    /// The declared enum types.
    pub enums: &'static [&'static EnumMeta],
    /// The migrations that build the schema, in version order (see
    /// [`embed_migrations!`](crate::embed_migrations)).
    pub migrations: &'static [crate::migrate::Migration],
}
