//! HTTP-level tests of solicitar clave (SPEC §2.2) and the locks shared with
//! recovery and login (§2.3, §4.2), driving `app()` with `oneshot` on SQLite
//! and PostgreSQL: the whole first request followed by login and recovery, and
//! every refusal (skipped step, wrong or unknown identity, a cédula that has a
//! clave or has none, bad input, the locks).

mod common;

use app::services::test_support;
use axum::http::{header, StatusCode};
use common::*;
use entity::{affiliate, credential, flow_answer, mail_outbox, security_answer, security_question};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

/// Demo affiliates without a clave.
const ROSA: &str = "0104567896";
const ROSA_DATE: (&str, &str, &str) = ("30", "1", "1992");
const ROSA_DACTILAR: &str = "C3456D7890";
const LUIS: &str = "1305678904";
const NEW_EMAIL: &str = "rosa.nueva@example.org";
const CLAVE: &str = "guitarra verde bajo la lluvia";

async fn start(h: &Harness, cedula: &str, flujo: &str) -> String {
    let (status, headers, body) = send(
        &h.app,
        post_form(
            "/api/recuperar/buscar",
            None,
            &[("cedula", cedula), ("robot", "si"), ("flujo", flujo)],
            true,
        ),
    )
    .await;
    assert!(status.is_redirection(), "{status} {body}");
    let location = headers[header::LOCATION].to_str().unwrap();
    let expected = if flujo == "solicitar" {
        "/solicitar/identidad"
    } else {
        "/recuperar/identidad"
    };
    assert_eq!(location, expected);
    set_cookie(&headers)
}

async fn newest_mail(h: &Harness, to: &str, kind: &str) -> Option<mail_outbox::Model> {
    mail_outbox::Entity::find()
        .filter(mail_outbox::Column::ToAddress.eq(to))
        .filter(mail_outbox::Column::Kind.eq(kind))
        .order_by_desc(mail_outbox::Column::Id)
        .one(&h.db)
        .await
        .unwrap()
}

async fn identity(
    h: &Harness,
    cookie: &str,
    (day, month, year): (&str, &str, &str),
    dactilar: &str,
) -> (StatusCode, String, String) {
    post(
        h,
        "/api/solicitar/identidad",
        cookie,
        &[
            ("day", day),
            ("month", month),
            ("year", year),
            ("dactilar", dactilar),
        ],
    )
    .await
}

async fn catalogue_ids(h: &Harness) -> Vec<String> {
    security_question::Entity::find()
        .order_by_asc(security_question::Column::Id)
        .all(&h.db)
        .await
        .unwrap()
        .into_iter()
        .map(|q| q.id.to_string())
        .collect()
}

/// Walks Rosa's request up to the questions step; returns the cookie.
async fn to_questions(h: &Harness) -> String {
    let cookie = start(h, ROSA, "solicitar").await;
    let (s, loc, body) = identity(h, &cookie, ROSA_DATE, " c3456 d7890 ").await;
    assert_eq!(loc, "/solicitar/contacto", "{s} {body}");
    let (s, loc, body) = post(
        h,
        "/api/solicitar/contacto",
        &cookie,
        &[("correo", NEW_EMAIL), ("telefono", "099 123 4567")],
    )
    .await;
    assert_eq!(loc, "/solicitar/codigo", "{s} {body}");
    let mail = newest_mail(h, NEW_EMAIL, "code").await.expect("code mail");
    assert!(mail.body_text.contains("/solicitar/codigo/enlace?codigo="));
    assert_eq!(mail.lang, "es", "a Spanish page's mail is Spanish");
    let code: String = mail.subject.chars().filter(char::is_ascii_digit).collect();
    let (s, loc, body) = post(
        h,
        "/api/recuperar/codigo",
        &cookie,
        &[("codigo", &code), ("flujo", "solicitar")],
    )
    .await;
    assert_eq!(loc, "/solicitar/preguntas", "{s} {body}");
    cookie
}

fn choice<'a>(ids: &'a [String], answers: [&'a str; 4]) -> Vec<(&'a str, &'a str)> {
    let names = [
        ("pregunta1", "respuesta1"),
        ("pregunta2", "respuesta2"),
        ("pregunta3", "respuesta3"),
        ("pregunta4", "respuesta4"),
    ];
    names
        .iter()
        .zip(ids)
        .zip(answers)
        .flat_map(|(((q, a), id), answer)| [(*q, id.as_str()), (*a, answer)])
        .collect()
}

