//! Request/response plumbing shared by the server functions (server only).

use crate::domain::flow::{FlowEvent, FlowKind, FlowState};
use crate::error::{AppError, FormErrors, LockNotice, LockReason};
use crate::services::{AppState, Settings};
use axum::http::{header, request::Parts, HeaderValue, StatusCode};
use leptos::prelude::*;
use leptos::server_fn::error::ServerFnUrlError;
use leptos_axum::ResponseOptions;
use std::net::{IpAddr, SocketAddr};

/// Name of the flow cookie: `__Host-` prefixed (pinned to this origin, Secure)
/// whenever the public URL is HTTPS; plain-HTTP localhost cannot use the prefix.
pub fn flow_cookie_name(settings: &Settings) -> &'static str {
    if settings.secure_cookies() {
        "__Host-clave_flow"
    } else {
        "clave_flow"
    }
}

/// Name of the session cookie (prefixed like the flow cookie).
pub fn session_cookie_name(settings: &Settings) -> &'static str {
    if settings.secure_cookies() {
        "__Host-clave_session"
    } else {
        "clave_session"
    }
}

/// Name of the staff session cookie: another cookie and another table than
/// affiliates', so neither session can stand for the other.
pub fn staff_cookie_name(settings: &Settings) -> &'static str {
    if settings.secure_cookies() {
        "__Host-clave_staff"
    } else {
        "clave_staff"
    }
}

/// `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure over HTTPS. With
/// no `max_age` it lasts until the browser closes; the server's own expiry is
/// what counts either way.
fn cookie(settings: &Settings, name: &str, value: &str, max_age: Option<i64>) -> String {
    let secure = if settings.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let max_age = max_age
        .map(|s| format!("; Max-Age={s}"))
        .unwrap_or_default();
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax{max_age}{secure}")
}

/// `Set-Cookie` value for the flow token.
pub fn flow_cookie(settings: &Settings, token: &str) -> String {
    cookie(settings, flow_cookie_name(settings), token, None)
}

/// `Set-Cookie` value for a session token.
pub fn session_cookie(settings: &Settings, token: &str) -> String {
    cookie(settings, session_cookie_name(settings), token, None)
}

/// `Set-Cookie` value that removes cookie `name`.
pub fn clear_cookie(settings: &Settings, name: &str) -> String {
    cookie(settings, name, "", Some(0))
}

/// `Set-Cookie` value for a staff session token.
pub fn staff_cookie(settings: &Settings, token: &str) -> String {
    cookie(settings, staff_cookie_name(settings), token, None)
}

/// Adds a `Set-Cookie` header to the response.
pub fn set_cookie(value: &str) {
    if let (Some(res), Ok(v)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(value),
    ) {
        res.append_header(header::SET_COOKIE, v);
    }
}

/// The value of cookie `name` in the current request.
pub fn request_cookie(name: &str) -> Option<String> {
    cookie_in(&use_context::<Parts>()?.headers, name)
}

/// The value of cookie `name` among request `headers`.
pub fn cookie_in(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The client's address: the socket peer, or, when the peer is a trusted
/// proxy, the right-most untrusted hop of `X-Forwarded-For` / `Forwarded`
/// (see [`crate::domain::client_address`]).
pub fn client_ip(settings: &Settings) -> Option<IpAddr> {
    let parts = use_context::<Parts>()?;
    // `MockConnectInfo` is how tests stand in for the socket peer.
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .or_else(|| {
            parts
                .extensions
                .get::<axum::extract::connect_info::MockConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip())
        })?;
    let lines = |name: &str| -> Vec<&str> {
        parts
            .headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect()
    };
    Some(crate::domain::client_address::client_ip(
        peer,
        &lines("x-forwarded-for"),
        &lines("forwarded"),
        &settings.trusted_proxies,
    ))
}

