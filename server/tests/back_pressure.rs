//! Back-pressure (issue 12, item 8): the argon2 queue is bounded. When it is
//! full a request that needs a hash is answered at once with 503 and
//! `Retry-After` — the form comes back in Spanish with what was typed, nothing
//! is compared and no try is spent — instead of waiting behind a flood.
//!
//! The hashing pool is one per process, so this binary has its own: every
//! harness here asks for a queue of `QUEUE` waiting hashes. So is the metrics
//! recorder: the tests take turns, so the counts each reads are its own.

mod common;

use app::domain::cedula::{check_digit, Cedula};
use app::services::telemetry::{HASHES_QUEUED, HASHES_REFUSED_BUSY, HASHES_RUNNING};
use app::services::{hashing, test_support};
use axum::http::{header, StatusCode};
use common::*;
use entity::{audit_event, limit_event, login_lock};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

const QUEUE: &str = "2";

/// Both tests fill the one hashing pool of this process; run at the same time
/// each would see the other's load, so they take turns.
static POOL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn settings() -> Vec<(&'static str, &'static str)> {
    let mut s = ROOMY.to_vec();
    s.push(("CLAVE_HASH_QUEUE_LENGTH", QUEUE));
    s.push(("CLAVE_IP_LOGINS_PER_HOUR", "100000"));
    s
}

/// A stored hash with costly parameters (64 MiB, 200 passes: seconds per
/// check): checking it keeps a hashing thread busy.
const COSTLY: &str =
    "$argon2id$v=19$m=65536,t=200,p=1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/// Occupies every hashing thread and fills the queue behind them with costly
/// checks; the returned tasks end when those checks do.
async fn clog() -> Vec<tokio::task::JoinHandle<Result<bool, hashing::Busy>>> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let queue: usize = QUEUE.parse().unwrap();
    let mut tasks = Vec::new();
    for _ in 0..threads + queue {
        tasks.push(tokio::spawn(hashing::verify("x".into(), COSTLY.into())));
        // One at a time, so a thread has taken each check before the next
        // arrives: the first `threads` run, the rest wait in the queue.
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        hashing::verify("x".into(), COSTLY.into()).await,
        Err(hashing::Busy),
        "the queue is full before the test's requests"
    );
    tasks
}

/// The queue was still full when the test's requests had all been answered,
/// so each of them met a full queue.
async fn still_clogged() {
    assert_eq!(
        hashing::verify("x".into(), COSTLY.into()).await,
        Err(hashing::Busy),
        "the costly checks ended before the test's requests did: make them costlier"
    );
}

/// The threads of this process that hash (named `argon2-N`).
fn hashing_threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|t| std::fs::read_to_string(t.unwrap().path().join("comm")).ok())
        .filter(|name| name.starts_with("argon2-"))
        .count()
}

/// A wrong clave for the registered demo cédula, with JavaScript or without.
fn wrong_login(plain: bool) -> axum::http::Request<axum::body::Body> {
    post_form(
        "/api/ingresar",
        None,
        &[("cedula", REGISTERED), ("clave", "una clave equivocada")],
        plain,
    )
}

