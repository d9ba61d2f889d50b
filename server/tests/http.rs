//! HTTP-level tests of step 1 and the application shell, driving `app()` with
//! `oneshot` on SQLite and PostgreSQL.

mod common;

use app::domain::captcha::{self, Solution, ALGORITHM};
use app::services::test_support;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;
use entity::{captcha_use, limit_event, recovery_flow};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

/// A step-1 post as the hydrated page sends it (JSON back) or as a plain form.
fn post_buscar(fields: &[(&str, &str)], plain_form: bool) -> Request<Body> {
    post_form("/api/recuperar/buscar", None, fields, plain_form)
}

async fn solved(h: &Harness) -> String {
    let req = Request::get("/api/captcha/challenge")
        .header(header::ACCEPT, "application/json")
        .body(Body::empty())
        .unwrap();
    let (status, headers, body) = send(&h.app, req).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    let c: captcha::Challenge = serde_json::from_str(&body).unwrap();
    let number = captcha::solve(&c).unwrap();
    Solution {
        algorithm: ALGORITHM.into(),
        challenge: c.challenge,
        number,
        salt: c.salt,
        signature: c.signature,
        took: 5,
    }
    .to_payload()
}

async fn counts(db: &DatabaseConnection) -> (u64, u64, u64) {
    (
        recovery_flow::Entity::find().count(db).await.unwrap(),
        limit_event::Entity::find().count(db).await.unwrap(),
        captcha_use::Entity::find().count(db).await.unwrap(),
    )
}

#[tokio::test]
async fn pages_carry_the_security_headers() {
    let h = harness(test_support::sqlite().await, &[]).await;
    let (status, headers, body) = send(&h.app, get("/recuperar/buscar")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<html lang=\"es-EC\""));
    assert!(body.contains("novalidate"));
    assert!(body.contains("autocomplete=\"username\""));
    assert!(body.contains("inputmode=\"numeric\""));
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"));
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .expect("a nonce in the CSP");
    assert!(
        body.contains(&format!("nonce=\"{nonce}\"")),
        "scripts carry the nonce"
    );
    assert_eq!(headers[header::REFERRER_POLICY], "no-referrer");
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(
        headers.get(header::STRICT_TRANSPORT_SECURITY).is_none(),
        "no HSTS on plain HTTP"
    );

    let (status, _, body) = send(&h.app, get("/no-such-page")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("No encontramos esa página"));
    assert_eq!(send(&h.app, get("/healthz")).await.0, StatusCode::OK);
    assert_eq!(send(&h.app, get("/readyz")).await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_valid_cedula_starts_a_flow_the_same_way_registered_or_not() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, &[]).await;
        let mut shapes = Vec::new();
        for cedula in [REGISTERED, UNREGISTERED] {
            let payload = solved(&h).await;
            let typed = format!("{}-{}", &cedula[..9], &cedula[9..]);
            let (status, headers, body) = send(
                &h.app,
                post_buscar(
                    &[("cedula", &typed), ("robot", "si"), ("captcha", &payload)],
                    true,
                ),
            )
            .await;
            assert!(status.is_redirection(), "{name}: {status} {body}");
            assert_eq!(headers[header::LOCATION], "/recuperar/identidad");
            let cookie = headers[header::SET_COOKIE].to_str().unwrap().to_owned();
            assert!(cookie.starts_with("clave_flow="), "{cookie}");
            for attr in ["HttpOnly", "SameSite=Lax", "Path=/"] {
                assert!(cookie.contains(attr), "{name}: {cookie} lacks {attr}");
            }
            let token = cookie["clave_flow=".len()..]
                .split(';')
                .next()
                .unwrap()
                .to_owned();
            assert_eq!(token.len(), 64, "256-bit token");
            shapes.push((status, body));

            let page = Request::get("/recuperar/identidad")
                .header(header::COOKIE, format!("clave_flow={token}"))
                .body(Body::empty())
                .unwrap();
            let (status, _, html) = send(&h.app, page).await;
            assert_eq!(status, StatusCode::OK);
            assert!(html.contains(cedula), "{name}: the cédula is shown back");
            assert!(html.contains("¿Cuál es su fecha de nacimiento?"));
        }
        assert_eq!(
            shapes[0], shapes[1],
            "{name}: registered and unknown look the same"
        );
        assert_eq!(counts(&h.db).await.0, 2);
    }
}

