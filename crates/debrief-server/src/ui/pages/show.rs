//! One postmortem: its page (computed once per revision and day), exports, the action-item toggle, access, revisions and their differences.

use super::*;

pub struct Block {
    heading: String,
    anchor: String,
    html: String,
    kind: &'static str,
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
    /// Entries kept but not shown (chat messages that mark no event, entries hidden by hand).
    hidden: usize,
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
    // The look-up that checks visibility also names the current revision: a page shown
    // before for that revision (and day) needs nothing more from the store.
    let (id, head) = handlers::seen(&st, &caller, id).await?;
    let today = debrief_store::today();
    let (shown, revision, restricted) = match st.shown.get(&id, head.revision, &today) {
        Some(shown) => (shown, head.revision, head.restricted),
        None => {
            let s = st.store.get(&id).await?;
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
            (shown, s.revision.number, s.row.restricted)
        }
    };
    let (restricted, members) = if caller.subject.role() == Some(Role::Admin) {
        let (r, m) = st.store.access(&id).await?;
        (r, m.join(", "))
    } else {
        (restricted, String::new())
    };
    Ok(html(&ShowPage {
        chrome: Chrome::of(&caller, "list"),
        revision,
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
    let entries = entry_views(p, |line| take_at(&mut pool, line));
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
        updated: render::when(&revision.created_at),
        author: revision.author.clone(),
        cards: render::cards(p),
        chart: render::timeline_chart(p),
        general: pool,
        blocks,
        entries,
        hidden: p.timeline.iter().filter(|e| e.hidden).count(),
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
            debrief_core::export::to_markdown_identified(&s.record, &id, s.revision.number),
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
    let done = f.done == "true";
    let changed = handlers::change_record(
        &st,
        &caller,
        &id,
        f.base,
        |p| {
            let i = handlers::index(n, p.action_items.len(), "action item")?;
            p.action_items[i].status = if done {
                ActionStatus::Done
            } else {
                ActionStatus::Open
            };
            Ok(if done {
                "action.close"
            } else {
                "action.reopen"
            })
        },
        "the web UI",
    )
    .await;
    match changed {
        Ok(_) => Ok(
            Redirect::to(&local(f.back.as_deref(), format!("/p/{id}#action-{n}"))).into_response(),
        ),
        Err(e) if e.kind == Kind::PreconditionFailed => Err(PageError(ApiError::new(
            Kind::PreconditionFailed,
            format!(
                "this postmortem changed since the page was loaded (it is at revision {}); go back, reload the page and try again",
                e.current_revision.unwrap_or_default()
            ),
        ))),
        Err(e) => Err(e.into()),
    }
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
    // The store checks the names (existing users, at most 1,000) and says what is wrong.
    let members: Vec<String> = f
        .members
        .split([',', '\n'])
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(String::from)
        .collect();
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

pub struct RevisionView {
    number: i64,
    author: String,
    at: String,
    message: String,
}

#[derive(Template)]
#[template(path = "revisions.html")]
struct RevisionsPage {
    chrome: Chrome,
    id: String,
    title: String,
    revisions: Vec<RevisionView>,
    /// The newest page, when this is an older one.
    newer: Option<String>,
    older: Option<String>,
    from: i64,
    to: i64,
    diff: Vec<DiffRow>,
}

/// Revisions per page of a postmortem's history.
const REVISIONS_PAGE: i64 = 100;

#[derive(Deserialize, Default)]
pub struct DiffQuery {
    from: Option<i64>,
    to: Option<i64>,
    /// The history lists the revisions numbered below this (older pages).
    before: Option<i64>,
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
    let mut history = st
        .store
        .revisions(&id, q.before, REVISIONS_PAGE + 1)
        .await?;
    let older = (history.len() as i64 > REVISIONS_PAGE).then(|| {
        history.truncate(REVISIONS_PAGE as usize);
        format!(
            "/p/{id}/revisions?before={}",
            history.last().map_or(1, |r| r.number)
        )
    });
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
        newer: q.before.map(|_| format!("/p/{id}/revisions")),
        older,
        revisions: history
            .into_iter()
            .map(|r| RevisionView {
                number: r.number,
                author: r.author,
                at: render::when(&r.created_at),
                message: r.message,
            })
            .collect(),
        from,
        to,
        diff,
        id,
    }))
}
