//! Loading a flow for a step and moving it on: the flow cookie, expiry, the
//! step it may take, the identity checks spent first, and the lock notice.

use super::{audit_cedula, flow_cookie_name, internal, request_cookie, state};
use crate::domain::flow::{FlowEvent, FlowKind, FlowState};
use crate::error::{AppError, FormErrors, LockNotice, LockReason};

/// The flow behind this request's cookie, if it is a flow of `kind` and may
/// take the step that expects `expected` (it is there, or may go back there
/// to correct it): otherwise the error that tells the user where to go.
pub async fn live_flow(
    kind: FlowKind,
    expected: FlowState,
) -> Result<crate::services::flow::Flow, AppError> {
    use crate::domain::flow::{FlowClock, FlowError};
    let st = state();
    let now = crate::services::now_unix();
    let token = request_cookie(flow_cookie_name(&st.settings)).ok_or(AppError::FlowExpired)?;
    let found = crate::services::flow::find_live(&st.db, &token, now)
        .await
        .map_err(internal("load flow"))?
        .ok_or(AppError::FlowExpired)?;
    let current = found.state;
    if current == FlowState::Failed {
        return Err(AppError::FlowFailed);
    }
    audit_cedula(&found.cedula);
    let actual_kind = found.kind;
    let expected_here = if actual_kind == kind {
        expected
    } else {
        // A page of the other flow: send the user back to their own.
        FlowState::Failed
    };
    match (FlowClock {
        kind: actual_kind,
        state: current,
        replacing_email: found.new_email.is_some(),
        expires_at: found.expires_at,
    })
    .check(expected_here, now)
    {
        Ok(()) => Ok(found),
        Err(FlowError::Expired) => Err(AppError::FlowExpired),
        Err(FlowError::OutOfOrder { current }) => Err(AppError::WrongStep {
            resume: current.path(actual_kind).to_owned(),
        }),
    }
}

/// The affiliate a flow is about, once the identity step has matched (a flow
/// past that step always has one).
pub async fn flow_affiliate(
    flow: &crate::services::flow::Flow,
) -> Result<entity::affiliate::Model, AppError> {
    crate::services::registry::affiliate(&state().db, &flow.cedula)
        .await
        .map_err(internal("load affiliate"))?
        .ok_or(AppError::FlowExpired)
}

/// Moves `flow` on by `event` and returns the page of the step it now waits
/// at; refused (and nothing changed) when another request moved it first.
pub async fn advance(
    flow: &crate::services::flow::Flow,
    event: FlowEvent,
) -> Result<&'static str, AppError> {
    let st = state();
    let kind = flow.kind;
    let from = flow.state;
    let wrong_step = || AppError::WrongStep {
        resume: from.path(kind).to_owned(),
    };
    let to = from
        .after(event, kind, flow.new_email.is_some())
        .ok_or_else(wrong_step)?;
    let moved = crate::services::flow::advance(
        &st.db,
        &flow.id,
        from,
        to,
        crate::services::now_unix(),
        st.settings.flow_idle_secs,
    )
    .await
    .map_err(internal("advance flow"))?;
    if moved {
        Ok(to.path(kind))
    } else {
        Err(wrong_step())
    }
}

/// The error for a cédula locked until `until` (Unix time).
pub fn locked(reason: LockReason, until: i64) -> AppError {
    AppError::Locked(LockNotice {
        reason,
        until: crate::domain::ecuador_time::date_time(until, crate::lang::lang()),
    })
}

/// Runs an identity check (birth date, código dactilar, answers) spent first
/// (see [`crate::services::identity::check`]) and returns what `compare` found,
/// or what the user is told: `again` while tries remain, the locked page once
/// the cédula's budget is spent, or the end of the flow once its own tries are
/// used up. When the server is too busy to compare, the tries are given back
/// and the form comes back with what `again` keeps, without its messages.
pub async fn identity_check<T>(
    flow: &crate::services::flow::Flow,
    again: impl FnOnce() -> AppError,
    compare: impl std::future::Future<Output = Result<Option<T>, crate::services::ServiceError>>,
) -> Result<T, AppError> {
    use crate::services::identity::{check, AfterFailure, Checked};
    use crate::services::ServiceError;
    let st = state();
    let now = crate::services::now_unix();
    let checked = match check(&st.db, &st.settings, flow, now, compare).await {
        Ok(checked) => checked,
        Err(ServiceError::Busy(_)) => {
            let kept = match again() {
                AppError::Form(mut form) => {
                    form.errors.clear();
                    form
                }
                _ => FormErrors::default(),
            };
            return Err(AppError::Busy(kept));
        }
        Err(ServiceError::Db(e)) => return Err(internal("identity check")(e)),
    };
    match checked {
        Checked::Passed(found) => Ok(found),
        Checked::Failed(AfterFailure::TryAgain) => Err(again()),
        Checked::Failed(AfterFailure::CedulaLocked { until }) => {
            Err(locked(LockReason::IdentityChecks, until))
        }
        Checked::Failed(AfterFailure::FlowOver) => {
            match advance(flow, FlowEvent::TooManyFailures).await {
                Ok(_) => Err(AppError::FlowFailed),
                // Another request of this flow ended it first.
                Err(AppError::WrongStep { .. }) => Err(AppError::FlowFailed),
                Err(e) => Err(e),
            }
        }
    }
}

/// Whether the affiliate already has a clave.
pub async fn has_clave(cedula: &str) -> Result<bool, AppError> {
    use sea_orm::EntityTrait;
    Ok(entity::credential::Entity::find_by_id(cedula.to_owned())
        .one(&state().db)
        .await
        .map_err(internal("load credential"))?
        .is_some())
}
