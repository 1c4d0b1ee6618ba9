//! `generate`: the migration that takes the migrated database to the table declarations.
//!
//! [`plan`] builds a scratch database from the migrations (never the user's database: a fresh
//! one on the same server, dropped afterwards), runs the [drift check](crate::drift) on it and
//! turns each [`Difference`] into statements: create and drop tables, add, drop and alter
//! columns (type with `USING`, nullability, default), the primary key, indexes (`CREATE INDEX
//! CONCURRENTLY` in a migration that runs outside a transaction when asked), enum labels
//! (`ALTER TYPE .. ADD VALUE`), foreign keys and checks.
//!
//! Before it answers, it applies its own statements to the scratch database and checks again:
//! what it plans to apply is known to run, and to leave no difference but the steps it left
//! out on purpose, which are:
//!
//! - **destructive** steps (dropping a column or a table, a type change that may lose data or
//!   fail on existing rows): written commented out with a warning, unless
//!   [`Options::allow_destructive`];
//! - steps it **cannot express** (a type PostgreSQL cannot cast, an enum label removed,
//!   renamed or reordered): written as a comment that says so, and
//!   [`Plan::is_complete`] is `false` (the command line then exits non-zero).

use std::fmt::Write as _;

use crate::drift::{self, Difference};
use crate::executor::Sealed as _;
use crate::meta::{EnumMeta, TableMeta};
use crate::migrate::{self, Migration, NO_TRANSACTION};
use crate::sql::{literal, quoted_ident as ident, quoted_table as relation};
use crate::testing::TestDb;
use crate::{Db, Error, ErrorKind, Result, Schema};

/// How [`plan`] writes what it finds.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Write destructive steps as statements instead of comments.
    pub allow_destructive: bool,
    /// Create indexes on existing tables with `CREATE INDEX CONCURRENTLY`, which does not
    /// block writes; the migration then runs outside a transaction.
    pub concurrently: bool,
}

/// What a step of a [`Plan`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// Applied by the migration.
    Apply,
    /// May lose data: commented out unless destructive steps are allowed.
    Destructive,
    /// Cannot be written as SQL here: a comment says what to do by hand.
    Unexpressible,
}

/// One step of a [`Plan`]: statements for one difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Applied, destructive or not expressible.
    pub kind: StepKind,
    /// The statements, each ending with `;` (empty for a step that cannot be expressed).
    pub sql: String,
    /// Why the step is destructive or cannot be expressed, or what to watch for.
    pub note: Option<String>,
}

/// The statements that take the migrated database to the declarations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The steps, in the order they run.
    pub steps: Vec<Step>,
    /// Whether the migration must run outside a transaction (`CREATE INDEX CONCURRENTLY`,
    /// `ALTER TYPE .. ADD VALUE`).
    pub no_transaction: bool,
    /// Whether destructive steps are written as statements.
    pub allow_destructive: bool,
    /// The differences left on the scratch database once the written statements ran: those
    /// of the steps left out (destructive or not expressible).
    pub remaining: Vec<Difference>,
}

impl Plan {
    /// Whether there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// Whether every difference became a statement or a destructive step left out on purpose:
    /// `false` when a step must be written by hand.
    pub fn is_complete(&self) -> bool {
        !self.steps.iter().any(|s| s.kind == StepKind::Unexpressible)
    }