#[tokio::test]
async fn bad_input_is_refused_clearly_and_writes_nothing() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, &[]).await;
        let payload = solved(&h).await;
        let before = counts(&h.db).await;
        for (cedula, expected) in [
            ("", "Ingrese su número de cédula"),
            ("123", "10 dígitos"),
            ("17143O7103", "solo puede tener números"),
            ("9914307103", "provincia"),
            ("1794307103", "tercer dígito"),
            ("1714307104", "último dígito"),
        ] {
            let (status, _, body) = send(
                &h.app,
                post_buscar(
                    &[("cedula", cedula), ("robot", "si"), ("captcha", &payload)],
                    false,
                ),
            )
            .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {cedula}");
            assert!(body.contains(expected), "{name}: {cedula} → {body}");
            assert!(
                body.contains(&format!("\"{cedula}\"")),
                "input kept: {body}"
            );
        }
        let (status, _, body) = send(
            &h.app,
            post_buscar(&[("cedula", REGISTERED), ("captcha", &payload)], false),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("No soy un robot"));
        // Garbage and missing fields never crash the handler.
        let (status, _, _) = send(&h.app, post_buscar(&[("robot", "si")], false)).await;
        assert!(status.is_client_error(), "{name}: {status}");
        assert_eq!(counts(&h.db).await, before, "{name}: nothing written");
    }
}

#[tokio::test]
async fn without_javascript_errors_come_back_on_the_page() {
    let h = harness(test_support::sqlite().await, &[]).await;
    let (status, headers, _) = send(
        &h.app,
        post_buscar(&[("cedula", "17143071"), ("robot", "si")], true),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers[header::LOCATION].to_str().unwrap().to_owned();
    assert!(
        location.starts_with("/recuperar/buscar?__path="),
        "{location}"
    );
    // The typed cédula waits on the server; the browser follows the cookie.
    let (status, _, html) = send(&h.app, get_with(&location, &set_cookie(&headers))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<title>Error: "), "title prefixed");
    assert!(html.contains("error-summary"));
    assert!(html.contains("href=\"#cedula\""));
    assert!(html.contains("La cédula debe tener 10 dígitos."));
    assert!(html.contains("value=\"17143071\""), "input kept");
    assert!(html.contains("aria-invalid=\"true\""));
    assert_eq!(counts(&h.db).await, (0, 0, 0));
}

#[tokio::test]
async fn a_refused_cedula_gives_back_the_unspent_proof_of_work() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, &[]).await;
        let payload = solved(&h).await;
        // A wrong check digit: refused before the proof is redeemed.
        let fields = [
            ("cedula", "1714307104"),
            ("robot", "si"),
            ("captcha", &payload),
        ];
        let (status, headers, _) = send(&h.app, post_buscar(&fields, true)).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{name}");
        let location = headers[header::LOCATION].to_str().unwrap().to_owned();
        assert!(!location.contains(&payload), "{name}: never in the URL");
        let (status, _, html) = send(&h.app, get_with(&location, &set_cookie(&headers))).await;
        assert_eq!(status, StatusCode::OK, "{name}");
        // The box comes back ticked, its island given the unspent proof.
        assert!(html.contains(&payload), "{name}: the proof comes back");
        assert!(
            html.contains(r#"name="robot" value="si" checked"#),
            "{name}: ticked"
        );
        assert_eq!(counts(&h.db).await, (0, 0, 0), "{name}: nothing spent");
        // Corrected, the same proof starts the flow, once.
        let fields = [
            ("cedula", REGISTERED),
            ("robot", "si"),
            ("captcha", &payload),
        ];
        let (status, _, body) = send(&h.app, post_buscar(&fields, false)).await;
        assert_eq!(status, StatusCode::OK, "{name}: {body}");
        let (status, _, _) = send(&h.app, post_buscar(&fields, false)).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: spent now"
        );

        // A proof refused as such never comes back.
        let (status, headers, _) = send(&h.app, post_buscar(&fields, true)).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{name}");
        let location = headers[header::LOCATION].to_str().unwrap().to_owned();
        let (_, _, html) = send(&h.app, get_with(&location, &set_cookie(&headers))).await;
        assert!(
            !html.contains(&payload),
            "{name}: a spent proof is not given back"
        );
    }
}

