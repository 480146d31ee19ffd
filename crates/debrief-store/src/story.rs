//! The conformance story: one scenario every backend must pass, from first import to restore.
//! Each backend's tests call [`run`] with two fresh, empty stores (the second receives the
//! restore). It panics with a message naming the step that failed.

use std::sync::Arc;

use crate::{
    ActionFilter, ActionOrder, AuditEntry, Filter, NewDocument, Outcome, Store, StoreError, User,
    Viewer,
};

/// The tags of the story's `i`th postmortem among many: one tag on a few of them, one on
/// half, one on the oldest only, one on none but the first.
fn tags_of(i: usize) -> Vec<&'static str> {
    let mut tags = vec!["common"];
    if i % 97 == 5 {
        tags.push("fewlabel");
    }
    if i % 2 == 1 {
        tags.push("halflabel");
    }
    if i < 300 {
        tags.push("oldlabel");
    }
    if i == 0 {
        tags.push("rarelabel");
    }
    tags
}

fn q(query: &str) -> crate::SearchQuery {
    crate::SearchQuery::parse(query).expect("a valid query")
}

fn doc(source: &str, text: &str) -> NewDocument {
    NewDocument {
        source: Some(source.to_string()),
        text: text.to_string(),
        author: "story".into(),
        message: "import".into(),
        record: None,
        identity: None,
        audit: None,
    }
}

const DISK: &str = "---\ntitle: Disk full on the primary database\ndate: 2024-03-02\nseverity: SEV1\nstatus: resolved\nservices: [orders, billing]\ntags: [database]\n---\n\n## Summary\n\nThe primary database ran out of disk; orders failed for 47 minutes.\n\n## Timeline\n\n- 09:10 UTC orders start failing\n- 09:12 UTC alert fires for disk usage\n- 09:57 UTC resolved after old WAL segments were archived\n\n## Action items\n\n- Alert at 80% disk on database hosts (owner: @dana, due: 2024-03-20)\n- Archive WAL segments automatically (owner: @lee, due: 2099-01-01)\n- [x] Add disk graphs to the runbook (owner: @dana, due: 2024-03-05)\n";
const DNS: &str = "---\ntitle: DNS records expired\ndate: 2024-05-10\nseverity: SEV2\nstatus: resolved\nservices: [edge]\ntags: [dns, vendor]\n---\n\n## Summary\n\nA registrar change let DNS records for the status page expire.\n\n## Action items\n\n- Monitor the registrar's expiry dates (owner: @sam, due: 2024-06-01)\n";
const QUEUE: &str = "---\ntitle: Queue backlog delayed emails\ndate: 2024-07-21\nseverity: SEV3\nstatus: draft\nservices: [email]\n---\n\n## Summary\n\nA stuck consumer left the email queue backlogged for three hours; the database was healthy.\n";

