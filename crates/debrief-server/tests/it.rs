//! Server tests through the real router on a real SQLite store, one module per feature:
//!
//! - `matrix`: every route and method for every subject, from the route table.
//! - `leak`: restricted postmortems never show to non-members, in any GET route.
//! - `openapi`: the committed document equals the generated one and names every route.
//! - `errors`: problem+json for malformed JSON, wrong content types, oversized bodies,
//!   missing and stale If-Match, unknown routes and methods.
//! - `http`: every form of If-Match; creates retried with an Idempotency-Key.
//! - `observability`: /healthz and /metrics.
//! - `audit`: writes, denials and logins are recorded, chained, and carry no secret.
//! - `abuse`: security headers on every route, login limits and timing, restricted-versus-missing
//!   timing, bounded searches and reviews.
//! - `pages`: the web pages' security headers, CSRF refusals on every state-changing route,
//!   sessions that end at sign-out.

mod abuse;
mod audit;
mod errors;
mod http;
mod leak;
mod matrix;
mod observability;
mod openapi;
mod pages;
mod support;
