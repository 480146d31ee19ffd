//! `debrief lint` and `debrief metrics` as users and CI run them: exit codes, output formats
//! (text, JSON, SARIF validated against the official SARIF 2.1.0 schema), configuration files
//! found by walking up, directories, summaries.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod support;
use support::scratch;

fn debrief(args: &[&str]) -> Output {
    debrief_in(args, None)
}

fn debrief_in(args: &[&str], dir: Option<&Path>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_debrief"));
    c.args(args).env("NO_COLOR", "1");
    if let Some(d) = dir {
        c.current_dir(d);
    }
    c.output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn write(path: &Path, body: &str) -> String {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).unwrap();
    }
    std::fs::write(path, body).unwrap();
    path.display().to_string()
}

fn seed() -> Option<String> {
    support::seed().map(|p| p.display().to_string())
}

/// A postmortem with only warnings: its action item has no owner or due date.
const WARNINGS_ONLY: &str = "## Summary\n\nCheckout failed for 12% of requests for 47 minutes.\n\n## Impact\n\nAbout 3,100 orders failed.\n\n## Timeline\n\n- 09:10 UTC errors rise\n- 09:12 UTC alert fires\n- 09:57 UTC resolved\n\n## Root cause\n\nA pool change.\n\n## Resolution\n\nRolled back.\n\n## Action items\n\n- Add an alert on pool saturation above 80%\n\n## Lessons learned\n\nThe alert was fast.\n";

