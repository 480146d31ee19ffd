//! `debrief metrics`: per-file instants and durations, or summaries across a directory.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use debrief_core::metrics::{self, FEW, GroupBy, GroupSummary};
use serde_json::Value;

use crate::input;
use crate::review::targets;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    Service,
    Severity,
    Month,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SummaryFormat {
    Text,
    Json,
    Csv,
}

pub struct Options {
    pub json: bool,
    pub summary: bool,
    pub by: Option<By>,
    pub format: SummaryFormat,
}

/// Returns the exit code: 0, or 2 when a named file could not be read.
pub fn run(paths: &[PathBuf], opts: &Options, out: &mut impl Write) -> anyhow::Result<u8> {
    let mut io_error = false;
    let mut docs = Vec::new();
    for t in targets(paths) {
        match input::read(&t.path) {
            Ok(d) => {
                let p = debrief_core::parse_named(&d.text, &t.path.to_string_lossy()).postmortem;
                docs.push((t.path.display().to_string(), p));
            }
            Err(e) if t.named => {
                eprintln!("debrief: {e}");
                io_error = true;
            }
            Err(e) => eprintln!("debrief: skipped {e}"),
        }
    }
    if opts.summary {
        let by = match opts.by {
            None => GroupBy::All,
            Some(By::Service) => GroupBy::Service,
            Some(By::Severity) => GroupBy::Severity,
            Some(By::Month) => GroupBy::Month,
        };
        let groups = metrics::summarize(docs.iter().map(|(name, p)| (name.as_str(), p)), by);
        let text = match opts.format {
            SummaryFormat::Text => summary_text(&groups, docs.len()),
            SummaryFormat::Json => {
                let mut s = serde_json::to_string_pretty(
                    &groups.iter().map(GroupSummary::view).collect::<Vec<_>>(),
                )?;
                s.push('\n');
                s
            }
            SummaryFormat::Csv => summary_csv(&groups),
        };
        out.write_all(text.as_bytes())?;
    } else {
        for (name, p) in &docs {
            let report = serde_json::to_value(metrics::report(Some(name), p))?;
            if opts.json {
                serde_json::to_writer(&mut *out, &report)?;
                writeln!(out)?;
            } else {
                out.write_all(file_text(&report).as_bytes())?;
            }
        }
    }
    Ok(if io_error { 2 } else { 0 })
}

fn file_text(r: &Value) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}", r["file"].as_str().unwrap_or("-"));
    let sources = &r["sources"];
    for k in [
        "started_at",
        "detected_at",
        "acknowledged_at",
        "escalated_at",
        "mitigated_at",
        "resolved_at",
    ] {
        let v = r[k].as_str().unwrap_or("unknown");
        let from = sources[k]
            .as_str()
            .map(|s| format!("  ({s})"))
            .unwrap_or_default();
        let _ = writeln!(s, "  {:<16} {v}{from}", k.trim_end_matches("_at"));
    }
    for (k, label) in [
        ("time_to_detect_minutes", "time to detect"),
        ("time_to_acknowledge_minutes", "time to acknowledge"),
        ("time_to_escalate_minutes", "time to escalate"),
        ("time_to_mitigate_minutes", "time to mitigate"),
        ("time_to_resolve_minutes", "time to resolve"),
    ] {
        let v = r[k]
            .as_i64()
            .map_or("unknown".to_string(), |m| format!("{m} min"));
        let _ = writeln!(s, "  {label:<20} {v}");
    }
    for n in r["notes"].as_array().into_iter().flatten() {
        let _ = writeln!(s, "  note: {}", n.as_str().unwrap_or_default());
    }
    s
}

fn short_name(duration: &str) -> &str {
    duration
        .trim_start_matches("time_to_")
        .trim_end_matches("_minutes")
}

fn fmt_opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or("-".into(), |v| v.to_string())
}

fn summary_text(groups: &[GroupSummary], files: usize) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{files} postmortem(s); durations in minutes (median, 90th percentile by nearest rank, maximum)"
    );
    let mut few = false;
    for g in groups {
        let _ = writeln!(s, "\n{} ({} postmortem(s))", g.group, g.postmortems);
        let _ = writeln!(
            s,
            "  {:<12} {:>4} {:>8} {:>6} {:>6}  maximum from",
            "duration", "n", "median", "p90", "max"
        );
        for (name, m) in &g.durations {
            let st = &m.stats;
            let mark = if st.too_few() && st.n > 0 { " *" } else { "" };
            few |= st.too_few() && st.n > 0;
            let _ = writeln!(
                s,
                "  {:<12} {:>4} {:>8} {:>6} {:>6}  {}{mark}",
                short_name(name),
                st.n,
                fmt_opt(st.median),
                fmt_opt(st.p90),
                fmt_opt(st.max),
                m.max_from.as_deref().unwrap_or("-")
            );
        }
        let detect = g.durations.first().map_or(0, |(_, m)| m.stats.n);
        if detect > 0 {
            let _ = writeln!(
                s,
                "  time to detect is 0 in {} of {detect} ({:.0}%): documents that state the start and the detection at the same minute",
                g.time_to_detect_zero,
                100.0 * g.time_to_detect_zero as f64 / detect as f64
            );
        }
    }
    if few {
        let _ = writeln!(
            s,
            "\n* n < {FEW}: too few values for these figures to mean much"
        );
    }
    s
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn summary_csv(groups: &[GroupSummary]) -> String {
    let mut s = String::from("group,postmortems,duration,n,median,p90,max,max_from,too_few\n");
    for g in groups {
        for (name, m) in &g.durations {
            let st = &m.stats;
            let _ = writeln!(
                s,
                "{},{},{},{},{},{},{},{},{}",
                csv_field(&g.group),
                g.postmortems,
                name,
                st.n,
                st.median.map(|m| m.to_string()).unwrap_or_default(),
                st.p90.map(|m| m.to_string()).unwrap_or_default(),
                st.max.map(|m| m.to_string()).unwrap_or_default(),
                csv_field(m.max_from.as_deref().unwrap_or_default()),
                st.too_few()
            );
        }
    }
    s
}
