//! The list of postmortems at `/`: search, filters, sorting, pages, counts.

use std::sync::Arc;

use super::*;

#[derive(Deserialize, Default, Clone, PartialEq, Eq, Hash)]
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
    /// The rows shown: the first `shown` of `listed`.
    listed: Arc<Listed>,
    shown: usize,
    total: String,
    first: i64,
    last: i64,
    prev: Option<String>,
    next: Option<String>,
    searching: bool,
    error: Option<String>,
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
    let listed = match text.as_deref().map(SearchQuery::parse) {
        Some(Err(e)) => {
            error = Some(e.to_string());
            Arc::new(Listed::default())
        }
        query => {
            // Kept while the library's generation (read with the caller's session) stays:
            // what the store answers for this viewer and query cannot have changed.
            let key = caller
                .generation
                .map(|g| (g, handlers::viewer_key(&caller.subject.viewer()), q.clone()));
            let rows = async {
                Ok::<_, crate::error::ApiError>(Arc::new(
                    matching(&st, &filter, query.and_then(Result::ok)).await?,
                ))
            };
            match key {
                Some(k) => st.lists.get_or_insert_async(&k, rows).await?,
                None => rows.await?,
            }
        }
    };
    let more = listed.rows.len() as i64 > PAGE_SIZE;
    let shown = listed.rows.len().min(PAGE_SIZE as usize);
    let total = listed.total;
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
        last: first + shown as i64 - 1,
        listed,
        shown,
        prev: (page > 1).then(|| link(page - 1)),
        next: more.then(|| link(page + 1)),
        searching: text.is_some(),
        error,
    }))
}

/// What a list page shows of the library: a page of rows (one more than shown when there are
/// more) and, for a list that is not a search, how many match.
#[derive(Default)]
pub(crate) struct Listed {
    rows: Vec<Row>,
    total: i64,
}

async fn matching(
    st: &AppState,
    filter: &Filter,
    search: Option<SearchQuery>,
) -> crate::error::ApiResult<Listed> {
    let mut listed = Listed::default();
    if let Some(query) = search {
        for h in st.store.search(&query, filter).await? {
            listed.rows.push(Row {
                id: h.id,
                title: title_or(h.title, h.date.as_deref()),
                date: h.date.unwrap_or_default(),
                severity: String::new(),
                status: String::new(),
                services: String::new(),
                snippet: marked(&h.snippet),
            });
        }
        return Ok(listed);
    }
    let (count, list) = tokio::join!(st.store.count(filter, COUNT_UP_TO), st.store.list(filter));
    listed.total = count?;
    for s in list? {
        listed.rows.push(Row {
            id: s.id,
            title: title_or(s.title, s.date.as_deref()),
            date: s.date.unwrap_or_default(),
            severity: s.severity.unwrap_or_default(),
            status: s.status.unwrap_or_default(),
            services: s.services.join(", "),
            snippet: Vec::new(),
        });
    }
    Ok(listed)
}