    /// The steps that are applied as they are written.
    fn applied(&self) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(move |s| match s.kind {
            StepKind::Apply => true,
            StepKind::Destructive => self.allow_destructive,
            StepKind::Unexpressible => false,
        })
    }

    /// The migration file's text; `after` names the migration it follows.
    pub fn to_sql(&self, after: Option<&str>) -> String {
        let mut out = String::from("-- Written by `generate`: ");
        match after {
            Some(last) => {
                let _ = writeln!(
                    out,
                    "takes a database migrated up to {last} to the table declarations."
                );
            }
            None => out.push_str("creates the declared schema in an empty database.\n"),
        }
        out.push_str("-- Review it before it is applied.\n");
        if self.no_transaction {
            out.push_str(NO_TRANSACTION);
            out.push('\n');
            out.push_str(
                "-- (runs statement by statement: when one fails, those before it stay applied \
                 and `status` shows the file as failed)\n",
            );
        }
        for step in &self.steps {
            out.push('\n');
            let commented = match step.kind {
                StepKind::Apply => false,
                StepKind::Destructive => !self.allow_destructive,
                StepKind::Unexpressible => true,
            };
            if let Some(note) = &step.note {
                let label = match step.kind {
                    StepKind::Apply => "NOTE",
                    StepKind::Destructive if self.allow_destructive => "DESTRUCTIVE",
                    StepKind::Destructive => {
                        "DESTRUCTIVE, left commented out (uncomment after review, or run \
                         `generate --allow-destructive`)"
                    }
                    StepKind::Unexpressible => "CANNOT BE GENERATED, write this step by hand",
                };
                let _ = writeln!(out, "-- {label}: {note}");
            }
            for line in step.sql.lines() {
                if commented {
                    let _ = writeln!(out, "-- {line}");
                } else {
                    let _ = writeln!(out, "{line}");
                }
            }
        }
        out
    }
}

/// Plans the migration that takes a database migrated with `migrations` to `schema`'s
/// declarations, on a scratch database built on the server of `server_url`.
///
/// # Errors
///
/// When the scratch database cannot be built (a migration fails), the catalog cannot be read,
/// or the planned statements fail on the scratch database (a bug worth reporting, with the
/// declarations that caused it).
pub async fn plan(
    server_url: &str,
    schema: &Schema,
    migrations: &[Migration],
    options: Options,
) -> Result<Plan> {
    let scratch = TestDb::create_at(server_url, migrations, &[]).await?;
    let result = plan_on(scratch.db(), schema, migrations, options).await;
    let dropped = scratch.drop_database().await;
    let plan = result?;
    dropped?;
    Ok(plan)
}

async fn plan_on(
    db: &Db,
    schema: &Schema,
    migrations: &[Migration],
    options: Options,
) -> Result<Plan> {
    let differences = drift::check(db, schema.tables, schema.enums).await?;
    let undeclared = undeclared_tables(db, schema.tables).await?;
    let mut planner = Planner {
        db,
        tables: schema.tables,
        enums: schema.enums,
        options,
        buckets: Default::default(),
        no_transaction: false,
        type_changed: Vec::new(),
    };
    for d in &differences {
        planner.difference(d, &differences).await?;
    }
    for relation in &undeclared {
        planner.push(
            Bucket::DropTable,
            StepKind::Destructive,
            format!("DROP TABLE {relation};"),
            Some(format!(
                "table {relation} is not declared: dropping it deletes its rows"
            )),
        );
    }
    let mut plan = Plan {
        steps: planner.buckets.into_iter().flatten().collect(),
        no_transaction: planner.no_transaction,
        allow_destructive: options.allow_destructive,
        remaining: Vec::new(),
    };
    if plan.is_empty() {
        return Ok(plan);
    }
    verify(db, schema, migrations, &mut plan).await?;
    Ok(plan)
}

/// Applies the plan's statements to the scratch database as the next migration, then checks
/// the declarations again and keeps what is left.
async fn verify(db: &Db, schema: &Schema, migrations: &[Migration], plan: &mut Plan) -> Result<()> {
    let written: String = plan.applied().map(|s| format!("{}\n", s.sql)).collect();
    if !written.is_empty() {
        let mut sql = String::new();
        if plan.no_transaction {
            sql.push_str(NO_TRANSACTION);
            sql.push('\n');
        }
        sql.push_str(&written);
        let version = migrations.iter().map(|m| m.version).max().unwrap_or(0) + 1;
        let mut all = migrations.to_vec();
        // `migrate` takes `'static` text (embedded files); this one is leaked, once per plan.
        let sql: &'static str = Box::leak(sql.into_boxed_str());
        all.push(Migration {
            version,
            name: "generated",
            sql,
        });
        migrate::migrate(db, &all).await.map_err(|e| {
            Error::new(
                ErrorKind::Migration,
                format!(
                    "the generated statements fail on a database built from the migrations, so \
                     no file was written: {e}"
                ),
            )
        })?;
    }
    plan.remaining = drift::check(db, schema.tables, schema.enums).await?;
    // A dropped table is not in the drift check: it is left when its step was left out.
    Ok(())
}