#[tokio::test]
async fn a_captcha_solution_works_once() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, &[]).await;
        let payload = solved(&h).await;
        let fields = [
            ("cedula", REGISTERED),
            ("robot", "si"),
            ("captcha", &payload),
        ];
        let (status, _, _) = send(&h.app, post_buscar(&fields, false)).await;
        assert_eq!(status, StatusCode::OK, "{name}");
        let (status, _, body) = send(&h.app, post_buscar(&fields, false)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(body.contains("No pudimos confirmar que no es un robot"));
        assert_eq!(counts(&h.db).await.0, 1, "{name}: no second flow");

        // A solution only counts from the address that asked for the challenge.
        let elsewhere = h.seen_from([127, 0, 0, 9]);
        let fresh = solved(&h).await;
        let fresh_fields = [("cedula", REGISTERED), ("robot", "si"), ("captcha", &fresh)];
        let (status, _, _) = send(&elsewhere, post_buscar(&fresh_fields, false)).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: other address"
        );
        let (status, _, _) = send(&h.app, post_buscar(&fresh_fields, false)).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{name}: refused elsewhere, still good here"
        );

        // A forged payload is refused the same way.
        let forged = payload.replace('A', "B");
        let (status, _, _) = send(
            &h.app,
            post_buscar(
                &[
                    ("cedula", REGISTERED),
                    ("robot", "si"),
                    ("captcha", &forged),
                ],
                false,
            ),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
    }
}

#[tokio::test]
async fn the_per_ip_budget_of_flow_starts_holds() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, &[("CLAVE_IP_FLOW_STARTS_PER_HOUR", "2")]).await;
        for i in 0..3 {
            let payload = solved(&h).await;
            let (status, _, body) = send(
                &h.app,
                post_buscar(
                    &[
                        ("cedula", REGISTERED),
                        ("robot", "si"),
                        ("captcha", &payload),
                    ],
                    false,
                ),
            )
            .await;
            if i < 2 {
                assert_eq!(status, StatusCode::OK, "{name}: start {i}");
            } else {
                assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{name}");
                assert!(
                    body.contains("demasiados intentos desde su conexión"),
                    "{body}"
                );
            }
        }
        assert_eq!(counts(&h.db).await.0, 2, "{name}");
    }
}

/// Starts without the proof of work from `app`, with these extra headers, until
/// one is refused: how many got in (at most 5).
async fn starts_until_refused(app: &axum::Router, headers: &[(&str, &str)]) -> usize {
    for i in 0..5 {
        let mut req = post_buscar(&[("cedula", REGISTERED), ("robot", "si")], false);
        for (k, v) in headers {
            req.headers_mut().append(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                axum::http::HeaderValue::from_str(v).unwrap(),
            );
        }
        let (status, _, body) = send(app, req).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            assert!(body.contains("desde su conexión"), "{body}");
            return i;
        }
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    5
}

#[tokio::test]
async fn a_forged_forwarded_for_is_ignored_unless_a_trusted_proxy_sent_it() {
    let budget = [
        ("CLAVE_NOJS_IP_FLOW_STARTS_PER_HOUR", "2"),
        ("CLAVE_NOJS_CEDULA_FLOW_STARTS_PER_HOUR", "1000"),
    ];
    let h = harness(test_support::sqlite().await, &budget).await;
    assert_eq!(starts_until_refused(&h.app, &[]).await, 2);
    for forged in ["198.51.100.1", "198.51.100.2, 198.51.100.3"] {
        assert_eq!(
            starts_until_refused(&h.app, &[("x-forwarded-for", forged)]).await,
            0,
            "no trusted proxy: {forged} changes nothing"
        );
        assert_eq!(
            starts_until_refused(&h.app, &[("forwarded", &format!("for={forged}"))]).await,
            0
        );
    }

    let mut behind = budget.to_vec();
    behind.push(("CLAVE_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8"));
    let h = harness(test_support::sqlite().await, &behind).await;
    let via = |xff: &'static str| [("x-forwarded-for", xff)];
    assert_eq!(starts_until_refused(&h.app, &via("203.0.113.5")).await, 2);
    assert_eq!(
        starts_until_refused(&h.app, &via("1.2.3.4, 203.0.113.5, 10.9.9.9")).await,
        0,
        "the client cannot pick its address by prepending one"
    );
    assert_eq!(
        starts_until_refused(&h.app, &via("203.0.113.6")).await,
        2,
        "another client behind the proxy has its own budget"
    );
    let peer = h.seen_from([192, 0, 2, 1]);
    assert_eq!(
        starts_until_refused(&peer, &via("203.0.113.6")).await,
        2,
        "a peer that is not a trusted proxy is the client itself"
    );
}

