//! The axum application: Leptos pages and server functions, health checks and
//! the security headers. `app()` is what `main` serves and what tests drive
//! with `oneshot`.

pub mod cleanup;
pub mod mail_worker;
pub mod metrics;

use app::services::{AppState, Mode};
use app::{shell, App};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes, ResponseOptions};
use sea_orm::ConnectionTrait;
use std::collections::HashSet;
use std::sync::{Arc, OnceLock};
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

/// Largest request body accepted (forms here are a few hundred bytes).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// The application's routes, generated once per process. Generating them
/// sets a process-global "suppress resource loads" flag in leptos_server, and
/// a page whose resource is first polled while that flag is up waits for ever
/// (leptos-rs/leptos#4773). A server builds one app before it serves, but the
/// tests build one per test, in parallel: this is the idle hang that made
/// `server/tests/http.rs` stop about one run in six (GET /recuperar/identidad).
fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Builds the whole HTTP application.
pub fn app(state: AppState, leptos_options: LeptosOptions) -> Router {
    app::services::hashing::set_queue_length(state.settings.hash_queue_length);
    let routes = routes();
    let hashed = Arc::new(hashed_assets(&leptos_options));
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            leptos::nonce::provide_nonce();
            if let (Some(nonce), Some(res)) =
                (leptos::nonce::use_nonce(), use_context::<ResponseOptions>())
            {
                if let Ok(v) = HeaderValue::from_str(&content_security_policy(&nonce)) {
                    res.insert_header(header::CONTENT_SECURITY_POLICY, v);
                }
            }
        }
    };
    let ops = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route(app::lang::SWITCH_PATH, post(app::web::switch_language))
        .with_state(state.clone());

    Router::new()
        .leptos_routes_with_context(&leptos_options, routes, context, {
            let leptos_options = leptos_options.clone();
            move || shell(leptos_options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler(shell))
        .with_state(leptos_options)
        .merge(ops)
        .route_layer(middleware::from_fn(metrics::note_route))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            bring_back_typed_values,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            app::web::choose_language,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), check_origin))
        .layer(middleware::from_fn(mark_signed_in_pages))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'; base-uri 'none'"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(middleware::from_fn_with_state(hashed, keep_hashed_assets))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            no_store_unless_asset,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            hsts(&state),
        ))
        .layer(
            CompressionLayer::new()
                .br(true)
                .gzip(true)
                .quality(CompressionLevel::Precise(5))
                .compress_when(DefaultPredicate::new().and(NotSignedIn)),
        )
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<Body>| {
                    let id = req
                        .headers()
                        .get(REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("");
                    // The path only: queries may carry form errors.
                    tracing::info_span!("http", request_id = %id, method = %req.method(), path = %req.uri().path())
                })
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(middleware::from_fn(request_id))
        .layer(middleware::from_fn(metrics::observe))
}

/// The header that names a request in the logs, in both directions.
pub const REQUEST_ID: &str = "x-request-id";

/// Names each request: the id a load balancer in front already gave it, when
/// it looks like one (at most 64 letters, digits, `-`, `_`, `.`), or a new
/// random one; the answer carries it back, and every log line of the request
/// has it (a contact-centre agent can quote it to an operator).
async fn request_id(mut req: Request<Body>, next: Next) -> Response {
    let given = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            (1..=64).contains(&v.len())
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        })
        .map(str::to_owned);
    let id = given.unwrap_or_else(|| hex::encode(rand::random::<[u8; 16]>()));
    let value = HeaderValue::from_str(&id).expect("letters and digits make a header value");
    req.headers_mut().insert(REQUEST_ID, value.clone());
    let mut res = next.run(req).await;
    res.headers_mut().insert(REQUEST_ID, value);
    res
}

/// Pages, server-function answers and redirects may show personal data (the
/// signed-in home, the staff queue, an affiliate's history) and are never
/// stored by a browser or a proxy; only static assets may be cached.
fn no_store_unless_asset(res: &Response) -> Option<HeaderValue> {
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let asset = [
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/wasm",
        "image/",
        "font/",
    ]
    .iter()
    .any(|t| content_type.starts_with(t));
    Some(HeaderValue::from_static(if asset {
        // Not named by its hash (see `keep_hashed_assets`): ask each time.
        "no-cache"
    } else {
        "no-store"
    }))
}

/// The paths of the assets named by their content's hash: what a release
/// build by cargo-leptos with `hash-files` wrote next to the binary.
fn hashed_assets(options: &LeptosOptions) -> HashSet<String> {
    let hashed = app::components::island_scripts::AssetPaths::of(options).hashed;
    if options.hash_files && hashed.is_empty() {
        tracing::warn!("hashed assets expected, but no hash file next to the binary");
    }
    hashed.into_iter().collect()
}

/// An asset whose name changes with its content never changes: kept for a
/// year, not even revalidated.
async fn keep_hashed_assets(
    State(hashed): State<Arc<HashSet<String>>>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let immutable = hashed.contains(req.uri().path());
    let mut res = next.run(req).await;
    if immutable && res.status() == StatusCode::OK {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    }
    res
}

