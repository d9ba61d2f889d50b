//! The cookies: the flow's, the affiliate's and the staff member's sessions,
//! and the one that leads an error page to the values its form typed. Names
//! are `__Host-` prefixed whenever the site is served over HTTPS.

use crate::services::Settings;
use axum::http::{header, request::Parts, HeaderValue};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

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
pub(super) fn cookie(settings: &Settings, name: &str, value: &str, max_age: Option<i64>) -> String {
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