#[tokio::test]
async fn ipv6_clients_share_a_budget_per_64() {
    let h = harness(
        test_support::sqlite().await,
        &[
            ("CLAVE_NOJS_IP_FLOW_STARTS_PER_HOUR", "2"),
            ("CLAVE_NOJS_CEDULA_FLOW_STARTS_PER_HOUR", "1000"),
        ],
    )
    .await;
    let from = |ip: &str| h.seen_from_addr(std::net::SocketAddr::new(ip.parse().unwrap(), 5000));
    assert_eq!(starts_until_refused(&from("2001:db8:1:2::1"), &[]).await, 2);
    assert_eq!(
        starts_until_refused(&from("2001:db8:1:2:ffff:ffff:ffff:1"), &[]).await,
        0,
        "the same /64"
    );
    assert_eq!(
        starts_until_refused(&from("2001:db8:1:3::1"), &[]).await,
        2,
        "the next /64 is another subscriber"
    );
}

#[tokio::test]
async fn without_the_proof_of_work_stricter_limits_apply() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(
            db,
            &[
                ("CLAVE_NOJS_CEDULA_FLOW_STARTS_PER_HOUR", "1"),
                ("CLAVE_NOJS_IP_FLOW_STARTS_PER_HOUR", "3"),
            ],
        )
        .await;
        let start =
            |cedula: &'static str| post_buscar(&[("cedula", cedula), ("robot", "si")], false);
        assert_eq!(
            send(&h.app, start(REGISTERED)).await.0,
            StatusCode::OK,
            "{name}"
        );
        let (status, _, body) = send(&h.app, start(REGISTERED)).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{name}");
        assert!(
            body.contains("demasiados intentos con esta cédula"),
            "{body}"
        );
        assert_eq!(send(&h.app, start(UNREGISTERED)).await.0, StatusCode::OK);
        let (status, _, body) = send(&h.app, start("0104567896")).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{name}: per-IP");
        assert!(body.contains("desde su conexión"));
        assert_eq!(counts(&h.db).await.0, 2, "{name}");
        assert!(h.settings.nojs_ip_flow_starts_per_hour < h.settings.ip_flow_starts_per_hour);
    }
}

/// A browser without Fetch Metadata is judged by its `Referer` instead of a
/// blanket refusal; a request with none of the headers is no browser's.
#[tokio::test]
async fn without_fetch_metadata_the_referer_decides() {
    let h = harness(test_support::sqlite().await, ROOMY).await;
    for (origin, referer, expected) in [
        (
            Some("null"),
            Some("http://127.0.0.1:3000/recuperar/buscar?x=1"),
            StatusCode::OK,
        ),
        (None, Some("http://127.0.0.1:3000/"), StatusCode::OK),
        (
            Some("null"),
            Some("https://evil.example/recuperar/buscar"),
            StatusCode::FORBIDDEN,
        ),
        (
            None,
            Some("http://127.0.0.1:3000.evil.example/"),
            StatusCode::FORBIDDEN,
        ),
        (None, Some("not a url"), StatusCode::FORBIDDEN),
        (None, None, StatusCode::OK),
    ] {
        let mut req = post_buscar(&[("cedula", UNREGISTERED), ("robot", "si")], false);
        if let Some(o) = origin {
            req.headers_mut().insert(header::ORIGIN, o.parse().unwrap());
        }
        if let Some(r) = referer {
            req.headers_mut()
                .insert(header::REFERER, r.parse().unwrap());
        }
        assert_eq!(
            send(&h.app, req).await.0,
            expected,
            "{origin:?} {referer:?}"
        );
    }
}

