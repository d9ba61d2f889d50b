//! The page's language over HTTP: `Accept-Language` on a first visit, the
//! switch's cookie after it, and the switch itself (`POST /idioma`) bringing
//! the person back to the same page with what they typed, secrets aside.

mod common;

use app::services::test_support;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;
use entity::form_echo;
use sea_orm::EntityTrait;

fn get_lang(uri: &str, accept_language: &str, cookie: Option<&str>) -> Request<Body> {
    let mut req = Request::get(uri)
        .header(header::ACCEPT, "text/html")
        .header(header::ACCEPT_LANGUAGE, accept_language);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::empty()).unwrap()
}

fn switch(volver: &str, fields: &[(&str, &str)], origin: Option<&str>) -> Request<Body> {
    let body = form_encode(fields);
    let mut req = Request::post(format!("/idioma?volver={}", urlencode(volver)))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::CONTENT_LENGTH, body.len());
    if let Some(o) = origin {
        req = req.header(header::ORIGIN, o);
    }
    req.body(Body::from(body)).unwrap()
}

/// Every `name=value` the answer sets, as a browser would send them back.
fn cookies(headers: &axum::http::HeaderMap) -> Vec<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_first_visit_gets_the_language_its_browser_asks_for_and_the_choice_wins_after() {
    let h = harness(test_support::sqlite().await, &[]).await;
    // (Accept-Language, cookie, the page's lang, the switch's other language)
    let cases = [
        ("en-US,en;q=0.9", None, "en", "Español"),
        ("es-EC,es;q=0.9,en;q=0.8", None, "es-EC", "English"),
        ("fr-FR,fr;q=0.9", None, "es-EC", "English"),
        (
            "en-US,en;q=0.9",
            Some("clave_idioma=es"),
            "es-EC",
            "English",
        ),
        ("es", Some("clave_idioma=en"), "en", "Español"),
        ("en", Some("clave_idioma=fr"), "en", "Español"),
    ];
    for (accept, cookie, lang, other) in cases {
        let (status, headers, html) = send(&h.app, get_lang("/", accept, cookie)).await;
        assert_eq!(status, StatusCode::OK, "{accept} {cookie:?}");
        assert!(
            html.contains(&format!("<html lang=\"{lang}\"")),
            "{accept} {cookie:?}"
        );
        assert_eq!(
            headers[header::CONTENT_LANGUAGE],
            lang,
            "{accept} {cookie:?}"
        );
        assert!(
            html.contains(&format!(">{other}</button>")),
            "{accept} {cookie:?}: the switch offers {other}"
        );
    }
    let (_, _, english) = send(&h.app, get_lang("/recuperar/buscar", "en", None)).await;
    assert!(english.contains("Skip to main content"));
    assert!(!english.contains("Saltar al contenido principal"));
}

#[tokio::test]
async fn the_switch_brings_back_the_same_page_with_the_cedula_typed_and_nothing_secret() {
    for db in [test_support::sqlite().await, test_support::postgres().await] {
        let h = harness(db, &[]).await;
        let (status, headers, _) = send(
            &h.app,
            switch(
                "/ingresar",
                &[
                    ("cedula", "1712345675"),
                    ("clave", "una clave que no viaja"),
                    ("codigo", "123456"),
                    ("respuesta1", "Andrea"),
                    ("day", "14"),
                    ("month", "3"),
                    ("year", "1985"),
                    ("dactilar", "V4443V4242"),
                    ("captcha", "prueba"),
                    ("robot", "si"),
                    ("consentimiento", "si"),
                    ("idioma", "en"),
                ],
                None,
            ),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(headers[header::LOCATION], "/ingresar");
        let set: Vec<String> = headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        assert!(
            set.iter()
                .any(|c| c.starts_with("clave_idioma=en;") && c.contains("Max-Age=31536000")),
            "{set:?}"
        );
        // What waits on the server for the page: the cédula alone, none of the
        // clave, code, answer, birth date, dactilar code, robot proof or consent.
        let kept: Vec<String> = form_echo::Entity::find()
            .all(&h.db)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.field_values)
            .collect();
        assert_eq!(kept, vec![r#"[["cedula","1712345675"]]"#.to_owned()]);
        let (status, _, html) =
            send(&h.app, get_with("/ingresar", &cookies(&headers).join("; "))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("<html lang=\"en\""));
        assert!(
            html.contains("value=\"1712345675\""),
            "the cédula comes back"
        );
        assert!(!html.contains("una clave que no viaja"));
        assert!(!html.contains("error-summary"));
    }
}

#[tokio::test]
async fn the_switch_leads_back_only_to_a_page_of_the_site_and_drops_its_error() {
    let h = harness(test_support::sqlite().await, &[]).await;
    let cases = [
        ("https://elsewhere.example/ingresar", "/"),
        ("//elsewhere.example/", "/"),
        ("/no-existe", "/"),
        (
            "/recuperar/buscar?__path=%2Fapi%2Frecuperar%2Fbuscar&__err=abc",
            "/recuperar/buscar",
        ),
        (
            "/personal/afiliado?cedula=1712345675",
            "/personal/afiliado?cedula=1712345675",
        ),
    ];
    for (volver, location) in cases {
        let (status, headers, _) = send(&h.app, switch(volver, &[("idioma", "es")], None)).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{volver}");
        assert_eq!(headers[header::LOCATION], location, "{volver}");
    }
}

#[tokio::test]
async fn an_unknown_language_or_another_site_changes_nothing() {
    let h = harness(test_support::sqlite().await, &[]).await;
    for fields in [
        &[("idioma", "fr")][..],
        &[("idioma", "")],
        &[("cedula", "1712345675")],
    ] {
        let (status, headers, _) = send(&h.app, switch("/", fields, None)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{fields:?}");
        assert!(headers.get(header::SET_COOKIE).is_none(), "{fields:?}");
    }
    let (status, headers, _) = send(
        &h.app,
        switch(
            "/",
            &[("idioma", "en"), ("cedula", "1712345675")],
            Some("https://elsewhere.example"),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(headers.get(header::SET_COOKIE).is_none());
    assert_eq!(form_echo::Entity::find().all(&h.db).await.unwrap().len(), 0);
}
