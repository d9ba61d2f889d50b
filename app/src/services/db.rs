//! Connecting to SQLite or PostgreSQL and applying the migrations.

use crate::domain::stored::Stored;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbBackend, DbErr, Statement, Value};
use std::time::Duration;

/// Opens the database named by `url` (creating an SQLite file if needed).
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.max_connections(16)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    Database::connect(opts).await
}

/// Brings the schema up to date; safe to run on every start and from several
/// instances (migrations are recorded in `seaql_migrations`).
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Connects and migrates in one step.
pub async fn open(url: &str) -> Result<DatabaseConnection, DbErr> {
    let db = connect(url).await?;
    migrate(&db).await?;
    Ok(db)
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