#[tokio::test]
async fn a_first_request_then_login_then_recovery() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, ROOMY).await;
        let cookie = to_questions(&h).await;
        let ids = catalogue_ids(&h).await;
        let chosen = [
            ids[4].clone(),
            ids[6].clone(),
            ids[8].clone(),
            ids[10].clone(),
        ];
        let (s, loc, body) = post(
            &h,
            "/api/solicitar/preguntas",
            &cookie,
            &choice(
                &chosen,
                ["Pedro", "Calle Sucre", "Arroz con huevo", "Doña Lucha"],
            ),
        )
        .await;
        assert_eq!(loc, "/solicitar/nueva-clave", "{name}: {s} {body}");
        // Held in the flow, not yet the affiliate's.
        assert_eq!(
            security_answer::Entity::find()
                .filter(security_answer::Column::Cedula.eq(ROSA))
                .count(&h.db)
                .await
                .unwrap(),
            0,
            "{name}"
        );
        let (s, loc, body) = post(
            &h,
            "/api/recuperar/nueva-clave",
            &cookie,
            &[("clave", CLAVE), ("flujo", "solicitar")],
        )
        .await;
        assert_eq!(loc, "/solicitar/listo", "{name}: {s} {body}");
        let (s, _, page) = send(&h.app, get_with("/solicitar/listo", &cookie)).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            page.contains("Su clave se ha creado correctamente"),
            "{name}"
        );

        // Everything the request gathered is now in the registry.
        let person = affiliate::Entity::find_by_id(ROSA.to_owned())
            .one(&h.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(person.email, NEW_EMAIL, "{name}");
        assert_eq!(person.phone.as_deref(), Some("+593991234567"), "{name}");
        let answers: Vec<i32> = security_answer::Entity::find()
            .filter(security_answer::Column::Cedula.eq(ROSA))
            .all(&h.db)
            .await
            .unwrap()
            .iter()
            .map(|a| a.question_id)
            .collect();
        let mut expected: Vec<i32> = chosen.iter().map(|c| c.parse().unwrap()).collect();
        expected.sort();
        let mut got = answers.clone();
        got.sort();
        assert_eq!(got, expected, "{name}");
        assert_eq!(flow_answer::Entity::find().count(&h.db).await.unwrap(), 0);
        assert!(credential::Entity::find_by_id(ROSA.to_owned())
            .one(&h.db)
            .await
            .unwrap()
            .is_some_and(|c| c.password_hash.starts_with("$argon2id$")));
        // The new address gets the notice; the registry's old one is told too.
        assert!(
            newest_mail(&h, NEW_EMAIL, "clave_created").await.is_some(),
            "{name}"
        );
        let old = newest_mail(&h, "rosa.quishpe@example.com", "email_changed")
            .await
            .expect("the old address is told");
        assert!(old.body_text.contains("/no-fui-yo?t="), "{name}");

        // Log in with the new clave.
        let (s, headers, body) = send(
            &h.app,
            post_form(
                "/api/ingresar",
                None,
                &[("cedula", ROSA), ("clave", CLAVE)],
                false,
            ),
        )
        .await;
        assert!(
            headers.get(header::SET_COOKIE).is_some(),
            "{name}: {s} {body}"
        );

        // Recovery now knows Rosa has a clave; a second request is refused.
        let again = start(&h, ROSA, "recuperar").await;
        let (_, loc, _) = post(
            &h,
            "/api/recuperar/identidad",
            &again,
            &[("day", "30"), ("month", "1")],
        )
        .await;
        assert_eq!(loc, "/recuperar/confirmar", "{name}");
        let second = start(&h, ROSA, "solicitar").await;
        let (s, _, body) = identity(&h, &second, ROSA_DATE, ROSA_DACTILAR).await;
        assert_eq!(s, StatusCode::CONFLICT, "{name}");
        assert!(body.contains("HasClave"), "{name}: {body}");
    }
}

