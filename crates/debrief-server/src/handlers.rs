//! What each route does: one typed handler per operation of the route table. The layers of
//! [`crate::pipeline`] have already authenticated and authorised the caller and bounded the
//! request; handlers take what they need through the extractors of [`crate::extract`] and
//! return a response or an [`ApiError`] (a problem document).

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use debrief_core::lint::{self, Config};
use debrief_core::{TimelineEntry, metrics as pm_metrics};
use debrief_store::{ActionFilter, AuditEntry, Filter, NewDocument, Outcome};
use serde::Deserialize;

use crate::AppState;
use crate::api;
use crate::auth::{self, Subject};
use crate::error::{ApiError, ApiResult, Kind};
use crate::extract::{
    ApiJson, ApiQuery, Document, IdempotencyKey, IfMatch, PathNumber, PostmortemId,
};
use crate::limits::too_many;
use crate::pipeline::Caller;
use crate::routes::{Op, Route};

/// Largest `offset` of a page: deeper pages are reached by narrowing the filters.
pub const MAX_OFFSET: i64 = 1_000_000;

/// The handler of a route of the route table, for its method.
pub(crate) fn method_router(route: &Route) -> MethodRouter<AppState> {
    let f = match route.method {
        "POST" => MethodFilter::POST,
        "PUT" => MethodFilter::PUT,
        "PATCH" => MethodFilter::PATCH,
        "DELETE" => MethodFilter::DELETE,
        _ => MethodFilter::GET,
    };
    match route.op {
        Op::Health => on(f, health),
        Op::Metrics => on(f, metrics),
        Op::OpenApi => on(f, openapi),
        Op::Login => on(f, login),
        Op::List => on(f, list),
        Op::Create => on(f, create),
        Op::Get => on(f, get),
        Op::Update => on(f, update),
        Op::Delete => on(f, delete),
        Op::Revisions => on(f, revisions),
        Op::Revision => on(f, revision),
        Op::Diff => on(f, diff),
        Op::AddTimeline => on(f, add_timeline),
        Op::EditTimeline => on(f, edit_timeline),
        Op::AddAction => on(f, add_action),
        Op::EditAction => on(f, edit_action),
        Op::Actions => on(f, actions),
        Op::Search => on(f, search),
        Op::Facets => on(f, facets),
        Op::Lint => on(f, lint_document),
        Op::Findings => on(f, findings),
        Op::PostmortemMetrics => on(f, postmortem_metrics),
        Op::Stats => on(f, stats),
        Op::GetAccess => on(f, get_access),
        Op::SetAccess => on(f, set_access),
        Op::AlertmanagerHook => on(f, crate::hooks::alertmanager),
        Op::EventHook => on(f, crate::hooks::event),
    }
}

fn audit_entry(
    caller: &Caller,
    action: &str,
    target: &str,
    outcome: &str,
    detail: String,
) -> AuditEntry {
    AuditEntry {
        actor: caller.subject.name().to_string(),
        action: action.to_string(),
        target: target.to_string(),
        outcome: outcome.to_string(),
        remote: caller.remote.clone(),
        detail,
    }
}

pub(crate) async fn audit(
    st: &AppState,
    caller: &Caller,
    action: &str,
    target: &str,
    outcome: &str,
    detail: String,
) {
    let e = audit_entry(caller, action, target, outcome, detail);
    if let Err(err) = st.store.audit(&e).await {
        tracing::error!(error = %err, action, "audit append failed");
    }
}

/// The postmortem named in the path, if the caller may see it; 404 otherwise, exactly as if it
/// did not exist. Both cases run the same look-up and the denial is audited off the response
/// path, so response times do not tell a restricted postmortem from a missing one.
pub(crate) async fn visible(st: &AppState, caller: &Caller, id: String) -> ApiResult<String> {
    Ok(seen(st, caller, id).await?.0)
}

/// [`visible`], with what the look-up found: the current revision and the access setting.
pub(crate) async fn seen(
    st: &AppState,
    caller: &Caller,
    id: String,
) -> ApiResult<(String, debrief_store::Head)> {
    let viewer = caller.subject.viewer();
    let key = caller
        .generation
        .map(|g| (g, id.clone(), viewer_key(&viewer)));
    let head = match key {
        Some(k) => {
            st.heads
                .get_or_insert_async(&k, st.store.head(&id, &viewer))
                .await?
        }
        None => st.store.head(&id, &viewer).await?,
    };
    match head {
        Some(head) if head.visible => Ok((id, head)),
        Some(_) => {
            let store = std::sync::Arc::clone(&st.store);
            let e = audit_entry(
                caller,
                "read.denied",
                &id,
                "denied",
                "restricted postmortem".into(),
            );
            tokio::spawn(async move {
                if let Err(err) = store.audit(&e).await {
                    tracing::error!(error = %err, "audit append failed");
                }
            });
            Err(ApiError::no_postmortem())
        }
        None => Err(ApiError::no_postmortem()),
    }
}

