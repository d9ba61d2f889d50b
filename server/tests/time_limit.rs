//! The flow's time limit on every step (issue 18, item 5; WCAG 2.2.1), over
//! HTTP without JavaScript on SQLite and PostgreSQL: each step prints until
//! when the flow stays open, as an Ecuador clock time, with *Ampliar el
//! tiempo*; the button starts the idle timeout again and brings the person back
//! to the step they were on; an expired or finished flow is never revived.

mod common;

use app::services::test_support;
use axum::http::{header, StatusCode};
use common::*;
use sea_orm::EntityTrait;

/// The idle timeout these tests configure.
const IDLE: i64 = 600;

async fn start(h: &Harness) -> String {
    start_flow(h, REGISTERED, "recuperar").await
}

/// *Ampliar el tiempo* for a flow of `flujo`, as a page (`plain`) or as the
/// island's call.
async fn ampliar(
    h: &Harness,
    cookie: Option<&str>,
    flujo: &str,
    plain: bool,
) -> (StatusCode, axum::http::HeaderMap, String) {
    send(
        &h.app,
        post_form("/api/tramite/ampliar", cookie, &[("flujo", flujo)], plain),
    )
    .await
}

/// "HH:MM" in Ecuador (UTC−5 all year, no daylight saving), written here
/// apart from the app's own formatting.
fn ecuador_clock(unix: i64) -> String {
    let secs_of_day = (unix - 5 * 3600).rem_euclid(86_400);
    format!("{:02}:{:02}", secs_of_day / 3600, secs_of_day % 3600 / 60)
}

fn settings() -> Vec<(&'static str, &'static str)> {
    let mut s = ROOMY.to_vec();
    s.push(("CLAVE_FLOW_IDLE_SECS", "600"));
    s
}

#[tokio::test]
async fn every_step_prints_the_deadline_and_the_button_extends_it() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, &settings()).await;
        let cookie = start(&h).await;
        let steps = [
            (
                "/recuperar/identidad",
                vec![("day", "14"), ("month", "3")],
                "/api/recuperar/identidad",
            ),
            ("/recuperar/confirmar", vec![], "/api/recuperar/confirmar"),
            ("/recuperar/codigo", vec![], ""),
        ];
        for (page, fields, post_to) in steps {
            // Time passed: eight of the ten minutes are gone.
            let soon = app::services::now_unix() + 120;
            expire_at(&h, &cookie, soon).await;
            let (s, _, body) = send(&h.app, get_with(page, &cookie)).await;
            assert_eq!(s, StatusCode::OK, "{name} {page}");
            let printed = format!(
                r#"hasta las <strong class="flow-deadline">{}</strong>"#,
                ecuador_clock(soon)
            );
            assert!(body.contains(&printed), "{name} {page}: {printed}");
            assert!(body.contains("Ampliar el tiempo"), "{name} {page}");

            let before = app::services::now_unix();
            let (s, headers, body) = ampliar(&h, Some(&cookie), "recuperar", true).await;
            let after = app::services::now_unix();
            assert_eq!(s, StatusCode::FOUND, "{name} {page}: {body}");
            assert_eq!(
                headers[header::LOCATION].to_str().unwrap(),
                format!("{page}?ampliado=1"),
                "{name}: back to the same step"
            );
            let expires = flow_of(&h, &cookie).await.expires_at;
            assert!(
                (before + IDLE..=after + IDLE).contains(&expires),
                "{name} {page}: a new {IDLE} s from the click, not {expires}"
            );
            let (_, _, body) = send(&h.app, get_with(&format!("{page}?ampliado=1"), &cookie)).await;
            assert!(body.contains("Le dimos más tiempo"), "{name} {page}");
            assert!(
                body.contains(&format!(
                    r#"<strong class="flow-deadline">{}</strong>"#,
                    ecuador_clock(expires)
                )),
                "{name} {page}: the new deadline"
            );
            if !post_to.is_empty() {
                let (_, loc, body) = post(&h, post_to, &cookie, &fields).await;
                assert!(!loc.is_empty(), "{name} {post_to}: {body}");
            }
        }
    }
}

#[tokio::test]
async fn with_javascript_the_extension_answers_the_new_deadline() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, &settings()).await;
        let cookie = start(&h).await;
        expire_at(&h, &cookie, app::services::now_unix() + 30).await;
        let (s, _, body) = ampliar(&h, Some(&cookie), "recuperar", false).await;
        assert_eq!(s, StatusCode::OK, "{name}: {body}");
        let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
        let expires = flow_of(&h, &cookie).await.expires_at;
        assert_eq!(answer["until"], ecuador_clock(expires), "{name}");
        let left = answer["seconds_left"].as_i64().unwrap();
        assert!((IDLE - 2..=IDLE).contains(&left), "{name}: {left}");
    }
}

