//! One function per page action of [`super::PAGES`], and the templates they fill. Each takes
//! the same extractors as the API handlers and calls the same store, review and audit
//! functions ([`crate::handlers`]); what is particular to a page is only what it shows.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use debrief_core::lint::{self, Finding};
use debrief_core::{ActionStatus, Postmortem, SectionKind};
use debrief_store::{ActionFilter, AuditFilter, Filter, ListOrder, SearchQuery, Viewer};
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
/// Action items shown at once on the board.
const BOARD_LIMIT: usize = 500;

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

fn form<T>(f: Result<Form<T>, FormRejection>) -> PageResult<T> {
    f.map(|Form(t)| t)
        .map_err(|e| PageError(ApiError::new(Kind::BadRequest, e.body_text())))
}

// ---------------------------------------------------------------------------------------------
// Errors

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

// ---------------------------------------------------------------------------------------------
// Sign in and out

#[derive(Template)]
#[template(path = "signin.html")]
struct SignInPage {
    chrome: Chrome,
    next: String,
    name: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn sign_in_form(
    caller: Caller,
    q: Result<ApiQuery<NextQuery>, ApiError>,
) -> PageResult<Response> {
    let next = local(q?.0.next.as_deref(), "/".into());
    if caller.subject.role().is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    Ok(html(&SignInPage {
        chrome: Chrome::nobody(),
        next,
        name: String::new(),
        error: None,
    }))
}

#[derive(Deserialize)]
pub struct SignInForm {
    name: String,
    password: String,
    next: Option<String>,
}

pub async fn sign_in(
    State(st): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    f: Result<Form<SignInForm>, FormRejection>,
) -> PageResult<Response> {
    let f = form(f)?;
    let next = local(f.next.as_deref(), "/".into());
    match handlers::sign_in(&st, &caller, &f.name, f.password, "browser session").await {
        Ok((secret, _)) => {
            let secure = session::over_https(&headers, st.limits.behind_proxy);
            let mut r = Redirect::to(&next).into_response();
            r.headers_mut()
                .append(header::SET_COOKIE, session::set_cookie(&secret, secure));
            Ok(r)
        }
        Err(e) if e.kind == Kind::Unauthenticated || e.kind == Kind::TooManyRequests => {
            let mut r = html(&SignInPage {
                chrome: Chrome::nobody(),
                next,
                name: f.name,
                error: Some(e.detail.clone()),
            });
            *r.status_mut() = e.status();
            crate::pipeline::retry_after(&mut r, e.retry_after);
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn sign_out(State(st): State<AppState>, caller: Caller) -> PageResult<Response> {
    if let Some(s) = &caller.session {
        st.store.revoke_token(&s.token_hash).await?;
        handlers::audit(
            &st,
            &caller,
            "logout",
            caller.subject.name(),
            "ok",
            String::new(),
        )
        .await;
    }
    let mut r = Redirect::to("/signin").into_response();
    for c in session::clear_cookies() {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(r)
}

// ---------------------------------------------------------------------------------------------
// The list

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    status: Option<String>,
    severity: Option<String>,
    service: Option<String>,
    tag: Option<String>,
    from: Option<String>,
    to: Option<String>,
    sort: Option<String>,
    page: Option<i64>,
}

pub struct Row {
    id: String,
    title: String,
    date: String,
    severity: String,
    status: String,
    services: String,
    snippet: Vec<(bool, String)>,
}

#[derive(Template)]
#[template(path = "list.html")]
struct ListPage {
    chrome: Chrome,
    q: String,
    status: String,
    severity: String,
    service: String,
    tag: String,
    from: String,
    to: String,
    sort: &'static str,
    rows: Vec<Row>,
    total: String,
    first: i64,
    last: i64,
    prev: Option<String>,
    next: Option<String>,
    searching: bool,
    error: Option<String>,
}

fn non_empty(v: &Option<String>) -> Option<String> {
    v.as_ref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// A snippet's `[match]` marks as (highlighted, text) runs, so the template escapes the text.
fn marked(snippet: &str) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    let mut rest = snippet;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']').map(|c| open + c) else {
            break;
        };
        out.push((false, rest[..open].to_string()));
        out.push((true, rest[open + 1..close].to_string()));
        rest = &rest[close + 1..];
    }
    out.push((false, rest.to_string()));
    out
}

pub async fn list(
    State(st): State<AppState>,
    caller: Caller,
    q: Result<ApiQuery<ListQuery>, ApiError>,
) -> PageResult<Response> {
    let ApiQuery(q) = q?;
    let page = q.page.unwrap_or(1).clamp(1, 1_000_000 / PAGE_SIZE);
    let order = q
        .sort
        .as_deref()
        .and_then(ListOrder::parse)
        .unwrap_or_default();
    let mut error = None;
    for (name, v) in [("from", &q.from), ("to", &q.to)] {
        if let Some(d) = non_empty(v)
            && debrief_core::time::Date::parse_iso(&d).is_none()
        {
            error = Some(format!(
                "“{d}” is not a date for {name}: write it as YYYY-MM-DD"
            ));
        }
    }
    let filter = Filter {
        status: non_empty(&q.status),
        severity: non_empty(&q.severity),
        service: non_empty(&q.service),
        tag: non_empty(&q.tag),
        from: non_empty(&q.from).filter(|_| error.is_none()),
        to: non_empty(&q.to).filter(|_| error.is_none()),
        limit: Some(PAGE_SIZE + 1),
        offset: Some((page - 1) * PAGE_SIZE),
        viewer: Some(caller.subject.viewer()),
        order,
    };
    let text = non_empty(&q.q);
    let mut rows: Vec<Row> = Vec::new();
    // How many match (searches rank a bounded set, so they say "best first" instead).
    let mut total = 0;
    if let Some(text) = &text {
        match SearchQuery::parse(text) {
            Ok(query) => {
                for h in st.store.search(&query, &filter).await? {
                    rows.push(Row {
                        id: h.id,
                        title: title_or(h.title, h.date.as_deref()),
                        date: h.date.unwrap_or_default(),
                        severity: String::new(),
                        status: String::new(),
                        services: String::new(),
                        snippet: marked(&h.snippet),
                    });
                }
            }
            Err(e) => error = Some(e.to_string()),
        }
    } else {
        let (count, list) =
            tokio::join!(st.store.count(&filter, COUNT_UP_TO), st.store.list(&filter));
        total = count?;
        for s in list? {
            rows.push(Row {
                id: s.id,
                title: title_or(s.title, s.date.as_deref()),
                date: s.date.unwrap_or_default(),
                severity: s.severity.unwrap_or_default(),
                status: s.status.unwrap_or_default(),
                services: s.services.join(", "),
                snippet: Vec::new(),
            });
        }
    }
    let more = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    let link = |page: i64| {
        let mut parts = vec![];
        for (k, v) in [
            ("q", &q.q),
            ("status", &q.status),
            ("severity", &q.severity),
            ("service", &q.service),
            ("tag", &q.tag),
            ("from", &q.from),
            ("to", &q.to),
        ] {
            if let Some(v) = non_empty(v) {
                parts.push(format!("{k}={}", url_encode(&v)));
            }
        }
        if order != ListOrder::Newest {
            parts.push(format!("sort={}", order.as_str()));
        }
        parts.push(format!("page={page}"));
        format!("/?{}", parts.join("&"))
    };
    let first = (page - 1) * PAGE_SIZE + 1;
    Ok(html(&ListPage {
        chrome: Chrome::of(&caller, "list"),
        q: q.q.clone().unwrap_or_default(),
        status: q.status.clone().unwrap_or_default(),
        severity: q.severity.clone().unwrap_or_default(),
        service: q.service.clone().unwrap_or_default(),
        tag: q.tag.clone().unwrap_or_default(),
        from: q.from.clone().unwrap_or_default(),
        to: q.to.clone().unwrap_or_default(),
        sort: order.as_str(),
        total: if total >= COUNT_UP_TO {
            format!("more than {}", COUNT_UP_TO - 1)
        } else {
            total.to_string()
        },
        first,
        last: first + rows.len() as i64 - 1,
        rows,
        prev: (page > 1).then(|| link(page - 1)),
        next: more.then(|| link(page + 1)),
        searching: text.is_some(),
        error,
    }))
}

// ---------------------------------------------------------------------------------------------
// One postmortem

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

pub struct Block {
    heading: String,
    anchor: String,
    html: String,
    kind: &'static str,
    findings: Vec<FindingView>,
}

pub struct EntryView {
    time: String,
    kind: &'static str,
    text: String,
    findings: Vec<FindingView>,
}

pub struct ActionView {
    index: usize,
    text: String,
    owner: String,
    due: String,
    status: &'static str,
    done: bool,
    overdue: bool,
    findings: Vec<FindingView>,
}

/// What the postmortem page shows of one revision (on one day: "overdue" depends on it),
/// computed once and shared by every reader ([`super::ShownCache`]).
pub(crate) struct Shown {
    title: String,
    severity: String,
    status: String,
    date: String,
    services: String,
    tags: String,
    updated: String,
    author: String,
    cards: Vec<Card>,
    chart: Option<TimelineChart>,
    general: Vec<FindingView>,
    blocks: Vec<Block>,
    entries: Vec<EntryView>,
    actions: Vec<ActionView>,
    finding_count: usize,
}

#[derive(Template)]
#[template(path = "show.html")]
struct ShowPage {
    chrome: Chrome,
    id: String,
    revision: i64,
    shown: std::sync::Arc<Shown>,
    restricted: bool,
    members: String,
}

/// Findings at `line` (taken out of `pool`).
fn take_at(pool: &mut Vec<FindingView>, line: usize) -> Vec<FindingView> {
    let (here, rest): (Vec<_>, Vec<_>) = std::mem::take(pool)
        .into_iter()
        .partition(|f| line > 0 && f.line == line);
    *pool = rest;
    here
}

fn take_range(pool: &mut Vec<FindingView>, from: usize, to: usize) -> Vec<FindingView> {
    let (here, rest): (Vec<_>, Vec<_>) = std::mem::take(pool)
        .into_iter()
        .partition(|f| f.line >= from && f.line < to);
    *pool = rest;
    here
}

/// The record's sections as blocks, with the findings that fall inside each.
fn blocks(p: &Postmortem, pool: &mut Vec<FindingView>) -> Vec<Block> {
    let mut out = Vec::new();
    for (i, s) in p.sections.iter().enumerate() {
        let end = p
            .sections
            .get(i + 1)
            .map_or(usize::MAX, |n| n.line.max(s.line + 1));
        let kind = match s.kind {
            SectionKind::Timeline => "timeline",
            SectionKind::ActionItems => "actions",
            _ => "text",
        };
        // Timeline and action item findings are shown beside their entries.
        let findings = if kind == "text" {
            take_range(pool, s.line.max(1), end)
        } else {
            Vec::new()
        };
        out.push(Block {
            anchor: format!("s{i}"),
            heading: s.heading.clone(),
            html: if kind == "text" {
                render::markdown(&s.text)
            } else {
                String::new()
            },
            kind,
            findings,
        });
    }
    out
}

pub async fn show(
    State(st): State<AppState>,
    caller: Caller,
    PostmortemId(id): PostmortemId,
) -> PageResult<Response> {
    let id = handlers::visible(&st, &caller, id).await?;
    let s = st.store.get(&id).await?;
    let today = debrief_store::today();
    let shown = match st.shown.get(&id, s.revision.number, &today) {
        Some(shown) => shown,
        None => {
            let text = s.revision.content.clone();
            let findings = handlers::findings_of(&st, text.clone()).await?;
            let (revision, day) = (s.revision.clone(), today.clone());
            let record = s.record.clone();
            let shown = std::sync::Arc::new(
                st.cpu
                    .run(move || shown_of(&record, &revision, &text, &findings, &day))
                    .await?,
            );
            st.shown.put(
                &id,
                s.revision.number,
                &today,
                std::sync::Arc::clone(&shown),
            );
            shown
        }
    };
    let (restricted, members) = if caller.subject.role() == Some(Role::Admin) {
        let (r, m) = st.store.access(&id).await?;
        (r, m.join(", "))
    } else {
        (s.row.restricted, String::new())
    };
    Ok(html(&ShowPage {
        chrome: Chrome::of(&caller, "list"),
        revision: s.revision.number,
        shown,
        restricted,
        members,
        id,
    }))
}

fn shown_of(
    p: &Postmortem,
    revision: &debrief_store::Revision,
    text: &str,
    findings: &[Finding],
    today: &str,
) -> Shown {
    let mut pool = finding_views(text, findings);
    let entries = p
        .timeline
        .iter()
        .zip(render::entry_times(p))
        .map(|(e, time)| EntryView {
            time,
            kind: render::kind_name(e.kind),
            text: e.text.clone(),
            findings: take_at(&mut pool, e.line),
        })
        .collect();
    let actions = p
        .action_items
        .iter()
        .enumerate()
        .map(|(index, a)| ActionView {
            index,
            text: a.text.clone(),
            owner: a.owner.clone().unwrap_or_default(),
            due: a.due.clone().unwrap_or_default(),
            status: a.status.as_str(),
            done: matches!(a.status, ActionStatus::Done | ActionStatus::WontDo),
            overdue: matches!(a.status, ActionStatus::Open | ActionStatus::InProgress)
                && debrief_store::is_overdue(a.due.as_deref(), today),
            findings: take_at(&mut pool, a.line),
        })
        .collect();
    let blocks = blocks(p, &mut pool);
    Shown {
        title: title_or(p.title.clone(), p.date.as_deref()),
        severity: p.severity.clone().unwrap_or_default(),
        status: p.status.clone().unwrap_or_default(),
        date: p.date.clone().unwrap_or_default(),
        services: p.services.join(", "),
        tags: p.tags.join(", "),
        updated: revision.created_at.to_string(),
        author: revision.author.clone(),
        cards: render::cards(p),
        chart: render::timeline_chart(p),
        general: pool,
        blocks,
        entries,
        actions,
        finding_count: findings.len(),
    }
}

pub async fn export_markdown(
    State(st): State<AppState>,
    caller: Caller,
    PostmortemId(id): PostmortemId,
) -> PageResult<Response> {
    export(&st, &caller, id, false).await
}

pub async fn export_json(
    State(st): State<AppState>,
    caller: Caller,
    PostmortemId(id): PostmortemId,
) -> PageResult<Response> {
    export(&st, &caller, id, true).await
}

/// The latest revision's record as a download: canonical Markdown, or JSON.
async fn export(st: &AppState, caller: &Caller, id: String, json: bool) -> PageResult<Response> {
    let id = handlers::visible(st, caller, id).await?;
    let s = st.store.get(&id).await?;
    Ok(if json {
        download(
            debrief_core::export::to_json(&s.record),
            "application/json",
            &format!("{id}.json"),
        )
    } else {
        download(
            debrief_core::export::to_markdown(&s.record),
            "text/markdown; charset=utf-8",
            &format!("{id}.md"),
        )
    })
}

fn download(body: String, mime: &'static str, name: &str) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct ToggleForm {
    base: i64,
    done: String,
    back: Option<String>,
}

pub async fn toggle_action(
    State(st): State<AppState>,
    caller: Caller,
    PostmortemId(id): PostmortemId,
    index: Result<PathNumber, ApiError>,
    f: Result<Form<ToggleForm>, FormRejection>,
) -> PageResult<Response> {
    let id = handlers::visible(&st, &caller, id).await?;
    let n = index?.0;
    let f = form(f)?;
    let current = st.store.get(&id).await?;
    if current.revision.number != f.base {
        return Err(PageError(ApiError::new(
            Kind::PreconditionFailed,
            format!(
                "this postmortem changed since the page was loaded (revision {} now, not {}); go back, reload and try again",
                current.revision.number, f.base
            ),
        )));
    }
    let mut p = current.record;
    let Some(a) = usize::try_from(n)
        .ok()
        .and_then(|n| p.action_items.get_mut(n))
    else {
        return Err(PageError(ApiError::new(
            Kind::NotFound,
            format!("there is no action item {n}"),
        )));
    };
    let done = f.done == "true";
    a.status = if done {
        ActionStatus::Done
    } else {
        ActionStatus::Open
    };
    let action = if done {
        "action.close"
    } else {
        "action.reopen"
    };
    let text = debrief_core::export::to_markdown(&p);
    handlers::save(&st, &caller, &id, f.base, text, action, "the web UI").await?;
    Ok(Redirect::to(&local(f.back.as_deref(), format!("/p/{id}#action-{n}"))).into_response())
}

#[derive(Deserialize)]
pub struct AccessForm {
    restricted: Option<String>,
    members: String,
}

pub async fn set_access(
    State(st): State<AppState>,
    caller: Caller,
    PostmortemId(id): PostmortemId,
    f: Result<Form<AccessForm>, FormRejection>,
) -> PageResult<Response> {
    let f = form(f)?;
    let members: Vec<String> = f
        .members
        .split([',', '\n'])
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(String::from)
        .collect();
    if members.len() > debrief_store::MAX_MEMBERS {
        return Err(PageError(ApiError::new(
            Kind::BadRequest,
            format!("at most {} members", debrief_store::MAX_MEMBERS),
        )));
    }
    for m in &members {
        if st.store.user(m).await?.is_none() {
            return Err(PageError(ApiError::new(
                Kind::BadRequest,
                format!("there is no user “{m}”; create the user first on the admin page"),
            )));
        }
    }
    let restricted = f.restricted.is_some();
    st.store.set_access(&id, restricted, &members).await?;
    handlers::audit(
        &st,
        &caller,
        "access.set",
        &id,
        "ok",
        format!("restricted={restricted} members={}", members.join(",")),
    )
    .await;
    Ok(Redirect::to(&format!("/p/{id}#access")).into_response())
}

// ---------------------------------------------------------------------------------------------
// Revisions

pub struct RevisionView {
    number: i64,
    author: String,
    at: String,
    message: String,
}

pub struct DiffRow {
    op: &'static str,
    text: String,
}

#[derive(Template)]
#[template(path = "revisions.html")]
struct RevisionsPage {
    chrome: Chrome,
    id: String,
    title: String,
    revisions: Vec<RevisionView>,
    from: i64,
    to: i64,
    diff: Vec<DiffRow>,
}

#[derive(Deserialize, Default)]
pub struct DiffQuery {
    from: Option<i64>,
    to: Option<i64>,
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

pub async fn revisions(
    State(st): State<AppState>,
    caller: Caller,
    PostmortemId(id): PostmortemId,
    q: Result<ApiQuery<DiffQuery>, ApiError>,
) -> PageResult<Response> {
    let id = handlers::visible(&st, &caller, id).await?;
    let ApiQuery(q) = q?;
    let s = st.store.get(&id).await?;
    let all = st.store.revisions(&id).await?;
    let latest = s.revision.number;
    let to = q.to.unwrap_or(latest).clamp(1, latest);
    let from = q.from.unwrap_or(to - 1).clamp(1, latest);
    let diff = if from < to {
        let a = st.store.revision(&id, from).await?;
        let b = st.store.revision(&id, to).await?;
        folded(
            st.cpu
                .run(move || crate::diff::lines(&a.content, &b.content))
                .await?,
        )
    } else {
        Vec::new()
    };
    Ok(html(&RevisionsPage {
        chrome: Chrome::of(&caller, "list"),
        title: title_or(s.record.title.clone(), s.record.date.as_deref()),
        revisions: all
            .into_iter()
            .rev()
            .map(|r| RevisionView {
                number: r.number,
                author: r.author,
                at: r.created_at.to_string(),
                message: r.message,
            })
            .collect(),
        from,
        to,
        diff,
        id,
    }))
}

// ---------------------------------------------------------------------------------------------
// The editor, new postmortems and the live review

pub struct ReviewView {
    findings: Vec<FindingView>,
    preview: String,
    errors: usize,
    warnings: usize,
}

async fn review_of(st: &AppState, text: &str) -> PageResult<ReviewView> {
    let reviewed = handlers::review(st, text).await?;
    let preview = render::markdown(&debrief_core::export::to_markdown(&reviewed.record));
    let errors = reviewed
        .findings
        .iter()
        .filter(|f| f.severity == lint::Severity::Error)
        .count();
    Ok(ReviewView {
        warnings: reviewed.findings.len() - errors,
        errors,
        findings: finding_views(text, &reviewed.findings),
        preview,
    })
}

pub struct Conflict {
    current: i64,
    latest: String,
    diff: Vec<DiffRow>,
}

#[derive(Template)]
#[template(path = "edit.html")]
struct EditPage {
    chrome: Chrome,
    heading: String,
    /// Where the form posts.
    action: String,
    /// The postmortem being edited (none for a new one).
    id: Option<String>,
    base: i64,
    text: String,
    draft_key: String,
    review: ReviewView,
    conflict: Option<Conflict>,
    templates: Vec<(&'static str, &'static str, bool)>,
    message: Option<String>,
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewFragment {
    review: ReviewView,
}

pub async fn edit(
    State(st): State<AppState>,
    caller: Caller,
    PostmortemId(id): PostmortemId,
) -> PageResult<Response> {
    let id = handlers::visible(&st, &caller, id).await?;
    let s = st.store.get(&id).await?;
    let text = s.revision.content;
    Ok(html(&EditPage {
        chrome: Chrome::of(&caller, "list"),
        heading: format!(
            "Edit: {}",
            title_or(s.record.title.clone(), s.record.date.as_deref())
        ),
        action: format!("/p/{id}/edit"),
        draft_key: format!("draft:{id}"),
        base: s.revision.number,
        review: review_of(&st, &text).await?,
        text,
        id: Some(id),
        conflict: None,
        templates: Vec::new(),
        message: None,
    }))
}

#[derive(Deserialize)]
pub struct SaveForm {
    text: String,
    base: Option<i64>,
    intent: Option<String>,
}

pub async fn save(
    State(st): State<AppState>,
    caller: Caller,
    PostmortemId(id): PostmortemId,
    f: Result<Form<SaveForm>, FormRejection>,
) -> PageResult<Response> {
    let id = handlers::visible(&st, &caller, id).await?;
    let f = form(f)?;
    let base = f.base.unwrap_or(0);
    let page = |review, conflict, message| EditPage {
        chrome: Chrome::of(&caller, "list"),
        heading: "Edit".into(),
        action: format!("/p/{id}/edit"),
        id: Some(id.clone()),
        base,
        text: f.text.clone(),
        draft_key: format!("draft:{id}"),
        review,
        conflict,
        templates: Vec::new(),
        message,
    };
    if f.intent.as_deref() == Some("review") {
        return Ok(html(&page(review_of(&st, &f.text).await?, None, None)));
    }
    match handlers::save(
        &st,
        &caller,
        &id,
        base,
        f.text.clone(),
        "postmortem.update",
        "the web UI",
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/p/{id}?saved={}",
            url_encode(&format!("draft:{id}"))
        ))
        .into_response()),
        Err(e) if e.kind == Kind::PreconditionFailed => {
            // Someone saved first: keep this author's text, show what changed since their
            // base, and let them save on top of the latest revision once merged.
            let latest = st.store.get(&id).await?;
            let before = if base >= 1 {
                st.store.revision(&id, base).await.ok()
            } else {
                None
            };
            let theirs = latest.revision.content.clone();
            let diff = match before {
                Some(b) => {
                    let t = theirs.clone();
                    folded(
                        st.cpu
                            .run(move || crate::diff::lines(&b.content, &t))
                            .await?,
                    )
                }
                None => Vec::new(),
            };
            let mut p = page(
                review_of(&st, &f.text).await?,
                Some(Conflict {
                    current: latest.revision.number,
                    latest: theirs,
                    diff,
                }),
                None,
            );
            p.base = latest.revision.number;
            let mut r = html(&p);
            *r.status_mut() = StatusCode::CONFLICT;
            Ok(r)
        }
        Err(e) if e.kind == Kind::Unprocessable || e.kind == Kind::PayloadTooLarge => {
            let mut r = html(&page(review_of(&st, &f.text).await?, None, Some(e.detail)));
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

/// The templates a new postmortem can start from: (key, name, text).
const TEMPLATES: &[(&str, &str, &str)] = &[
    (
        "sre",
        "Full review (SRE style)",
        include_str!("../../templates/new/sre.md"),
    ),
    (
        "narrative",
        "Narrative with timeline",
        include_str!("../../templates/new/narrative.md"),
    ),
    (
        "minor",
        "Short, for a minor incident",
        include_str!("../../templates/new/minor.md"),
    ),
];

#[derive(Deserialize, Default)]
pub struct NewQuery {
    template: Option<String>,
}

pub async fn new(
    State(st): State<AppState>,
    caller: Caller,
    q: Result<ApiQuery<NewQuery>, ApiError>,
) -> PageResult<Response> {
    let ApiQuery(q) = q?;
    let key = q.template.unwrap_or_else(|| "sre".into());
    let Some((_, _, text)) = TEMPLATES.iter().find(|t| t.0 == key) else {
        return Err(PageError(ApiError::new(
            Kind::NotFound,
            format!("there is no template “{key}”; choose one of those listed on the page"),
        )));
    };
    let text = text.replace("YYYY-MM-DD", &debrief_store::today());
    Ok(html(&EditPage {
        chrome: Chrome::of(&caller, "new"),
        heading: "New postmortem".into(),
        action: "/new".into(),
        id: None,
        base: 0,
        draft_key: format!("draft:new:{key}"),
        review: review_of(&st, &text).await?,
        text,
        conflict: None,
        templates: TEMPLATES
            .iter()
            .map(|(k, name, _)| (*k, *name, *k == key))
            .collect(),
        message: None,
    }))
}

pub async fn create(
    State(st): State<AppState>,
    caller: Caller,
    f: Result<Form<SaveForm>, FormRejection>,
) -> PageResult<Response> {
    let f = form(f)?;
    if f.intent.as_deref() == Some("review") || f.text.trim().is_empty() {
        let message = f
            .text
            .trim()
            .is_empty()
            .then(|| "the document is empty: write or paste the postmortem first".to_string());
        let mut r = html(&EditPage {
            chrome: Chrome::of(&caller, "new"),
            heading: "New postmortem".into(),
            action: "/new".into(),
            id: None,
            base: 0,
            draft_key: "draft:new".into(),
            review: review_of(&st, &f.text).await?,
            text: f.text,
            conflict: None,
            templates: Vec::new(),
            message: message.clone(),
        });
        if message.is_some() {
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        }
        return Ok(r);
    }
    let (saved, _) = handlers::create_from(&st, &caller, f.text, "the web UI").await?;
    Ok(Redirect::to(&format!("/p/{}?saved=draft%3Anew", saved.id)).into_response())
}

#[derive(Deserialize)]
pub struct ReviewForm {
    text: String,
}

pub async fn review(
    State(st): State<AppState>,
    f: Result<Form<ReviewForm>, FormRejection>,
) -> PageResult<Response> {
    let f = form(f)?;
    Ok(html(&ReviewFragment {
        review: review_of(&st, &f.text).await?,
    }))
}

// ---------------------------------------------------------------------------------------------
// Import

pub struct Imported {
    title: String,
    severity: String,
    started: String,
    ended: String,
    stated: String,
    cards: Vec<Card>,
    chart: Option<TimelineChart>,
    entries: Vec<EntryView>,
    actions: Vec<(String, String, String)>,
    notes: Vec<(usize, String)>,
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    chrome: Chrome,
    text: String,
    result: Option<Imported>,
    review: Option<ReviewView>,
}

pub async fn import_form(caller: Caller) -> Response {
    html(&ImportPage {
        chrome: Chrome::of(&caller, "import"),
        text: String::new(),
        result: None,
        review: None,
    })
}

pub async fn import_preview(
    State(st): State<AppState>,
    caller: Caller,
    f: Result<Form<ReviewForm>, FormRejection>,
) -> PageResult<Response> {
    let f = form(f)?;
    let text = f.text;
    let t = text.clone();
    let parsed = st.cpu.run(move || debrief_core::parse(&t)).await?;
    let p = &parsed.postmortem;
    let result = Imported {
        title: p.title.clone().unwrap_or_else(|| "(no title found)".into()),
        severity: p.severity.clone().unwrap_or_default(),
        started: p
            .instants
            .started
            .as_ref()
            .map(render::stamp)
            .unwrap_or_default(),
        ended: p
            .instants
            .ended
            .as_ref()
            .map(render::stamp)
            .unwrap_or_default(),
        stated: p
            .stated_duration_minutes
            .map(|m| render::minutes(i64::from(m)))
            .unwrap_or_default(),
        cards: render::cards(p),
        chart: render::timeline_chart(p),
        entries: p
            .timeline
            .iter()
            .zip(render::entry_times(p))
            .map(|(e, time)| EntryView {
                time,
                kind: render::kind_name(e.kind),
                text: e.text.clone(),
                findings: Vec::new(),
            })
            .collect(),
        actions: p
            .action_items
            .iter()
            .map(|a| {
                (
                    a.text.clone(),
                    a.owner.clone().unwrap_or_default(),
                    a.due.clone().unwrap_or_default(),
                )
            })
            .collect(),
        notes: parsed
            .notes
            .iter()
            .map(|n| (n.line, n.message.clone()))
            .collect(),
    };
    Ok(html(&ImportPage {
        chrome: Chrome::of(&caller, "import"),
        review: Some(review_of(&st, &text).await?),
        text,
        result: Some(result),
    }))
}

// ---------------------------------------------------------------------------------------------
// Action items board

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    show: Option<String>,
    owner: Option<String>,
    service: Option<String>,
    sort: Option<String>,
}

pub struct BoardRow {
    id: String,
    title: String,
    index: i64,
    base: i64,
    text: String,
    owner: String,
    due: String,
    status: String,
    done: bool,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "actions.html")]
struct BoardPage {
    chrome: Chrome,
    show: String,
    owner: String,
    service: String,
    sort: String,
    rows: Vec<BoardRow>,
    total: usize,
    overdue: usize,
    back: String,
}

pub async fn board(
    State(st): State<AppState>,
    caller: Caller,
    q: Result<ApiQuery<BoardQuery>, ApiError>,
) -> PageResult<Response> {
    let ApiQuery(q) = q?;
    let show = q.show.clone().unwrap_or_else(|| "open".into());
    let today = debrief_store::today();
    let f = ActionFilter {
        open: show != "all",
        overdue: show == "overdue",
        owner: non_empty(&q.owner),
        service: non_empty(&q.service),
        viewer: Some(caller.subject.viewer()),
        today: today.clone(),
    };
    let items = st.store.action_items(&f).await?;
    let total = items.len();
    let overdue_count = items
        .iter()
        .filter(|a| {
            matches!(a.status.as_str(), "open" | "in_progress")
                && debrief_store::is_overdue(a.due.as_deref(), &today)
        })
        .count();
    // The revision each toggle starts from, one look-up per postmortem shown.
    let mut items: Vec<_> = items.into_iter().collect();
    match q.sort.as_deref() {
        Some("owner") => items.sort_by(|a, b| {
            a.owner
                .as_deref()
                .unwrap_or("~")
                .to_lowercase()
                .cmp(&b.owner.as_deref().unwrap_or("~").to_lowercase())
        }),
        Some("postmortem") => items.sort_by(|a, b| a.postmortem_title.cmp(&b.postmortem_title)),
        _ => {}
    }
    items.truncate(BOARD_LIMIT);
    let mut revisions: std::collections::HashMap<String, i64> = Default::default();
    let mut rows = Vec::new();
    for a in items {
        let base = match revisions.get(&a.postmortem_id) {
            Some(r) => *r,
            None => {
                let r = st.store.get(&a.postmortem_id).await?.revision.number;
                revisions.insert(a.postmortem_id.clone(), r);
                r
            }
        };
        let open = matches!(a.status.as_str(), "open" | "in_progress");
        rows.push(BoardRow {
            overdue: open && debrief_store::is_overdue(a.due.as_deref(), &today),
            done: !open,
            title: title_or(a.postmortem_title, None),
            id: a.postmortem_id,
            index: a.position,
            base,
            text: a.text,
            owner: a.owner.unwrap_or_default(),
            due: a.due.unwrap_or_default(),
            status: a.status,
        });
    }
    let mut back = format!("/actions?show={}", url_encode(&show));
    for (k, v) in [
        ("owner", &q.owner),
        ("service", &q.service),
        ("sort", &q.sort),
    ] {
        if let Some(v) = non_empty(v) {
            back.push_str(&format!("&{k}={}", url_encode(&v)));
        }
    }
    Ok(html(&BoardPage {
        chrome: Chrome::of(&caller, "actions"),
        owner: q.owner.unwrap_or_default(),
        service: q.service.unwrap_or_default(),
        sort: q.sort.unwrap_or_default(),
        show,
        rows,
        total,
        overdue: overdue_count,
        back,
    }))
}

// ---------------------------------------------------------------------------------------------
// Insights

#[derive(Template)]
#[template(path = "insights.html")]
struct InsightsPage {
    chrome: Chrome,
    n: usize,
    charts: Vec<BarChart>,
    services: Vec<(String, usize, String, String)>,
    severities: Vec<(String, usize)>,
    completion: String,
    open_ages: String,
    as_of: String,
}

fn median_p90(v: &mut [i64]) -> (Option<i64>, Option<i64>) {
    if v.is_empty() {
        return (None, None);
    }
    v.sort_unstable();
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    (Some(at(0.5)), Some(at(0.9)))
}

/// A bar of minutes: its label, the median, "median (p90, n)" and the median alone.
fn median_bar(label: &str, values: &[i64]) -> (String, f64, String, String) {
    let mut xs = values.to_vec();
    let (med, p90) = median_p90(&mut xs);
    let shown = match (med, p90) {
        (Some(a), Some(b)) => format!(
            "{} (p90 {}, n={})",
            render::minutes(a),
            render::minutes(b),
            xs.len()
        ),
        _ => "n=0".into(),
    };
    let short = med.map(render::minutes).unwrap_or_else(|| "n=0".into());
    (label.to_string(), med.unwrap_or(0) as f64, shown, short)
}

fn few(n: usize) -> Option<String> {
    (n < 5).then(|| format!("only {n} values: too few to trust"))
}

/// The insights of everything the viewer may see; cached per viewer for a short while, since
/// they read every record.
pub(crate) struct InsightsData {
    n: usize,
    charts: Vec<BarChart>,
    services: Vec<(String, usize, String, String)>,
    severities: Vec<(String, usize)>,
    actions_total: usize,
    actions_done: usize,
    open_ages: String,
}

fn insights_of(records: &[(debrief_store::Summary, Postmortem)], today: &str) -> InsightsData {
    use std::collections::BTreeMap;
    let mut per_month: BTreeMap<String, (usize, Vec<i64>, Vec<i64>)> = BTreeMap::new();
    let mut per_service: BTreeMap<String, (usize, Vec<i64>, Vec<i64>)> = BTreeMap::new();
    let mut severities: BTreeMap<String, usize> = BTreeMap::new();
    let (mut total, mut done) = (0, 0);
    let mut ages = Vec::new();
    let today_days = debrief_core::time::Date::parse_iso(today).map(|d| d.days_since_epoch());
    for (summary, p) in records {
        let d = debrief_core::metrics::instants(p).durations();
        let month = summary
            .date
            .as_deref()
            .map(|d| d.chars().take(7).collect::<String>())
            .unwrap_or_else(|| "undated".into());
        let detect = d.time_to_detect_minutes.filter(|m| *m >= 0);
        let resolve = d.time_to_resolve_minutes.filter(|m| *m >= 0);
        let e = per_month.entry(month).or_default();
        e.0 += 1;
        e.1.extend(detect);
        e.2.extend(resolve);
        for s in &p.services {
            let e = per_service.entry(s.to_lowercase()).or_default();
            e.0 += 1;
            e.1.extend(detect);
            e.2.extend(resolve);
        }
        *severities
            .entry(p.severity.clone().unwrap_or_else(|| "unset".into()))
            .or_default() += 1;
        for a in &p.action_items {
            total += 1;
            if matches!(a.status, ActionStatus::Done | ActionStatus::WontDo) {
                done += 1;
            } else if let (Some(t), Some(start)) = (
                today_days,
                p.date
                    .as_deref()
                    .and_then(debrief_core::time::Date::parse_iso),
            ) {
                ages.push(t - start.days_since_epoch());
            }
        }
    }
    per_month.remove("undated");
    let months: Vec<_> = per_month.into_iter().rev().take(24).collect::<Vec<_>>();
    let months: Vec<_> = months.into_iter().rev().collect();
    let count_rows: Vec<(String, f64, String, String)> = months
        .iter()
        .map(|(m, (n, _, _))| (m.clone(), *n as f64, n.to_string(), n.to_string()))
        .collect();
    let mut charts = vec![render::bar_chart("Incidents per month", &count_rows, None)];
    for (name, pick) in [
        ("Median time to detect per month", 1usize),
        ("Median time to resolve per month", 2usize),
    ] {
        let mut values = 0;
        let rows: Vec<_> = months
            .iter()
            .map(|(m, v)| {
                let xs = if pick == 1 { &v.1 } else { &v.2 };
                values += xs.len();
                median_bar(m, xs)
            })
            .collect();
        charts.push(render::bar_chart(name, &rows, few(values)));
    }
    // The services with the most incidents, by median time to resolve.
    let mut busiest: Vec<_> = per_service.iter().collect();
    busiest.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
    busiest.truncate(12);
    let fewest = busiest.iter().map(|b| b.1.2.len()).min().unwrap_or(0);
    let rows: Vec<_> = busiest
        .iter()
        .map(|(name, v)| median_bar(name, &v.2))
        .collect();
    if !rows.is_empty() {
        charts.push(render::bar_chart(
            "Median time to resolve by service (the 12 with most incidents)",
            &rows,
            (fewest < 5).then(|| format!("a service has only {fewest} values: too few to trust")),
        ));
    }
    let mut services: Vec<(String, usize, String, String)> = per_service
        .into_iter()
        .map(|(s, (n, mut det, mut res))| {
            let show = |v: &mut Vec<i64>| {
                let k = v.len();
                match median_p90(v) {
                    (Some(a), Some(b)) => format!(
                        "{} / {} (n={k}{})",
                        render::minutes(a),
                        render::minutes(b),
                        if k < 5 { ", too few to trust" } else { "" }
                    ),
                    _ => "no data".into(),
                }
            };
            (s, n, show(&mut det), show(&mut res))
        })
        .collect();
    services.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    services.truncate(20);
    let mut severities: Vec<(String, usize)> = severities.into_iter().collect();
    severities.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let (med, p90) = median_p90(&mut ages);
    InsightsData {
        n: records.len(),
        charts,
        services,
        severities,
        actions_total: total,
        actions_done: done,
        open_ages: match (med, p90) {
            (Some(a), Some(b)) => format!("median {a} days, p90 {b} days (n={})", ages.len()),
            _ => "no open action items with a dated incident".into(),
        },
    }
}

/// How long computed insights are served before they are computed again.
pub(crate) const INSIGHTS_FRESH: std::time::Duration = std::time::Duration::from_secs(30);

pub async fn insights(State(st): State<AppState>, caller: Caller) -> PageResult<Response> {
    let viewer = caller.subject.viewer();
    let key = if viewer.admin {
        "\0admin".to_string()
    } else {
        viewer.name.clone()
    };
    let cached = st.insights.get(&key, INSIGHTS_FRESH);
    let (data, at) = match cached {
        Some(hit) => hit,
        None => {
            let f = Filter {
                viewer: Some(Viewer {
                    name: viewer.name.clone(),
                    admin: viewer.admin,
                }),
                ..Filter::default()
            };
            let records = st.store.records(&f).await?;
            let today = debrief_store::today();
            let data =
                std::sync::Arc::new(st.cpu.run(move || insights_of(&records, &today)).await?);
            st.insights.put(key, std::sync::Arc::clone(&data))
        }
    };
    let d: &InsightsData = &data;
    Ok(html(&InsightsPage {
        chrome: Chrome::of(&caller, "insights"),
        n: d.n,
        charts: d.charts.clone(),
        services: d.services.clone(),
        severities: d.severities.clone(),
        completion: match (d.actions_done * 100).checked_div(d.actions_total) {
            None => "no action items".into(),
            Some(pct) => format!("{pct}% ({} of {})", d.actions_done, d.actions_total),
        },
        open_ages: d.open_ages.clone(),
        as_of: at,
    }))
}

// ---------------------------------------------------------------------------------------------
// Admin

pub struct TokenView {
    id: String,
    user: String,
    label: String,
    created: String,
    expires: String,
    state: &'static str,
}

pub struct AuditView {
    seq: i64,
    at: String,
    actor: String,
    action: String,
    target: String,
    outcome: String,
    remote: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    chrome: Chrome,
    users: Vec<(String, String, String)>,
    tokens: Vec<TokenView>,
    audit: Vec<AuditView>,
    actor: String,
    action: String,
    outcome: String,
    secret: Option<String>,
    message: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct AdminQuery {
    actor: Option<String>,
    action: Option<String>,
    outcome: Option<String>,
}

async fn admin_page(
    st: &AppState,
    caller: &Caller,
    q: AdminQuery,
    secret: Option<String>,
    message: Option<String>,
) -> PageResult<Response> {
    let users = st
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| (u.name, u.role, u.created_at.to_string()))
        .collect();
    let now = debrief_store::now();
    let tokens = st
        .store
        .tokens()
        .await?
        .into_iter()
        .map(|t| TokenView {
            id: t.hash.clone(),
            state: if t.revoked_at.is_some() {
                "revoked"
            } else if t.expires_at.is_some_and(|e| e <= now) {
                "expired"
            } else {
                "active"
            },
            user: t.user,
            label: t.label,
            created: t.created_at.to_string(),
            expires: t
                .expires_at
                .map(|e| e.to_string())
                .unwrap_or_else(|| "never".into()),
        })
        .collect();
    let audit = st
        .store
        .audit_recent(&AuditFilter {
            actor: non_empty(&q.actor),
            action: non_empty(&q.action),
            outcome: non_empty(&q.outcome),
            limit: 200,
        })
        .await?
        .into_iter()
        .map(|r| AuditView {
            seq: r.seq,
            at: r.at.to_string(),
            actor: r.entry.actor,
            action: r.entry.action,
            target: r.entry.target,
            outcome: r.entry.outcome,
            remote: r.entry.remote,
            detail: r.entry.detail,
        })
        .collect();
    Ok(html(&AdminPage {
        chrome: Chrome::of(caller, "admin"),
        users,
        tokens,
        audit,
        actor: q.actor.unwrap_or_default(),
        action: q.action.unwrap_or_default(),
        outcome: q.outcome.unwrap_or_default(),
        secret,
        message,
    }))
}

pub async fn admin(
    State(st): State<AppState>,
    caller: Caller,
    q: Result<ApiQuery<AdminQuery>, ApiError>,
) -> PageResult<Response> {
    admin_page(&st, &caller, q?.0, None, None).await
}

#[derive(Deserialize)]
pub struct UserForm {
    name: String,
    role: String,
    password: Option<String>,
}

pub async fn put_user(
    State(st): State<AppState>,
    caller: Caller,
    f: Result<Form<UserForm>, FormRejection>,
) -> PageResult<Response> {
    let f = form(f)?;
    let name = f.name.trim().to_string();
    let bad = |m: String| Err(PageError(ApiError::new(Kind::BadRequest, m)));
    if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_whitespace) {
        return bad("a user name is 1 to 64 characters without spaces".into());
    }
    if Role::parse(&f.role).is_none() {
        return bad(format!(
            "“{}” is not a role: use viewer, editor or admin",
            f.role
        ));
    }
    let existing = st.store.user(&name).await?;
    let password = f.password.unwrap_or_default();
    let hash = match (&existing, password.is_empty()) {
        (Some(u), true) => u.password_hash.clone(),
        (None, true) => return bad("a new user needs a password (at least 12 characters)".into()),
        (_, false) if password.chars().count() < 12 => {
            return bad("a password has at least 12 characters".into());
        }
        (_, false) => st
            .cpu
            .run(move || auth::hash_password(&password))
            .await?
            .map_err(|e| PageError(ApiError::new(Kind::Internal, e)))?,
    };
    st.store
        .put_user(&debrief_store::User {
            name: name.clone(),
            role: f.role.clone(),
            password_hash: hash,
            created_at: existing.map_or_else(debrief_store::now, |u| u.created_at),
        })
        .await?;
    handlers::audit(
        &st,
        &caller,
        "user.put",
        &name,
        "ok",
        format!("role {}", f.role),
    )
    .await;
    Ok(Redirect::to("/admin#users").into_response())
}

#[derive(Deserialize)]
pub struct TokenForm {
    user: String,
    label: String,
    days: Option<u64>,
}

pub async fn create_token(
    State(st): State<AppState>,
    caller: Caller,
    f: Result<Form<TokenForm>, FormRejection>,
) -> PageResult<Response> {
    let f = form(f)?;
    if st.store.user(f.user.trim()).await?.is_none() {
        return Err(PageError(ApiError::new(
            Kind::BadRequest,
            format!("there is no user “{}”", f.user.trim()),
        )));
    }
    let days = f.days.unwrap_or(90);
    if !(1..=3650).contains(&days) {
        return Err(PageError(ApiError::new(
            Kind::BadRequest,
            "a token lasts 1 to 3,650 days",
        )));
    }
    let label: String = f.label.trim().chars().take(64).collect();
    let (secret, hash) = auth::new_token();
    st.store
        .add_token(
            &hash,
            f.user.trim(),
            if label.is_empty() { "api" } else { &label },
            Some(debrief_store::hours_from_now(days * 24)),
        )
        .await?;
    handlers::audit(&st, &caller, "token.create", f.user.trim(), "ok", label).await;
    admin_page(
        &st,
        &caller,
        AdminQuery::default(),
        Some(secret),
        Some("Copy the token now: it is shown only once.".into()),
    )
    .await
}

#[derive(Deserialize)]
pub struct RevokeForm {
    id: String,
}

pub async fn revoke_token(
    State(st): State<AppState>,
    caller: Caller,
    f: Result<Form<RevokeForm>, FormRejection>,
) -> PageResult<Response> {
    let f = form(f)?;
    let done = st.store.revoke_token(&f.id).await?;
    handlers::audit(
        &st,
        &caller,
        "token.revoke",
        &f.id.chars().take(12).collect::<String>(),
        if done { "ok" } else { "failed" },
        String::new(),
    )
    .await;
    Ok(Redirect::to("/admin#tokens").into_response())
}
