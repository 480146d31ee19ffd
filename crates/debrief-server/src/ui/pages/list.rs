//! The list of postmortems at `/`: search, filters, sorting, pages, counts.

use std::sync::Arc;

use debrief_store::{FacetCount, Facets};

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
    facets: Vec<FacetGroup>,
    /// What the facets counted, when not every match: "the 1,000 most recently added".
    sampled: Option<String>,
}

/// A facet beside the results: its values as links that narrow the list to them (or, for the
/// value already chosen, widen it again).
struct FacetGroup {
    name: &'static str,
    values: Vec<FacetLink>,
}

struct FacetLink {
    label: String,
    count: i64,
    href: String,
    chosen: bool,
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
    let link = |page: i64| href(&q, order, &[("page", Some(page.to_string()))]);
    let first = (page - 1) * PAGE_SIZE + 1;
    let facets = facet_groups(&q, order, &listed.facets);
    let sampled = listed
        .facets
        .sampled
        .then(|| format!("{} most recently added", listed.facets.counted));
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
        facets,
        sampled,
    }))
}

/// The list's address with its query, filters and order, `set` replacing (or, with `None`,
/// removing) some of them; the first page unless `set` names one.
fn href(q: &ListQuery, order: ListOrder, set: &[(&str, Option<String>)]) -> String {
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
        let v = match set.iter().find(|(name, _)| *name == k) {
            Some((_, chosen)) => chosen.clone(),
            None => non_empty(v),
        };
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={}", url_encode(&v)));
        }
    }
    if order != ListOrder::Newest {
        parts.push(format!("sort={}", order.as_str()));
    }
    if let Some((_, Some(page))) = set.iter().find(|(name, _)| *name == "page") {
        parts.push(format!("page={page}"));
    }
    format!("/?{}", parts.join("&"))
}

/// The facets as links: a value narrows the list to it, the chosen value clears its filter.
fn facet_groups(q: &ListQuery, order: ListOrder, facets: &Facets) -> Vec<FacetGroup> {
    let same = |chosen: &Option<String>, value: &str| {
        non_empty(chosen).is_some_and(|c| c.eq_ignore_ascii_case(value))
    };
    let one =
        |name: &'static str, chosen: &Option<String>, key: &'static str, values: &[FacetCount]| {
            FacetGroup {
                name,
                values: values
                    .iter()
                    .map(|c| {
                        let chosen = same(chosen, &c.value);
                        FacetLink {
                            label: c.label.clone(),
                            count: c.count,
                            href: href(q, order, &[(key, (!chosen).then(|| c.value.clone()))]),
                            chosen,
                        }
                    })
                    .collect(),
            }
        };
    let years = FacetGroup {
        name: "Year",
        values: facets
            .years
            .iter()
            .map(|c| {
                let (from, to) = (format!("{}-01-01", c.value), format!("{}-12-31", c.value));
                let chosen = same(&q.from, &from) && same(&q.to, &to);
                let (from, to) = if chosen {
                    (None, None)
                } else {
                    (Some(from), Some(to))
                };
                FacetLink {
                    label: c.label.clone(),
                    count: c.count,
                    href: href(q, order, &[("from", from), ("to", to)]),
                    chosen,
                }
            })
            .collect(),
    };
    [
        one("Severity", &q.severity, "severity", &facets.severities),
        one("Service", &q.service, "service", &facets.services),
        years,
    ]
    .into_iter()
    .filter(|g| !g.values.is_empty())
    .collect()
}

/// What a list page shows of the library: a page of rows (one more than shown when there are
/// more) and, for a list that is not a search, how many match.
#[derive(Default)]
pub(crate) struct Listed {
    rows: Vec<Row>,
    total: i64,
    facets: Facets,
}

async fn matching(
    st: &AppState,
    filter: &Filter,
    search: Option<SearchQuery>,
) -> crate::error::ApiResult<Listed> {
    let mut listed = Listed::default();
    if let Some(query) = search {
        let (hits, facets) = tokio::join!(
            st.store.search(&query, filter),
            st.store.facets(Some(&query), filter)
        );
        listed.facets = facets?;
        for h in hits? {
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
    let (count, list, facets) = tokio::join!(
        st.store.count(filter, COUNT_UP_TO),
        st.store.list(filter),
        st.store.facets(None, filter)
    );
    listed.total = count?;
    listed.facets = facets?;
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
