//! What each route does. [`run`] is the one entry point from the router: the layers of
//! [`crate::pipeline`] have already authenticated and authorised the caller and bounded the
//! request; `run` dispatches on the route's [`Op`] and turns every error into a problem response.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use debrief_core::lint::{self, Config};
use debrief_core::{Postmortem, TimelineEntry, metrics as pm_metrics};
use debrief_store::{ActionFilter, AuditEntry, Filter, NewDocument, Outcome, Store};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::api;
use crate::auth::{self, Subject};
use crate::error::{ApiError, ApiResult, Kind};
use crate::limits::too_many;
use crate::pipeline::Caller;
use crate::routes::{Op, Route};

/// Largest `offset` of a page: deeper pages are reached by narrowing the filters.
pub const MAX_OFFSET: i64 = 1_000_000;

/// The request as handlers see it.
pub struct Ctx<'a> {
    pub st: &'a AppState,
    pub subject: Subject,
    pub remote: String,
    pub params: HashMap<String, String>,
    pub headers: HeaderMap,
    pub query: Option<String>,
    /// The body, read up to the pipeline's limit (an error when it was larger or unreadable).
    pub body: Option<ApiResult<Bytes>>,
    pub route: &'static Route,
}

impl Ctx<'_> {
    fn store(&self) -> &dyn Store {
        self.st.store.as_ref()
    }

    fn param(&self, name: &str) -> &str {
        self.params.get(name).map_or("", String::as_str)
    }

    fn audit_entry(&self, action: &str, target: &str, outcome: &str, detail: String) -> AuditEntry {
        AuditEntry {
            actor: self.subject.name().to_string(),
            action: action.to_string(),
            target: target.to_string(),
            outcome: outcome.to_string(),
            remote: self.remote.clone(),
            detail,
        }
    }

    async fn audit(&self, action: &str, target: &str, outcome: &str, detail: String) {
        let e = self.audit_entry(action, target, outcome, detail);
        if let Err(err) = self.store().audit(&e).await {
            tracing::error!(error = %err, action, "audit append failed");
        }
    }

    fn query<T: DeserializeOwned>(&self) -> ApiResult<T> {
        let q = self.query.as_deref().unwrap_or("");
        serde_urlencoded_parse(q)
    }

    fn bytes(&mut self) -> ApiResult<Bytes> {
        self.body
            .take()
            .unwrap_or_else(|| Err(ApiError::new(Kind::BadRequest, "the body was already read")))
    }

    fn content_type(&self) -> String {
        self.headers
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

    async fn json<T: DeserializeOwned>(&mut self) -> ApiResult<T> {
        let ct = self.content_type();
        if ct != "application/json" {
            return Err(ApiError::new(
                Kind::UnsupportedMediaType,
                format!(
                    "send application/json (got {})",
                    if ct.is_empty() {
                        "no content type"
                    } else {
                        &ct
                    }
                ),
            ));
        }
        let bytes = self.bytes()?;
        serde_json::from_slice(&bytes).map_err(|e| {
            ApiError::new(Kind::BadRequest, format!("the JSON body is not valid: {e}"))
        })
    }

    /// A postmortem document: its JSON record, or Markdown or plain text for the importer.
    async fn document(&mut self) -> ApiResult<String> {
        let ct = self.content_type();
        let bytes = self.bytes()?;
        match ct.as_str() {
            "application/json" => {
                let record: Postmortem = serde_json::from_slice(&bytes).map_err(|e| {
                    ApiError::new(
                        Kind::BadRequest,
                        format!("the JSON body is not a postmortem record: {e}"),
                    )
                })?;
                Ok(debrief_core::export::to_markdown(&record))
            }
            "text/markdown" | "text/plain" | "text/x-markdown" => String::from_utf8(bytes.to_vec())
                .map_err(|e| {
                    ApiError::new(
                        Kind::BadRequest,
                        format!(
                            "the document is not valid UTF-8 (byte {})",
                            e.utf8_error().valid_up_to()
                        ),
                    )
                }),
            other => Err(ApiError::new(
                Kind::UnsupportedMediaType,
                format!(
                    "send application/json (a postmortem record), text/markdown or text/plain (got {})",
                    if other.is_empty() {
                        "no content type"
                    } else {
                        other
                    }
                ),
            )),
        }
    }

    /// The postmortem named in the path, if this subject may see it; 404 otherwise, exactly as
    /// if it did not exist. Both cases run the same two look-ups and the denial is audited off
    /// the response path, so response times do not tell a restricted postmortem from a missing
    /// one.
    async fn visible_id(&self) -> ApiResult<String> {
        let id = self.param("id").to_string();
        let admin = debrief_store::Viewer {
            name: String::new(),
            admin: true,
        };
        let viewer = self.subject.viewer();
        let (visible, exists) = tokio::join!(
            self.store().visible(&id, &viewer),
            self.store().visible(&id, &admin)
        );
        if visible? {
            return Ok(id);
        }
        if exists? {
            let st = self.st.clone();
            let e = self.audit_entry("read.denied", &id, "denied", "restricted postmortem".into());
            tokio::spawn(async move {
                if let Err(err) = st.store.audit(&e).await {
                    tracing::error!(error = %err, "audit append failed");
                }
            });
        }
        Err(ApiError::no_postmortem())
    }

    fn if_match(&self) -> ApiResult<i64> {
        let Some(v) = self.headers.get(header::IF_MATCH) else {
            return Err(ApiError::new(
                Kind::PreconditionRequired,
                "send If-Match with the revision (ETag) you started from, for example If-Match: \"3\"",
            ));
        };
        let s = v.to_str().unwrap_or("").trim();
        let s = s.strip_prefix("W/").unwrap_or(s).trim_matches('"');
        s.parse::<i64>().map_err(|_| {
            ApiError::new(
                Kind::BadRequest,
                format!("If-Match must be a revision number such as \"3\", not {s:?}"),
            )
        })
    }
}

