//! Restricted postmortems leave no trace for non-members: a unique marker in every field of
//! several restricted postmortems, then every GET route, search, list, statistics and the
//! action items read as each non-member. The member and an admin see the marker (so the test
//! would notice if it were looking in the wrong place).

use super::support::env;
use debrief_server::routes::ROUTES;

const MARK: &str = "Zqxleak";

fn secret_doc(n: usize) -> String {
    let m = format!("{MARK}{n}");
    format!(
        "---\ntitle: {m} title\ndate: 2024-02-0{n}\nseverity: {m}sev\nstatus: {m}status\nservices: [{m}svc]\ntags: [{m}tag]\nauthors: [{m}author]\n---\n\n## Summary\n\n{m} summary of the outage.\n\n## Impact\n\n{m} impact on 12% of requests.\n\n## Timeline\n\n- 10:00 UTC {m} errors rise\n- 10:05 UTC alert fires for {m}\n- 10:40 UTC {m} resolved\n\n## Root cause\n\n{m} root cause.\n\n## Resolution\n\n{m} resolution.\n\n## Action items\n\n- {m} action (owner: @{m}owner, due: 2024-03-01)\n\n## Lessons learned\n\n{m} lesson.\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restricted_postmortems_never_reach_non_members() {
    let env = env("leak").await;
    env.open_pm(super::support::DOC).await;
    let mut ids = Vec::new();
    for n in 1..=3 {
        ids.push(env.restricted(&secret_doc(n)).await);
    }
    // Every GET route, for every restricted id, plus queries aimed at the marker.
    let mut uris: Vec<String> = Vec::new();
    for r in ROUTES.iter().filter(|r| r.method == "GET") {
        if r.path.contains("{id}") {
            for id in &ids {
                let u = r.path.replace("{id}", id).replace("{number}", "1");
                uris.push(if u.ends_with("/diff") {
                    format!("{u}?from=1&to=1")
                } else {
                    u
                });
            }
        } else {
            uris.push(r.path.to_string());
        }
    }
    for q in [
        format!("/api/v1/search?q={MARK}1"),
        format!("/api/v1/search?q={MARK}1*"),
        "/api/v1/search?q=summary".to_string(),
        format!("/api/v1/postmortems?service={MARK}1svc"),
        format!("/api/v1/postmortems?tag={MARK}1tag"),
        "/api/v1/postmortems?limit=500".to_string(),
        format!("/api/v1/actions?owner={MARK}1owner"),
        "/api/v1/actions".to_string(),
        "/api/v1/actions?open=true".to_string(),
        format!("/api/v1/actions?service={MARK}1svc"),
        "/api/v1/stats".to_string(),
        "/api/v1/stats?by=service".to_string(),
        "/api/v1/stats?by=severity".to_string(),
        "/api/v1/stats?by=month".to_string(),
    ] {
        uris.push(q);
    }
    let mut reads = 0;
    let mut leaks = Vec::new();
    for who in [None, Some("vera"), Some("eddie"), Some("nick")] {
        for uri in &uris {
            let r = env.call("GET", uri, who, None, None).await;
            reads += 1;
            let found_mark = r.body.matches(MARK).count();
            let found_ids: usize = ids
                .iter()
                .map(|id| r.body.matches(id.as_str()).count())
                .sum();
            if found_mark + found_ids > 0 {
                leaks.push(format!(
                    "{uri} as {}: {} marker(s), {} id(s)",
                    who.unwrap_or("anonymous"),
                    found_mark,
                    found_ids
                ));
            }
        }
    }
    // The member and an admin do see them (the test looks where the data is).
    for who in ["mia", "ada"] {
        let r = env
            .call(
                "GET",
                &format!("/api/v1/search?q={MARK}1"),
                Some(who),
                None,
                None,
            )
            .await;
        assert!(
            r.body.contains(&ids[0]),
            "{who} must find the restricted postmortem: {}",
            r.body
        );
        let r = env
            .call(
                "GET",
                &format!("/api/v1/postmortems/{}", ids[1]),
                Some(who),
                None,
                None,
            )
            .await;
        assert!(r.body.matches(MARK).count() > 10, "{who} reads every field");
    }
    println!(
        "leak test: {reads} reads by non-members over {} routes; {} occurrences of the marker or the ids",
        uris.len(),
        leaks.len()
    );
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
}