/// Tables of the schemas the declarations use (the first schema of the `search_path` and
/// every `#[table(schema = ..)]`) that no declaration names.
async fn undeclared_tables(db: &Db, tables: &[&TableMeta]) -> Result<Vec<String>> {
    let conn = db.conn().await?;
    let rows = conn.__query("SELECT current_schema()::text", &[]).await?;
    let current: Option<String> = match rows.first() {
        Some(r) => r.try_get(0).map_err(Error::from_pg)?,
        None => None,
    };
    let mut schemas: Vec<String> = current.into_iter().collect();
    for s in tables.iter().filter_map(|t| t.schema) {
        if !schemas.iter().any(|x| x == s) {
            schemas.push(s.to_owned());
        }
    }
    let declared: Vec<String> = tables.iter().map(|t| bare(&relation(t))).collect();
    let mut out = Vec::new();
    for schema in &schemas {
        for found in drift::catalog::tables_in_schema(&conn, schema).await? {
            if !declared.contains(&bare(&found)) {
                out.push(found);
            }
        }
    }
    Ok(out)
}

/// A relation name without quotes, to compare `"users"` with `users`.
fn bare(relation: &str) -> String {
    relation.replace('"', "")
}

/// Where a step runs: schemas and types first, drops of what depends on the old shape before
/// the changes, foreign keys once every table and key exists, table drops last.
#[derive(Clone, Copy)]
enum Bucket {
    Types,
    CreateTable,
    DropConstraint,
    DropIndex,
    Column,
    DropColumn,
    PrimaryKey,
    CreateIndex,
    AddCheck,
    AddForeignKey,
    DropTable,
}

const BUCKETS: usize = 11;

struct Planner<'a> {
    db: &'a Db,
    tables: &'a [&'static TableMeta],
    enums: &'a [&'static EnumMeta],
    options: Options,
    buckets: [Vec<Step>; BUCKETS],
    no_transaction: bool,
    /// Columns (table, column) whose type change also set their default: the drift check
    /// reports a column's type before its default, so the default's own step is skipped.
    type_changed: Vec<(String, String)>,
}

