//! What pages compute before a template prints it: sanitized Markdown, durations in words, and
//! the coordinates of the SVG charts (the templates draw them; every text they print is
//! escaped by askama).

use debrief_core::metrics::{self, Found, Source};
use debrief_core::time::Stamp;
use debrief_core::{EventKind, Postmortem};

/// Markdown written by users as HTML that cannot run anything: pulldown-cmark renders it,
/// ammonia keeps a safe subset (no script, style, event attributes or `javascript:` links;
/// links get `rel="noopener noreferrer nofollow"`).
pub fn markdown(text: &str) -> String {
    safe_html(text, pulldown_cmark::Options::empty())
}

/// A timeline entry's Markdown as inline HTML ("**Resolved** - ..." in bold): [`markdown`]
/// without the paragraph around a single one.
pub fn inline_markdown(text: &str) -> String {
    let html = markdown(text);
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|t| t.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => html,
    }
}

/// A timeline entry's Markdown as the words it shows, for a chart's labels and tooltips.
pub fn plain_text(text: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::with_capacity(text.len());
    for event in Parser::new(text) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_))
                if !out.is_empty() && !out.ends_with(' ') =>
            {
                out.push(' ');
            }
            _ => {}
        }
    }
    out.trim_end().to_string()
}

/// A whole document as [`markdown`] renders a section, its front matter (the `---` block at the
/// top that names the title, date, severity, ...) left out rather than shown as text: the
/// editor's preview of the canonical Markdown.
pub fn document(text: &str) -> String {
    safe_html(
        text,
        pulldown_cmark::Options::ENABLE_YAML_STYLE_METADATA_BLOCKS,
    )
}

fn safe_html(text: &str, extra: pulldown_cmark::Options) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let mut out = String::with_capacity(text.len() * 2);
    html::push_html(
        &mut out,
        Parser::new_ext(
            text,
            Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | extra,
        ),
    );
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&out)
        .to_string()
}

/// A stored time as people read it: `2026-12-02 10:18 UTC`.
pub fn when(t: &debrief_store::Time) -> String {
    let s = t.to_string();
    match s.get(..16) {
        Some(minute) => format!("{} UTC", minute.replace('T', " ")),
        None => s,
    }
}

/// Minutes as people say them: `45 min`, `3 h 16 min`, `2 d 4 h`.
pub fn minutes(m: i64) -> String {
    let sign = if m < 0 { "-" } else { "" };
    let m = m.abs();
    if m < 60 {
        format!("{sign}{m} min")
    } else if m < 24 * 60 {
        match m % 60 {
            0 => format!("{sign}{} h", m / 60),
            r => format!("{sign}{} h {r} min", m / 60),
        }
    } else {
        match (m % (24 * 60)) / 60 {
            0 => format!("{sign}{} d", m / (24 * 60)),
            h => format!("{sign}{} d {h} h", m / (24 * 60)),
        }
    }
}

/// A stamp as people read it: `2024-04-03 11:02 GMT`, `~` for approximate ones.
pub fn stamp(s: &Stamp) -> String {
    clock(s, None)
}

/// The stamps of a timeline, dated only where the day changes from the incident's first.
pub fn entry_times(p: &Postmortem) -> Vec<String> {
    let day = p
        .timeline
        .iter()
        .filter_map(|e| e.at.as_ref().and_then(|s| s.date))
        .min();
    p.timeline
        .iter()
        .map(|e| e.at.as_ref().map(|s| clock(s, day)).unwrap_or_default())
        .collect()
}

/// Where a stamp sits on the chart's axis: seconds since the epoch for dated stamps, since the
/// incident's first day for dateless ones (a document's stamps are one or the other; see
/// [`timeline_chart`]).
fn seconds(s: &Stamp) -> Option<i64> {
    s.time?;
    s.sort_key()
}

/// One response metric as a card: its value and where each end comes from.
pub struct Card {
    pub name: &'static str,
    pub value: Option<String>,
    pub from: String,
}

/// A stamp as a clock time with its zone, and its date when it is not `day`.
fn clock(s: &Stamp, day: Option<debrief_core::time::Date>) -> String {
    let Some(t) = s.time else {
        return stamp(s);
    };
    let mut out = String::new();
    if s.approximate {
        out.push('~');
    }
    if let Some(d) = s.date.filter(|d| Some(*d) != day) {
        out.push_str(&format!("{d} "));
    }
    out.push_str(&format!("{:02}:{:02}", t.hour, t.minute));
    if let Some(z) = &s.zone {
        out.push_str(&format!(" {}", z.label));
    }
    out
}

