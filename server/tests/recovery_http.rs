//! HTTP-level tests of recovery steps 2–8, login and the §2.1.1 path, driving
//! `app()` with `oneshot` on SQLite and PostgreSQL: the whole journey, and
//! every refusal (skipped step, replayed or foreign or expired code, the 6th
//! wrong try, wrong answers, a locked cédula).

mod common;

use app::services::demo::{DEMO_ANSWERS, DEMO_CLAVE};
use app::services::test_support;
use axum::http::{header, StatusCode};
use common::*;
use entity::{affiliate, mail_outbox, question_pair, recovery_flow, verification_code};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

const NEW_CLAVE: &str = "tortuga lenta cruza el puente";

/// Starts a flow without JavaScript; returns the flow cookie.
async fn start(h: &Harness, cedula: &str) -> String {
    let (status, headers, body) = send(
        &h.app,
        post_form(
            "/api/recuperar/buscar",
            None,
            &[("cedula", cedula), ("robot", "si")],
            true,
        ),
    )
    .await;
    assert!(status.is_redirection(), "{status} {body}");
    set_cookie(&headers)
}

async fn to_code_step(h: &Harness) -> String {
    let cookie = start(h, REGISTERED).await;
    let (s, loc, body) = post(
        h,
        "/api/recuperar/identidad",
        &cookie,
        &[("day", "14"), ("month", "3")],
    )
    .await;
    assert!(s.is_redirection() || s == StatusCode::OK, "{s} {body}");
    assert_eq!(loc, "/recuperar/confirmar");
    let (s, loc, body) = post(h, "/api/recuperar/confirmar", &cookie, &[]).await;
    assert!(loc == "/recuperar/codigo", "{s} {body}");
    cookie
}

async fn pair_answers(h: &Harness) -> Vec<String> {
    let pair = question_pair::Entity::find_by_id(REGISTERED.to_owned())
        .one(&h.db)
        .await
        .unwrap()
        .expect("the pair is fixed once asked");
    [pair.first_question_id, pair.second_question_id]
        .iter()
        .map(|id| DEMO_ANSWERS[(*id - 1) as usize].to_owned())
        .collect()
}

async fn login(h: &Harness, clave: &str) -> (StatusCode, String, String) {
    let (status, headers, body) = send(
        &h.app,
        post_form(
            "/api/ingresar",
            None,
            &[("cedula", REGISTERED), ("clave", clave)],
            false,
        ),
    )
    .await;
    let cookie = headers
        .get(header::SET_COOKIE)
        .map(|_| set_cookie(&headers))
        .unwrap_or_default();
    (status, cookie, body)
}

