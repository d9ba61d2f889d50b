//! Going back to correct an earlier answer (issue 18, item 4), over HTTP as a
//! browser without JavaScript does it, on SQLite and PostgreSQL: from the code
//! step the page that chose the address shows again with what was given there;
//! posting it is a transition of the flow (a new code to the corrected address,
//! the old code void), and every code limit still counts.

mod common;

use app::services::demo::DEMO_ANSWERS;
use app::services::test_support;
use axum::http::{header, StatusCode};
use common::*;
use entity::verification_code;
use sea_orm::EntityTrait;

const ROSA: &str = "0104567896";
const FIRST: &str = "rosa.nueva@example.org";
const CORRECTED: &str = "rosa.bien@example.org";

/// A form posted without JavaScript: status and where it redirects.
async fn post_plain(
    h: &Harness,
    path: &str,
    cookie: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let (status, headers, body) = send(&h.app, post_form(path, Some(cookie), fields, true)).await;
    let location = headers
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("{path}: no redirect: {status} {body}"));
    (status, location)
}

/// Rosa's first request up to the code step, the code sent to [`FIRST`].
async fn request_at_code(h: &Harness) -> String {
    let cookie = start_flow(h, ROSA, "solicitar").await;
    let (s, loc) = post_plain(
        h,
        "/api/solicitar/identidad",
        &cookie,
        &[
            ("day", "30"),
            ("month", "1"),
            ("year", "1992"),
            ("dactilar", "C3456D7890"),
        ],
    )
    .await;
    assert_eq!(
        (s, loc.as_str()),
        (StatusCode::FOUND, "/solicitar/contacto")
    );
    let (s, loc) = post_plain(
        h,
        "/api/solicitar/contacto",
        &cookie,
        &[("correo", FIRST), ("telefono", "099 123 4567")],
    )
    .await;
    assert_eq!((s, loc.as_str()), (StatusCode::FOUND, "/solicitar/codigo"));
    cookie
}

async fn code_sent_to(h: &Harness, cookie: &str) -> Option<String> {
    let flow = flow_of(h, cookie).await;
    verification_code::Entity::find_by_id(flow.id)
        .one(&h.db)
        .await
        .unwrap()
        .map(|c| c.email)
}

#[tokio::test]
async fn a_request_goes_back_from_the_code_and_corrects_the_address_and_phone() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, ROOMY).await;
        let cookie = request_at_code(&h).await;
        let first_code = newest_code(&h, FIRST).await;

        // The code page's "Volver" leads to the contact data, shown as given.
        let (s, _, page) = send(&h.app, get_with("/solicitar/codigo", &cookie)).await;
        assert_eq!(s, StatusCode::OK, "{name}");
        assert!(
            page.contains(r#"href="/solicitar/contacto" class="back-link""#),
            "{name}: {page}"
        );
        let (s, _, page) = send(&h.app, get_with("/solicitar/contacto", &cookie)).await;
        assert_eq!(s, StatusCode::OK, "{name}");
        assert!(
            page.contains(&format!(r#"value="{FIRST}""#)),
            "{name}: the address given"
        );
        assert!(
            page.contains(r#"value="+593991234567""#),
            "{name}: the phone given"
        );
        assert!(page.contains("el anterior dejará de servir"), "{name}");

        // Posting it again is the correction: a new code to the new address.
        let (s, loc) = post_plain(
            &h,
            "/api/solicitar/contacto",
            &cookie,
            &[("correo", CORRECTED), ("telefono", "+34 612 345 678")],
        )
        .await;
        assert_eq!(
            (s, loc.as_str()),
            (StatusCode::FOUND, "/solicitar/codigo"),
            "{name}"
        );
        let flow = flow_of(&h, &cookie).await;
        assert_eq!(flow.state, "code_pending", "{name}");
        assert_eq!(flow.new_email.as_deref(), Some(CORRECTED), "{name}");
        assert_eq!(flow.new_phone.as_deref(), Some("+34612345678"), "{name}");
        assert_eq!(code_sent_to(&h, &cookie).await.as_deref(), Some(CORRECTED));

        // The code sent to the first address is void; the new one works.
        let (s, _, body) = post(
            &h,
            "/api/recuperar/codigo",
            &cookie,
            &[("codigo", &first_code), ("flujo", "solicitar")],
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
        let code = newest_code(&h, CORRECTED).await;
        let (s, loc, body) = post(
            &h,
            "/api/recuperar/codigo",
            &cookie,
            &[("codigo", &code), ("flujo", "solicitar")],
        )
        .await;
        assert_eq!(loc, "/solicitar/preguntas", "{name}: {s} {body}");

        // Past the code there is no going back to the address.
        let (s, _, page) = send(&h.app, get_with("/solicitar/contacto", &cookie)).await;
        assert_eq!(s, StatusCode::OK, "{name}");
        assert!(page.contains("Continúe su trámite"), "{name}");
        let (s, _, _) = post(
            &h,
            "/api/solicitar/contacto",
            &cookie,
            &[("correo", FIRST), ("telefono", "")],
        )
        .await;
        assert_eq!(s, StatusCode::CONFLICT, "{name}");
        assert_eq!(
            flow_of(&h, &cookie).await.new_email.as_deref(),
            Some(CORRECTED)
        );
    }
}

#[tokio::test]
async fn from_the_code_step_no_earlier_step_than_the_address_opens_again() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, ROOMY).await;
        let cookie = request_at_code(&h).await;
        let (s, _, _) = post(
            &h,
            "/api/solicitar/identidad",
            &cookie,
            &[
                ("day", "30"),
                ("month", "1"),
                ("year", "1992"),
                ("dactilar", "C3456D7890"),
            ],
        )
        .await;
        assert_eq!(
            s,
            StatusCode::CONFLICT,
            "{name}: the identity is not taken twice"
        );
        assert_eq!(flow_of(&h, &cookie).await.state, "code_pending", "{name}");
    }
}

