//! HTTP-level tests of the contact centre (SPEC §2.3, §2.4) on SQLite and
//! PostgreSQL: the call-back request form, the staff console's role
//! enforcement (agents, supervisors, affiliates, nobody), and an agent working
//! a request and unlocking an account, audited with who and why.

mod common;

use app::domain::staff::Role;
use app::services::{now_unix, staff, test_support};
use axum::http::{header, StatusCode};
use common::*;
use entity::{affiliate, audit_event, callback_reference, callback_request};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// Demo: lives in Spain, has a clave, account locked.
const ABROAD: &str = "1718881111";
const AGENT: &str = "ana.agente";
const SUPERVISOR: &str = "sofia.supervisora";
const STAFF_CLAVE: &str = "faro lejano junto al Chimborazo";

fn callback_fields<'a>(
    cedula: &'a str,
    country: &'a str,
    phone: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("cedula", cedula),
        ("pais", country),
        ("telefono", phone),
        ("horario", "morning"),
        ("consentimiento", "si"),
        ("robot", "si"),
        ("captcha", ""),
    ]
}

async fn staff_cookie(h: &Harness, username: &str, role: Role) -> String {
    staff::upsert_account(
        &h.db,
        username,
        "Persona de Prueba",
        STAFF_CLAVE,
        role,
        now_unix(),
    )
    .await
    .unwrap();
    staff_sign_in(h, username, STAFF_CLAVE).await
}

async fn affiliate_cookie(h: &Harness) -> String {
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
    assert!(headers.get(header::SET_COOKIE).is_some(), "{s} {body}");
    set_cookie(&headers)
}

#[tokio::test]
async fn a_call_back_request_gets_a_reference_and_a_second_one_is_merged() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, &[]).await;
        let (s, headers, _) = send(
            &h.app,
            post_form(
                "/api/contacto/llamada",
                None,
                &callback_fields(ABROAD, "ES", "612 34 56 78"),
                true,
            ),
        )
        .await;
        assert!(s.is_redirection(), "{name}: {s}");
        let loc = headers[header::LOCATION].to_str().unwrap().to_owned();
        let reference = loc
            .strip_prefix("/contacto/recibida?referencia=")
            .unwrap_or_else(|| panic!("{name}: {loc}"))
            .to_owned();
        assert_eq!(reference.len(), 12, "{name}: {reference}");
        let (s, _, page) = send(&h.app, get(&loc)).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            page.contains(&reference) && page.contains("Qué pasa ahora"),
            "{name}"
        );
        let row = callback_request::Entity::find()
            .one(&h.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (row.phone.as_str(), row.country.as_str()),
            ("+34612345678", "ES")
        );

        // Again for the same cédula, with JavaScript: merged into the open
        // request, yet the receipt looks like a new one's (a reference of its
        // own): nothing tells the submitter that a request was open.
        let (s, headers, body) = send(
            &h.app,
            post_form(
                "/api/contacto/llamada",
                None,
                &callback_fields(ABROAD, "ES", "+34 699 99 99 99"),
                false,
            ),
        )
        .await;
        assert!(s.is_success() || s.is_redirection(), "{name}: {s} {body}");
        let loc = headers[header::LOCATION].to_str().unwrap();
        let second = loc
            .strip_prefix("/contacto/recibida?referencia=")
            .unwrap_or_else(|| panic!("{name}: {loc}"));
        assert_eq!(second.len(), 12, "{name}: {second}");
        assert_ne!(
            second, reference,
            "{name}: the open request's reference stays private"
        );
        assert_eq!(
            callback_request::Entity::find().count(&h.db).await.unwrap(),
            1
        );
        let alias = callback_reference::Entity::find_by_id(second.to_owned())
            .one(&h.db)
            .await
            .unwrap()
            .expect("the new reference points to the open request");
        assert_eq!(alias.request_id, row.id, "{name}");
        let (_, _, merged_page) = send(&h.app, get(loc)).await;
        assert_eq!(
            without_nonces(&merged_page.replace(second, "REF")),
            without_nonces(&page.replace(&reference, "REF")),
            "{name}: the same receipt"
        );

        // The request is in the audit log, with the cédula and never the number.
        let events = audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq("contacto/llamada"))
            .all(&h.db)
            .await
            .unwrap();
        assert_eq!(events.len(), 2, "{name}");
        assert!(events.iter().all(|e| e.cedula.as_deref() == Some(ABROAD)));
        assert!(
            events.iter().all(|e| !format!("{e:?}").contains("612")),
            "{name}"
        );
    }
}