#[tokio::test]
async fn a_whole_recovery_then_login_with_the_new_clave_only() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, ROOMY).await;
        let cookie = to_code_step(&h).await;
        let page = send(&h.app, get_with("/recuperar/codigo", &cookie)).await.2;
        assert!(
            page.contains("m*************m@e******.com") || page.contains("@e******.com"),
            "{name}: masked address"
        );
        let code = newest_code(&h, "maria.perez@example.com").await;
        let (s, loc, body) = post(
            &h,
            "/api/recuperar/codigo",
            &cookie,
            &[("codigo", &format!("{} {}", &code[..3], &code[3..]))],
        )
        .await;
        assert_eq!(loc, "/recuperar/preguntas", "{name}: {s} {body}");
        let page = send(&h.app, get_with("/recuperar/preguntas", &cookie))
            .await
            .2;
        let answers = pair_answers(&h).await;
        assert!(
            page.contains("respuesta2") && !page.contains("respuesta3"),
            "{name}: two questions"
        );
        let (s, loc, body) = post(
            &h,
            "/api/recuperar/preguntas",
            &cookie,
            &[
                ("respuesta1", &answers[0].to_uppercase()),
                ("respuesta2", &format!(" {} ", answers[1])),
            ],
        )
        .await;
        assert_eq!(loc, "/recuperar/nueva-clave", "{name}: {s} {body}");
        // Policy: the name and a common password are refused, with the reason.
        let (s, _, body) = post(
            &h,
            "/api/recuperar/nueva-clave",
            &cookie,
            &[("clave", "maria perez 2024")],
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(
            body.contains("nombre") || body.contains("nombres"),
            "{name}: {body}"
        );
        let (s, _, body) = post(
            &h,
            "/api/recuperar/nueva-clave",
            &cookie,
            &[("clave", "password1234")],
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
        let (s, loc, body) = post(
            &h,
            "/api/recuperar/nueva-clave",
            &cookie,
            &[("clave", NEW_CLAVE)],
        )
        .await;
        assert_eq!(loc, "/recuperar/listo", "{name}: {s} {body}");
        let done = send(&h.app, get_with("/recuperar/listo", &cookie)).await.2;
        assert!(
            done.contains("restablecido correctamente") && done.contains("Finalizar"),
            "{name}"
        );

        let (s, _, body) = login(&h, DEMO_CLAVE).await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: the old clave fails: {body}"
        );
        let (s, session, body) = login(&h, NEW_CLAVE).await;
        assert!(
            s.is_redirection() || s == StatusCode::OK,
            "{name}: {s} {body}"
        );
        assert!(session.starts_with("clave_session="), "{name}: {session}");
        let token = &session["clave_session=".len()..];
        assert!(
            token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()),
            "{name}: a session id of 256 random bits (SPEC: at least 128)"
        );
        let (_, headers, home) = send(&h.app, get_with("/servicios", &session)).await;
        assert!(
            home.contains("María José Pérez López") && home.contains("Salir"),
            "{name}"
        );
        assert_eq!(
            headers[header::CACHE_CONTROL],
            "no-store",
            "{name}: the signed-in home is never cached"
        );
        let (_, headers, _) =
            send(&h.app, post_form("/api/salir", Some(&session), &[], false)).await;
        assert!(headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0"));
        let home = send(&h.app, get_with("/servicios", &session)).await.2;
        assert!(home.contains("Su sesión terminó"), "{name}: signed out");
    }
}

#[tokio::test]
async fn posting_a_later_step_early_is_refused_and_changes_nothing() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, ROOMY).await;
        let cookie = start(&h, REGISTERED).await;
        for (path, fields) in [
            ("/api/recuperar/confirmar", vec![]),
            ("/api/recuperar/sin-acceso", vec![]),
            ("/api/recuperar/codigo", vec![("codigo", "123456")]),
            (
                "/api/recuperar/preguntas",
                vec![("respuesta1", "a"), ("respuesta2", "b")],
            ),
            ("/api/recuperar/nueva-clave", vec![("clave", NEW_CLAVE)]),
            (
                "/api/recuperar/nuevo-correo",
                vec![("correo", "x@example.org")],
            ),
        ] {
            let (s, _, body) = post(&h, path, &cookie, &fields).await;
            assert_eq!(s, StatusCode::CONFLICT, "{name}: {path}: {body}");
            assert!(
                body.contains("/recuperar/identidad"),
                "{name}: says where to resume: {body}"
            );
        }
        assert_eq!(
            flow_of(&h, &cookie).await.state,
            "identity_pending",
            "{name}"
        );
        assert!(
            verification_code::Entity::find()
                .one(&h.db)
                .await
                .unwrap()
                .is_none(),
            "{name}: no code sent"
        );
        // No cookie at all: the flow is gone, not a server error.
        let (s, _, _) = send(
            &h.app,
            post_form(
                "/api/recuperar/identidad",
                None,
                &[("day", "1"), ("month", "1")],
                false,
            ),
        )
        .await;
        assert_eq!(s, StatusCode::GONE, "{name}");
    }
}

#[tokio::test]
async fn unknown_cedula_and_wrong_date_look_the_same_and_three_end_the_flow() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, ROOMY).await;
        let known = start(&h, REGISTERED).await;
        let unknown = start(&h, UNREGISTERED).await;
        let a = post(
            &h,
            "/api/recuperar/identidad",
            &known,
            &[("day", "15"), ("month", "3")],
        )
        .await;
        let b = post(
            &h,
            "/api/recuperar/identidad",
            &unknown,
            &[("day", "15"), ("month", "3")],
        )
        .await;
        assert_eq!(a, b, "{name}");
        assert_eq!(a.0, StatusCode::UNPROCESSABLE_ENTITY);
        // Bad input is refused per field and is not counted.
        let (s, _, body) = post(
            &h,
            "/api/recuperar/identidad",
            &known,
            &[("day", "31"), ("month", "4")],
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(body.contains("\"day\""), "{body}");
        post(
            &h,
            "/api/recuperar/identidad",
            &known,
            &[("day", "16"), ("month", "3")],
        )
        .await;
        let (s, _, _) = post(
            &h,
            "/api/recuperar/identidad",
            &known,
            &[("day", "17"), ("month", "3")],
        )
        .await;
        assert_eq!(
            s,
            StatusCode::GONE,
            "{name}: the third failure ends the flow"
        );
        let (s, _, _) = post(
            &h,
            "/api/recuperar/identidad",
            &known,
            &[("day", "14"), ("month", "3")],
        )
        .await;
        assert_eq!(
            s,
            StatusCode::GONE,
            "{name}: even the right date, afterwards"
        );
        let page = send(&h.app, get_with("/recuperar/identidad", &known))
            .await
            .2;
        assert!(page.contains("Volver a empezar"), "{name}: a way out");
    }
}

