//! `debrief import-chat`: a Slack export written for these tests (tests/fixtures/slack-export:
//! two days of an incident channel with a page from a bot, a thread, an edited message, joins,
//! a topic change and a file without text, and an unrelated channel) into timeline entries.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use support::*;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/slack-export")
}

fn run(db: &str, args: &[&str]) -> (i32, String, String) {
    let o = cli(db, args);
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).to_string(),
        String::from_utf8_lossy(&o.stderr).to_string(),
    )
}

fn import(db: &str, export: &Path, extra: &[&str]) -> Value {
    let mut args = vec![
        "import-chat",
        export.to_str().unwrap(),
        "--channel",
        "inc-checkout",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let (code, out, err) = run(db, &args);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn record(db: &str, id: &str) -> Value {
    let (code, out, err) = run(db, &["show", id, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str::<Value>(&out).unwrap()["record"].clone()
}

/// (time, kind, hidden) of each entry.
fn shape(r: &Value) -> Vec<(String, String, bool)> {
    r["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["at"]["at"].as_str().unwrap_or_default().to_string(),
                e["kind"].as_str().unwrap().to_string(),
                e["hidden"].as_bool().unwrap_or(false),
            )
        })
        .collect()
}

#[test]
fn a_slack_export_becomes_a_timeline_once() {
    let dir = scratch("chat");
    let db = format!("sqlite:{}", dir.join("d.db").display());
    let got = import(&db, &fixture(), &[]);
    assert_eq!(
        (
            &got["read"],
            &got["left_out"],
            &got["marked"],
            &got["hidden"],
            &got["added"]
        ),
        (&json!(12), &json!(4), &json!(5), &json!(3), &json!(8)),
        "{got:#}"
    );
    let id = got["postmortem"].as_str().unwrap().to_string();
    let r = record(&db, &id);
    assert_eq!(r["status"], "draft");
    let at = |t: &str| format!("2026-03-{t}Z");
    assert_eq!(
        shape(&r),
        [
            (at("14T10:02:00"), "detection", false),
            (at("14T10:04:30"), "acknowledgement", false),
            (at("14T10:06:00"), "other", true),
            (at("14T10:09:00"), "other", true),
            (at("14T10:12:00"), "escalation", false),
            (at("14T10:21:00"), "mitigation", false),
            (at("14T10:40:00"), "resolution", false),
            (at("15T09:00:00"), "other", true),
        ]
        .map(|(t, k, h)| (t, k.to_string(), h))
    );
    let t = r["timeline"].as_array().unwrap();
    // Bots keep their name; people are named as the export knows them; markup becomes text.
    assert_eq!(t[0]["source"], "slack #inc-checkout: PagerDuty (bot)");
    assert_eq!(
        t[0]["text"],
        "Triggered: checkout-api 5xx rate above 5%, paged @dana"
    );
    assert_eq!(
        t[3]["source"],
        "slack #inc-checkout: Lee Marsh, replying to dana at 10:06"
    );
    assert_eq!(
        t[3]["text"],
        "calls to the card processor time out from eu-west & retries pile up"
    );
    assert_eq!(
        t[5]["text"],
        "rolled back the 09:55 deploy of checkout-api, see deploy 812 (https://deploys.example/checkout/812)"
    );
    assert!(
        !r.to_string().contains("lunch"),
        "another channel's message came in"
    );
    // The response metrics come from the marked messages only.
    let (code, out, err) = run(&db, &["show", &id, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"detected\""), "{out}");

    // The same export again, into the same postmortem: nothing added, no new revision.
    let again = import(&db, &fixture(), &["--into", &id]);
    assert_eq!(
        (&again["added"], &again["revision"]),
        (&json!(0), &json!(1))
    );

    // The zip of the export reads the same; --from/--to keep the first day only.
    let zip = dir.join("export.zip");
    let o = Command::new("python3")
        .args([
            "-c",
            "import shutil, sys; shutil.make_archive(sys.argv[1], 'zip', sys.argv[2])",
        ])
        .arg(dir.join("export"))
        .arg(fixture())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (code, _, err) = run(
        &db,
        &[
            "import-chat",
            zip.to_str().unwrap(),
            "--channel",
            "inc-payments",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("its channels: general, inc-checkout"), "{err}");
    let zipped = import(&db, &zip, &[]);
    let zr = record(&db, zipped["postmortem"].as_str().unwrap());
    assert_eq!(zr["timeline"], r["timeline"]);
    let day = import(
        &db,
        &zip,
        &["--from", "2026-03-14 09:00", "--to", "2026-03-14T23:59:59Z"],
    );
    assert_eq!(
        (&day["read"], &day["marked"], &day["hidden"]),
        (&json!(10), &json!(5), &json!(2))
    );

    // Anonymised: roles in order of first message, in sources and mentions alike.
    let anon = import(&db, &fixture(), &["--anonymise"]);
    let ar = record(&db, anon["postmortem"].as_str().unwrap());
    let text = ar["timeline"].to_string();
    for name in ["dana", "Lee Marsh", "sam.i", "U01DANA", "U03SAM"] {
        assert!(!text.contains(name), "{name} in {text}");
    }
    let t = ar["timeline"].as_array().unwrap();
    assert_eq!(t[1]["source"], "slack #inc-checkout: responder 1");
    assert_eq!(
        t[4]["text"],
        "escalating to the payments on-call, @responder 3 can you join?"
    );
}

#[test]
fn hidden_entries_read_back_from_markdown_and_can_be_promoted() {
    let dir = scratch("chat-promote");
    let db = format!("sqlite:{}", dir.join("d.db").display());
    let got = import(&db, &fixture(), &[]);
    let id = got["postmortem"].as_str().unwrap().to_string();
    let token = user_with_token(&db, &dir, "eddie", "editor");
    let server = Server::start(&db);
    let auth = format!("Bearer {token}");
    // The page shows the marked entries and says how many are hidden.
    let page = http(
        &server.addr,
        "GET",
        &format!("/p/{id}"),
        &[("Authorization", &auth)],
        None,
    );
    assert_eq!(page.status, 200);
    let body = &page.body;
    assert!(body.contains("3 more entries are kept hidden"), "{body}");
    assert!(!body.contains("the payment step is failing"));
    assert!(body.contains("slack #inc-checkout: PagerDuty (bot)"));
    // Promote the third entry (a hidden one) through the API.
    let r = http(
        &server.addr,
        "PATCH",
        &format!("/api/v1/postmortems/{id}/timeline/2"),
        &[("Authorization", &auth), ("If-Match", "\"1\"")],
        Some((
            "application/json",
            br#"{"hidden": false, "kind": "symptom", "starred": true}"#.as_slice(),
        )),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let page = http(
        &server.addr,
        "GET",
        &format!("/p/{id}"),
        &[("Authorization", &auth)],
        None,
    );
    assert!(page.body.contains("2 more entries are kept hidden"));
    assert!(
        page.body
            .contains("Key moment:</span></span> the payment step is failing")
    );
    server.stop();
    let rec = record(&db, &id);
    let e = &rec["timeline"][2];
    assert_eq!(e["kind"], "symptom");
    assert_eq!(e["starred"], true);
    assert!(e.get("hidden").is_none(), "{e}");
    assert_eq!(rec["timeline"][3]["hidden"], true);
    // The source and key survive the edit, so importing the export again adds nothing.
    assert_eq!(e["source"], "slack #inc-checkout: dana");
    let again = import(&db, &fixture(), &["--into", &id]);
    assert_eq!(again["added"], 0);
}

#[test]
fn a_malformed_export_names_the_file_and_the_field() {
    let dir = scratch("chat-bad");
    let db = format!("sqlite:{}", dir.join("d.db").display());
    let export = dir.join("export");
    std::fs::create_dir_all(export.join("inc-checkout")).unwrap();
    std::fs::copy(fixture().join("users.json"), export.join("users.json")).unwrap();
    let day = export.join("inc-checkout/2026-03-14.json");
    let cases: [(&str, &str); 4] = [
        (
            "[{\"type\": \"message\", \"user\": \"U01DANA\", \"text\": \"paged\", \"ts\": 1773482520}]",
            "inc-checkout/2026-03-14.json: message 0: `ts` is not a string",
        ),
        (
            "[{\"type\": \"message\", \"text\": \"paged\"}]",
            "inc-checkout/2026-03-14.json: message 0: `ts` is missing",
        ),
        (
            "[{\"type\": \"message\", \"text\": \"paged\", \"ts\": \"yesterday\"}]",
            "inc-checkout/2026-03-14.json: message 0: `ts` is \"yesterday\"",
        ),
        (
            "[\n  {\"type\": \"message\",\n   \"ts\" \"1773482520.000100\"}\n]",
            "inc-checkout/2026-03-14.json: not valid JSON at line 3",
        ),
    ];
    for (text, wanted) in cases {
        std::fs::write(&day, text).unwrap();
        let (code, _, err) = run(
            &db,
            &[
                "import-chat",
                export.to_str().unwrap(),
                "--channel",
                "inc-checkout",
            ],
        );
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(wanted), "wanted {wanted:?} in {err}");
    }
    let (code, _, err) = run(
        &db,
        &[
            "import-chat",
            fixture().to_str().unwrap(),
            "--channel",
            "inc-payments",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("its channels: general, inc-checkout"), "{err}");
    let (code, _, err) = run(
        &db,
        &[
            "import-chat",
            fixture().to_str().unwrap(),
            "--channel",
            "inc-checkout",
            "--from",
            "last tuesday",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("--from last tuesday"), "{err}");
    // Nothing was stored by any of them.
    let (code, out, _) = run(&db, &["list", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), json!([]));
}
