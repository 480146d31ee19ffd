//! Writing: the editor with its live review, new postmortems from templates, conflicts, and the import page.

use super::*;

pub struct ReviewView {
    findings: Vec<FindingView>,
    preview: String,
    errors: usize,
    warnings: usize,
}

async fn review_of(st: &AppState, text: &str) -> PageResult<ReviewView> {
    let reviewed = handlers::review(st, text).await?;
    let preview = render::document(&debrief_core::export::to_markdown(&reviewed.record));
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

impl EditPage {
    /// The editor of postmortem `id`, from revision `base`.
    fn of(caller: &Caller, id: &str, base: i64, text: String, review: ReviewView) -> EditPage {
        EditPage {
            chrome: Chrome::of(caller, "list"),
            heading: "Edit".into(),
            action: format!("/p/{id}/edit"),
            id: Some(id.to_string()),
            base,
            text,
            draft_key: format!("draft:{id}"),
            review,
            conflict: None,
            templates: Vec::new(),
            message: None,
        }
    }

    /// The editor of a new postmortem; its draft is kept under `draft_key`.
    fn new_one(caller: &Caller, draft_key: String, text: String, review: ReviewView) -> EditPage {
        EditPage {
            chrome: Chrome::of(caller, "new"),
            heading: "New postmortem".into(),
            action: "/new".into(),
            id: None,
            base: 0,
            text,
            draft_key,
            review,
            conflict: None,
            templates: Vec::new(),
            message: None,
        }
    }
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
    let review = review_of(&st, &text).await?;
    let mut page = EditPage::of(&caller, &id, s.revision.number, text, review);
    page.heading = format!(
        "Edit: {}",
        title_or(s.record.title.clone(), s.record.date.as_deref())
    );
    Ok(html(&page))
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
        conflict,
        message,
        ..EditPage::of(&caller, &id, base, f.text.clone(), review)
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
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/new/sre.md")),
    ),
    (
        "narrative",
        "Narrative with timeline",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/templates/new/narrative.md"
        )),
    ),
    (
        "minor",
        "Short, for a minor incident",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/templates/new/minor.md"
        )),
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
    let review = review_of(&st, &text).await?;
    let mut page = EditPage::new_one(&caller, format!("draft:new:{key}"), text, review);
    page.templates = TEMPLATES
        .iter()
        .map(|(k, name, _)| (*k, *name, *k == key))
        .collect();
    Ok(html(&page))
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
        let review = review_of(&st, &f.text).await?;
        let mut page = EditPage::new_one(&caller, "draft:new".into(), f.text, review);
        page.message = message.clone();
        let mut r = html(&page);
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
        entries: entry_views(p, |_| Vec::new()),
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
