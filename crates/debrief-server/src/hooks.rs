//! Webhooks that write timelines while an incident happens: `POST
//! /api/v1/hooks/alertmanager/{hook}` takes Prometheus Alertmanager's webhook (version 4).
//!
//! A hook is authenticated by its own secret (`Authorization: Bearer dbh_...`, as Alertmanager's
//! `http_config.authorization` sends it), not by a user's token. A delivery for an alert group
//! opens a draft postmortem, or joins the one the group opened if it was heard from within the
//! hook's window (the store decides, one instance at a time). Each alert adds an entry when it
//! fires (at `startsAt`) and when it resolves (at `endsAt`), keeping its labels and summary as the
//! entry's source and `generatorURL` as its evidence link. Every entry carries its delivery key
//! (`alertmanager:` fingerprint, status, `startsAt`), so a redelivery, or the same delivery
//! reaching two instances at once, adds nothing: the second writer's save conflicts, reads the
//! draft again and finds the entries there.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use debrief_core::time::Stamp;
use debrief_core::{EventKind, InstantName, Postmortem, TimelineEntry};
use debrief_store::{Hook, NewDocument, StoreError, Time};

use crate::AppState;
use crate::api::{Alert, AlertmanagerPayload, Delivery, EventInput};
use crate::error::{ApiError, ApiResult, Kind};
use crate::extract::ApiJson;
use crate::handlers::json_response;
use crate::pipeline::Caller;

/// The most alerts one delivery may carry (Alertmanager's `max_alerts` keeps to it).
pub const MAX_ALERTS: usize = 1000;

/// The hook named in the path, if it is of this kind, the bearer secret is its own and it is
/// live.
async fn hook_of(st: &AppState, kind: &str, name: &str, headers: &HeaderMap) -> ApiResult<Hook> {
    let refused = || {
        ApiError::new(
            Kind::Unauthenticated,
            "unknown hook, revoked hook or wrong secret: send the secret `debrief hook create` printed, as Authorization: Bearer dbh_...",
        )
    };
    let secret = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or_else(refused)?;
    let hook = st.store.hook(name).await?.ok_or_else(refused)?;
    if hook.revoked_at.is_some()
        || hook.kind != kind
        || hook.secret_hash != crate::auth::token_hash(secret)
    {
        return Err(refused());
    }
    Ok(hook)
}

/// One alert's event, checked: what happened, when, and its delivery key.
struct Event<'a> {
    alert: &'a Alert,
    starts: Time,
    /// When it resolved; `None` while it fires.
    ends: Option<Time>,
}

fn unprocessable(detail: String) -> ApiError {
    ApiError::new(Kind::Unprocessable, detail)
}

/// Checks a whole delivery before anything is written: a bad alert refuses all of it.
fn events(p: &AlertmanagerPayload) -> ApiResult<Vec<Event<'_>>> {
    if p.version != "4" {
        return Err(unprocessable(format!(
            "version: {:?}; Debrief reads Alertmanager's webhook version 4",
            p.version
        )));
    }
    if p.group_key.trim().is_empty() {
        return Err(unprocessable(
            "groupKey: empty; Alertmanager always sends one".into(),
        ));
    }
    if p.alerts.is_empty() || p.alerts.len() > MAX_ALERTS {
        return Err(unprocessable(format!(
            "alerts: {} alerts; a delivery carries 1 to {MAX_ALERTS} (set max_alerts in the receiver's webhook_config)",
            p.alerts.len()
        )));
    }
    p.alerts
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let resolved = match a.status.as_str() {
                "firing" => false,
                "resolved" => true,
                other => {
                    return Err(unprocessable(format!(
                        "alerts[{i}].status: {other:?}; expected \"firing\" or \"resolved\""
                    )));
                }
            };
            if a.fingerprint.trim().is_empty() {
                return Err(unprocessable(format!("alerts[{i}].fingerprint: empty")));
            }
            let starts = Time::parse_rfc3339(&a.starts_at).ok_or_else(|| {
                unprocessable(format!(
                    "alerts[{i}].startsAt: {:?} is not an RFC 3339 time",
                    a.starts_at
                ))
            })?;
            // Firing alerts carry Go's zero time; any value must still be a time.
            let ends = match a.ends_at.as_deref().map(Time::parse_rfc3339) {
                Some(Some(t)) => Some(t),
                None if !resolved => None,
                _ => {
                    return Err(unprocessable(format!(
                        "alerts[{i}].endsAt: {:?} is not an RFC 3339 time{}",
                        a.ends_at.as_deref().unwrap_or_default(),
                        if resolved {
                            " (a resolved alert has one)"
                        } else {
                            ""
                        }
                    )));
                }
            }
            .filter(|_| resolved);
            Ok(Event {
                alert: a,
                starts,
                ends,
            })
        })
        .collect()
}

