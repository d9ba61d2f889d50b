//! Prometheus metrics for the operators, on a port of their own
//! (`CLAVE_METRICS_ADDR`; unset, none are served): requests by route and
//! status with their latency, the outbox, the hashing queue, limit refusals,
//! captcha verifications and the database pool. The names are in
//! `app::services::telemetry`.
//!
//! Counters and histograms are recorded as requests happen; gauges that live
//! in the database or in the hashing pool are read when Prometheus scrapes.

use app::services::telemetry::*;
use app::services::{db, hashing, mail, now_unix, AppState};
use axum::body::Body;
use axum::extract::{MatchedPath, State};
use axum::http::{header, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;

/// Latency buckets, in seconds: a step that does not hash answers in
/// milliseconds; one that hashes takes tens of them; a queue, more.
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The process's recorder, installed on first use (the `metrics` facade has
/// one per process).
pub fn recorder() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(HTTP_DURATION.to_owned()), BUCKETS)
                .expect("the buckets are not empty")
                .install_recorder()
                .expect("no other metrics recorder is installed")
        })
        .clone()
}

/// The metrics port's application: `GET /metrics` only.
pub fn app(state: AppState, handle: PrometheusHandle) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .with_state((state, handle))
}

async fn scrape(State((state, handle)): State<(AppState, PrometheusHandle)>) -> Response {
    let (queued, running) = hashing::load();
    metrics::gauge!(HASHES_QUEUED).set(queued as f64);
    metrics::gauge!(HASHES_RUNNING).set(running as f64);
    let (open, idle) = db::pool_use(&state.db);
    metrics::gauge!(DB_POOL_CONNECTIONS).set(f64::from(open));
    metrics::gauge!(DB_POOL_IDLE).set(idle as f64);
    match mail::backlog(&state.db).await {
        Ok((depth, oldest)) => {
            metrics::gauge!(OUTBOX_DEPTH).set(depth as f64);
            let age = oldest.map_or(0, |created| (now_unix() - created).max(0));
            metrics::gauge!(OUTBOX_OLDEST_AGE).set(age as f64);
        }
        // The rest is still worth scraping; the outbox gauges keep their
        // last value and the log says why.
        Err(e) => tracing::warn!(error = %e, "metrics: outbox backlog"),
    }
    handle.run_upkeep();
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        handle.render(),
    )
        .into_response()
}

/// The route a request matched, as the router names it (a pattern, never the
/// path a client sent: assets and unknown paths are `other`).
#[derive(Clone)]
struct Route(String);

/// Inside the router: notes the matched route on the answer.
pub async fn note_route(req: Request<Body>, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| Route(p.as_str().to_owned()));
    let mut res = next.run(req).await;
    if let Some(route) = route {
        res.extensions_mut().insert(route);
    }
    res
}

/// Around everything: counts each answer by route, method and status, and
/// times it.
pub async fn observe(req: Request<Body>, next: Next) -> Response {
    let started = Instant::now();
    // A method outside the standard set is any string a client chose: it
    // would make a new series per request.
    let method: &'static str = match req.method().as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        "PATCH" => "PATCH",
        _ => "other",
    };
    let res = next.run(req).await;
    let route = res
        .extensions()
        .get::<Route>()
        .map_or_else(|| "other".to_owned(), |r| r.0.clone());
    let status = res.status().as_u16().to_string();
    metrics::histogram!(HTTP_DURATION, "route" => route.clone())
        .record(started.elapsed().as_secs_f64());
    metrics::counter!(HTTP_REQUESTS, "route" => route, "method" => method, "status" => status)
        .increment(1);
    res
}
