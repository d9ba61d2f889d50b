//! Sliding-window limits in the database (SPEC §4.2), so they hold across
//! instances and restarts, and against many requests at once.
//!
//! Every limited attempt is *spent first*: [`spend`] records it with one
//! conditional statement — insert the key's next attempt only while fewer than
//! `limit` unrefunded attempts lie in the last `window_secs` — and only an
//! attempt that got in may go on to compare a secret. A success gives its
//! attempt back with [`refund`] where SPEC counts failures only.
//!
//! On PostgreSQL two racing statements may both see room for one more; they
//! then insert the same `(key, seq)` and the primary key lets only one in. The
//! other is re-run (it sees the winner now), at most once per competitor, so
//! no race can pass the limit. SQLite runs one writing statement at a time.

use super::db::statement;
use super::is_unique_violation;
use sea_orm::{ConnectionTrait, DbErr};

/// At most `limit` attempts in any `window_secs` seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    pub limit: i32,
    pub window_secs: i64,
}

impl Budget {
    pub const fn per_hour(limit: i32) -> Budget {
        Budget {
            limit,
            window_secs: 3_600,
        }
    }

    pub const fn per_day(limit: i32) -> Budget {
        Budget {
            limit,
            window_secs: 86_400,
        }
    }
}

/// The longest window of any budget: older attempts can be deleted.
pub const LONGEST_WINDOW_SECS: i64 = 86_400;

/// An attempt that got in: give it back with [`refund`] if it succeeded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ticket {
    pub key: String,
    pub seq: i64,
}

/// The result of spending an attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Spent {
    /// Within the budget: go on and compare.
    Within(Ticket),
    /// The budget is spent: refused, usable again at this Unix time.
    Over { until: i64 },
}

const SPEND: &str = "INSERT INTO limit_event (key, seq, at, refunded) \
     SELECT $1, COALESCE((SELECT MAX(seq) FROM limit_event WHERE key = $1), 0) + 1, $2, 0 \
     WHERE (SELECT COUNT(*) FROM limit_event WHERE key = $1 AND at > $3 AND refunded = 0) < $4 \
     RETURNING seq";

/// Spends one attempt of `budget` for `key` at `now`.
pub async fn spend<C: ConnectionTrait>(
    db: &C,
    key: &str,
    budget: Budget,
    now: i64,
) -> Result<Spent, DbErr> {
    let backend = db.get_database_backend();
    // Each lost race means another attempt got in; past `limit` of them the
    // budget is spent and the statement inserts nothing, so this ends.
    for _ in 0..=budget.limit.max(0) {
        let values = vec![
            key.into(),
            now.into(),
            (now - budget.window_secs).into(),
            i64::from(budget.limit).into(),
        ];
        match db.query_one_raw(statement(backend, SPEND, values)).await {
            Ok(Some(row)) => {
                return Ok(Spent::Within(Ticket {
                    key: key.to_owned(),
                    seq: row.try_get("", "seq")?,
                }))
            }
            Ok(None) => {
                super::telemetry::limit_refused(key);
                let until = locked_until(db, key, budget, now).await?.unwrap_or(now);
                return Ok(Spent::Over { until });
            }
            Err(e) if is_unique_violation(&e) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(DbErr::Custom(format!(
        "limit: more than {} lost races for one attempt",
        budget.limit
    )))
}

/// Spends one attempt of a budget nothing gives back (flow starts, code sends,
/// call-back requests, per-IP logins): whether it was within the budget.
pub async fn allow<C: ConnectionTrait>(
    db: &C,
    key: &str,
    budget: Budget,
    now: i64,
) -> Result<bool, DbErr> {
    Ok(matches!(
        spend(db, key, budget, now).await?,
        Spent::Within(_)
    ))
}

/// Gives a successful attempt back: it no longer counts against the limit.
pub async fn refund<C: ConnectionTrait>(db: &C, ticket: &Ticket) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    db.execute_raw(statement(
        backend,
        "UPDATE limit_event SET refunded = 1 WHERE key = $1 AND seq = $2",
        vec![ticket.key.as_str().into(), ticket.seq.into()],
    ))
    .await?;
    Ok(())
}

/// When `key`'s budget has room again, if it has none now: the moment the
/// oldest of the last `limit` counted attempts leaves the window.
pub async fn locked_until<C: ConnectionTrait>(
    db: &C,
    key: &str,
    budget: Budget,
    now: i64,
) -> Result<Option<i64>, DbErr> {
    if budget.limit <= 0 {
        return Ok(Some(now + budget.window_secs));
    }
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(statement(
            backend,
            "SELECT at FROM limit_event WHERE key = $1 AND at > $2 AND refunded = 0 \
             ORDER BY at DESC, seq DESC LIMIT 1 OFFSET $3",
            vec![
                key.into(),
                (now - budget.window_secs).into(),
                i64::from(budget.limit - 1).into(),
            ],
        ))
        .await?;
    row.map(|r| r.try_get::<i64>("", "at").map(|at| at + budget.window_secs))
        .transpose()
}

/// Forgets every attempt of `key` (staff unlocking a cédula).
pub async fn clear<C: ConnectionTrait>(db: &C, key: &str) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    db.execute_raw(statement(
        backend,
        "DELETE FROM limit_event WHERE key = $1",
        vec![key.into()],
    ))
    .await?;
    Ok(())
}
