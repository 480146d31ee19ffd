//! The Debrief server: the JSON API under `/api/v1`, `/healthz`, `/metrics` and
//! `/api/openapi.json`, on any [`Store`].
//!
//! Only this crate knows HTTP. Every route is in [`routes::ROUTES`]; [`app`] builds the router
//! from it behind the tower layers of `pipeline` (panics caught, security headers, logs and
//! metrics, a deadline, a body limit, authentication, then per route authorisation and write
//! limits), and [`serve`] runs it on hyper with a header read timeout and a connection cap.

#![forbid(unsafe_code)]

pub mod api;
pub mod auth;
pub mod diff;
pub mod error;
mod extract;
mod handlers;
mod hooks;
pub mod limits;
pub mod openapi;
mod pipeline;
pub mod routes;
pub mod ui;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use debrief_store::Store;

pub use auth::{Role, SESSION_LABELS, hash_password, new_token};
pub use limits::Limits;
use limits::{CpuPool, RateLimiter};

/// What every request shares, behind one reference count: a request's layers and handler each
/// take their own handle, so cloning one must not touch every shared part.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The parts of [`AppState`].
pub struct Shared {
    pub store: Arc<dyn Store>,
    pub metrics: Arc<Metrics>,
    pub limits: Arc<Limits>,
    pub(crate) cpu: CpuPool,
    pub(crate) login_by_address: Arc<RateLimiter>,
    pub(crate) login_by_user: Arc<RateLimiter>,
    pub(crate) writes_by_user: Arc<RateLimiter>,
    /// Audit rows for refused anonymous requests, per address: a flood is logged, not stored.
    pub(crate) denials_by_address: Arc<RateLimiter>,
    pub(crate) write_probe: Arc<WriteProbe>,
    /// Insights per viewer: the figures and when they were computed.
    pub(crate) insights: Arc<handlers::Fresh<String, ui::Insights>>,
    /// `GET /api/v1/stats` answers per viewer and grouping.
    pub(crate) stats: Arc<handlers::Fresh<(String, String), axum::body::Bytes>>,
    pub(crate) shown: Arc<ui::ShownCache>,
    pub(crate) bodies: Arc<BodyCache>,
    /// The list page's rows per library generation, viewer and query (see
    /// `debrief_store::Store::generation`); the least used forgotten past 512.
    pub(crate) lists: Arc<ui::ListCache>,
    /// What `Store::head` answered per library generation, postmortem and viewer: a request
    /// whose token came with the current generation needs no look-up of its postmortem.
    pub(crate) heads: Arc<HeadCache>,
}

/// See [`AppState::heads`]; the least used forgotten past 16,384.
pub(crate) type HeadCache =
    quick_cache::sync::Cache<(i64, String, String), Option<debrief_store::Head>>;

/// `GET /api/v1/postmortems/{id}` as sent: rendered once per revision and access setting
/// (a revision never changes), the least used forgotten past 32 MB.
pub(crate) type BodyCache =
    quick_cache::sync::Cache<(String, i64, bool), axum::body::Bytes, BodyWeight>;

/// Weighs a cached body by its bytes.
#[derive(Clone)]
pub(crate) struct BodyWeight;

impl quick_cache::Weighter<(String, i64, bool), axum::body::Bytes> for BodyWeight {
    fn weight(&self, key: &(String, i64, bool), body: &axum::body::Bytes) -> u64 {
        (key.0.len() + body.len()) as u64
    }
}

/// The bytes the rendered bodies may hold.
const BODY_CACHE_BYTES: u64 = 32 << 20;

/// `/healthz` proves the write path with a small committed write, at most once a second
/// however often it is asked (it is public, so its cost must not follow the callers).
#[derive(Default)]
pub(crate) struct WriteProbe {
    last: tokio::sync::Mutex<Option<(std::time::Instant, Result<(), String>)>>,
}

impl WriteProbe {
    const EVERY: Duration = Duration::from_secs(1);