/// Runs the story against `store` (empty), restoring into `other` (empty).
pub async fn run(store: Arc<dyn Store>, other: Arc<dyn Store>) {
    let s = store.as_ref();

    // Import is idempotent: new, then unchanged, then one changed document.
    let docs = vec![
        doc("file:/pm/disk.md", DISK),
        doc("file:/pm/dns.md", DNS),
        doc("file:/pm/queue.md", QUEUE),
    ];
    let first = s.import(&docs).await.expect("import three documents");
    assert!(
        first
            .iter()
            .all(|x| x.outcome == Outcome::Created && x.revision == 1),
        "{first:?}"
    );
    let again = s.import(&docs).await.expect("re-import");
    assert!(
        again.iter().all(|x| x.outcome == Outcome::Unchanged),
        "re-import changes nothing: {again:?}"
    );
    let mut changed = docs.clone();
    changed[2].text = QUEUE.replace("three hours", "three and a half hours");
    let third = s.import(&changed).await.expect("import a changed document");
    let outcomes: Vec<Outcome> = third.iter().map(|x| x.outcome).collect();
    assert_eq!(
        outcomes,
        [Outcome::Unchanged, Outcome::Unchanged, Outcome::Updated]
    );
    let (disk, dns, queue) = (
        first[0].id.clone(),
        first[1].id.clone(),
        first[2].id.clone(),
    );
    assert_eq!(third[2].id, queue);
    assert_eq!(third[2].revision, 2);

    // Reading back: the latest revision, byte for byte, and every revision with its hash.
    let got = s.get(&queue).await.expect("get");
    assert_eq!(got.revision.number, 2);
    assert_eq!(got.revision.content, changed[2].text);
    assert_eq!(
        got.record.title.as_deref(),
        Some("Queue backlog delayed emails")
    );
    // The record alone, as a change to it starts from: the same revision and record.
    assert_eq!(
        s.current(&queue).await.expect("current"),
        (got.revision.number, got.record.clone())
    );
    let revs = s.revisions(&queue, None, 100).await.expect("revisions");
    assert_eq!(
        revs.iter().map(|r| r.number).collect::<Vec<_>>(),
        [2, 1],
        "newest first"
    );
    for r in &revs {
        let whole = s.revision(&queue, r.number).await.unwrap();
        assert!(whole.content_intact());
        assert_eq!(whole.sha256, r.sha256);
    }
    assert_eq!(
        s.revisions(&queue, Some(2), 100).await.unwrap()[0].number,
        1,
        "a page starts below its cursor"
    );
    assert_eq!(s.revisions(&queue, None, 1).await.unwrap().len(), 1);
    assert!(s.revisions(&queue, Some(1), 100).await.unwrap().is_empty());
    assert_eq!(
        s.revision(&queue, 1).await.expect("revision 1").content,
        QUEUE
    );
    assert!(matches!(
        s.revision(&queue, 9).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(s.get("nope").await, Err(StoreError::NotFound(_))));

    // Updates name their base; a stale base is a conflict, never an overwrite.
    let mut edit = doc("", &DNS.replace("expire.", "expire on a Friday."));
    edit.source = None;
    let up = s
        .update(&dns, 1, &edit)
        .await
        .expect("update from the latest revision");
    assert_eq!((up.revision, up.outcome), (2, Outcome::Updated));
    match s.update(&dns, 1, &edit).await {
        Err(StoreError::Conflict {
            base: 1,
            current: 2,
            ..
        }) => {}
        other => panic!("a stale update must be a conflict, got {other:?}"),
    }
    assert!(matches!(
        s.update("nope", 1, &edit).await,
        Err(StoreError::NotFound(_))
    ));
    let empty = NewDocument {
        source: None,
        text: " \n".into(),
        author: "story".into(),
        message: String::new(),
        record: None,
        identity: None,
        audit: None,
    };
    assert!(matches!(
        s.create(&empty).await,
        Err(StoreError::Invalid(_))
    ));

    // Concurrent updates from one base: exactly one wins, nothing is lost.
    let mut set = tokio::task::JoinSet::new();
    for i in 0..8 {
        let st = Arc::clone(&store);
        let id = disk.clone();
        set.spawn(async move {
            let d = NewDocument {
                source: None,
                text: format!("{DISK}\nEdit {i}.\n"),
                author: format!("writer{i}"),
                message: format!("edit {i}"),
                record: None,
                identity: None,
                audit: None,
            };
            st.update(&id, 1, &d).await
        });
    }
    let (mut ok, mut conflicts) = (0, 0);
    while let Some(r) = set.join_next().await {
        match r.expect("task") {
            Ok(_) => ok += 1,
            Err(StoreError::Conflict { .. }) => conflicts += 1,
            Err(e) => panic!("concurrent update failed: {e}"),
        }
    }
    assert_eq!(
        (ok, conflicts),
        (1, 7),
        "exactly one update from a shared base succeeds"
    );
    assert_eq!(s.revisions(&disk, None, 100).await.unwrap().len(), 2);

    // Lists and filters.
    let all = s.list(&Filter::default()).await.expect("list");
    assert_eq!(all.len(), 3);
    let by = |f: Filter| async move {
        s.list(&f)
            .await
            .unwrap()
            .into_iter()
            .map(|x| x.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        by(Filter {
            severity: Some("sev1".into()),
            ..Filter::default()
        })
        .await,
        [disk.as_str()]
    );
    assert_eq!(
        by(Filter {
            service: Some("Billing".into()),
            ..Filter::default()
        })
        .await,
        [disk.as_str()]
    );
    assert_eq!(
        by(Filter {
            tag: Some("vendor".into()),
            ..Filter::default()
        })
        .await,
        [dns.as_str()]
    );
    assert_eq!(
        by(Filter {
            status: Some("draft".into()),
            ..Filter::default()
        })
        .await,
        [queue.as_str()]
    );
    let mut spring = by(Filter {
        from: Some("2024-03-01".into()),
        to: Some("2024-05-31".into()),
        ..Filter::default()
    })
    .await;
    spring.sort();
    let mut expected = vec![disk.clone(), dns.clone()];
    expected.sort();
    assert_eq!(spring, expected);

    // Search: ranking, snippets, phrases, filters.
    let hits = s
        .search(&q("database"), &Filter::default())
        .await
        .expect("search");
    assert_eq!(
        hits.first().map(|h| h.id.as_str()),
        Some(disk.as_str()),
        "the title match ranks first: {hits:?}"
    );
    assert!(
        hits.iter().any(|h| h.id == queue),
        "the body match is found too"
    );
    assert!(
        hits[0].snippet.to_lowercase().contains("[database]"),
        "snippet marks the match: {}",
        hits[0].snippet
    );
    // Pages: offset skips the best matches, and a repeated word is the word once.
    let second = s
        .search(
            &q("database"),
            &Filter {
                limit: Some(1),
                offset: Some(1),
                ..Filter::default()
            },
        )
        .await
        .expect("search page 2");
    assert_eq!(
        second.iter().map(|h| h.id.clone()).collect::<Vec<_>>(),
        hits[1..2].iter().map(|h| h.id.clone()).collect::<Vec<_>>(),
        "offset is honoured"
    );
    let repeated = s
        .search(&q(&["database"; 40].join(" ")), &Filter::default())
        .await
        .expect("repeated words");
    assert_eq!(repeated, hits);
    let phrase = s
        .search(&q("\"email queue\""), &Filter::default())
        .await
        .unwrap();
    assert_eq!(
        phrase.iter().map(|h| h.id.clone()).collect::<Vec<_>>(),
        [queue.as_str()]
    );
    let filtered = s
        .search(
            &q("database"),
            &Filter {
                severity: Some("SEV3".into()),
                ..Filter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        filtered.iter().map(|h| h.id.clone()).collect::<Vec<_>>(),
        [queue.as_str()]
    );
    assert!(
        s.search(&q("zeppelin"), &Filter::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        s.search(&q("registrar expiry"), &Filter::default())
            .await
            .unwrap()
            .iter()
            .any(|h| h.id == dns)
    );

    // Facets: what the matches spread over, counted as a filter would select them.
    let counts = |f: &[crate::FacetCount]| {
        f.iter()
            .map(|c| (c.value.clone(), c.count))
            .collect::<Vec<_>>()
    };
    let all = s.facets(None, &Filter::default()).await.expect("facets");
    assert_eq!((all.counted, all.sampled), (3, false));
    assert_eq!(
        counts(&all.severities),
        [("SEV1".into(), 1), ("SEV2".into(), 1), ("SEV3".into(), 1)]
    );
    assert_eq!(
        counts(&all.services),
        [
            ("billing".into(), 1),
            ("edge".into(), 1),
            ("email".into(), 1),
            ("orders".into(), 1)
        ]
    );
    assert_eq!(counts(&all.years), [("2024".into(), 3)]);
    let found = s
        .facets(Some(&q("database")), &Filter::default())
        .await
        .expect("facets of a search");
    assert_eq!(found.counted, 2, "{found:?}");
    assert_eq!(
        counts(&found.services),
        [
            ("billing".into(), 1),
            ("email".into(), 1),
            ("orders".into(), 1)
        ]
    );
    // Each value filters to exactly its count.
    for c in &found.severities {
        let narrowed = s
            .search(
                &q("database"),
                &Filter {
                    severity: Some(c.value.clone()),
                    ..Filter::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(narrowed.len() as i64, c.count, "severity {}", c.value);
    }
    let narrowed = s
        .facets(
            Some(&q("database")),
            &Filter {
                service: Some("email".into()),
                ..Filter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (narrowed.counted, counts(&narrowed.severities)),
        (1, vec![("SEV3".into(), 1)])
    );

    // Action items across postmortems.
    let today = "2024-04-01".to_string();
    let open = s
        .action_items(&ActionFilter {
            open: true,
            today: today.clone(),
            ..ActionFilter::default()
        })
        .await
        .unwrap()
        .items;
    assert_eq!(open.len(), 3, "{open:?}");
    for a in &open {
        let latest = s.get(&a.postmortem_id).await.unwrap();
        assert_eq!(
            a.revision, latest.revision.number,
            "each item names its latest revision"
        );
        assert_eq!(
            latest.record.action_items[a.position as usize].text, a.text,
            "and its place among the postmortem's items"
        );
    }
    let overdue = s
        .action_items(&ActionFilter {
            overdue: true,
            today: today.clone(),
            ..ActionFilter::default()
        })
        .await
        .unwrap()
        .items;
    assert_eq!(
        overdue
            .iter()
            .map(|a| a.owner.clone().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["@dana"]
    );
    let dana = s
        .action_items(&ActionFilter {
            owner: Some("Dana".into()),
            today,
            ..ActionFilter::default()
        })
        .await
        .unwrap()
        .items;
    assert_eq!(dana.len(), 2, "done and open items of one owner");

    // Pages of one item follow each order to its end, without repeats or gaps, and a cursor
    // belongs to its order.
    for order in [
        ActionOrder::Due,
        ActionOrder::Owner,
        ActionOrder::Postmortem,
    ] {
        let all = ActionFilter {
            order,
            today: "2024-04-01".into(),
            ..ActionFilter::default()
        };
        let whole = s.action_items(&all).await.unwrap();
        assert!(whole.next.is_none());
        let (mut paged, mut after) = (Vec::new(), None);
        loop {
            let page = s
                .action_items(&ActionFilter {
                    limit: Some(1),
                    after: after.take(),
                    ..all.clone()
                })
                .await
                .unwrap();
            paged.extend(page.items);
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        assert_eq!(paged, whole.items, "{order:?}");
        assert_eq!(
            s.count_action_items(&all, 1000).await.unwrap(),
            whole.items.len() as i64
        );
        assert_eq!(
            s.count_action_items(&all, 2).await.unwrap(),
            2,
            "counted at most 2"
        );
    }
    let by_due = s
        .action_items(&ActionFilter {
            limit: Some(1),
            today: "2024-04-01".into(),
            ..ActionFilter::default()
        })
        .await
        .unwrap();
    assert!(matches!(
        s.action_items(&ActionFilter {
            order: ActionOrder::Owner,
            after: by_due.next,
            today: "2024-04-01".into(),
            ..ActionFilter::default()
        })
        .await,
        Err(StoreError::Invalid(m)) if m.contains("cursor")
    ));
    let dated: Vec<_> = s
        .action_items(&ActionFilter {
            today: "2024-04-01".into(),
            ..ActionFilter::default()
        })
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|a| crate::actions::due_date(a.due.as_deref()).map(str::to_string))
        .collect();
    let mut sorted = dated.clone();
    sorted.sort_by_key(|d| (d.is_none(), d.clone()));
    assert_eq!(dated, sorted, "soonest due first, undated last");

    // Restricted postmortems: members and admins see them; nobody else, anywhere. Members are
    // existing users only.
    assert!(
        matches!(
            s.set_access(&disk, true, &["nobody-by-this-name".to_string()]).await,
            Err(StoreError::Invalid(m)) if m.contains("no user named")
        ),
        "an unknown member is refused"
    );
    s.put_user(&User {
        name: "alice".into(),
        role: "viewer".into(),
        password_hash: "h0".into(),
        created_at: crate::now(),
    })
    .await
    .unwrap();
    s.set_access(&disk, true, &["alice".to_string()])
        .await
        .expect("restrict");
    let who = |name: &str, admin: bool| {
        Some(Viewer {
            name: name.into(),
            admin,
        })
    };
    let listed = |v: Option<Viewer>| async move {
        s.list(&Filter {
            viewer: v,
            ..Filter::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|x| x.id)
        .collect::<Vec<_>>()
    };
    assert!(
        !listed(who("bob", false)).await.contains(&disk),
        "a non-member does not see it in lists"
    );
    assert!(
        listed(who("alice", false)).await.contains(&disk),
        "a member does"
    );
    assert!(
        listed(who("root", true)).await.contains(&disk),
        "an admin does"
    );
    // Heads asked for at once (the look-ups share queries): each viewer hears whether it may
    // read that postmortem.
    let asked = [
        ("bob", false, &disk),
        ("alice", false, &disk),
        ("root", true, &disk),
        ("bob", false, &dns),
        ("bob", false, &"no-such-postmortem".to_string()),
    ];
    let heads: Vec<_> = asked
        .iter()
        .map(|(name, admin, id)| {
            let (store, id) = (store.clone(), id.to_string());
            let viewer = Viewer {
                name: name.to_string(),
                admin: *admin,
            };
            tokio::spawn(async move { store.head(&id, &viewer).await.unwrap() })
        })
        .collect();
    let mut seen = Vec::new();
    for head in heads {
        seen.push(head.await.unwrap().map(|h| (h.restricted, h.visible)));
    }
    assert_eq!(
        seen,
        [
            Some((true, false)),
            Some((true, true)),
            Some((true, true)),
            Some((false, true)),
            None
        ]
    );
    let bob_search = s
        .search(
            &q("database"),
            &Filter {
                viewer: who("bob", false),
                ..Filter::default()
            },
        )
        .await
        .unwrap();
    assert!(bob_search.iter().all(|h| h.id != disk), "nor in search");
    let bob_facets = s
        .facets(
            Some(&q("database")),
            &Filter {
                viewer: who("bob", false),
                ..Filter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (bob_facets.counted, bob_facets.services.len()),
        (1, 1),
        "nor in the facets: {bob_facets:?}"
    );
    let bob_actions = s
        .action_items(&ActionFilter {
            viewer: who("bob", false),
            today: "2024-04-01".into(),
            ..ActionFilter::default()
        })
        .await
        .unwrap()
        .items;
    assert!(
        bob_actions.iter().all(|a| a.postmortem_id != disk),
        "nor in action items"
    );
    let bob = Filter {
        viewer: who("bob", false),
        ..Filter::default()
    };
    let bob_records = s.records(&bob, 0, 100).await.unwrap();
    assert_eq!(bob_records.len(), 2, "nor in statistics");
    // A page at a time, in the order they were added.
    let first = s.records(&bob, 0, 1).await.unwrap();
    let rest = s.records(&bob, first[0].0, 100).await.unwrap();
    assert_eq!(
        first
            .iter()
            .chain(&rest)
            .map(|r| &r.1.id)
            .collect::<Vec<_>>(),
        bob_records.iter().map(|r| &r.1.id).collect::<Vec<_>>()
    );
    assert!(
        !s.visible(
            &disk,
            &Viewer {
                name: "bob".into(),
                admin: false
            }
        )
        .await
        .unwrap()
    );
    assert!(
        s.visible(
            &disk,
            &Viewer {
                name: "alice".into(),
                admin: false
            }
        )
        .await
        .unwrap()
    );
    assert!(
        !s.visible(
            "nope",
            &Viewer {
                name: "root".into(),
                admin: true
            }
        )
        .await
        .unwrap()
    );
    assert_eq!(
        s.access(&disk).await.unwrap(),
        (true, vec!["alice".to_string()])
    );
    let by_service = s
        .action_items(&ActionFilter {
            service: Some("edge".into()),
            today: "2024-04-01".into(),
            ..ActionFilter::default()
        })
        .await
        .unwrap()
        .items;
    assert_eq!(
        by_service
            .iter()
            .map(|a| a.postmortem_id.clone())
            .collect::<Vec<_>>(),
        [dns.as_str()]
    );

    // Accounts and tokens: a revoked or expired token is no longer anyone's.
    s.put_user(&User {
        name: "alice".into(),
        role: "editor".into(),
        password_hash: "h1".into(),
        created_at: crate::now(),
    })
    .await
    .unwrap();
    s.put_user(&User {
        name: "alice".into(),
        role: "viewer".into(),
        password_hash: "h2".into(),
        created_at: crate::now(),
    })
    .await
    .unwrap();
    assert_eq!(
        s.user("alice")
            .await
            .unwrap()
            .map(|u| (u.role, u.password_hash)),
        Some(("viewer".into(), "h2".into()))
    );
    assert!(s.user("nobody").await.unwrap().is_none());
    s.add_token("t1", "alice", "laptop", None).await.unwrap();
    s.add_token(
        "t2",
        "alice",
        "old",
        Some("2000-01-01T00:00:00.000Z".parse().unwrap()),
    )
    .await
    .unwrap();
    assert_eq!(
        s.token_user("t1").await.unwrap().map(|u| u.user.name),
        Some("alice".into())
    );
    assert!(s.token_user("t2").await.unwrap().is_none(), "expired");
    assert!(s.token_user("t3").await.unwrap().is_none(), "unknown");
    // Look-ups made at once share queries, and each hears about its own token.
    let at_once: Vec<_> = (0..24)
        .map(|k| {
            let store = store.clone();
            let hash = ["t1", "t2", "t3"][k % 3];
            tokio::spawn(async move {
                let user = store.token_user(hash).await.unwrap().map(|u| u.user.name);
                (hash, user)
            })
        })
        .collect();
    for task in at_once {
        let (hash, user) = task.await.unwrap();
        assert_eq!(user.as_deref(), (hash == "t1").then_some("alice"), "{hash}");
    }
    s.add_token("t4", "alice", "browser session", None)
        .await
        .unwrap();
    assert!(s.revoke_token("t4").await.unwrap(), "one token revoked");
    assert!(!s.revoke_token("t4").await.unwrap(), "already revoked");
    assert!(s.token_user("t4").await.unwrap().is_none(), "signed out");
    let signed_in = s.token_user("t1").await.unwrap().expect("others kept");
    assert_eq!(
        signed_in.generation,
        s.generation().await.unwrap(),
        "the generation comes with the token"
    );
    let tokens = s.tokens().await.unwrap();
    assert_eq!(tokens.len(), 3, "revoked and expired tokens are listed");
    assert!(
        tokens
            .iter()
            .any(|t| t.hash == "t4" && t.revoked_at.is_some())
    );
    assert!(
        tokens
            .iter()
            .any(|t| t.hash == "t2" && t.expires_at.is_some())
    );
    assert_eq!(s.revoke_tokens("alice").await.unwrap(), 2);
    assert!(s.token_user("t1").await.unwrap().is_none(), "revoked");
    assert!(s.users().await.unwrap().iter().any(|u| u.name == "alice"));

    // Removing a user ends its tokens; the name is free again.
    s.put_user(&User {
        name: "leaver".into(),
        role: "viewer".into(),
        password_hash: "x".into(),
        created_at: crate::now(),
    })
    .await
    .unwrap();
    s.add_token("t9", "leaver", "laptop", None).await.unwrap();
    s.remove_user("leaver").await.expect("remove");
    assert!(s.token_user("t9").await.unwrap().is_none());
    assert!(s.user("leaver").await.unwrap().is_none());
    assert!(!s.tokens().await.unwrap().iter().any(|t| t.user == "leaver"));
    assert!(matches!(
        s.remove_user("leaver").await,
        Err(StoreError::NotFound(_))
    ));

    // The audit trail: appended in order, chained, verifiable.
    for k in 0..3 {
        s.audit(&AuditEntry {
            actor: "alice".into(),
            action: format!("test.{k}"),
            target: disk.clone(),
            outcome: "ok".into(),
            remote: "127.0.0.1".into(),
            detail: String::new(),
        })
        .await
        .unwrap();
    }
    let log = s.audit_log().await.unwrap();
    assert_eq!(log.iter().map(|r| r.seq).collect::<Vec<_>>(), [1, 2, 3]);
    let recent = |actor: Option<&str>, action: Option<&str>, limit| crate::AuditFilter {
        actor: actor.map(String::from),
        action: action.map(String::from),
        outcome: None,
        limit,
    };
    let seqs = |rows: Vec<crate::AuditRow>| rows.iter().map(|r| r.seq).collect::<Vec<_>>();
    assert_eq!(
        seqs(s.audit_recent(&recent(None, None, 2)).await.unwrap()),
        [3, 2]
    );
    assert_eq!(
        seqs(
            s.audit_recent(&recent(Some("alice"), Some("test.1"), 10))
                .await
                .unwrap()
        ),
        [2]
    );
    assert!(
        s.audit_recent(&recent(Some("bob"), None, 10))
            .await
            .unwrap()
            .is_empty(),
        "filtered by actor"
    );
    assert!(crate::verify_audit(&log).is_empty());
    let mut edited = log.clone();
    edited[1].entry.actor = "mallory".into();
    assert!(
        !crate::verify_audit(&edited).is_empty(),
        "an edited row is found"
    );
    let mut gap = log.clone();
    gap.remove(1);
    assert!(
        !crate::verify_audit(&gap).is_empty(),
        "a deleted row is found"
    );

    // Pages do not overlap, in every order.
    for order in [
        crate::ListOrder::Newest,
        crate::ListOrder::Oldest,
        crate::ListOrder::Updated,
        crate::ListOrder::Title,
    ] {
        let page = |offset| crate::Filter {
            limit: Some(1),
            offset: Some(offset),
            order,
            ..crate::Filter::default()
        };
        let all = s
            .list(&crate::Filter {
                order,
                ..crate::Filter::default()
            })
            .await
            .unwrap();
        let mut paged = Vec::new();
        for offset in 0..3 {
            paged.extend(s.list(&page(offset)).await.unwrap());
        }
        assert_eq!(paged, all, "{order:?}");
        assert_eq!(
            s.count(&page(0), 1000).await.unwrap(),
            all.len() as i64,
            "a count ignores the page"
        );
        assert_eq!(
            s.count(&page(0), 2).await.unwrap(),
            2,
            "counted up to a bound"
        );
        if order == crate::ListOrder::Title {
            let titles: Vec<String> = all
                .iter()
                .map(|x| x.title.clone().unwrap_or_default().to_lowercase())
                .collect();
            let mut sorted = titles.clone();
            sorted.sort();
            assert_eq!(titles, sorted);
        }
    }

    // Gauges: three live postmortems; open and overdue items as the action filters count them.
    let c = s.counts("2024-04-01").await.unwrap();
    assert_eq!(
        (c.postmortems, c.open_actions, c.overdue_actions),
        (3, 3, 1)
    );

    // Verify, dump, restore into the other store: equal base rows, working search.
    let report = s.verify().await.expect("verify");
    assert!(report.ok(), "{:?}", report.problems);
    assert_eq!(report.revisions, 6);
    let dump = s.dump().await.expect("dump");
    assert_eq!((dump.postmortems.len(), dump.revisions.len()), (3, 6));
    other.restore(&dump).await.expect("restore");
    assert_eq!(other.dump().await.expect("dump the restored store"), dump);
    assert!(other.verify().await.unwrap().ok());
    assert_eq!(
        other
            .search(&q("registrar"), &Filter::default())
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        matches!(other.restore(&dump).await, Err(StoreError::Invalid(_))),
        "restore needs an empty store"
    );

    // Delete is a tombstone: gone from reads, kept in the history, not revived by re-import.
    s.delete(&dns, "story").await.expect("delete");
    assert!(matches!(s.get(&dns).await, Err(StoreError::NotFound(_))));
    assert!(matches!(
        s.current(&dns).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(s.list(&Filter::default()).await.unwrap().len(), 2);
    assert!(
        s.search(&q("registrar"), &Filter::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        s.revisions(&dns, None, 100).await.unwrap().len(),
        2,
        "revisions survive a delete"
    );
    let re = s.import(&docs[1..2]).await.unwrap();
    assert_eq!(re[0].outcome, Outcome::Deleted);
    assert_eq!(s.dump().await.unwrap().postmortems.len(), 3);

    // A unique prefix names a postmortem, as in git; undelete brings one back as it was.
    assert_eq!(s.resolve_id(&dns[..6]).await.unwrap(), dns);
    assert_eq!(s.resolve_id(&dns).await.unwrap(), dns);
    assert!(matches!(
        s.resolve_id("zz%").await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        s.resolve_id("").await,
        Err(StoreError::NotFound(_))
    ));
    s.undelete(&dns).await.expect("undelete");
    assert_eq!(s.get(&dns).await.unwrap().revision.number, 2);
    assert_eq!(
        s.search(&q("registrar"), &Filter::default())
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(matches!(
        s.undelete(&dns).await,
        Err(StoreError::NotFound(_))
    ));
    s.delete(&dns, "story").await.expect("delete again");

    // Purge removes for good.
    s.purge(&dns).await.expect("purge");
    assert!(matches!(
        s.revisions(&dns, None, 100).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(s.dump().await.unwrap().revisions.len(), 4);
    assert!(s.verify().await.unwrap().ok());

    // A word in more postmortems than are ranked lists them newest first, every one reachable
    // by paging; a rarer one is ranked, the title match first. With fresh planner statistics
    // (`optimize`), a word in ten times as many is known to be common without counting.
    let many = 10 * crate::RANKED as usize + 110;
    let docs: Vec<NewDocument> = (0..many)
        .map(|i| NewDocument {
            source: Some(format!("common/{i:04}.md")),
            text: format!(
                "---\ndate: {}-01-01\ntags: [{}]\n---\n\n# Outage {i:04}\n\n## Summary\n\nThe zeppelinword service failed{}{}.\n",
                2010 + i / 200,
                tags_of(i).join(", "),
                if i % 50 == 0 {
                    " under quasarword load"
                } else {
                    ""
                },
                if i % 8 == 0 { " near orbitword" } else { "" }
            ),
            author: "story".into(),
            message: String::new(),
            record: None,
            identity: None,
            audit: None,
        })
        .collect();
    let mut title_hit = docs[0].clone();
    title_hit.source = Some("common/title.md".into());
    title_hit.text = "# Quasarword storm\n\n## Summary\n\nLoad.\n".into();
    let mut saved = s.import(&docs).await.unwrap();
    saved.extend(s.import(&[title_hit]).await.unwrap());
    s.optimize().await.unwrap();
    let page = |offset: i64| Filter {
        limit: Some(100),
        offset: Some(offset),
        ..Filter::default()
    };
    // Every page of a search for `word`, 100 at a time, for its first `n` matches.
    let pages = |word: &'static str, n: i64| async move {
        let mut listed = Vec::new();
        for offset in (0..n).step_by(100) {
            listed.extend(
                s.search(&q(word), &page(offset))
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|h| h.id),
            );
        }
        listed
    };
    let listed = pages("zeppelinword", many as i64).await;
    let newest_first: Vec<String> = saved[..many].iter().rev().map(|x| x.id.clone()).collect();
    assert_eq!(listed, newest_first);
    // A word in more than are ranked but in a small share of them (on PostgreSQL, read from
    // the search index and sorted rather than walked) lists newest first too.
    let listed = pages("orbitword", many as i64 / 8 + 1).await;
    let newest_first: Vec<String> = saved[..many]
        .iter()
        .enumerate()
        .rev()
        .filter(|(i, _)| i % 8 == 0)
        .map(|(_, x)| x.id.clone())
        .collect();
    assert!(newest_first.len() > crate::RANKED as usize);
    assert_eq!(listed, newest_first);
    let ranked = s
        .search(&q("quasarword"), &Filter::default())
        .await
        .unwrap();
    assert_eq!(ranked.len(), many / 50 + 2);
    assert_eq!(ranked[0].id, saved[many].id, "the title match first");
    // A label filter selects the same postmortems in the same order, whether the statement
    // starts from the label's postmortems, walks its order and checks each for it, or walks
    // a part of it and then starts from the label.
    for tag in ["fewlabel", "halflabel", "oldlabel", "rarelabel"] {
        let labelled: Vec<(usize, &crate::Saved)> = saved[..many]
            .iter()
            .enumerate()
            .filter(|(i, _)| tags_of(*i).contains(&tag))
            .collect();
        let tagged = |limit: i64, offset: i64| Filter {
            tag: Some(tag.into()),
            limit: Some(limit),
            offset: Some(offset),
            ..Filter::default()
        };
        let newest: Vec<String> = labelled.iter().rev().map(|(_, x)| x.id.clone()).collect();
        let searched = s.search(&q("zeppelinword"), &tagged(100, 0)).await.unwrap();
        let searched: Vec<String> = searched.into_iter().map(|h| h.id).collect();
        assert_eq!(
            searched,
            newest[..newest.len().min(100)],
            "search, tag {tag}"
        );
        let searched = s
            .search(&q("zeppelinword"), &tagged(100, 100))
            .await
            .unwrap();
        let searched: Vec<String> = searched.into_iter().map(|h| h.id).collect();
        assert_eq!(
            searched,
            newest[newest.len().min(100)..newest.len().min(200)],
            "search's second page, tag {tag}"
        );
        // The list: newest incident first, ties newest id first.
        let mut by_date: Vec<(String, String)> = s
            .list(&Filter::default())
            .await
            .unwrap()
            .into_iter()
            .filter(|x| newest.contains(&x.id))
            .map(|x| (x.date.unwrap_or_default(), x.id))
            .collect();
        by_date.sort_by(|a, b| b.cmp(a));
        let listed: Vec<(String, String)> = s
            .list(&tagged(50, 0))
            .await
            .unwrap()
            .into_iter()
            .map(|x| (x.date.unwrap_or_default(), x.id))
            .collect();
        assert_eq!(listed, by_date[..by_date.len().min(50)], "list, tag {tag}");
        assert_eq!(
            s.count(&tagged(50, 0), 10_000).await.unwrap(),
            labelled.len() as i64,
            "count, tag {tag}"
        );
        // Records (export, statistics), oldest first, 100 at a time, every one reached.
        let mut read = Vec::new();
        let mut after = 0;
        loop {
            let part = s.records(&tagged(50, 0), after, 100).await.unwrap();
            let Some((last, _, _)) = part.last() else {
                break;
            };
            after = *last;
            read.extend(part.into_iter().map(|(_, summary, _)| summary.id));
        }
        let oldest: Vec<String> = labelled.iter().map(|(_, x)| x.id.clone()).collect();
        assert_eq!(read, oldest, "records, tag {tag}");
        // The years of the most recently added of them, as many as facets count.
        let mut years: Vec<(String, i64)> = Vec::new();
        for (i, _) in labelled.iter().rev().take(crate::FACET_SAMPLE as usize) {
            let year = (2010 + i / 200).to_string();
            match years.last_mut() {
                Some((y, n)) if *y == year => *n += 1,
                _ => years.push((year, 1)),
            }
        }
        for query in [None, Some(q("zeppelinword"))] {
            let facets = s.facets(query.as_ref(), &tagged(50, 0)).await.unwrap();
            let counted: Vec<(String, i64)> = facets
                .years
                .iter()
                .map(|c| (c.value.clone(), c.count))
                .collect();
            assert_eq!(counted, years, "facets, tag {tag}, {query:?}");
        }
    }
    // Facets of a word in more postmortems than they count count the most recently added.
    let sampled = s
        .facets(Some(&q("zeppelinword")), &Filter::default())
        .await
        .unwrap();
    assert_eq!(
        (sampled.counted, sampled.sampled),
        (crate::FACET_SAMPLE, true)
    );
    let years: Vec<(String, i64)> = sampled
        .years
        .iter()
        .map(|c| (c.value.clone(), c.count))
        .collect();
    assert_eq!(
        years,
        [
            ("2020".to_string(), 110),
            ("2019".into(), 200),
            ("2018".into(), 200),
            ("2017".into(), 200),
            ("2016".into(), 200),
            ("2015".into(), 90)
        ],
        "the 1,000 most recently added of {many}"
    );
    // A date range holding fewer postmortems than a word matches (each of them then looked up
    // among the matches, rather than the matches walked past every newer one) selects the same
    // postmortems in the same order, and facets count them all.
    let in_2012 = |limit: i64, offset: i64| Filter {
        from: Some("2012-01-01".into()),
        to: Some("2012-12-31".into()),
        limit: Some(limit),
        offset: Some(offset),
        ..Filter::default()
    };
    let of_2012: Vec<String> = saved[400..600].iter().rev().map(|x| x.id.clone()).collect();
    for offset in [0, 100] {
        let searched: Vec<String> = s
            .search(&q("zeppelinword"), &in_2012(100, offset))
            .await
            .unwrap()
            .into_iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(
            searched,
            of_2012[offset as usize..offset as usize + 100],
            "search within 2012, from {offset}"
        );
    }
    let facets = s
        .facets(Some(&q("zeppelinword")), &in_2012(50, 0))
        .await
        .unwrap();
    let years: Vec<(String, i64)> = facets
        .years
        .iter()
        .map(|c| (c.value.clone(), c.count))
        .collect();
    assert_eq!(years, [("2012".to_string(), 200)], "facets within 2012");

    // A save and its audit entry are written together: a new postmortem's entry names it, and
    // of concurrent updates from one base only the one that wins leaves an entry.
    let before = s.audit_log().await.unwrap().len();
    let by = |action: &str| crate::SaveAudit {
        actor: "carol".into(),
        action: action.into(),
        remote: "127.0.0.1".into(),
    };
    let made = s
        .create(&NewDocument {
            audit: Some(by("story.create")),
            ..doc("", "# Audited\n\n## Summary\n\nThe ledger stalled.\n")
        })
        .await
        .unwrap();
    let mut set = tokio::task::JoinSet::new();
    for i in 0..4 {
        let (st, id) = (Arc::clone(&store), made.id.clone());
        let d = NewDocument {
            source: None,
            audit: Some(by("story.edit")),
            ..doc(
                "",
                &format!("# Audited\n\n## Summary\n\nThe ledger stalled {i}.\n"),
            )
        };
        set.spawn(async move { st.update(&id, 1, &d).await });
    }
    let mut won = 0;
    while let Some(r) = set.join_next().await {
        match r.expect("task") {
            Ok(_) => won += 1,
            Err(StoreError::Conflict { .. }) => {}
            Err(e) => panic!("audited update failed: {e}"),
        }
    }
    assert_eq!(won, 1);
    let log = s.audit_log().await.unwrap();
    let added: Vec<(&str, &str, &str, &str)> = log[before..]
        .iter()
        .map(|r| {
            let e = &r.entry;
            (
                e.actor.as_str(),
                e.action.as_str(),
                e.target.as_str(),
                e.detail.as_str(),
            )
        })
        .collect();
    assert_eq!(
        added,
        [
            ("carol", "story.create", made.id.as_str(), "revision 1"),
            ("carol", "story.edit", made.id.as_str(), "revision 2 from 1"),
        ],
        "a conflicting update leaves no audit entry"
    );
    assert!(crate::verify_audit(&log).is_empty());

    // Creates made at once (which a group commit writes a statement per table) are each whole,
    // and an empty one among them is refused alone.
    let open_items = || async move {
        s.action_items(&ActionFilter {
            open: true,
            today: "2024-04-01".into(),
            ..ActionFilter::default()
        })
        .await
        .unwrap()
        .items
        .len()
    };
    let open_before = open_items().await;
    let audited = s.audit_log().await.unwrap().len();
    let mut set = tokio::task::JoinSet::new();
    for i in 0..12 {
        let st = Arc::clone(&store);
        let text = match i {
            5 => " \n".to_string(),
            _ => DISK.replace("Disk full on the primary database", &format!("Zyzzyva {i}")),
        };
        let d = NewDocument {
            source: None,
            audit: Some(by("story.create")),
            ..doc("", &text)
        };
        set.spawn(async move { (i, st.create(&d).await) });
    }
    let mut made = Vec::new();
    while let Some(r) = set.join_next().await {
        match r.expect("task") {
            (5, Err(StoreError::Invalid(_))) => {}
            (i, Ok(saved)) if i != 5 => made.push(saved),
            (i, other) => panic!("create {i} of many at once: {other:?}"),
        }
    }
    made.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(made.len(), 11);
    for m in &made {
        let stored = s.get(&m.id).await.unwrap();
        assert_eq!((m.revision, stored.revision.number), (1, 1));
        assert!(stored.record.title.unwrap().starts_with("Zyzzyva "));
    }
    assert_eq!(open_items().await, open_before + 2 * made.len());
    let mut found: Vec<String> = s
        .search(&q("zyzzyva"), &Filter::default())
        .await
        .unwrap()
        .into_iter()
        .map(|h| h.id)
        .collect();
    found.sort();
    assert_eq!(found, made.iter().map(|m| m.id.clone()).collect::<Vec<_>>());
    let log = s.audit_log().await.unwrap();
    assert_eq!(log.len(), audited + made.len(), "an audit entry per create");
    let mut named: Vec<&str> = log[audited..]
        .iter()
        .map(|r| r.entry.target.as_str())
        .collect();
    named.sort_unstable();
    assert_eq!(
        named,
        made.iter().map(|m| m.id.as_str()).collect::<Vec<_>>()
    );
    assert!(crate::verify_audit(&log).is_empty());
    let report = s.verify().await.unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}