pub(crate) fn json_response<T: serde::Serialize>(status: StatusCode, body: &T) -> Response {
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

async fn health(State(st): State<AppState>) -> ApiResult<Response> {
    let probe = debrief_store::Viewer {
        name: String::new(),
        admin: true,
    };
    st.store.visible("-", &probe).await?;
    if let Err(reason) = st.write_probe.check(st.store.as_ref()).await {
        tracing::error!(error = %reason, "health: the database cannot be written");
        let mut e = ApiError::new(
            Kind::Unavailable,
            "the database can be read but not written (a full disk, a read-only file or a server that went away; the server log says which); writes resume by themselves once it is fixed",
        );
        e.retry_after = Some(5);
        return Err(e);
    }
    let age = st
        .store
        .last_audit("backup.drill")
        .await?
        .map(|r| r.at.seconds_until(debrief_store::Time::now()));
    Ok(json_response(
        StatusCode::OK,
        &api::Health {
            status: "ok".into(),
            database: "reachable".into(),
            last_verified_backup_age_seconds: age,
        },
    ))
}

async fn metrics(State(st): State<AppState>) -> Response {
    st.metrics.render(st.store.as_ref()).await
}

async fn openapi() -> Response {
    json_response(StatusCode::OK, &crate::openapi::document())
}

/// Longest user name a login may give; longer ones cannot exist.
const MAX_NAME: usize = 128;

async fn login(
    State(st): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<api::Login>,
) -> ApiResult<Response> {
    let (secret, expires) =
        sign_in(&st, &caller, &body.name, body.password, auth::API_SESSION).await?;
    Ok(json_response(
        StatusCode::CREATED,
        &api::Session {
            token: secret,
            expires_at: expires,
        },
    ))
}

/// Checks a name and password and makes a token for 12 hours, labelled `label`: the API's
/// login and the web sign-in. Limited per address and per name, audited either way.
pub(crate) async fn sign_in(
    st: &AppState,
    caller: &Caller,
    name: &str,
    password: String,
    label: &str,
) -> ApiResult<(String, debrief_store::Time)> {
    // Limits first, so guessing costs the guesser: per address, and per user name.
    st.login_by_address
        .take(&caller.remote)
        .map_err(|wait| too_many("sign-in attempts from this address", wait))?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(ApiError::new(
            Kind::Unauthenticated,
            "wrong name or password",
        ));
    }
    st.login_by_user
        .take(&debrief_store::label(name))
        .map_err(|wait| too_many("sign-in attempts for this user", wait))?;
    let user = st.store.user(name).await?;
    // An unknown name is checked against a stand-in hash, so it takes as long as a wrong
    // password and timing does not tell which names exist.
    let phc = user.as_ref().map(|u| u.password_hash.clone());
    let matches = st
        .cpu
        .run(move || {
            let stand_in = auth::stand_in_hash();
            auth::verify_password(&password, phc.as_deref().unwrap_or(stand_in))
        })
        .await?;
    let anonymous = Caller {
        subject: Subject::Anonymous,
        remote: caller.remote.clone(),
        session: None,
        generation: None,
    };
    let Some(user) = user.filter(|_| matches) else {
        audit(
            st,
            &anonymous,
            "login",
            name,
            "denied",
            "wrong name or password".into(),
        )
        .await;
        return Err(ApiError::new(
            Kind::Unauthenticated,
            "wrong name or password",
        ));
    };
    let (secret, hash) = auth::new_token();
    let expires = debrief_store::hours_from_now(12);
    st.store
        .add_token(&hash, &user.name, label, Some(expires))
        .await?;
    let signed_in = Caller {
        subject: Subject::of(&user),
        remote: caller.remote.clone(),
        session: None,
        generation: None,
    };
    audit(st, &signed_in, "login", &user.name, "ok", label.to_string()).await;
    Ok((secret, expires))
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
                && !debrief_core::time::Date::is_iso_day(d)
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
            order: debrief_store::ListOrder::default(),
        })
    }
}