#[tokio::test]
async fn an_expired_or_finished_flow_is_never_extended() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, &settings()).await;
        let cookie = start(&h).await;
        let gone = app::services::now_unix() - 1;
        expire_at(&h, &cookie, gone).await;
        let (s, _, _) = ampliar(&h, Some(&cookie), "recuperar", false).await;
        assert_eq!(s, StatusCode::GONE, "{name}: expired");
        assert_eq!(
            flow_of(&h, &cookie).await.expires_at,
            gone,
            "{name}: not revived"
        );

        // A flow that ended (too many failures) keeps its end.
        let cookie = start(&h).await;
        for _ in 0..3 {
            post(
                &h,
                "/api/recuperar/identidad",
                &cookie,
                &[("day", "1"), ("month", "1")],
            )
            .await;
        }
        let ended = flow_of(&h, &cookie).await;
        assert_eq!(ended.state, "failed", "{name}");
        let (s, _, _) = ampliar(&h, Some(&cookie), "recuperar", false).await;
        assert_eq!(s, StatusCode::GONE, "{name}: failed");
        assert_eq!(
            flow_of(&h, &cookie).await.expires_at,
            ended.expires_at,
            "{name}"
        );

        // Without a flow there is nothing to extend; a page of the other flow
        // does not extend this one.
        let (s, _, _) = send(&h.app, post_form("/api/tramite/ampliar", None, &[], false)).await;
        assert_eq!(s, StatusCode::GONE, "{name}: no flow");
        let live = start(&h).await;
        let deadline = flow_of(&h, &live).await.expires_at;
        let (s, _, _) = ampliar(&h, Some(&live), "solicitar", false).await;
        assert_eq!(s, StatusCode::GONE, "{name}: another kind");
        assert_eq!(flow_of(&h, &live).await.expires_at, deadline, "{name}");
    }
}

/// The idle deadline of the staff session behind `cookie`.
async fn staff_idle_until(h: &Harness, cookie: &str) -> i64 {
    use sha2::{Digest, Sha256};
    let token = cookie.split('=').nth(1).unwrap();
    let id = hex::encode(Sha256::digest(token.as_bytes()));
    entity::staff_session::Entity::find_by_id(id)
        .one(&h.db)
        .await
        .unwrap()
        .expect("a staff session")
        .idle_expires_at
}

#[tokio::test]
async fn staff_pages_print_the_session_deadline_and_seguir_extends_it() {
    use app::domain::staff::Role;
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, &[("CLAVE_SESSION_IDLE_SECS", "600")]).await;
        let password = "faro lejano junto al Chimborazo";
        app::services::staff::upsert_account(
            &h.db,
            "agente.tiempo",
            "Agente",
            password,
            Role::Agent,
            app::services::now_unix(),
        )
        .await
        .unwrap();
        let cookie = staff_sign_in(&h, "agente.tiempo", password).await;
        for page in ["/personal", "/personal/afiliado?cedula=1712345675"] {
            let (s, _, body) = send(&h.app, get_with(page, &cookie)).await;
            assert_eq!(s, StatusCode::OK, "{name} {page}");
            let idle = staff_idle_until(&h, &cookie).await;
            assert!(
                body.contains(&format!(
                    r#"Seguirá abierta hasta las <strong class="session-deadline">{}</strong>"#,
                    ecuador_clock(idle)
                )),
                "{name} {page}: the session's deadline"
            );
        }
        // Without JavaScript «Seguir» comes back to the page it was on.
        let before = app::services::now_unix();
        let (s, headers, _) = send(
            &h.app,
            post_form(
                "/api/personal/seguir",
                Some(&cookie),
                &[("volver", "/personal/afiliado?cedula=1712345675")],
                true,
            ),
        )
        .await;
        assert_eq!(s, StatusCode::FOUND, "{name}");
        assert_eq!(
            headers[header::LOCATION].to_str().unwrap(),
            "/personal/afiliado?cedula=1712345675"
        );
        assert!(
            staff_idle_until(&h, &cookie).await >= before + 600,
            "{name}"
        );
        // With JavaScript it answers the new deadline.
        let (s, _, body) = send(
            &h.app,
            post_form("/api/personal/seguir", Some(&cookie), &[], false),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{name}: {body}");
        let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            answer["until"],
            ecuador_clock(staff_idle_until(&h, &cookie).await),
            "{name}"
        );
        // Signed out: nothing to extend.
        let (s, _, _) = send(&h.app, post_form("/api/personal/seguir", None, &[], false)).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{name}");
    }
}

#[tokio::test]
async fn the_signed_in_home_prints_its_deadline_and_seguir_answers_the_new_one() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, &[("CLAVE_SESSION_IDLE_SECS", "600")]).await;
        let (s, headers, body) = send(
            &h.app,
            post_form(
                "/api/ingresar",
                None,
                &[
                    ("cedula", REGISTERED),
                    ("clave", app::services::demo::DEMO_CLAVE),
                ],
                false,
            ),
        )
        .await;
        assert!(
            headers.get(header::SET_COOKIE).is_some(),
            "{name}: {s} {body}"
        );
        let cookie = set_cookie(&headers);
        let before = app::services::now_unix();
        let (s, _, body) = send(&h.app, get_with("/servicios", &cookie)).await;
        let after = app::services::now_unix();
        assert_eq!(s, StatusCode::OK, "{name}");
        let printed = (before..=after).any(|t| {
            body.contains(&format!(
                r#"<strong class="session-deadline">{}</strong>"#,
                ecuador_clock(t + 600)
            ))
        });
        assert!(printed, "{name}: the home says until when");
        assert!(body.contains(">Seguir<"), "{name}");
        let (s, _, body) = send(
            &h.app,
            post_form("/api/servicios/seguir", Some(&cookie), &[], false),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{name}: {body}");
        let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
        let left = answer["seconds_left"].as_i64().unwrap();
        assert!((598..=600).contains(&left), "{name}: {left}");
    }
}