#[tokio::test]
async fn with_and_without_a_clave_each_flow_sends_to_the_other() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, ROOMY).await;
        // María has a clave: a request for her is sent to recovery, after the proof.
        let cookie = start(&h, REGISTERED, "solicitar").await;
        let (s, _, body) = identity(&h, &cookie, ("14", "3", "1985"), "V4443V4242").await;
        assert_eq!(s, StatusCode::CONFLICT, "{name}");
        assert!(body.contains("HasClave"), "{name}: {body}");
        assert_eq!(flow_of(&h, &cookie).await.state, "identity_pending");
        let (_, _, page) = send(&h.app, get_with("/solicitar", &cookie)).await;
        assert!(page.contains("Solicitar su clave"), "{name}");
        // Rosa has none: recovery sends her to the request, after the date matched.
        let cookie = start(&h, ROSA, "recuperar").await;
        let (s, _, body) = post(
            &h,
            "/api/recuperar/identidad",
            &cookie,
            &[("day", "30"), ("month", "1")],
        )
        .await;
        assert_eq!(s, StatusCode::CONFLICT, "{name}");
        assert!(body.contains("NoClaveYet"), "{name}: {body}");
        assert_eq!(flow_of(&h, &cookie).await.state, "identity_pending");
    }
}

#[tokio::test]
async fn unknown_cedula_and_wrong_data_look_the_same() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, ROOMY).await;
        let unknown = start(&h, UNREGISTERED, "solicitar").await;
        let wrong_code = start(&h, ROSA, "solicitar").await;
        let wrong_year = start(&h, LUIS, "solicitar").await;
        let a = identity(&h, &unknown, ROSA_DATE, "C3456D7891").await;
        let b = identity(&h, &wrong_code, ROSA_DATE, "C3456D7891").await;
        let c = identity(&h, &wrong_year, ("9", "9", "2000"), "F4567G8901").await;
        assert_eq!(a.0, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert_eq!((a.0, &a.2), (b.0, &b.2), "{name}: unknown vs wrong código");
        assert_eq!(c.0, a.0, "{name}");
        assert!(c.2.contains("no coinciden"), "{name}");
        assert!(a.2.contains("no coinciden"), "{name}");
    }
}

#[tokio::test]
async fn each_request_step_refuses_to_be_skipped() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, ROOMY).await;
        let cookie = start(&h, ROSA, "solicitar").await;
        let ids = catalogue_ids(&h).await;
        let early: Vec<(&str, Vec<(&str, &str)>)> = vec![
            ("/api/solicitar/contacto", vec![("correo", NEW_EMAIL)]),
            (
                "/api/recuperar/codigo",
                vec![("codigo", "123456"), ("flujo", "solicitar")],
            ),
            (
                "/api/solicitar/preguntas",
                choice(&ids[..4], ["uno", "dos", "tres", "cuatro"]),
            ),
            (
                "/api/recuperar/nueva-clave",
                vec![("clave", CLAVE), ("flujo", "solicitar")],
            ),
            // The recovery's own steps do not take a request flow either.
            ("/api/recuperar/confirmar", vec![]),
            (
                "/api/recuperar/identidad",
                vec![("day", "30"), ("month", "1")],
            ),
        ];
        for (path, fields) in early {
            let (s, _, body) = post(&h, path, &cookie, &fields).await;
            assert_eq!(s, StatusCode::CONFLICT, "{name}: {path} {body}");
            assert!(
                body.contains("/solicitar/identidad"),
                "{name}: {path} names the step"
            );
        }
        assert_eq!(flow_of(&h, &cookie).await.state, "identity_pending");
        assert!(newest_mail(&h, NEW_EMAIL, "code").await.is_none(), "{name}");
        assert!(credential::Entity::find_by_id(ROSA.to_owned())
            .one(&h.db)
            .await
            .unwrap()
            .is_none());
        // Opening a later page shows where to continue.
        let (_, _, page) = send(&h.app, get_with("/solicitar/preguntas", &cookie)).await;
        assert!(page.contains("Continúe su trámite"), "{name}");
    }
}

