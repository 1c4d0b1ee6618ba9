//! Pooler mode: statements for PgBouncer (or any pooler) in transaction mode.
//!
//! Behind a transaction pooler, two consecutive transactions of one client may run on two
//! different server sessions, and one server session serves many clients in turn. A named
//! prepared statement made on one session is unknown on the next (`26000`) or collides with
//! another client's of the same name (`42P05`), and a session-level `SET` leaks to whichever
//! client gets that session next. So in pooler mode:
//!
//! - every statement is sent unnamed (Parse, Bind, Execute and Sync in one message batch), with
//!   the type of each parameter declared in the Parse message. Those types come from the bound
//!   values themselves: each value is offered the built-in types, and the enum and extension
//!   types of the database, in turn, and the first it accepts is declared; its encoding is kept
//!   and sent as is, so a value is encoded once. Declaring the type the value was encoded for
//!   is what keeps this sound: the server never reads the bytes as another type;
//! - types the driver must look up by OID to decode a result column (enums, extension types and
//!   their arrays) are looked up when a connection is opened, inside one transaction (so every
//!   lookup runs on the same server session), and the driver's named lookup statements are
//!   deallocated before it commits, so no named statement is left on any server session;
//! - the statement timeout is set with `SET LOCAL` inside a transaction; a statement outside a
//!   transaction with a timeout is pipelined as `BEGIN; SET LOCAL …`, the statement, `COMMIT`
//!   (one round trip).

use std::future::Future;
use std::sync::{Arc, RwLock};
use std::task::{Context, Waker};

use bytes::{Bytes, BytesMut};
use postgres_types::{IsNull, Kind, ToSql, Type, WrongType, to_sql_checked};
use tokio_postgres::{Client, RowStream};

use crate::db::{Mode, Outcome, drain};
use crate::executor::Params;

/// The built-in types a bound value is offered, the most common first.
const BUILT_IN: &[Type] = &[
    Type::TEXT,
    Type::UUID,
    Type::INT4,
    Type::INT8,
    Type::BOOL,
    Type::TIMESTAMPTZ,
    Type::JSONB,
    Type::INT2,
    Type::FLOAT8,
    Type::FLOAT4,
    Type::DATE,
    Type::TIMESTAMP,
    Type::TIME,
    Type::BYTEA,
    Type::JSON,
    Type::OID,
    Type::CHAR,
    Type::TEXT_ARRAY,
    Type::UUID_ARRAY,
    Type::INT4_ARRAY,
    Type::INT8_ARRAY,
    Type::BOOL_ARRAY,
    Type::TIMESTAMPTZ_ARRAY,
    Type::JSONB_ARRAY,
    Type::INT2_ARRAY,
    Type::FLOAT8_ARRAY,
    Type::FLOAT4_ARRAY,
    Type::DATE_ARRAY,
    Type::TIMESTAMP_ARRAY,
    Type::BYTEA_ARRAY,
    Type::JSON_ARRAY,
    Type::NUMERIC,
    Type::INTERVAL,
    Type::INET,
    Type::CIDR,
    Type::NUMERIC_ARRAY,
    Type::INTERVAL_ARRAY,
    Type::INET_ARRAY,
    Type::CIDR_ARRAY,
    Type::TIME_ARRAY,
];

/// The enum types of the database and the base types of its extensions (`citext`, …), with
/// their array types, as the driver describes them. An extension type is declared like an enum:
/// by its name and OID, which only the database knows.
const ENUMS: &str = "SELECT t.oid, t.typarray, t.typname::text, n.nspname::text, \
                     array(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e \
                           WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder), \
                     t.typtype = 'e' \
                     FROM pg_catalog.pg_type t \
                     JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
                     WHERE t.typtype = 'e' \
                        OR (t.typtype = 'b' AND t.typcategory <> 'A' \
                            AND n.nspname NOT IN ('pg_catalog', 'information_schema'))";

/// The enum types a pool has seen, shared by its connections; reloaded when a value fits no
/// known type (an enum created after the pool started).
#[derive(Default)]
pub(crate) struct Types {
    enums: RwLock<Arc<[Type]>>,
}

