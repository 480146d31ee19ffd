//! The Debrief server: the JSON API under `/api/v1`, `/healthz`, `/metrics` and
//! `/api/openapi.json`, on any [`Store`].
//!
//! Only this crate knows HTTP. Every route is in [`routes::ROUTES`]; [`app`] builds the router
//! from it, each route going through [`handlers::run`] (authentication, the route's access level,
//! the handler, the audit trail, metrics, a problem+json body for every error).

#![forbid(unsafe_code)]

pub mod api;
pub mod auth;
mod diff;
pub mod error;
mod handlers;
pub mod openapi;
pub mod routes;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use debrief_store::Store;

pub use auth::{Role, hash_password, new_token};
use error::{ApiError, Kind};
use routes::{ROUTES, Route};

/// What every request shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub metrics: Arc<Metrics>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>) -> AppState {
        AppState {
            store,
            metrics: Arc::new(Metrics::default()),
        }
    }
}

fn filter(method: &str) -> MethodFilter {
    match method {
        "POST" => MethodFilter::POST,
        "PUT" => MethodFilter::PUT,
        "PATCH" => MethodFilter::PATCH,
        "DELETE" => MethodFilter::DELETE,
        _ => MethodFilter::GET,
    }
}

/// The router, built from the route table.
pub fn app(state: AppState) -> Router {
    let mut by_path: BTreeMap<&str, MethodRouter<AppState>> = BTreeMap::new();
    for route in ROUTES {
        let route: &'static Route = route;
        let m = on(
            filter(route.method),
            move |State(st): State<AppState>,
                  params: axum::extract::RawPathParams,
                  req: Request| async move {
                let params = params
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect();
                handlers::run(st, route, params, req).await
            },
        );
        let merged = match by_path.remove(route.path) {
            Some(existing) => existing.merge(m),
            None => m,
        };
        by_path.insert(route.path, merged);
    }
    let mut router = Router::new();
    for (path, m) in by_path {
        router = router.route(path, m.fallback(method_not_allowed));
    }
    router.fallback(not_found).with_state(state)
}

async fn method_not_allowed(req: Request) -> Response {
    ApiError::new(
        Kind::MethodNotAllowed,
        format!(
            "{} is not allowed on {}; see /api/openapi.json",
            req.method(),
            req.uri().path()
        ),
    )
    .into_response()
}

async fn not_found(req: Request) -> Response {
    ApiError::new(
        Kind::NotFound,
        format!("no route {}; see /api/openapi.json", req.uri().path()),
    )
    .into_response()
}

/// Serves until `shutdown` completes, then finishes the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Request counters and latency histograms for `/metrics`.
#[derive(Default)]
pub struct Metrics {
    inner: Mutex<MetricsInner>,
}

#[derive(Default)]
struct MetricsInner {
    /// (method, route, status) -> count
    requests: BTreeMap<(&'static str, &'static str, u16), u64>,
    /// (method, route) -> (bucket counts, sum of seconds, count)
    latency: BTreeMap<(&'static str, &'static str), ([u64; BUCKETS.len()], f64, u64)>,
}

const BUCKETS: [f64; 9] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0];

impl Metrics {
    fn record(&self, route: &'static Route, status: u16, took: Duration) {
        let Ok(mut m) = self.inner.lock() else { return };
        *m.requests
            .entry((route.method, route.path, status))
            .or_insert(0) += 1;
        let slot =
            m.latency
                .entry((route.method, route.path))
                .or_insert(([0; BUCKETS.len()], 0.0, 0));
        let secs = took.as_secs_f64();
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                slot.0[i] += 1;
            }
        }
        slot.1 += secs;
        slot.2 += 1;
    }

    async fn render(&self, store: &dyn Store) -> Response {
        use std::fmt::Write as _;
        // One count query and the due dates of open items: cheap at every scrape.
        let counts = store
            .counts(&debrief_store::today())
            .await
            .unwrap_or_default();
        let (postmortems, open, overdue) = (
            counts.postmortems,
            counts.open_actions,
            counts.overdue_actions,
        );
        let mut s = String::new();
        let _ = writeln!(
            s,
            "# HELP debrief_http_requests_total HTTP requests by route and status.\n# TYPE debrief_http_requests_total counter"
        );
        let (requests, latency) = match self.inner.lock() {
            Ok(m) => (m.requests.clone(), m.latency.clone()),
            Err(_) => Default::default(),
        };
        for ((method, path, status), n) in &requests {
            let _ = writeln!(
                s,
                "debrief_http_requests_total{{method=\"{method}\",route=\"{path}\",status=\"{status}\"}} {n}"
            );
        }
        let _ = writeln!(
            s,
            "# HELP debrief_http_errors_total HTTP responses with a 4xx or 5xx status.\n# TYPE debrief_http_errors_total counter"
        );
        for ((method, path, status), n) in requests.iter().filter(|(k, _)| k.2 >= 400) {
            let _ = writeln!(
                s,
                "debrief_http_errors_total{{method=\"{method}\",route=\"{path}\",status=\"{status}\"}} {n}"
            );
        }
        let _ = writeln!(
            s,
            "# HELP debrief_http_request_duration_seconds Request latency.\n# TYPE debrief_http_request_duration_seconds histogram"
        );
        for ((method, path), (buckets, sum, count)) in &latency {
            for (b, n) in BUCKETS.iter().zip(buckets) {
                let _ = writeln!(
                    s,
                    "debrief_http_request_duration_seconds_bucket{{method=\"{method}\",route=\"{path}\",le=\"{b}\"}} {n}"
                );
            }
            let _ = writeln!(
                s,
                "debrief_http_request_duration_seconds_bucket{{method=\"{method}\",route=\"{path}\",le=\"+Inf\"}} {count}"
            );
            let _ = writeln!(
                s,
                "debrief_http_request_duration_seconds_sum{{method=\"{method}\",route=\"{path}\"}} {sum}"
            );
            let _ = writeln!(
                s,
                "debrief_http_request_duration_seconds_count{{method=\"{method}\",route=\"{path}\"}} {count}"
            );
        }
        let _ = writeln!(
            s,
            "# HELP debrief_postmortems Stored postmortems (not deleted).\n# TYPE debrief_postmortems gauge\ndebrief_postmortems {postmortems}"
        );
        let _ = writeln!(
            s,
            "# HELP debrief_action_items_open Open action items.\n# TYPE debrief_action_items_open gauge\ndebrief_action_items_open {open}"
        );
        let _ = writeln!(
            s,
            "# HELP debrief_action_items_overdue Open action items past their due date.\n# TYPE debrief_action_items_overdue gauge\ndebrief_action_items_overdue {overdue}"
        );
        let mut r = (StatusCode::OK, s).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        );
        r
    }
}