fn serde_urlencoded_parse<T: DeserializeOwned>(q: &str) -> ApiResult<T> {
    let uri: axum::http::Uri = format!("/?{q}")
        .parse()
        .map_err(|_| ApiError::new(Kind::BadRequest, "the query string is not valid"))?;
    axum::extract::Query::<T>::try_from_uri(&uri)
        .map(|q| q.0)
        .map_err(|e| {
            ApiError::new(
                Kind::BadRequest,
                format!("the query is not valid: {}", e.body_text()),
            )
        })
}

fn json_response<T: serde::Serialize>(status: StatusCode, body: &T) -> Response {
    let mut r = (status, axum::Json(body)).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn etag(mut r: Response, revision: i64) -> Response {
    if let Ok(v) = HeaderValue::from_str(&format!("\"{revision}\"")) {
        r.headers_mut().insert(header::ETAG, v);
    }
    r
}

/// Runs one request against its route.
pub async fn run(
    st: AppState,
    route: &'static Route,
    caller: Caller,
    params: HashMap<String, String>,
    headers: HeaderMap,
    query: Option<String>,
    body: ApiResult<Bytes>,
) -> Response {
    let mut ctx = Ctx {
        st: &st,
        subject: caller.subject,
        remote: caller.remote,
        params,
        headers,
        query,
        body: Some(body),
        route,
    };
    match dispatch(&mut ctx).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn dispatch(c: &mut Ctx<'_>) -> ApiResult<Response> {
    match c.route.op {
        Op::Health => health(c).await,
        Op::Metrics => Ok(c.st.metrics.render(c.store()).await),
        Op::OpenApi => Ok(json_response(StatusCode::OK, &crate::openapi::document())),
        Op::Login => login(c).await,
        Op::List => list(c).await,
        Op::Create => create(c).await,
        Op::Get => get(c).await,
        Op::Update => update(c).await,
        Op::Delete => delete(c).await,
        Op::Revisions => revisions(c).await,
        Op::Revision => revision(c).await,
        Op::Diff => diff(c).await,
        Op::AddTimeline | Op::EditTimeline | Op::AddAction | Op::EditAction => edit(c).await,
        Op::Actions => actions(c).await,
        Op::Search => search(c).await,
        Op::Lint => lint_document(c).await,
        Op::Findings => findings(c).await,
        Op::PostmortemMetrics => postmortem_metrics(c).await,
        Op::Stats => stats(c).await,
        Op::GetAccess => get_access(c).await,
        Op::SetAccess => set_access(c).await,
    }
}

async fn health(c: &Ctx<'_>) -> ApiResult<Response> {
    let probe = debrief_store::Viewer {
        name: String::new(),
        admin: true,
    };
    c.store().visible("-", &probe).await?;
    if let Err(reason) = c.st.write_probe.check(c.store()).await {
        tracing::error!(error = %reason, "health: the database cannot be written");
        let mut e = ApiError::new(
            Kind::Unavailable,
            "the database can be read but not written (a full disk, a read-only file or a server that went away; the server log says which); writes resume by themselves once it is fixed",
        );
        e.retry_after = Some(5);
        return Err(e);
    }
    let age = c
        .store()
        .last_audit("backup.drill")
        .await?
        .and_then(|r| seconds_since(&r.at));
    Ok(json_response(
        StatusCode::OK,
        &api::Health {
            status: "ok".into(),
            database: "reachable".into(),
            last_verified_backup_age_seconds: age,
        },
    ))
}

/// Seconds from an RFC 3339 UTC time (as the store writes them) to now.
fn seconds_since(at: &str) -> Option<i64> {
    let date = debrief_core::time::Date::parse_iso(at.get(..10)?)?;
    let h: i64 = at.get(11..13)?.parse().ok()?;
    let m: i64 = at.get(14..16)?.parse().ok()?;
    let s: i64 = at.get(17..19)?.parse().ok()?;
    let then = date.days_since_epoch() * 86_400 + h * 3600 + m * 60 + s;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs() as i64;
    Some(now - then)
}

/// Longest user name a login may give; longer ones cannot exist.
const MAX_NAME: usize = 128;

async fn login(c: &mut Ctx<'_>) -> ApiResult<Response> {
    let body: api::Login = c.json().await?;
    // Limits first, so guessing costs the guesser: per address, and per user name.
    c.st.login_by_address
        .take(&c.remote)
        .map_err(|wait| too_many("sign-in attempts from this address", wait))?;
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(ApiError::new(
            Kind::Unauthenticated,
            "wrong name or password",
        ));
    }
    c.st.login_by_user
        .take(&debrief_store::label(name))
        .map_err(|wait| too_many("sign-in attempts for this user", wait))?;
    let user = c.store().user(name).await?;
    // An unknown name is checked against a stand-in hash, so it takes as long as a wrong
    // password and timing does not tell which names exist.
    let phc = user.as_ref().map(|u| u.password_hash.clone());
    let password = body.password;
    let matches =
        c.st.cpu
            .run(move || {
                let stand_in = auth::stand_in_hash();
                auth::verify_password(&password, phc.as_deref().unwrap_or(stand_in))
            })
            .await?;
    let Some(user) = user.filter(|_| matches) else {
        c.subject = Subject::Anonymous;
        c.audit("login", name, "denied", "wrong name or password".into())
            .await;
        return Err(ApiError::new(
            Kind::Unauthenticated,
            "wrong name or password",
        ));
    };
    let (secret, hash) = auth::new_token();
    let expires = debrief_store::hours_from_now(12);
    c.store()
        .add_token(&hash, &user.name, "login", Some(&expires))
        .await?;
    c.subject = Subject::of(&user);
    c.audit("login", &user.name, "ok", String::new()).await;
    Ok(json_response(
        StatusCode::CREATED,
        &api::Session {
            token: secret,
            expires_at: expires,
        },
    ))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FilterQuery {
    status: Option<String>,
    severity: Option<String>,
    service: Option<String>,
    tag: Option<String>,
    from: Option<String>,
    to: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
    q: Option<String>,
}

impl FilterQuery {
    fn filter(self, subject: &Subject) -> ApiResult<Filter> {
        for (name, v) in [("from", &self.from), ("to", &self.to)] {
            if let Some(d) = v
                && debrief_core::time::Date::parse_iso(d).is_none()
            {
                return Err(ApiError::new(
                    Kind::BadRequest,
                    format!("{name}={d}: write the date as YYYY-MM-DD"),
                ));
            }
        }
        let limit = self.limit.unwrap_or(50);
        if !(1..=500).contains(&limit) {
            return Err(ApiError::new(
                Kind::BadRequest,
                "limit must be between 1 and 500",
            ));
        }
        if self.offset.is_some_and(|o| !(0..=MAX_OFFSET).contains(&o)) {
            return Err(ApiError::new(
                Kind::BadRequest,
                format!("offset must be between 0 and {MAX_OFFSET}; narrow the list with filters"),
            ));
        }
        Ok(Filter {
            status: self.status,
            severity: self.severity,
            service: self.service,
            tag: self.tag,
            from: self.from,
            to: self.to,
            limit: Some(limit),
            offset: self.offset,
            viewer: Some(subject.viewer()),
        })
    }
}

async fn list(c: &Ctx<'_>) -> ApiResult<Response> {
    let q: FilterQuery = c.query()?;
    if q.q.is_some() {
        return Err(ApiError::new(
            Kind::BadRequest,
            "use /api/v1/search?q= to search",
        ));
    }
    let f = q.filter(&c.subject)?;
    let (limit, offset) = (f.limit.unwrap_or(50), f.offset.unwrap_or(0));
    let items = c.store().list(&f).await?;
    let next = (items.len() as i64 == limit).then_some(offset + limit);
    Ok(json_response(
        StatusCode::OK,
        &api::Page {
            items,
            limit,
            offset,
            next_offset: next,
        },
    ))
}

/// Review findings, on the CPU pool.
async fn findings_of(c: &Ctx<'_>, text: String) -> ApiResult<Vec<lint::Finding>> {
    c.st.cpu
        .run(move || lint::lint(&text, &Config::default()))
        .await
}

async fn saved_response(
    c: &Ctx<'_>,
    status: StatusCode,
    s: &debrief_store::Saved,
    text: String,
) -> ApiResult<Response> {
    // One parse serves the record, its findings and its metrics.
    let (record, findings) =
        c.st.cpu
            .run(move || {
                let parsed = debrief_core::parse(&text);
                let findings = lint::check(&text, &parsed, &Config::default());
                (parsed.postmortem, findings)
            })
            .await?;
    let body = api::Saved {
        id: s.id.clone(),
        revision: s.revision,
        outcome: match s.outcome {
            Outcome::Created => "created",
            Outcome::Updated => "updated",
            Outcome::Unchanged => "unchanged",
            Outcome::Deleted => "deleted",
        }
        .into(),
        findings,
        metrics: pm_metrics::report(None, &record),
        postmortem: record,
    };
    let mut r = etag(json_response(status, &body), s.revision);
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/postmortems/{}", s.id)) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

async fn create(c: &mut Ctx<'_>) -> ApiResult<Response> {
    let text = c.document().await?;
    let doc = NewDocument {
        source: None,
        text: text.clone(),
        author: c.subject.name().into(),
        message: "created through the API".into(),
    };
    let s = c.store().create(&doc).await?;
    c.audit(
        "postmortem.create",
        &s.id,
        "ok",
        format!("revision {}", s.revision),
    )
    .await;
    saved_response(c, StatusCode::CREATED, &s, text).await
}

async fn get(c: &Ctx<'_>) -> ApiResult<Response> {
    let id = c.visible_id().await?;
    let s = c.store().get(&id).await?;
    let body = api::PostmortemResource {
        id: s.row.id,
        revision: s.revision.number,
        source: s.row.source,
        created_at: s.row.created_at,
        updated_at: s.revision.created_at,
        updated_by: s.revision.author,
        restricted: s.row.restricted,
        record: s.record,
    };
    Ok(etag(
        json_response(StatusCode::OK, &body),
        s.revision.number,
    ))
}

async fn save_revision(
    c: &Ctx<'_>,
    id: &str,
    base: i64,
    text: String,
    action: &str,
) -> ApiResult<Response> {
    let doc = NewDocument {
        source: None,
        text: text.clone(),
        author: c.subject.name().into(),
        message: format!("{action} through the API"),
    };
    match c.store().update(id, base, &doc).await {
        Ok(s) => {
            c.audit(
                action,
                id,
                "ok",
                format!("revision {} from {base}", s.revision),
            )
            .await;
            saved_response(c, StatusCode::OK, &s, text).await
        }
        Err(e) => {
            c.audit(action, id, "failed", e.to_string()).await;
            Err(e.into())
        }
    }
}

async fn update(c: &mut Ctx<'_>) -> ApiResult<Response> {
    let id = c.visible_id().await?;
    let base = c.if_match()?;
    let text = c.document().await?;
    save_revision(c, &id, base, text, "postmortem.update").await
}

async fn delete(c: &Ctx<'_>) -> ApiResult<Response> {
    let id = c.visible_id().await?;
    c.store().delete(&id, c.subject.name()).await?;
    c.audit("postmortem.delete", &id, "ok", String::new()).await;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn revisions(c: &Ctx<'_>) -> ApiResult<Response> {
    let id = c.visible_id().await?;
    let revs = c.store().revisions(&id).await?;
    let list = api::RevisionList {
        revisions: revs
            .into_iter()
            .map(|r| api::RevisionInfo {
                number: r.number,
                author: r.author,
                created_at: r.created_at,
                message: r.message,
                sha256: r.sha256,
            })
            .collect(),
    };
    Ok(json_response(StatusCode::OK, &list))
}

fn number(c: &Ctx<'_>, name: &str) -> ApiResult<i64> {
    c.param(name)
        .parse::<i64>()
        .ok()
        .filter(|n| *n >= 0)
        .ok_or_else(|| {
            ApiError::new(
                Kind::NotFound,
                format!("{name} must be a number, not {:?}", c.param(name)),
            )
        })
}

async fn revision(c: &Ctx<'_>) -> ApiResult<Response> {
    let id = c.visible_id().await?;
    let n = number(c, "number")?;
    let r = c.store().revision(&id, n).await?;
    Ok(json_response(
        StatusCode::OK,
        &api::RevisionContent {
            number: r.number,
            author: r.author,
            created_at: r.created_at,
            message: r.message,
            sha256: r.sha256,
            content: r.content,
        },
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DiffQuery {
    from: i64,
    to: i64,
}

async fn diff(c: &Ctx<'_>) -> ApiResult<Response> {
    let id = c.visible_id().await?;
    let q: DiffQuery = c.query()?;
    let a = c.store().revision(&id, q.from).await?;
    let b = c.store().revision(&id, q.to).await?;
    let lines =
        c.st.cpu
            .run(move || crate::diff::lines(&a.content, &b.content))
            .await?;
    Ok(json_response(
        StatusCode::OK,
        &api::Diff {
            from: q.from,
            to: q.to,
            lines,
        },
    ))
}

fn parse_stamp(s: &str) -> ApiResult<debrief_core::time::Stamp> {
    debrief_core::time::parse_canonical(s).ok_or_else(|| {
        ApiError::new(
            Kind::Unprocessable,
            format!("`{s}` is not a time; write it as `2024-04-03 11:02 UTC` or `11:02`"),
        )
    })
}

fn index(c: &Ctx<'_>, len: usize, what: &str) -> ApiResult<usize> {
    let n = number(c, "index")? as usize;
    if n >= len {
        return Err(ApiError::new(
            Kind::NotFound,
            format!("there is no {what} {n} (there are {len}, numbered from 0)"),
        ));
    }
    Ok(n)
}

/// Timeline entries and action items: read the record, change it, save a revision.
async fn edit(c: &mut Ctx<'_>) -> ApiResult<Response> {
    let id = c.visible_id().await?;
    let base = c.if_match()?;
    let current = c.store().get(&id).await?;
    if current.revision.number != base {
        return Err(ApiError::from(debrief_store::StoreError::Conflict {
            id,
            base,
            current: current.revision.number,
        }));
    }
    let mut p = current.record;
    let action = match c.route.op {
        Op::AddTimeline => {
            let input: api::TimelineInput = c.json().await?;
            let at = input.at.as_deref().map(parse_stamp).transpose()?;
            let kind = input
                .kind
                .unwrap_or_else(|| debrief_core::import::classify_entry(&input.text));
            p.timeline.push(TimelineEntry {
                at,
                text: input.text,
                kind,
                line: 0,
            });
            p.timeline.sort_by_key(|e| {
                e.at.as_ref()
                    .and_then(debrief_core::time::Stamp::sort_key)
                    .unwrap_or(i64::MAX)
            });
            "timeline.add"
        }
        Op::EditTimeline => {
            let patch: api::TimelinePatch = c.json().await?;
            let n = index(c, p.timeline.len(), "timeline entry")?;
            let e = &mut p.timeline[n];
            if let Some(at) = patch.at.as_deref() {
                e.at = Some(parse_stamp(at)?);
            }
            if let Some(t) = patch.text {
                e.text = t;
            }
            if let Some(k) = patch.kind {
                e.kind = k;
            }
            "timeline.edit"
        }
        Op::AddAction => {
            let input: api::ActionInput = c.json().await?;
            let kind = debrief_core::import::classify_action(&input.text);
            p.action_items.push(debrief_core::ActionItem {
                text: input.text,
                owner: input.owner,
                due: input.due,
                status: input.status.unwrap_or_default(),
                kind,
                tracker: None,
                line: 0,
            });
            "action.add"
        }
        _ => {
            let patch: api::ActionPatch = c.json().await?;
            let n = index(c, p.action_items.len(), "action item")?;
            let a = &mut p.action_items[n];
            if let Some(t) = patch.text {
                a.text = t;
            }
            if patch.owner.is_some() {
                a.owner = patch.owner;
            }
            if patch.due.is_some() {
                a.due = patch.due;
            }
            if let Some(s) = patch.status {
                a.status = s;
            }
            if patch.status == Some(debrief_core::ActionStatus::Done) {
                "action.close"
            } else {
                "action.edit"
            }
        }
    };
    let text = debrief_core::export::to_markdown(&p);
    save_revision(c, &id, base, text, action).await
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ActionQuery {
    open: Option<bool>,
    overdue: Option<bool>,
    owner: Option<String>,
    service: Option<String>,
}

async fn actions(c: &Ctx<'_>) -> ApiResult<Response> {
    let q: ActionQuery = c.query()?;
    let f = ActionFilter {
        open: q.open.unwrap_or(false),
        overdue: q.overdue.unwrap_or(false),
        owner: q.owner,
        service: q.service,
        viewer: Some(c.subject.viewer()),
        today: debrief_store::today(),
    };
    let items = c.store().action_items(&f).await?;
    Ok(json_response(StatusCode::OK, &api::ActionList { items }))
}

async fn search(c: &Ctx<'_>) -> ApiResult<Response> {
    let mut q: FilterQuery = c.query()?;
    let Some(words) = q.q.take() else {
        return Err(ApiError::new(
            Kind::BadRequest,
            "give the words to find: /api/v1/search?q=disk+full",
        ));
    };
    let query = debrief_store::SearchQuery::parse(&words)
        .map_err(|e| ApiError::new(Kind::InvalidQuery, format!("q: {e}")))?;
    let f = q.filter(&c.subject)?;
    let hits = c.store().search(&query, &f).await?;
    Ok(json_response(StatusCode::OK, &api::SearchResults { hits }))
}

async fn lint_document(c: &mut Ctx<'_>) -> ApiResult<Response> {
    let text = c.document().await?;
    Ok(json_response(
        StatusCode::OK,
        &api::FindingList {
            findings: findings_of(c, text).await?,
        },
    ))
}

async fn findings(c: &Ctx<'_>) -> ApiResult<Response> {
    let id = c.visible_id().await?;
    let s = c.store().get(&id).await?;
    Ok(json_response(
        StatusCode::OK,
        &api::FindingList {
            findings: findings_of(c, s.revision.content).await?,
        },
    ))
}

async fn postmortem_metrics(c: &Ctx<'_>) -> ApiResult<Response> {
    let id = c.visible_id().await?;
    let s = c.store().get(&id).await?;
    Ok(json_response(
        StatusCode::OK,
        &pm_metrics::report(None, &s.record),
    ))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct StatsQuery {
    by: Option<String>,
}

async fn stats(c: &Ctx<'_>) -> ApiResult<Response> {
    let q: StatsQuery = c.query()?;
    let by = match q.by.as_deref() {
        None => pm_metrics::GroupBy::All,
        Some("service") => pm_metrics::GroupBy::Service,
        Some("severity") => pm_metrics::GroupBy::Severity,
        Some("month") => pm_metrics::GroupBy::Month,
        Some(other) => {
            return Err(ApiError::new(
                Kind::BadRequest,
                format!("by={other}: use service, severity or month"),
            ));
        }
    };
    let f = Filter {
        viewer: Some(c.subject.viewer()),
        ..Filter::default()
    };
    let records = c.store().records(&f).await?;
    let groups = pm_metrics::summarize(records.iter().map(|r| &r.1), by)
        .iter()
        .map(pm_metrics::GroupSummary::view)
        .collect();
    Ok(json_response(StatusCode::OK, &api::StatsGroups { groups }))
}

async fn get_access(c: &Ctx<'_>) -> ApiResult<Response> {
    let id = c.visible_id().await?;
    let (restricted, members) = c.store().access(&id).await?;
    Ok(json_response(
        StatusCode::OK,
        &api::AccessRule {
            restricted,
            members,
        },
    ))
}

async fn set_access(c: &mut Ctx<'_>) -> ApiResult<Response> {
    let id = c.visible_id().await?;
    let rule: api::AccessRule = c.json().await?;
    c.store()
        .set_access(&id, rule.restricted, &rule.members)
        .await?;
    c.audit(
        "access.set",
        &id,
        "ok",
        format!(
            "restricted={} members={}",
            rule.restricted,
            rule.members.join(",")
        ),
    )
    .await;
    Ok(json_response(StatusCode::OK, &rule))
}