#[tokio::test]
async fn corrections_spend_the_hourly_code_budget_and_a_refused_one_changes_nothing() {
    for (name, db) in test_support::each_backend().await {
        let mut settings = ROOMY.to_vec();
        settings.push(("CLAVE_CODE_SENDS_PER_HOUR", "2"));
        let h = harness(db, &settings).await;
        // First send (1 of 2 for the cédula), then a correction (2 of 2).
        let cookie = request_at_code(&h).await;
        let (_, loc) = post_plain(
            &h,
            "/api/solicitar/contacto",
            &cookie,
            &[("correo", CORRECTED), ("telefono", "")],
        )
        .await;
        assert_eq!(loc, "/solicitar/codigo", "{name}");
        let live = newest_code(&h, CORRECTED).await;
        // A third address is one send too many for this cédula in the hour.
        let (s, _, body) = post(
            &h,
            "/api/solicitar/contacto",
            &cookie,
            &[("correo", "rosa.tercera@example.org"), ("telefono", "")],
        )
        .await;
        assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{name}: {body}");
        // The flow still holds the address its live code was sent to.
        let flow = flow_of(&h, &cookie).await;
        assert_eq!(flow.new_email.as_deref(), Some(CORRECTED), "{name}");
        assert_eq!(code_sent_to(&h, &cookie).await.as_deref(), Some(CORRECTED));
        let (_, loc, body) = post(
            &h,
            "/api/recuperar/codigo",
            &cookie,
            &[("codigo", &live), ("flujo", "solicitar")],
        )
        .await;
        assert_eq!(loc, "/solicitar/preguntas", "{name}: {body}");
    }
}

#[tokio::test]
async fn the_correction_waits_for_the_resend_cool_down() {
    for (name, db) in test_support::each_backend().await {
        let mut settings = ROOMY.to_vec();
        settings.retain(|(k, _)| *k != "CLAVE_CODE_RESEND_COOLDOWN_SECS");
        settings.push(("CLAVE_CODE_RESEND_COOLDOWN_SECS", "60"));
        let h = harness(db, &settings).await;
        let cookie = request_at_code(&h).await;
        let (s, _, body) = post(
            &h,
            "/api/solicitar/contacto",
            &cookie,
            &[("correo", CORRECTED), ("telefono", "")],
        )
        .await;
        assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{name}: {body}");
        assert!(body.contains("Espere"), "{name}: {body}");
        assert_eq!(flow_of(&h, &cookie).await.new_email.as_deref(), Some(FIRST));
        assert_eq!(code_sent_to(&h, &cookie).await.as_deref(), Some(FIRST));
    }
}

