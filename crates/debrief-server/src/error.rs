//! One table from error kind to HTTP status and a stable problem type, and the
//! `application/problem+json` body (RFC 9457) every error response uses.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use debrief_store::StoreError;
use schemars::JsonSchema;
use serde::Serialize;

/// Every kind of error the API returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    BadRequest,
    Unauthenticated,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    Conflict,
    PreconditionFailed,
    PayloadTooLarge,
    UnsupportedMediaType,
    Unprocessable,
    InvalidQuery,
    PreconditionRequired,
    TooManyRequests,
    Unavailable,
    Timeout,
    Internal,
}

/// The table: kind, status, stable type, title.
pub const KINDS: &[(Kind, u16, &str, &str)] = &[
    (
        Kind::BadRequest,
        400,
        "bad-request",
        "The request is malformed",
    ),
    (
        Kind::Unauthenticated,
        401,
        "unauthenticated",
        "A valid bearer token is required",
    ),
    (
        Kind::Forbidden,
        403,
        "forbidden",
        "Your role does not allow this",
    ),
    (Kind::NotFound, 404, "not-found", "No such resource"),
    (
        Kind::MethodNotAllowed,
        405,
        "method-not-allowed",
        "This method is not allowed here",
    ),
    (
        Kind::Conflict,
        409,
        "conflict",
        "The request conflicts with the current state",
    ),
    (
        Kind::PreconditionFailed,
        412,
        "stale-revision",
        "The postmortem changed since you read it",
    ),
    (
        Kind::PayloadTooLarge,
        413,
        "payload-too-large",
        "The request body is too large",
    ),
    (
        Kind::UnsupportedMediaType,
        415,
        "unsupported-media-type",
        "This content type is not accepted here",
    ),
    (
        Kind::Unprocessable,
        422,
        "invalid-document",
        "The document is not a valid postmortem",
    ),
    (
        Kind::InvalidQuery,
        422,
        "invalid-query",
        "The search cannot be run as written",
    ),
    (
        Kind::PreconditionRequired,
        428,
        "if-match-required",
        "Updates must send If-Match with the revision they start from",
    ),
    (
        Kind::TooManyRequests,
        429,
        "too-many-requests",
        "Too many requests; wait before trying again",
    ),
    (
        Kind::Timeout,
        503,
        "timeout",
        "The request took longer than the server allows",
    ),
    (
        Kind::Unavailable,
        503,
        "unavailable",
        "The database is unavailable",
    ),
    (
        Kind::Internal,
        500,
        "internal",
        "Something went wrong on the server",
    ),
];

pub const TYPE_PREFIX: &str = "https://debrief.invalid/problems/";

/// An RFC 9457 problem.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Problem {
    /// A stable URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// What is wrong in this case and what to do.
    pub detail: String,
    /// For stale updates: the revision the postmortem is at now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_revision: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct ApiError {
    pub kind: Kind,
    pub detail: String,
    pub current_revision: Option<i64>,
    /// Seconds to wait before trying again (sent as `Retry-After`).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(kind: Kind, detail: impl Into<String>) -> ApiError {
        ApiError {
            kind,
            detail: detail.into(),
            current_revision: None,
            retry_after: None,
        }
    }

    pub fn status(&self) -> StatusCode {
        let code = KINDS.iter().find(|k| k.0 == self.kind).map_or(500, |k| k.1);
        StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    pub fn problem(&self) -> Problem {
        let (_, status, slug, title) = KINDS
            .iter()
            .find(|k| k.0 == self.kind)
            .copied()
            .unwrap_or((Kind::Internal, 500, "internal", "Internal error"));
        Problem {
            kind: format!("{TYPE_PREFIX}{slug}"),
            title: title.into(),
            status,
            detail: self.detail.clone(),
            current_revision: self.current_revision,
        }
    }

    /// The 404 that hides a restricted postmortem exactly as a missing one (and does not echo
    /// the id, so a response never carries a restricted id).
    pub fn no_postmortem() -> ApiError {
        ApiError::new(
            Kind::NotFound,
            "no postmortem with this id; check the id in the URL",
        )
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::NotFound(m) => ApiError::new(Kind::NotFound, m),
            StoreError::Conflict { id, base, current } => ApiError {
                kind: Kind::PreconditionFailed,
                detail: format!(
                    "postmortem {id} is at revision {current}, not {base}: read it again and reapply your change"
                ),
                current_revision: Some(current),
                retry_after: None,
            },
            StoreError::Invalid(m) => ApiError::new(Kind::Unprocessable, m),
            StoreError::Busy(m) => {
                tracing::warn!(error = %m, "store busy");
                ApiError {
                    retry_after: Some(1),
                    ..ApiError::new(
                        Kind::Unavailable,
                        "the server is busy; try again in a moment",
                    )
                }
            }
            StoreError::Unavailable(m, cause) => logged(
                Kind::Unavailable,
                "the database is unavailable; try again later",
                &m,
                cause,
            ),
            StoreError::Corrupt(m, cause) => logged(
                Kind::Internal,
                "the library is damaged; an administrator should run `debrief verify` and restore from a backup",
                &m,
                cause,
            ),
            StoreError::Failed(m, cause) => logged(
                Kind::Internal,
                "the server could not carry out this request (a fault on the server, now in its log); trying again will not help",
                &m,
                cause,
            ),
        }
    }
}

/// A store error the client can do nothing about: its message (which may name paths and
/// database details) goes to the log, the client gets `detail`.
fn logged(
    kind: Kind,
    detail: &str,
    message: &str,
    cause: Option<debrief_store::Cause>,
) -> ApiError {
    match cause {
        Some(c) => tracing::error!(error = %message, cause = %c, "store"),
        None => tracing::error!(error = %message, "store"),
    }
    ApiError::new(kind, detail)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut r = (status, body).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(rev) = self.current_revision
            && let Ok(v) = HeaderValue::from_str(&format!("\"{rev}\""))
        {
            r.headers_mut().insert(header::ETAG, v);
        }
        crate::pipeline::retry_after(&mut r, self.retry_after);
        r
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_store_is_a_503_that_says_when_to_retry_and_not_that_the_database_is_down() {
        let r = ApiError::from(StoreError::Busy(
            "all 16 database connections stayed busy".into(),
        ))
        .into_response();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            r.headers().get(header::RETRY_AFTER).map(|v| v.as_bytes()),
            Some(&b"1"[..])
        );
        let down = ApiError::from(StoreError::Unavailable("gone".into(), None)).into_response();
        assert!(down.headers().get(header::RETRY_AFTER).is_none());
    }

    #[test]
    fn a_refused_statement_or_a_damaged_library_is_a_500_not_a_503_to_retry() {
        for e in [
            StoreError::Failed("syntax error at or near \"SELEC\"".into(), None),
            StoreError::Corrupt("database disk image is malformed".into(), None),
        ] {
            let r = ApiError::from(e.clone());
            assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR, "{e}");
            assert!(!r.detail.contains("SELEC") && !r.detail.contains("malformed"));
            assert!(
                r.into_response()
                    .headers()
                    .get(header::RETRY_AFTER)
                    .is_none()
            );
        }
    }
}