#[tokio::test]
async fn five_failures_in_a_day_lock_recovery_for_the_cedula() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, ROOMY).await;
        for i in 0..5 {
            let cookie = start(&h, REGISTERED).await;
            let (s, _, _) = post(
                &h,
                "/api/recuperar/identidad",
                &cookie,
                &[("day", "1"), ("month", "1")],
            )
            .await;
            let expected = if i < 4 {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(s, expected, "{name}: failure {}", i + 1);
        }
        let cookie = start(&h, REGISTERED).await;
        let (s, _, body) = post(
            &h,
            "/api/recuperar/identidad",
            &cookie,
            &[("day", "14"), ("month", "3")],
        )
        .await;
        assert_eq!(
            s,
            StatusCode::FORBIDDEN,
            "{name}: locked even with the right date"
        );
        assert!(
            body.contains(r#""reason":"IdentityChecks""#) && body.contains(r#""until":""#),
            "{body}: says why and until when"
        );
        assert_eq!(flow_of(&h, &cookie).await.state, "identity_pending");
    }
}

#[tokio::test]
async fn codes_replayed_foreign_expired_or_tried_six_times_are_refused() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, ROOMY).await;
        let a = to_code_step(&h).await;
        let code_a = newest_code(&h, "maria.perez@example.com").await;
        let b = to_code_step(&h).await;
        let code_b = newest_code(&h, "maria.perez@example.com").await;
        if code_a != code_b {
            let (s, _, _) = post(&h, "/api/recuperar/codigo", &b, &[("codigo", &code_a)]).await;
            assert_eq!(
                s,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{name}: flow A's code in flow B"
            );
        }
        let (_, loc, _) = post(&h, "/api/recuperar/codigo", &a, &[("codigo", &code_a)]).await;
        assert_eq!(loc, "/recuperar/preguntas", "{name}");
        let (s, _, _) = post(&h, "/api/recuperar/codigo", &a, &[("codigo", &code_a)]).await;
        assert_eq!(s, StatusCode::CONFLICT, "{name}: replayed");

        // Expired: three minutes passed.
        verification_code::Entity::update_many()
            .col_expr(verification_code::Column::ExpiresAt, Expr::value(0))
            .exec(&h.db)
            .await
            .unwrap();
        let (s, _, body) = post(&h, "/api/recuperar/codigo", &b, &[("codigo", &code_b)]).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(body.contains("ya no sirve"), "{body}");

        // A new code (in place), then five wrong tries kill it.
        let (s, _, body) = post(&h, "/api/recuperar/codigo/nuevo", &b, &[]).await;
        assert_eq!(s, StatusCode::OK, "{name}: {body}");
        let fresh = newest_code(&h, "maria.perez@example.com").await;
        let wrong = if fresh == "000000" {
            "000001"
        } else {
            "000000"
        };
        for _ in 0..5 {
            let (s, _, _) = post(&h, "/api/recuperar/codigo", &b, &[("codigo", wrong)]).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        }
        let (s, _, body) = post(&h, "/api/recuperar/codigo", &b, &[("codigo", &fresh)]).await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: the 6th try, right digits"
        );
        assert!(body.contains("anulamos"), "{body}");
        assert_eq!(flow_of(&h, &b).await.state, "code_pending");
    }
}