async fn list(
    State(st): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<FilterQuery>,
) -> ApiResult<Response> {
    if q.q.is_some() {
        return Err(ApiError::new(
            Kind::BadRequest,
            "use /api/v1/search?q= to search",
        ));
    }
    let f = q.filter(&caller.subject)?;
    let (limit, offset) = (f.limit.unwrap_or(50), f.offset.unwrap_or(0));
    let items = st.store.list(&f).await?;
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
pub(crate) async fn findings_of(st: &AppState, text: String) -> ApiResult<Vec<lint::Finding>> {
    st.cpu
        .run(move || lint::lint(&text, &Config::default()))
        .await
}

/// A document read once, on the CPU pool: its record (which the store saves as it is, without
/// parsing it again) and its review findings (which the response carries).
pub(crate) struct Reviewed {
    pub(crate) record: std::sync::Arc<debrief_core::Postmortem>,
    pub(crate) findings: Vec<lint::Finding>,
}

pub(crate) async fn review(st: &AppState, text: &str) -> ApiResult<Reviewed> {
    let text = text.to_string();
    st.cpu
        .run(move || {
            let parsed = debrief_core::parse(&text);
            let findings = lint::check(&text, &parsed, &Config::default());
            Reviewed {
                record: std::sync::Arc::new(parsed.postmortem),
                findings,
            }
        })
        .await
}

fn saved_response(status: StatusCode, s: &debrief_store::Saved, reviewed: Reviewed) -> Response {
    let record = std::sync::Arc::unwrap_or_clone(reviewed.record);
    let body = api::Saved {
        id: s.id.clone(),
        revision: s.revision,
        outcome: match s.outcome {
            Outcome::Created => "created",
            Outcome::Updated => "updated",
            Outcome::Unchanged => "unchanged",
            Outcome::Deleted => "deleted",
            Outcome::Conflict => "conflict",
        }
        .into(),
        findings: reviewed.findings,
        metrics: pm_metrics::report(None, &record),
        record,
    };
    let mut r = etag(json_response(status, &body), s.revision);
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/postmortems/{}", s.id)) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

async fn create(
    State(st): State<AppState>,
    caller: Caller,
    IdempotencyKey(key): IdempotencyKey,
    Document(text): Document,
) -> ApiResult<Response> {
    let Some(key) = key else {
        let (s, reviewed) = create_from(&st, &caller, text, "the API").await?;
        return Ok(saved_response(StatusCode::CREATED, &s, reviewed));
    };
    // The key, scoped to its user, is the postmortem's source: the store creates one postmortem
    // per source, and derives its id from the source alone, so a retry finds the first one.
    let source = format!("idempotency-key:{}:{key}", caller.subject.name());
    let id = debrief_store::new_id(Some(&source), "");
    let first = match st.store.revision(&id, 1).await {
        Ok(first) => Some(first),
        Err(debrief_store::StoreError::NotFound(_)) => None,
        Err(e) => return Err(e.into()),
    };
    if let Some(first) = first {
        // Deleted since: answering "created" would name a postmortem that is not there.
        if let Err(debrief_store::StoreError::NotFound(_)) = st.store.get(&id).await {
            return Err(ApiError::new(
                Kind::Conflict,
                format!(
                    "Idempotency-Key {key:?} created postmortem {id}, which has since been deleted; use a new key to create it again"
                ),
            ));
        }
        return replay(&st, &key, &id, first, &text).await;
    }
    let (mut doc, reviewed) =
        reviewed_document(&st, &caller, text, "created through the API".into()).await?;
    doc.source = Some(source);
    let saved = st.store.import(std::slice::from_ref(&doc)).await?;
    let s = saved
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::new(Kind::Internal, "the store saved nothing and said nothing"))?;
    if s.outcome != Outcome::Created {
        // Another request with this key won the race: answer as its retry.
        let first = st.store.revision(&s.id, 1).await?;
        return replay(&st, &key, &s.id, first, &doc.text).await;
    }
    audit(
        &st,
        &caller,
        "postmortem.create",
        &s.id,
        "ok",
        format!("revision {} (Idempotency-Key)", s.revision),
    )
    .await;
    Ok(saved_response(StatusCode::CREATED, &s, reviewed))
}

/// The first response again, for a retried create: the postmortem its key created, as it was
/// created (revision 1), with `Idempotent-Replayed: true`. The same key with another document
/// is refused: it would silently drop that document.
async fn replay(
    st: &AppState,
    key: &str,
    id: &str,
    first: debrief_store::Revision,
    text: &str,
) -> ApiResult<Response> {
    if first.content != text {
        return Err(ApiError::new(
            Kind::Unprocessable,
            format!(
                "Idempotency-Key {key:?} was already used to create postmortem {id} from a different document; use a new key for a new postmortem"
            ),
        ));
    }
    let reviewed = review(st, &first.content).await?;
    let s = debrief_store::Saved {
        id: id.to_string(),
        revision: first.number,
        outcome: Outcome::Created,
    };
    let mut response = saved_response(StatusCode::CREATED, &s, reviewed);
    response.headers_mut().insert(
        axum::http::HeaderName::from_static("idempotent-replayed"),
        axum::http::HeaderValue::from_static("true"),
    );
    Ok(response)
}

async fn get(
    State(st): State<AppState>,
    caller: Caller,
    PostmortemId(id): PostmortemId,
    headers: axum::http::HeaderMap,
) -> ApiResult<Response> {
    let (id, head) = seen(&st, &caller, id).await?;
    let (revision, restricted) = (head.revision, head.restricted);
    // Revalidated on every use (its ETag is the revision).
    let fresh = |mut r: Response, revision: i64| {
        r.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-cache"),
        );
        etag(r, revision)
    };
    if none_match(&headers, revision) {
        return Ok(fresh(StatusCode::NOT_MODIFIED.into_response(), revision));
    }
    let key = (id, revision, restricted);
    let (body, revision) = match st.bodies.get(&key) {
        Some(body) => (body, revision),
        None => {
            let s = st.store.get(&key.0).await?;
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
            let bytes = axum::body::Bytes::from(
                serde_json::to_vec(&body)
                    .map_err(|e| ApiError::new(Kind::Internal, e.to_string()))?,
            );
            // Kept under what was read (a save since the look-up is a newer revision).
            st.bodies.insert(
                (key.0.clone(), body.revision, body.restricted),
                bytes.clone(),
            );
            (bytes, body.revision)
        }
    };
    let mut r = (StatusCode::OK, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(fresh(r, revision))
}

/// Whether `If-None-Match` names `revision` (or is `*`): the client's copy is current.
fn none_match(headers: &axum::http::HeaderMap, revision: i64) -> bool {
    let current = format!("\"{revision}\"");
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim())
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == current)
}