fn unregistered(n: u32) -> String {
    let mut nine = [0u8; 9];
    let raw = format!("170{n:06}");
    for (d, c) in nine.iter_mut().zip(raw.bytes()) {
        *d = c - b'0';
    }
    let cedula = format!("{raw}{}", check_digit(&nine));
    Cedula::parse(&cedula).expect("a well-formed cédula");
    cedula
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_full_hashing_queue_answers_503_keeps_the_form_and_spends_no_try() {
    let _turn = POOL.lock().await;
    let h = harness(test_support::sqlite().await, &settings()).await;
    let clogged = clog().await;
    // The operators' metrics see the clogged pool as it is.
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let metrics = scrape(&h).await;
    assert_eq!(metric(&metrics, HASHES_RUNNING, &[]), threads as f64);
    assert_eq!(
        metric(&metrics, HASHES_QUEUED, &[]),
        QUEUE.parse::<f64>().unwrap()
    );

    // With JavaScript: 503, Retry-After, the cédula kept, nothing counted.
    let (status, headers, body) = send(&h.app, wrong_login(false)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(headers[header::RETRY_AFTER], "5");
    assert!(body.contains("Busy") && body.contains(REGISTERED), "{body}");
    assert!(!body.contains("una clave equivocada"), "{body}");

    // Without JavaScript: back to the page, which says 503 and keeps the cédula.
    let (status, headers, _) = send(&h.app, wrong_login(true)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers[header::LOCATION].to_str().unwrap().to_owned();
    assert!(!location.contains(REGISTERED), "{location}");
    let echo = set_cookie(&headers);
    let (status, headers, page) = send(&h.app, get_with(&location, &echo)).await;
    still_clogged().await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(headers[header::RETRY_AFTER], "5");
    assert!(
        page.contains("hay muchas personas usando el sistema"),
        "{page}"
    );
    assert!(page.contains("No se contó como intento"), "{page}");
    assert!(page.contains(&format!("value=\"{REGISTERED}\"")), "{page}");

    // Neither post spent a login try or this client's login budget.
    let tries = login_lock::Entity::find_by_id(REGISTERED.to_owned())
        .one(&h.db)
        .await
        .unwrap()
        .map_or(0, |l| l.failures);
    assert_eq!(tries, 0, "a refused check is no failed try");
    let spent = limit_event::Entity::find()
        .filter(limit_event::Column::Key.starts_with("login:ip:"))
        .filter(limit_event::Column::Refunded.eq(0))
        .all(&h.db)
        .await
        .unwrap();
    assert!(spent.is_empty(), "{spent:?}");
    let outcomes: Vec<String> = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("ingresar"))
        .all(&h.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.outcome)
        .collect();
    assert_eq!(outcomes, ["busy", "busy"]);

    for task in clogged {
        assert_eq!(task.await.unwrap(), Ok(false));
    }
    // The queue drained: the same login is checked (and is wrong) again.
    let (status, _, _) = send(&h.app, wrong_login(false)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_of_logins_is_answered_and_only_the_checked_ones_count() {
    let _turn = POOL.lock().await;
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, &settings()).await;
        let before = scrape(&h).await;
        const FLOOD: u32 = 120;
        let posts: Vec<_> = (0..FLOOD)
            .map(|i| {
                let app = h.app.clone();
                tokio::spawn(async move {
                    let cedula = unregistered(i);
                    let req = post_form(
                        "/api/ingresar",
                        None,
                        &[("cedula", &cedula), ("clave", "una clave equivocada")],
                        false,
                    );
                    let (status, headers, _) = send(&app, req).await;
                    (status, headers.get(header::RETRY_AFTER).cloned())
                })
            })
            .collect();
        // The server keeps answering everything else meanwhile.
        let (status, _, _) = send(&h.app, get("/ingresar")).await;
        assert_eq!(status, StatusCode::OK, "{name}");
        let (mut wrong, mut busy) = (0, 0);
        for post in posts {
            match post.await.unwrap() {
                (StatusCode::UNPROCESSABLE_ENTITY, None) => wrong += 1,
                (StatusCode::SERVICE_UNAVAILABLE, Some(after)) if after == "5" => busy += 1,
                other => panic!("{name}: unexpected answer {other:?}"),
            }
        }
        assert_eq!(wrong + busy, FLOOD, "{name}");
        assert!(busy > 0, "{name}: a queue of {QUEUE} never filled");
        assert!(wrong > 0, "{name}: nothing was checked");
        // Each refusal, and only those, counted for the operators.
        let refused = metric(&scrape(&h).await, HASHES_REFUSED_BUSY, &[])
            - metric(&before, HASHES_REFUSED_BUSY, &[]);
        assert_eq!(refused, f64::from(busy), "{name}");
        // Exactly the checked logins spent a try, per cédula and per client.
        let tries: i32 = login_lock::Entity::find()
            .all(&h.db)
            .await
            .unwrap()
            .iter()
            .map(|l| l.failures)
            .sum();
        assert_eq!(tries, wrong as i32, "{name}");
        let spent = limit_event::Entity::find()
            .filter(limit_event::Column::Key.starts_with("login:ip:"))
            .filter(limit_event::Column::Refunded.eq(0))
            .all(&h.db)
            .await
            .unwrap()
            .len();
        assert_eq!(spent, wrong as usize, "{name}");
        // However many arrived, argon2 ran on one thread per core, no more.
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        assert_eq!(hashing_threads(), threads, "{name}");
        eprintln!("{name}: {FLOOD} logins at once: {wrong} checked, {busy} answered 503");
    }
}
