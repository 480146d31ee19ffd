//! The request pipeline: the router built from the route table, and the tower layers every
//! request passes through. Each concern is one layer, in this order from the outside in:
//!
//! 1. **catch panic**: a panicking handler answers a 500 problem document, the server goes on;
//! 2. **security headers**: `nosniff`, a Content-Security-Policy, `Referrer-Policy` and frame
//!    protection on every response, errors and unknown routes included;
//! 3. **observe**: one log line and the Prometheus counters per request, by route;
//! 4. **deadline**: the whole request, body included, within [`Limits::request_timeout`], or a
//!    503 problem document (a slow body cannot hold a worker);
//! 5. **body limit**: at most [`MAX_BODY`] bytes are read;
//! 6. **cross-site refusal**: a state-changing request another site's page made (by
//!    `Sec-Fetch-Site` and `Origin`, tower-http's CSRF layer) is refused;
//! 7. **authenticate**: the bearer token, or the browser's session cookie, becomes a [`Caller`]
//!    in the request's extensions;
//! 8. **CSRF token**: a state-changing request signed in by the cookie must carry its session's
//!    CSRF token (a form field or the `X-CSRF-Token` header), see [`ui::session`];
//! 9. per route, **authorise**: the route's access level, then the per-user write limit.
//!
//! The web pages of [`crate::ui`] are routes of the same router, behind the same layers.
//!
//! Handlers ([`crate::handlers`], one per operation) then see typed extractors only
//! ([`crate::extract`]). CPU-heavy work inside them
//! (lint, parse, passwords) runs on the bounded [`crate::limits::CpuPool`].
//!
//! [`Limits::request_timeout`]: crate::Limits::request_timeout

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use tower::ServiceBuilder;
use tower_http::CompressionLevel;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::csrf::{CsrfLayer, ProtectionError};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::AppState;
use crate::auth::{self, Role, Subject};
use crate::error::{ApiError, ApiResult, Kind};
use crate::handlers;
use crate::limits::too_many;
use crate::routes::{Access, ROUTES, Route};
use crate::ui::{self, session};

/// Largest request body accepted: the largest document a store takes.
pub const MAX_BODY: usize = debrief_store::MAX_DOCUMENT_BYTES;

/// The API serves JSON only: nothing may run, load or frame it. Pages set their own policy
/// ([`ui::PAGE_CSP`]), which this layer leaves alone.
const CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// Who is asking, as the authenticate layer found it.
#[derive(Debug, Clone)]
pub struct Caller {
    pub subject: Subject,
    pub remote: String,
    /// Set when the caller was signed in by the browser's session cookie (not a bearer token).
    pub session: Option<Session>,
    /// The library's generation, read with the caller's token ([`debrief_store::SignedIn`]):
    /// what this request keeps or finds kept is keyed on it. `None` for no one, and where the
    /// backend keeps no generation.
    pub generation: Option<i64>,
}

/// A browser session: the token behind the cookie, and the CSRF token its forms must carry.
#[derive(Debug, Clone)]
pub struct Session {
    pub token_hash: String,
    pub csrf: String,
}

/// The router with every layer: built from [`ROUTES`], so the router, the OpenAPI document and
/// the authorisation matrix cannot disagree.
pub fn router(state: AppState) -> Router {
    let api = by_path(ROUTES.iter().map(|route| {
        let m = handlers::method_router(route)
            .route_layer(from_fn_with_state((state.clone(), route), authorise));
        (route.path, m)
    }));
    let router = api.merge(ui::router(&state));
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    router
        .fallback(not_found)
        .layer(
            ServiceBuilder::new()
                .layer(CatchPanicLayer::custom(panicked))
                .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                .layer(header(header::CONTENT_SECURITY_POLICY, CSP))
                .layer(header(header::REFERRER_POLICY, "no-referrer"))
                .layer(header(header::X_FRAME_OPTIONS, "DENY"))
                .layer(header(
                    HeaderName::from_static("cross-origin-resource-policy"),
                    "same-origin",
                ))
                .layer(compression())
                .layer(from_fn_with_state(state.clone(), observe))
                .layer(from_fn_with_state(state.clone(), deadline))
                .layer(DefaultBodyLimit::max(MAX_BODY))
                .layer(CsrfLayer::new().with_rejection_response(cross_site))
                .layer(from_fn_with_state(state.clone(), authenticate))
                .layer(from_fn(session::require_csrf_token)),
        )
        .with_state(state)
}