#[tokio::test]
async fn foreign_origins_and_huge_bodies_are_refused() {
    let h = harness(test_support::sqlite().await, &[]).await;
    let mut req = post_buscar(&[("cedula", REGISTERED), ("robot", "si")], false);
    req.headers_mut()
        .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
    assert_eq!(send(&h.app, req).await.0, StatusCode::FORBIDDEN);

    let mut req = post_buscar(&[("cedula", REGISTERED), ("robot", "si")], false);
    req.headers_mut()
        .insert(header::ORIGIN, "http://127.0.0.1:3000".parse().unwrap());
    assert_eq!(send(&h.app, req).await.0, StatusCode::OK);

    // With `Referrer-Policy: no-referrer` a browser's own form post says
    // `Origin: null`; Fetch Metadata tells same-site from cross-site.
    for (site, expected) in [
        ("same-origin", StatusCode::OK),
        ("cross-site", StatusCode::FORBIDDEN),
        ("same-site", StatusCode::FORBIDDEN),
    ] {
        let mut req = post_buscar(&[("cedula", UNREGISTERED), ("robot", "si")], false);
        req.headers_mut()
            .insert(header::ORIGIN, "null".parse().unwrap());
        req.headers_mut()
            .insert("sec-fetch-site", site.parse().unwrap());
        assert_eq!(send(&h.app, req).await.0, expected, "{site}");
    }
    let mut req = post_buscar(&[("cedula", UNREGISTERED), ("robot", "si")], false);
    req.headers_mut()
        .insert(header::ORIGIN, "null".parse().unwrap());
    assert_eq!(
        send(&h.app, req).await.0,
        StatusCode::FORBIDDEN,
        "null origin alone"
    );

    let huge = "x".repeat(64 * 1024);
    let (status, _, _) = send(
        &h.app,
        post_buscar(&[("cedula", &huge), ("robot", "si")], false),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(counts(&h.db).await.0, 2);
}

#[tokio::test]
async fn the_identity_step_without_a_live_flow_offers_a_restart() {
    let h = harness(test_support::sqlite().await, &[]).await;
    let (status, _, html) = send(&h.app, get("/recuperar/identidad")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Empiece de nuevo"));
    assert!(html.contains("href=\"/recuperar/buscar\""));
    let req = Request::get("/recuperar/identidad")
        .header(header::COOKIE, format!("clave_flow={}", "a".repeat(64)))
        .body(Body::empty())
        .unwrap();
    assert!(send(&h.app, req).await.2.contains("Empiece de nuevo"));
}

/// Fuzzing the step-1 server function with arbitrary field values: never a
/// server error, never a flow or a counter from invalid input. The cases run
/// on one current-thread runtime, which also owns the database pool until it
/// is dropped inside it; shrinking a failure is bounded.
#[test]
fn arbitrary_step_one_input_gets_a_clear_answer() {
    use proptest::prelude::*;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _inside = rt.enter();
    let h = rt.block_on(async { harness(test_support::sqlite().await, &[]).await });
    proptest!(fuzz_config(), |(
        cedula in proptest::option::of(any::<String>()),
        robot in proptest::option::of("[a-z]{0,3}"),
        captcha in proptest::option::of(any::<String>()),
        plain in any::<bool>(),
    )| {
        let mut fields = Vec::new();
        if let Some(c) = &cedula { fields.push(("cedula", c.as_str())); }
        if let Some(r) = &robot { fields.push(("robot", r.as_str())); }
        if let Some(c) = &captcha { fields.push(("captcha", c.as_str())); }
        let (status, _, body) = rt.block_on(send(&h.app, post_buscar(&fields, plain)));
        prop_assert!(!status.is_server_error(), "{status}: {body}");
        let well_formed = cedula
            .as_deref()
            .is_some_and(|c| app::domain::cedula::Cedula::parse(c).is_ok());
        if !well_formed || robot.is_none() {
            prop_assert!(status.is_client_error() || status == StatusCode::SEE_OTHER, "{status}");
            prop_assert_eq!(rt.block_on(counts(&h.db)).0, 0);
        }
    });
    rt.block_on(async move { h.db.close().await.unwrap() });
}

/// 300 cases in CI; `bench/properties.sh` raises them with `PROPTEST_CASES`.
fn fuzz_config() -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(300),
        max_shrink_iters: 256,
        max_shrink_time: 30_000,
        ..proptest::test_runner::Config::default()
    }
}

