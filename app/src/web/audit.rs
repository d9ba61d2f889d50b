//! The audit context of a request (which cédula, which staff user, why) and
//! the one place an outcome is written to the audit log.

use super::{client_key, state};
use crate::error::AppError;
use leptos::prelude::*;

/// The cédula the current request is about, once a step knows it (audit).
#[derive(Clone)]
pub(super) struct AuditCedula(String);

/// Tells the audit log which cédula this request is about.
pub fn audit_cedula(cedula: &str) {
    provide_context(AuditCedula(cedula.to_owned()));
}

/// The staff user behind the current request (audit: who).
#[derive(Clone)]
pub(super) struct AuditActor(pub(super) String);

/// Tells the audit log which staff user this request is from, before their
/// session is complete (the second factor's tries).
pub fn audit_staff_actor(username: &str) {
    provide_context(AuditActor(username.to_owned()));
}

/// A staff user's reason or note for what the request does (audit: why).
#[derive(Clone)]
pub(super) struct AuditDetail(String);

/// Tells the audit log why a staff user does what this request does.
pub fn audit_detail(detail: &str) {
    provide_context(AuditDetail(detail.to_owned()));
}

pub(super) async fn record_outcome<T>(result: &Result<T, AppError>, fn_path: &str) {
    let st = state();
    let action = fn_path.trim_start_matches("/api/");
    let outcome = match result {
        Ok(_) => "ok",
        Err(e) => e.audit_outcome(),
    };
    let cedula = use_context::<AuditCedula>().map(|c| c.0);
    let actor = use_context::<AuditActor>().map(|a| a.0);
    let detail = use_context::<AuditDetail>().map(|d| d.0);
    let event = crate::services::audit::Event {
        actor: actor.as_deref().unwrap_or("affiliate"),
        action,
        cedula: cedula.as_deref(),
        ip_hash: Some(&client_key(&st.settings)),
        outcome,
        detail: detail.as_deref(),
    };
    if let Err(e) = crate::services::audit::write(&st.db, event, crate::services::now_unix()).await
    {
        tracing::error!(error = %e, "audit");
    }
}