/// gzip for clients that ask for it (`Accept-Encoding`), at the fastest level: JSON, exports,
/// stylesheets and scripts. HTML pages are sent as they are: they carry the session's CSRF token
/// beside text from the request, which compression would let an eavesdropper guess (BREACH).
fn compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        .quality(CompressionLevel::Fastest)
        .compress_when(DefaultPredicate::new().and(NotForContentType::const_new("text/html")))
}

/// A state-changing request from another site (by `Sec-Fetch-Site` or `Origin`).
fn cross_site(e: ProtectionError) -> Response {
    tracing::warn!(error = %e, "cross-site request refused");
    ApiError::new(
        Kind::Forbidden,
        "a request from another site cannot change anything here; use Debrief's own pages, or an API client with a bearer token",
    )
    .into_response()
}

/// A router from (path, method router) pairs: the methods of one path merged, any other
/// method answered with a 405 problem document.
pub(crate) fn by_path(
    routes: impl IntoIterator<Item = (&'static str, MethodRouter<AppState>)>,
) -> Router<AppState> {
    let mut paths: BTreeMap<&str, MethodRouter<AppState>> = BTreeMap::new();
    for (path, m) in routes {
        let merged = match paths.remove(path) {
            Some(existing) => existing.merge(m),
            None => m,
        };
        paths.insert(path, merged);
    }
    paths.into_iter().fold(Router::new(), |router, (path, m)| {
        router.route(path, m.fallback(method_not_allowed))
    })
}

fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a handler panicked");
    ApiError::new(
        Kind::Internal,
        "the server failed on this request; it was logged",
    )
    .into_response()
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
    let e = ApiError::new(
        Kind::NotFound,
        format!("no route {}; see /api/openapi.json", req.uri().path()),
    );
    // A person following a link gets a page; programs get the problem document.
    let wants_page = !req.uri().path().starts_with("/api/")
        && req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
    if wants_page {
        let mut r = ui::PageError(ApiError::new(
            Kind::NotFound,
            "there is no page at this address; start from the list of postmortems",
        ))
        .into_response();
        r.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(ui::PAGE_CSP),
        );
        return r;
    }
    e.into_response()
}

/// One log line and the Prometheus counters per request, labelled by the route table's path.
async fn observe(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let method = req.method().as_str().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let response = next.run(req).await;
    let status = response.status().as_u16();
    st.metrics
        .record(&method, &route, status, started.elapsed());
    tracing::info!(
        method,
        route,
        status,
        millis = started.elapsed().as_millis() as u64,
        "request"
    );
    response
}

/// The whole request within the configured time; the handler is dropped (and with it any
/// database query it was waiting on) when the time is up.
async fn deadline(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let limit = st.limits.request_timeout;
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(r) => r,
        Err(_) => {
            let mut e = ApiError::new(
                Kind::Timeout,
                format!(
                    "the request took longer than {} s and was stopped; narrow it (fewer words, a smaller document) and try again",
                    limit.as_secs()
                ),
            );
            e.retry_after = Some(1);
            e.into_response()
        }
    }
}

/// The client's address: the connection's peer, or behind a proxy the address the proxy
/// appended to `X-Forwarded-For` (the last entry; earlier ones are the client's own claims).
fn remote_of(req: &Request, behind_proxy: bool) -> String {
    if behind_proxy
        && let Some(last) = req
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|a| !a.is_empty())
        && let Ok(ip) = last.parse::<std::net::IpAddr>()
    {
        return ip.to_string();
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or("unknown".to_string(), |c| c.0.ip().to_string())
}

/// The bearer token, looked up in the store on every request (so a revoked token stops at
/// once on every instance), becomes the request's [`Caller`].
async fn authenticate(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    let remote = remote_of(&req, st.limits.behind_proxy);
    let subject = match subject_of(&st, req.headers()).await {
        Ok(s) => s,
        Err(e) => {
            let path = req
                .extensions()
                .get::<MatchedPath>()
                .map_or(req.uri().path(), MatchedPath::as_str)
                .to_string();
            let anonymous = Caller {
                subject: Subject::Anonymous,
                remote,
                session: None,
                generation: None,
            };
            audit_denied(
                &st,
                &anonymous,
                req.method().as_str(),
                &path,
                "invalid token",
            )
            .await;
            return e.into_response();
        }
    };
    let (subject, session, generation) = subject;
    req.extensions_mut().insert(Caller {
        subject,
        remote,
        session,
        generation,
    });
    next.run(req).await
}