#[tokio::test]
async fn wrong_answers_never_say_which_and_count() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, ROOMY).await;
        let cookie = to_code_step(&h).await;
        let code = newest_code(&h, "maria.perez@example.com").await;
        post(&h, "/api/recuperar/codigo", &cookie, &[("codigo", &code)]).await;
        send(&h.app, get_with("/recuperar/preguntas", &cookie)).await;
        let answers = pair_answers(&h).await;
        let first_wrong = post(
            &h,
            "/api/recuperar/preguntas",
            &cookie,
            &[("respuesta1", "no"), ("respuesta2", &answers[1])],
        )
        .await;
        let second_wrong = post(
            &h,
            "/api/recuperar/preguntas",
            &cookie,
            &[("respuesta1", &answers[0]), ("respuesta2", "no")],
        )
        .await;
        // Same status and same message; only the echoed values differ.
        let errors_of = |body: &str| body.split("\"values\"").next().unwrap().to_owned();
        assert_eq!(first_wrong.0, second_wrong.0, "{name}");
        assert_eq!(
            errors_of(&first_wrong.2),
            errors_of(&second_wrong.2),
            "{name}"
        );
        assert_eq!(first_wrong.0, StatusCode::UNPROCESSABLE_ENTITY);
        let (s, _, _) = post(
            &h,
            "/api/recuperar/preguntas",
            &cookie,
            &[("respuesta1", "no"), ("respuesta2", "no")],
        )
        .await;
        assert_eq!(
            s,
            StatusCode::GONE,
            "{name}: the third failure in the flow ends it"
        );
        // Restarting keeps the same pair.
        let before = pair_answers(&h).await;
        let again = to_code_step(&h).await;
        let code = newest_code(&h, "maria.perez@example.com").await;
        post(&h, "/api/recuperar/codigo", &again, &[("codigo", &code)]).await;
        send(&h.app, get_with("/recuperar/preguntas", &again)).await;
        assert_eq!(pair_answers(&h).await, before, "{name}: not re-rolled");
    }
}