impl Planner<'_> {
    fn push(&mut self, bucket: Bucket, kind: StepKind, sql: String, note: Option<String>) {
        self.buckets[bucket as usize].push(Step { kind, sql, note });
    }

    fn table(&self, display: &str) -> Option<&'static TableMeta> {
        self.tables
            .iter()
            .copied()
            .find(|t| t.display_name() == display)
    }

    fn enum_meta(&self, name: &str) -> Option<&'static EnumMeta> {
        let used = self.tables.iter().flat_map(|t| t.enums());
        self.enums
            .iter()
            .copied()
            .chain(used)
            .find(|e| e.name == name)
    }

    fn alter(&self, t: &TableMeta, action: &str) -> String {
        format!("ALTER TABLE {} {action};", relation(t))
    }

    async fn difference(&mut self, d: &Difference, all: &[Difference]) -> Result<()> {
        match d {
            Difference::MissingEnum { name } => {
                if let Some(e) = self.enum_meta(name) {
                    self.push(Bucket::Types, StepKind::Apply, e.ddl(), None);
                }
                return Ok(());
            }
            Difference::EnumLabels {
                name,
                expected,
                found,
            } => {
                self.enum_labels(name, expected, found);
                return Ok(());
            }
            _ => {}
        }
        // Every other difference names a declared table.
        let Some(t) = table_of(d).and_then(|name| self.table(name)) else {
            return Ok(());
        };
        match d {
            Difference::MissingEnum { .. } | Difference::EnumLabels { .. } => {}
            Difference::MissingTable { .. } => {
                let mut sql = String::new();
                if let Some(schema) = t.schema {
                    let _ = writeln!(sql, "CREATE SCHEMA IF NOT EXISTS {};", ident(schema));
                }
                sql.push_str(t.ddl().trim_end());
                self.push(Bucket::CreateTable, StepKind::Apply, sql, None);
                let fks = t.foreign_key_ddl();
                if !fks.is_empty() {
                    let sql = fks.trim_end().to_owned();
                    self.push(Bucket::AddForeignKey, StepKind::Apply, sql, None);
                }
            }
            Difference::MissingColumn { table, column, .. } => {
                let Some(c) = t.column(column) else {
                    return Ok(());
                };
                let note = (!c.nullable && c.effective_default().is_none()).then(|| {
                    format!(
                        "`{table}.{column}` is NOT NULL without a default: this fails while \
                         `{table}` has rows (add it NULL, fill it, then SET NOT NULL)"
                    )
                });
                let sql = self.alter(t, &format!("ADD COLUMN {}", c.definition()));
                self.push(Bucket::Column, StepKind::Apply, sql, note);
            }
            Difference::ExtraColumn { table, column, .. } => {
                let sql = self.alter(t, &format!("DROP COLUMN {}", ident(column)));
                let note = format!(
                    "column `{table}.{column}` is not declared: dropping it deletes its data"
                );
                self.push(Bucket::DropColumn, StepKind::Destructive, sql, Some(note));
            }
            Difference::ColumnType {
                column,
                expected,
                found,
                ..
            } => self.column_type(t, column, expected, found, all).await?,
            Difference::ColumnNullable {
                table,
                column,
                expected,
                ..
            } => {
                let (action, note) = if *expected {
                    ("DROP NOT NULL", None)
                } else {
                    (
                        "SET NOT NULL",
                        Some(format!(
                            "fails while `{table}.{column}` holds NULLs: fill them first"
                        )),
                    )
                };
                let sql = self.alter(t, &format!("ALTER COLUMN {} {action}", ident(column)));
                self.push(Bucket::Column, StepKind::Apply, sql, note);
            }
            Difference::ColumnDefault {
                table,
                column,
                expected,
                ..
            } => {
                if self.type_changed.contains(&(table.clone(), column.clone())) {
                    return Ok(());
                }
                let action = match expected {
                    Some(d) => format!("SET DEFAULT {d}"),
                    None => "DROP DEFAULT".to_owned(),
                };
                let sql = self.alter(t, &format!("ALTER COLUMN {} {action}", ident(column)));
                self.push(Bucket::Column, StepKind::Apply, sql, None);
            }
            Difference::PrimaryKey {
                expected, found, ..
            } => {
                let mut sql = String::new();
                if !found.is_empty() {
                    let name = self.constraint(t, 'p').await?;
                    let name = name.unwrap_or_else(|| format!("{}_pkey", t.name));
                    sql.push_str(&self.alter(t, &format!("DROP CONSTRAINT {}", ident(&name))));
                    sql.push('\n');
                }
                let columns: Vec<String> = expected.iter().map(|c| ident(c)).collect();
                sql.push_str(&self.alter(t, &format!("ADD PRIMARY KEY ({})", columns.join(", "))));
                self.push(Bucket::PrimaryKey, StepKind::Apply, sql, None);
            }
            Difference::MissingIndex { index, .. } => {
                let Some(idx) = t.indexes.iter().find(|i| i.name == index) else {
                    return Ok(());
                };
                let sql = format!("{};", t.index_ddl(idx, self.options.concurrently));
                self.no_transaction |= self.options.concurrently;
                self.push(Bucket::CreateIndex, StepKind::Apply, sql, None);
            }
            Difference::IndexDefinition { index, .. } => {
                let Some(idx) = t.indexes.iter().find(|i| i.name == index) else {
                    return Ok(());
                };
                let drop = self.drop_index(t, index).await?;
                self.push(Bucket::DropIndex, StepKind::Apply, drop, None);
                let sql = format!("{};", t.index_ddl(idx, self.options.concurrently));
                self.no_transaction |= self.options.concurrently;
                self.push(Bucket::CreateIndex, StepKind::Apply, sql, None);
            }
            Difference::ExtraUniqueIndex { index, .. } => {
                let drop = self.drop_index(t, index).await?;
                let note = format!(
                    "unique index `{index}` is not declared: without it, rows it refused are \
                     accepted"
                );
                self.push(Bucket::DropIndex, StepKind::Apply, drop, Some(note));
            }
            Difference::MissingForeignKey { name, .. } => {
                if let Some(fk) = t.foreign_keys.iter().find(|f| f.name == name) {
                    let note = "fails while a row references a missing key".to_owned();
                    self.add_foreign_key(t, fk, Some(note));
                }
            }
            Difference::ForeignKeyDefinition { name, expected, .. } => {
                self.drop_constraint(t, name);
                if let Some(fk) = t.foreign_keys.iter().find(|f| f.definition() == *expected) {
                    self.add_foreign_key(t, fk, None);
                }
            }
            Difference::ExtraForeignKey { name, .. } | Difference::ExtraCheck { name, .. } => {
                self.drop_constraint(t, name);
            }
            Difference::MissingCheck { name, expected, .. } => {
                let note = "fails while a row breaks the check".to_owned();
                self.add_check(t, name, expected, Some(note));
            }
            Difference::CheckDefinition { name, expected, .. } => {
                self.drop_constraint(t, name);
                self.add_check(t, name, expected, None);
            }
        }
        Ok(())
    }

    fn drop_constraint(&mut self, t: &TableMeta, name: &str) {
        let sql = self.alter(t, &format!("DROP CONSTRAINT {}", ident(name)));
        self.push(Bucket::DropConstraint, StepKind::Apply, sql, None);
    }

    fn add_foreign_key(
        &mut self,
        t: &TableMeta,
        fk: &crate::meta::ForeignKeyMeta,
        note: Option<String>,
    ) {
        let sql = self.alter(
            t,
            &format!("ADD CONSTRAINT {} {}", ident(fk.name), fk.definition()),
        );
        self.push(Bucket::AddForeignKey, StepKind::Apply, sql, note);
    }

    fn add_check(&mut self, t: &TableMeta, name: &str, expression: &str, note: Option<String>) {
        let sql = self.alter(
            t,
            &format!("ADD CONSTRAINT {} CHECK ({expression})", ident(name)),
        );
        self.push(Bucket::AddCheck, StepKind::Apply, sql, note);
    }

    /// Labels may be added (anywhere); a label removed, renamed or moved cannot be written as
    /// `ALTER TYPE`.
    fn enum_labels(&mut self, name: &str, expected: &[String], found: &[String]) {
        let kept: Vec<&String> = expected.iter().filter(|l| found.contains(l)).collect();
        let in_order = kept.iter().copied().eq(found.iter());
        if !in_order {
            let note = format!(
                "enum type `{name}` goes from ({}) to ({}): labels can only be added; removing, \
                 renaming or reordering one means a new type and converting the columns",
                found.join(", "),
                expected.join(", ")
            );
            self.push(
                Bucket::Types,
                StepKind::Unexpressible,
                String::new(),
                Some(note),
            );
            return;
        }
        let mut sql = String::new();
        for (i, label) in expected.iter().enumerate() {
            if found.contains(label) {
                continue;
            }
            let position = match i.checked_sub(1).and_then(|p| expected.get(p)) {
                Some(before) => format!(" AFTER {}", literal(before)),
                None => match found.first() {
                    Some(first) => format!(" BEFORE {}", literal(first)),
                    None => String::new(),
                },
            };
            let _ = writeln!(
                sql,
                "ALTER TYPE {} ADD VALUE IF NOT EXISTS {}{position};",
                ident(name),
                literal(label)
            );
        }
        // A label added in a transaction cannot be used before it commits: the file runs
        // statement by statement.
        self.no_transaction = true;
        let sql = sql.trim_end().to_owned();
        self.push(Bucket::Types, StepKind::Apply, sql, None);
    }

    async fn column_type(
        &mut self,
        t: &TableMeta,
        column: &str,
        expected: &str,
        found: &str,
        all: &[Difference],
    ) -> Result<()> {
        let Some(c) = t.column(column) else {
            return Ok(());
        };
        let table = t.display_name();
        let target = c.sql_type.to_string();
        if !self.casts(found, &target).await {
            let note = format!(
                "column `{table}.{column}` goes from {found} to {expected}, and PostgreSQL has \
                 no cast between them: convert it by hand (a new column filled by an \
                 expression, or `ALTER COLUMN .. TYPE .. USING <expression>`)"
            );
            self.push(
                Bucket::Column,
                StepKind::Unexpressible,
                String::new(),
                Some(note),
            );
            return Ok(());
        }
        let col = ident(column);
        let mut sql = String::new();
        let default_changes = all.iter().any(|d| {
            matches!(d, Difference::ColumnDefault { table: dt, column: dc, .. }
                if *dt == table && dc == column)
        });
        // The old default may not cast to the new type: set again after the change.
        if default_changes || c.effective_default().is_some() {
            sql.push_str(&self.alter(t, &format!("ALTER COLUMN {col} DROP DEFAULT")));
            sql.push('\n');
        }
        sql.push_str(&self.alter(
            t,
            &format!("ALTER COLUMN {col} TYPE {target} USING {col}::{target}"),
        ));
        if let Some(d) = c.effective_default() {
            sql.push('\n');
            sql.push_str(&self.alter(t, &format!("ALTER COLUMN {col} SET DEFAULT {d}")));
        }
        self.type_changed.push((table.clone(), column.to_owned()));
        if widens(found, &target) {
            self.push(Bucket::Column, StepKind::Apply, sql, None);
        } else {
            let note = format!(
                "column `{table}.{column}` goes from {found} to {expected}: values that do not \
                 fit make the statement fail, or lose precision"
            );
            self.push(Bucket::Column, StepKind::Destructive, sql, Some(note));
        }
        Ok(())
    }

    /// Whether PostgreSQL can cast `from` to `to` (asked of the scratch database).
    async fn casts(&self, from: &str, to: &str) -> bool {
        let Ok(conn) = self.db.conn().await else {
            return false;
        };
        let sql = format!("SELECT CAST(CAST(NULL AS {from}) AS {to}) IS NULL");
        conn.__query(&sql, &[]).await.is_ok()
    }

    /// The name of `t`'s constraint of kind `kind` (`p` primary key, `u` unique), if any.
    async fn constraint(&self, t: &TableMeta, kind: char) -> Result<Option<String>> {
        let conn = self.db.conn().await?;
        let rows = conn
            .__query(
                "SELECT conname::text FROM pg_constraint \
                 WHERE conrelid = to_regclass($1) AND contype = $2::text::\"char\"",
                &[&relation(t), &kind.to_string()],
            )
            .await?;
        match rows.first() {
            Some(r) => Ok(Some(r.try_get(0).map_err(Error::from_pg)?)),
            None => Ok(None),
        }
    }

    /// `DROP INDEX`, or `DROP CONSTRAINT` when the index is a unique constraint's.
    async fn drop_index(&self, t: &TableMeta, index: &str) -> Result<String> {
        let conn = self.db.conn().await?;
        let rows = conn
            .__query(
                "SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass($1) AND conname = $2",
                &[&relation(t), &index],
            )
            .await?;
        if rows.is_empty() {
            let qualified = match t.schema {
                Some(schema) => format!("{}.{}", ident(schema), ident(index)),
                None => ident(index),
            };
            Ok(format!("DROP INDEX {qualified};"))
        } else {
            Ok(self.alter(t, &format!("DROP CONSTRAINT {}", ident(index))))
        }
    }
}

