//! Which language a request gets, and the switch's answer (see `crate::lang`).

use super::{cookie, cookie_in, echo_cookie_name};
use crate::domain::steps::Step;
use crate::lang::Lang;
use crate::services::{AppState, Settings};
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

/// How long the choice is remembered: a year.
const CHOICE_SECS: i64 = 365 * 24 * 3600;

/// Name of the cookie that keeps the chosen language (prefixed like the others).
pub fn language_cookie_name(settings: &Settings) -> &'static str {
    if settings.secure_cookies() {
        "__Host-clave_idioma"
    } else {
        "clave_idioma"
    }
}

/// The language of a request: the switch's cookie, else `Accept-Language`.
pub fn request_lang(settings: &Settings, headers: &HeaderMap) -> Lang {
    cookie_in(headers, language_cookie_name(settings))
        .and_then(|code| Lang::from_code(&code))
        .unwrap_or_else(|| {
            Lang::from_accept_language(
                headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or(""),
            )
        })
}

/// Middleware: puts the request's language on it (where [`crate::lang::lang`]
/// finds it) and says it in the answer's `Content-Language`.
pub async fn choose_language(
    State(state): State<AppState>,
    mut req: Request<Body>,
    next: Next,
) -> Response {
    let lang = request_lang(&state.settings, req.headers());
    req.extensions_mut().insert(lang);
    let mut res = next.run(req).await;
    res.headers_mut().insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.tag()),
    );
    res
}

/// The fields whose typed values the switch keeps: what the pages with a
/// step's form ask that is not a secret (cédula, e-mail, phone, country,
/// preferred time, the chosen questions, a staff user name). Anything else —
/// claves, codes, answers, the birth date, the dactilar code, the robot
/// proof, a consent given to a text in the other language, a field added
/// later — is dropped unless listed here.
const KEPT: [&str; 10] = [
    "cedula",
    "correo",
    "telefono",
    "pais",
    "horario",
    "usuario",
    "pregunta1",
    "pregunta2",
    "pregunta3",
    "pregunta4",
];

/// The longest value kept (the forms' own fields are shorter).
const KEPT_CHARS: usize = 300;

/// Whether the switch keeps what was typed in field `name`.
pub fn is_kept_field(name: &str) -> bool {
    KEPT.contains(&name)
}

#[derive(Deserialize)]
pub struct Back {
    volver: Option<String>,
}

/// `POST /idioma?volver=…` with `idioma=en|es` (the button) and, from a step's
/// form, what was typed: remembers the language and sends the person back to
/// the same page, the typed values kept on the server for it like an error
/// page's (`services::echo`), only those of [`KEPT`]. An error in the way back's
/// query is dropped too: it was written in the other language, and the step
/// judges again when the person continues.
pub async fn switch(
    State(state): State<AppState>,
    Query(back): Query<Back>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let Some(lang) = fields
        .iter()
        .find(|(k, _)| k == "idioma")
        .and_then(|(_, v)| Lang::from_code(v))
    else {
        return (
            StatusCode::BAD_REQUEST,
            "Idioma desconocido. Unknown language.",
        )
            .into_response();
    };
    let settings = &state.settings;
    let mut res = (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, way_back(back.volver.as_deref()))],
    )
        .into_response();
    let mut set = |value: String| {
        if let Ok(v) = HeaderValue::from_str(&value) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    };
    set(cookie(
        settings,
        language_cookie_name(settings),
        lang.code(),
        Some(CHOICE_SECS),
    ));
    let typed: Vec<(String, String)> = fields
        .into_iter()
        .filter(|(k, v)| is_kept_field(k) && !v.is_empty() && v.chars().count() <= KEPT_CHARS)
        .collect();
    if !typed.is_empty() {
        match crate::services::echo::keep(&state.db, &typed, crate::services::now_unix()).await {
            Ok(token) => set(cookie(
                settings,
                echo_cookie_name(settings),
                &token,
                Some(crate::services::echo::ECHO_SECS),
            )),
            // The page then comes back with empty fields.
            Err(e) => tracing::error!(error = %e, "keep typed values for the switch"),
        }
    }
    res
}

/// The page `volver` names, if it is one of the table's (its query kept,
/// without a server function's error); the home page otherwise.
fn way_back(volver: Option<&str>) -> HeaderValue {
    let (path, query) = volver
        .unwrap_or("")
        .split_once('?')
        .unwrap_or((volver.unwrap_or(""), ""));
    let Some(step) = Step::at(path) else {
        return HeaderValue::from_static(Step::Home.path());
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|kv| !kv.is_empty() && !kv.starts_with("__"))
        .collect();
    let to = if kept.is_empty() {
        step.path().to_owned()
    } else {
        format!("{}?{}", step.path(), kept.join("&"))
    };
    HeaderValue::from_str(&to).unwrap_or(HeaderValue::from_static(Step::Home.path()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_way_back_is_a_page_of_the_table_without_an_error() {
        let cases = [
            (None, "/"),
            (Some(""), "/"),
            (Some("https://elsewhere.example/recuperar"), "/"),
            (Some("//elsewhere.example/recuperar"), "/"),
            (Some("/no-such-page"), "/"),
            (Some("/recuperar/buscar"), "/recuperar/buscar"),
            (
                Some("/solicitar/contacto?__path=x&__err=y"),
                "/solicitar/contacto",
            ),
            (
                Some("/personal/afiliado?cedula=1710034065&__err=y"),
                "/personal/afiliado?cedula=1710034065",
            ),
            (Some("/recuperar/buscar?a=\r\nSet-Cookie:x"), "/"),
        ];
        for (volver, want) in cases {
            assert_eq!(way_back(volver), want, "{volver:?}");
        }
    }

    #[test]
    fn only_what_is_not_secret_is_kept() {
        // Every field name the step forms post, by hand from their pages.
        for f in [
            "clave",
            "clave_confirmacion",
            "codigo",
            "respuesta1",
            "respuesta4",
            "secreto",
            "captcha",
            "robot",
            "dactilar",
            "day",
            "month",
            "year",
            "consentimiento",
            "flujo",
            "idioma",
            "nombre",
            "motivo",
            "rol",
        ] {
            assert!(!is_kept_field(f), "{f}");
        }
        for f in [
            "cedula",
            "correo",
            "telefono",
            "pais",
            "horario",
            "usuario",
            "pregunta1",
            "pregunta4",
        ] {
            assert!(is_kept_field(f), "{f}");
        }
    }
}
