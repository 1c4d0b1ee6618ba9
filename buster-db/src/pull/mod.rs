//! Declarations from an existing database: [`pull`] reads the tables and enum types of one
//! schema and writes the `#[derive(Table)]` structs and `#[derive(Enum)]` enums that state
//! them, one file per table plus `enums.rs` and a `mod.rs` with `TABLES` and `ENUMS`.
//!
//! What the derive cannot state is not guessed: the files say `// TODO: ..` in its place and
//! [`Pulled::warnings`] lists each one. A column of a type buster-db has no Rust type for
//! (`tsvector`, `money`, a domain) is left out; an index the derive would not create the same
//! way (an expression, another name or method, a partial index other than the live-row one),
//! a foreign key over several columns and a CHECK with options are named with their
//! definition; a table without a primary key is written without one, which does not compile
//! until a key is marked.
//!
//! What it maps:
//!
//! - a struct per table, named in `UpperCamelCase` with the last word singular
//!   (`users_to_organizations` → `UsersToOrganization`), in a file named after the struct
//!   (`users_to_organization.rs`), with `#[table(name = "..")]`;
//! - a field per column: keywords as raw identifiers (`r#type`), other names that are no
//!   identifier in `snake_case` with `#[column(name = "..")]`; `Option<T>` where NULL is
//!   allowed; `sql_type = ".."` where the Rust type's own SQL type is not the column's
//!   (`varchar(255)`, `numeric(12,2)`, `timestamptz(3)`, `json`);
//! - `created_at` / `updated_at` (`timestamptz NOT NULL DEFAULT now()`) and `deleted_at`
//!   (`timestamptz`, NULL) as the managed columns, by name and type;
//! - defaults as the catalog prints them, less a cast of a string literal to the column's type;
//! - the primary key, unique keys (live rows only on a soft-deletable table, `all_rows`
//!   otherwise), `NULLS NOT DISTINCT`, plain and text-search indexes, one-column foreign keys
//!   with their actions, CHECK constraints; comments as doc comments.
//!
//! The output is deterministic (no timestamps, everything sorted) and formatted as rustfmt
//! formats it. The command line runs it as `pull --out DIR [--schema NAME]`.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use buster_db::pull::{PullOptions, pull};
//!
//! let db = buster_db::Db::from_env().await?;
//! let pulled = pull(&db, &PullOptions::new().schema("public")).await?;
//! for path in pulled.write("src/schema")? {
//!     println!("wrote {}", path.display());
//! }
//! for warning in &pulled.warnings {
//!     println!("TODO {warning}");
//! }
//! # Ok(()) }
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use crate::{Db, Result};

mod declare;
mod expression;
mod file;
mod index;
pub(crate) mod introspect;
mod layout;
mod name;
mod pg_enum;
mod ty;

/// What to pull.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PullOptions {
    /// The schema whose tables and enum types are read; `public` by default.
    pub schema: String,
    /// The database name the files' first line gives; by default the name of the database
    /// read (`current_database()`). Set it to keep files the same when they are pulled from
    /// databases of other names, such as per-test copies.
    pub database_name: Option<String>,
}

impl Default for PullOptions {
    fn default() -> PullOptions {
        PullOptions {
            schema: "public".to_owned(),
            database_name: None,
        }
    }
}

impl PullOptions {
    /// Schema `public`, the database's own name.
    pub fn new() -> PullOptions {
        PullOptions::default()
    }

    /// Reads `schema` instead of `public`; the structs then say `#[table(schema = "..")]`.
    pub fn schema(mut self, schema: impl Into<String>) -> PullOptions {
        self.schema = schema.into();
        self
    }

    /// Names the database `name` in the files' first line.
    pub fn database_name(mut self, name: impl Into<String>) -> PullOptions {
        self.database_name = Some(name.into());
        self
    }
}

/// The files [`pull`] wrote, and what they leave to do.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Pulled {
    /// `mod.rs`, `enums.rs` (when the schema has enum types), then a file per table, by path.
    pub files: Vec<PulledFile>,
    /// Each `// TODO` of the files, in the order of the files and of their lines.
    pub warnings: Vec<Warning>,
}

/// One file of a [`Pulled`] schema.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PulledFile {
    /// Relative to the folder of the schema module: `mod.rs`, `enums.rs`, `chat.rs`.
    pub path: PathBuf,
    /// The Rust source.
    pub contents: String,
}

/// Something the derive cannot state, left as a `// TODO` in the files.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Warning {
    /// The table it is about; `None` for the schema as a whole.
    pub table: Option<String>,
    /// What was not declared and why, as the TODO says it.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.table {
            Some(table) => write!(f, "table \"{table}\": {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl Pulled {
    /// The file at `path` (`"chat.rs"`).
    pub fn file(&self, path: impl AsRef<Path>) -> Option<&PulledFile> {
        self.files.iter().find(|f| f.path == path.as_ref())
    }

    /// Writes every file into `dir`, creating it (and its parents) when missing, and returns
    /// the paths written. Files of the folder that are not part of the result stay as they are.
    ///
    /// # Errors
    ///
    /// When the folder cannot be created or a file cannot be written.
    pub fn write(&self, dir: impl AsRef<Path>) -> std::io::Result<Vec<PathBuf>> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir)?;
        let mut written = Vec::new();
        for f in &self.files {
            let path = dir.join(&f.path);
            std::fs::write(&path, &f.contents)?;
            written.push(path);
        }
        Ok(written)
    }
}

/// Reads the tables (plain and partitioned, not the migrations' bookkeeping table) and enum
/// types of `options.schema` and returns their declarations.
///
/// # Errors
///
/// Only when the catalog cannot be read (connection or permission problems); what cannot be
/// declared is a [`Warning`], not an error.
pub async fn pull(db: &Db, options: &PullOptions) -> Result<Pulled> {
    let conn = db.conn().await?;
    let found = introspect::Introspection::read(&conn, &options.schema).await?;
    drop(conn);
    let database = options
        .database_name
        .clone()
        .unwrap_or_else(|| found.database.clone());
    let schema = options.schema.as_str();
    let decls = declare::declare(&found, schema);

    let mut files = vec![PulledFile {
        path: PathBuf::from("mod.rs"),
        contents: file::module(&decls, &database, schema),
    }];
    if !decls.enums.is_empty() {
        files.push(PulledFile {
            path: PathBuf::from("enums.rs"),
            contents: file::enums(&decls.enums, &database, schema),
        });
    }
    let mut tables: Vec<PulledFile> = decls
        .tables
        .iter()
        .map(|t| PulledFile {
            path: PathBuf::from(format!("{}.rs", t.names.file)),
            contents: file::table(t, &database, schema),
        })
        .collect();
    tables.sort_by(|a, b| a.path.cmp(&b.path));
    files.extend(tables);

    let mut warnings: Vec<Warning> = decls
        .todos
        .iter()
        .map(|message| Warning {
            table: None,
            message: message.clone(),
        })
        .collect();
    let mut by_file: Vec<&declare::TableDecl> = decls.tables.iter().collect();
    by_file.sort_by(|a, b| a.names.file.cmp(&b.names.file));
    for t in by_file {
        warnings.extend(t.todos().map(|message| Warning {
            table: Some(t.table.clone()),
            message: message.to_owned(),
        }));
    }
    Ok(Pulled { files, warnings })
}