impl Types {
    fn known(&self) -> Arc<[Type]> {
        match self.enums.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Reads the database's enum and extension types on `client` (unnamed, so safe behind a
    /// pooler).
    async fn reload(&self, client: &Client) -> Result<Arc<[Type]>, tokio_postgres::Error> {
        let rows = client.query_typed(ENUMS, &[]).await?;
        let mut types = Vec::with_capacity(rows.len() * 2);
        for row in &rows {
            let oid: u32 = row.try_get(0)?;
            let array_oid: u32 = row.try_get(1)?;
            let name: String = row.try_get(2)?;
            let schema: String = row.try_get(3)?;
            let labels: Vec<String> = row.try_get(4)?;
            let is_enum: bool = row.try_get(5)?;
            let kind = if is_enum {
                Kind::Enum(labels)
            } else {
                Kind::Simple
            };
            let ty = Type::new(name.clone(), oid, kind, schema.clone());
            if array_oid != 0 {
                types.push(Type::new(
                    format!("_{name}"),
                    array_oid,
                    Kind::Array(ty.clone()),
                    schema,
                ));
            }
            types.push(ty);
        }
        // Arrays were pushed before their element; put every element type first.
        types.sort_by_key(|ty| matches!(ty.kind(), Kind::Array(_)));
        let types: Arc<[Type]> = types.into();
        match self.enums.write() {
            Ok(mut guard) => *guard = Arc::clone(&types),
            Err(poisoned) => *poisoned.into_inner() = Arc::clone(&types),
        }
        Ok(types)
    }

    /// Declares a type for every value of `params` and encodes each once.
    async fn bind<'v>(
        &self,
        client: &Client,
        params: &Params<'v>,
    ) -> Result<Vec<(Bound<'v>, Type)>, tokio_postgres::Error> {
        let mut buf = BytesMut::new();
        let mut enums = self.known();
        let mut reloaded = false;
        let mut bound = Vec::with_capacity(params.len());
        for &value in params {
            let mut found = offer(value, BUILT_IN.iter().chain(enums.iter()), &mut buf);
            if found.is_none() && !reloaded {
                enums = self.reload(client).await?;
                reloaded = true;
                found = offer(value, enums.iter(), &mut buf);
            }
            // No type accepts it: the driver then refuses it with its own typed error
            // ("error serializing parameter …", a conversion error), before anything is sent.
            bound.push(found.unwrap_or((Bound::Refused(value), Type::TEXT)));
        }
        Ok(bound)
    }

    /// Looks up every enum type on a new connection inside one transaction, so that the
    /// driver's cache knows them when a result column has one; the driver's named lookup
    /// statements are deallocated before the transaction ends.
    pub(crate) async fn warm(&self, client: &Client) -> Result<(), tokio_postgres::Error> {
        client.batch_execute("BEGIN").await?;
        let warmed = async {
            let types = self.reload(client).await?;
            if !types.is_empty() {
                let list: Vec<String> = (1..=types.len()).map(|i| format!("${i}")).collect();
                let statement = client
                    .prepare_typed(&format!("SELECT {}", list.join(", ")), &types)
                    .await?;
                drop(statement);
                client.batch_execute("DEALLOCATE ALL").await?;
            }
            Ok::<(), tokio_postgres::Error>(())
        }
        .await;
        match warmed {
            Ok(()) => client.batch_execute("COMMIT").await,
            Err(err) => {
                let _ = client.batch_execute("ROLLBACK").await;
                Err(err)
            }
        }
    }
}

/// The first of `types` that `value` accepts, with the value encoded for it.
fn offer<'v, 't>(
    value: &'v (dyn ToSql + Sync),
    types: impl Iterator<Item = &'t Type>,
    buf: &mut BytesMut,
) -> Option<(Bound<'v>, Type)> {
    for ty in types {
        buf.clear();
        match value.to_sql_checked(ty, buf) {
            Ok(IsNull::Yes) => return Some((Bound::Encoded(None), ty.clone())),
            Ok(IsNull::No) => {
                return Some((Bound::Encoded(Some(buf.split().freeze())), ty.clone()));
            }
            Err(err) if err.is::<WrongType>() => {}
            // The type fits but the value cannot be encoded: the driver reports it.
            Err(_) => return Some((Bound::Refused(value), ty.clone())),
        }
    }
    None
}

