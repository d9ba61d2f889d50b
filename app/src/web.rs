//! Request/response plumbing shared by the server functions (server only).

use crate::error::AppError;
use crate::services::{AppState, Settings};
use axum::http::{header, request::Parts, HeaderValue, StatusCode};
use leptos::prelude::*;
use leptos::server_fn::error::ServerFnUrlError;
use leptos_axum::ResponseOptions;
use std::net::{IpAddr, SocketAddr};

/// Name of the flow cookie; `__Host-` pins it to this origin over HTTPS.
pub fn flow_cookie_name(settings: &Settings) -> &'static str {
    if settings.secure_cookies() {
        "__Host-clave_flow"
    } else {
        "clave_flow"
    }
}

/// `Set-Cookie` value for the flow token (HttpOnly, SameSite=Lax, Path=/).
pub fn flow_cookie(settings: &Settings, token: &str, max_age_secs: i64) -> String {
    let secure = if settings.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}",
        flow_cookie_name(settings)
    )
}

/// The value of cookie `name` in the current request.
pub fn request_cookie(name: &str) -> Option<String> {
    let parts = use_context::<Parts>()?;
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The client's address: the socket peer, or the last `X-Forwarded-For` hop
/// when the operator said a trusted proxy sets it.
pub fn client_ip(settings: &Settings) -> Option<IpAddr> {
    let parts = use_context::<Parts>()?;
    if settings.trust_forwarded_for {
        if let Some(ip) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse().ok())
        {
            return Some(ip);
        }
    }
    // `MockConnectInfo` is how tests stand in for the socket peer.
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .or_else(|| {
            parts
                .extensions
                .get::<axum::extract::connect_info::MockConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip())
        })
}

/// The keyed hash of the client's IP: rate-limit keys and the captcha binding
/// use it, so no address is stored in clear.
pub fn client_key(settings: &Settings) -> String {
    let ip = client_ip(settings).map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
    crate::services::keyed_hash(settings.secret(), "ip", &ip)
}

/// The captcha binding for this client: a prefix of its keyed IP hash.
pub fn captcha_binding(settings: &Settings) -> String {
    client_key(settings)[..16].to_owned()
}

/// A form posted by a browser without JavaScript (it asks for HTML back).
fn is_plain_form_post() -> bool {
    use_context::<Parts>()
        .and_then(|p| {
            p.headers
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}

/// Finishes a server function: logs internal errors, sets the HTTP status, and
/// for a form posted without JavaScript redirects back to `page` with the error
/// in the URL (where the page's `ServerAction` reads it). The `Referer` header is
/// not used: the site sends `Referrer-Policy: no-referrer`.
pub fn finish<T>(result: Result<T, AppError>, fn_path: &str, page: &str) -> Result<T, AppError> {
    let Err(err) = &result else {
        return result;
    };
    let Some(res) = use_context::<ResponseOptions>() else {
        return result;
    };
    if is_plain_form_post() {
        let base = format!("http://localhost{page}");
        let location = ServerFnUrlError::new(fn_path, err.clone())
            .to_url(&base)
            .map(|u| format!("{}?{}", u.path(), u.query().unwrap_or_default()))
            .unwrap_or_else(|_| page.to_owned());
        if let Ok(v) = HeaderValue::from_str(&location) {
            res.insert_header(header::LOCATION, v);
        }
        res.set_status(StatusCode::SEE_OTHER);
    } else {
        res.set_status(err.status());
    }
    result
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