#[test]
fn lint_on_the_seed_exits_one_and_reports_the_rules_as_json() {
    let Some(seed) = seed() else { return };
    let o = debrief(&["lint", "--format", "json", &seed]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let all = v.as_array().unwrap();
    for f in all {
        for key in [
            "file",
            "rule",
            "severity",
            "message",
            "line",
            "column",
            "suggestion",
        ] {
            assert!(f.get(key).is_some(), "{key} missing in {f}");
        }
        assert_eq!(f["file"], seed.as_str());
    }
    let rules: Vec<&str> = all.iter().map(|f| f["rule"].as_str().unwrap()).collect();
    for r in [
        "duration-mismatch",
        "unquantified-impact",
        "action-item-owner",
        "action-item-due-date",
        "vague-action",
        "data-loss-unstated",
        "missing-section",
    ] {
        assert!(rules.contains(&r), "{r} not in {rules:?}");
    }
    assert!(!rules.contains(&"blame-language") && !rules.contains(&"timeline-order"));
}

#[test]
fn text_output_shows_the_line_with_a_caret_and_a_summary() {
    let d = scratch("text");
    let f = write(
        &d.join("pm.md"),
        "## Impact\n\nSome users could not log in.\n",
    );
    let o = debrief(&["lint", &f]);
    let out = text(&o.stdout);
    assert!(
        out.contains(&format!("{f}:3:1: warning[unquantified-impact]")),
        "{out}"
    );
    assert!(out.contains(" 3 | Some users could not log in."), "{out}");
    assert!(out.contains("|  ^") || out.contains("| ^"), "{out}");
    assert!(out.contains("= suggestion:"), "{out}");
    assert!(
        out.lines().last().unwrap().contains("in 1 of 1 file(s)"),
        "{out}"
    );
    assert!(
        !out.contains('\x1b'),
        "no colour when NO_COLOR is set or not a terminal"
    );
}

#[test]
fn warnings_pass_unless_denied() {
    let d = scratch("deny");
    let f = write(&d.join("pm.md"), WARNINGS_ONLY);
    let o = debrief(&["lint", &f]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    assert!(text(&o.stdout).contains("action-item-owner"));
    let o = debrief(&["lint", "--deny", "warnings", &f]);
    assert_eq!(o.status.code(), Some(1));
    let o = debrief(&["lint", "--deny", "infos", &f]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "bad --deny value is a usage error"
    );
}

#[test]
fn io_and_configuration_errors_exit_two_and_say_where() {
    let o = debrief(&["lint", "/nonexistent/pm.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("/nonexistent/pm.md: no such file"));

    let d = scratch("badcfg");
    write(
        &d.join(".debrief.toml"),
        "[lint]\n\ndisable = [\"blame\"]\n",
    );
    let f = write(&d.join("pm.md"), WARNINGS_ONLY);
    let o = debrief(&["lint", &f]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains(".debrief.toml:3: unknown rule `blame`"),
        "{err}"
    );
    assert!(
        err.contains("blame-language"),
        "the message lists the rules: {err}"
    );
}

#[test]
fn configuration_is_found_by_walking_up_and_directories_are_walked() {
    let d = scratch("walk");
    write(
        &d.join(".debrief.toml"),
        "[lint]\ndisable = [\"action-item-owner\"]\n[lint.severity]\naction-item-due-date = \"error\"\n",
    );
    write(&d.join("team/2024/pm.md"), WARNINGS_ONLY);
    write(&d.join("team/notes.markdown"), WARNINGS_ONLY);
    write(&d.join("team/.drafts/hidden.md"), WARNINGS_ONLY);
    write(&d.join("team/data.tsv"), "a\tb\n");
    let o = debrief(&["lint", "--format", "json", d.to_str().unwrap()]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let files: std::collections::BTreeSet<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(
        files
            .iter()
            .all(|f| !f.contains(".drafts") && !f.ends_with(".tsv"))
    );
    let rules: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(
        !rules.contains(&"action-item-owner"),
        "disabled by the file above"
    );
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "action-item-due-date" && f["severity"] == "error")
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "raised to error by the configuration"
    );

    // --config overrides the search.
    let other = write(
        &d.join("other.toml"),
        "[lint]\ndisable = [\"action-item-due-date\", \"action-item-owner\"]\n",
    );
    let o = debrief(&["lint", "--config", &other, d.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
}

#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    let Some(seed) = seed() else { return };
    let required = std::env::var_os("DEBRIEF_REQUIRE_ALL").is_some();
    let Some(schema) = std::env::var_os("DEBRIEF_SARIF_SCHEMA").map(PathBuf::from) else {
        assert!(
            !required,
            "DEBRIEF_SARIF_SCHEMA is not set; scripts/test fetches the schema"
        );
        println!(
            "skipped: DEBRIEF_SARIF_SCHEMA is not set (scripts/test fetches the official schema)"
        );
        return;
    };
    let o = debrief(&["lint", "--format", "sarif", &seed]);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert!(results.len() >= 15);
    let r = &results[0];
    assert!(
        r["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap()
            >= 1
    );
    let sarif = scratch("sarif");
    let out = sarif.join("seed.sarif");
    std::fs::write(&out, &o.stdout).unwrap();
    if let Err(e) = support::json_schema_errors(Path::new(&schema), &out) {
        panic!("SARIF does not validate: {e}");
    }
}

#[test]
fn metrics_json_on_the_seed_gives_the_durations() {
    let Some(seed) = seed() else { return };
    let o = debrief(&["metrics", "--json", &seed]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["detected_at"], "2024-04-03T11:05:00Z");
    assert_eq!(v["escalated_at"], "2024-04-03T12:00:00Z");
    assert_eq!(v["time_to_detect_minutes"], 5);
    assert_eq!(v["time_to_acknowledge_minutes"], 5);
    assert_eq!(v["time_to_escalate_minutes"], 55);
    assert_eq!(v["time_to_mitigate_minutes"], 180);
    assert_eq!(v["time_to_resolve_minutes"], 196);
    assert_eq!(v["sources"]["detected_at"], "timeline line 15");
}

#[test]
fn metrics_summaries_by_group_in_three_formats() {
    let d = scratch("summary");
    for (i, svc) in ["checkout", "checkout", "search"].iter().enumerate() {
        write(
            &d.join(format!("pm{i}.md")),
            &format!(
                "---\nservices: [{svc}]\nseverity: SEV{}\n---\n## Timeline\n\n- 09:00 UTC errors rise\n- 09:0{} UTC alert fires\n- 09:30 UTC resolved\n",
                i + 1,
                i + 2
            ),
        );
    }
    let dir = d.to_str().unwrap();
    let o = debrief(&[
        "metrics",
        dir,
        "--summary",
        "--by",
        "service",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let groups = v.as_array().unwrap();
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0]["group"], "checkout");
    let ttd = &groups[0]["durations"]["time_to_detect_minutes"];
    assert_eq!(ttd["n"], 2);
    assert_eq!(ttd["median"], 2.5);
    assert_eq!(ttd["max"], 3);
    assert!(ttd["note"].as_str().unwrap().contains("too few"));

    let o = debrief(&["metrics", dir, "--summary", "--format", "csv"]);
    let csv = text(&o.stdout);
    assert!(csv.starts_with("group,postmortems,duration,n,median,p90,max,max_from,too_few\n"));
    // The maximum names the document it comes from.
    let max_from = d.join("pm2.md").display().to_string();
    assert!(
        csv.contains(&format!(
            "all,3,time_to_detect_minutes,3,3,4,4,{max_from},true"
        )),
        "{csv}"
    );

    let o = debrief(&["metrics", dir, "--summary", "--by", "severity"]);
    let t = text(&o.stdout);
    assert!(t.contains("SEV1 (1 postmortem(s))"), "{t}");
    assert!(t.contains("too few values"), "{t}");
    let header = t
        .lines()
        .find(|l| l.trim_start().starts_with("duration"))
        .unwrap();
    assert_eq!(
        header.split_whitespace().collect::<Vec<_>>(),
        ["duration", "n", "median", "p90", "max", "maximum", "from"],
        "never a bare mean"
    );
    assert!(t.contains("time to detect is 0 in 0 of 1"), "{t}");

    let o = debrief(&["metrics", "--by", "service", dir]);
    assert_eq!(o.status.code(), Some(2), "--by needs --summary");
}
