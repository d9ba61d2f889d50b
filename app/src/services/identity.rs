//! Identity checks of both flows (birth date, código dactilar, security
//! answers) and the counters that end a flow or lock recovery and request for
//! a cédula (SPEC §4.2). Both flows count against the same per-cédula budget.
//!
//! An unknown cédula costs the same work and gets the same answer as a wrong
//! date, so the step never tells whether a cédula is registered.

use super::rate_limit::{record, used, Budget};
use super::{flow, keyed_hash, Settings};
use crate::domain::dactilar::CodigoDactilar;
use chrono::Datelike;
use entity::{affiliate, recovery_flow};
use sea_orm::{DatabaseConnection, DbErr, EntityTrait};

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

pub fn cedula_key(settings: &Settings, cedula: &str) -> String {
    format!(
        "identity-fail:{}",
        keyed_hash(settings.secret(), "cedula", cedula)
    )
}

/// Until when recovery and request are locked for this cédula after too many
/// failures in a day, or `None` when they are not.
pub async fn cedula_locked_until(
    db: &DatabaseConnection,
    settings: &Settings,
    cedula: &str,
    now: i64,
) -> Result<Option<i64>, DbErr> {
    let budget = Budget::per_day(settings.cedula_max_failures_per_day);
    let spent = used(db, &cedula_key(settings, cedula), budget, now).await? >= budget.limit;
    Ok(spent.then(|| budget.window_end(now)))
}

/// What a failed check leads to.
#[derive(Debug, PartialEq, Eq)]
pub enum AfterFailure {
    /// The user may try again in this flow.
    TryAgain,
    /// The flow has used its tries.
    FlowOver,
    /// The cédula has used its tries for the day: locked until this time.
    CedulaLocked { until: i64 },
}

/// Counts a failed check against the flow and the cédula.
pub async fn record_failure(
    db: &DatabaseConnection,
    settings: &Settings,
    found: &recovery_flow::Model,
    now: i64,
) -> Result<AfterFailure, DbErr> {
    let budget = Budget::per_day(settings.cedula_max_failures_per_day);
    let cedula_failures = record(db, &cedula_key(settings, &found.cedula), budget, now).await?;
    let flow_failures = flow::record_failure(db, &found.id, now).await?;
    Ok(if cedula_failures >= budget.limit {
        AfterFailure::CedulaLocked {
            until: budget.window_end(now),
        }
    } else if flow_failures >= settings.flow_max_failures {
        AfterFailure::FlowOver
    } else {
        AfterFailure::TryAgain
    })
}