/// A parameter ready to send: its encoding for the declared type, or the value itself when it
/// cannot be encoded (the driver then fails with its own error).
#[derive(Debug)]
enum Bound<'v> {
    Encoded(Option<Bytes>),
    Refused(&'v (dyn ToSql + Sync)),
}

impl ToSql for Bound<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Bound::Encoded(None) => Ok(IsNull::Yes),
            Bound::Encoded(Some(bytes)) => {
                out.extend_from_slice(bytes);
                Ok(IsNull::No)
            }
            Bound::Refused(value) => value.to_sql_checked(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// Sends the query `sql` as [`send`] does and returns its rows as the driver's stream. With
/// `timeout_ms`, `BEGIN; SET LOCAL …` goes out before it and `COMMIT` is queued right behind
/// it, its answer left to the driver to discard: the server ends the transaction as soon as the
/// query is done, whether its rows are read to the end or dropped.
pub(crate) async fn open(
    client: &Client,
    types: &Types,
    sql: &str,
    params: &Params<'_>,
    timeout_ms: Option<u32>,
) -> Result<RowStream, tokio_postgres::Error> {
    let bound = types.bind(client, params).await?;
    let typed = bound
        .iter()
        .map(|(value, ty)| (value as &(dyn ToSql + Sync), ty.clone()));
    let Some(ms) = timeout_ms else {
        return client.query_typed_raw(sql, typed).await;
    };
    let begin = format!("BEGIN; SET LOCAL statement_timeout = {ms}");
    // As in `send`, the first poll of `join!` queues the three requests in order, so a caller
    // that drops this future at any point still leaves the session outside any transaction.
    let (begun, rows, ()) = tokio::join!(
        client.batch_execute(&begin),
        client.query_typed_raw(sql, typed),
        async { queue(client.batch_execute("COMMIT")) }
    );
    begun?;
    rows
}

/// Polls `request` once, which queues it on the connection, and drops it: the driver discards
/// its answer.
fn queue(request: impl Future) {
    let mut request = std::pin::pin!(request);
    let _ = request
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()));
}

/// Sends `sql` unnamed with explicitly typed parameters; with `timeout_ms`, pipelined inside
/// `BEGIN; SET LOCAL statement_timeout = …` and `COMMIT`, in one round trip.
pub(crate) async fn send(
    client: &Client,
    types: &Types,
    sql: &str,
    params: &Params<'_>,
    mode: &mut Mode<'_>,
    timeout_ms: Option<u32>,
) -> Result<Outcome, tokio_postgres::Error> {
    let bound = types.bind(client, params).await?;
    let typed = || {
        bound
            .iter()
            .map(|(value, ty)| (value as &(dyn ToSql + Sync), ty.clone()))
    };
    // Each request is queued on the connection when its future is first polled, and `join!`
    // polls them in order: the three go out together, in this order, and a caller that drops
    // the future afterwards still leaves the session outside any transaction.
    let statement = async {
        match mode {
            Mode::Query(sink) => drain(client.query_typed_raw(sql, typed()).await?, *sink).await,
            Mode::Execute => {
                let typed: Vec<(&(dyn ToSql + Sync), Type)> = typed().collect();
                client.execute_typed(sql, &typed).await
            }
        }
    };
    let Some(ms) = timeout_ms else {
        return statement.await;
    };
    let begin = format!("BEGIN; SET LOCAL statement_timeout = {ms}");
    let (begun, outcome, committed) = tokio::join!(
        client.batch_execute(&begin),
        statement,
        client.batch_execute("COMMIT")
    );
    begun?;
    let outcome = outcome?;
    committed?;
    Ok(outcome)
}