/// The bearer token, or else the session cookie. An invalid bearer token is an error; an
/// invalid or expired cookie is simply no one (the sign-in page follows).
async fn subject_of(
    st: &AppState,
    headers: &HeaderMap,
) -> ApiResult<(Subject, Option<Session>, Option<i64>)> {
    let Some(v) = headers.get(header::AUTHORIZATION) else {
        let Some(secret) = session::cookie_secret(headers) else {
            return Ok((Subject::Anonymous, None, None));
        };
        let hash = auth::token_hash(&secret);
        return Ok(match st.store.token_user(&hash).await? {
            Some(s) => (
                Subject::of(&s.user),
                Some(Session {
                    token_hash: hash,
                    csrf: session::csrf_token(&secret),
                }),
                s.generation,
            ),
            None => (Subject::Anonymous, None, None),
        });
    };
    let v = v.to_str().unwrap_or("");
    let Some(token) = v.strip_prefix("Bearer ").map(str::trim) else {
        return Err(ApiError::new(
            Kind::Unauthenticated,
            "use Authorization: Bearer <token>",
        ));
    };
    // A hook's secret is no user's: the hook's route checks it (crate::hooks).
    if token.starts_with(crate::auth::HOOK_SECRET_PREFIX) {
        return Ok((Subject::Anonymous, None, None));
    }
    match st.store.token_user(&auth::token_hash(token)).await? {
        Some(s) => Ok((Subject::of(&s.user), None, s.generation)),
        None => Err(ApiError::new(
            Kind::Unauthenticated,
            "the token is unknown, expired or revoked",
        )),
    }
}

fn allowed(access: Access, subject: &Subject) -> Result<(), Kind> {
    let need = match access {
        Access::Public => return Ok(()),
        Access::Viewer => Role::Viewer,
        Access::Editor => Role::Editor,
        Access::Admin => Role::Admin,
    };
    match subject.role() {
        None => Err(Kind::Unauthenticated),
        Some(r) if r >= need => Ok(()),
        Some(_) => Err(Kind::Forbidden),
    }
}

/// The route's access level, then the per-user write limit; both before the body is read.
async fn authorise(
    State((st, route)): State<(AppState, &'static Route)>,
    req: Request,
    next: Next,
) -> Response {
    let Some(caller) = req.extensions().get::<Caller>().cloned() else {
        return ApiError::new(Kind::Internal, "the request was not authenticated").into_response();
    };
    if let Err(kind) = allowed(route.access, &caller.subject) {
        let why = if kind == Kind::Unauthenticated {
            "no token"
        } else {
            "role"
        };
        audit_denied(&st, &caller, route.method, route.path, why).await;
        let detail = if kind == Kind::Unauthenticated {
            "this needs a bearer token: Authorization: Bearer <token> (create one with `debrief token create`)".to_string()
        } else {
            format!("this needs the {:?} role or higher", route.access).to_lowercase()
        };
        return ApiError::new(kind, detail).into_response();
    }
    if route.method != "GET"
        && route.access >= Access::Editor
        && let Err(wait) = st.writes_by_user.take(caller.subject.name())
    {
        return too_many("changes in a short time", wait).into_response();
    }
    next.run(req).await
}

/// Refused requests are audited; anonymous floods from one address are counted in the log
/// instead, so they cannot fill the disk.
pub(crate) async fn audit_denied(
    st: &AppState,
    caller: &Caller,
    method: &str,
    path: &str,
    why: &str,
) {
    if caller.subject == Subject::Anonymous && st.denials_by_address.take(&caller.remote).is_err() {
        tracing::warn!(
            remote = caller.remote,
            method,
            path,
            "refused request not audited: too many from this address"
        );
        return;
    }
    let action = format!("denied {method} {path}");
    handlers::audit(st, caller, &action, path, "denied", why.to_string()).await;
}

/// Adds `Retry-After` to a response when the error says when to come back.
pub(crate) fn retry_after(r: &mut Response, secs: Option<u64>) {
    if let Some(s) = secs
        && let Ok(v) = HeaderValue::from_str(&s.to_string())
    {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
}
