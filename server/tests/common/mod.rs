//! What the HTTP-level tests share: the application on a fresh database (demo
//! data seeded), seen from a loopback client, and request helpers.
#![allow(dead_code)]

use app::services::{AppState, Settings};
use axum::body::{to_bytes, Body};
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use leptos::config::LeptosOptions;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use tower::ServiceExt;

pub const SECRET: &str = "0123456789abcdef0123456789abcdef-test";
pub const REGISTERED: &str = "1712345675";
pub const UNREGISTERED: &str = "1714307103";

pub struct Harness {
    pub app: Router,
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
}

pub fn leptos_options() -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("clave")
        .site_root("target/site")
        .site_pkg_dir("pkg")
        .build()
}

pub async fn harness(db: DatabaseConnection, extra: &[(&str, &str)]) -> Harness {
    let mut vars: HashMap<String, String> = [
        ("CLAVE_MODE", "development"),
        ("CLAVE_SECRET", SECRET),
        ("CLAVE_CAPTCHA_MAXNUMBER", "2000"),
        ("LEPTOS_SITE_ADDR", "127.0.0.1:3000"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (k, v) in extra {
        vars.insert(k.to_string(), v.to_string());
    }
    let settings = Arc::new(Settings::from_map(&vars).expect("valid test settings"));
    app::services::demo::seed(&db, app::services::now_unix())
        .await
        .unwrap();
    let state = AppState {
        db: db.clone(),
        settings: settings.clone(),
    };
    let app = server::app(state, leptos_options())
        .layer(MockConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40_000))));
    Harness { app, db, settings }
}

impl Harness {
    /// The same application as seen from another client address.
    pub fn seen_from(&self, ip: [u8; 4]) -> Router {
        self.seen_from_addr(SocketAddr::from((ip, 40_001)))
    }

    /// The same application as seen from any socket peer (IPv6 too).
    pub fn seen_from_addr(&self, peer: SocketAddr) -> Router {
        let state = AppState {
            db: self.db.clone(),
            settings: self.settings.clone(),
        };
        server::app(state, leptos_options()).layer(MockConnectInfo(peer))
    }
}

/// How long one request (response and whole body) may take before the test
/// fails naming it: a hang is a bug to find, never a test to wait on.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

pub async fn send(app: &Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let what = format!("{} {}", req.method(), req.uri().path());
    let exchange = async {
        let res = app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = to_bytes(res.into_body(), 1 << 20).await.unwrap();
        (status, headers, String::from_utf8_lossy(&body).into_owned())
    };
    tokio::time::timeout(REQUEST_TIMEOUT, exchange)
        .await
        .unwrap_or_else(|_| panic!("{what}: no complete response in {REQUEST_TIMEOUT:?}"))
}

pub fn get(uri: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::ACCEPT, "text/html")
        .body(Body::empty())
        .unwrap()
}

pub fn form_encode(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub fn urlencode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A form post to a server function, with the flow or session cookie, as the
/// hydrated page sends it (JSON back) or as a plain form (HTML back).
pub fn post_form(
    path: &str,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
    plain_form: bool,
) -> Request<Body> {
    let body = form_encode(fields);
    let mut req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::CONTENT_LENGTH, body.len())
        .header(
            header::ACCEPT,
            if plain_form {
                "text/html,application/xhtml+xml"
            } else {
                "application/json"
            },
        );
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::from(body)).unwrap()
}

/// A page request with a cookie.
pub fn get_with(uri: &str, cookie: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap()
}

/// `name=value` of the cookie a response sets.
pub fn set_cookie(headers: &axum::http::HeaderMap) -> String {
    headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

/// Settings that keep per-IP budgets out of the way of tests about other rules.
pub const ROOMY: &[(&str, &str)] = &[
    ("CLAVE_NOJS_IP_FLOW_STARTS_PER_HOUR", "10000"),
    ("CLAVE_NOJS_CEDULA_FLOW_STARTS_PER_HOUR", "10000"),
    ("CLAVE_IP_FLOW_STARTS_PER_HOUR", "10000"),
    ("CLAVE_CODE_RESEND_COOLDOWN_SECS", "0"),
];

pub const OK_STATUS: StatusCode = StatusCode::OK;

/// A step's form posted by the hydrated page with the flow cookie: status,
/// `Location` (where the step moved to) and body.
pub async fn post(
    h: &Harness,
    path: &str,
    cookie: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let (status, headers, body) = send(&h.app, post_form(path, Some(cookie), fields, false)).await;
    let location = headers
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location, body)
}