#[tokio::test]
async fn bad_input_gets_a_message_per_field_and_changes_nothing() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, ROOMY).await;
        let cookie = start(&h, ROSA, "solicitar").await;
        let (s, _, body) = identity(&h, &cookie, ("31", "2", "85"), "12345").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        for field in ["\"day\"", "\"year\"", "\"dactilar\""] {
            assert!(body.contains(field), "{name}: {field} in {body}");
        }
        let (s, _, _) = identity(&h, &cookie, ("29", "2", "1991"), ROSA_DACTILAR).await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: not a leap year"
        );
        assert_eq!(
            flow_of(&h, &cookie).await.identity_failures,
            0,
            "{name}: format errors are not failures"
        );

        let (_, loc, _) = identity(&h, &cookie, ROSA_DATE, ROSA_DACTILAR).await;
        assert_eq!(loc, "/solicitar/contacto");
        for (email, phone, field) in [
            ("rosa", "", "correo"),
            (NEW_EMAIL, "02 250 1234", "telefono"),
            (NEW_EMAIL, "12", "telefono"),
            (NEW_EMAIL, &"9".repeat(50), "telefono"),
        ] {
            let (s, _, body) = post(
                &h,
                "/api/solicitar/contacto",
                &cookie,
                &[("correo", email), ("telefono", phone)],
            )
            .await;
            assert_eq!(
                s,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{name}: {email} {phone}"
            );
            assert!(
                body.contains(&format!("\"field\":\"{field}\"")),
                "{name}: {body}"
            );
        }
        assert!(
            newest_mail(&h, NEW_EMAIL, "code").await.is_none(),
            "{name}: no code sent"
        );
        assert_eq!(flow_of(&h, &cookie).await.state, "contact_pending");
    }
}

