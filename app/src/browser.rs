//! The islands' requests to the server, written once (in the browser only).
//!
//! Every request goes to a server function's own address, the one its form
//! posts to without JavaScript, so the server judges it the same way: a form's
//! fields posted as the browser posts them, and the answer read as JSON (a
//! widget's data) or as a page (the wizard's next step). The server
//! functions' typed clients are not used: this one small path is what reaches
//! the WASM every phone downloads.

use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestInit, Response, UrlSearchParams};

/// How long an answer may take before the person is told and may try again.
const PATIENCE_MS: u32 = 30_000;

/// Fields to post, by name.
pub fn fields(pairs: &[(&str, &str)]) -> UrlSearchParams {
    let params = UrlSearchParams::new().expect("URLSearchParams");
    for (name, value) in pairs {
        params.append(name, value);
    }
    params
}

/// `url` fetched (`body`: posted), asking for `accept`; `Err` when there is
/// no answer: unreachable, or none within [`PATIENCE_MS`].
pub async fn send(url: &str, body: Option<&UrlSearchParams>, accept: &str) -> Result<Response, ()> {
    let init = RequestInit::new();
    let headers = Headers::new().map_err(drop)?;
    headers.set("Accept", accept).map_err(drop)?;
    init.set_headers(&headers);
    if let Some(body) = body {
        init.set_method("POST");
        init.set_body(body);
    }
    let abort = AbortController::new().map_err(drop)?;
    init.set_signal(Some(&abort.signal()));
    let timer = gloo_timers::callback::Timeout::new(PATIENCE_MS, move || abort.abort());
    let window = web_sys::window().ok_or(())?;
    let answer = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await;
    drop(timer);
    answer.map_err(drop)?.dyn_into().map_err(drop)
}

/// The whole text of an answer.
pub async fn text(answer: &Response) -> Result<String, ()> {
    let body = answer.text().map_err(drop)?;
    JsFuture::from(body)
        .await
        .map_err(drop)?
        .as_string()
        .ok_or(())
}

/// A server function's answer as JSON: `Err` for no answer, a refusal or an
/// answer that is not a `T`.
pub async fn json<T: DeserializeOwned>(url: &str, body: Option<&UrlSearchParams>) -> Result<T, ()> {
    let answer = send(url, body, "application/json").await?;
    if !answer.ok() {
        return Err(());
    }
    serde_json::from_str(&text(&answer).await?).map_err(drop)
}
