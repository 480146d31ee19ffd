//! Stage 1 of the importer, lines and blocks: a document's lines become its sections (a heading
//! and the run of lines under it) and its title.
//!
//! A heading is a `#` or setext heading, a bold line, or a label that names a known section
//! ([`lines::heading_at`]). Headings that belong to the section around them stay in its body: a
//! date heading inside a timeline, a sub-heading of a known section. The title is the first
//! heading before any text (after images and comments), or a short first line standing alone.

use super::lines::{self, Heading, Line};
use super::timeline;
use super::vocab;
use crate::model::SectionKind;
use crate::time;

/// A section as read: its heading (`None` for the text before the first), the line of the
/// heading, and its lines.
pub(super) struct RawSection<'a, 'b> {
    pub heading: Option<Heading>,
    pub line: usize,
    pub body: &'b [Line<'a>],
}

impl RawSection<'_, '_> {
    pub fn kind(&self) -> Option<SectionKind> {
        self.heading.as_ref().and_then(|h| h.kind)
    }

    /// Appends the section's text outside code blocks, a line each, then a blank line: the
    /// prose its facts are read from.
    pub fn push_prose(&self, out: &mut String) {
        push_prose(self.body, out);
    }
}

/// Appends the lines of `body` that are not code to `out`, one per line, and a blank line.
pub(super) fn push_prose(body: &[Line<'_>], out: &mut String) {
    for l in body.iter().filter(|l| !l.code) {
        out.push_str(l.text);
        out.push('\n');
    }
    out.push('\n');
}

/// The lines of every section in order, where each section starts, and the heading taken as
/// the title.
pub(super) struct Outline<'a> {
    flat: Vec<Line<'a>>,
    /// (heading, its line, index in `flat` where its body starts)
    starts: Vec<(Option<Heading>, usize, usize)>,
    title: Option<String>,
}

