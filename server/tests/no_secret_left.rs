//! No secret where it does not belong (issue 12, item 4): journeys through
//! every form — recovery with a wrong code and wrong answers, the §2.1.1 path
//! with a new address, a request with a wrong birth date and código
//! dactilar, wrong and right logins, a call-back request, a wrong staff
//! password, a staff sign-in through the second factor (enrolment, a made-up
//! and a real recovery code) — with and without JavaScript and logging at
//! TRACE. Then the
//! captured logs, every `Location` header and every row of every table are
//! searched for what was typed, and none of it is found (the registry's own
//! columns and the call-back queue's phone number aside, which are where
//! those values belong). Mail is delivered over SMTP (MailDev) first, since
//! a mail row keeps its content only until it is sent.

mod common;

use app::services::demo::DEMO_ANSWERS;
use app::services::{mail, test_support};
use axum::http::{header, StatusCode};
use common::*;
use entity::question_pair;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, Statement};
use std::sync::{Arc, Mutex, OnceLock};

/// Everything logged by this test process, at every level.
fn captured_logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Arc::new(Mutex::new(Vec::new()));
        let sink = logs.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || Capture(sink.clone()))
            .try_init()
            .expect("the only subscriber of this test binary");
        logs
    })
    .clone()
}

struct Capture(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every `Location` header the journeys received.
#[derive(Default)]
struct Journey {
    locations: Vec<String>,
}

impl Journey {
    async fn send(
        &mut self,
        h: &Harness,
        req: axum::http::Request<axum::body::Body>,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let answer = send(&h.app, req).await;
        if let Some(l) = answer.1.get(header::LOCATION) {
            self.locations.push(l.to_str().unwrap().to_owned());
        }
        answer
    }

    /// A form post, with JavaScript (`plain` false) or without.
    async fn post(
        &mut self,
        h: &Harness,
        path: &str,
        cookie: Option<&str>,
        fields: &[(&str, &str)],
        plain: bool,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        self.send(h, post_form(path, cookie, fields, plain)).await
    }
}

impl Journey {
    /// Starts a flow of `flujo` for `cedula` without JavaScript; its cookie.
    async fn start(&mut self, h: &Harness, cedula: &str, flujo: &str) -> String {
        let fields = [("cedula", cedula), ("robot", "si"), ("flujo", flujo)];
        let (_, headers, _) = self
            .post(h, "/api/recuperar/buscar", None, &fields, true)
            .await;
        set_cookie(&headers)
    }
}

fn location(headers: &axum::http::HeaderMap) -> &str {
    headers
        .get(header::LOCATION)
        .map_or("", |v| v.to_str().unwrap())
}

/// Every table and its columns, as the database itself lists them.
async fn tables(db: &DatabaseConnection) -> Vec<(String, Vec<String>)> {
    let backend = db.get_database_backend();
    let list = match backend {
        DatabaseBackend::Sqlite => {
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m \
             JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY m.name"
        }
        _ => {
            "SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns \
             WHERE table_schema = current_schema() ORDER BY table_name"
        }
    };
    let rows = db
        .query_all_raw(Statement::from_string(backend, list))
        .await
        .unwrap();
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for row in rows {
        let t: String = row.try_get("", "t").unwrap();
        let c: String = row.try_get("", "c").unwrap();
        match out.last_mut() {
            Some((last, cols)) if *last == t => cols.push(c),
            _ => out.push((t, vec![c])),
        }
    }
    out
}

/// Every value of every column of `table`, as text.
async fn cells(db: &DatabaseConnection, table: &str, column: &str) -> Vec<String> {
    let backend = db.get_database_backend();
    let sql = format!("SELECT CAST(\"{column}\" AS TEXT) AS v FROM \"{table}\"");
    db.query_all_raw(Statement::from_string(backend, sql))
        .await
        .unwrap()
        .into_iter()
        .filter_map(|r| r.try_get::<Option<String>>("", "v").unwrap())
        .collect()
}

/// Where `text` contains `secret`. A secret of digits only (a code) counts
/// only where no other hex digit touches it, so the hex of a hash or a token
/// that happens to contain those digits is no finding.
fn contains(text: &str, secret: &str) -> bool {
    let lower = text.to_lowercase();
    let secret = secret.to_lowercase();
    if !secret.bytes().all(|b| b.is_ascii_digit()) {
        return lower.contains(&secret);
    }
    let bytes = lower.as_bytes();
    lower.match_indices(&secret).any(|(at, _)| {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(at + secret.len()).copied();
        !before.is_some_and(|b| b.is_ascii_hexdigit())
            && !after.is_some_and(|b| b.is_ascii_hexdigit())
    })
}

/// What one journey typed, and the columns where a value belongs (the
/// registry holds the address and the phone it was given).
struct Secret {
    what: &'static str,
    value: String,
    may_live_in: &'static [(&'static str, &'static str)],
}

fn secret(what: &'static str, value: &str) -> Secret {
    Secret {
        what,
        value: value.to_owned(),
        may_live_in: &[],
    }
}

const ROSA: &str = "0104567896";
/// A recovery code nobody was given.
const MADE_UP_RECOVERY_CODE: &str = "QQQQQ-ZZZZ7";
const ABROAD: &str = "1718881111";
const NEW_EMAIL: &str = "maria.reservado@example.org";
const NEW_CLAVE: &str = "tortuga lenta cruza el puente";
const WRONG_CLAVE: &str = "clave equivocada violeta";
const WRONG_ANSWER: &str = "zanahoria morada";
const WRONG_CODE: &str = "482913";
const WRONG_DACTILAR: &str = "Z9876Y5432";
const WRONG_BIRTH: (&str, &str, &str) = ("23", "11", "1961");
const PHONE: &str = "612 34 56 78";
const PHONE_E164: &str = "+34612345678";
const STAFF_PASSWORD: &str = "faro lejano junto al Chimborazo";
const WRONG_STAFF_PASSWORD: &str = "contraseña del faro equivocada";

#[tokio::test]
async fn typed_secrets_are_in_no_log_no_location_and_no_table() {
    let smtp = std::env::var("CLAVE_TEST_SMTP_URL")
        .expect("CLAVE_TEST_SMTP_URL: run the tests with scripts/test.sh (it starts MailDev)");
    let logs = captured_logs();
    for (name, db) in test_support::each_backend().await {
        let mut settings = ROOMY.to_vec();
        settings.push(("CLAVE_SMTP_URL", &smtp));
        let h = harness(db, &settings).await;
        let mut j = Journey::default();
        let mut typed = Vec::new();

        // Recovery: a wrong code, wrong answers without JavaScript, a refused
        // and an accepted clave, then wrong and right logins.
        let flow = j.start(&h, REGISTERED, "recuperar").await;
        j.post(
            &h,
            "/api/recuperar/identidad",
            Some(&flow),
            &[("day", "14"), ("month", "3")],
            false,
        )
        .await;
        j.post(&h, "/api/recuperar/confirmar", Some(&flow), &[], false)
            .await;
        let (s, _, _) = j
            .post(
                &h,
                "/api/recuperar/codigo",
                Some(&flow),
                &[("codigo", WRONG_CODE)],
                true,
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{name}");
        let code = newest_code(&h, "maria.perez@example.com").await;
        let (_, headers, _) = j
            .post(
                &h,
                "/api/recuperar/codigo",
                Some(&flow),
                &[("codigo", &code)],
                false,
            )
            .await;
        assert_eq!(location(&headers), "/recuperar/preguntas", "{name}");
        // The page asks (and so fixes) the pair.
        j.send(&h, get_with("/recuperar/preguntas", &flow)).await;
        let pair = question_pair::Entity::find_by_id(REGISTERED.to_owned())
            .one(&h.db)
            .await
            .unwrap()
            .unwrap();
        let right: Vec<&str> = [pair.first_question_id, pair.second_question_id]
            .iter()
            .map(|id| DEMO_ANSWERS[(*id - 1) as usize])
            .collect();
        let (s, headers, _) = j
            .post(
                &h,
                "/api/recuperar/preguntas",
                Some(&flow),
                &[("respuesta1", WRONG_ANSWER), ("respuesta2", right[1])],
                true,
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{name}");
        let back = location(&headers).to_owned();
        j.send(&h, get_with(&back, &flow)).await;
        let (_, headers, _) = j
            .post(
                &h,
                "/api/recuperar/preguntas",
                Some(&flow),
                &[("respuesta1", right[0]), ("respuesta2", right[1])],
                false,
            )
            .await;
        assert_eq!(location(&headers), "/recuperar/nueva-clave", "{name}");
        j.post(
            &h,
            "/api/recuperar/nueva-clave",
            Some(&flow),
            &[("clave", "maria perez 2024")],
            true,
        )
        .await;
        let (_, headers, _) = j
            .post(
                &h,
                "/api/recuperar/nueva-clave",
                Some(&flow),
                &[("clave", NEW_CLAVE)],
                false,
            )
            .await;
        assert_eq!(location(&headers), "/recuperar/listo", "{name}");
        let (s, _, _) = j
            .post(
                &h,
                "/api/ingresar",
                None,
                &[("cedula", REGISTERED), ("clave", WRONG_CLAVE)],
                true,
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{name}");
        let (_, headers, _) = j
            .post(
                &h,
                "/api/ingresar",
                None,
                &[("cedula", REGISTERED), ("clave", NEW_CLAVE)],
                false,
            )
            .await;
        let session = set_cookie(&headers);
        j.send(&h, get_with("/servicios", &session)).await;
        typed.extend([
            secret("wrong code", WRONG_CODE),
            secret("code", &code),
            secret("wrong answer", WRONG_ANSWER),
            secret("refused clave", "maria perez 2024"),
            secret("clave", NEW_CLAVE),
            secret("wrong clave", WRONG_CLAVE),
            secret("session id", session.split('=').nth(1).unwrap()),
            secret("flow id", flow.split('=').nth(1).unwrap()),
        ]);
        for (i, answer) in right.iter().enumerate() {
            typed.push(Secret {
                what: ["first answer", "second answer"][i],
                value: answer.to_string(),
                may_live_in: &[],
            });
        }

        // §2.1.1: all four answers and a new address.
        let flow = j.start(&h, REGISTERED, "recuperar").await;
        j.post(
            &h,
            "/api/recuperar/identidad",
            Some(&flow),
            &[("day", "14"), ("month", "3")],
            true,
        )
        .await;
        j.post(&h, "/api/recuperar/sin-acceso", Some(&flow), &[], true)
            .await;
        let answers: Vec<(&str, &str)> = ["respuesta1", "respuesta2", "respuesta3", "respuesta4"]
            .into_iter()
            .zip(DEMO_ANSWERS)
            .collect();
        j.post(&h, "/api/recuperar/sin-correo", Some(&flow), &answers, true)
            .await;
        let (_, headers, _) = j
            .post(
                &h,
                "/api/recuperar/nuevo-correo",
                Some(&flow),
                &[("correo", NEW_EMAIL)],
                true,
            )
            .await;
        assert_eq!(location(&headers), "/recuperar/codigo", "{name}");
        typed.push(Secret {
            what: "new e-mail",
            value: NEW_EMAIL.to_owned(),
            // The flow holds it until the code proves it; then the registry.
            may_live_in: &[
                ("recovery_flow", "new_email"),
                ("verification_code", "email"),
                ("affiliate", "email"),
            ],
        });
        typed.push(secret("third answer", DEMO_ANSWERS[2]));
        typed.push(secret("fourth answer", DEMO_ANSWERS[3]));

        // A request: a wrong birth date and código dactilar, without JavaScript.
        let flow = j.start(&h, ROSA, "solicitar").await;
        let (d, m, y) = WRONG_BIRTH;
        let (s, headers, _) = j
            .post(
                &h,
                "/api/solicitar/identidad",
                Some(&flow),
                &[
                    ("day", d),
                    ("month", m),
                    ("year", y),
                    ("dactilar", WRONG_DACTILAR),
                ],
                true,
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{name}");
        let back = location(&headers).to_owned();
        let echo = set_cookie(&headers);
        let (_, _, page) = j
            .send(&h, get_with(&back, &format!("{flow}; {echo}")))
            .await;
        assert!(
            page.contains(WRONG_DACTILAR),
            "{name}: typed values come back once"
        );
        typed.push(secret("wrong código dactilar", WRONG_DACTILAR));
        typed.push(secret("wrong birth date", &format!("{y}-{m}-{d}")));
        typed.push(secret("wrong birth date", &format!("{d}/{m}/{y}")));
        typed.push(secret("wrong birth year", y));

        // A call-back request without JavaScript.
        let (s, _, _) = j
            .post(
                &h,
                "/api/contacto/llamada",
                None,
                &[
                    ("cedula", ABROAD),
                    ("pais", "ES"),
                    ("telefono", PHONE),
                    ("horario", "morning"),
                    ("consentimiento", "si"),
                    ("robot", "si"),
                    ("captcha", ""),
                ],
                true,
            )
            .await;
        assert_eq!(s, StatusCode::FOUND, "{name}: on to the receipt");
        typed.push(Secret {
            what: "phone",
            value: PHONE_E164.to_owned(),
            may_live_in: &[("callback_request", "phone")],
        });
        typed.push(secret("phone as typed", PHONE));

        // A wrong staff password without JavaScript.
        app::services::staff::upsert_account(
            &h.db,
            "agente.prueba",
            "Agente de Prueba",
            STAFF_PASSWORD,
            app::domain::staff::Role::Agent,
            app::services::now_unix(),
        )
        .await
        .unwrap();
        let (s, _, _) = j
            .post(
                &h,
                "/api/personal/ingresar",
                None,
                &[
                    ("usuario", "agente.prueba"),
                    ("clave", WRONG_STAFF_PASSWORD),
                ],
                true,
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{name}");
        typed.push(secret("staff password", STAFF_PASSWORD));
        typed.push(secret("wrong staff password", WRONG_STAFF_PASSWORD));

        // The staff second factor without JavaScript: enrolled with the app's
        // code, then a sign-in with a made-up recovery code and a real one.
        let (_, headers, _) = j
            .post(
                &h,
                "/api/personal/ingresar",
                None,
                &[("usuario", "agente.prueba"), ("clave", STAFF_PASSWORD)],
                true,
            )
            .await;
        let waiting = set_cookie(&headers);
        let (_, _, page) = j.send(&h, get_with("/personal/verificar", &waiting)).await;
        let codes: Vec<String> = page
            .split("<li><code>")
            .skip(1)
            .map(|rest| rest.split('<').next().unwrap().to_owned())
            .collect();
        assert_eq!(codes.len(), 10, "{name}: the recovery codes are shown");
        let now = app::services::now_unix();
        let app_code = staff_app_code(&h, "agente.prueba", now).await;
        let (s, _, _) = j
            .post(
                &h,
                "/api/personal/verificar",
                Some(&waiting),
                &[("codigo", &app_code)],
                true,
            )
            .await;
        assert_eq!(s, StatusCode::FOUND, "{name}: enrolled");
        let (_, headers, _) = j
            .post(
                &h,
                "/api/personal/ingresar",
                None,
                &[("usuario", "agente.prueba"), ("clave", STAFF_PASSWORD)],
                true,
            )
            .await;
        let waiting = set_cookie(&headers);
        let (s, _, _) = j
            .post(
                &h,
                "/api/personal/verificar",
                Some(&waiting),
                &[("codigo", MADE_UP_RECOVERY_CODE)],
                true,
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{name}: a made-up recovery code");
        let (s, _, _) = j
            .post(
                &h,
                "/api/personal/verificar",
                Some(&waiting),
                &[("codigo", &codes[0])],
                true,
            )
            .await;
        assert_eq!(s, StatusCode::FOUND, "{name}: a recovery code");
        for code in &codes {
            typed.push(secret("recovery code", code));
            typed.push(secret("recovery code as stored", &code.replace('-', "")));
        }
        typed.push(secret(
            "made-up recovery code",
            &MADE_UP_RECOVERY_CODE.replace('-', ""),
        ));
        let factor_secret = entity::staff_factor::Entity::find_by_id("agente.prueba".to_owned())
            .one(&h.db)
            .await
            .unwrap()
            .unwrap()
            .secret;
        typed.push(Secret {
            what: "staff factor secret",
            value: factor_secret,
            may_live_in: &[("staff_factor", "secret")],
        });

        // The mail leaves over SMTP, as the worker sends it.
        let transport = mail::Transport::from_settings(&h.settings).unwrap();
        let now = app::services::now_unix();
        while mail::deliver_due(&h.db, &transport, now).await.unwrap() > 0 {}

        // Now search.
        let logged = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
        assert!(
            logged.contains("TRACE") || logged.contains("DEBUG"),
            "{name}: the logs were captured at every level"
        );
        let mut found = Vec::new();
        for s in &typed {
            if contains(&logged, &s.value) {
                found.push(format!("{} in the logs", s.what));
            }
            for l in &j.locations {
                if contains(l, &s.value) {
                    found.push(format!("{} in Location {l}", s.what));
                }
            }
        }
        let all = tables(&h.db).await;
        assert!(all.len() >= 20, "{name}: {} tables listed", all.len());
        for (table, columns) in &all {
            for column in columns {
                let values = cells(&h.db, table, column).await;
                for s in &typed {
                    if s.may_live_in.contains(&(table.as_str(), column.as_str())) {
                        continue;
                    }
                    if values.iter().any(|v| contains(v, &s.value)) {
                        found.push(format!("{} in {table}.{column}", s.what));
                    }
                }
            }
        }
        assert!(found.is_empty(), "{name}: {found:#?}");
        assert!(j.locations.len() >= 10, "{name}: {:?}", j.locations);
    }
}
