//! PostgreSQL going away under a running instance and coming back (issue 19,
//! item 2): while it is away, pages answer a Spanish 503 with `Retry-After`,
//! server functions a JSON 503, nothing is written; when it returns the same
//! requests work, with no restart. The database sits behind a loopback proxy
//! the test cuts (every open connection dropped, every new one closed at
//! once) and restores: what a client sees of a restart, without stopping the
//! PostgreSQL the other tests use.

mod common;

use axum::http::{header, StatusCode};
use common::*;
use std::sync::Arc;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// A TCP proxy to PostgreSQL on a loopback port, up or cut.
struct Proxy {
    port: u16,
    up: watch::Sender<bool>,
}

impl Proxy {
    async fn start() -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (up, _) = watch::channel(true);
        let up_rx = Arc::new(up.subscribe());
        tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else {
                    return;
                };
                let mut up = (*up_rx).clone();
                tokio::spawn(async move {
                    if !*up.borrow_and_update() {
                        return; // cut: closed at once
                    }
                    let Ok(mut server) = TcpStream::connect("127.0.0.1:5432").await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = up.wait_for(|up| !*up) => {}
                    }
                });
            }
        });
        Proxy { port, up }
    }

    fn set(&self, up: bool) {
        self.up.send_replace(up);
    }
}

/// The URL of the same database reached through the proxy.
fn through(url: &str, proxy: &Proxy) -> String {
    let (_, name) = url.rsplit_once('/').unwrap();
    format!("postgres://postgres@127.0.0.1:{}/{name}", proxy.port)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_postgresql_is_away_every_answer_is_503_and_it_recovers_by_itself() {
    let url = fresh_database("away").await;
    let proxy = Proxy::start().await;
    let db = app::services::db::open(&through(&url, &proxy))
        .await
        .unwrap();
    let h = harness(db, ROOMY).await;
    let cookie = start_flow(&h, REGISTERED, "recuperar").await;

    proxy.set(false);

    // A step's page: the Spanish 503 page, and when to come back.
    let (status, headers, page) = send(&h.app, get_with("/recuperar/identidad", &cookie)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{page}");
    assert_eq!(headers[header::RETRY_AFTER], "10");
    assert!(
        page.contains("En este momento el sistema no está disponible"),
        "{page}"
    );
    // The step's server function, as the hydrated page calls it: JSON.
    let birth = [("day", "14"), ("month", "3")];
    let (status, headers, body) = send(
        &h.app,
        post_form("/api/recuperar/identidad", Some(&cookie), &birth, false),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(headers[header::RETRY_AFTER], "10");
    assert!(body.contains("Unavailable"), "{body}");
    // Without JavaScript: back to the step, which says 503 as well.
    let (status, headers, _) = send(
        &h.app,
        post_form("/api/recuperar/identidad", Some(&cookie), &birth, true),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let back = headers[header::LOCATION].to_str().unwrap().to_owned();
    assert!(back.starts_with("/recuperar/identidad?"), "{back}");
    let (status, headers, page) = send(&h.app, get_with(&back, &cookie)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{page}");
    assert_eq!(headers[header::RETRY_AFTER], "10");
    let (status, _, _) = send(&h.app, get("/readyz")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);

    proxy.set(true);

    // Back: the flow is where it was (nothing half-written), the same post
    // moves it on, and the instance is ready — no restart.
    let (status, loc, body) = post(&h, "/api/recuperar/identidad", &cookie, &birth).await;
    assert_eq!(loc, "/recuperar/confirmar", "{status} {body}");
    let (status, _, _) = send(&h.app, get("/readyz")).await;
    assert_eq!(status, StatusCode::OK);
    h.db.close().await.ok();
    drop_database(&url).await;
}