#[tokio::test]
async fn the_questions_must_be_four_different_ones_with_answers() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, ROOMY).await;
        let cookie = to_questions(&h).await;
        let ids = catalogue_ids(&h).await;
        let same = [
            ids[0].clone(),
            ids[1].clone(),
            ids[0].clone(),
            ids[2].clone(),
        ];
        let (s, _, body) = post(
            &h,
            "/api/solicitar/preguntas",
            &cookie,
            &choice(&same, ["uno", "dos", "tres", "cuatro"]),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(body.contains("\"field\":\"pregunta3\""), "{name}: {body}");
        let unknown = [
            "999".to_owned(),
            ids[1].clone(),
            ids[2].clone(),
            ids[3].clone(),
        ];
        let (s, _, body) = post(
            &h,
            "/api/solicitar/preguntas",
            &cookie,
            &choice(&unknown, ["uno", "", "tres", "TRES"]),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        for field in ["pregunta1", "respuesta2", "respuesta4"] {
            assert!(
                body.contains(&format!("\"field\":\"{field}\"")),
                "{name}: {field}"
            );
        }
        // Without JavaScript the error travels in a redirect: no answers in it.
        let (s, headers, _) = send(
            &h.app,
            post_form(
                "/api/solicitar/preguntas",
                Some(&cookie),
                &choice(&same, ["secreto1", "secreto2", "secreto3", "secreto4"]),
                true,
            ),
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{name}");
        let location = headers[header::LOCATION].to_str().unwrap();
        assert!(location.starts_with("/solicitar/preguntas?"), "{location}");
        assert!(!location.contains("secreto"), "{name}: {location}");
        assert_eq!(flow_answer::Entity::find().count(&h.db).await.unwrap(), 0);
        assert_eq!(flow_of(&h, &cookie).await.state, "choose_questions_pending");
    }
}

#[tokio::test]
async fn identity_failures_of_both_flows_lock_both_and_say_until_when() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, ROOMY).await;
        // Three in one request end that flow; the count per cédula goes on.
        let cookie = start(&h, LUIS, "solicitar").await;
        for i in 0..3 {
            let (s, _, _) = identity(&h, &cookie, ("1", "1", "1990"), "F4567G8901").await;
            let expected = if i < 2 {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::GONE
            };
            assert_eq!(s, expected, "{name}: failure {}", i + 1);
        }
        let cookie = start(&h, LUIS, "recuperar").await;
        let (s, _, _) = post(
            &h,
            "/api/recuperar/identidad",
            &cookie,
            &[("day", "1"), ("month", "1")],
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{name}: failure 4");
        let cookie = start(&h, LUIS, "solicitar").await;
        let (s, _, body) = identity(&h, &cookie, ("1", "1", "1990"), "F4567G8901").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{name}: failure 5 locks");
        assert!(
            body.contains(r#""reason":"IdentityChecks""#),
            "{name}: {body}"
        );
        // Locked for both flows, even with the right data.
        let cookie = start(&h, LUIS, "solicitar").await;
        let (s, _, body) = identity(&h, &cookie, ("9", "9", "2001"), "F4567G8901").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{name}: right data, still locked");
        assert!(body.contains(r#""until":""#), "{name}: until when");
        assert_eq!(flow_of(&h, &cookie).await.state, "identity_pending");
        // Without JavaScript the step's page shows the locked page.
        let (s, headers, _) = send(
            &h.app,
            post_form(
                "/api/solicitar/identidad",
                Some(&cookie),
                &[
                    ("day", "9"),
                    ("month", "9"),
                    ("year", "2001"),
                    ("dactilar", "F4567G8901"),
                ],
                true,
            ),
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let location = headers[header::LOCATION].to_str().unwrap().to_owned();
        let (_, _, page) = send(&h.app, get_with(&location, &cookie)).await;
        assert!(
            page.contains("Bloqueamos el acceso por un tiempo"),
            "{name}"
        );
        assert!(page.contains("hora de Ecuador"), "{name}");
        assert!(
            page.contains("href=\"/contacto\""),
            "{name}: the call-back way out"
        );
    }
}

#[tokio::test]
async fn five_wrong_claves_lock_login_with_the_locked_page() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, ROOMY).await;
        for i in 0..5 {
            let (s, _, body) = send(
                &h.app,
                post_form(
                    "/api/ingresar",
                    None,
                    &[("cedula", REGISTERED), ("clave", "no es la clave de nadie")],
                    false,
                ),
            )
            .await;
            if i < 4 {
                assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{name}: try {}", i + 1);
            } else {
                assert_eq!(s, StatusCode::FORBIDDEN, "{name}: the fifth locks");
                assert!(body.contains(r#""reason":"Logins""#), "{name}: {body}");
            }
        }
        let (s, headers, _) = send(
            &h.app,
            post_form(
                "/api/ingresar",
                None,
                &[
                    ("cedula", REGISTERED),
                    ("clave", app::services::demo::DEMO_CLAVE),
                ],
                true,
            ),
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{name}");
        let location = headers[header::LOCATION].to_str().unwrap().to_owned();
        let (_, _, page) = send(&h.app, get(&location)).await;
        assert!(
            page.contains("Bloqueamos el acceso por un tiempo"),
            "{name}"
        );
        assert!(page.contains("Recuperar mi clave"), "{name}");
    }
}

#[tokio::test]
async fn every_step_is_audited_with_the_cedula_and_a_keyed_ip_hash_and_no_secret() {
    use entity::audit_event;
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, ROOMY).await;
        let cookie = start(&h, LUIS, "solicitar").await;
        identity(&h, &cookie, ("1", "1", "1990"), "F4567G8901").await;
        identity(&h, &cookie, ("9", "9", "2001"), "F4567G8901").await;
        let rows = audit_event::Entity::find()
            .filter(audit_event::Column::Cedula.eq(LUIS))
            .order_by_asc(audit_event::Column::Id)
            .all(&h.db)
            .await
            .unwrap();
        let seen: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r.action.as_str(), r.outcome.as_str()))
            .collect();
        assert_eq!(
            seen,
            vec![
                ("recuperar/buscar", "ok"),
                ("solicitar/identidad", "refused"),
                ("solicitar/identidad", "ok"),
            ],
            "{name}"
        );
        for r in &rows {
            let ip = r.ip_hash.as_deref().expect("the keyed IP hash");
            assert_eq!(ip.len(), 64, "{name}");
            assert!(ip.bytes().all(|b| b.is_ascii_hexdigit()));
            assert_ne!(ip, "127.0.0.1");
        }
        // A login is audited too, and nothing typed but the cédula is stored.
        send(
            &h.app,
            post_form(
                "/api/ingresar",
                None,
                &[("cedula", REGISTERED), ("clave", "una clave equivocada")],
                false,
            ),
        )
        .await;
        let all = audit_event::Entity::find().all(&h.db).await.unwrap();
        assert!(all.iter().any(|r| r.action == "ingresar"
            && r.cedula.as_deref() == Some(REGISTERED)
            && r.outcome == "refused"));
        let dump = format!("{all:?}");
        for secret in ["F4567G8901", "una clave equivocada"] {
            assert!(!dump.contains(secret), "{name}: {secret} in the audit log");
        }
    }
}