#[tokio::test]
async fn without_the_registered_email_all_four_answers_and_the_new_address() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, ROOMY).await;
        let cookie = start(&h, REGISTERED).await;
        post(
            &h,
            "/api/recuperar/identidad",
            &cookie,
            &[("day", "14"), ("month", "3")],
        )
        .await;
        let (_, loc, _) = post(&h, "/api/recuperar/sin-acceso", &cookie, &[]).await;
        assert_eq!(loc, "/recuperar/sin-correo", "{name}");
        let page = send(&h.app, get_with("/recuperar/sin-correo", &cookie))
            .await
            .2;
        assert!(page.contains("respuesta4"), "{name}: all four");
        let (_, loc, body) = post(
            &h,
            "/api/recuperar/sin-correo",
            &cookie,
            &[
                ("respuesta1", DEMO_ANSWERS[0]),
                ("respuesta2", DEMO_ANSWERS[1]),
                ("respuesta3", DEMO_ANSWERS[2]),
                ("respuesta4", DEMO_ANSWERS[3]),
            ],
        )
        .await;
        assert_eq!(loc, "/recuperar/nuevo-correo", "{name}: {body}");
        let (s, _, _) = post(
            &h,
            "/api/recuperar/nuevo-correo",
            &cookie,
            &[("correo", "no es correo")],
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let (_, loc, body) = post(
            &h,
            "/api/recuperar/nuevo-correo",
            &cookie,
            &[("correo", "maria.nueva@example.org")],
        )
        .await;
        assert_eq!(loc, "/recuperar/codigo", "{name}: {body}");
        let code = newest_code(&h, "maria.nueva@example.org").await;
        let (_, loc, _) = post(&h, "/api/recuperar/codigo", &cookie, &[("codigo", &code)]).await;
        assert_eq!(
            loc, "/recuperar/nueva-clave",
            "{name}: no second round of questions"
        );
        let (_, loc, _) = post(
            &h,
            "/api/recuperar/nueva-clave",
            &cookie,
            &[("clave", NEW_CLAVE)],
        )
        .await;
        assert_eq!(loc, "/recuperar/listo");
        let person = affiliate::Entity::find_by_id(REGISTERED.to_owned())
            .one(&h.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            person.email, "maria.nueva@example.org",
            "{name}: record updated"
        );
        let notice = mail_outbox::Entity::find()
            .filter(mail_outbox::Column::Kind.eq("email_changed"))
            .one(&h.db)
            .await
            .unwrap()
            .expect("notice to the old address");
        assert_eq!(notice.to_address, "maria.perez@example.com");
        let link = notice
            .body_text
            .split_whitespace()
            .find(|w| w.contains("/no-fui-yo?t="))
            .unwrap();
        let path = &link[link.find("/no-fui-yo").unwrap()..];
        let page = send(&h.app, get(path)).await.2;
        assert!(
            page.contains("Bloquear mi cuenta"),
            "{name}: opening the link does nothing by itself"
        );
        let token = path.split("t=").nth(1).unwrap();
        let (s, headers, _) = send(
            &h.app,
            post_form("/api/no-fui-yo", None, &[("t", token)], false),
        )
        .await;
        assert!(s.is_redirection() || s == StatusCode::OK, "{name}: {s}");
        assert!(headers[header::LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/no-fui-yo?caso="));
        let person = affiliate::Entity::find_by_id(REGISTERED.to_owned())
            .one(&h.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(person.email, "maria.perez@example.com", "{name}: restored");
        assert_eq!(person.status, "locked");
        let (s, _, _) = login(&h, NEW_CLAVE).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{name}: the account is locked");
    }
}

#[tokio::test]
async fn the_development_mailbox_exists_only_in_development() {
    let h = harness(test_support::sqlite().await, ROOMY).await;
    let cookie = to_code_step(&h).await;
    let _ = cookie;
    app::services::mail::deliver_due(
        &h.db,
        &app::services::mail::Transport::DevMailbox,
        app::services::now_unix(),
    )
    .await
    .unwrap();
    let (s, _, page) = send(&h.app, get("/dev/correo")).await;
    assert_eq!(s, OK_STATUS);
    assert!(page.contains("Solo para desarrollo") && page.contains("maria.perez@example.com"));
    let prod = harness(
        test_support::sqlite().await,
        &[
            ("CLAVE_MODE", "production"),
            ("CLAVE_PUBLIC_URL", "https://clave.example.org"),
            ("CLAVE_SMTP_URL", "smtp://127.0.0.1:25"),
        ],
    )
    .await;
    let (s, _, page) = send(&prod.app, get("/dev/correo")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(!page.contains("Solo para desarrollo"));
}

#[tokio::test]
async fn without_javascript_typed_answers_never_travel_in_the_redirect() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, ROOMY).await;
        let cookie = to_code_step(&h).await;
        let code = newest_code(&h, "maria.perez@example.com").await;
        post(&h, "/api/recuperar/codigo", &cookie, &[("codigo", &code)]).await;
        for fields in [
            vec![("respuesta1", "secreto-uno"), ("respuesta2", "")],
            vec![("respuesta1", "secreto-uno"), ("respuesta2", "secreto-dos")],
        ] {
            let (s, headers, _) = send(
                &h.app,
                post_form("/api/recuperar/preguntas", Some(&cookie), &fields, true),
            )
            .await;
            assert_eq!(s, StatusCode::SEE_OTHER, "{name}");
            let location = headers[header::LOCATION].to_str().unwrap();
            assert!(location.starts_with("/recuperar/preguntas?"), "{location}");
            assert!(!location.contains("secreto"), "{name}: {location}");
        }
    }
}

/// SPEC §4.2: a per-client budget of logins per hour, whatever the cédulas;
/// another client keeps its own. (The per-cédula lock is another test.)
#[tokio::test]
async fn the_per_client_budget_of_logins_holds() {
    let h = harness(
        test_support::sqlite().await,
        &[("CLAVE_IP_LOGINS_PER_HOUR", "3")],
    )
    .await;
    let attempt = |app: axum::Router, cedula: &'static str| async move {
        let (status, _, body) = send(
            &app,
            post_form(
                "/api/ingresar",
                None,
                &[("cedula", cedula), ("clave", "una clave equivocada")],
                false,
            ),
        )
        .await;
        (status, body)
    };
    for cedula in ["1712345675", "0918765439", "1714307103"] {
        let (status, body) = attempt(h.app.clone(), cedula).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{cedula}: {body}");
    }
    let (status, body) = attempt(h.app.clone(), "1755512348").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let (status, _) = attempt(h.seen_from([192, 0, 2, 7]), "1755512348").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "another client");
}