    pub(crate) async fn check(&self, store: &dyn Store) -> Result<(), String> {
        let mut last = self.last.lock().await;
        if let Some((at, result)) = last.as_ref()
            && at.elapsed() < Self::EVERY
        {
            return result.clone();
        }
        let result = store.check_write().await.map_err(|e| e.to_string());
        *last = Some((std::time::Instant::now(), result.clone()));
        result
    }
}

impl AppState {
    /// A server with the default [`Limits`].
    pub fn new(store: Arc<dyn Store>) -> AppState {
        AppState::with_limits(store, Limits::default())
    }

    pub fn with_limits(store: Arc<dyn Store>, limits: Limits) -> AppState {
        AppState(Arc::new(Shared {
            store,
            metrics: Arc::new(Metrics::default()),
            cpu: CpuPool::new(limits.cpu_workers, limits.cpu_wait),
            login_by_address: Arc::new(RateLimiter::new(
                limits.login_per_address,
                limits.login_refill,
            )),
            login_by_user: Arc::new(RateLimiter::new(limits.login_per_user, limits.login_refill)),
            writes_by_user: Arc::new(RateLimiter::new(
                limits.writes_per_user,
                limits.write_refill,
            )),
            denials_by_address: Arc::new(RateLimiter::new(60, Duration::from_secs(1))),
            write_probe: Arc::new(WriteProbe::default()),
            insights: Default::default(),
            stats: Default::default(),
            shown: Arc::new(ui::ShownCache::default()),
            bodies: Arc::new(BodyCache::with_weighter(8192, BODY_CACHE_BYTES, BodyWeight)),
            lists: Arc::new(ui::ListCache::new(512)),
            heads: Arc::new(HeadCache::new(16_384)),
            limits: Arc::new(limits),
        }))
    }
}

/// The router: every route of the route table behind the layers of `pipeline.rs`.
pub fn app(state: AppState) -> Router {
    pipeline::router(state)
}

/// Serves until `shutdown` completes, then finishes the requests in flight.
///
/// Connections are served by hyper with a header read timeout (a client that trickles its
/// headers is cut off) and at most [`Limits::max_connections`] at once; the request timeout
/// and everything else are layers of [`app`].
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = Arc::clone(&state.limits);
    serve_router(listener, app(state), &limits, shutdown).await
}

/// Serves `router` (the [`app`], possibly with routes of a benchmark's own) as [`serve`] does.
pub async fn serve_router(
    listener: tokio::net::TcpListener,
    router: Router,
    limits: &Limits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::server::graceful::GracefulShutdown;
    use tower::ServiceExt as _;

    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = Arc::clone(&slots).acquire_owned() => match p { Ok(p) => p, Err(_) => break },
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = router.clone().map_request(
            move |mut req: axum::extract::Request<hyper::body::Incoming>| {
                req.extensions_mut()
                    .insert(axum::extract::ConnectInfo(remote));
                req.map(axum::body::Body::new)
            },
        );
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(limits.header_read_timeout)
            .keep_alive(true);
        let conn = http.serve_connection(
            TokioIo::new(stream),
            hyper_util::service::TowerToHyperService::new(service),
        );
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _permit = permit;
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, %remote, "connection ended");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// Request counters and latency histograms for `/metrics`.
#[derive(Default)]
pub struct Metrics {
    inner: Mutex<MetricsInner>,
}

#[derive(Default)]
struct MetricsInner {
    /// (method, route, status) -> count
    requests: BTreeMap<(String, String, u16), u64>,
    /// (method, route) -> (bucket counts, sum of seconds, count)
    latency: BTreeMap<(String, String), ([u64; BUCKETS.len()], f64, u64)>,
}

const BUCKETS: [f64; 9] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0];

impl Metrics {
    /// Counts one request; `route` is the route table's path (or `unmatched`).
    fn record(&self, method: &str, route: &str, status: u16, took: Duration) {
        let Ok(mut m) = self.inner.lock() else { return };
        *m.requests
            .entry((method.to_string(), route.to_string(), status))
            .or_insert(0) += 1;
        let slot = m
            .latency
            .entry((method.to_string(), route.to_string()))
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
