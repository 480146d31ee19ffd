//! Browser sessions and CSRF tokens.
//!
//! Signing in makes an ordinary token (the kind `debrief token create` makes, labelled
//! `browser session`, 12 hours) and hands its secret to the browser as an `HttpOnly`,
//! `SameSite=Lax` cookie: `__Host-debrief` with `Secure` when the page was served over HTTPS (a
//! proxy saying `X-Forwarded-Proto: https` under `serve --behind-proxy`), `debrief` otherwise.
//! A session is therefore revoked, listed and expired like any token, on every instance at once.
//!
//! Every state-changing request signed in by the cookie must also carry the session's CSRF
//! token, derived from the secret (so a page of another site, which cannot read the cookie,
//! cannot know it): the `_csrf` field of a form, or the `X-CSRF-Token` header (htmx sends it
//! from the `hx-headers` of the page). Requests with a bearer token carry no ambient
//! credential and need none.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, Kind};
use crate::pipeline::{Caller, MAX_BODY};

/// The cookie over HTTPS: the `__Host-` prefix makes the browser refuse it unless it is
/// `Secure`, has `Path=/` and no `Domain`.
pub const SECURE_COOKIE: &str = "__Host-debrief";
/// The cookie over plain HTTP (a laptop, a trusted network).
pub const PLAIN_COOKIE: &str = "debrief";
/// The form field that carries the CSRF token.
pub const CSRF_FIELD: &str = "_csrf";
/// The header that carries the CSRF token (for scripts: htmx, the editor's draft saver).
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a browser session lasts.
pub const SESSION_HOURS: u64 = 12;

/// The session secret from the request's cookies, if any.
pub fn cookie_secret(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SECURE_COOKIE || *name == PLAIN_COOKIE)
        .map(|(_, value)| value.trim().to_string())
        .filter(|v| !v.is_empty() && v.len() <= 128)
}

/// The CSRF token of a session: a hash of its secret under a fixed label.
pub fn csrf_token(secret: &str) -> String {
    debrief_store::sha256_hex(format!("debrief csrf\0{secret}").as_bytes())[..32].to_string()
}

/// Whether this request reached us over HTTPS (only a proxy we were told to trust can say so).
pub fn over_https(headers: &HeaderMap, behind_proxy: bool) -> bool {
    behind_proxy
        && headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

/// `Set-Cookie` for a new session.
pub fn set_cookie(secret: &str, secure: bool) -> HeaderValue {
    let max_age = SESSION_HOURS * 3600;
    let v = if secure {
        format!(
            "{SECURE_COOKIE}={secret}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax; Secure"
        )
    } else {
        format!("{PLAIN_COOKIE}={secret}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax")
    };
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// `Set-Cookie` headers that remove both forms of the cookie.
pub fn clear_cookies() -> [HeaderValue; 2] {
    [
        HeaderValue::from_static(
            "__Host-debrief=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure",
        ),
        HeaderValue::from_static("debrief=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"),
    ]
}

fn is_safe(m: &Method) -> bool {
    matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn refused() -> Response {
    ApiError::new(
        Kind::Forbidden,
        "this form has expired or did not come from Debrief's own page (its CSRF token is missing or wrong); reload the page and try again",
    )
    .into_response()
}

/// The layer: a state-changing request signed in by the session cookie carries the session's
/// CSRF token in the `X-CSRF-Token` header or in the `_csrf` field of its form.
pub async fn require_csrf_token(req: Request, next: Next) -> Response {
    let Some(expected) = req
        .extensions()
        .get::<Caller>()
        .and_then(|c| c.session.as_ref())
        .map(|s| s.csrf.clone())
    else {
        return next.run(req).await;
    };
    if is_safe(req.method()) {
        return next.run(req).await;
    }
    if let Some(given) = req.headers().get(CSRF_HEADER) {
        return if given.as_bytes() == expected.as_bytes() {
            next.run(req).await
        } else {
            refused()
        };
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return refused();
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return ApiError::new(
            Kind::PayloadTooLarge,
            format!("the form is larger than {} MB", MAX_BODY / (1024 * 1024)),
        )
        .into_response();
    };
    let ok = form_urlencoded::parse(&bytes)
        .any(|(k, v)| k == CSRF_FIELD && v.as_bytes() == expected.as_bytes());
    if !ok {
        return refused();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_found_among_others_and_bounded() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("theme=dark; debrief=dbr_abc ; x=1"),
        );
        assert_eq!(cookie_secret(&h).as_deref(), Some("dbr_abc"));
        h.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("debrief={}", "a".repeat(200))).unwrap(),
        );
        assert_eq!(cookie_secret(&h), None);
    }

    #[test]
    fn csrf_tokens_differ_per_session() {
        assert_ne!(csrf_token("dbr_1"), csrf_token("dbr_2"));
        assert_eq!(csrf_token("dbr_1"), csrf_token("dbr_1"));
    }

    #[test]
    fn https_is_believed_only_behind_a_proxy() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert!(over_https(&h, true));
        assert!(!over_https(&h, false));
    }
}