/// The flow behind a flow cookie (its row's id is the SHA-256 of the token).
pub async fn flow_of(h: &Harness, cookie: &str) -> entity::recovery_flow::Model {
    use sea_orm::EntityTrait;
    use sha2::{Digest, Sha256};
    let token = cookie.split('=').nth(1).unwrap();
    let id = hex::encode(Sha256::digest(token.as_bytes()));
    entity::recovery_flow::Entity::find_by_id(id)
        .one(&h.db)
        .await
        .unwrap()
        .expect("flow")
}

/// The newest code mailed to `to`, read from the outbox (as the person reads
/// their mail; it is in the subject until delivery).
pub async fn newest_code(h: &Harness, to: &str) -> String {
    use entity::mail_outbox;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let m = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::ToAddress.eq(to))
        .filter(mail_outbox::Column::Kind.eq("code"))
        .order_by_desc(mail_outbox::Column::Id)
        .one(&h.db)
        .await
        .unwrap()
        .expect("a code mail");
    m.subject.chars().filter(char::is_ascii_digit).collect()
}

/// The code a staff user's authenticator app shows at `at` for the secret the
/// factor page gave them.
pub async fn staff_app_code(h: &Harness, username: &str, at: i64) -> String {
    use sea_orm::EntityTrait;
    let secret = entity::staff_factor::Entity::find_by_id(username.to_owned())
        .one(&h.db)
        .await
        .unwrap()
        .expect("the factor page made a secret")
        .secret;
    app::services::staff_factor::totp(&secret, username)
        .unwrap()
        .generate(at as u64)
        .to_string()
}

/// Signs a staff user in over HTTP as a person would (with JavaScript): the
/// password, the factor page (enrolling on the first sign-in), the app's code
/// for the first step not used yet. Returns the full session's cookie.
pub async fn staff_sign_in(h: &Harness, username: &str, password: &str) -> String {
    use sea_orm::EntityTrait;
    let (s, headers, body) = send(
        &h.app,
        post_form(
            "/api/personal/ingresar",
            None,
            &[("usuario", username), ("clave", password)],
            false,
        ),
    )
    .await;
    assert!(headers.get(header::SET_COOKIE).is_some(), "{s} {body}");
    let waiting = set_cookie(&headers);
    let (s, _, _) = send(&h.app, get_with("/personal/verificar", &waiting)).await;
    assert_eq!(s, StatusCode::OK, "{username}: the factor page");
    let now = app::services::now_unix();
    let last = entity::staff_factor::Entity::find_by_id(username.to_owned())
        .one(&h.db)
        .await
        .unwrap()
        .and_then(|f| f.last_step);
    let at = last.map_or(now, |step| now.max((step + 1) * 30));
    let code = staff_app_code(h, username, at).await;
    let (s, headers, body) = send(
        &h.app,
        post_form(
            "/api/personal/verificar",
            Some(&waiting),
            &[("codigo", &code)],
            false,
        ),
    )
    .await;
    assert!(
        headers.get(header::SET_COOKIE).is_some(),
        "{username}: the factor: {s} {body}"
    );
    let cookie = set_cookie(&headers);
    assert!(cookie.starts_with("clave_staff="), "{cookie}");
    assert_ne!(cookie, waiting, "a new session id after the factor");
    cookie
}

/// Step 1 posted without JavaScript (no proof of work) for a flow of `flujo`
/// ("recuperar" or "solicitar"); returns the flow cookie.
pub async fn start_flow(h: &Harness, cedula: &str, flujo: &str) -> String {
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
    assert_eq!(status, StatusCode::FOUND, "{body}");
    set_cookie(&headers)
}

