//! The operators' metrics (issue 19, item 3), scraped during a journey on
//! SQLite and on PostgreSQL. A process has one metrics recorder: this binary
//! holds this one test, so every count read here is this journey's alone.
//! The expected counts are the client's own tally of what it was answered.

mod common;

use app::services::telemetry::*;
use app::services::test_support;
use axum::http::{header, StatusCode};
use common::*;
use std::collections::HashMap;

/// Two starts without JavaScript per client address and hour: the third is
/// refused by the per-IP budget.
const SETTINGS: &[(&str, &str)] = &[
    ("CLAVE_NOJS_IP_FLOW_STARTS_PER_HOUR", "2"),
    ("CLAVE_NOJS_CEDULA_FLOW_STARTS_PER_HOUR", "100"),
    ("CLAVE_IP_FLOW_STARTS_PER_HOUR", "100"),
];

/// What the client saw: answers by (route, method, status).
#[derive(Default)]
struct Tally(HashMap<(String, &'static str, u16), f64>);

impl Tally {
    fn saw(&mut self, route: &str, method: &'static str, status: StatusCode) -> StatusCode {
        *self
            .0
            .entry((route.to_owned(), method, status.as_u16()))
            .or_default() += 1.0;
        status
    }
}

#[tokio::test]
async fn a_journey_is_counted_by_route_and_status_with_refusals_captcha_and_outbox() {
    for (name, db) in test_support::each_backend().await {
        let h = harness(db, SETTINGS).await;
        let before = scrape(&h).await;
        let mut tally = Tally::default();

        // The public port serves no metrics: an unknown path, counted as such.
        let (s, _, _) = send(&h.app, get("/metrics")).await;
        assert_eq!(
            tally.saw("other", "GET", s),
            StatusCode::NOT_FOUND,
            "{name}"
        );

        let (s, _, _) = send(&h.app, get("/recuperar/buscar")).await;
        assert_eq!(tally.saw("/recuperar/buscar", "GET", s), StatusCode::OK);

        // To the code step without JavaScript: one code mail waits.
        // Step 1 posted as a page (no proof of work), or by the hydrated
        // page with a proof of work.
        let start = |captcha: Option<&str>| {
            let mut fields = vec![
                ("cedula", REGISTERED),
                ("robot", "si"),
                ("flujo", "recuperar"),
            ];
            fields.extend(captcha.map(|c| ("captcha", c)));
            post_form("/api/recuperar/buscar", None, &fields, captcha.is_none())
        };
        let (s, headers, body) = send(&h.app, start(None)).await;
        assert_eq!(
            tally.saw("/api/recuperar/buscar", "POST", s),
            StatusCode::FOUND,
            "{name}: {body}"
        );
        let cookie = set_cookie(&headers);
        let (s, loc, body) = post(
            &h,
            "/api/recuperar/identidad",
            &cookie,
            &[("day", "14"), ("month", "3")],
        )
        .await;
        assert_eq!(loc, "/recuperar/confirmar", "{name}: {body}");
        tally.saw("/api/recuperar/identidad", "POST", s);
        let (s, loc, body) = post(&h, "/api/recuperar/confirmar", &cookie, &[]).await;
        assert_eq!(loc, "/recuperar/codigo", "{name}: {body}");
        tally.saw("/api/recuperar/confirmar", "POST", s);

        // A second start, then a third the per-IP budget refuses.
        let (s, _, _) = send(&h.app, start(None)).await;
        assert_eq!(
            tally.saw("/api/recuperar/buscar", "POST", s),
            StatusCode::FOUND
        );
        let (s, headers, _) = send(&h.app, start(None)).await;
        assert_eq!(
            tally.saw("/api/recuperar/buscar", "POST", s),
            StatusCode::SEE_OTHER,
            "{name}: refused, back to the form"
        );
        assert!(headers.contains_key(header::LOCATION));

        // A proof of work that is none.
        let (s, _, body) = send(&h.app, start(Some("bm90IGEgcHJvb2Y="))).await;
        assert_eq!(
            tally.saw("/api/recuperar/buscar", "POST", s),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: {body}"
        );

        let after = scrape(&h).await;
        let delta = |metric_name: &str, labels: &[(&str, &str)]| {
            metric(&after, metric_name, labels) - metric(&before, metric_name, labels)
        };
        for ((route, method, status), n) in &tally.0 {
            let status = status.to_string();
            let labels = [
                ("route", route.as_str()),
                ("method", method),
                ("status", &status),
            ];
            assert_eq!(delta(HTTP_REQUESTS, &labels), *n, "{name}: {labels:?}");
        }
        // And nothing else was counted (no answer twice, none missed).
        let all_requests = |text: &str| -> f64 {
            text.lines()
                .filter(|l| l.starts_with(&format!("{HTTP_REQUESTS}{{")))
                .map(|l| l.rsplit_once(' ').unwrap().1.parse::<f64>().unwrap())
                .sum()
        };
        let answered: f64 = tally.0.values().sum();
        assert_eq!(
            all_requests(&after) - all_requests(&before),
            answered,
            "{name}"
        );
        assert_eq!(
            delta(
                &format!("{HTTP_DURATION}_count"),
                &[("route", "/api/recuperar/buscar")]
            ),
            4.0,
            "{name}: each start timed"
        );
        assert_eq!(
            delta(LIMIT_REFUSALS, &[("kind", "nojs-start:ip")]),
            1.0,
            "{name}"
        );
        assert_eq!(
            delta(CAPTCHA_VERIFICATIONS, &[("outcome", "invalid")]),
            1.0,
            "{name}"
        );
        assert_eq!(
            metric(&after, OUTBOX_DEPTH, &[]),
            1.0,
            "{name}: one code mail"
        );
        assert!(metric(&after, OUTBOX_OLDEST_AGE, &[]) < 60.0, "{name}");
        assert_eq!(metric(&after, HASHES_QUEUED, &[]), 0.0, "{name}");
        assert_eq!(metric(&after, HASHES_RUNNING, &[]), 0.0, "{name}");
        let open = metric(&after, DB_POOL_CONNECTIONS, &[]);
        let idle = metric(&after, DB_POOL_IDLE, &[]);
        assert!(
            open >= 1.0 && idle <= open,
            "{name}: {open} open, {idle} idle"
        );
    }
}