/// Without JavaScript a refused step redirects back with its errors in the
/// URL; what the user typed (birth date, código dactilar) is not in it, and
/// the page shows it back once, from the server.
#[tokio::test]
async fn a_refused_form_without_javascript_keeps_typed_values_out_of_the_url() {
    let h = harness(test_support::sqlite().await, ROOMY).await;
    let cookie = start(&h, ROSA, "solicitar").await;
    let typed = [
        ("day", "31"),
        ("month", "2"),
        ("year", "1992"),
        ("dactilar", "Q9876Z5432"),
    ];
    let (s, headers, _) = send(
        &h.app,
        post_form("/api/solicitar/identidad", Some(&cookie), &typed, true),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let location = headers[header::LOCATION].to_str().unwrap().to_owned();
    assert!(location.starts_with("/solicitar/identidad?"), "{location}");
    let err = location
        .split("__err=")
        .nth(1)
        .and_then(|e| e.split('&').next())
        .expect("the error travels in the URL");
    let err = urldecode(err);
    use base64::Engine;
    let err = base64::engine::general_purpose::URL_SAFE
        .decode(err.as_bytes())
        .or_else(|_| base64::engine::general_purpose::STANDARD.decode(err.as_bytes()))
        .expect("base64");
    let err = String::from_utf8(err).unwrap();
    assert!(err.contains("\"values\":[]"), "{err}");
    for value in ["31", "1992", "Q9876Z5432"] {
        assert!(!err.contains(value), "{value} in {err}");
    }
    let echo = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("clave_echo="))
        .expect("a cookie leads the page to the typed values");
    assert!(
        echo.contains("HttpOnly") && echo.contains("Max-Age=300"),
        "{echo}"
    );
    let echo = echo.split(';').next().unwrap();

    let both = format!("{cookie}; {echo}");
    let (s, headers, page) = send(&h.app, get_with(&location, &both)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Error: "), "the errors are shown");
    assert!(
        page.contains("value=\"Q9876Z5432\""),
        "typed value shown back"
    );
    assert!(page.contains("value=\"1992\""));
    assert!(headers
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|c| c.to_str().unwrap().starts_with("clave_echo=;")));
    assert_eq!(
        entity::form_echo::Entity::find()
            .count(&h.db)
            .await
            .unwrap(),
        0,
        "read once, then gone"
    );
    let (_, _, again) = send(&h.app, get_with(&location, &both)).await;
    assert!(!again.contains("Q9876Z5432"), "only once");
}

