//! The one error type of buster-db and the kinds callers match on.

use std::fmt;

/// What went wrong, in the terms a caller acts on.
///
/// Match on [`Error::kind`] rather than on messages: messages may change, kinds do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The statement matched no (live) row where one was required.
    NotFound,
    /// Input was refused before any SQL ran; [`Error::field`] names the field.
    Validation,
    /// A unique constraint or index was violated (SQLSTATE 23505); see [`Error::constraint`].
    UniqueViolation,
    /// A foreign key was violated (SQLSTATE 23503).
    ForeignKeyViolation,
    /// A NOT NULL column received NULL (SQLSTATE 23502).
    NotNullViolation,
    /// A CHECK constraint failed (SQLSTATE 23514).
    CheckViolation,
    /// The transaction could not be serialized (SQLSTATE 40001); retrying it may succeed.
    SerializationFailure,
    /// The transaction was chosen as a deadlock victim (SQLSTATE 40P01); retrying it may succeed.
    Deadlock,
    /// No pooled connection became available within the configured wait.
    PoolTimeout,
    /// The connection to the server failed, was closed or was terminated by the server.
    Connection,
    /// The server cancelled the statement (SQLSTATE 57014), e.g. on `statement_timeout`.
    QueryCanceled,
    /// A value read from the database did not fit the Rust type of its column, or a value could
    /// not be encoded for the server (for example text containing a NUL byte).
    Conversion,
    /// The configuration was invalid (for example a malformed `DATABASE_URL`).
    Config,
    /// A migration could not be applied or was changed after it had been applied.
    Migration,
    /// A write reached a server or transaction that only reads (SQLSTATE 25006): a standby, a
    /// `READ ONLY` transaction, or a primary demoted after a failover. Never retried: the write
    /// did not happen.
    ReadOnly,
    /// Any other database error; [`Error::code`] gives its SQLSTATE.
    Database,
}

/// The error of every buster-db operation.
///
/// Cheap to move (one pointer). Neither `Display` nor `Debug` ever contains a password.
pub struct Error(Box<Inner>);

struct Inner {
    kind: ErrorKind,
    message: String,
    code: Option<String>,
    constraint: Option<String>,
    table: Option<String>,
    column: Option<String>,
    field: Option<String>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// Result alias used across buster-db.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error(Box::new(Inner {
            kind,
            message: message.into(),
            code: None,
            constraint: None,
            table: None,
            column: None,
            field: None,
            source: None,
        }))
    }

    /// A validation error for `field`, for queries that check their input before running SQL.
    ///
    /// ```
    /// let e = buster_db::Error::validation("email", "must contain `@`");
    /// assert_eq!(e.kind(), buster_db::ErrorKind::Validation);
    /// assert_eq!(e.field(), Some("email"));
    /// ```
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Error {
        let field = field.into();
        let mut e = Error::new(
            ErrorKind::Validation,
            format!("invalid `{field}`: {}", message.into()),
        );
        e.0.field = Some(field);
        e
    }

    /// The same error with its [`field`](Error::field) named as a part of `parent`
    /// (`name` becomes `organization.name`), for params that hold other params. Errors that
    /// name no field are returned unchanged.
    ///
    /// ```
    /// let e = buster_db::Error::validation("name", "must not be empty").within("organization");
    /// assert_eq!(e.field(), Some("organization.name"));
    /// assert_eq!(e.to_string(), "invalid `organization.name`: must not be empty");
    /// ```
    pub fn within(mut self, parent: &str) -> Error {
        if let Some(field) = self.0.field.take() {
            let nested = format!("{parent}.{field}");
            self.0.message =
                self.0
                    .message
                    .replacen(&format!("`{field}`"), &format!("`{nested}`"), 1);
            self.0.field = Some(nested);
        }
        self
    }

    /// A not-found error for `table`.
    pub fn not_found(table: &str) -> Error {
        let mut e = Error::new(
            ErrorKind::NotFound,
            format!("no live row found in `{table}`"),
        );
        e.0.table = Some(table.to_owned());
        e
    }

    pub(crate) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        self.0.source = Some(Box::new(source));
        self
    }

    pub(crate) fn with_column(mut self, column: &str) -> Error {
        self.0.column = Some(column.to_owned());
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The SQLSTATE code reported by the server, if the error came from it.
    pub fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }

    /// The violated constraint or index name, for constraint violations.
    pub fn constraint(&self) -> Option<&str> {
        self.0.constraint.as_deref()
    }

    /// The table involved, when known.
    pub fn table(&self) -> Option<&str> {
        self.0.table.as_deref()
    }

    /// The column involved, when known.
    pub fn column(&self) -> Option<&str> {
        self.0.column.as_deref()
    }

    /// The invalid input field, for [`ErrorKind::Validation`].
    pub fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }

    /// Whether re-running the whole transaction may succeed (serialization failure or deadlock).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.0.kind,
            ErrorKind::SerializationFailure | ErrorKind::Deadlock
        )
    }

    /// Converts a driver error, classifying it with [`classify`].
    pub(crate) fn from_pg(err: tokio_postgres::Error) -> Error {
        let kind = classify(&err).kind();
        let Some(db) = err.as_db_error() else {
            let message = crate::config::redact(&err.to_string());
            return Error::new(kind, message).with_source(err);
        };
        let mut message = db.message().to_owned();
        if let Some(detail) = db.detail() {
            message.push_str(": ");
            message.push_str(detail);
        }
        let mut e = Error::new(kind, message);
        e.0.code = Some(db.code().code().to_owned());
        e.0.constraint = db.constraint().map(str::to_owned);
        e.0.table = db.table().map(str::to_owned);
        e.0.column = db.column().map(str::to_owned);
        e.with_source(err)
    }
}

