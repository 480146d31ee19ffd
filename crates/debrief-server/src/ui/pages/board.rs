//! The action items of every postmortem a viewer may read.

use super::*;

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    show: Option<String>,
    owner: Option<String>,
    service: Option<String>,
    sort: Option<String>,
    /// Where the page starts (a cursor from the page before).
    after: Option<String>,
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
    total: String,
    overdue: String,
    any_overdue: bool,
    back: String,
    /// The first page, when this is a later one.
    first: Option<String>,
    next: Option<String>,
}

pub async fn board(
    State(st): State<AppState>,
    caller: Caller,
    q: Result<ApiQuery<BoardQuery>, ApiError>,
) -> PageResult<Response> {
    let ApiQuery(q) = q?;
    let show = q.show.clone().unwrap_or_else(|| "open".into());
    let today = debrief_store::today();
    let order = q
        .sort
        .as_deref()
        .and_then(ActionOrder::parse)
        .unwrap_or_default();
    let after = match non_empty(&q.after) {
        Some(c) => Some(
            ActionCursor::decode(&c)
                .map_err(|_| {
                    ApiError::new(
                        Kind::BadRequest,
                        "This page link is damaged or from another list; open the first page of action items again.",
                    )
                })?,
        ),
        None => None,
    };
    let f = ActionFilter {
        open: show != "all",
        overdue: show == "overdue",
        owner: non_empty(&q.owner),
        service: non_empty(&q.service),
        viewer: Some(caller.subject.viewer()),
        today: today.clone(),
        order,
        limit: Some(BOARD_PAGE),
        after,
    };
    let overdue_only = ActionFilter {
        overdue: true,
        ..f.clone()
    };
    let (page, total, overdue) = tokio::try_join!(
        st.store.action_items(&f),
        st.store.count_action_items(&f, COUNT_UP_TO),
        st.store.count_action_items(&overdue_only, COUNT_UP_TO),
    )?;
    let shown = |n: i64| {
        if n >= COUNT_UP_TO {
            format!("more than {}", COUNT_UP_TO - 1)
        } else {
            n.to_string()
        }
    };
    let mut rows = Vec::new();
    for a in page.items {
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
    let mut first = format!("/actions?show={}", url_encode(&show));
    for (k, v) in [
        ("owner", &q.owner),
        ("service", &q.service),
        ("sort", &q.sort),
    ] {
        if let Some(v) = non_empty(v) {
            first.push_str(&format!("&{k}={}", url_encode(&v)));
        }
    }
    let back = match non_empty(&q.after) {
        Some(c) => format!("{first}&after={}", url_encode(&c)),
        None => first.clone(),
    };
    Ok(html(&BoardPage {
        chrome: Chrome::of(&caller, "actions"),
        owner: q.owner.unwrap_or_default(),
        service: q.service.unwrap_or_default(),
        sort: q.sort.unwrap_or_default(),
        show,
        rows,
        total: shown(total),
        overdue: shown(overdue),
        any_overdue: overdue > 0,
        next: page
            .next
            .map(|c| format!("{first}&after={}", url_encode(&c.encode()))),
        first: q.after.is_some().then_some(first),
        back,
    }))
}
