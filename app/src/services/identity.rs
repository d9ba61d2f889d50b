//! Identity checks of a recovery (birth date, security answers) and the
//! counters that end a flow or lock recovery for a cédula (SPEC §4.2).
//!
//! An unknown cédula costs the same work and gets the same answer as a wrong
//! date, so the step never tells whether a cédula is registered.

use super::rate_limit::{spend, used, Budget};
use super::{flow, keyed_hash, Settings};
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

fn cedula_key(settings: &Settings, cedula: &str) -> String {
    format!(
        "identity-fail:{}",
        keyed_hash(settings.secret(), "cedula", cedula)
    )
}

/// Recovery is locked for this cédula after too many failures in a day.
pub async fn cedula_locked(
    db: &DatabaseConnection,
    settings: &Settings,
    cedula: &str,
    now: i64,
) -> Result<bool, DbErr> {
    let budget = Budget::per_day(settings.cedula_max_failures_per_day);
    Ok(used(db, &cedula_key(settings, cedula), budget, now).await? >= budget.limit)
}

/// What a failed check leads to.
#[derive(Debug, PartialEq, Eq)]
pub enum AfterFailure {
    /// The user may try again in this flow.
    TryAgain,
    /// The flow has used its tries.
    FlowOver,
    /// The cédula has used its tries for the day.
    CedulaLocked,
}

/// Counts a failed check against the flow and the cédula.
pub async fn record_failure(
    db: &DatabaseConnection,
    settings: &Settings,
    found: &recovery_flow::Model,
    now: i64,
) -> Result<AfterFailure, DbErr> {
    let budget = Budget::per_day(settings.cedula_max_failures_per_day);
    let cedula_ok = spend(db, &cedula_key(settings, &found.cedula), budget, now).await?;
    let flow_failures = flow::record_failure(db, &found.id, now).await?;
    Ok(
        if !cedula_ok
            || used(db, &cedula_key(settings, &found.cedula), budget, now).await? >= budget.limit
        {
            AfterFailure::CedulaLocked
        } else if flow_failures >= settings.flow_max_failures {
            AfterFailure::FlowOver
        } else {
            AfterFailure::TryAgain
        },
    )
}
