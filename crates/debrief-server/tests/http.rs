//! HTTP as clients expect it: every form of If-Match, and creates retried with an
//! Idempotency-Key; lists paged with a cursor.

use super::support::{DOC, env};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn if_match_in_every_form() {
    let env = env("if-match").await;
    let id = env.open_pm(DOC).await;
    let pm = format!("/api/v1/postmortems/{id}");
    let put = |tag: Option<&'static str>, minutes: &'static str| {
        let env = &env;
        let pm = pm.clone();
        async move {
            env.call(
                "PUT",
                &pm,
                Some("eddie"),
                Some(("text/plain", DOC.replace("50", minutes))),
                tag,
            )
            .await
        }
    };
    // A tag that names no revision matches none: 412 with the current revision, not a 400.
    for tag in ["\"stale-0\"", "W/\"x\"", "\"0\"", "\"-3\""] {
        let r = env
            .call(
                "PUT",
                &pm,
                Some("eddie"),
                Some(("text/plain", DOC.replace("50", "51"))),
                Some(tag),
            )
            .await;
        assert_eq!(r.status.as_u16(), 412, "{tag}: {}", r.body);
        assert_eq!(r.json()["current_revision"], 1, "{tag}");
        assert!(r.json()["detail"].as_str().unwrap().contains("revision 1"));
    }
    // The 428 says which revision is current.
    let r = put(None, "51").await;
    assert_eq!(r.status.as_u16(), 428);
    assert!(
        r.json()["detail"]
            .as_str()
            .unwrap()
            .contains("If-Match: \"1\""),
        "{}",
        r.body
    );
    // `*` matches whatever is current; weak and bare numbers are revisions too.
    let r = put(Some("*"), "52").await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    assert_eq!(r.headers["etag"], "\"2\"");
    let r = put(Some("W/\"2\""), "53").await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    let r = put(Some("3"), "54").await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    let r = put(Some("\"3\""), "55").await;
    assert_eq!(r.status.as_u16(), 412);
    assert_eq!(r.json()["current_revision"], 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_retried_with_its_idempotency_key_answers_the_first_response() {
    let env = env("idempotency").await;
    let create = |key: &'static str, doc: String| {
        let env = &env;
        async move {
            let auth = format!("Bearer {}", env.tokens["eddie"]);
            env.send(
                "POST",
                "/api/v1/postmortems",
                &[("authorization", auth.as_str()), ("idempotency-key", key)],
                Some(("text/plain", doc)),
            )
            .await
        }
    };
    let count = || async {
        env.call("GET", "/api/v1/postmortems", Some("eddie"), None, None)
            .await
            .json()["items"]
            .as_array()
            .unwrap()
            .len()
    };
    let before = count().await;
    let first = create("0b6a9f3e-retry-1", DOC.into()).await;
    assert_eq!(first.status.as_u16(), 201, "{}", first.body);
    let again = create("0b6a9f3e-retry-1", DOC.into()).await;
    assert_eq!(again.status.as_u16(), 201, "{}", again.body);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(again.json(), first.json());
    assert_eq!(count().await, before + 1);

    // Edited since: a retry still answers what the create answered.
    let id = first.json()["id"].as_str().unwrap().to_string();
    let r = env
        .call(
            "PUT",
            &format!("/api/v1/postmortems/{id}"),
            Some("eddie"),
            Some(("text/plain", DOC.replace("50", "51"))),
            Some("\"1\""),
        )
        .await;
    assert_eq!(r.status.as_u16(), 200);
    let late = create("0b6a9f3e-retry-1", DOC.into()).await;
    assert_eq!(late.json(), first.json());

    // The same key for another document is refused; a new key creates.
    let other = create("0b6a9f3e-retry-1", DOC.replace("50", "57")).await;
    assert_eq!(other.status.as_u16(), 422, "{}", other.body);
    assert!(other.json()["detail"].as_str().unwrap().contains("new key"));
    let fresh = create("0b6a9f3e-retry-2", DOC.replace("50", "57")).await;
    assert_eq!(fresh.status.as_u16(), 201);
    assert_ne!(fresh.json()["id"], first.json()["id"]);
    assert_eq!(count().await, before + 2);

    // Keys are the caller's own: another user's identical key creates their own postmortem.
    // Deleted since: the key names no postmortem any more, and says so.
    let deleted = env
        .call(
            "DELETE",
            &format!(
                "/api/v1/postmortems/{}",
                fresh.json()["id"].as_str().unwrap()
            ),
            Some("eddie"),
            None,
            None,
        )
        .await;
    assert_eq!(deleted.status.as_u16(), 204);
    let gone = create("0b6a9f3e-retry-2", DOC.replace("50", "57")).await;
    assert_eq!(gone.status.as_u16(), 409, "{}", gone.body);
    assert!(gone.json()["detail"].as_str().unwrap().contains("deleted"));

    let auth = format!("Bearer {}", env.tokens["ada"]);
    let theirs = env
        .send(
            "POST",
            "/api/v1/postmortems",
            &[
                ("authorization", auth.as_str()),
                ("idempotency-key", "0b6a9f3e-retry-1"),
            ],
            Some(("text/plain", DOC.into())),
        )
        .await;
    assert_eq!(theirs.status.as_u16(), 201);
    assert_ne!(theirs.json()["id"], first.json()["id"]);

    let long = "k".repeat(300);
    let auth = format!("Bearer {}", env.tokens["eddie"]);
    let bad = env
        .send(
            "POST",
            "/api/v1/postmortems",
            &[
                ("authorization", auth.as_str()),
                ("idempotency-key", long.as_str()),
            ],
            Some(("text/plain", DOC.into())),
        )
        .await;
    assert_eq!(bad.status.as_u16(), 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restricting_to_someone_who_is_no_user_is_refused() {
    let env = env("access-members").await;
    let id = env.open_pm(DOC).await;
    let access = format!("/api/v1/postmortems/{id}/access");
    let r = env
        .call(
            "PUT",
            &access,
            Some("ada"),
            Some((
                "application/json",
                "{\"restricted\":true,\"members\":[\"mia\",\"nobody-here\"]}".into(),
            )),
            None,
        )
        .await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    assert!(r.json()["detail"].as_str().unwrap().contains("nobody-here"));
    // Nothing changed: still open to every viewer.
    let seen = env
        .call(
            "GET",
            &format!("/api/v1/postmortems/{id}"),
            Some("vera"),
            None,
            None,
        )
        .await;
    assert_eq!(seen.status.as_u16(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timeline_entries_added_by_time_of_day_or_rfc3339_keep_the_record_coherent() {
    let env = env("timeline-edits").await;
    let id = env.open_pm(DOC).await;
    let timeline = format!("/api/v1/postmortems/{id}/timeline");
    let add = |body: &'static str, rev: &'static str| {
        let env = &env;
        let timeline = timeline.clone();
        async move {
            env.call(
                "POST",
                &timeline,
                Some("eddie"),
                Some(("application/json", body.into())),
                Some(rev),
            )
            .await
        }
    };
    // A time of day lands on the incident's day and zone, in order, and metrics stay whole.
    let r = add(
        r#"{"at":"10:20","text":"on-call engineer acknowledges"}"#,
        "\"1\"",
    )
    .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    let body = r.json();
    let entries = body["record"]["timeline"].as_array().unwrap();
    let times: Vec<&str> = entries
        .iter()
        .map(|e| e["at"]["at"].as_str().unwrap())
        .collect();
    assert_eq!(
        times,
        [
            "2024-07-21T10:00:00Z",
            "2024-07-21T10:05:00Z",
            "2024-07-21T10:20:00Z",
            "2024-07-21T10:50:00Z"
        ]
    );
    assert_eq!(body["metrics"]["time_to_detect_minutes"], 5);
    assert_eq!(body["metrics"]["time_to_acknowledge_minutes"], 15);
    // RFC 3339 is accepted, an explicit kind is kept.
    let r = add(
        r#"{"at":"2024-07-21T10:40:00Z","text":"consumer restarted","kind":"mitigation"}"#,
        "\"2\"",
    )
    .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    let body = r.json();
    assert_eq!(body["record"]["timeline"][3]["kind"], "mitigation");
    assert_eq!(body["metrics"]["time_to_mitigate_minutes"], 40);
    let r = add(r#"{"at":"later that day","text":"x"}"#, "\"3\"").await;
    assert_eq!(r.status.as_u16(), 422);
    assert!(r.json()["detail"].as_str().unwrap().contains("RFC 3339"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn action_items_come_a_page_at_a_time() {
    let env = env("action-pages").await;
    for n in 0..3 {
        let items: String = (0..5)
            .map(|k| {
                format!(
                    "- Follow-up {n}-{k} (owner: @dana, due: 2024-0{}-1{k})\n",
                    n + 1
                )
            })
            .collect();
        env.open_pm(&format!("# Incident {n}\n\n## Action items\n\n{items}"))
            .await;
    }
    let get = |uri: String| {
        let env = &env;
        async move { env.call("GET", &uri, Some("vera"), None, None).await }
    };
    let whole = get("/api/v1/actions?limit=500".into()).await;
    assert_eq!(whole.status.as_u16(), 200);
    let whole = whole.json();
    assert_eq!(whole["items"].as_array().unwrap().len(), 15);
    assert!(whole.get("next_cursor").is_none(), "one page holds all");
    // Pages of four: four pages, the same items in the same order.
    let (mut seen, mut cursor) = (Vec::new(), None::<String>);
    for page in 1.. {
        let uri = match &cursor {
            Some(c) => format!("/api/v1/actions?limit=4&cursor={c}"),
            None => "/api/v1/actions?limit=4".into(),
        };
        let r = get(uri).await.json();
        seen.extend(r["items"].as_array().unwrap().iter().cloned());
        match r["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => {
                assert_eq!(page, 4);
                break;
            }
        }
    }
    assert_eq!(&seen, whole["items"].as_array().unwrap());
    let dues: Vec<&str> = seen.iter().map(|a| a["due"].as_str().unwrap()).collect();
    assert!(dues.windows(2).all(|w| w[0] <= w[1]), "{dues:?}");
    // Out of range, unknown or foreign to the order: a 400 that says what to do.
    for (uri, says) in [
        ("/api/v1/actions?limit=0", "limit"),
        ("/api/v1/actions?limit=501", "limit"),
        ("/api/v1/actions?sort=priority", "sort=priority"),
        ("/api/v1/actions?cursor=bogus", "start again"),
    ] {
        let r = get(uri.into()).await;
        assert_eq!(r.status.as_u16(), 400, "{uri}: {}", r.body);
        assert!(r.body.contains(says), "{uri}: {}", r.body);
    }
    let first = get("/api/v1/actions?limit=2".into()).await.json();
    let c = first["next_cursor"].as_str().unwrap();
    let r = get(format!("/api/v1/actions?sort=owner&cursor={c}")).await;
    assert!(r.status.is_client_error(), "{}", r.body);
    assert!(r.body.contains("cursor"), "{}", r.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_history_comes_newest_first_a_page_at_a_time() {
    let env = env("revision-pages").await;
    let id = env.open_pm(DOC).await;
    let pm = format!("/api/v1/postmortems/{id}");
    for minutes in ["51", "52", "53", "54"] {
        let r = env
            .call(
                "PUT",
                &pm,
                Some("eddie"),
                Some(("text/plain", DOC.replace("50", minutes))),
                Some("*"),
            )
            .await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    }
    let (mut numbers, mut cursor) = (Vec::new(), None::<String>);
    loop {
        let uri = match &cursor {
            Some(c) => format!("{pm}/revisions?limit=2&cursor={c}"),
            None => format!("{pm}/revisions?limit=2"),
        };
        let r = env.call("GET", &uri, Some("vera"), None, None).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let page = r.json();
        let revs = page["revisions"].as_array().unwrap();
        assert!(revs.len() <= 2);
        assert!(revs.iter().all(|r| r.get("content").is_none()), "no texts");
        numbers.extend(revs.iter().map(|r| r["number"].as_i64().unwrap()));
        match page["next_cursor"].as_i64() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(numbers, [5, 4, 3, 2, 1]);
    for bad in ["limit=0", "limit=501", "cursor=x", "cursor=1", "cursor="] {
        let r = env
            .call(
                "GET",
                &format!("{pm}/revisions?{bad}"),
                Some("vera"),
                None,
                None,
            )
            .await;
        assert_eq!(r.status.as_u16(), 400, "{bad}: {}", r.body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postmortem_is_revalidated_by_its_etag_and_compressed_when_asked() {
    use std::io::Read;
    let env = env("conditional-get").await;
    let id = env.open_pm(DOC).await;
    let pm = format!("/api/v1/postmortems/{id}");
    let auth = format!("Bearer {}", env.tokens["vera"]);
    let get = |headers: Vec<(&'static str, String)>| {
        let (env, pm, auth) = (&env, pm.clone(), auth.clone());
        async move {
            let mut h: Vec<(&str, &str)> = vec![("authorization", auth.as_str())];
            h.extend(headers.iter().map(|(k, v)| (*k, v.as_str())));
            env.send("GET", &pm, &h, None).await
        }
    };
    let first = get(vec![]).await;
    assert_eq!(first.status.as_u16(), 200);
    assert_eq!(first.headers["etag"], "\"1\"");
    assert_eq!(first.headers["cache-control"], "private, no-cache");
    let again = get(vec![]).await;
    assert_eq!(
        again.body, first.body,
        "the cached body is the one rendered"
    );
    for tag in ["\"1\"", "W/\"1\"", "\"7\", \"1\"", "*"] {
        let r = get(vec![("if-none-match", tag.to_string())]).await;
        assert_eq!(r.status.as_u16(), 304, "{tag}");
        assert!(r.bytes.is_empty());
        assert_eq!(r.headers["etag"], "\"1\"");
    }
    assert_eq!(
        get(vec![("if-none-match", "\"2\"".into())])
            .await
            .status
            .as_u16(),
        200
    );
    // A new revision is a new body and a new tag; the old tag no longer matches.
    let put = env
        .call(
            "PUT",
            &pm,
            Some("eddie"),
            Some(("text/plain", DOC.replace("50 minutes", "55 minutes"))),
            Some("\"1\""),
        )
        .await;
    assert_eq!(put.status.as_u16(), 200, "{}", put.body);
    let r = get(vec![("if-none-match", "\"1\"".into())]).await;
    assert_eq!(r.status.as_u16(), 200);
    assert_eq!(r.headers["etag"], "\"2\"");
    assert_eq!(r.json()["revision"], 2);
    assert!(r.body.contains("55 minutes"));
    // Restricting it changes the body without a new revision: not served from before.
    env.store
        .set_access(&id, true, &["vera".to_string()])
        .await
        .unwrap();
    assert_eq!(get(vec![]).await.json()["restricted"], true);
    // gzip when asked, the same JSON inside.
    let zipped = get(vec![("accept-encoding", "gzip".into())]).await;
    assert_eq!(zipped.headers["content-encoding"], "gzip");
    let mut plain = String::new();
    flate2::read::GzDecoder::new(&zipped.bytes[..])
        .read_to_string(&mut plain)
        .unwrap();
    assert_eq!(plain, get(vec![]).await.body);
    // Pages are not compressed (they carry a CSRF token beside text from the request).
    let page = env
        .send("GET", "/signin", &[("accept-encoding", "gzip")], None)
        .await;
    assert_eq!(page.status.as_u16(), 200);
    assert!(page.headers.get("content-encoding").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statistics_cover_every_page_of_the_library() {
    let env = env("stats-pages").await;
    // More than one page of records (500), one of them restricted to mia.
    let docs: Vec<debrief_store::NewDocument> = (0..620)
        .map(|i| debrief_store::NewDocument {
            source: Some(format!("stats/{i}.md")),
            text: DOC.replace("Queue backlog", &format!("Queue backlog {i}")),
            author: "setup".into(),
            message: String::new(),
            record: None,
            identity: None,
            audit: None,
        })
        .collect();
    env.store.import(&docs).await.unwrap();
    env.restricted(DOC).await;
    let stats = |who: &'static str| {
        let env = &env;
        async move {
            let r = env
                .call("GET", "/api/v1/stats?by=service", Some(who), None, None)
                .await;
            assert_eq!(r.status.as_u16(), 200, "{}", r.body);
            r.json()["groups"][0]["postmortems"].as_u64().unwrap()
        }
    };
    assert_eq!(stats("vera").await, 620);
    assert_eq!(
        stats("mia").await,
        621,
        "a member counts the restricted one"
    );
    // Answers are kept for 30 s per viewer and grouping, and requests at the same moment wait
    // for one computation: they all get its answer.
    let call = || env.call("GET", "/api/v1/stats?by=month", Some("vera"), None, None);
    let (a, b, c) = tokio::join!(call(), call(), call());
    for r in [&a, &b, &c] {
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        assert_eq!(r.body, a.body);
        assert_eq!(r.headers["cache-control"], "private, max-age=30");
    }
    assert_eq!(
        stats("vera").await,
        620,
        "another grouping is its own answer"
    );
}