/// A stored instant as a timeline stamp in UTC, to the second.
fn stamp(t: Time) -> Stamp {
    Stamp::from_unix_seconds(t.unix_seconds())
}

fn key(a: &Alert, status: &str) -> String {
    format!("alertmanager:{}:{status}:{}", a.fingerprint, a.starts_at)
}

/// `alertmanager: HighErrorRate (instance=web-1, service=web)`.
fn source(a: &Alert) -> String {
    let name = a.labels.get("alertname").map_or("alert", String::as_str);
    let rest: Vec<String> = a
        .labels
        .iter()
        .filter(|(k, _)| k.as_str() != "alertname")
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if rest.is_empty() {
        format!("alertmanager: {name}")
    } else {
        format!("alertmanager: {name} ({})", rest.join(", "))
    }
}

fn summary(a: &Alert) -> String {
    let name = a.labels.get("alertname").map_or("alert", String::as_str);
    match a
        .annotations
        .get("summary")
        .or_else(|| a.annotations.get("description"))
    {
        Some(s) => format!("{name}: {}", s.replace(['\n', '\r'], " ")),
        None => name.to_string(),
    }
}

/// The draft an alert group opens: a title from its labels, services and severity from the
/// labels the hook's mapping names (`service` and `severity` unless set otherwise, a severity
/// renamed as the mapping says), the summary saying where it came from.
fn draft(hook: &Hook, p: &AlertmanagerPayload, first: Time) -> Postmortem {
    let labels = &p.common_labels;
    let name = labels
        .get("alertname")
        .or_else(|| p.group_labels.get("alertname"))
        .map_or("alerts", String::as_str);
    let map = &hook.mapping;
    let mut services: Vec<String> = p
        .alerts
        .iter()
        .filter_map(|a| a.labels.get(&map.service_label).cloned())
        .collect();
    services.sort();
    services.dedup();
    let on = if services.is_empty() {
        String::new()
    } else {
        format!(" on {}", services.join(", "))
    };
    let summary = format!(
        "Opened by the Alertmanager hook `{}` when the alert group {} fired. The timeline below is written as alerts fire and resolve; add what people saw and did.",
        hook.name, p.group_key
    );
    let mut d = debrief_store::events::draft(format!("{name}{on}"), summary, Some(first.date()));
    d.severity = labels
        .get(&map.severity_label)
        .or_else(|| {
            p.alerts
                .iter()
                .find_map(|a| a.labels.get(&map.severity_label))
        })
        .map(|s| map.severities.get(s).unwrap_or(s).clone());
    d.services = services;
    d
}