/// Moves the idle deadline of the flow behind `cookie` to `at`, as time would.
pub async fn expire_at(h: &Harness, cookie: &str, at: i64) {
    use entity::recovery_flow;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let f = flow_of(h, cookie).await;
    recovery_flow::Entity::update_many()
        .col_expr(recovery_flow::Column::ExpiresAt, Expr::value(at))
        .filter(recovery_flow::Column::Id.eq(f.id))
        .exec(&h.db)
        .await
        .unwrap();
}

/// The Prometheus text of the metrics port's application for `h`'s database.
pub async fn scrape(h: &Harness) -> String {
    let state = AppState {
        db: h.db.clone(),
        settings: h.settings.clone(),
    };
    let metrics = server::metrics::app(state, server::metrics::recorder());
    let (status, headers, text) = send(
        &metrics,
        Request::get("/metrics").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(headers[header::CONTENT_TYPE], "text/plain; version=0.0.4");
    text
}

/// The value of the series `name{labels}` in a Prometheus text, whatever
/// the labels' order; 0 when the series was never written (as Prometheus
/// reads an absent counter).
pub fn metric(text: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    let mut wanted: Vec<(String, String)> = labels
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    wanted.sort();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let Some((series, value)) = line.rsplit_once(' ') else {
            continue;
        };
        let (series_name, mut found) = match series.split_once('{') {
            Some((n, rest)) => (
                n,
                rest.trim_end_matches('}')
                    .split("\",")
                    .filter(|p| !p.is_empty())
                    .map(|p| {
                        let (k, v) = p.split_once("=\"").expect("label=\"value\"");
                        (k.to_owned(), v.trim_end_matches('"').to_owned())
                    })
                    .collect::<Vec<_>>(),
            ),
            None => (series, Vec::new()),
        };
        found.sort();
        if series_name == name && found == wanted {
            return value.parse().expect("a number");
        }
    }
    0.0
}

/// Servers a test started as processes, killed however the test ends.
pub struct Processes(pub Vec<std::process::Child>);

impl Drop for Processes {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A loopback port nobody listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A connection to a loopback port whose reads and writes time out, so a
/// hang fails with its name.
pub fn connect(port: u16) -> Result<std::net::TcpStream, String> {
    let s = std::net::TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    s.set_write_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    Ok(s)
}

/// The whole answer to `GET path` with `headers` (lines ending in CRLF), or
/// why there is none.
pub fn get_raw(port: u16, path: &str, headers: &str) -> Result<String, String> {
    use std::io::{Read, Write};
    let mut s = connect(port)?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{headers}\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut answer = String::new();
    s.read_to_string(&mut answer).map_err(|e| e.to_string())?;
    Ok(answer)
}

/// The whole answer to a form posted to `path` as the hydrated page posts it
/// (JSON back), with `headers` (lines ending in CRLF), or why there is none.
pub fn post_raw(port: u16, path: &str, body: &str, headers: &str) -> Result<String, String> {
    use std::io::{Read, Write};
    let mut s = connect(port)?;
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
         Accept: application/json\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\n{headers}\r\n{body}",
        body.len()
    )
    .map_err(|e| e.to_string())?;
    let mut answer = String::new();
    s.read_to_string(&mut answer).map_err(|e| e.to_string())?;
    Ok(answer)
}

/// The status line of `GET path`, or why there is none.
pub fn get_status(port: u16, path: &str) -> Result<String, String> {
    get_raw(port, path, "").map(|a| a.lines().next().unwrap_or_default().to_owned())
}

/// A new, empty database beside `CLAVE_TEST_PG_URL`'s: its URL.
pub async fn fresh_database(label: &str) -> String {
    let base = std::env::var("CLAVE_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/clave_test".into());
    let admin = sea_orm::Database::connect(base.as_str())
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL is required ({base}): {e}. Run scripts/test.sh."));
    let name = format!("clave_{label}_{}", std::process::id());
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    admin.close().await.ok();
    match base.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{name}"),
        None => panic!("CLAVE_TEST_PG_URL names no database: {base}"),
    }
}

/// Drops the database at `url` once its instances are stopped.
pub async fn drop_database(url: &str) {
    let (server, name) = url.rsplit_once('/').unwrap();
    let admin = sea_orm::Database::connect(format!("{server}/postgres").as_str())
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .unwrap();
    admin.close().await.ok();
}