/// Reads the sections of a document's lines. `fm_title` is the front matter's title: a first
/// heading that repeats it is the title, one that does not is a section.
pub(super) fn outline<'a>(all: &[Line<'a>], fm_title: Option<&str>) -> Outline<'a> {
    let mut title: Option<String> = None;
    // Every body line in order: each section's body is the run that starts where it does.
    let mut flat: Vec<Line<'_>> = Vec::with_capacity(all.len());
    let mut starts: Vec<(Option<lines::Heading>, usize, usize)> = vec![(None, 0, 0)];
    let mut skip = false;
    // Lines before this index are passed over: a title written under a heading that asks for it.
    let mut skip_to = 0;
    let mut prev_blank = true;
    // Whether the current section's heading is an item of a list ("- **Timeline:**").
    let mut cur_in_list = false;
    // Whether the current section is a timeline or one of the labels that follow it
    // ("Detection method: ..." under "Timeline:").
    let mut in_timeline_labels = false;
    // Blank lines before this index are dropped: inside a status page's update, between its
    // phase and its time, so the update reads as one block.
    let mut update_until = 0;
    for i in 0..all.len() {
        if skip {
            skip = false;
            prev_blank = false;
            continue;
        }
        if i < skip_to {
            continue;
        }
        let line = all[i];
        let blank = line.blank;
        if blank && i < update_until {
            continue;
        }
        let h = if blank {
            None
        } else {
            lines::heading_at(all, i, prev_blank)
        };
        prev_blank = blank;
        let phase_update = h
            .as_ref()
            .filter(|h| !h.setext && h.inline.is_none())
            .and_then(|h| timeline::phase_over_update(&h.text, &all[i..]));
        if let Some(end) = phase_update {
            update_until = i + end;
            flat.push(line);
            continue;
        }
        let Some(h) = h else {
            flat.push(line);
            continue;
        };
        let (cur_heading, _, cur_start) = &starts[starts.len() - 1];
        let cur_kind = cur_heading.as_ref().and_then(|h| h.kind);
        let cur_level = cur_heading.as_ref().map_or(0, |h| h.level);
        let in_preamble = starts.len() == 1;
        // Blank lines, images, comments (HTML's, reStructuredText's `.. ` lines), rules (a
        // title's overline) and the document's date or facts ("2025-03-03", "Author: Kim")
        // before the first heading leave it the title.
        let preamble_empty = in_preamble
            && flat[*cur_start..].iter().all(|l| {
                let t = l.text.trim();
                l.blank
                    || time::is_date_alone(t)
                    || lines::split_label(t).is_some_and(|(k, _)| vocab::meta_label(&k).is_some())
                    || t.starts_with("![")
                    || l.text.starts_with(".. ")
                    || (t.starts_with("<!--") && t.ends_with("-->"))
                    || lines::is_setext_underline(t).is_some()
                    || lines::is_rst_adornment(t, None)
            });
        let may_be_title = title.is_none()
            && in_preamble
            && preamble_empty
            && fm_title.is_none_or(|t| same_text(t, &h.text));
        let is_title = may_be_title
            && match h.kind {
                None => h.level <= 2 || (h.level == 7 && flat.is_empty()),
                // "# DNS resolution failures in eu-west" mentions a section without naming one:
                // the document's first top-level heading is its title.
                Some(_) => {
                    h.level == 1
                        && (names_by_keyword(&h)
                            || summary_of(&h)
                            || names_its_subject(&h, &all[i + 1..]))
                }
            };
        // "# Incident Postmortem" then "## Title: Checkout outage": a heading naming the title
        // beside it, where nothing gave a title but the kind of document.
        if fm_title.is_none()
            && let Some((name, named)) = h.text.split_once(':')
            && !named.trim().is_empty()
            && vocab::names_the_title(name)
            && title.as_deref().is_none_or(vocab::names_the_document)
        {
            title = Some(lines::strip_emphasis(named.trim()));
            continue;
        }
        // "# ISSUE NAME" over the title's line, as a template has it.
        if may_be_title
            && h.inline.is_none()
            && vocab::names_the_title(&h.text)
            && let Some((text, end)) = title_under(&all[i + 1 + usize::from(h.setext)..])
        {
            title = Some(text);
            skip_to = i + 1 + usize::from(h.setext) + end;
            continue;
        }
        // "# Incident Report" is the document's title, whatever section "incident" starts.
        if may_be_title && h.inline.is_none() && h.level <= 2 && vocab::names_the_document(&h.text)
        {
            title = Some(h.text.clone());
            skip = h.setext;
            continue;
        }
        // "Incident Review: Checkout latency" first: the whole line is the title.
        let label_title = may_be_title.then(|| document_title(&h)).flatten();
        if is_title || label_title.is_some() {
            title = Some(label_title.unwrap_or_else(|| h.text.clone()));
            skip = h.setext;
            continue;
        }
        let in_list = lines::list_item(line.text).is_some();
        let keep_in_body = if h.kind.is_some() {
            // A timeline told in phases: "### Detection" under "## Timeline", its stamped
            // entries right under it, is part of the timeline. So are the labelled items of a
            // timeline's list ("- **Detection method:** ...", "- **Escalation (21:30)**:
            // ...") under a heading of its own.
            cur_kind == Some(SectionKind::Timeline)
                && ((h.level > cur_level
                    && h.inline.is_none()
                    && stamped_next(&all[i + 1 + usize::from(h.setext)..]))
                    || (in_list && h.level == 8 && !cur_in_list))
                // "Actions taken: suspected the database" among a timeline's labels is what
                // the responders did then, not what they will do.
                || (in_timeline_labels
                    && h.level == 8
                    && vocab::normalize(&h.text) == "actions taken")
        } else if (cur_kind == Some(SectionKind::Timeline)
            && timeline::leading_stamp(&h.text).is_some())
            || (cur_kind.is_some() && h.level > cur_level)
        {
            // A date or time heading inside a timeline, or a sub-heading of a known section.
            true
        } else {
            // A bold line or a label inside a timeline or a list of actions is one of its
            // entries, unless it names a section of its own ("Conclusion").
            matches!(
                cur_kind,
                Some(SectionKind::Timeline | SectionKind::ActionItems)
            ) && h.level >= 7
                && !vocab::names_unmodelled_section(&h.text)
        };
        if keep_in_body {
            flat.push(line);
            if h.setext {
                if let Some(next) = all.get(i + 1) {
                    flat.push(*next);
                }
                skip = true;
            }
            continue;
        }
        if h.setext {
            skip = true;
        }
        cur_in_list = in_list;
        in_timeline_labels =
            h.kind == Some(SectionKind::Timeline) || (in_timeline_labels && h.level == 8);
        starts.push((Some(h), line.no, flat.len()));
    }
    Outline {
        flat,
        starts,
        title,
    }
}