/// Undoes `%XX` escapes.
fn urldecode(s: &str) -> String {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// Links in mail come from the configured public URL: a forged `Host` (or
/// `X-Forwarded-Host`) on the request that sends the code never reaches them.
#[tokio::test]
async fn a_forged_host_header_never_reaches_a_mailed_link() {
    let h = harness(test_support::sqlite().await, ROOMY).await;
    let cookie = start(&h, ROSA, "solicitar").await;
    let (_, loc, _) = identity(&h, &cookie, ROSA_DATE, ROSA_DACTILAR).await;
    assert_eq!(loc, "/solicitar/contacto");
    let mut req = post_form(
        "/api/solicitar/contacto",
        Some(&cookie),
        &[("correo", NEW_EMAIL)],
        false,
    );
    for (name, value) in [
        ("host", "evil.example"),
        ("x-forwarded-host", "evil.example"),
    ] {
        req.headers_mut().insert(
            axum::http::HeaderName::from_static(name),
            axum::http::HeaderValue::from_static(value),
        );
    }
    let (_, headers, body) = send(&h.app, req).await;
    assert_eq!(
        headers.get(header::LOCATION).map(|v| v.to_str().unwrap()),
        Some("/solicitar/codigo"),
        "{body}"
    );
    let mail = newest_mail(&h, NEW_EMAIL, "code").await.expect("code mail");
    let link = format!("{}/solicitar/codigo/enlace?codigo=", h.settings.public_url);
    assert!(mail.body_text.contains(&link), "{}", mail.body_text);
    assert!(mail.body_html.contains(&link));
    assert!(!mail.body_text.contains("evil.example") && !mail.body_html.contains("evil.example"));
}

/// A code asked for from an English page is written in English when it is
/// queued, and its outbox row keeps the language; the link is the same.
#[tokio::test]
async fn a_code_asked_for_on_an_english_page_is_mailed_in_english() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, ROOMY).await;
        let cookie = start(&h, ROSA, "solicitar").await;
        let english = format!(
            "{cookie}; {}=en",
            app::web::language_cookie_name(&h.settings)
        );
        let (s, loc, body) = identity(&h, &english, ROSA_DATE, ROSA_DACTILAR).await;
        assert_eq!(loc, "/solicitar/contacto", "{name}: {s} {body}");
        let (s, loc, body) = post(
            &h,
            "/api/solicitar/contacto",
            &english,
            &[("correo", NEW_EMAIL), ("telefono", "099 123 4567")],
        )
        .await;
        assert_eq!(loc, "/solicitar/codigo", "{name}: {s} {body}");
        let mail = newest_mail(&h, NEW_EMAIL, "code").await.expect("code mail");
        assert_eq!(mail.lang, "en", "{name}");
        let code: String = mail.subject.chars().filter(char::is_ascii_digit).collect();
        assert_eq!(
            mail.subject,
            format!("Your verification code is {code}"),
            "{name}"
        );
        assert!(
            mail.body_text.contains(&format!(
                "Your verification code for your online services password is: {code}"
            )),
            "{name}: {}",
            mail.body_text
        );
        assert!(mail.body_text.contains("/solicitar/codigo/enlace?codigo="));
        assert!(
            mail.body_html
                .starts_with("<!DOCTYPE html><html lang=\"en\">"),
            "{name}"
        );
        assert!(
            !mail.body_text.contains("Su código"),
            "{name}: no Spanish left"
        );
    }
}

/// Two tabs, two request flows for one person, both at the last step: the
/// first clave is created; the second is told the person has one now, and
/// its flow ends without reading as done.
#[tokio::test]
async fn a_second_request_flow_finishing_after_the_first_creates_nothing_and_ends() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, ROOMY).await;
        let ids = catalogue_ids(&h).await;
        let chosen = [
            ids[0].clone(),
            ids[1].clone(),
            ids[2].clone(),
            ids[3].clone(),
        ];
        let mut tabs = Vec::new();
        for _ in 0..2 {
            let cookie = to_questions(&h).await;
            let (s, loc, body) = post(
                &h,
                "/api/solicitar/preguntas",
                &cookie,
                &choice(&chosen, ["uno", "dos", "tres", "cuatro"]),
            )
            .await;
            assert_eq!(loc, "/solicitar/nueva-clave", "{name}: {s} {body}");
            tabs.push(cookie);
        }
        let (_, loc, _) = post(
            &h,
            "/api/recuperar/nueva-clave",
            &tabs[0],
            &[("clave", CLAVE), ("flujo", "solicitar")],
        )
        .await;
        assert_eq!(loc, "/solicitar/listo", "{name}");
        let first = credential::Entity::find_by_id(ROSA.to_owned())
            .one(&h.db)
            .await
            .unwrap()
            .unwrap();
        let (s, _, body) = post(
            &h,
            "/api/recuperar/nueva-clave",
            &tabs[1],
            &[
                ("clave", "nubes altas sobre el Pichincha"),
                ("flujo", "solicitar"),
            ],
        )
        .await;
        assert_eq!(s, StatusCode::CONFLICT, "{name}: {body}");
        assert_eq!(flow_of(&h, &tabs[1]).await.state, "failed", "{name}");
        assert_eq!(
            credential::Entity::find_by_id(ROSA.to_owned())
                .one(&h.db)
                .await
                .unwrap()
                .unwrap(),
            first,
            "{name}: the first clave stays"
        );
        let (_, _, page) = send(&h.app, get_with("/solicitar/listo", &tabs[1])).await;
        assert!(
            !page.contains("Su clave se ha creado correctamente"),
            "{name}"
        );
    }
}
