//! Typed extractors: what a handler takes from a request, each failing with a problem document
//! that says what is wrong and what to do (never axum's plain-text rejections).
//!
//! A handler that must check visibility before anything else (so a restricted postmortem and a
//! missing one answer alike) takes the later extractors as `Result<_, ApiError>` and applies
//! them after the check.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use debrief_core::Postmortem;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, Kind};
use crate::pipeline::{Caller, MAX_BODY};

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Caller, ApiError> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(|| ApiError::new(Kind::Internal, "the request was not authenticated"))
    }
}

/// The query string as `T`.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<ApiQuery<T>, ApiError> {
        axum::extract::Query::<T>::try_from_uri(&parts.uri)
            .map(|q| ApiQuery(q.0))
            .map_err(|e| {
                ApiError::new(
                    Kind::BadRequest,
                    format!("the query is not valid: {}", e.body_text()),
                )
            })
    }
}

/// The postmortem id of the path (`/api/v1/postmortems/{id}/...`).
pub struct PostmortemId(pub String);

/// A number of the path (`{number}`, `{index}`) beside the postmortem id.
pub struct PathNumber(pub i64);

async fn path_params<S: Send + Sync>(parts: &mut Parts, state: &S) -> Vec<(String, String)> {
    axum::extract::RawPathParams::from_request_parts(parts, state)
        .await
        .map(|p| {
            p.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .unwrap_or_default()
}

impl<S: Send + Sync> FromRequestParts<S> for PostmortemId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<PostmortemId, ApiError> {
        path_params(parts, state)
            .await
            .into_iter()
            .find(|(k, _)| k == "id")
            .map(|(_, v)| PostmortemId(v))
            .ok_or_else(ApiError::no_postmortem)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PathNumber {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<PathNumber, ApiError> {
        let (name, value) = path_params(parts, state)
            .await
            .into_iter()
            .find(|(k, _)| k != "id")
            .unwrap_or_default();
        value
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .map(PathNumber)
            .ok_or_else(|| {
                ApiError::new(
                    Kind::NotFound,
                    format!("{name} must be a number, not {value:?}"),
                )
            })
    }
}

/// The revision an update starts from, from `If-Match`: a revision number (`"3"`, `W/"3"`,
/// `3`), `*` for whichever revision is current, or a tag that names no revision (`"stale-0"`),
/// which matches none. A missing header is a 428.
pub enum IfMatch {
    Any,
    Revision(i64),
    NoRevision(String),
}

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<IfMatch, ApiError> {
        let Some(v) = parts.headers.get(header::IF_MATCH) else {
            return Err(ApiError::new(
                Kind::PreconditionRequired,
                "send If-Match with the revision (ETag) you started from, for example If-Match: \"3\"",
            ));
        };
        let raw = String::from_utf8_lossy(v.as_bytes());
        let s = raw.trim();
        if s == "*" {
            return Ok(IfMatch::Any);
        }
        let tag = s.strip_prefix("W/").unwrap_or(s).trim_matches('"');
        Ok(match tag.parse::<i64>() {
            Ok(n) if n >= 1 => IfMatch::Revision(n),
            _ => IfMatch::NoRevision(s.chars().take(64).collect()),
        })
    }
}

/// The key of a retried create, from `Idempotency-Key`: a retry with the same key and the same
/// document is answered with the first response instead of creating a second postmortem.
pub struct IdempotencyKey(pub Option<String>);

/// The longest `Idempotency-Key` accepted.
pub const MAX_IDEMPOTENCY_KEY: usize = 255;

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<IdempotencyKey, ApiError> {
        let Some(v) = parts.headers.get("idempotency-key") else {
            return Ok(IdempotencyKey(None));
        };
        let key = v.to_str().unwrap_or("").trim_matches('"');
        let printable = key.bytes().all(|b| (0x21..0x7f).contains(&b));
        if key.is_empty() || key.len() > MAX_IDEMPOTENCY_KEY || !printable {
            return Err(ApiError::new(
                Kind::BadRequest,
                format!(
                    "Idempotency-Key must be 1 to {MAX_IDEMPOTENCY_KEY} visible ASCII characters, such as a UUID"
                ),
            ));
        }
        Ok(IdempotencyKey(Some(key.to_string())))
    }
}

/// The media type of a request, lowercased, without parameters.
fn content_type(req: &Request) -> String {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default()
}

fn shown(ct: &str) -> &str {
    if ct.is_empty() { "no content type" } else { ct }
}

/// The body, at most [`MAX_BODY`] bytes.
async fn body<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                Kind::PayloadTooLarge,
                format!(
                    "the body is larger than {} MB; split the document",
                    MAX_BODY / 1024 / 1024
                ),
            )
        } else {
            ApiError::new(
                Kind::BadRequest,
                format!("the body could not be read: {}", e.body_text()),
            )
        }
    })
}

/// A JSON body as `T`.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<ApiJson<T>, ApiError> {
        let ct = content_type(&req);
        if ct != "application/json" {
            return Err(ApiError::new(
                Kind::UnsupportedMediaType,
                format!("send application/json (got {})", shown(&ct)),
            ));
        }
        let bytes = body(req, state).await?;
        serde_json::from_slice(&bytes).map(ApiJson).map_err(|e| {
            ApiError::new(Kind::BadRequest, format!("the JSON body is not valid: {e}"))
        })
    }
}

/// A postmortem document: its JSON record (written back as canonical Markdown), or Markdown or
/// plain text for the importer.
pub struct Document(pub String);

impl<S: Send + Sync> FromRequest<S> for Document {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Document, ApiError> {
        let ct = content_type(&req);
        if !matches!(
            ct.as_str(),
            "application/json" | "text/markdown" | "text/plain" | "text/x-markdown"
        ) {
            return Err(ApiError::new(
                Kind::UnsupportedMediaType,
                format!(
                    "send application/json (a postmortem record), text/markdown or text/plain (got {})",
                    shown(&ct)
                ),
            ));
        }
        let bytes = body(req, state).await?;
        if ct == "application/json" {
            let record: Postmortem = serde_json::from_slice(&bytes).map_err(|e| {
                ApiError::new(
                    Kind::BadRequest,
                    format!("the JSON body is not a postmortem record: {e}"),
                )
            })?;
            return Ok(Document(debrief_core::export::to_markdown(&record)));
        }
        // A JSON value sent as text (`{}`, `null`) is a client that named the wrong type, not a
        // document; a document fails to parse as JSON at its first word, unless it is a
        // postmortem kept as JSON data (an incident tool's export), which the importer reads.
        if serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).is_ok()
            && !std::str::from_utf8(&bytes).is_ok_and(debrief_core::import::is_data)
        {
            return Err(ApiError::new(
                Kind::Unprocessable,
                format!(
                    "the {ct} body is JSON, not a document; send a postmortem record as application/json, or the document's own text"
                ),
            ));
        }
        String::from_utf8(bytes.to_vec())
            .map(Document)
            .map_err(|e| {
                ApiError::new(
                    Kind::BadRequest,
                    format!(
                        "the document is not valid UTF-8 (byte {})",
                        e.utf8_error().valid_up_to()
                    ),
                )
            })
    }
}
