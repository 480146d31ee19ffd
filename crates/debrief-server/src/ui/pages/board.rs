//! The action items of every postmortem a viewer may read.

use super::*;

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
    let mut items = st.store.action_items(&f).await?;
    let total = items.len();
    let overdue_count = items
        .iter()
        .filter(|a| {
            matches!(a.status.as_str(), "open" | "in_progress")
                && debrief_store::is_overdue(a.due.as_deref(), &today)
        })
        .count();
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
    let mut rows = Vec::new();
    for a in items {
        let base = a.revision;
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