/// The title written under a heading that asks for it: the first line with text, standing
/// alone (or over the document's facts), of at most 20 words; and how many lines it takes with
/// the blank lines above it.
fn title_under(after: &[Line<'_>]) -> Option<(String, usize)> {
    let f = after.iter().position(|l| !l.blank)?;
    let line = after[f].text.trim();
    let alone = after.get(f + 1).is_none_or(|l| {
        l.blank || lines::split_label(l.text).is_some_and(|(k, _)| vocab::meta_label(&k).is_some())
    });
    let words = line.split_whitespace().count();
    (alone
        && (1..=20).contains(&words)
        && lines::list_item(line).is_none()
        && !line.starts_with(['|', '>', '<', '!', '{', '#', '[']))
    .then(|| (lines::strip_emphasis(line.trim_end_matches('.')), f + 1))
}

/// Whether the first line with text (within a few) opens with a stamp, as a timeline entry
/// does, in a list or not.
fn stamped_next(after: &[Line<'_>]) -> bool {
    after.iter().take(4).find(|l| !l.blank).is_some_and(|l| {
        let t = lines::list_item(l.text).map_or(l.text, |(_, _, rest)| rest);
        timeline::leading_stamp(t.trim()).is_some_and(|(p, _)| p.time.is_some())
    })
}

/// Whether a heading's section comes only from a word it contains, not from starting with a
/// section's name ("DNS resolution failures", not "Resolution" or "Resolution and recovery").
fn names_by_keyword(h: &Heading) -> bool {
    vocab::section_kind(&h.text, vocab::Strictness::Label).is_none()
}

/// "What happened to search on Thursday": a section's name that goes on to say of what, five
/// words or more, as the document's one top-level heading, is its title ("What happened" alone,
/// or beside other top-level headings, is a section).
fn names_its_subject(h: &Heading, after: &[Line<'_>]) -> bool {
    h.inline.is_none()
        && h.text.split_whitespace().count() >= 5
        && vocab::section_kind(&h.text, vocab::Strictness::Plain).is_none()
        && !after
            .iter()
            .any(|l| !l.code && lines::atx(l.text).is_some_and(|(level, _)| level == 1))
}

/// "Summary of the storage service disruption in the us-east-2 region": a summary of a named
/// event is the document's title (a cloud provider's post-event summary), where "Summary of
/// impact" names a section.
fn summary_of(h: &Heading) -> bool {
    h.inline.is_none()
        && h.text
            .get(..11)
            .is_some_and(|p| p.eq_ignore_ascii_case("summary of "))
        && h.text.split_whitespace().count() >= 5
}

/// "Incident Review: Checkout latency", as a label line or a heading: a title naming the kind of
/// document and then its subject in a few words.
fn document_title(h: &Heading) -> Option<String> {
    match &h.inline {
        Some(v) => titled(&h.text, v),
        None => line_title(&h.text),
    }
}

/// Whether a line is written in title case, as a headline is and a sentence is not: "Summary of
/// the Storage Service Disruption in the Frankfurt Region". Every word of four letters or more
/// but the joining ones ("with", "during") begins with a capital, and at least two do.
fn title_cased(line: &str) -> bool {
    const JOINING: &[&str] = &[
        "with", "from", "into", "onto", "over", "upon", "during", "after", "before", "between",
        "through", "than", "that", "when", "while", "about", "across", "under", "within",
    ];
    let mut capitals = 0;
    for word in line.split_whitespace() {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        if word.chars().count() < 4 || !word.chars().all(char::is_alphabetic) {
            continue;
        }
        if word.starts_with(char::is_uppercase) {
            capitals += 1;
        } else if !JOINING.contains(&word) {
            return false;
        }
    }
    capitals >= 2
}

/// [`document_title`] for a line of text; a dash may stand for the colon ("Incident Report #57
/// — Login page blank"), and the line is then the title as written.
fn line_title(line: &str) -> Option<String> {
    if let Some((label, subject)) = lines::split_label(line) {
        return titled(&label, subject);
    }
    let (label, subject) = [" \u{2014} ", " \u{2013} ", " - "]
        .iter()
        .find_map(|dash| line.split_once(dash))?;
    titled(label.trim(), subject).map(|_| line.trim().to_string())
}

fn titled(label: &str, subject: &str) -> Option<String> {
    let subject = subject.trim();
    // "INCIDENT SUMMARY: Elevated 503s on EU storefront" first is the report's name too.
    let summary_named = vocab::normalize(label) == "incident summary";
    ((vocab::names_the_document(label) || summary_named)
        && (1..=12).contains(&subject.split_whitespace().count())
        && !subject.ends_with('.'))
    .then(|| format!("{label}: {subject}"))
}

impl<'a> Outline<'a> {
    /// The sections, and the title: a first heading, or else a short first line standing alone
    /// (unless the front matter has a title).
    pub fn sections(&mut self, has_fm_title: bool) -> (Vec<RawSection<'a, '_>>, Option<String>) {
        let starts = std::mem::take(&mut self.starts);
        let flat = &self.flat;
        let mut title = self.title.take();
        let ends: Vec<usize> = starts
            .iter()
            .skip(1)
            .map(|s| s.2)
            .chain([flat.len()])
            .collect();
        let mut sections: Vec<RawSection<'a, '_>> = starts
            .into_iter()
            .zip(ends)
            .map(|((heading, line, start), end)| RawSection {
                heading,
                line,
                body: &flat[start..end],
            })
            .collect();
        // A text with no headings at all has a title only when its first line names the
        // document ("Postmortem: Web stack outage") or is written as a headline, in title
        // case: any other short line may be its first sentence.
        let headed = sections.len() > 1;
        if title.is_none() && !has_fm_title {
            title = preamble_title(&mut sections[0], headed);
        }
        (sections, title)
    }
}

/// The title a document gives in the first line of its text before any heading (a line naming
/// the document, or, when `any_short_line` or the line is in title case, a short line over a
/// blank line or the document's facts), taken out of that text.
pub(super) fn preamble_title(
    pre_section: &mut RawSection<'_, '_>,
    any_short_line: bool,
) -> Option<String> {
    let pre = pre_section.body;
    // A link alone first is where the report was published, and an HTML line break alone
    // is space: the title may be under them.
    let said_nothing = |l: &Line<'_>| {
        let t = l.text.trim();
        l.blank
            || lines::without_break(t).is_empty()
            || ((t.starts_with("https://") || t.starts_with("http://")) && !t.contains(' '))
    };
    let mut f = pre.iter().position(|l| !said_nothing(l))?;
    // "2026-04-21" alone over "Postmortem: stale prices": the date the report was written
    // stands above its title, and stays in the text (it dates the document).
    let date_line = time::is_date_alone(pre[f].text.trim()).then_some(f);
    if let Some(d) = date_line {
        f = d + 1 + pre[d + 1..].iter().position(|l| !l.blank)?;
    }
    let line = lines::without_break(pre[f].text.trim());
    // A report sent as e-mail names itself in its subject line; some say "Title:".
    let line = ["subject:", "title:"]
        .iter()
        .find(|label| {
            line.get(..label.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(label))
        })
        .map_or(line, |label| line[label.len()..].trim_start());
    // Under it a blank line, the document's facts ("DATE: 11 APRIL 2024", or its date alone
    // as a memo writes it), or the line a status page puts under an incident's name
    // ("Incident Report for Acme").
    let next_blank = pre.get(f + 1).is_none_or(|l| {
        l.blank
            || lines::split_label(l.text).is_some_and(|(k, _)| vocab::meta_label(&k).is_some())
            || time::is_date_alone(l.text.trim())
            || l.text
                .trim()
                .get(..20)
                .is_some_and(|h| h.eq_ignore_ascii_case("incident report for "))
    });
    let words = line.split_whitespace().count();
    // "Heroku Incident #2841" over "Routing delays in the EU region" and a blank line: a name
    // and its subject, both short, the name first.
    let over_subject = words <= 8
        && pre.get(f + 2).is_none_or(|l| l.blank)
        && pre.get(f + 1).is_some_and(|l| {
            let t = l.text.trim();
            !l.blank
                && t.starts_with(|c: char| c.is_uppercase())
                && (2..=12).contains(&t.split_whitespace().count())
                && !t.ends_with(['.', ':', ',', ';'])
                && lines::list_item(t).is_none()
                && lines::split_label(t).is_none()
        });
    let next_blank = next_blank || over_subject;
    // "Number: INC0012345" over "Short description: ...": the first of a block of labels.
    let first_label = lines::split_label(line).is_some()
        && pre
            .get(f + 1)
            .is_some_and(|l| !l.blank && lines::split_label(l.text).is_some());
    // A line naming the document needs no blank line under it ("Postmortem Report: System
    // Outage on August 10, 2024" over "Incident Date: ..."; "POST-INCIDENT REVIEW" over its
    // subject's line).
    let title = if let Some(named) = line_title(line) {
        lines::strip_emphasis(&named)
    } else if first_label {
        return None;
    } else if vocab::names_the_document(&lines::strip_emphasis(line))
        || ((any_short_line || title_cased(line))
        && next_blank
        && (2..=12).contains(&words)
        && !line.ends_with(['.', ':', ',', ';'])
        && lines::list_item(line).is_none()
        && !line.starts_with(['|', '>', '<', '!', '{'])
        // "[Postmortem] Stale DNS" is a title; a link or a checkbox is not.
        && !(line.starts_with('[')
            && (line.contains("](")
                || line.starts_with("[ ]")
                || line.get(..3).is_some_and(|h| h.eq_ignore_ascii_case("[x]"))))
        // "**Start time:** 2024-03-02 10:00 UTC" is a fact, not a title.
        && lines::split_label(line).is_none_or(|(l, _)| vocab::meta_label(&l).is_none()))
    {
        lines::strip_emphasis(line)
    } else {
        return None;
    };
    // The title's line leaves the text; a date or a link above it cannot without the lines
    // between, so the text keeps both.
    if date_line.is_none() && pre[..f].iter().all(|l| l.blank) {
        pre_section.body = &pre[f + 1..];
    }
    Some(title)
}

/// The lines' text as written, without blank lines at either end.
pub(super) fn verbatim(lines: &[Line<'_>]) -> String {
    lines::join_trimmed(lines.iter().map(|l| l.text))
}

/// Whether two headings say the same, ignoring case and spacing.
pub(super) fn same_text(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    norm(a) == norm(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(doc: &str) -> (Vec<(Option<String>, usize)>, Option<String>) {
        let all = lines::split(doc, 1);
        let mut outline = outline(&all, None);
        let (sections, title) = outline.sections(false);
        let shape = sections
            .iter()
            .map(|s| (s.heading.as_ref().map(|h| h.text.clone()), s.body.len()))
            .collect();
        (shape, title)
    }

    #[test]
    fn headings_split_sections_and_the_first_is_the_title() {
        let (shape, title) = read(
            "![logo](x.png)\n\n# Disk full\n\n## Summary\n\nx\n\n## Timeline\n\n### 2024-04-03\n\n- 10:00 UTC a\n",
        );
        assert_eq!(title.as_deref(), Some("Disk full"));
        // So does the document's date or its facts above the first heading.
        for above in ["2025-03-03", "Author: Kim\nStatus: Final"] {
            let (_, title) = read(&format!("{above}\n\n# Disk full\n\n## Summary\n\nx\n"));
            assert_eq!(title.as_deref(), Some("Disk full"), "{above}");
        }
        let headings: Vec<_> = shape.iter().map(|s| s.0.as_deref()).collect();
        // The date heading stays inside the timeline.
        assert_eq!(headings, [None, Some("Summary"), Some("Timeline")]);
    }

    #[test]
    fn a_first_top_level_heading_that_only_mentions_a_section_is_the_title() {
        let doc = "# DNS resolution failures in eu-west\n\n## Timeline\n\n- 10:00 UTC a\n";
        let (shape, title) = read(doc);
        assert_eq!(title.as_deref(), Some("DNS resolution failures in eu-west"));
        assert_eq!(shape[1].0.as_deref(), Some("Timeline"));
        // A heading that names a section stays one, and a second-level heading is not promoted.
        let (shape, title) = read("# Resolution\n\nRolled back.\n\n# Timeline\n\nx\n");
        assert_eq!(title, None);
        assert_eq!(shape[1].0.as_deref(), Some("Resolution"));
        let (_, title) = read("## Resolution of the outage\n\nRolled back.\n");
        assert_eq!(title, None);
        // A summary of a named event is a post-event summary's title; a summary of impact is
        // a section.
        let (shape, title) = read(
            "# Summary of the storage service disruption in us-east-2\n\nStarting at 10:42 AM PDT, nodes were slow.\n",
        );
        assert_eq!(
            title.as_deref(),
            Some("Summary of the storage service disruption in us-east-2")
        );
        assert_eq!(shape.len(), 1);
        let (_, title) = read("# Summary of impact\n\nUsers could not log in.\n");
        assert_eq!(title, None);
    }

    #[test]
    fn a_first_line_naming_the_document_is_the_title() {
        let (shape, title) =
            read("Incident Review: Checkout latency\nDate: 7/19/2024\n\nSummary\nx\n");
        assert_eq!(title.as_deref(), Some("Incident Review: Checkout latency"));
        assert_eq!(shape[1].0.as_deref(), Some("Summary"));
        let (_, title) = read(
            "INCIDENT SUMMARY: Elevated 503s in the EU
Severity: Major

WHAT HAPPENED
x
",
        );
        assert_eq!(
            title.as_deref(),
            Some("INCIDENT SUMMARY: Elevated 503s in the EU")
        );
        // A summary's sentence is the summary.
        let (_, title) = read(
            "Incident summary: the API failed for two hours.

Timeline
x
",
        );
        assert_eq!(title, None);
        // A dash for the colon, and the incident's number after the document's name.
        for line in [
            "Incident Report #57 \u{2014} Login page blank for Safari users",
            "Postmortem - Login page blank for Safari users",
        ] {
            let (_, title) = read(&format!("{line}\n\nSafari users saw a blank page.\n"));
            assert_eq!(title.as_deref(), Some(line));
        }
        let (_, title) =
            read("Login page - blank for Safari users after the bundle change.\n\nx\n");
        assert_eq!(title, None);
        // Not a sentence, and not further down.
        let (_, title) = read("Incident: the database fell over at noon.\n\nSummary\nx\n");
        assert_eq!(title, None);
        let (_, title) = read("# T\n\nPostmortem: written by the SRE team\n");
        assert_eq!(title.as_deref(), Some("T"));
        // A reStructuredText title has a line above it as well as below.
        let (shape, title) = read(
            "=====\nIncident report: disks\n=====\n\n:Date: 2023-11-02\n\nSummary\n=======\n\nx\n",
        );
        assert_eq!(title.as_deref(), Some("Incident report: disks"));
        assert_eq!(shape.last().unwrap().0.as_deref(), Some("Summary"));
    }

    #[test]
    fn a_template_heading_asking_for_the_title_has_it_under_it() {
        let (shape, title) =
            read("# ISSUE NAME\nPassword reset mails delayed.\n\n## Timeline\n\n- 10:00 UTC a\n");
        assert_eq!(title.as_deref(), Some("Password reset mails delayed"));
        // Only the blank line under the title is left before the timeline.
        assert_eq!(shape[0], (None, 1));
        assert_eq!(shape[1].0.as_deref(), Some("Timeline"));
        let (_, title) = read("## Incident title\n\n**Queue backlog**\n\n## Summary\n\nx\n");
        assert_eq!(title.as_deref(), Some("Queue backlog"));
        // A heading or a first line naming only the document is its title, as written, though
        // "incident" starts a section's name.
        for (doc, want) in [
            (
                "# Incident Report\nLogin outage for EU customers\n\n## Summary\n\nx\n",
                "Incident Report",
            ),
            (
                "POST-INCIDENT REVIEW\nLogin outage for EU customers\nDate: 2024-01-09\n\nSummary\n\nx\n",
                "POST-INCIDENT REVIEW",
            ),
            ("# Incident Report\n\n## Summary\n\nx\n", "Incident Report"),
        ] {
            let (_, title) = read(doc);
            assert_eq!(title.as_deref(), Some(want), "{doc}");
        }
        // A paragraph under it is no title: the heading is left as any first heading is.
        let (_, title) = read("# Title\n\nThe queue backed up.\nIt took an hour.\n");
        assert_eq!(title.as_deref(), Some("Title"));
    }

    #[test]
    fn a_short_first_line_is_the_title_but_a_label_is_not() {
        let (_, title) = read("Queue backlog on the ingest path\n\n## Summary\n\nx\n");
        assert_eq!(title.as_deref(), Some("Queue backlog on the ingest path"));
        let (_, title) = read("**Start time:** 2024-03-02 10:00 UTC\n\n## Summary\n\nx\n");
        assert_eq!(title, None);
        let (_, title) = read("Subject: VPN gateway outage\n\n## Summary\n\nx\n");
        assert_eq!(title.as_deref(), Some("VPN gateway outage"));
        let (_, title) = read("Title: Batch export job failures\n\n## Summary\n\nx\n");
        assert_eq!(title.as_deref(), Some("Batch export job failures"));
        let (_, title) = read("Subject: [Postmortem] Stale DNS\n\nHi all,\n\n## Summary\n\nx\n");
        assert_eq!(title.as_deref(), Some("[Postmortem] Stale DNS"));
        let (_, title) = read("[Our status page](https://example.com)\n\n## Summary\n\nx\n");
        assert_eq!(title, None);
        // A short name over its subject: the name.
        let (_, title) =
            read("Heroku Incident #2841\nRouting delays in the EU region\n\n## Issue\n\nx\n");
        assert_eq!(title.as_deref(), Some("Heroku Incident #2841"));
        let (_, title) =
            read("The checkout failed on Monday\nfor about an hour\n\n## Issue\n\nx\n");
        assert_eq!(title, None);
        // The first of a ticket's labels is no title; its "Short description" is.
        let (_, title) = read("Number: INC0012345\nPriority: 2 - High\n\n## Work notes\n\nx\n");
        assert_eq!(title, None);
        // A status page's incident: its name over "Incident Report for" the company.
        let (_, title) = read("Checkout API errors\nIncident Report for Acme\n\n## Updates\n\nx\n");
        assert_eq!(title.as_deref(), Some("Checkout API errors"));
        // A memo's title over its date.
        let (_, title) = read("DNS resolution failures\n2024-09-03\n\n## Timeline\n\nx\n");
        assert_eq!(title.as_deref(), Some("DNS resolution failures"));
    }

    #[test]
    fn a_bold_label_over_its_content_is_a_section() {
        let (shape, _) = read("# T\n\n- **Context**:\n  - 2024-09-20 11:21: pipeline unpaused\n");
        assert_eq!(shape[1].0.as_deref(), Some("Context"));
    }
}