/// The other forms that take free text before any flow or session (login,
/// staff login, call-back request), fuzzed the same way: arbitrary values,
/// fields present or not, with and without JavaScript — never a server
/// error, and no session and no call-back request from invalid input.
#[test]
fn arbitrary_input_to_the_other_open_forms_gets_a_clear_answer() {
    use entity::{callback_request, session, staff_session};
    use proptest::prelude::*;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _inside = rt.enter();
    let h = rt.block_on(async { harness(test_support::sqlite().await, &[]).await });
    let forms: [(&str, &[&str]); 3] = [
        ("/api/ingresar", &["cedula", "clave"]),
        ("/api/personal/ingresar", &["usuario", "clave"]),
        (
            "/api/contacto/llamada",
            &[
                "cedula",
                "pais",
                "telefono",
                "horario",
                "consentimiento",
                "robot",
                "captcha",
            ],
        ),
    ];
    proptest!(fuzz_config(), |(
        form in 0usize..3,
        values in proptest::collection::vec(proptest::option::of(any::<String>()), 7),
        plain in any::<bool>(),
    )| {
        let (path, names) = forms[form];
        let fields: Vec<(&str, &str)> = names
            .iter()
            .zip(&values)
            .filter_map(|(n, v)| v.as_deref().map(|v| (*n, v)))
            .collect();
        let (status, _, body) = rt.block_on(send(&h.app, post_form(path, None, &fields, plain)));
        prop_assert!(!status.is_server_error(), "{path} {status}: {body}");
        let counts = rt.block_on(async {
            (
                session::Entity::find().count(&h.db).await.unwrap(),
                staff_session::Entity::find().count(&h.db).await.unwrap(),
                callback_request::Entity::find().count(&h.db).await.unwrap(),
            )
        });
        prop_assert_eq!(counts, (0, 0, 0), "{} {:?}", path, fields);
    });
    rt.block_on(async move { h.db.close().await.unwrap() });
}

#[tokio::test]
async fn every_page_says_whether_the_contact_centre_is_open_now() {
    use app::domain::office_hours::is_open;
    let h = harness(test_support::sqlite().await, ROOMY).await;
    for path in ["/", "/contacto", "/solicitar", "/recuperar"] {
        let before = is_open(chrono::Utc::now());
        let (s, _, page) = send(&h.app, get(path)).await;
        let after = is_open(chrono::Utc::now());
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("lunes a domingo, de 08:00 a 17:00"), "{path}");
        let says_open = page.contains("Abierto ahora.");
        let says_closed = page.contains("Cerrado ahora.");
        assert!(says_open != says_closed, "{path}: one or the other");
        assert!(
            says_open == before || says_open == after,
            "{path}: as computed now"
        );
    }
}