/// SPEC §4.2: a per-client budget of code sends per hour, apart from the
/// per-cédula and per-address ones.
#[tokio::test]
async fn the_per_client_budget_of_code_sends_holds() {
    let mut settings = ROOMY.to_vec();
    settings.push(("CLAVE_IP_CODE_SENDS_PER_HOUR", "2"));
    let h = harness(test_support::sqlite().await, &settings).await;
    to_code_step(&h).await;
    to_code_step(&h).await;
    let cookie = start(&h, REGISTERED).await;
    let (_, loc, _) = post(
        &h,
        "/api/recuperar/identidad",
        &cookie,
        &[("day", "14"), ("month", "3")],
    )
    .await;
    assert_eq!(loc, "/recuperar/confirmar");
    let (s, loc, body) = post(&h, "/api/recuperar/confirmar", &cookie, &[]).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{loc} {body}");
    let other = h.seen_from([192, 0, 2, 9]);
    let (s, headers, body) = send(
        &other,
        post_form("/api/recuperar/confirmar", Some(&cookie), &[], false),
    )
    .await;
    assert_eq!(
        headers.get(header::LOCATION).map(|v| v.to_str().unwrap()),
        Some("/recuperar/codigo"),
        "another client: {s} {body}"
    );
}

/// Moves the flow's deadline, as the passing of time would.
async fn expire_at(h: &Harness, cookie: &str, at: i64) {
    let f = flow_of(h, cookie).await;
    recovery_flow::Entity::update_many()
        .col_expr(recovery_flow::Column::ExpiresAt, Expr::value(at))
        .filter(recovery_flow::Column::Id.eq(f.id))
        .exec(&h.db)
        .await
        .unwrap();
}

#[tokio::test]
async fn an_idle_flow_expires_after_the_setting_and_restarts_with_a_message() {
    for (name, db) in test_support::each_backend().await {
        let mut settings = ROOMY.to_vec();
        settings.push(("CLAVE_FLOW_IDLE_SECS", "60"));
        let h = harness(db, &settings).await;
        let cookie = start(&h, REGISTERED).await;
        let f = flow_of(&h, &cookie).await;
        assert_eq!(f.expires_at - f.updated_at, 60, "{name}: the setting");
        // A step taken with a second left works, and moves the deadline on.
        expire_at(&h, &cookie, app::services::now_unix() + 30).await;
        let (_, loc, body) = post(
            &h,
            "/api/recuperar/identidad",
            &cookie,
            &[("day", "14"), ("month", "3")],
        )
        .await;
        assert_eq!(loc, "/recuperar/confirmar", "{name}: {body}");
        let f = flow_of(&h, &cookie).await;
        assert_eq!(
            f.expires_at - f.updated_at,
            60,
            "{name}: idle, not absolute"
        );

        // At the deadline the flow is over: with JavaScript, 410.
        expire_at(&h, &cookie, app::services::now_unix()).await;
        let (s, _, body) = post(&h, "/api/recuperar/confirmar", &cookie, &[]).await;
        assert_eq!(s, StatusCode::GONE, "{name}: {body}");
        assert!(body.contains("FlowExpired"), "{name}: {body}");
        // Without JavaScript: back to the step, which says why and offers a
        // new start; nothing of the old flow moved.
        let (s, headers, _) = send(
            &h.app,
            post_form("/api/recuperar/confirmar", Some(&cookie), &[], true),
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{name}");
        let back = headers[header::LOCATION].to_str().unwrap().to_owned();
        let (_, _, page) = send(&h.app, get_with(&back, &cookie)).await;
        assert!(page.contains("Su trámite caducó por inactividad"), "{name}");
        assert!(page.contains("Volver a empezar"), "{name}");
        let (_, _, page) = send(&h.app, get_with("/recuperar/confirmar", &cookie)).await;
        assert!(
            page.contains("Empiece de nuevo"),
            "{name}: the page alone says so too"
        );
        assert_eq!(
            mail_outbox::Entity::find().all(&h.db).await.unwrap().len(),
            0,
            "{name}: no code was sent by the expired flow"
        );
        // A new start works at once.
        let again = start(&h, REGISTERED).await;
        let (_, loc, _) = post(
            &h,
            "/api/recuperar/identidad",
            &again,
            &[("day", "14"), ("month", "3")],
        )
        .await;
        assert_eq!(loc, "/recuperar/confirmar", "{name}");
    }
}
