//! The challenge behind "No soy un robot" (SPEC §4.1) on step 1 of both flows
//! and on the call-back form: a fresh proof of work in ALTCHA's v1 wire format,
//! bound to the client and never cached. The checkbox island
//! (`components::captcha::CaptchaCheckbox`) asks for it when it is ticked; the
//! forms that carry the solution redeem it once (`services::captcha`).
//!
//! Reveals: nothing (a random salt, the difficulty, an expiry, a signature).
//! Without JavaScript it is never asked for: those forms work under stricter
//! per-client and per-cédula limits instead.

use crate::domain::captcha::Challenge;
use crate::error::AppError;
use leptos::prelude::*;

/// A fresh challenge, never cached.
#[server(endpoint = "captcha/challenge", input = leptos::server_fn::codec::GetUrl)]
pub async fn captcha_challenge() -> Result<Challenge, AppError> {
    use crate::services::{captcha, now_unix, AppState};
    let state = expect_context::<AppState>();
    let res = expect_context::<leptos_axum::ResponseOptions>();
    res.insert_header(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    let s = &state.settings;
    Ok(captcha::issue(
        s.secret(),
        s.captcha_maxnumber,
        s.captcha_ttl_secs,
        now_unix(),
        &crate::web::captcha_binding(s),
    ))
}
