//! Every write, denial and login is in the audit trail, the chain verifies, and no secret is in it.

use super::support::{DOC, PASSWORD, env, login};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_denials_and_logins_are_audited_without_secrets() {
    let env = env("audit").await;
    let r = env
        .call(
            "POST",
            "/api/v1/postmortems",
            Some("eddie"),
            Some(("text/plain", DOC.into())),
            None,
        )
        .await;
    let id = r.json()["id"].as_str().unwrap().to_string();
    env.call(
        "PUT",
        &format!("/api/v1/postmortems/{id}"),
        Some("eddie"),
        Some(("text/plain", DOC.replace("50", "55"))),
        Some("\"1\""),
    )
    .await;
    env.call(
        "DELETE",
        &format!("/api/v1/postmortems/{id}"),
        Some("vera"),
        None,
        None,
    )
    .await;
    env.call("GET", "/api/v1/postmortems", None, None, None)
        .await;
    let session = login(&env, "vera", PASSWORD).await;
    let session_token = session.json()["token"].as_str().unwrap().to_string();
    login(&env, "vera", "guess-guess-guess").await;
    env.call(
        "PUT",
        &format!("/api/v1/postmortems/{id}/access"),
        Some("ada"),
        Some((
            "application/json",
            "{\"restricted\":true,\"members\":[\"mia\"]}".into(),
        )),
        None,
    )
    .await;

    let log = env.store.audit_log().await.unwrap();
    let has = |action: &str, outcome: &str| {
        log.iter()
            .any(|r| r.entry.action.starts_with(action) && r.entry.outcome == outcome)
    };
    assert!(has("postmortem.create", "ok"));
    assert!(has("postmortem.update", "ok"));
    assert!(
        has("denied DELETE", "denied"),
        "the viewer's delete was denied and recorded"
    );
    assert!(
        has("denied GET", "denied"),
        "the anonymous list was denied and recorded"
    );
    assert!(has("login", "ok") && has("login", "denied"));
    assert!(has("access.set", "ok"));
    assert!(debrief_store::verify_audit(&log).is_empty());
    let all = serde_json::to_string(&log).unwrap();
    for secret in [
        PASSWORD,
        "guess-guess-guess",
        session_token.as_str(),
        env.tokens["eddie"].as_str(),
    ] {
        assert!(!all.contains(secret), "a secret reached the audit trail");
    }
    println!("audit: {} rows, chain intact, no secrets", log.len());
}