async fn save_revision(
    st: &AppState,
    caller: &Caller,
    id: &str,
    base: i64,
    text: String,
    action: &str,
) -> ApiResult<Response> {
    let (s, reviewed) = save(st, caller, id, base, text, action, "the API").await?;
    Ok(saved_response(StatusCode::OK, &s, reviewed))
}

/// A new revision of `id` from `base` (a conflict when `base` is no longer the latest), its
/// text reviewed once; audited as `action`, the revision message says `via` what.
pub(crate) async fn save(
    st: &AppState,
    caller: &Caller,
    id: &str,
    base: i64,
    text: String,
    action: &str,
    via: &str,
) -> ApiResult<(debrief_store::Saved, Reviewed)> {
    let (doc, reviewed) =
        reviewed_document(st, caller, text, format!("{action} through {via}")).await?;
    match st
        .store
        .update(id, base, &audited(doc, caller, action))
        .await
    {
        Ok(s) => Ok((s, reviewed)),
        Err(e) => {
            audit(st, caller, action, id, "failed", e.to_string()).await;
            Err(e.into())
        }
    }
}

/// `doc` with its audit entry as `caller`'s `action`, which the store writes in the save's
/// own transaction.
fn audited(doc: NewDocument, caller: &Caller, action: &str) -> NewDocument {
    NewDocument {
        audit: Some(debrief_store::SaveAudit {
            actor: caller.subject.name().to_string(),
            action: action.to_string(),
            remote: caller.remote.clone(),
        }),
        ..doc
    }
}

/// A document to save by `caller`, reviewed once: the store keeps the record read here.
async fn reviewed_document(
    st: &AppState,
    caller: &Caller,
    text: String,
    message: String,
) -> ApiResult<(NewDocument, Reviewed)> {
    let reviewed = review(st, &text).await?;
    let doc = NewDocument {
        source: None,
        text,
        author: caller.subject.name().into(),
        message,
        record: Some(std::sync::Arc::clone(&reviewed.record)),
        identity: None,
        audit: None,
    };
    Ok((doc, reviewed))
}

/// A new postmortem from a document, reviewed once and audited.
pub(crate) async fn create_from(
    st: &AppState,
    caller: &Caller,
    text: String,
    via: &str,
) -> ApiResult<(debrief_store::Saved, Reviewed)> {
    let (doc, reviewed) =
        reviewed_document(st, caller, text, format!("created through {via}")).await?;
    let s = st
        .store
        .create(&audited(doc, caller, "postmortem.create"))
        .await?;
    Ok((s, reviewed))
}

async fn update(
    State(st): State<AppState>,
    caller: Caller,
    PostmortemId(id): PostmortemId,
    base: Result<IfMatch, ApiError>,
    doc: Result<Document, ApiError>,
) -> ApiResult<Response> {
    let id = visible(&st, &caller, id).await?;
    let base = base_revision(&st, &id, base).await?;
    let Document(text) = doc?;
    save_revision(&st, &caller, &id, base, text, "postmortem.update").await
}