/// Regression: building an application (as every test here does, in
/// parallel) while another renders a page used to stall that page for ever
/// (leptos' process-global "suppress resource loads" flag during route
/// generation). Apps are built without pause on another thread while pages
/// render; every page must complete.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn building_apps_while_pages_render_never_stalls_a_page() {
    let h = harness(test_support::sqlite().await, &[]).await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let builder = {
        let (stop, db, settings) = (stop.clone(), h.db.clone(), h.settings.clone());
        std::thread::spawn(move || {
            let mut built = 0u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let state = app::services::AppState {
                    db: db.clone(),
                    settings: settings.clone(),
                };
                drop(server::app(state, leptos_options()));
                built += 1;
            }
            built
        })
    };
    for _ in 0..100 {
        let (status, _, page) = send(&h.app, get("/recuperar/identidad")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Empiece de nuevo"));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(builder.join().unwrap() > 0);
}

/// A page with its per-request CSP nonce blanked wherever it appears.
fn without_nonces(page: &str) -> String {
    let nonce = page
        .split_once("nonce=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(n, _)| n)
        .expect("a page carries a nonce");
    page.replace(nonce, "…")
}

/// A page as a browser asks for it, with `Accept-Encoding`.
fn get_encoded(uri: &str, encoding: &str, cookie: Option<&str>) -> Request<Body> {
    let mut req = Request::get(uri)
        .header(header::ACCEPT, "text/html")
        .header(header::ACCEPT_ENCODING, encoding);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::empty()).unwrap()
}

/// Public pages and server-function answers are sent compressed (brotli or
/// gzip, as the browser accepts) and read back whole; pages behind a session
/// (the staff console, here the factor page with its secret) are not, so
/// their size cannot leak a secret (BREACH).
#[tokio::test]
async fn public_answers_are_compressed_and_signed_in_pages_are_not() {
    use tower::{Service, ServiceExt};
    use tower_http::decompression::DecompressionLayer;
    let h = harness(test_support::sqlite().await, &[]).await;
    for encoding in ["br", "gzip"] {
        let res = h
            .app
            .clone()
            .oneshot(get_encoded("/recuperar", encoding, None))
            .await
            .unwrap();
        let (s, headers) = (res.status(), res.headers().clone());
        let raw = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .unwrap();
        assert_eq!(s, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_ENCODING], encoding);
        assert!(headers[header::VARY]
            .to_str()
            .unwrap()
            .contains("accept-encoding"));
        // Read back as a browser would: the whole page.
        let mut reader = tower::ServiceBuilder::new()
            .layer(DecompressionLayer::new())
            .service(h.app.clone());
        let res = ServiceExt::<Request<Body>>::ready(&mut reader)
            .await
            .unwrap()
            .call(get_encoded("/recuperar", encoding, None))
            .await
            .unwrap();
        let page = axum::body::to_bytes(Body::new(res.into_body()), 1 << 20)
            .await
            .unwrap();
        let page = String::from_utf8(page.to_vec()).unwrap();
        let (_, _, plain) = send(&h.app, get("/recuperar")).await;
        assert_eq!(without_nonces(&page), without_nonces(&plain), "{encoding}");
        assert!(
            raw.len() * 2 < page.len(),
            "{encoding}: {} of {}",
            raw.len(),
            page.len()
        );
    }
    // Without Accept-Encoding, as it is.
    let (_, headers, page) = send(&h.app, get("/recuperar")).await;
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    assert!(page.contains("Recuperar clave"));

    // A staff member's factor page: never compressed.
    app::services::staff::upsert_account(
        &h.db,
        "ana.agente",
        "Ana Agente",
        "faro lejano junto al Chimborazo",
        app::domain::staff::Role::Agent,
        app::services::now_unix(),
    )
    .await
    .unwrap();
    let (_, headers, _) = send(
        &h.app,
        post_form(
            "/api/personal/ingresar",
            None,
            &[
                ("usuario", "ana.agente"),
                ("clave", "faro lejano junto al Chimborazo"),
            ],
            false,
        ),
    )
    .await;
    let waiting = set_cookie(&headers);
    let (s, headers, page) = send(
        &h.app,
        get_encoded("/personal/verificar", "br, gzip", Some(&waiting)),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Configure su segundo factor"));
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
}

/// A release build names its stylesheet, script and WASM by their content's
/// hash (cargo-leptos `hash-files`, the hashes in a file beside the binary):
/// the page links those names, and they are kept a year; an asset named
/// otherwise is revalidated each time, and the page is never stored.
#[tokio::test]
async fn assets_named_by_their_hash_are_kept_a_year_and_others_revalidated() {
    let h = harness(test_support::sqlite().await, &[]).await;
    let site = std::env::temp_dir().join(format!(
        "clave-site-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/clave.Zm9vYmFyYmF6.css"), "main{}").unwrap();
    std::fs::write(site.join("pkg/clave.css"), "main{}").unwrap();
    let hash_file = site.join("hash.txt");
    std::fs::write(
        &hash_file,
        "js: anNoYXNoMDE\nwasm: d2FzbWhhc2g\ncss: Zm9vYmFyYmF6\n",
    )
    .unwrap();
    let options = leptos::config::LeptosOptions::builder()
        .output_name("clave")
        .site_root(site.to_str().unwrap())
        .site_pkg_dir("pkg")
        .hash_files(true)
        .hash_file(std::sync::Arc::from(hash_file.to_str().unwrap()))
        .build();
    let state = app::services::AppState {
        db: h.db.clone(),
        settings: h.settings.clone(),
    };
    let app = server::app(state, options).layer(axum::extract::connect_info::MockConnectInfo(
        std::net::SocketAddr::from(([127, 0, 0, 1], 40_002)),
    ));

    let (s, headers, page) = send(&app, get("/recuperar")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    for name in [
        "/pkg/clave.Zm9vYmFyYmF6.css",
        "/pkg/clave.anNoYXNoMDE.js",
        "/pkg/clave.d2FzbWhhc2g.wasm",
    ] {
        assert!(page.contains(name), "the page names {name}");
    }

    let (s, headers, body) = send(&app, get("/pkg/clave.Zm9vYmFyYmF6.css")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body, "main{}");
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let (s, headers, _) = send(&app, get("/pkg/clave.css")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    let (s, headers, _) = send(&app, get("/pkg/clave.bm90aGVyZQ.css")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_ne!(
        headers
            .get(header::CACHE_CONTROL)
            .map(|v| v.to_str().unwrap()),
        Some("public, max-age=31536000, immutable"),
        "a missing file is not kept"
    );
    std::fs::remove_dir_all(&site).ok();
}

fn rand_suffix() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64
}