#[tokio::test]
async fn bad_call_back_input_gets_a_message_per_field_and_stores_nothing() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, &[]).await;
        let long = "9".repeat(5_000);
        let cases: Vec<(Fields, &[&str])> = vec![
            (
                vec![("robot", "si")],
                &["cedula", "pais", "telefono", "horario", "consentimiento"],
            ),
            (
                callback_fields("1714307104", "ES", "612345678"),
                &["cedula"],
            ),
            (callback_fields(ABROAD, "XX", "612345678"), &["pais"]),
            // An Ecuadorian number for Spain; a number that is no number.
            (
                callback_fields(ABROAD, "ES", "+593 99 123 4567"),
                &["telefono"],
            ),
            (callback_fields(ABROAD, "ES", "12"), &["telefono"]),
            (callback_fields(ABROAD, "ES", &long), &["telefono"]),
            (
                callback_fields(ABROAD, "ES", "612345678")
                    .into_iter()
                    .filter(|(k, _)| *k != "consentimiento")
                    .collect(),
                &["consentimiento"],
            ),
            (
                callback_fields(ABROAD, "ES", "612345678")
                    .into_iter()
                    .map(|(k, v)| if k == "horario" { (k, "noche") } else { (k, v) })
                    .collect(),
                &["horario"],
            ),
        ];
        for (fields, expected) in cases {
            let (s, _, body) = send(
                &h.app,
                post_form("/api/contacto/llamada", None, &fields, false),
            )
            .await;
            assert_eq!(
                s,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{name}: {fields:?} {body}"
            );
            for field in expected {
                assert!(
                    body.contains(&format!("\"field\":\"{field}\"")),
                    "{name}: {field} in {body}"
                );
            }
            assert!(body.len() < 4_000, "{name}: long input is not echoed whole");
        }
        // Without JavaScript the errors come back to the form.
        let (s, headers, _) = send(
            &h.app,
            post_form(
                "/api/contacto/llamada",
                None,
                &callback_fields(ABROAD, "ES", "12"),
                true,
            ),
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert!(headers[header::LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/contacto/llamada?"));
        assert_eq!(
            callback_request::Entity::find().count(&h.db).await.unwrap(),
            0,
            "{name}"
        );
    }
}

type Fields<'a> = Vec<(&'a str, &'a str)>;

/// Every staff route: pages and server functions.
const STAFF_PAGES: [&str; 3] = [
    "/personal",
    "/personal/afiliado?cedula=1718881111",
    "/personal/supervision",
];
const STAFF_FNS: [(&str, &[(&str, &str)]); 9] = [
    ("/api/personal/cola", &[]),
    (
        "/api/personal/solicitud",
        &[("id", "1"), ("accion", "tomar")],
    ),
    ("/api/personal/caso", &[("id", "1")]),
    ("/api/personal/afiliado", &[("cedula", ABROAD)]),
    (
        "/api/personal/desbloquear",
        &[("cedula", ABROAD), ("motivo", "Identidad confirmada")],
    ),
    ("/api/personal/supervision", &[]),
    (
        "/api/personal/crear",
        &[
            ("usuario", "nuevo.agente"),
            ("nombre", "Nuevo Agente"),
            ("rol", "agent"),
            ("clave", STAFF_CLAVE),
        ],
    ),
    (
        "/api/personal/activar",
        &[("usuario", AGENT), ("activo", "no")],
    ),
    ("/api/personal/restablecer-factor", &[("usuario", AGENT)]),
];
const SUPERVISOR_ONLY: [&str; 4] = [
    "/api/personal/supervision",
    "/api/personal/crear",
    "/api/personal/activar",
    "/api/personal/restablecer-factor",
];

#[tokio::test]
async fn staff_routes_enforce_roles_and_keep_affiliates_out() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, &[]).await;
        let agent = staff_cookie(&h, AGENT, Role::Agent).await;
        let supervisor = staff_cookie(&h, SUPERVISOR, Role::Supervisor).await;
        let affiliate = affiliate_cookie(&h).await;

        for (path, fields) in STAFF_FNS {
            // Nobody signed in: 401. An affiliate's session: 403, whatever it asks.
            let (s, _, _) = send(&h.app, post_form(path, None, fields, false)).await;
            assert_eq!(
                s,
                StatusCode::UNAUTHORIZED,
                "{name}: {path} without a session"
            );
            let (s, _, _) = send(&h.app, post_form(path, Some(&affiliate), fields, false)).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{name}: {path} as an affiliate");
            // An agent: 403 on the supervisor's functions only.
            if SUPERVISOR_ONLY.contains(&path) {
                let (s, _, _) = send(&h.app, post_form(path, Some(&agent), fields, false)).await;
                assert_eq!(s, StatusCode::FORBIDDEN, "{name}: {path} as an agent");
            }
        }
        for page in STAFF_PAGES {
            let (s, _, body) = send(&h.app, get_with(page, &affiliate)).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{name}: {page} as an affiliate");
            assert!(body.contains("No tiene permiso"), "{name}: {page}");
            let (s, _, body) = send(&h.app, get(page)).await;
            assert_eq!(
                s,
                StatusCode::UNAUTHORIZED,
                "{name}: {page} without a session"
            );
            assert!(body.contains("/personal/ingresar"), "{name}");
        }
        let (s, _, _) = send(&h.app, get_with("/personal/supervision", &agent)).await;
        assert_eq!(
            s,
            StatusCode::FORBIDDEN,
            "{name}: the supervisor's page as an agent"
        );
        for page in ["/personal", "/personal/afiliado?cedula=1718881111"] {
            let (s, headers, body) = send(&h.app, get_with(page, &agent)).await;
            assert_eq!(s, StatusCode::OK, "{name}: {page} as an agent: {body}");
            assert_eq!(
                headers[header::CACHE_CONTROL],
                "no-store",
                "{name}: {page} shows personal data"
            );
        }
        // Putting a taken request back in the queue is the supervisor's.
        send(
            &h.app,
            post_form(
                "/api/contacto/llamada",
                None,
                &callback_fields(ABROAD, "ES", "612345678"),
                true,
            ),
        )
        .await;
        let id = callback_request::Entity::find()
            .one(&h.db)
            .await
            .unwrap()
            .unwrap()
            .id
            .to_string();
        let (s, _, _) = post(
            &h,
            "/api/personal/solicitud",
            &agent,
            &[("id", &id), ("accion", "tomar")],
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{name}");
        let (s, _, _) = post(
            &h,
            "/api/personal/solicitud",
            &agent,
            &[("id", &id), ("accion", "liberar")],
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{name}: an agent releasing");
        let (_, _, queue) = send(&h.app, get_with("/personal", &supervisor)).await;
        assert!(queue.contains("Devolver a la cola"), "{name}");
        let (s, _, _) = post(
            &h,
            "/api/personal/solicitud",
            &supervisor,
            &[("id", &id), ("accion", "liberar")],
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{name}: a supervisor releasing");
        let row = callback_request::Entity::find()
            .one(&h.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (row.status.as_str(), row.claimed_by),
            ("open", None),
            "{name}"
        );

        let (s, _, body) = send(&h.app, get_with("/personal/supervision", &supervisor)).await;
        assert_eq!(s, StatusCode::OK, "{name}");
        assert!(body.contains(AGENT) && body.contains("Solicitudes de llamada por estado"));
        // The supervisor's functions work for a supervisor (and are audited).
        let (s, _, body) = send(
            &h.app,
            post_form(
                "/api/personal/activar",
                Some(&supervisor),
                &[("usuario", AGENT), ("activo", "no")],
                false,
            ),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{name}: {body}");
        // The deactivated agent's session is over.
        let (s, _, _) = send(&h.app, get_with("/personal", &agent)).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{name}");
        let denied = audit_event::Entity::find()
            .filter(audit_event::Column::Actor.eq(AGENT))
            .filter(audit_event::Column::Outcome.eq("forbidden"))
            .count(&h.db)
            .await
            .unwrap();
        assert!(denied >= 1, "{name}: refused staff actions are audited too");

        // A staff session is no affiliate session, under either cookie name.
        let token = supervisor.split_once('=').unwrap().1;
        for cookie in [supervisor.clone(), format!("clave_session={token}")] {
            let (s, _, body) = send(
                &h.app,
                post_form("/api/servicios/ver", Some(&cookie), &[], false),
            )
            .await;
            assert_eq!(s, StatusCode::UNAUTHORIZED, "{name}: {cookie}: {body}");
            let (_, _, page) = send(&h.app, get_with("/servicios", &cookie)).await;
            assert!(page.contains("Su sesión terminó"), "{name}: {cookie}");
        }
    }
}

#[tokio::test]
async fn an_agent_works_a_request_and_unlocks_an_account_audited_with_who_and_why() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, &[]).await;
        let agent = staff_cookie(&h, AGENT, Role::Agent).await;
        send(
            &h.app,
            post_form(
                "/api/contacto/llamada",
                None,
                &callback_fields(ABROAD, "ES", "612345678"),
                true,
            ),
        )
        .await;
        let id = callback_request::Entity::find()
            .one(&h.db)
            .await
            .unwrap()
            .unwrap()
            .id
            .to_string();
        let (_, _, queue) = send(&h.app, get_with("/personal?pais=ES&estado=open", &agent)).await;
        assert!(
            queue.contains("+34612345678") && queue.contains("Diana Carolina"),
            "{name}"
        );
        let (_, _, empty) = send(&h.app, get_with("/personal?pais=US", &agent)).await;
        assert!(
            !empty.contains("+34612345678"),
            "{name}: the country filter"
        );

        for accion in ["tomar", "contactada"] {
            let (s, _, body) = post(
                &h,
                "/api/personal/solicitud",
                &agent,
                &[("id", &id), ("accion", accion)],
            )
            .await;
            assert_eq!(s, StatusCode::OK, "{name}: {accion} {body}");
        }
        // Resolving needs a note; unlocking needs a reason: refused without, nothing changed.
        let (s, _, body) = post(
            &h,
            "/api/personal/solicitud",
            &agent,
            &[("id", &id), ("accion", "resolver"), ("nota", " ")],
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
        let (s, _, _) = post(
            &h,
            "/api/personal/desbloquear",
            &agent,
            &[("cedula", ABROAD), ("motivo", "")],
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        let person = affiliate::Entity::find_by_id(ABROAD.to_owned())
            .one(&h.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(person.status, "locked", "{name}");

        let reason = "Identidad confirmada por teléfono (fecha y código dactilar)";
        let (s, _, body) = post(
            &h,
            "/api/personal/desbloquear",
            &agent,
            &[("cedula", ABROAD), ("motivo", reason)],
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{name}: {body}");
        let person = affiliate::Entity::find_by_id(ABROAD.to_owned())
            .one(&h.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(person.status, "active", "{name}");
        let (s, _, _) = post(
            &h,
            "/api/personal/solicitud",
            &agent,
            &[
                ("id", &id),
                ("accion", "resolver"),
                ("nota", "Desbloqueada tras la llamada"),
            ],
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{name}");

        let unlock = audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq("personal/desbloquear"))
            .filter(audit_event::Column::Outcome.eq("ok"))
            .one(&h.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(unlock.actor, AGENT, "{name}");
        assert_eq!(unlock.cedula.as_deref(), Some(ABROAD));
        assert_eq!(unlock.detail.as_deref(), Some(reason));
        let resolved = audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq("personal/solicitud"))
            .filter(audit_event::Column::Detail.eq("Desbloqueada tras la llamada"))
            .count(&h.db)
            .await
            .unwrap();
        assert_eq!(resolved, 1, "{name}");

        // The history shows events and never a hash, a code, an answer or the dactilar.
        let (s, _, page) = send(
            &h.app,
            get_with(&format!("/personal/afiliado?cedula={ABROAD}"), &agent),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            page.contains(reason) && page.contains("Pidió que le llamen"),
            "{name}"
        );
        for secret in ["$argon2", "A1111B2222", "1988", "diana.vasquez@"] {
            assert!(!page.contains(secret), "{name}: {secret} shown");
        }
        // The old clave no longer works (whoever set it may not be them): the
        // affiliate recovers a new one.
        let (s, headers, _) = send(
            &h.app,
            post_form(
                "/api/ingresar",
                None,
                &[
                    ("cedula", ABROAD),
                    ("clave", app::services::demo::DEMO_CLAVE),
                ],
                false,
            ),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(headers.get(header::SET_COOKIE).is_none(), "{name}");
    }
}

/// A page with its per-response CSP nonce replaced by a fixed word.
fn without_nonces(page: &str) -> String {
    let nonce = page
        .split("nonce=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a nonce");
    page.replace(nonce, "NONCE")
}

#[tokio::test]
async fn a_staff_password_leads_to_the_second_factor_with_and_without_javascript() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, &[]).await;
        for (plain, username) in [(true, "agente.sinjs"), (false, "agente.conjs")] {
            let name = format!("{name}, plain form {plain}");
            staff::upsert_account(
                &h.db,
                username,
                "Persona de Prueba",
                STAFF_CLAVE,
                Role::Agent,
                now_unix(),
            )
            .await
            .unwrap();
            let (s, headers, _) = send(
                &h.app,
                post_form(
                    "/api/personal/ingresar",
                    None,
                    &[("usuario", username), ("clave", STAFF_CLAVE)],
                    plain,
                ),
            )
            .await;
            if plain {
                assert_eq!(s, StatusCode::FOUND, "{name}");
                assert_eq!(headers[header::LOCATION], "/personal/verificar", "{name}");
            }
            let waiting = set_cookie(&headers);
            // The password alone opens no console page.
            let (s, _, body) = send(&h.app, get_with("/personal", &waiting)).await;
            assert_eq!(s, StatusCode::UNAUTHORIZED, "{name}");
            assert!(body.contains("/personal/ingresar"), "{name}");
            // The enrolment page: QR code, the secret as text, ten recovery codes.
            let (s, headers, page) = send(&h.app, get_with("/personal/verificar", &waiting)).await;
            assert_eq!(s, StatusCode::OK, "{name}");
            assert_eq!(headers[header::CACHE_CONTROL], "no-store", "{name}");
            let secret = entity::staff_factor::Entity::find_by_id(username.to_owned())
                .one(&h.db)
                .await
                .unwrap()
                .unwrap()
                .secret;
            let grouped: Vec<String> = secret
                .as_bytes()
                .chunks(4)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            assert!(page.contains("Configure su segundo factor"), "{name}");
            assert!(
                page.contains("<svg") && page.contains("role=\"img\""),
                "{name}"
            );
            assert!(
                page.contains(&grouped.join(" ")),
                "{name}: the secret as text"
            );
            assert_eq!(page.matches("<li><code>").count(), 10, "{name}");
            // A wrong code: refused, the form comes back.
            let now = now_unix();
            let right = staff_app_code(&h, username, now).await;
            let wrong = if right == "000000" {
                "111111"
            } else {
                "000000"
            };
            let (s, headers, _) = send(
                &h.app,
                post_form(
                    "/api/personal/verificar",
                    Some(&waiting),
                    &[("codigo", wrong)],
                    plain,
                ),
            )
            .await;
            if plain {
                assert_eq!(s, StatusCode::SEE_OTHER, "{name}");
                let back = headers[header::LOCATION].to_str().unwrap().to_owned();
                assert!(back.starts_with("/personal/verificar?"), "{name}: {back}");
                let (_, _, page) = send(&h.app, get_with(&back, &waiting)).await;
                assert!(page.contains("El código no es correcto"), "{name}");
            } else {
                assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
            }
            // The app's code: a new session id, the console opens.
            let (s, headers, _) = send(
                &h.app,
                post_form(
                    "/api/personal/verificar",
                    Some(&waiting),
                    &[("codigo", &right)],
                    plain,
                ),
            )
            .await;
            if plain {
                assert_eq!(s, StatusCode::FOUND, "{name}");
                assert_eq!(headers[header::LOCATION], "/personal", "{name}");
            }
            let full = set_cookie(&headers);
            assert_ne!(full, waiting, "{name}");
            let (s, _, _) = send(&h.app, get_with("/personal", &full)).await;
            assert_eq!(s, StatusCode::OK, "{name}");
            let (s, _, _) = send(&h.app, get_with("/personal", &waiting)).await;
            assert_eq!(s, StatusCode::UNAUTHORIZED, "{name}: the old id is gone");
            // Both tries audited as this user's, without the code.
            let tries = audit_event::Entity::find()
                .filter(audit_event::Column::Action.eq("personal/verificar"))
                .filter(audit_event::Column::Actor.eq(username))
                .all(&h.db)
                .await
                .unwrap();
            let outcomes: Vec<&str> = tries.iter().map(|e| e.outcome.as_str()).collect();
            assert_eq!(outcomes.len(), 2, "{name}: {outcomes:?}");
            assert!(outcomes.contains(&"ok"), "{name}: {outcomes:?}");
            assert!(
                tries
                    .iter()
                    .all(|e| !e.detail.as_deref().unwrap_or_default().contains(&right)),
                "{name}"
            );
        }
    }
}

#[tokio::test]
async fn a_supervisor_resets_a_colleagues_factor_audited_and_not_their_own() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, &[]).await;
        let agent = staff_cookie(&h, AGENT, Role::Agent).await;
        let supervisor = staff_cookie(&h, SUPERVISOR, Role::Supervisor).await;
        let (_, _, page) = send(&h.app, get_with("/personal/supervision", &supervisor)).await;
        assert!(page.contains("Restablecer segundo factor"), "{name}");
        let (s, _, body) = post(
            &h,
            "/api/personal/restablecer-factor",
            &supervisor,
            &[("usuario", SUPERVISOR)],
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
        let (s, _, body) = post(
            &h,
            "/api/personal/restablecer-factor",
            &supervisor,
            &[("usuario", AGENT)],
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{name}: {body}");
        // The agent's session ended; their next sign-in enrols again.
        let (s, _, _) = send(&h.app, get_with("/personal", &agent)).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{name}");
        let (s, _, body) = post(
            &h,
            "/api/personal/restablecer-factor",
            &supervisor,
            &[("usuario", AGENT)],
        )
        .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{name}: nothing to reset: {body}");
        let reset = audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq("personal/restablecer-factor"))
            .filter(audit_event::Column::Outcome.eq("ok"))
            .all(&h.db)
            .await
            .unwrap();
        assert_eq!(reset.len(), 1, "{name}");
        assert_eq!(reset[0].actor, SUPERVISOR);
        assert_eq!(
            reset[0].detail.as_deref(),
            Some(format!("restableció el segundo factor de {AGENT}").as_str())
        );
        let agent = staff_sign_in(&h, AGENT, STAFF_CLAVE).await;
        let (s, _, _) = send(&h.app, get_with("/personal", &agent)).await;
        assert_eq!(s, StatusCode::OK, "{name}");
    }
}
