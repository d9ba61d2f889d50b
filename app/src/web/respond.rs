//! How a server function answers: the HTTP status, and for a form posted as
//! a page (every step's form) a redirect back to it with the error, the typed
//! values kept on the server, never in the URL; every outcome audited.

use super::audit::record_outcome;
use super::{cookie, echo_cookie_name, set_cookie, state};
use crate::error::{AppError, FormErrors};
use axum::http::{header, request::Parts, HeaderValue, StatusCode};
use leptos::prelude::*;
use leptos::server_fn::error::ServerFnUrlError;
use leptos_axum::ResponseOptions;

/// A form posted as a page, asking for HTML back: every step's form, with or
/// without JavaScript (only islands fetch, and they ask for JSON).
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

/// What a form posted without JavaScript typed, kept on the server for the
/// page its redirect leads to (`services::echo`; the middleware puts it on the
/// request).
pub fn form_echo() -> Vec<(String, String)> {
    use_context::<Parts>()
        .and_then(|p| {
            p.extensions
                .get::<crate::services::echo::FormEcho>()
                .cloned()
        })
        .map(|e| e.0)
        .unwrap_or_default()
}

/// Drops the values of fields `secret` says are secret when the form was posted
/// as a page: its errors travel back in a redirect URL, which must not
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

/// For a server function that only reads (a page's data): on error, the
/// status says why (401, 403, 404…), with no redirect.
pub fn view_result<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let (Err(e), Some(res)) = (&result, use_context::<ResponseOptions>()) {
        res.set_status(e.status());
        say_when_to_retry(&res, e);
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

/// Finishes a server function: sets the HTTP status, and for a form posted
/// as a page redirects back to `page` with the error in the URL
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
        say_when_to_retry(&res, err);
    }
    result
}

/// `Retry-After` on an answer whose error passes by itself (too busy, the
/// database away): the server function's, or the page a form posted as a
/// page is sent back to.
fn say_when_to_retry(res: &ResponseOptions, err: &AppError) {
    if let Some(secs) = err.retry_after_secs() {
        res.insert_header(header::RETRY_AFTER, HeaderValue::from(secs));
    }
}

/// A page showing `err`: when it passes by itself (too busy, the database
/// away), the page answers its 503 and when to retry.
pub fn page_says_retry_later(err: &AppError) {
    if let (Some(_), Some(res)) = (err.retry_after_secs(), use_context::<ResponseOptions>()) {
        res.set_status(err.status());
        say_when_to_retry(&res, err);
    }
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