/// The revision a change of visible postmortem `id` starts from, as `If-Match` names it: `*` is
/// the current one; a tag that names no revision is a 412 and a missing header a 428, both
/// saying which revision is current.
async fn base_revision(st: &AppState, id: &str, base: Result<IfMatch, ApiError>) -> ApiResult<i64> {
    // A number needs no read: the store's write checks it.
    let current = match &base {
        Ok(IfMatch::Revision(n)) => return Ok(*n),
        _ => st.store.get(id).await?.revision.number,
    };
    match base {
        Ok(IfMatch::Revision(n)) => Ok(n),
        Ok(IfMatch::Any) => Ok(current),
        Ok(IfMatch::NoRevision(tag)) => Err(ApiError {
            kind: Kind::PreconditionFailed,
            detail: format!(
                "If-Match {tag} names no revision; postmortem {id} is at revision {current}: read it again and send If-Match: \"{current}\""
            ),
            current_revision: Some(current),
            retry_after: None,
        }),
        Err(e) if e.kind == Kind::PreconditionRequired => Err(ApiError {
            detail: format!(
                "send If-Match with the revision (ETag) you started from; postmortem {id} is at revision {current}, so If-Match: \"{current}\" if that is the one you read"
            ),
            current_revision: Some(current),
            ..e
        }),
        Err(e) => Err(e),
    }
}