/// Adds the entries of `events` the draft does not hold yet; the number added.
fn record(p: &mut Postmortem, events: &[Event<'_>]) -> usize {
    let mut added = 0;
    let mut push = |p: &mut Postmortem, at: Time, a: &Alert, status: &str, text: String| {
        let entry = TimelineEntry {
            at: Some(stamp(at)),
            text,
            kind: EventKind::Other,
            line: 0,
            source: Some(source(a)),
            link: Some(a.generator_url.clone()).filter(|u| !u.is_empty()),
            event: Some(key(a, status)),
            hidden: false,
            starred: false,
        };
        if p.add_entry(entry) {
            added += 1;
        }
    };
    for e in events {
        push(
            p,
            e.starts,
            e.alert,
            "firing",
            format!("{} firing", summary(e.alert)),
        );
        if let Some(ends) = e.ends {
            push(
                p,
                ends,
                e.alert,
                "resolved",
                format!("{} resolved", summary(e.alert)),
            );
        }
    }
    if added > 0 {
        classify(p);
    }
    added
}

/// Kinds and instants from the alert entries: the first firing is the detection (and, as far
/// as the alerts know, the start); a resolution while other alerts still fire is a mitigation;
/// the last one that leaves nothing firing is the resolution, and the end. What the author
/// stated stays when it is earlier (a start, a detection, a mitigation) or, for the end, later.
fn classify(p: &mut Postmortem) {
    debrief_core::import::order_timeline(&mut p.timeline, &mut Vec::new());
    let mut firing = std::collections::HashSet::new();
    let (mut first_firing, mut last_firing, mut first_resolved, mut end) = (None, None, None, None);
    for e in p.timeline.iter_mut() {
        let Some(key) = e
            .event
            .as_deref()
            .and_then(|k| k.strip_prefix("alertmanager:"))
        else {
            continue;
        };
        let mut parts = key.splitn(3, ':');
        let fingerprint = parts.next().unwrap_or_default().to_string();
        if parts.next() == Some("firing") {
            e.kind = if first_firing.is_none() {
                EventKind::Detection
            } else {
                EventKind::Symptom
            };
            first_firing.get_or_insert_with(|| e.at.clone());
            last_firing = e.at.clone();
            firing.insert(fingerprint);
            end = None;
        } else {
            firing.remove(&fingerprint);
            first_resolved.get_or_insert_with(|| e.at.clone());
            if firing.is_empty() {
                e.kind = EventKind::Resolution;
                end = e.at.clone();
            } else {
                e.kind = EventKind::Mitigation;
            }
        }
    }
    let seconds = |s: &Option<Stamp>| s.as_ref().and_then(|s| s.utc_seconds(true));
    let earliest = |stated: &Option<Stamp>, alerts: Option<Stamp>| match (seconds(stated), &alerts)
    {
        (Some(a), Some(b)) if b.utc_seconds(true).is_some_and(|b| b < a) => alerts,
        (Some(_), _) => stated.clone(),
        _ => alerts.or_else(|| stated.clone()),
    };
    let i = &mut p.instants;
    if i.started.is_none() && !i.derived.contains(&InstantName::Started) {
        i.derived.push(InstantName::Started);
    }
    let first_firing = first_firing.flatten();
    i.started = earliest(&i.started, first_firing.clone());
    i.detected = earliest(&i.detected, first_firing);
    i.mitigated = earliest(&i.mitigated, first_resolved.flatten());
    i.ended = if firing.is_empty() {
        match (seconds(&i.ended), seconds(&end)) {
            (Some(a), Some(b)) if a >= b => i.ended.clone(),
            _ => end.or_else(|| i.ended.clone()),
        }
    } else {
        // Something fires again: an end before it no longer holds.
        i.ended
            .clone()
            .filter(|_| seconds(&i.ended) > seconds(&last_firing))
    };
}

/// `POST /api/v1/hooks/alertmanager/{hook}`.
pub(crate) async fn alertmanager(
    State(st): State<AppState>,
    caller: Caller,
    axum::extract::Path(name): axum::extract::Path<String>,
    headers: HeaderMap,
    body: Result<ApiJson<AlertmanagerPayload>, ApiError>,
) -> ApiResult<Response> {
    let hook = hook_of(&st, "alertmanager", &name, &headers).await?;
    let ApiJson(payload) = body?;
    let events = events(&payload)?;
    let first = events
        .iter()
        .map(|e| e.starts)
        .min()
        .unwrap_or_else(Time::now);
    // Made only when the group opens a draft.
    let opening = || NewDocument {
        source: None,
        text: debrief_core::export::to_markdown(&draft(&hook, &payload, first)),
        author: format!("hook:{}", hook.name),
        message: format!("opened by the Alertmanager hook {}", hook.name),
        record: None,
        identity: None,
        audit: None,
    };
    let drafted = st
        .store
        .alert_draft(&hook, &payload.group_key, Time::now(), &opening)
        .await?;
    let what = if drafted.opened {
        "alert events, opening the draft"
    } else {
        "alert events"
    };
    let written = written(&st, &caller, &hook, &drafted.id, what, |p| {
        record(p, &events)
    })
    .await?;
    Ok(delivered(written, drafted.opened))
}

/// The hook's entries written into postmortem `id` ([`debrief_store::events::write`], by
/// `hook:NAME`), and the delivery audited when it changed something. Another writer saving
/// first every time is a 409 with `Retry-After`: the sender tries again.
async fn written(
    st: &AppState,
    caller: &Caller,
    hook: &Hook,
    id: &str,
    what: &str,
    change: impl FnMut(&mut Postmortem) -> usize,
) -> ApiResult<debrief_store::events::Written> {
    let actor = format!("hook:{}", hook.name);
    let message = format!("{what} from the {} hook {}", hook.kind, hook.name);
    let w = match debrief_store::events::write(&*st.store, id, &actor, &message, change).await {
        Ok(w) => w,
        Err(StoreError::Conflict { .. }) => {
            let mut e = ApiError::new(
                Kind::Conflict,
                "the postmortem kept changing while this delivery was written; send it again",
            );
            e.retry_after = Some(1);
            return Err(e);
        }
        Err(e) => return Err(e.into()),
    };
    if w.added > 0 {
        let entry = debrief_store::AuditEntry {
            actor,
            action: "hook.delivery".into(),
            target: id.to_string(),
            outcome: "ok".into(),
            remote: caller.remote.clone(),
            detail: format!(
                "{}: {} timeline entries, revision {}",
                message, w.added, w.revision
            ),
        };
        if let Err(err) = st.store.audit(&entry).await {
            tracing::error!(error = %err, "audit append failed");
        }
    }
    Ok(w)
}

/// `POST /api/v1/hooks/events/{hook}`: one event into the postmortem it names, or into the open
/// draft of the service its labels name.
pub(crate) async fn event(
    State(st): State<AppState>,
    caller: Caller,
    axum::extract::Path(name): axum::extract::Path<String>,
    headers: HeaderMap,
    body: Result<ApiJson<EventInput>, ApiError>,
) -> ApiResult<Response> {
    let hook = hook_of(&st, "events", &name, &headers).await?;
    let ApiJson(input) = body?;
    let at = Time::parse_rfc3339(&input.at).ok_or_else(|| {
        unprocessable(format!(
            "at: {:?} is not an RFC 3339 time such as 2026-03-14T10:21:00Z",
            input.at
        ))
    })?;
    let event = debrief_store::events::Event {
        at,
        text: input.text,
        source: input.source,
        link: input.link,
        kind: input.kind,
        key: input.id,
    };
    if let Some((field, problem)) = event.problem() {
        return Err(unprocessable(format!("{field}: {problem}")));
    }
    // Other labels may ride along; only `service` names a draft.
    let service = input.labels.as_ref().and_then(|l| l.get("service"));
    let id = match (&input.postmortem, service) {
        (Some(prefix), None) if prefix.trim().chars().count() < crate::api::MIN_ID_PREFIX => {
            return Err(unprocessable(format!(
                "postmortem: give its id, or at least its first {} characters",
                crate::api::MIN_ID_PREFIX
            )));
        }
        (Some(prefix), None) => st.store.resolve_id(prefix).await?,
        (None, Some(service)) => {
            debrief_store::events::open_draft_for(&*st.store, service, Time::now(), hook.window_minutes)
                .await?
                .ok_or_else(|| {
                    ApiError::new(
                        Kind::NotFound,
                        format!(
                            "no draft postmortem for service {service:?} was saved in the last {} minutes; name the postmortem with `postmortem`",
                            hook.window_minutes
                        ),
                    )
                })?
        }
        (Some(_), Some(_)) => {
            return Err(unprocessable(
                "give either `postmortem` (an id) or `labels.service`, not both".into(),
            ));
        }
        (None, None) => {
            return Err(unprocessable(
                "name the postmortem: give `postmortem` (an id) or `labels.service` (the service of an open draft)".into(),
            ));
        }
    };
    let entry = event.entry();
    let written = written(
        &st,
        &caller,
        &hook,
        &id,
        &format!("event from {}", event.source),
        |p| usize::from(p.add_entry(entry.clone())),
    )
    .await?;
    Ok(delivered(written, false))
}

fn delivered(w: debrief_store::events::Written, opened: bool) -> Response {
    json_response(
        StatusCode::OK,
        &Delivery {
            postmortem: w.id,
            revision: w.revision,
            opened,
            added: w.added,
        },
    )
}