fn origin(what: &str, f: &Option<Found>, day: Option<debrief_core::time::Date>) -> String {
    match f {
        None => format!("no {what} found"),
        Some(f) => {
            let at = clock(&f.at, day);
            match f.source {
                Source::Stated => format!("{what} {at} (stated)"),
                Source::Marker(l) => format!("{what} {at} (marked, line {l})"),
                Source::Timeline(l) => format!("{what} {at} (timeline, line {l})"),
            }
        }
    }
}

/// The five response metrics, each saying which instants it spans and where they were read.
pub fn cards(p: &Postmortem) -> Vec<Card> {
    let inst = metrics::instants(p);
    let d = inst.durations();
    let day = inst.started.as_ref().and_then(|f| f.at.date);
    let rows = [
        (
            "Time to detect",
            d.time_to_detect_minutes,
            ("detected", &inst.detected),
        ),
        (
            "Time to acknowledge",
            d.time_to_acknowledge_minutes,
            ("acknowledged", &inst.acknowledged),
        ),
        (
            "Time to escalate",
            d.time_to_escalate_minutes,
            ("escalated", &inst.escalated),
        ),
        (
            "Time to mitigate",
            d.time_to_mitigate_minutes,
            ("mitigated", &inst.mitigated),
        ),
        (
            "Time to resolve",
            d.time_to_resolve_minutes,
            ("resolved", &inst.resolved),
        ),
    ];
    rows.into_iter()
        .map(|(name, value, (what, found))| Card {
            name,
            value: value.map(minutes),
            from: format!(
                "from start {} to {}",
                origin("", &inst.started, day).trim_start(),
                origin(what, found, day)
            ),
        })
        .collect()
}

/// A point of the timeline chart.
pub struct Dot {
    pub x: i64,
    pub y: i64,
    pub kind: &'static str,
    pub time: String,
    pub text: String,
    /// Short label beside the dot; empty when no row had room for it (the tooltip has the words).
    pub label: String,
    /// The label is drawn to the left of the dot (near the right edge).
    pub left: bool,
}

/// A vertical mark (detection, mitigation, resolution).
pub struct Mark {
    pub x: i64,
    /// Where its label sits, staggered so neighbouring marks stay readable.
    pub label_y: i64,
    /// Drawn to the left of the line (near the right edge).
    pub left: bool,
    pub label: &'static str,
    pub class: &'static str,
}

/// A shaded span of the axis.
pub struct Span {
    pub x: i64,
    pub width: i64,
    pub label: String,
}

pub struct Tick {
    pub x: i64,
    pub label: String,
}

/// The timeline chart: entries on a time axis, the impact window shaded, detection,
/// mitigation and resolution marked, long gaps hatched.
pub struct TimelineChart {
    pub width: i64,
    pub height: i64,
    pub axis_y: i64,
    pub dots: Vec<Dot>,
    pub marks: Vec<Mark>,
    pub impact: Option<Span>,
    pub gaps: Vec<Span>,
    pub ticks: Vec<Tick>,
    pub summary: String,
}

const LEFT: i64 = 24;
const RIGHT: i64 = 24;
const WIDTH: i64 = 960;
const ROWS: i64 = 6;
const LABEL_CHARS: usize = 30;
/// Roughly the width of a character of the chart's 12 px labels.
const CHAR_WIDTH: i64 = 7;

fn short(text: &str, n: usize) -> String {
    let mut s: String = text.chars().take(n).collect();
    if text.chars().count() > n {
        s.push('…');
    }
    s
}