/// What a driver error means to the runtime. Every decision about a `tokio_postgres::Error`
/// (the kind a caller sees, whether a cached statement is re-prepared, whether a connection is
/// usable) is made from this, so the rules live in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cause {
    /// The server answered with an error of this kind.
    Server(ErrorKind),
    /// The server refused a cached statement whose plan or name went stale (`0A000` "cached plan
    /// must not change result type", `26000` unknown prepared statement): preparing it again
    /// may succeed.
    StaleStatement,
    /// A value could not be encoded for its parameter type; nothing was sent.
    Encode,
    /// A value read from the server did not fit its Rust type.
    Decode,
    /// The connection was closed or failed at the socket level.
    Closed,
    /// The connection settings were refused by the driver before connecting.
    Config,
    /// Anything else the driver reports.
    Other,
}

impl Cause {
    /// The kind of error a caller sees.
    pub(crate) fn kind(self) -> ErrorKind {
        match self {
            Cause::Server(kind) => kind,
            Cause::StaleStatement | Cause::Other => ErrorKind::Database,
            Cause::Encode | Cause::Decode => ErrorKind::Conversion,
            Cause::Closed => ErrorKind::Connection,
            Cause::Config => ErrorKind::Config,
        }
    }
}

/// Classifies a driver error: by SQLSTATE when the server answered, else by what failed.
pub(crate) fn classify(err: &tokio_postgres::Error) -> Cause {
    use tokio_postgres::error::SqlState;
    let Some(db) = err.as_db_error() else {
        let text = err.to_string();
        return if text.starts_with("error serializing") {
            Cause::Encode
        } else if text.starts_with("error deserializing") {
            Cause::Decode
        } else if err.is_closed() || is_io(err) {
            Cause::Closed
        } else if text.starts_with("invalid configuration") {
            Cause::Config
        } else {
            Cause::Other
        };
    };
    let c = db.code();
    let kind = if *c == SqlState::UNIQUE_VIOLATION {
        ErrorKind::UniqueViolation
    } else if *c == SqlState::FOREIGN_KEY_VIOLATION {
        ErrorKind::ForeignKeyViolation
    } else if *c == SqlState::NOT_NULL_VIOLATION {
        ErrorKind::NotNullViolation
    } else if *c == SqlState::CHECK_VIOLATION {
        ErrorKind::CheckViolation
    } else if *c == SqlState::T_R_SERIALIZATION_FAILURE {
        ErrorKind::SerializationFailure
    } else if *c == SqlState::T_R_DEADLOCK_DETECTED {
        ErrorKind::Deadlock
    } else if *c == SqlState::QUERY_CANCELED {
        ErrorKind::QueryCanceled
    } else if *c == SqlState::READ_ONLY_SQL_TRANSACTION {
        ErrorKind::ReadOnly
    } else if *c == SqlState::ADMIN_SHUTDOWN
        || *c == SqlState::CRASH_SHUTDOWN
        || *c == SqlState::CANNOT_CONNECT_NOW
        || *c == SqlState::IDLE_IN_TRANSACTION_SESSION_TIMEOUT
        || c.code().starts_with("08")
    {
        ErrorKind::Connection
    } else if *c == SqlState::CHARACTER_NOT_IN_REPERTOIRE
        || *c == SqlState::UNTRANSLATABLE_CHARACTER
    {
        ErrorKind::Conversion
    } else if *c == SqlState::FEATURE_NOT_SUPPORTED || *c == SqlState::INVALID_SQL_STATEMENT_NAME {
        return Cause::StaleStatement;
    } else {
        ErrorKind::Database
    };
    Cause::Server(kind)
}

fn is_io(err: &tokio_postgres::Error) -> bool {
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        if s.is::<std::io::Error>() {
            return true;
        }
        source = s.source();
    }
    false
}

impl From<tokio_postgres::Error> for Error {
    fn from(err: tokio_postgres::Error) -> Error {
        Error::from_pg(err)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)?;
        if let Some(code) = &self.0.code {
            write!(f, " (SQLSTATE {code})")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.0.kind)
            .field("message", &self.0.message);
        if let Some(v) = &self.0.code {
            d.field("code", v);
        }
        if let Some(v) = &self.0.constraint {
            d.field("constraint", v);
        }
        if let Some(v) = &self.0.table {
            d.field("table", v);
        }
        if let Some(v) = &self.0.column {
            d.field("column", v);
        }
        if let Some(v) = &self.0.field {
            d.field("field", v);
        }
        d.finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

impl Error {
    /// Re-classifies an error whose meaning depends on where it happened: a server error while
    /// opening a session (bad password, unknown database) is a connection failure for the caller.
    pub(crate) fn with_kind(mut self, kind: ErrorKind) -> Error {
        self.0.kind = kind;
        self
    }
}
