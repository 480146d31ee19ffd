//! Bad input gets a problem+json answer with a stable type, never a 5xx.

use super::support::{DOC, env};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_are_problems_with_stable_types() {
    let env = env("errors").await;
    let id = env.open_pm(DOC).await;
    let pm = format!("/api/v1/postmortems/{id}");
    let kind = |r: &super::support::Reply| {
        r.json()["type"]
            .as_str()
            .unwrap_or("")
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_string()
    };

    let r = env
        .call(
            "POST",
            "/api/v1/postmortems",
            Some("eddie"),
            Some(("application/json", "{\"title\": ".into())),
            None,
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), kind(&r).as_str()),
        (400, "bad-request"),
        "{}",
        r.body
    );
    assert_eq!(r.headers["content-type"], "application/problem+json");
    assert!(
        r.json()["detail"]
            .as_str()
            .unwrap()
            .contains("not a postmortem record")
    );

    let r = env
        .call(
            "POST",
            "/api/v1/postmortems",
            Some("eddie"),
            Some(("application/xml", "<x/>".into())),
            None,
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), kind(&r).as_str()),
        (415, "unsupported-media-type")
    );

    let big = "x".repeat(3 * 1024 * 1024);
    let r = env
        .call(
            "POST",
            "/api/v1/lint",
            Some("eddie"),
            Some(("text/plain", big)),
            None,
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), kind(&r).as_str()),
        (413, "payload-too-large")
    );

    let r = env
        .call(
            "POST",
            "/api/v1/postmortems",
            Some("eddie"),
            Some(("text/plain", "  \n".into())),
            None,
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), kind(&r).as_str()),
        (422, "invalid-document")
    );

    let r = env
        .call(
            "PUT",
            &pm,
            Some("eddie"),
            Some(("text/plain", DOC.into())),
            None,
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), kind(&r).as_str()),
        (428, "if-match-required")
    );

    let r = env
        .call(
            "PUT",
            &pm,
            Some("eddie"),
            Some(("text/plain", DOC.replace("50", "51"))),
            Some("\"1\""),
        )
        .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    assert_eq!(r.headers["etag"], "\"2\"");
    let r = env
        .call(
            "PUT",
            &pm,
            Some("eddie"),
            Some(("text/plain", DOC.replace("50", "52"))),
            Some("\"1\""),
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), kind(&r).as_str()),
        (412, "stale-revision")
    );
    assert_eq!(r.json()["current_revision"], 2);
    assert_eq!(r.headers["etag"], "\"2\"");

    let r = env
        .call("GET", "/api/v1/nothing", Some("eddie"), None, None)
        .await;
    assert_eq!((r.status.as_u16(), kind(&r).as_str()), (404, "not-found"));
    let r = env
        .call("DELETE", "/api/v1/search", Some("eddie"), None, None)
        .await;
    assert_eq!(
        (r.status.as_u16(), kind(&r).as_str()),
        (405, "method-not-allowed")
    );
    let r = env
        .call(
            "GET",
            "/api/v1/postmortems?limit=0",
            Some("eddie"),
            None,
            None,
        )
        .await;
    assert_eq!(r.status.as_u16(), 400);
    let r = env
        .call(
            "GET",
            "/api/v1/postmortems?unknown=1",
            Some("eddie"),
            None,
            None,
        )
        .await;
    assert_eq!(r.status.as_u16(), 400);
    let r = env
        .call("GET", "/api/v1/search", Some("eddie"), None, None)
        .await;
    assert_eq!(r.status.as_u16(), 400);
    let r = env
        .call(
            "GET",
            &format!("{pm}/diff?from=1&to=2"),
            Some("eddie"),
            None,
            None,
        )
        .await;
    assert_eq!(r.status.as_u16(), 200);
    assert!(
        r.json()["lines"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["op"] == "added")
    );
    let r = env
        .call(
            "POST",
            &format!("{pm}/timeline"),
            Some("eddie"),
            Some((
                "application/json",
                "{\"text\":\"x\",\"at\":\"25:99\"}".into(),
            )),
            Some("\"2\""),
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), kind(&r).as_str()),
        (422, "invalid-document"),
        "{}",
        r.body
    );
    let r = env
        .call("GET", "/api/v1/postmortems", None, None, None)
        .await;
    assert_eq!(
        (r.status.as_u16(), kind(&r).as_str()),
        (401, "unauthenticated")
    );
    let mut bogus = env
        .call("GET", "/api/v1/postmortems", Some("eddie"), None, None)
        .await;
    bogus.status = axum::http::StatusCode::OK;
    assert!(bogus.json()["items"].is_array());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_sent_as_text_is_a_document_only_when_it_is_postmortem_data() {
    let env = env("json-data").await;
    let post = |body: &str| {
        env.call(
            "POST",
            "/api/v1/postmortems",
            Some("eddie"),
            Some(("text/plain", body.to_string())),
            None,
        )
    };
    // An incident tool's export: the importer reads its fields, timeline and action items.
    let r = post(
        r#"{"title": "Queue stall", "severity": "SEV2", "timeline": [{"time": "2024-08-08 02:14 UTC", "event": "Lag grows"}, {"time": "2024-08-08 03:40 UTC", "event": "Lag back to zero"}], "follow_ups": [{"title": "Dead-letter poison messages", "owner": "Wei"}]}"#,
    )
    .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_string();
    let got = env
        .call(
            "GET",
            &format!("/api/v1/postmortems/{id}"),
            Some("eddie"),
            None,
            None,
        )
        .await
        .json();
    let record = &got["record"];
    assert_eq!(record["title"], "Queue stall", "{got}");
    assert_eq!(record["timeline"].as_array().unwrap().len(), 2);
    assert_eq!(record["action_items"][0]["owner"], "Wei");
    // Other JSON sent as text is still a client naming the wrong type.
    for other in ["{}", "null", r#"{"services": {"web": {"image": "nginx"}}}"#] {
        let r = post(other).await;
        assert_eq!(r.status.as_u16(), 422, "{other}: {}", r.body);
    }
}
