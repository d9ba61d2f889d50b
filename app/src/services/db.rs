//! Connecting to SQLite or PostgreSQL and applying the migrations.

use crate::domain::stored::{Stored, UnknownValue};
use crate::lang::Lang;
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, Statement,
    TransactionTrait, Value,
};
use std::time::Duration;

/// How long a request waits for a database connection before it is answered
/// 503 ([`is_unavailable`]): while the database restarts, people are told at
/// once to retry rather than kept waiting.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// Seconds a client is told to wait (`Retry-After`) when the database cannot
/// be reached: about what a PostgreSQL restart takes.
pub const RETRY_AFTER_SECS: u64 = 10;

/// Opens the database named by `url` (creating an SQLite file if needed).
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.max_connections(16)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .sqlx_logging(false);
    Database::connect(opts).await
}

/// The advisory lock that guards the migrations on PostgreSQL is this number
/// ("clav" in ASCII) with the schema's: each schema migrates on its own.
const MIGRATION_LOCK: i32 = 0x636c_6176;

/// Brings the schema up to date; safe to run on every start and from several
/// instances at once (migrations are recorded in `seaql_migrations`).
///
/// On PostgreSQL every pending migration runs in one transaction that first
/// takes an advisory lock: instances starting together queue on the lock, the
/// first migrates, the others then find nothing pending (without the lock two
/// of them created the same tables and one died on
/// `pg_type_typname_nsp_index`). A failed migration rolls back whole. SQLite
/// serves one machine; its file locks keep two writers apart.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Migrator::up(db, None).await;
    }
    let txn = db.begin().await?;
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))",
        [MIGRATION_LOCK.into()],
    ))
    .await?;
    Migrator::up(&txn, None).await?;
    txn.commit().await
}

/// Connects and migrates in one step.
pub async fn open(url: &str) -> Result<DatabaseConnection, DbErr> {
    let db = connect(url).await?;
    migrate(&db).await?;
    Ok(db)
}

/// Whether `e` says the database cannot be reached now (no connection to be
/// had, or the one in use broke), rather than that a statement was wrong.
pub fn is_unavailable(e: &DbErr) -> bool {
    use sea_orm::sqlx::Error;
    use sea_orm::RuntimeErr;
    match e {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            match e.as_ref() {
                Error::Io(_) | Error::PoolTimedOut | Error::PoolClosed | Error::WorkerCrashed => {
                    true
                }
                // PostgreSQL shutting down or starting (class 57P: operator
                // intervention), or the connection lost (class 08).
                Error::Database(db) => db
                    .code()
                    .is_some_and(|c| c.starts_with("57P") || c.starts_with("08")),
                _ => false,
            }
        }
        _ => false,
    }
}

/// The connection pool's use: connections open, and of those idle.
pub fn pool_use(db: &DatabaseConnection) -> (u32, usize) {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        DbBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => (0, 0),
    }
}

/// `sql` written with PostgreSQL's `$n` placeholders, for either backend
/// (SQLite reads `?n` the same way).
pub fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DbBackend::Sqlite => sql.replace('$', "?"),
        _ => sql.to_owned(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// Reads an enumerated column: a value outside its set is a database error
/// (logged, and the generic message shown), never a default.
pub fn stored<T: Stored>(text: &str) -> Result<T, DbErr> {
    T::from_stored(text).map_err(|e| DbErr::Type(e.to_string()))
}

/// Reads a language column (`column` is `table.column`, for the error), kept
/// as [`Lang::code`] writes it: like [`stored`], anything but one of ours is a
/// database error, never the default language.
pub fn stored_lang(column: &'static str, code: &str) -> Result<Lang, DbErr> {
    Lang::from_code(code).ok_or_else(|| {
        DbErr::Type(
            UnknownValue {
                column,
                value: code.to_owned(),
            }
            .to_string(),
        )
    })
}