/// The chart of a record's timeline; `None` when fewer than one entry has a time of day.
pub fn timeline_chart(p: &Postmortem) -> Option<TimelineChart> {
    // Dated and dateless stamps are on different scales: when some entries have a date, the
    // dateless ones are listed rather than placed.
    let dated = p.timeline.iter().any(|e| {
        e.at.as_ref()
            .is_some_and(|s| s.date.is_some() && s.time.is_some())
    });
    let timed: Vec<(i64, &debrief_core::TimelineEntry)> = p
        .timeline
        .iter()
        .filter(|e| !e.hidden)
        .filter(|e| !dated || e.at.as_ref().is_some_and(|s| s.date.is_some()))
        .filter_map(|e| Some((seconds(e.at.as_ref()?)?, e)))
        .collect();
    if timed.is_empty() {
        return None;
    }
    let inst = metrics::instants(p);
    let at = |f: &Option<Found>| {
        f.as_ref()
            .filter(|f| f.at.date.is_some() == dated)
            .and_then(|f| seconds(&f.at))
    };
    let mut lo = timed.iter().map(|t| t.0).min()?;
    let mut hi = timed.iter().map(|t| t.0).max()?;
    for s in [at(&inst.started), at(&inst.resolved)]
        .into_iter()
        .flatten()
    {
        lo = lo.min(s);
        hi = hi.max(s);
    }
    let span = (hi - lo).max(60);
    let inner = WIDTH - LEFT - RIGHT;
    let x = |s: i64| LEFT + (s - lo) * inner / span;
    // Each label goes on the first row where it does not run into the one before it.
    let mut ends: Vec<i64> = Vec::new();
    // The dot whose label ends each row, while it does.
    let mut last: Vec<Option<usize>> = Vec::new();
    let mut dots: Vec<Dot> = Vec::new();
    for (s, e) in &timed {
        let x = x(*s);
        let words = plain_text(&e.text);
        let label = short(&words, LABEL_CHARS);
        let width = 10 + label.chars().count() as i64 * CHAR_WIDTH;
        // Labels near the right edge are drawn to the left of their dot.
        let left = x + width > WIDTH;
        let start = if left { x - width } else { x };
        let free = ends.iter().position(|end| *end < start).or_else(|| {
            ((ends.len() as i64) < ROWS).then(|| {
                ends.push(i64::MIN);
                last.push(None);
                ends.len() - 1
            })
        });
        // Every row taken where the label would stand: the dot alone, its words in its tooltip
        // and the list below, rather than a label written over another. The label it lands on
        // is cut short before it (or left out when too little of it would remain), so that no
        // dot is drawn over words.
        let (row, label) = match free {
            Some(row) => {
                ends[row] = if left { x + 8 } else { x + width };
                last[row] = Some(dots.len());
                (row, label)
            }
            None => {
                let row = (0..ends.len()).min_by_key(|r| ends[*r]).unwrap_or(0);
                if let Some(k) = last[row].take()
                    && !dots[k].left
                {
                    let room = (x - dots[k].x - 18) / CHAR_WIDTH - 1;
                    dots[k].label = match usize::try_from(room) {
                        Ok(n) if n >= 4 => short(&dots[k].text, n),
                        _ => String::new(),
                    };
                }
                ends[row] = ends[row].max(x + 8);
                (row, String::new())
            }
        };
        dots.push(Dot {
            x,
            y: 40 + row as i64 * 30,
            kind: e.kind.as_str(),
            time: e.at.as_ref().map(stamp).unwrap_or_default(),
            text: words,
            label,
            left,
        });
    }
    let axis_y = 40 + ends.len().max(1) as i64 * 30 + 28;
    let mut marks = Vec::new();
    for (n, (found, label, class)) in [
        (&inst.detected, "detected", "detected"),
        (&inst.mitigated, "mitigated", "mitigated"),
        (&inst.resolved, "resolved", "resolved"),
    ]
    .into_iter()
    .enumerate()
    {
        if let Some(s) = at(found) {
            marks.push(Mark {
                x: x(s),
                left: x(s) > WIDTH - 90,
                label_y: n as i64 * 14,
                label,
                class,
            });
        }
    }
    let impact = match (
        at(&inst.started),
        at(&inst.resolved).or(at(&inst.mitigated)),
    ) {
        (Some(a), Some(b)) if b > a => Some(Span {
            x: x(a),
            width: (x(b) - x(a)).max(2),
            label: format!("impact {}", minutes((b - a) / 60)),
        }),
        _ => None,
    };
    // A gap is long when it takes more than a quarter of the chart and at least 30 minutes.
    let mut sorted: Vec<i64> = timed.iter().map(|t| t.0).collect();
    sorted.sort_unstable();
    let gaps = sorted
        .windows(2)
        .filter(|w| w[1] - w[0] >= 1800 && (w[1] - w[0]) * 4 > span)
        .map(|w| Span {
            x: x(w[0]),
            width: x(w[1]) - x(w[0]),
            label: format!("nothing recorded for {}", minutes((w[1] - w[0]) / 60)),
        })
        .collect();
    let step = [
        60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800,
    ]
    .into_iter()
    .find(|st| span / st <= 8)
    .unwrap_or(span / 8 + 1);
    // Ticks fall on round times of the clock the timeline is written in (its first entry's
    // zone), so that they read as its entries do.
    let offset = timed
        .iter()
        .min_by_key(|(k, _)| *k)
        .and_then(|(_, e)| e.at.as_ref()?.zone.as_ref())
        .map_or(0, |z| i64::from(z.offset_minutes) * 60);
    let mut ticks = Vec::new();
    let mut local = ((lo + offset).div_euclid(step) + 1) * step;
    while local - offset < hi {
        let t = local;
        let label = if step >= 86400 && !dated {
            format!("day {}", t.div_euclid(86400) + 1)
        } else if step >= 86400 {
            let d = debrief_core::time::Date::from_days_since_epoch(t.div_euclid(86400));
            format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
        } else {
            let sod = t.rem_euclid(86400);
            format!("{:02}:{:02}", sod / 3600, sod % 3600 / 60)
        };
        ticks.push(Tick {
            x: x(local - offset),
            label,
        });
        local += step;
    }
    let untimed = p.timeline.iter().filter(|e| !e.hidden).count() - timed.len();
    let summary = format!(
        "{} timeline entries over {}{}",
        timed.len(),
        minutes(span / 60),
        if untimed > 0 {
            format!("; {untimed} without a time are listed below")
        } else {
            String::new()
        }
    );
    Some(TimelineChart {
        width: WIDTH,
        height: axis_y + 48,
        axis_y,
        dots,
        marks,
        impact,
        gaps,
        ticks,
        summary,
    })
}