/// The keyed hash of the client's budget key (its IPv4 address or IPv6 /64):
/// rate-limit keys and the captcha binding use it, so no address is stored in
/// clear.
pub fn client_key(settings: &Settings) -> String {
    let key = client_ip(settings).map_or_else(
        || "unknown".to_owned(),
        crate::domain::client_address::budget_key,
    );
    crate::services::keyed_hash(settings.secret(), "ip", &key)
}

/// The captcha binding for this client: a prefix of its keyed IP hash.
pub fn captcha_binding(settings: &Settings) -> String {
    client_key(settings)[..16].to_owned()
}

/// A form posted by a browser without JavaScript (it asks for HTML back).
pub fn is_plain_form_post() -> bool {
    use_context::<Parts>()
        .and_then(|p| {
            p.headers
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}

/// Drops the values of fields `secret` says are secret when the form was posted
/// without JavaScript: its errors travel back in a redirect URL, which must not
/// carry security answers into the browser's history.
pub fn keep_secrets_out_of_urls(
    mut errors: FormErrors,
    secret: impl Fn(&str) -> bool,
) -> FormErrors {
    if is_plain_form_post() {
        errors.values.retain(|(field, _)| !secret(field));
    }
    errors
}

/// The cédula the current request is about, once a step knows it (audit).
#[derive(Clone)]
struct AuditCedula(String);

/// Tells the audit log which cédula this request is about.
pub fn audit_cedula(cedula: &str) {
    provide_context(AuditCedula(cedula.to_owned()));
}

/// The staff user behind the current request (audit: who).
#[derive(Clone)]
struct AuditActor(String);

/// Tells the audit log which staff user this request is from, before their
/// session is complete (the second factor's tries).
pub fn audit_staff_actor(username: &str) {
    provide_context(AuditActor(username.to_owned()));
}

/// A staff user's reason or note for what the request does (audit: why).
#[derive(Clone)]
struct AuditDetail(String);

/// Tells the audit log why a staff user does what this request does.
pub fn audit_detail(detail: &str) {
    provide_context(AuditDetail(detail.to_owned()));
}

/// The signed-in staff user, when their role allows `needed`. Without a staff
/// session: 401, or 403 when the request carries an affiliate's session (an
/// affiliate never reaches the console). A role too low: 403.
pub async fn staff_user(
    needed: crate::domain::staff::Role,
) -> Result<crate::services::staff::StaffUser, AppError> {
    let st = state();
    let now = crate::services::now_unix();
    let user = match request_cookie(staff_cookie_name(&st.settings)) {
        Some(token) => crate::services::staff::session_user(&st.db, &st.settings, &token, now)
            .await
            .map_err(internal("staff session"))?,
        None => None,
    };
    match user {
        Some(u) => {
            provide_context(AuditActor(u.username.clone()));
            if u.role.allows(needed) {
                Ok(u)
            } else {
                Err(AppError::Forbidden)
            }
        }
        None if request_cookie(session_cookie_name(&st.settings)).is_some() => {
            Err(AppError::Forbidden)
        }
        None => Err(AppError::StaffSignedOut),
    }
}

/// For a server function that only reads (a page's data): on error, the
/// status says why (401, 403, 404…), with no redirect.
pub fn view_result<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let (Err(e), Some(res)) = (&result, use_context::<ResponseOptions>()) {
        res.set_status(e.status());
    }
    result
}

/// Finishes a server function like [`finish`], after writing its outcome to
/// the audit log: the one place every step, request, login and staff action
/// is recorded (who — the affiliate or the staff user —, action, cédula when
/// known, keyed hash of the client IP, outcome, time, and a staff user's
/// reason). Never a value the user typed other than the cédula.
pub async fn conclude<T>(
    result: Result<T, AppError>,
    fn_path: &str,
    page: &str,
) -> Result<T, AppError> {
    record_outcome(&result, fn_path).await;
    finish(result, fn_path, page).await
}

/// Like [`conclude`] for a staff server function that only reads (looking an
/// affiliate up is itself an audited action): the status says how it ended,
/// with no redirect.
pub async fn conclude_view<T>(result: Result<T, AppError>, fn_path: &str) -> Result<T, AppError> {
    record_outcome(&result, fn_path).await;
    view_result(result)
}

async fn record_outcome<T>(result: &Result<T, AppError>, fn_path: &str) {
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

/// Finishes a server function: sets the HTTP status, and for a form posted
/// without JavaScript redirects back to `page` with the error in the URL
/// (where the page's `ServerAction` reads it). The values the user typed never
/// go into that URL: they wait on the server for that one page (see
/// [`crate::services::echo`]). The `Referer` header is not used: the site sends
/// `Referrer-Policy: no-referrer`.
async fn finish<T>(result: Result<T, AppError>, fn_path: &str, page: &str) -> Result<T, AppError> {
    let Err(err) = &result else {
        return result;
    };
    let Some(res) = use_context::<ResponseOptions>() else {
        return result;
    };
    if is_plain_form_post() {
        let err = values_kept_on_the_server(err.clone()).await;
        let base = format!("http://localhost{page}");
        let location = ServerFnUrlError::new(fn_path, err)
            .to_url(&base)
            .map(|u| format!("{}?{}", u.path(), u.query().unwrap_or_default()))
            .unwrap_or_else(|_| page.to_owned());
        if let Ok(v) = HeaderValue::from_str(&location) {
            res.insert_header(header::LOCATION, v);
        }
        res.set_status(StatusCode::SEE_OTHER);
    } else {
        res.set_status(err.status());
        if matches!(err, AppError::Busy(_)) {
            say_when_to_retry(&res);
        }
    }
    result
}

/// `Retry-After` on a "too busy" answer (the server function's, or the page
/// a form posted without JavaScript is sent back to).
pub fn say_when_to_retry(res: &ResponseOptions) {
    res.insert_header(
        header::RETRY_AFTER,
        HeaderValue::from(crate::services::hashing::RETRY_AFTER_SECS),
    );
}

/// `err` without the typed values, which are kept on the server behind a
/// short-lived cookie for the page the redirect leads to.
async fn values_kept_on_the_server(mut err: AppError) -> AppError {
    let (AppError::Form(form) | AppError::RateLimited(form) | AppError::Busy(form)) = &mut err
    else {
        return err;
    };
    let values = std::mem::take(&mut form.values);
    if values.is_empty() {
        return err;
    }
    let st = state();
    match crate::services::echo::keep(&st.db, &values, crate::services::now_unix()).await {
        Ok(token) => set_cookie(&cookie(
            &st.settings,
            echo_cookie_name(&st.settings),
            &token,
            Some(crate::services::echo::ECHO_SECS),
        )),
        // The page then shows its errors with empty fields.
        Err(e) => tracing::error!(error = %e, "keep typed values"),
    }
    err
}

/// Name of the cookie that leads an error page to the values its form typed.
pub fn echo_cookie_name(settings: &Settings) -> &'static str {
    if settings.secure_cookies() {
        "__Host-clave_echo"
    } else {
        crate::services::echo::COOKIE
    }
}

/// `Set-Cookie` value that removes the typed-values cookie.
pub fn clear_echo_cookie(settings: &Settings) -> String {
    clear_cookie(settings, echo_cookie_name(settings))
}

/// Logs an internal failure and turns it into the generic error.
pub fn internal(context: &'static str) -> impl FnOnce(sea_orm::DbErr) -> AppError {
    move |e| {
        tracing::error!(error = %e, "{context}");
        AppError::Internal
    }
}

pub fn state() -> AppState {
    expect_context::<AppState>()
}

/// The flow behind this request's cookie, if it is a flow of `kind` and may
/// take the step that expects `expected`: otherwise the error that tells the
/// user where to go.
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
        state: current,
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
    use sea_orm::EntityTrait;
    entity::affiliate::Entity::find_by_id(flow.cedula.clone())
        .one(&state().db)
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
        until: crate::domain::ecuador_time::date_time(until),
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
