//! The `debrief` command as users run it: output shapes, exit codes, and the error messages for
//! input that is not a postmortem. One test binary; one test per behaviour.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn debrief(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_debrief"))
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn tmp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("debrief-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn shared() -> Option<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if d.is_dir() {
        Some(d)
    } else {
        assert!(
            std::env::var_os("DEBRIEF_REQUIRE_ALL").is_none(),
            "{} is absent; the test command needs ../shared beside the repository",
            d.display()
        );
        println!("skipped: {} is absent", d.display());
        None
    }
}

#[test]
fn parse_json_on_the_seed_gives_the_required_keys_and_values() {
    let Some(shared) = shared() else { return };
    let seed = shared.join("reference/seed-postmortem.txt");
    let o = debrief(&["parse", seed.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for key in ["file", "record", "notes", "metrics"] {
        assert!(v.get(key).is_some(), "missing key {key}");
    }
    let r = &v["record"];
    for key in [
        "title",
        "instants",
        "stated_duration_minutes",
        "summary",
        "impact",
        "root_cause",
        "resolution",
        "timeline",
        "action_items",
        "sections",
    ] {
        assert!(r.get(key).is_some(), "missing key record.{key}");
    }
    // Instants in RFC 3339, with the zone as written and whether they were stated.
    assert_eq!(
        r["instants"]["started"],
        serde_json::json!({"at": "2024-04-03T11:00:00Z", "zone": "GMT", "approximate": false})
    );
    assert_eq!(r["instants"]["ended"]["at"], "2024-04-03T14:16:00Z");
    assert!(
        r["instants"].get("derived").is_none(),
        "the seed states both"
    );
    assert_eq!(r["stated_duration_minutes"], 194);
    let t = r["timeline"].as_array().unwrap();
    assert_eq!(t.len(), 10);
    assert_eq!(t[0]["at"]["at"], "2024-04-03T11:02:00Z");
    assert_eq!(t[9]["at"]["at"], "2024-04-03T14:16:00Z");
    for e in t {
        for k in ["at", "text", "kind", "line"] {
            assert!(e.get(k).is_some());
        }
    }
    let a = r["action_items"].as_array().unwrap();
    assert_eq!(a.len(), 6);
    for k in ["text", "owner", "due", "status", "kind", "line"] {
        assert!(a[0].get(k).is_some());
    }
    // The metrics `debrief metrics --json` prints for the same file.
    let m = debrief(&["metrics", seed.to_str().unwrap(), "--json"]);
    let mut metrics: serde_json::Value = serde_json::from_slice(&m.stdout).unwrap();
    metrics.as_object_mut().unwrap().remove("file");
    assert_eq!(v["metrics"], metrics);
    // And the record `export --to json` writes.
    let e = debrief(&["export", seed.to_str().unwrap(), "--to", "json"]);
    let exported: serde_json::Value = serde_json::from_slice(&e.stdout).unwrap();
    assert_eq!(r, &exported);
}

#[test]
fn several_files_give_json_lines() {
    let a = tmp("a.md", b"# A\n\n## Timeline\n\n- 10:00 UTC start\n");
    let b = tmp("b.md", b"# B\n\n## Summary\n\nShort.\n");
    let o = debrief(&["parse", a.to_str().unwrap(), b.to_str().unwrap(), "--json"]);
    assert!(o.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["record"]["title"], "A");
    assert_eq!(lines[1]["record"]["title"], "B");
}

#[test]
fn readable_summary_by_default() {
    let a = tmp(
        "readable.md",
        b"# Disk full\n\n## Timeline\n\n- 10:00 UTC disk alert fires\n",
    );
    let o = debrief(&["parse", a.to_str().unwrap()]);
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.contains("title      Disk full"), "{out}");
    assert!(out.contains("timeline   1 entries"), "{out}");
}

#[test]
fn missing_file_is_a_usage_error_with_the_path() {
    let o = debrief(&["parse", "/nonexistent/pm.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("/nonexistent/pm.md: no such file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn directory_is_refused_with_a_hint() {
    let dir = std::env::temp_dir();
    let o = debrief(&["parse", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is a directory"), "{}", stderr(&o));
}

#[test]
fn binary_and_empty_files_are_refused() {
    let bin = tmp("img.png", &[0x89, b'P', b'N', b'G', 0, 0, 0, 13]);
    let o = debrief(&["parse", bin.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("binary"), "{}", stderr(&o));
    let empty = tmp("empty.md", b"  \n\n");
    let o = debrief(&["parse", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is empty"), "{}", stderr(&o));
}

#[test]
fn non_utf8_is_decoded_lossily_and_said_so() {
    // UTF-8 with one damaged byte: the rest is kept, the byte replaced.
    let mut bytes = "Summary\n\nCafé outage at 10:00 UTC, twice.\n"
        .as_bytes()
        .to_vec();
    let comma = bytes.iter().position(|&b| b == b',').unwrap();
    bytes[comma] = 0xe9;
    let damaged = tmp("damaged.txt", &bytes);
    let o = debrief(&["parse", damaged.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let note = &v["notes"][0];
    assert_eq!(note["code"], "input-decoding");
    assert!(
        note["message"]
            .as_str()
            .unwrap()
            .contains(":3: the file is not valid UTF-8")
    );
    let summary = v["record"]["summary"].as_str().unwrap();
    assert!(
        summary.contains("Café") && summary.contains('\u{fffd}'),
        "{summary}"
    );
}

#[test]
fn windows_encodings_are_read_as_written() {
    // Windows-1252 (no UTF-8 anywhere): its accents and typographic quotes kept.
    let cp1252 = tmp(
        "cp1252.txt",
        b"Summary\n\nCaf\xe9 outage \x93payments\x94 \x96 at 10:00 UTC.\n",
    );
    let o = debrief(&["parse", cp1252.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["record"]["summary"],
        "Café outage \u{201c}payments\u{201d} \u{2013} at 10:00 UTC."
    );
    assert!(
        v["notes"][0]["message"]
            .as_str()
            .unwrap()
            .contains("read as Windows-1252")
    );
    // "Unicode text" as Notepad and Word save it: UTF-16 with its byte-order mark.
    let text = "# Cache outage\n\n## Summary\n\nCafé cache failed.\n";
    for (name, bom, bytes) in [
        (
            "le.txt",
            [0xFF, 0xFE],
            text.encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect::<Vec<u8>>(),
        ),
        (
            "be.txt",
            [0xFE, 0xFF],
            text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        ),
    ] {
        let file = tmp(name, &[&bom[..], &bytes].concat());
        let o = debrief(&["parse", file.to_str().unwrap(), "--json"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["record"]["title"], "Cache outage", "{name}");
        assert_eq!(v["record"]["summary"], "Café cache failed.", "{name}");
        assert_eq!(v["notes"], serde_json::json!([]), "{name}");
    }
}

#[test]
fn export_markdown_then_parse_gives_the_same_json() {
    let src = tmp("exp.md", b"Title line\n\nIssue Summary: On May 2, 2024 at 10:00 UTC the API failed.\n\nTimeline\n10:00 UTC errors\n10:30 UTC fixed\n\nAction Items\n- Add alerts (owner: Jo)\n");
    let o = debrief(&["export", src.to_str().unwrap(), "--to", "markdown"]);
    assert!(o.status.success());
    let canon = tmp("exp-canon.md", &o.stdout);
    let a = debrief(&["export", src.to_str().unwrap(), "--to", "json"]);
    let b = debrief(&["export", canon.to_str().unwrap(), "--to", "json"]);
    let mut va: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    let mut vb: serde_json::Value = serde_json::from_slice(&b.stdout).unwrap();
    // Source lines differ between the two files; everything else is identical.
    for v in [&mut va, &mut vb] {
        for list in ["timeline", "action_items", "sections"] {
            for e in v[list].as_array_mut().unwrap() {
                e["line"] = 0.into();
            }
        }
    }
    assert_eq!(va, vb);
}

#[test]
fn unknown_flag_exits_two() {
    let o = debrief(&["parse", "--nope"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_mistyped_database_path_is_an_error_not_a_new_empty_database() {
    let dir = std::env::temp_dir().join(format!("debrief-cli-db-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite:{}", dir.join("team.db").display());
    for args in [
        &["list"][..],
        &["search", "disk"],
        &["import", "."],
        &["serve"],
    ] {
        let o = debrief(&[&["--database", &db][..], args].concat());
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert!(
            err.contains("no such database file") && err.contains("debrief init"),
            "{err}"
        );
    }
    assert!(!dir.join("team.db").exists(), "nothing was created");
    let o = debrief(&["--database", &db, "init"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("created"));
    let o = debrief(&["--database", &db, "list"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // --create asks for it in one step.
    let other = format!("sqlite:{}", dir.join("other.db").display());
    let o = debrief(&["--database", &other, "--create", "list"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs `debrief` as a user that may read but not write files owned by this one: as root,
/// permissions do not bind, so the command runs as `nobody`.
fn debrief_as_reader(args: &[&str]) -> Output {
    let me = Command::new("id").arg("-u").output().unwrap();
    let mut c = if String::from_utf8_lossy(&me.stdout).trim() == "0" {
        let mut c = Command::new("setpriv");
        c.args(["--reuid", "65534", "--regid", "65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_debrief"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_debrief"))
    };
    c.args(args).output().unwrap()
}

#[test]
fn a_database_the_user_may_only_read_can_still_be_read() {
    use std::os::unix::fs::PermissionsExt;
    let doc = tmp(
        "readonly-incident.md",
        b"# Queue backlog\n\n## Timeline\n\n- 2025-02-03 09:00 UTC: backlog alert fired\n- 2025-02-03 09:40 UTC: workers scaled out, backlog drained\n",
    );
    // A directory the reader cannot write (no shared-memory file can be made beside the
    // database), then one it can.
    for dir_mode in [0o755, 0o1777] {
        let dir = std::env::temp_dir().join(format!(
            "debrief-cli-ro-{}-{dir_mode:o}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("team.db");
        let db = format!("sqlite:{}", file.display());
        let o = debrief(&[
            "--database",
            &db,
            "--create",
            "import",
            doc.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(dir_mode)).unwrap();
        let before = std::fs::read(&file).unwrap();

        let o = debrief_as_reader(&["--database", &db, "list"]);
        assert!(o.status.success(), "list: {}", stderr(&o));
        assert!(String::from_utf8_lossy(&o.stdout).contains("Queue backlog"));
        let o = debrief_as_reader(&["--database", &db, "search", "backlog"]);
        assert!(o.status.success(), "search: {}", stderr(&o));
        let o = debrief_as_reader(&["--database", &db, "verify"]);
        assert!(o.status.success(), "verify: {}", stderr(&o));
        // A write is refused with the reason, and the file is untouched.
        let other = tmp(
            "readonly-other.md",
            b"# Cache stampede\n\nThe cache expired at once.\n",
        );
        let o = debrief_as_reader(&["--database", &db, "import", other.to_str().unwrap()]);
        assert!(!o.status.success());
        assert!(stderr(&o).contains("read-only"), "{}", stderr(&o));
        assert_eq!(std::fs::read(&file).unwrap(), before, "mode {dir_mode:o}");

        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn mistyped_commands_and_flags_get_a_suggestion() {
    let o = debrief(&["lsit"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("'list'"), "{}", stderr(&o));
    let o = debrief(&["parse", "--jsn", "x.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--json"), "{}", stderr(&o));
}

#[test]
fn a_closed_pipe_ends_quietly_with_the_sigpipe_status() {
    use std::io::Read;
    let dir = std::env::temp_dir().join(format!("debrief-cli-pipe-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // Far more output than a pipe buffer holds.
    let mut files = Vec::new();
    for i in 0..400 {
        let file = dir.join(format!("pm{i}.md"));
        std::fs::write(&file, "# Outage\n\nThe site was down.\n").unwrap();
        files.push(file.to_str().unwrap().to_string());
    }
    let dir_arg = dir.to_str().unwrap().to_string();
    let runs: [Vec<&str>; 2] = [
        vec!["lint", &dir_arg],
        // JSON goes through serde_json, which wraps the write's error in its own.
        ["parse", "--format", "json"]
            .into_iter()
            .chain(files.iter().map(String::as_str))
            .collect(),
    ];
    for args in runs {
        let mut child = Command::new(env!("CARGO_BIN_EXE_debrief"))
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 64];
        child
            .stdout
            .as_mut()
            .unwrap()
            .read_exact(&mut first)
            .unwrap();
        drop(child.stdout.take());
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(141), "{}", args[0]);
        assert!(err.is_empty(), "nothing on standard error: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn search_exits_one_when_nothing_matches_like_grep() {
    let dir = std::env::temp_dir().join(format!("debrief-cli-search-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let doc = dir.join("pm.md");
    std::fs::write(
        &doc,
        "# Disk full\n\n## Summary\n\nThe volume filled with logs.\n",
    )
    .unwrap();
    let db = format!("sqlite:{}", dir.join("s.db").display());
    let o = debrief(&[
        "--database",
        &db,
        "--create",
        "import",
        doc.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        debrief(&["--database", &db, "search", "volume"])
            .status
            .code(),
        Some(0)
    );
    let none = debrief(&["--database", &db, "search", "kubernetes"]);
    assert_eq!(none.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&none.stdout).contains("0 match"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn facets_count_what_the_filters_and_words_choose() {
    let dir = std::env::temp_dir().join(format!("debrief-cli-facets-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, severity, year, services, word) in [
        ("a.md", "SEV1", 2023, "[Payments, Ledger]", "volume"),
        ("b.md", "SEV1", 2024, "[payments]", "network"),
        ("c.md", "SEV2", 2024, "[Search]", "volume"),
    ] {
        std::fs::write(
            dir.join(name),
            format!(
                "---\ntitle: {name}\ndate: {year}-05-01\nseverity: {severity}\nservices: {services}\n---\n\n## Summary\n\nThe {word} failed.\n"
            ),
        )
        .unwrap();
    }
    let db = format!("sqlite:{}", dir.join("f.db").display());
    let o = debrief(&[
        "--database",
        &db,
        "--create",
        "import",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json = |args: &[&str]| {
        let o = debrief(&[&["--database", &db, "facets", "--format", "json"], args].concat());
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
    };
    let all = json(&[]);
    assert_eq!(all["counted"], 3);
    assert_eq!(all["sampled"], false);
    assert_eq!(
        all["services"][0],
        serde_json::json!({"value": "payments", "label": "payments", "count": 2}),
        "one service however it is written, shown as the most recently added writes it: {all}"
    );
    assert_eq!(all["years"][0]["value"], "2024");
    assert_eq!(all["years"][0]["count"], 2);
    let volume = json(&["volume", "--severity", "sev-1"]);
    assert_eq!(volume["counted"], 1, "{volume}");
    assert_eq!(volume["years"][0]["value"], "2023");
    let text = debrief(&["--database", &db, "facets", "--from", "2024-01-01"]);
    let shown = String::from_utf8_lossy(&text.stdout);
    assert!(shown.starts_with("2 postmortem(s) counted"), "{shown}");
    assert!(
        shown.contains("severity\n       1  SEV1\n       1  SEV2"),
        "{shown}"
    );
    let many: Vec<String> = (0..17).map(|i| format!("word{i}")).collect();
    let bad = debrief(&["--database", &db, "facets", &many.join(" ")]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("facets \"word0"), "{}", stderr(&bad));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn serve_binds_a_host_name_and_port() {
    use std::io::BufRead;
    let dir = std::env::temp_dir().join(format!("debrief-cli-bind-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite:{}", dir.join("s.db").display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_debrief"))
        .args([
            "--database",
            &db,
            "--create",
            "serve",
            "--bind",
            "localhost:0",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        line.contains("listening on http://127.0.0.1:")
            || line.contains("listening on http://[::1]:"),
        "{line}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The subcommands a `--help` lists (`help` aside).
fn subcommands(path: &[String]) -> Vec<String> {
    let h = String::from_utf8(
        debrief(
            &[path, &["--help".to_string()][..]]
                .concat()
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
        )
        .stdout,
    )
    .unwrap();
    let Some(start) = h.find("Commands:\n") else {
        return Vec::new();
    };
    h[start + 10..]
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn every_command_describes_every_argument_with_examples_and_exit_status() {
    let mut todo = vec![Vec::<String>::new()];
    let mut leaves = 0;
    while let Some(path) = todo.pop() {
        let subs = subcommands(&path);
        if !subs.is_empty() {
            todo.extend(subs.into_iter().map(|s| [path.clone(), vec![s]].concat()));
            continue;
        }
        leaves += 1;
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let help = String::from_utf8(debrief(&args).stdout).unwrap();
        assert!(
            help.contains("Examples:\n  debrief "),
            "{path:?}: no examples\n{help}"
        );
        assert!(
            help.contains("Exit status: "),
            "{path:?}: no exit status\n{help}"
        );
        for section in ["Arguments:\n", "Options:\n"] {
            let Some(at) = help.find(section) else {
                continue;
            };
            let lines: Vec<&str> = help[at + section.len()..]
                .lines()
                .take_while(|l| !l.trim().is_empty())
                .collect();
            for (i, l) in lines.iter().enumerate() {
                let indent = l.len() - l.trim_start().len();
                if !(2..=6).contains(&indent) {
                    continue; // a description's continuation line
                }
                let described = l
                    .trim()
                    .split("  ")
                    .filter(|p| !p.trim().is_empty())
                    .count()
                    > 1
                    || lines
                        .get(i + 1)
                        .is_some_and(|n| n.len() - n.trim_start().len() > 6);
                assert!(described, "{path:?}: `{}` has no description", l.trim());
            }
        }
    }
    assert!(leaves >= 25, "{leaves} commands");
}

#[test]
fn database_options_show_only_where_a_database_is_used() {
    let help = |c: &str| String::from_utf8(debrief(&[c, "--help"]).stdout).unwrap();
    for c in ["parse", "lint", "metrics", "schema"] {
        assert!(!help(c).contains("--database"), "{c}");
    }
    for c in ["list", "import", "search", "serve", "init", "verify"] {
        assert!(help(c).contains("--database <URL>"), "{c}");
    }
    // Before the command or after it; after it wins.
    let dir = std::env::temp_dir().join(format!("debrief-cli-after-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite:{}", dir.join("a.db").display());
    assert!(debrief(&["init", "--database", &db]).status.success());
    let missing = format!("sqlite:{}", dir.join("missing.db").display());
    let o = debrief(&["--database", &missing, "list", "--database", &db]);
    assert!(o.status.success(), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_printing_command_takes_format_json() {
    let help = |c: &[&str]| String::from_utf8(debrief(&[c, &["--help"]].concat()).stdout).unwrap();
    for c in [
        &["parse"][..],
        &["list"],
        &["show"],
        &["search"],
        &["actions"],
        &["import"],
        &["revisions"],
        &["verify"],
        &["lint"],
        &["metrics"],
        &["user", "list"],
        &["token", "list"],
    ] {
        let h = help(c);
        assert!(h.contains("--format <FORMAT>"), "{c:?}");
        assert!(!h.contains("--json"), "{c:?}: one way to choose output");
    }
    let doc = tmp(
        "fmt.md",
        b"# Disk full\n\n## Timeline\n\n- 10:00 UTC disk alert fires\n",
    );
    let a = debrief(&["parse", doc.to_str().unwrap(), "--format", "json"]);
    let b = debrief(&["parse", doc.to_str().unwrap(), "--json"]);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout, "--json is short for --format json");
    let m = debrief(&["metrics", doc.to_str().unwrap(), "--format", "json"]);
    assert!(serde_json::from_slice::<serde_json::Value>(&m.stdout).is_ok());
    assert_eq!(
        debrief(&["metrics", doc.to_str().unwrap(), "--format", "csv"])
            .status
            .code(),
        Some(2)
    );
}

/// A Word document as Word lays one out: the parts that matter, zipped.
fn docx(body: &str) -> Vec<u8> {
    use std::io::Write as _;
    let w = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#.to_string(),
        ),
        (
            "word/styles.xml",
            format!(
                r#"<w:styles {w}><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style></w:styles>"#
            ),
        ),
        (
            "word/document.xml",
            format!(r#"<?xml version="1.0"?><w:document {w}><w:body>{body}</w:body></w:document>"#),
        ),
    ] {
        zip.start_file(name, opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn word_paragraph(style: &str, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#
    )
}

#[test]
fn a_word_document_is_read_as_its_markdown() {
    let body = [
        word_paragraph("Title", "Cache cluster failover"),
        word_paragraph("Heading1", "Timeline (UTC)"),
        word_paragraph("ListBullet", "2024-03-12 14:02 Primary cache node runs out of memory"),
        word_paragraph("ListBullet", "2024-03-12 14:27 Latency back to normal"),
        word_paragraph("Heading1", "Action items"),
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Action</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Owner</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>Patch the eviction thread</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Lena</w:t></w:r></w:p></w:tc></w:tr></w:tbl>".to_string(),
    ]
    .concat();
    let dir = std::env::temp_dir().join(format!("debrief-docx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("cache.docx");
    std::fs::write(&file, docx(&body)).unwrap();
    let o = debrief(&["parse", file.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let r = &v["record"];
    assert_eq!(r["title"], "Cache cluster failover");
    assert_eq!(r["timeline"].as_array().unwrap().len(), 2);
    assert_eq!(r["instants"]["started"]["at"], "2024-03-12T14:02:00Z");
    assert_eq!(r["action_items"][0]["owner"], "Lena");
    assert!(
        v["notes"][0]["message"]
            .as_str()
            .unwrap()
            .contains("a Word document, read as the Markdown")
    );
    // A directory walk reads it too.
    let o = debrief(&["metrics", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("cache.docx"));
    // A ZIP that is no Word document, and a PDF, are refused with what to do.
    let other = tmp("other.docx", &{
        use std::io::Write as _;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file("notes.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"hello").unwrap();
        zip.finish().unwrap().into_inner()
    });
    let o = debrief(&["parse", other.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("without word/document.xml is not a Word document"),
        "{}",
        stderr(&o)
    );
    let damaged = tmp("damaged.docx", b"PK\x03\x04 not a whole archive");
    let o = debrief(&["parse", damaged.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("save it again"), "{}", stderr(&o));
    let pdf = tmp("report.pdf", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n");
    let o = debrief(&["parse", pdf.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is a PDF"), "{}", stderr(&o));
}