/// A bar of a chart, in the chart's coordinates.
#[derive(Clone)]
pub struct Bar {
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
    pub label: String,
    pub value: String,
    /// The value written above the bar.
    pub short: String,
}

/// A bar chart with its scale; `note` warns when the numbers are too few to trust.
#[derive(Clone)]
pub struct BarChart {
    pub title: String,
    pub width: i64,
    pub height: i64,
    pub base: i64,
    pub bars: Vec<Bar>,
    pub max_label: String,
    pub note: Option<String>,
}

/// Bars for `(label, value, shown value, short value)`, scaled to the largest.
pub fn bar_chart(
    title: &str,
    rows: &[(String, f64, String, String)],
    note: Option<String>,
) -> BarChart {
    let height = 200;
    let base = height - 36;
    let slot = 64;
    let width = (rows.len() as i64 * slot).max(320);
    let max = rows.iter().map(|r| r.1).fold(0.0_f64, f64::max).max(1e-9);
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, (label, v, shown, short))| {
            let h = ((v / max) * (base - 36) as f64).round() as i64;
            Bar {
                x: i as i64 * slot + 8,
                y: base - h,
                width: slot - 16,
                height: h,
                label: label.clone(),
                value: shown.clone(),
                short: short.clone(),
            }
        })
        .collect();
    BarChart {
        title: title.to_string(),
        width,
        height,
        base,
        bars,
        max_label: rows
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|r| r.2.clone())
            .unwrap_or_default(),
        note,
    }
}

