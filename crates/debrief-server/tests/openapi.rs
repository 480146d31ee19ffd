//! The committed OpenAPI document is the generated one, and it names every route.

use std::path::Path;

use super::support::env;
use debrief_server::routes::ROUTES;

#[test]
fn the_committed_document_matches_the_code() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/openapi.json");
    let committed = std::fs::read_to_string(&path).unwrap();
    assert!(
        committed == debrief_server::openapi::pretty(),
        "schema/openapi.json is out of date; regenerate it with `cargo run -p debrief -- schema --openapi > schema/openapi.json`"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_in_the_router_is_in_the_document() {
    let doc = debrief_server::openapi::document();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let mut documented = 0;
    for (path, ops) in paths {
        documented += ops.as_object().unwrap().len();
        for method in ops.as_object().unwrap().keys() {
            assert!(
                ROUTES
                    .iter()
                    .any(|r| r.path == path && r.method.eq_ignore_ascii_case(method)),
                "{method} {path} is documented but not routed"
            );
        }
    }
    assert_eq!(documented, ROUTES.len());
    // The router answers every route (never the "no route" fallback).
    let env = env("openapi").await;
    for r in ROUTES {
        documented -= usize::from(paths[r.path][r.method.to_lowercase()].is_object());
        let uri = r
            .path
            .replace("{id}", "x")
            .replace("{number}", "1")
            .replace("{index}", "0");
        let reply = env.call(r.method, &uri, Some("ada"), None, None).await;
        assert!(
            !reply.body.contains("no route"),
            "{} {} is not routed: {}",
            r.method,
            r.path,
            reply.body
        );
    }
    assert_eq!(documented, 0, "every route is in the document");
    // Every $ref resolves.
    let text = doc.to_string();
    for piece in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = piece.split('"').next().unwrap();
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "unresolved $ref {name}"
        );
    }
}
