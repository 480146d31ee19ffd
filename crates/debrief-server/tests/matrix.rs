//! The authorisation matrix: every route of the route table, every method, every subject.
//! Expectations are written out here per route; a route added to the table without a row here
//! fails the test.

use super::support::{DOC, PASSWORD, env};
use debrief_server::routes::ROUTES;

/// Subjects, in the order of each row's statuses: anonymous, a viewer, an editor, an admin,
/// a member of the restricted postmortem (editor role), a non-member (editor role).
const SUBJECTS: [Option<&str>; 6] = [
    None,
    Some("vera"),
    Some("eddie"),
    Some("ada"),
    Some("mia"),
    Some("nick"),
];

/// (method, path, expected status per subject). `{id}` is a postmortem restricted to mia.
const EXPECTED: &[(&str, &str, [u16; 6])] = &[
    ("GET", "/healthz", [200, 200, 200, 200, 200, 200]),
    ("GET", "/metrics", [401, 403, 403, 200, 403, 403]),
    ("GET", "/api/openapi.json", [200, 200, 200, 200, 200, 200]),
    ("POST", "/api/v1/sessions", [201, 201, 201, 201, 201, 201]),
    ("GET", "/api/v1/postmortems", [401, 200, 200, 200, 200, 200]),
    (
        "POST",
        "/api/v1/postmortems",
        [401, 403, 201, 201, 201, 201],
    ),
    (
        "GET",
        "/api/v1/postmortems/{id}",
        [401, 404, 404, 200, 200, 404],
    ),
    (
        "PUT",
        "/api/v1/postmortems/{id}",
        [401, 403, 404, 200, 200, 404],
    ),
    (
        "DELETE",
        "/api/v1/postmortems/{id}",
        [401, 403, 404, 204, 204, 404],
    ),
    (
        "GET",
        "/api/v1/postmortems/{id}/revisions",
        [401, 404, 404, 200, 200, 404],
    ),
    (
        "GET",
        "/api/v1/postmortems/{id}/revisions/{number}",
        [401, 404, 404, 200, 200, 404],
    ),
    (
        "GET",
        "/api/v1/postmortems/{id}/diff",
        [401, 404, 404, 200, 200, 404],
    ),
    (
        "POST",
        "/api/v1/postmortems/{id}/timeline",
        [401, 403, 404, 200, 200, 404],
    ),
    (
        "PATCH",
        "/api/v1/postmortems/{id}/timeline/{index}",
        [401, 403, 404, 200, 200, 404],
    ),
    (
        "POST",
        "/api/v1/postmortems/{id}/actions",
        [401, 403, 404, 200, 200, 404],
    ),
    (
        "PATCH",
        "/api/v1/postmortems/{id}/actions/{index}",
        [401, 403, 404, 200, 200, 404],
    ),
    (
        "GET",
        "/api/v1/postmortems/{id}/findings",
        [401, 404, 404, 200, 200, 404],
    ),
    (
        "GET",
        "/api/v1/postmortems/{id}/metrics",
        [401, 404, 404, 200, 200, 404],
    ),
    (
        "GET",
        "/api/v1/postmortems/{id}/access",
        [401, 403, 403, 200, 403, 403],
    ),
    (
        "PUT",
        "/api/v1/postmortems/{id}/access",
        [401, 403, 403, 200, 403, 403],
    ),
    ("GET", "/api/v1/actions", [401, 200, 200, 200, 200, 200]),
    ("GET", "/api/v1/search", [401, 200, 200, 200, 200, 200]),
    ("GET", "/api/v1/facets", [401, 200, 200, 200, 200, 200]),
    ("POST", "/api/v1/lint", [401, 200, 200, 200, 200, 200]),
    ("GET", "/api/v1/stats", [401, 200, 200, 200, 200, 200]),
    // A hook takes its own secret, never a user's token.
    (
        "POST",
        "/api/v1/hooks/alertmanager/{hook}",
        [401, 401, 401, 401, 401, 401],
    ),
    (
        "POST",
        "/api/v1/hooks/events/{hook}",
        [401, 401, 401, 401, 401, 401],
    ),
];

