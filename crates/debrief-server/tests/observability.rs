//! `/healthz` and `/metrics` say what an operator needs.

use super::support::{DOC, env};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_requests_and_the_library() {
    let env = env("metrics").await;
    env.open_pm(DOC).await;
    env.open_pm(&DOC.replace("2024-08-01", "2099-01-01")).await;
    env.call("GET", "/api/v1/postmortems", Some("vera"), None, None)
        .await;
    env.call("GET", "/api/v1/postmortems", None, None, None)
        .await;
    let health = env.call("GET", "/healthz", None, None, None).await;
    assert_eq!(health.json()["database"], "reachable");
    let m = env.call("GET", "/metrics", Some("ada"), None, None).await;
    assert!(
        m.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    for line in [
        "debrief_http_requests_total{method=\"GET\",route=\"/api/v1/postmortems\",status=\"200\"} 1",
        "debrief_http_errors_total{method=\"GET\",route=\"/api/v1/postmortems\",status=\"401\"} 1",
        "debrief_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/postmortems\"} 2",
        "debrief_postmortems 2",
        "debrief_action_items_open 2",
        "debrief_action_items_overdue 1",
    ] {
        assert!(
            m.body.lines().any(|l| l == line),
            "missing `{line}` in:\n{}",
            m.body
        );
    }
}