/// Kinds of timeline entries that the chart colours.
pub fn kind_name(k: EventKind) -> &'static str {
    k.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_preview_leaves_its_front_matter_out_and_a_section_keeps_its_rules() {
        let doc =
            "---\ntitle: Checkout errors\nseverity: SEV2\n---\n\n# Checkout errors\n\nIt broke.\n";
        let html = document(doc);
        assert!(
            !html.contains("severity") && !html.contains("<hr"),
            "{html}"
        );
        assert!(html.contains("<h1>Checkout errors</h1>") && html.contains("It broke."));
        // In a section, a leading rule is a rule, and the text between two is kept.
        let section = markdown("---\nkept: text\n---\n");
        assert!(section.contains("kept: text"), "{section}");
    }

    #[test]
    fn markdown_keeps_text_and_drops_what_runs() {
        let html = markdown(
            "**bold** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
        );
        assert!(html.contains("<strong>bold</strong>"));
        assert!(!html.contains("<script"));
        assert!(!html.contains("javascript:"));
        assert!(!html.contains("onerror"));
    }

    #[test]
    fn stored_times_read_to_the_minute() {
        let t: debrief_store::Time = "2026-12-02T10:18:06.215Z".parse().unwrap();
        assert_eq!(when(&t), "2026-12-02 10:18 UTC");
    }

    #[test]
    fn minutes_read_as_people_say_them() {
        assert_eq!(minutes(45), "45 min");
        assert_eq!(minutes(196), "3 h 16 min");
        assert_eq!(minutes(120), "2 h");
        assert_eq!(minutes(3000), "2 d 2 h");
    }

    #[test]
    fn the_chart_places_every_timed_entry_inside_the_axis() {
        let p = debrief_core::parse(
            "# T\n\n## Timeline\n\n- 10:00 UTC alert fired\n- 10:05 UTC paged\n- 12:30 UTC fixed, incident resolved\n",
        )
        .postmortem;
        let c = timeline_chart(&p).unwrap();
        assert_eq!(c.dots.len(), 3);
        assert!(c.dots.iter().all(|d| d.x >= LEFT && d.x <= WIDTH - RIGHT));
        assert_eq!(
            c.gaps.len(),
            1,
            "two and a half hours with nothing recorded"
        );
    }

    #[test]
    fn an_entrys_markdown_shows_inline_and_as_words() {
        let text = "**Resolved** - This incident has been `fixed`.";
        assert_eq!(
            inline_markdown(text),
            "<strong>Resolved</strong> - This incident has been <code>fixed</code>."
        );
        assert_eq!(plain_text(text), "Resolved - This incident has been fixed.");
        assert_eq!(
            plain_text("Agents disconnect.\nBuilds fail"),
            "Agents disconnect. Builds fail"
        );
        // What could run stays out.
        assert!(!inline_markdown("<script>alert(1)</script> x").contains("<script"));
    }

    #[test]
    fn a_label_with_no_room_in_any_row_is_left_to_its_tooltip() {
        let entries: String = (0..8)
            .map(|i| {
                format!(
                    "- 2023-02-28 14:{:02} UTC entry number {i} with a long text\n",
                    50 + i
                )
            })
            .collect();
        let p = debrief_core::parse(&format!(
            "# T\n\n## Timeline\n\n{entries}- 2023-02-28 16:00 UTC done\n"
        ))
        .postmortem;
        let chart = timeline_chart(&p).unwrap();
        let labelled: Vec<&Dot> = chart.dots.iter().filter(|d| !d.label.is_empty()).collect();
        assert_eq!(
            labelled.len() as i64,
            ROWS + 1,
            "six rows and the last entry"
        );
        // No two labels share a row where they would overlap.
        for (i, a) in labelled.iter().enumerate() {
            for b in &labelled[i + 1..] {
                let width = |d: &Dot| 10 + d.label.chars().count() as i64 * CHAR_WIDTH;
                assert!(
                    a.y != b.y || a.x + width(a) < b.x,
                    "{} over {}",
                    a.label,
                    b.label
                );
            }
        }
        // The unlabelled dots keep their words for the tooltip.
        assert!(chart.dots.iter().all(|d| !d.text.is_empty()));
        // No dot stands on a label's words: a label ends before the next dot in its row.
        for a in &labelled {
            let width = 10 + a.label.chars().count() as i64 * CHAR_WIDTH;
            for b in chart.dots.iter().filter(|b| b.y == a.y && b.x > a.x) {
                assert!(
                    a.left || a.x + width < b.x,
                    "the dot at {} stands on {}",
                    b.x,
                    a.label
                );
            }
        }
    }

    #[test]
    fn the_charts_ticks_read_in_the_timelines_zone() {
        let p = debrief_core::parse(
            "# T\n\n## Timeline\n\n- 2023-02-28 20:15 PST investigating\n- 2023-02-28 21:40 PST resolved\n",
        )
        .postmortem;
        let ticks: Vec<String> = timeline_chart(&p)
            .unwrap()
            .ticks
            .into_iter()
            .map(|t| t.label)
            .collect();
        assert_eq!(
            ticks.first().map(String::as_str),
            Some("20:20"),
            "{ticks:?}"
        );
        assert_eq!(ticks.last().map(String::as_str), Some("21:30"), "{ticks:?}");
    }
}
