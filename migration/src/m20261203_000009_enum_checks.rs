//! Every enumerated column says in the schema which values it may hold, as the
//! code's enums do (`app::domain::stored`): a `CHECK` constraint on each, on
//! both databases. The lists are this migration's own, as of today; a later
//! value comes with a later migration.
//!
//! PostgreSQL adds the constraints in place. SQLite cannot add a constraint
//! to an existing table, so the table's definition is rewritten in
//! `sqlite_schema` inside this migration's transaction, the procedure SQLite
//! documents for changes that leave the stored rows as they are
//! (<https://www.sqlite.org/lang_altertable.html#otheralter>); first every row
//! is checked against the new constraints, and an unknown value stops the
//! migration with its table and column named.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Table, column, the values it may hold.
const CHECKS: &[(&str, &str, &[&str])] = &[
    ("recovery_flow", "kind", &["recovery", "request"]),
    (
        "recovery_flow",
        "state",
        &[
            "identity_pending",
            "confirm_pending",
            "all_answers_pending",
            "new_email_pending",
            "contact_pending",
            "code_pending",
            "questions_pending",
            "choose_questions_pending",
            "password_pending",
            "done",
            "failed",
        ],
    ),
    (
        "callback_request",
        "status",
        &["open", "claimed", "contacted", "resolved"],
    ),
    (
        "callback_request",
        "time_window",
        &["morning", "afternoon", "any"],
    ),
    ("staff_account", "role", &["agent", "supervisor"]),
    (
        "staff_case",
        "kind",
        &[
            "not_me:email_changed",
            "not_me:clave_changed",
            "not_me:clave_created",
        ],
    ),
    ("staff_case", "status", &["open", "claimed", "closed"]),
    ("affiliate", "status", &["active", "locked"]),
    (
        "notice",
        "kind",
        &["email_changed", "clave_changed", "clave_created"],
    ),
    (
        "mail_outbox",
        "kind",
        &["code", "email_changed", "clave_changed", "clave_created"],
    ),
    // NULL while the mail waits; a NULL passes a CHECK.
    ("mail_outbox", "delivered_via", &["smtp", "dev"]),
];

fn constraint(column: &str, values: &[&str]) -> String {
    let list = values
        .iter()
        .map(|v| format!("'{v}'"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("CHECK (\"{column}\" IN ({list}))")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// One transaction on SQLite too: the schema rewrite must happen on one
    /// connection, all or nothing.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        for (table, column, values) in CHECKS {
            let check = constraint(column, values);
            let outside = db
                .query_one_raw(Statement::from_string(
                    backend,
                    format!(
                        "SELECT \"{column}\" AS value FROM \"{table}\" WHERE NOT ({})",
                        &check["CHECK ".len()..]
                    ),
                ))
                .await?;
            if let Some(row) = outside {
                let value: String = row.try_get("", "value")?;
                return Err(DbErr::Migration(format!(
                    "{table}.{column} holds {value:?}, which is none of its values"
                )));
            }
        }
        match backend {
            DbBackend::Postgres => {
                for (table, column, values) in CHECKS {
                    db.execute_unprepared(&format!(
                        "ALTER TABLE \"{table}\" ADD CONSTRAINT \"{table}_{column}_check\" {}",
                        constraint(column, values)
                    ))
                    .await?;
                }
            }
            DbBackend::Sqlite => rewrite_sqlite_tables(db).await?,
            other => {
                return Err(DbErr::Migration(format!("{other:?} is not supported")));
            }
        }
        Ok(())
    }
}

/// Appends each table's constraints to its `CREATE TABLE` text.
async fn rewrite_sqlite_tables<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    let version: i64 = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA schema_version",
        ))
        .await?
        .ok_or_else(|| DbErr::Migration("no schema version".into()))?
        .try_get_by_index(0)?;
    db.execute_unprepared("PRAGMA writable_schema = ON").await?;
    let mut tables: Vec<&str> = CHECKS.iter().map(|(t, _, _)| *t).collect();
    tables.dedup();
    for table in tables {
        let sql: String = db
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?",
                [table.into()],
            ))
            .await?
            .ok_or_else(|| DbErr::Migration(format!("no table {table}")))?
            .try_get("", "sql")?;
        let body_end = sql
            .rfind(')')
            .ok_or_else(|| DbErr::Migration(format!("unexpected definition of {table}")))?;
        let checks: String = CHECKS
            .iter()
            .filter(|(t, _, _)| *t == table)
            .map(|(_, column, values)| format!(", {}", constraint(column, values)))
            .collect();
        let rewritten = format!("{}{checks}{}", &sql[..body_end], &sql[body_end..]);
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?",
            [rewritten.into(), table.into()],
        ))
        .await?;
    }
    db.execute_unprepared(&format!("PRAGMA schema_version = {}", version + 1))
        .await?;
    db.execute_unprepared("PRAGMA writable_schema = OFF")
        .await?;
    Ok(())
}