/// María's recovery on the §2.1.1 path up to the code, sent to `email`.
async fn replacing_at_code(h: &Harness, email: &str) -> String {
    let cookie = start_flow(h, REGISTERED, "recuperar").await;
    let (_, loc) = post_plain(
        h,
        "/api/recuperar/identidad",
        &cookie,
        &[("day", "14"), ("month", "3")],
    )
    .await;
    assert_eq!(loc, "/recuperar/confirmar");
    let (_, loc) = post_plain(h, "/api/recuperar/sin-acceso", &cookie, &[]).await;
    assert_eq!(loc, "/recuperar/sin-correo");
    let (_, loc) = post_plain(
        h,
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
    assert_eq!(loc, "/recuperar/nuevo-correo");
    let (_, loc) = post_plain(
        h,
        "/api/recuperar/nuevo-correo",
        &cookie,
        &[("correo", email)],
    )
    .await;
    assert_eq!(loc, "/recuperar/codigo");
    cookie
}

#[tokio::test]
async fn without_the_registered_email_the_new_address_is_corrected_from_the_code_step() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, ROOMY).await;
        let cookie = replacing_at_code(&h, "maria.mal@example.org").await;
        let void = newest_code(&h, "maria.mal@example.org").await;
        let (_, _, page) = send(&h.app, get_with("/recuperar/codigo", &cookie)).await;
        assert!(
            page.contains(r#"href="/recuperar/nuevo-correo" class="back-link""#),
            "{name}"
        );
        let (s, _, page) = send(&h.app, get_with("/recuperar/nuevo-correo", &cookie)).await;
        assert_eq!(s, StatusCode::OK, "{name}");
        assert!(page.contains(r#"value="maria.mal@example.org""#), "{name}");
        // The registered address's confirmation is not this path's way back.
        let (_, _, page) = send(&h.app, get_with("/recuperar/confirmar", &cookie)).await;
        assert!(page.contains("Continúe su trámite"), "{name}");

        let (_, loc) = post_plain(
            &h,
            "/api/recuperar/nuevo-correo",
            &cookie,
            &[("correo", "maria.bien@example.org")],
        )
        .await;
        assert_eq!(loc, "/recuperar/codigo", "{name}");
        let (s, _, _) = post(&h, "/api/recuperar/codigo", &cookie, &[("codigo", &void)]).await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: the old code is void"
        );
        let code = newest_code(&h, "maria.bien@example.org").await;
        let (_, loc, body) = post(&h, "/api/recuperar/codigo", &cookie, &[("codigo", &code)]).await;
        assert_eq!(loc, "/recuperar/nueva-clave", "{name}: {body}");
        assert_eq!(
            flow_of(&h, &cookie).await.new_email.as_deref(),
            Some("maria.bien@example.org"),
            "{name}"
        );
    }
}

#[tokio::test]
async fn a_recovery_goes_back_from_the_code_to_the_registered_address_or_the_other_path() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, ROOMY).await;
        let cookie = start_flow(&h, REGISTERED, "recuperar").await;
        post_plain(
            &h,
            "/api/recuperar/identidad",
            &cookie,
            &[("day", "14"), ("month", "3")],
        )
        .await;
        let (_, loc) = post_plain(&h, "/api/recuperar/confirmar", &cookie, &[]).await;
        assert_eq!(loc, "/recuperar/codigo", "{name}");
        let first = newest_code(&h, "maria.perez@example.com").await;

        let (_, _, page) = send(&h.app, get_with("/recuperar/codigo", &cookie)).await;
        assert!(
            page.contains(r#"href="/recuperar/confirmar" class="back-link""#),
            "{name}"
        );
        let (s, _, page) = send(&h.app, get_with("/recuperar/confirmar", &cookie)).await;
        assert_eq!(s, StatusCode::OK, "{name}");
        assert!(
            page.contains("Ya le enviamos un código a ese correo"),
            "{name}"
        );

        // "No tengo acceso a este correo" from there: the code is void.
        let (_, loc) = post_plain(&h, "/api/recuperar/sin-acceso", &cookie, &[]).await;
        assert_eq!(loc, "/recuperar/sin-correo", "{name}");
        assert_eq!(
            code_sent_to(&h, &cookie).await,
            None,
            "{name}: no live code"
        );
        let (s, _, _) = post(&h, "/api/recuperar/codigo", &cookie, &[("codigo", &first)]).await;
        assert_eq!(s, StatusCode::CONFLICT, "{name}: the code step is behind");
        assert_eq!(
            flow_of(&h, &cookie).await.state,
            "all_answers_pending",
            "{name}"
        );
    }
}