fn request(
    method: &str,
    path: &str,
    id: &str,
) -> (String, Option<(&'static str, String)>, Option<&'static str>) {
    let uri = path
        .replace("{id}", id)
        .replace("{number}", "1")
        .replace("{index}", "0")
        .replace("{hook}", "prod");
    let uri = match path {
        p if p.ends_with("/diff") => format!("{uri}?from=1&to=1"),
        p if p.ends_with("/search") => format!("{uri}?q=queue"),
        _ => uri,
    };
    let json = |s: String| Some(("application/json", s));
    let body = match (method, path) {
        ("POST", "/api/v1/sessions") => {
            json(format!("{{\"name\":\"vera\",\"password\":\"{PASSWORD}\"}}"))
        }
        ("POST", "/api/v1/postmortems")
        | ("POST", "/api/v1/lint")
        | ("PUT", "/api/v1/postmortems/{id}") => Some(("text/plain", DOC.replace("40%", "41%"))),
        (_, p) if p.ends_with("/timeline") => {
            json("{\"text\":\"11:00 UTC on-call joins\",\"at\":\"11:00 UTC\"}".into())
        }
        (_, p) if p.ends_with("/timeline/{index}") => {
            json("{\"text\":\"queue depth rises sharply\"}".into())
        }
        (_, p) if p.ends_with("/actions") => {
            json("{\"text\":\"Add a runbook for stuck consumers\",\"owner\":\"@ops\"}".into())
        }
        (_, p) if p.ends_with("/actions/{index}") => json("{\"status\":\"done\"}".into()),
        (_, p) if p.starts_with("/api/v1/hooks/") => json(
            "{\"version\":\"4\",\"groupKey\":\"{}\",\"status\":\"firing\",\"alerts\":[]}".into(),
        ),
        ("PUT", p) if p.ends_with("/access") => {
            json("{\"restricted\":true,\"members\":[\"mia\"]}".into())
        }
        _ => None,
    };
    let conditional = ROUTES
        .iter()
        .any(|r| r.method == method && r.path == path && r.conditional);
    (uri, body, conditional.then_some("\"1\""))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_method_and_subject_is_authorised_as_specified() {
    // A row for every route, and a route for every row.
    for r in ROUTES {
        assert!(
            EXPECTED.iter().any(|e| e.0 == r.method && e.1 == r.path),
            "route {} {} has no row in the authorisation matrix",
            r.method,
            r.path
        );
    }
    for e in EXPECTED {
        assert!(
            ROUTES.iter().any(|r| r.method == e.0 && r.path == e.1),
            "matrix row {} {} names no route",
            e.0,
            e.1
        );
    }
    let env = env("matrix").await;
    let mut cells = 0;
    let mut failures = Vec::new();
    for (method, path, expected) in EXPECTED {
        for (k, who) in SUBJECTS.iter().enumerate() {
            // A fresh restricted postmortem for every cell, so writes cannot affect other cells.
            let id = env.restricted(DOC).await;
            let (uri, body, if_match) = request(method, path, &id);
            let r = env.call(method, &uri, *who, body, if_match).await;
            cells += 1;
            if r.status.as_u16() != expected[k] {
                failures.push(format!(
                    "{method} {path} as {}: {} (expected {}) {}",
                    who.unwrap_or("anonymous"),
                    r.status,
                    expected[k],
                    r.body.chars().take(200).collect::<String>()
                ));
            }
            if r.status.as_u16() >= 400 {
                assert_eq!(
                    r.headers["content-type"], "application/problem+json",
                    "{method} {path}"
                );
            }
        }
    }
    // Methods a path does not route answer 405 to everyone.
    let mut paths: Vec<&str> = ROUTES.iter().map(|r| r.path).collect();
    paths.sort();
    paths.dedup();
    for path in paths {
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            if ROUTES.iter().any(|r| r.path == path && r.method == method) {
                continue;
            }
            for who in SUBJECTS {
                let id = env.open_pm(DOC).await;
                let (uri, _, _) = request(method, path, &id);
                let r = env.call(method, &uri, who, None, None).await;
                cells += 1;
                if r.status.as_u16() != 405 {
                    failures.push(format!(
                        "{method} {path} as {}: {} (expected 405)",
                        who.unwrap_or("anonymous"),
                        r.status
                    ));
                }
            }
        }
    }
    println!(
        "authorization matrix: {cells} cells checked ({} routes, {} subjects)",
        ROUTES.len(),
        SUBJECTS.len()
    );
    assert!(
        failures.is_empty(),
        "{} cell(s) wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
