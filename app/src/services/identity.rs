//! Identity checks of both flows (birth date, código dactilar, security
//! answers) and the counters that end a flow or lock recovery and request for
//! a cédula (SPEC §4.2). Both flows count against the same per-cédula budget.
//!
//! An unknown cédula costs the same work and gets the same answer as a wrong
//! date, so the step never tells whether a cédula is registered.

use super::limit::{self, Budget, Spent};
use super::{flow, keyed_hash, Settings};
use crate::domain::dactilar::CodigoDactilar;
use chrono::Datelike;
use entity::affiliate;
use sea_orm::{DatabaseConnection, DbErr, EntityTrait};
use std::future::Future;

/// The registered affiliate, if `cedula` is registered and born on `day`/`month`.
pub async fn match_birth_day_month(
    db: &DatabaseConnection,
    cedula: &str,
    day: u32,
    month: u32,
) -> Result<Option<affiliate::Model>, DbErr> {
    let found = affiliate::Entity::find_by_id(cedula.to_owned())
        .one(db)
        .await?;
    Ok(found.filter(|a| a.birth_date.day() == day && a.birth_date.month() == month))
}

/// The registered affiliate, if `cedula` is registered, born on `date`
/// (year, month, day) and its código dactilar is `dactilar`.
pub async fn match_full_identity(
    db: &DatabaseConnection,
    cedula: &str,
    date: (i32, u32, u32),
    dactilar: &CodigoDactilar,
) -> Result<Option<affiliate::Model>, DbErr> {
    let found = affiliate::Entity::find_by_id(cedula.to_owned())
        .one(db)
        .await?;
    let (y, m, d) = date;
    Ok(found.filter(|a| {
        let b = a.birth_date;
        // Both parts are always compared, so the time does not tell which failed.
        let date_ok = b.year() == y && b.month() == m && b.day() == d;
        let dactilar_ok = dactilar.matches(&a.codigo_dactilar);
        date_ok & dactilar_ok
    }))
}

/// The key of a cédula's identity-check budget: typed cédulas count alike,
/// registered or not.
pub fn cedula_key(settings: &Settings, cedula: &str) -> String {
    format!(
        "identity:{}",
        keyed_hash(settings.secret(), "cedula", cedula)
    )
}

fn cedula_budget(settings: &Settings) -> Budget {
    Budget::per_day(settings.cedula_max_failures_per_day)
}

/// Until when recovery and request are locked for this cédula after too many
/// failures in the last 24 hours, or `None` when they are not.
pub async fn cedula_locked_until(
    db: &DatabaseConnection,
    settings: &Settings,
    cedula: &str,
    now: i64,
) -> Result<Option<i64>, DbErr> {
    limit::locked_until(
        db,
        &cedula_key(settings, cedula),
        cedula_budget(settings),
        now,
    )
    .await
}

/// What a failed (or refused) check leads to.
#[derive(Debug, PartialEq, Eq)]
pub enum AfterFailure {
    /// The user may try again in this flow.
    TryAgain,
    /// The flow has used its tries.
    FlowOver,
    /// The cédula has used its tries for 24 hours: locked until this time.
    CedulaLocked { until: i64 },
}

/// How an identity check ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Checked<T> {
    /// `compare` matched and gave this.
    Passed(T),
    /// `compare` did not match, or was never run because a limit was spent.
    Failed(AfterFailure),
}

/// Runs one identity check (birth date, código dactilar, answers) *spent
/// first*: the flow's try and the cédula's try are each taken by one
/// conditional statement before `compare` runs, and `compare` runs only when
/// both were within their limits, so parallel guesses cannot pass a limit that
/// sequential ones cannot. A match gives both tries back (SPEC counts failures),
/// and so does a `compare` that could not finish (a database error, or the
/// hashing queue full): what was never compared is no failed try.
pub async fn check<T, E: From<DbErr>>(
    db: &DatabaseConnection,
    settings: &Settings,
    found: &super::flow::Flow,
    now: i64,
    compare: impl Future<Output = Result<Option<T>, E>>,
) -> Result<Checked<T>, E> {
    let Some(flow_tries) = flow::spend_try(db, &found.id, settings.flow_max_failures, now).await?
    else {
        return Ok(Checked::Failed(AfterFailure::FlowOver));
    };
    let ticket = match limit::spend(
        db,
        &cedula_key(settings, &found.cedula),
        cedula_budget(settings),
        now,
    )
    .await?
    {
        Spent::Within(ticket) => ticket,
        Spent::Over { until } => {
            flow::refund_try(db, &found.id).await?;
            return Ok(Checked::Failed(AfterFailure::CedulaLocked { until }));
        }
    };
    let compared = compare.await;
    if !matches!(compared, Ok(None)) {
        limit::refund(db, &ticket).await?;
        flow::refund_try(db, &found.id).await?;
    }
    if let Some(matched) = compared? {
        return Ok(Checked::Passed(matched));
    }
    Ok(Checked::Failed(
        if let Some(until) = cedula_locked_until(db, settings, &found.cedula, now).await? {
            AfterFailure::CedulaLocked { until }
        } else if flow_tries >= settings.flow_max_failures {
            AfterFailure::FlowOver
        } else {
            AfterFailure::TryAgain
        },
    ))
}