async fn delete(
    State(st): State<AppState>,
    caller: Caller,
    PostmortemId(id): PostmortemId,
) -> ApiResult<Response> {
    let id = visible(&st, &caller, id).await?;
    st.store.delete(&id, caller.subject.name()).await?;
    audit(&st, &caller, "postmortem.delete", &id, "ok", String::new()).await;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct PageQuery {
    limit: Option<i64>,
    /// The revision the page starts below.
    cursor: Option<i64>,
}

/// The page size asked for, 1 to [`MAX_PAGE`] (default [`DEFAULT_PAGE`]).
fn page_limit(limit: Option<i64>) -> ApiResult<i64> {
    let limit = limit.unwrap_or(DEFAULT_PAGE);
    if (1..=MAX_PAGE).contains(&limit) {
        Ok(limit)
    } else {
        Err(ApiError::new(
            Kind::BadRequest,
            format!("limit must be between 1 and {MAX_PAGE}"),
        ))
    }
}

/// The most items one page of a list holds, and how many when the caller does not say.
const MAX_PAGE: i64 = debrief_store::actions::MAX_ACTION_PAGE;
const DEFAULT_PAGE: i64 = debrief_store::actions::DEFAULT_ACTION_PAGE;

async fn revisions(
    State(st): State<AppState>,
    caller: Caller,
    PostmortemId(id): PostmortemId,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Response> {
    let limit = page_limit(q.limit)?;
    let before = match q.cursor {
        Some(n) if n < 2 => {
            return Err(ApiError::new(
                Kind::BadRequest,
                format!(
                    "cursor={n}: a page starts below revision 2 or later; start again without it"
                ),
            ));
        }
        other => other,
    };
    let id = visible(&st, &caller, id).await?;
    let mut revisions = st.store.revisions(&id, before, limit + 1).await?;
    let more = revisions.len() as i64 > limit;
    revisions.truncate(limit as usize);
    let next_cursor = more.then(|| revisions.last().map(|r| r.number)).flatten();
    Ok(json_response(
        StatusCode::OK,
        &api::RevisionList {
            revisions,
            next_cursor,
        },
    ))
}

async fn revision(
    State(st): State<AppState>,
    caller: Caller,
    PostmortemId(id): PostmortemId,
    number: Result<PathNumber, ApiError>,
) -> ApiResult<Response> {
    let id = visible(&st, &caller, id).await?;
    let PathNumber(n) = number?;
    let r = st.store.revision(&id, n).await?;
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

async fn diff(
    State(st): State<AppState>,
    caller: Caller,
    PostmortemId(id): PostmortemId,
    q: Result<ApiQuery<DiffQuery>, ApiError>,
) -> ApiResult<Response> {
    let id = visible(&st, &caller, id).await?;
    let ApiQuery(q) = q?;
    let a = st.store.revision(&id, q.from).await?;
    let b = st.store.revision(&id, q.to).await?;
    let lines = st
        .cpu
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

/// An entry's time as a client writes it, placed on the incident's day and zone when it
/// leaves them out.
fn parse_stamp(p: &debrief_core::Postmortem, s: &str) -> ApiResult<debrief_core::time::Stamp> {
    debrief_core::import::entry_stamp(p, s).ok_or_else(|| {
        ApiError::new(
            Kind::Unprocessable,
            format!("at: `{s}` is not a time; write it in RFC 3339 (`2024-04-03T11:02:00Z`), as `2024-04-03 11:02 UTC`, or as a time of the incident's day such as `11:02`"),
        )
    })
}

/// Timeline entries in time order, as the importer orders them (an entry without a time stays
/// after the one it followed).
fn sort_timeline(p: &mut debrief_core::Postmortem) {
    debrief_core::import::order_timeline(&mut p.timeline, &mut Vec::new());
}

pub(crate) fn index(n: i64, len: usize, what: &str) -> ApiResult<usize> {
    let n = n as usize;
    if n >= len {
        return Err(ApiError::new(
            Kind::NotFound,
            format!("there is no {what} {n} (there are {len}, numbered from 0)"),
        ));
    }
    Ok(n)
}

/// Timeline entries and action items: read the record, change it with `change` (which names
/// the audited action), save a revision.
async fn edit(
    st: &AppState,
    caller: &Caller,
    id: String,
    base: Result<IfMatch, ApiError>,
    change: impl FnOnce(&mut debrief_core::Postmortem) -> ApiResult<&'static str>,
) -> ApiResult<Response> {
    let id = visible(st, caller, id).await?;
    let base = base_revision(st, &id, base).await?;
    let (s, reviewed) = change_record(st, caller, &id, base, change, "the API").await?;
    Ok(saved_response(StatusCode::OK, &s, reviewed))
}

/// A change to the record of visible postmortem `id` (its timeline, its action items) made
/// from revision `base`: read, changed by `change` (which names the audited action), written
/// back as canonical Markdown, saved as a revision. A stale `base` is a conflict.
pub(crate) async fn change_record(
    st: &AppState,
    caller: &Caller,
    id: &str,
    base: i64,
    change: impl FnOnce(&mut debrief_core::Postmortem) -> ApiResult<&'static str>,
    via: &str,
) -> ApiResult<(debrief_store::Saved, Reviewed)> {
    let current = st.store.get(id).await?;
    if current.revision.number != base {
        return Err(ApiError::from(debrief_store::StoreError::Conflict {
            id: id.to_string(),
            base,
            current: current.revision.number,
        }));
    }
    let mut p = current.record;
    let action = change(&mut p)?;
    let text = debrief_core::export::to_markdown(&p);
    save(st, caller, id, base, text, action, via).await
}

async fn add_timeline(
    State(st): State<AppState>,
    caller: Caller,
    PostmortemId(id): PostmortemId,
    base: Result<IfMatch, ApiError>,
    input: Result<ApiJson<api::TimelineInput>, ApiError>,
) -> ApiResult<Response> {
    edit(&st, &caller, id, base, |p| {
        let ApiJson(input) = input?;
        let at = input
            .at
            .as_deref()
            .map(|at| parse_stamp(p, at))
            .transpose()?;
        let kind = input
            .kind
            .unwrap_or_else(|| debrief_core::import::classify_entry(&input.text));
        p.timeline.push(TimelineEntry {
            at,
            text: input.text,
            kind,
            line: 0,
            ..TimelineEntry::default()
        });
        sort_timeline(p);
        Ok("timeline.add")
    })
    .await
}

async fn edit_timeline(
    State(st): State<AppState>,
    caller: Caller,
    PostmortemId(id): PostmortemId,
    number: Result<PathNumber, ApiError>,
    base: Result<IfMatch, ApiError>,
    patch: Result<ApiJson<api::TimelinePatch>, ApiError>,
) -> ApiResult<Response> {
    edit(&st, &caller, id, base, |p| {
        let ApiJson(patch) = patch?;
        let n = index(number?.0, p.timeline.len(), "timeline entry")?;
        let at = patch
            .at
            .as_deref()
            .map(|at| parse_stamp(p, at))
            .transpose()?;
        let e = &mut p.timeline[n];
        if let Some(at) = at {
            e.at = Some(at);
        }
        if let Some(t) = patch.text {
            e.text = t;
        }
        if let Some(k) = patch.kind {
            e.kind = k;
        }
        if let Some(h) = patch.hidden {
            e.hidden = h;
        }
        if let Some(s) = patch.starred {
            e.starred = s;
        }
        sort_timeline(p);
        Ok("timeline.edit")
    })
    .await
}

async fn add_action(
    State(st): State<AppState>,
    caller: Caller,
    PostmortemId(id): PostmortemId,
    base: Result<IfMatch, ApiError>,
    input: Result<ApiJson<api::ActionInput>, ApiError>,
) -> ApiResult<Response> {
    edit(&st, &caller, id, base, |p| {
        let ApiJson(input) = input?;
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
        Ok("action.add")
    })
    .await
}

async fn edit_action(
    State(st): State<AppState>,
    caller: Caller,
    PostmortemId(id): PostmortemId,
    number: Result<PathNumber, ApiError>,
    base: Result<IfMatch, ApiError>,
    patch: Result<ApiJson<api::ActionPatch>, ApiError>,
) -> ApiResult<Response> {
    edit(&st, &caller, id, base, |p| {
        let ApiJson(patch) = patch?;
        let n = index(number?.0, p.action_items.len(), "action item")?;
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
        Ok(if patch.status == Some(debrief_core::ActionStatus::Done) {
            "action.close"
        } else {
            "action.edit"
        })
    })
    .await
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ActionQuery {
    open: Option<bool>,
    overdue: Option<bool>,
    owner: Option<String>,
    service: Option<String>,
    sort: Option<String>,
    limit: Option<i64>,
    cursor: Option<String>,
}

async fn actions(
    State(st): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ActionQuery>,
) -> ApiResult<Response> {
    let order = match q.sort.as_deref() {
        None => debrief_store::ActionOrder::default(),
        Some(s) => debrief_store::ActionOrder::parse(s).ok_or_else(|| {
            ApiError::new(
                Kind::BadRequest,
                format!("sort={s}: use due, owner or postmortem"),
            )
        })?,
    };
    let limit = q
        .limit
        .unwrap_or(debrief_store::actions::DEFAULT_ACTION_PAGE);
    if !(1..=debrief_store::actions::MAX_ACTION_PAGE).contains(&limit) {
        return Err(ApiError::new(
            Kind::BadRequest,
            format!(
                "limit must be between 1 and {}",
                debrief_store::actions::MAX_ACTION_PAGE
            ),
        ));
    }
    let after = q
        .cursor
        .as_deref()
        .map(debrief_store::ActionCursor::decode)
        .transpose()
        .map_err(|e| ApiError::new(Kind::BadRequest, format!("cursor {e}")))?;
    let f = ActionFilter {
        open: q.open.unwrap_or(false),
        overdue: q.overdue.unwrap_or(false),
        owner: q.owner,
        service: q.service,
        viewer: Some(caller.subject.viewer()),
        today: debrief_store::today(),
        order,
        limit: Some(limit),
        after,
    };
    let page = st.store.action_items(&f).await?;
    Ok(json_response(
        StatusCode::OK,
        &api::ActionList {
            items: page.items,
            next_cursor: page.next.map(|c| c.encode()),
        },
    ))
}

async fn search(
    State(st): State<AppState>,
    caller: Caller,
    ApiQuery(mut q): ApiQuery<FilterQuery>,
) -> ApiResult<Response> {
    let Some(words) = q.q.take() else {
        return Err(ApiError::new(
            Kind::BadRequest,
            "give the words to find: /api/v1/search?q=disk+full",
        ));
    };
    let query = debrief_store::SearchQuery::parse(&words)
        .map_err(|e| ApiError::new(Kind::InvalidQuery, format!("q: {e}")))?;
    let f = q.filter(&caller.subject)?;
    let hits = st.store.search(&query, &f).await?;
    Ok(json_response(StatusCode::OK, &api::SearchResults { hits }))
}

async fn facets(
    State(st): State<AppState>,
    caller: Caller,
    ApiQuery(mut q): ApiQuery<FilterQuery>,
) -> ApiResult<Response> {
    if q.limit.is_some() || q.offset.is_some() {
        return Err(ApiError::new(
            Kind::BadRequest,
            "facets count the matches, not a page of them: leave out limit and offset",
        ));
    }
    // No words (or an empty `q=`, as a search form sends) counts the list's postmortems.
    let words = q.q.take().filter(|words| !words.trim().is_empty());
    let query = words
        .map(|words| debrief_store::SearchQuery::parse(&words))
        .transpose()
        .map_err(|e| ApiError::new(Kind::InvalidQuery, format!("q: {e}")))?;
    let f = q.filter(&caller.subject)?;
    let facets = st.store.facets(query.as_ref(), &f).await?;
    Ok(json_response(StatusCode::OK, &facets))
}

async fn lint_document(
    State(st): State<AppState>,
    Document(text): Document,
) -> ApiResult<Response> {
    Ok(json_response(
        StatusCode::OK,
        &api::FindingList {
            findings: findings_of(&st, text).await?,
        },
    ))
}

async fn findings(
    State(st): State<AppState>,
    caller: Caller,
    PostmortemId(id): PostmortemId,
) -> ApiResult<Response> {
    let id = visible(&st, &caller, id).await?;
    let s = st.store.get(&id).await?;
    Ok(json_response(
        StatusCode::OK,
        &api::FindingList {
            findings: findings_of(&st, s.revision.content).await?,
        },
    ))
}

async fn postmortem_metrics(
    State(st): State<AppState>,
    caller: Caller,
    PostmortemId(id): PostmortemId,
) -> ApiResult<Response> {
    let id = visible(&st, &caller, id).await?;
    let s = st.store.get(&id).await?;
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

async fn stats(
    State(st): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> ApiResult<Response> {
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
    let viewer = caller.subject.viewer();
    let key = (viewer_key(&viewer), q.by.unwrap_or_default());
    let body = st
        .stats
        .get_or_compute(key, || async {
            let f = Filter {
                viewer: Some(viewer),
                ..Filter::default()
            };
            let summary = fold_records(&st, f, pm_metrics::Summarizer::new(by), |acc, row, p| {
                let title = row.title.as_deref().unwrap_or("untitled");
                acc.add(&format!("{} ({title})", row.id), p);
            })
            .await?;
            let groups = st
                .cpu
                .run(move || summary.finish())
                .await?
                .iter()
                .map(pm_metrics::GroupSummary::view)
                .collect();
            let json = serde_json::to_vec(&api::StatsGroups { groups })
                .map_err(|e| ApiError::new(Kind::Internal, format!("statistics: {e}")))?;
            Ok(axum::body::Bytes::from(json))
        })
        .await?;
    Ok(stats_response(body))
}

/// How long statistics and insights, which read every record a viewer may see, are served
/// before they are computed again (`max-age` in [`stats_response`] says the same).
pub(crate) const FRESH: std::time::Duration = std::time::Duration::from_secs(30);

fn stats_response(body: axum::body::Bytes) -> Response {
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=30"),
            ),
        ],
        body,
    )
        .into_response()
}

/// Whose view an answer that depends on visibility is: every administrator sees everything.
pub(crate) fn viewer_key(viewer: &debrief_store::Viewer) -> String {
    if viewer.admin {
        "\0admin".to_string()
    } else {
        viewer.name.clone()
    }
}

/// Answers that read every record a viewer may see (`GET /api/v1/stats`, the insights page):
/// kept for [`FRESH`] per key, at most [`Fresh::MAX_KEYS`] keys, and computed by one request
/// at a time while the others wait for its answer instead of each reading the library.
pub(crate) struct Fresh<K, V> {
    entries: std::sync::Mutex<std::collections::HashMap<K, (std::time::Instant, V)>>,
    computing: tokio::sync::Mutex<()>,
}

impl<K, V> Default for Fresh<K, V> {
    fn default() -> Self {
        Fresh {
            entries: Default::default(),
            computing: Default::default(),
        }
    }
}

impl<K: std::hash::Hash + Eq, V: Clone> Fresh<K, V> {
    const MAX_KEYS: usize = 256;

    fn get(&self, key: &K) -> Option<V> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|e| e.0.elapsed() < FRESH)
            .map(|e| e.1.clone())
    }

    /// The kept answer for `key`, or the one `compute` gives (then kept).
    pub(crate) async fn get_or_compute<F, Fut>(&self, key: K, compute: F) -> ApiResult<V>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = ApiResult<V>>,
    {
        if let Some(v) = self.get(&key) {
            return Ok(v);
        }
        let _turn = self.computing.lock().await;
        if let Some(v) = self.get(&key) {
            return Ok(v);
        }
        let v = compute().await?;
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= Self::MAX_KEYS {
            entries.clear();
        }
        entries.insert(key, (std::time::Instant::now(), v.clone()));
        Ok(v)
    }
}

/// Records read per page by [`fold_records`].
const RECORDS_PAGE: i64 = 500;

/// Every record `filter` selects, folded into `acc` a page at a time on the CPU pool, so that
/// the memory a statistic needs follows its accumulator and one page, not the library.
pub(crate) async fn fold_records<A: Send + 'static>(
    st: &AppState,
    filter: Filter,
    mut acc: A,
    add: fn(&mut A, &debrief_store::Summary, &debrief_core::Postmortem),
) -> ApiResult<A> {
    let mut after = 0;
    loop {
        let page = st.store.records(&filter, after, RECORDS_PAGE).await?;
        let Some(last) = page.last().map(|r| r.0) else {
            return Ok(acc);
        };
        let more = page.len() as i64 == RECORDS_PAGE;
        acc = st
            .cpu
            .run(move || {
                for (_, row, p) in &page {
                    add(&mut acc, row, p);
                }
                acc
            })
            .await?;
        if !more {
            return Ok(acc);
        }
        after = last;
    }
}

async fn get_access(
    State(st): State<AppState>,
    caller: Caller,
    PostmortemId(id): PostmortemId,
) -> ApiResult<Response> {
    let id = visible(&st, &caller, id).await?;
    let (restricted, members) = st.store.access(&id).await?;
    Ok(json_response(
        StatusCode::OK,
        &api::AccessRule {
            restricted,
            members,
        },
    ))
}

async fn set_access(
    State(st): State<AppState>,
    caller: Caller,
    PostmortemId(id): PostmortemId,
    rule: Result<ApiJson<api::AccessRule>, ApiError>,
) -> ApiResult<Response> {
    let id = visible(&st, &caller, id).await?;
    let ApiJson(rule) = rule?;
    // A member that is no user would lock the postmortem away from someone who never signs in.
    if !rule.members.is_empty() {
        let users: std::collections::HashSet<String> = st
            .store
            .users()
            .await?
            .into_iter()
            .map(|u| u.name)
            .collect();
        if let Some(unknown) = rule.members.iter().find(|m| !users.contains(*m)) {
            return Err(ApiError::new(
                Kind::Unprocessable,
                format!(
                    "members: there is no user named {unknown:?}; add the user first (`debrief user add`) or check the spelling"
                ),
            ));
        }
    }
    st.store
        .set_access(&id, rule.restricted, &rule.members)
        .await?;
    audit(
        &st,
        &caller,
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
