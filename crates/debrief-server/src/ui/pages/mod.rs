//! One function per page action of [`super::PAGES`], and the templates they fill, one module
//! per part of the UI. Each takes the same extractors as the API handlers and calls the same
//! store, review and audit functions ([`crate::handlers`]); what is particular to a page is
//! only what it shows. This module holds what several pages share: the frame ([`Chrome`]),
//! findings and timeline entries as pages show them, folded diffs, and error pages.

mod admin;
mod board;
mod edit;
mod insights;
mod list;
mod show;
mod signin;

pub use admin::*;
pub use board::*;
pub use edit::*;
pub use insights::*;
pub use list::*;
pub use show::*;
pub use signin::*;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use debrief_core::lint::{self, Finding};
use debrief_core::{ActionStatus, Postmortem, SectionKind};
use debrief_store::{
    ActionCursor, ActionFilter, ActionOrder, AuditFilter, Filter, ListOrder, SearchQuery, Viewer,
};
use serde::Deserialize;

use super::render::{self, BarChart, Card, TimelineChart};
use super::session;
use super::{PageError, PageResult};
use crate::AppState;
use crate::auth::{self, Role};
use crate::error::{ApiError, Kind};
use crate::extract::{ApiQuery, PathNumber, PostmortemId};
use crate::handlers;
use crate::pipeline::Caller;

/// Postmortems per page of the list.
const PAGE_SIZE: i64 = 25;
/// The list counts matching postmortems up to here and says "more than" beyond, so its cost
/// does not grow with the library.
const COUNT_UP_TO: i64 = 1000;
/// Action items per page of the board.
const BOARD_PAGE: i64 = 100;

/// What every page's frame needs: who is signed in, their CSRF token, which section is open.
pub struct Chrome {
    pub user: String,
    pub role: &'static str,
    pub csrf: String,
    pub editor: bool,
    pub admin: bool,
    pub signed_in: bool,
    pub here: &'static str,
}

impl Chrome {
    fn of(caller: &Caller, here: &'static str) -> Chrome {
        let role = caller.subject.role();
        Chrome {
            user: caller.subject.name().to_string(),
            role: role.map_or("", Role::as_str),
            csrf: caller
                .session
                .as_ref()
                .map(|s| s.csrf.clone())
                .unwrap_or_default(),
            editor: role >= Some(Role::Editor),
            admin: role == Some(Role::Admin),
            signed_in: role.is_some(),
            here,
        }
    }

    fn nobody() -> Chrome {
        Chrome {
            user: String::new(),
            role: "",
            csrf: String::new(),
            editor: false,
            admin: false,
            signed_in: false,
            here: "",
        }
    }
}

fn html(t: &impl Template) -> Response {
    match t.render() {
        Ok(body) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            body,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be drawn; it was logged",
            )
                .into_response()
        }
    }
}

/// `/p/{id}`-style path segments and query values, percent-encoded.
pub fn url_encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A local path to go back to after a form (never another site).
fn local(back: Option<&str>, default: String) -> String {
    match back {
        Some(b) if b.starts_with('/') && !b.starts_with("//") && !b.contains('\\') => b.into(),
        _ => default,
    }
}

/// A postmortem's title, or what to call one that has none.
fn title_or(title: Option<String>, date: Option<&str>) -> String {
    match (title, date) {
        (Some(t), _) if !t.trim().is_empty() => t,
        (_, Some(d)) => format!("Untitled incident of {d}"),
        _ => "Untitled incident".into(),
    }
}

fn non_empty(v: &Option<String>) -> Option<String> {
    v.as_ref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn form<T>(f: Result<Form<T>, FormRejection>) -> PageResult<T> {
    f.map(|Form(t)| t).map_err(|e| {
        PageError(ApiError::new(
            Kind::BadRequest,
            format!(
                "the form did not arrive whole ({}); go back, reload the page and send it again",
                e.body_text()
            ),
        ))
    })
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    chrome: Chrome,
    status: u16,
    title: &'a str,
    detail: &'a str,
}

pub fn error_page(status: u16, title: &str, detail: &str) -> Response {
    let mut r = html(&ErrorPage {
        chrome: Chrome::nobody(),
        status,
        title,
        detail,
    });
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r
}

pub struct FindingView {
    line: usize,
    rule: &'static str,
    severity: &'static str,
    message: String,
    suggestion: Option<String>,
    quote: String,
}

fn finding_views(text: &str, findings: &[Finding]) -> Vec<FindingView> {
    let lines: Vec<&str> = text.lines().collect();
    findings
        .iter()
        .map(|f| FindingView {
            line: f.line,
            rule: f.rule.id(),
            severity: f.severity.as_str(),
            message: f.message.clone(),
            suggestion: f.suggestion.clone(),
            quote: lines
                .get(f.line.saturating_sub(1))
                .map(|l| l.trim().chars().take(160).collect())
                .unwrap_or_default(),
        })
        .collect()
}

pub struct EntryView {
    time: String,
    kind: &'static str,
    /// Its text's Markdown as inline HTML, sanitised.
    html: String,
    /// Where a generated entry came from (an alert, a chat message); empty for written ones.
    source: String,
    /// Its evidence, when it is a web link.
    link: String,
    starred: bool,
    findings: Vec<FindingView>,
}

/// The shown entries of a timeline (hidden ones are left out), each with its findings.
pub fn entry_views(
    p: &debrief_core::Postmortem,
    mut findings: impl FnMut(usize) -> Vec<FindingView>,
) -> Vec<EntryView> {
    p.timeline
        .iter()
        .zip(crate::ui::render::entry_times(p))
        .filter(|(e, _)| !e.hidden)
        .map(|(e, time)| EntryView {
            time,
            kind: crate::ui::render::kind_name(e.kind),
            html: crate::ui::render::inline_markdown(&e.text),
            source: e.source.clone().unwrap_or_default(),
            link: e
                .link
                .clone()
                .filter(|l| l.starts_with("https://") || l.starts_with("http://"))
                .unwrap_or_default(),
            starred: e.starred,
            findings: findings(e.line),
        })
        .collect()
}

pub struct DiffRow {
    op: &'static str,
    text: String,
}

/// Diff lines with long unchanged runs folded to three lines of context on each side.
fn folded(lines: Vec<crate::api::DiffLine>) -> Vec<DiffRow> {
    let changed: Vec<bool> = lines.iter().map(|l| l.op != "same").collect();
    let near = |i: usize| {
        let lo = i.saturating_sub(3);
        let hi = (i + 4).min(changed.len());
        changed[lo..hi].iter().any(|c| *c)
    };
    let mut out = Vec::new();
    let mut skipped = 0;
    for (i, l) in lines.into_iter().enumerate() {
        if near(i) {
            if skipped > 0 {
                out.push(DiffRow {
                    op: "fold",
                    text: format!("… {skipped} unchanged lines"),
                });
                skipped = 0;
            }
            out.push(DiffRow {
                op: match l.op.as_str() {
                    "added" => "added",
                    "removed" => "removed",
                    _ => "same",
                },
                text: l.text,
            });
        } else {
            skipped += 1;
        }
    }
    if skipped > 0 {
        out.push(DiffRow {
            op: "fold",
            text: format!("… {skipped} unchanged lines"),
        });
    }
    out
}