/// Marks an answer of the staff console, the signed-in home or the
/// development mailbox: kept uncompressed.
#[derive(Clone, Copy)]
struct SignedIn;

/// Pages behind a session hold secrets (a staff member's factor secret and
/// recovery codes, an affiliate's data) next to text a link can put there
/// (an error in the query): compressed, their size could leak the secret
/// (BREACH). Every other page and asset is compressed.
async fn mark_signed_in_pages(req: Request<Body>, next: Next) -> Response {
    let path = req.uri().path();
    // A server function's endpoint is named like its page, under /api.
    let page = path.strip_prefix("/api").unwrap_or(path);
    let signed_in = app::domain::steps::PAGES
        .iter()
        .any(|p| p.needs.private() && page.starts_with(p.path));
    let mut res = next.run(req).await;
    if signed_in {
        res.extensions_mut().insert(SignedIn);
    }
    res
}

#[derive(Clone, Copy)]
struct NotSignedIn;

impl Predicate for NotSignedIn {
    fn should_compress<B>(&self, response: &axum::http::Response<B>) -> bool
    where
        B: axum::body::HttpBody,
    {
        response.extensions().get::<SignedIn>().is_none()
    }
}

fn hsts(state: &AppState) -> Option<HeaderValue> {
    state
        .settings
        .secure_cookies()
        .then(|| HeaderValue::from_static("max-age=31536000; includeSubDomains"))
}

/// The page policy: scripts only from this origin or carrying this response's
/// nonce (Leptos's inline hydration scripts); WASM compilation allowed.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// A page opened with the typed-values cookie (the redirect after a form
/// posted without JavaScript failed) gets those values, once: they are
/// deleted as they are read and the cookie is cleared.
async fn bring_back_typed_values(
    State(state): State<AppState>,
    mut req: Request<Body>,
    next: Next,
) -> Response {
    let name = app::web::echo_cookie_name(&state.settings);
    let token = (req.method() == Method::GET)
        .then(|| app::web::cookie_in(req.headers(), name))
        .flatten();
    let Some(token) = token else {
        return next.run(req).await;
    };
    match app::services::echo::take(&state.db, &token, app::services::now_unix()).await {
        Ok(Some(echo)) => {
            req.extensions_mut().insert(echo);
        }
        Ok(None) => {}
        Err(e) => tracing::error!(error = %e, "typed values"),
    }
    let mut res = next.run(req).await;
    if let Ok(clear) = HeaderValue::from_str(&app::web::clear_echo_cookie(&state.settings)) {
        res.headers_mut().append(header::SET_COOKIE, clear);
    }
    res
}

/// Refuses state-changing requests from other sites. The `Origin` header is
/// compared with the public URL; because this site sends
/// `Referrer-Policy: no-referrer`, browsers send `Origin: null` on its own form
/// posts, and then the Fetch Metadata header `Sec-Fetch-Site` decides. A request
/// with neither header does not come from a browser, so it is no CSRF vector.
async fn check_origin(State(state): State<AppState>, req: Request<Body>, next: Next) -> Response {
    if req.method() != Method::GET
        && req.method() != Method::HEAD
        && !same_site(&state, req.headers())
    {
        return (
            StatusCode::FORBIDDEN,
            "Origen no permitido. Origin not allowed.",
        )
            .into_response();
    }
    next.run(req).await
}

fn same_site(state: &AppState, headers: &axum::http::HeaderMap) -> bool {
    let origin = headers
        .get(header::ORIGIN)
        .map(|o| o.to_str().unwrap_or("invalid"));
    match origin {
        Some(o) if o != "null" => origin_allowed(state, o),
        _ => match headers.get("sec-fetch-site") {
            Some(site) => site == "same-origin" || site == "none",
            // A browser without Fetch Metadata: its `Referer`, when it sends
            // one, must be this site; with neither header it is no browser
            // form post (no CSRF vector), and `Origin: null` alone is refused.
            None => match headers
                .get(header::REFERER)
                .map(|r| r.to_str().unwrap_or(""))
            {
                Some(referer) => referer_allowed(state, referer),
                None => origin.is_none(),
            },
        },
    }
}

/// Whether `referer` is a page of this site.
fn referer_allowed(state: &AppState, referer: &str) -> bool {
    let Some((scheme, rest)) = referer.split_once("://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    origin_allowed(state, &format!("{scheme}://{host}"))
}

fn origin_allowed(state: &AppState, origin: &str) -> bool {
    let s = &state.settings;
    if origin == s.public_url {
        return true;
    }
    // In development the same server is also reached as localhost.
    s.mode == Mode::Development
        && (origin == format!("http://localhost:{}", s.site_addr.port())
            || origin == format!("http://127.0.0.1:{}", s.site_addr.port()))
}

async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let backend = state.db.get_database_backend();
    match state
        .db
        .execute_raw(sea_orm::Statement::from_string(backend, "SELECT 1"))
        .await
    {
        Ok(_) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "database not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