/// The table a difference is about; `None` for an enum type's.
fn table_of(d: &Difference) -> Option<&str> {
    Some(match d {
        Difference::MissingEnum { .. } | Difference::EnumLabels { .. } => return None,
        Difference::MissingTable { table }
        | Difference::MissingColumn { table, .. }
        | Difference::ExtraColumn { table, .. }
        | Difference::ColumnType { table, .. }
        | Difference::ColumnNullable { table, .. }
        | Difference::ColumnDefault { table, .. }
        | Difference::PrimaryKey { table, .. }
        | Difference::MissingIndex { table, .. }
        | Difference::IndexDefinition { table, .. }
        | Difference::ExtraUniqueIndex { table, .. }
        | Difference::MissingForeignKey { table, .. }
        | Difference::ForeignKeyDefinition { table, .. }
        | Difference::ExtraForeignKey { table, .. }
        | Difference::MissingCheck { table, .. }
        | Difference::CheckDefinition { table, .. }
        | Difference::ExtraCheck { table, .. } => table,
    })
}

/// Whether every `from` value fits `to` unchanged: integers to wider integers or numeric,
/// `real` to `double precision`, strings to longer or unbounded strings.
fn widens(from: &str, to: &str) -> bool {
    let (from, to) = (from.trim(), to.trim());
    let length = |t: &str, base: &str| -> Option<Option<u32>> {
        let rest = t.strip_prefix(base)?;
        if rest.is_empty() {
            return Some(None);
        }
        let n = rest.strip_prefix('(')?.strip_suffix(')')?;
        n.trim().parse().ok().map(Some)
    };
    let rank = |t: &str| match t {
        "smallint" | "int2" => Some(1),
        "integer" | "int" | "int4" => Some(2),
        "bigint" | "int8" => Some(3),
        "numeric" | "decimal" => Some(4),
        _ => None,
    };
    if let (Some(a), Some(b)) = (rank(from), rank(to)) {
        return a < b;
    }
    if matches!(from, "real" | "float4") && matches!(to, "double precision" | "float8") {
        return true;
    }
    let string = |t: &str| {
        length(t, "character varying")
            .or_else(|| length(t, "varchar"))
            .or_else(|| length(t, "character"))
            .or_else(|| length(t, "char"))
            .or_else(|| (t == "text").then_some(None))
    };
    match (string(from), string(to)) {
        (Some(_), Some(None)) => true,
        (Some(Some(a)), Some(Some(b))) => a <= b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widening_type_changes_are_not_destructive() {
        assert!(widens("integer", "bigint"));
        assert!(widens("smallint", "numeric"));
        assert!(widens("character varying(20)", "text"));
        assert!(widens("character varying(20)", "varchar(40)"));
        assert!(widens("real", "double precision"));
        assert!(!widens("bigint", "integer"));
        assert!(!widens("text", "character varying(20)"));
        assert!(!widens("character varying(40)", "varchar(20)"));
        assert!(!widens("text", "uuid"));
        assert!(!widens(
            "timestamp without time zone",
            "timestamp with time zone"
        ));
    }

    #[test]
    fn left_out_steps_are_comments_that_say_why() {
        let plan = Plan {
            steps: vec![
                Step {
                    kind: StepKind::Apply,
                    sql: "ALTER TABLE \"t\" ADD COLUMN \"a\" text;".into(),
                    note: None,
                },
                Step {
                    kind: StepKind::Destructive,
                    sql: "ALTER TABLE \"t\" DROP COLUMN \"b\";".into(),
                    note: Some("drops b".into()),
                },
                Step {
                    kind: StepKind::Unexpressible,
                    sql: String::new(),
                    note: Some("no cast".into()),
                },
            ],
            no_transaction: false,
            allow_destructive: false,
            remaining: Vec::new(),
        };
        let sql = plan.to_sql(Some("0001_t.sql"));
        assert!(
            sql.contains("\nALTER TABLE \"t\" ADD COLUMN \"a\" text;\n"),
            "{sql}"
        );
        assert!(
            sql.contains("\n-- ALTER TABLE \"t\" DROP COLUMN \"b\";\n"),
            "{sql}"
        );
        assert!(
            sql.contains("-- CANNOT BE GENERATED, write this step by hand: no cast"),
            "{sql}"
        );
        assert!(!plan.is_complete());
        let allowed = Plan {
            allow_destructive: true,
            ..plan
        };
        assert!(
            allowed
                .to_sql(None)
                .contains("\nALTER TABLE \"t\" DROP COLUMN \"b\";\n")
        );
    }
}
