//! One schema of a database as `pull` reads it: plain data, filled in by the drift check's
//! catalog queries (`Introspection::read`, at the end of `drift/catalog.rs`, where those
//! queries live), so that the rest of `pull` is text and needs no connection.

/// The tables and enum types of one schema.
pub(crate) struct Introspection {
    /// `current_database()`.
    pub(crate) database: String,
    /// Sorted by name.
    pub(crate) tables: Vec<FoundTable>,
    /// Sorted by name.
    pub(crate) enums: Vec<FoundEnum>,
}

/// An enum type.
pub(crate) struct FoundEnum {
    pub(crate) name: String,
    /// How `format_type` prints the type in this session (`chat_type`, `"Mood"`,
    /// `legacy.mood`): what a column of the type shows as its type name.
    pub(crate) printed: String,
    /// In sort order.
    pub(crate) labels: Vec<String>,
    /// `COMMENT ON TYPE`.
    pub(crate) comment: Option<String>,
}

/// A table (plain or partitioned).
pub(crate) struct FoundTable {
    /// The bare name (`pg_class.relname`).
    pub(crate) name: String,
    /// `COMMENT ON TABLE`.
    pub(crate) comment: Option<String>,
    /// In position order.
    pub(crate) columns: Vec<FoundColumn>,
    /// By name; the primary key's index among them.
    pub(crate) indexes: Vec<FoundIndex>,
    /// By constraint name.
    pub(crate) foreign_keys: Vec<FoundForeignKey>,
    /// By constraint name.
    pub(crate) checks: Vec<FoundCheck>,
}

/// A live column.
pub(crate) struct FoundColumn {
    pub(crate) name: String,
    /// `format_type(atttypid, atttypmod)`: `text`, `character varying(20)`, `integer[]`.
    pub(crate) type_name: String,
    pub(crate) nullable: bool,
    /// `pg_get_expr` of its default (for a generated column: its expression).
    pub(crate) default: Option<String>,
    /// `COMMENT ON COLUMN`.
    pub(crate) comment: Option<String>,
    /// `ALWAYS` or `BY DEFAULT` for an identity column.
    pub(crate) identity: Option<&'static str>,
    /// A generated (`STORED`) column.
    pub(crate) generated: bool,
}

/// An index, as `pg_index` and `pg_get_indexdef` have it.
pub(crate) struct FoundIndex {
    pub(crate) name: String,
    /// Key columns (unquoted) or expressions, in order.
    pub(crate) columns: Vec<String>,
    pub(crate) unique: bool,
    pub(crate) primary: bool,
    /// `pg_get_expr` of the partial-index predicate.
    pub(crate) predicate: Option<String>,
    pub(crate) nulls_not_distinct: bool,
    /// `btree`, `gin`, …
    pub(crate) method: String,
    /// `pg_get_indexdef`: the whole `CREATE INDEX` statement.
    pub(crate) definition: String,
    /// Every key is a plain column (no expression).
    pub(crate) plain_columns: bool,
    /// Nothing beyond keys and predicate: no `INCLUDE` columns, no operator class, sort
    /// order or collation other than the default, and the index is valid.
    pub(crate) default_options: bool,
}

/// A foreign key, as the drift check's catalog query reads it.
pub(crate) type FoundForeignKey = crate::drift::catalog::ForeignKey;

/// A CHECK constraint, as the drift check's catalog query reads it.
pub(crate) type FoundCheck = crate::drift::catalog::Check;
