//! Inline suppression comments, invisible when the Markdown is rendered:
//!
//! - `<!-- debrief-disable-next-line blame-language -->` and `<!-- debrief-disable-line ... -->`
//! - `<!-- debrief-disable timeline-gap -->` ... `<!-- debrief-enable timeline-gap -->`
//! - `<!-- debrief-disable-file missing-section -->`
//!
//! Without rule ids a comment covers every rule. Unknown ids are reported, not ignored.

use super::doc::{Doc, column};
use super::{Raw, Rule};

/// Which rules; `None` is all of them.
type Rules = Option<Vec<Rule>>;

fn covers(rules: &Rules, r: Rule) -> bool {
    rules.as_ref().is_none_or(|v| v.contains(&r))
}

#[derive(Default)]
pub(crate) struct Suppressions {
    /// (first line, last line) inclusive.
    spans: Vec<(usize, usize, Rules)>,
    invalid: Vec<(usize, usize, String)>,
}

impl Suppressions {
    pub fn read(doc: &Doc<'_>) -> Suppressions {
        let mut s = Suppressions::default();
        let last = doc.lines.len().max(1);
        let mut open: Vec<(usize, Rules)> = Vec::new();
        for l in &doc.lines {
            if !l.text.as_bytes().contains(&b'<') {
                continue;
            }
            let mut rest = l.text;
            while let Some(start) = rest.find("<!--") {
                let after = &rest[start + 4..];
                let end = after.find("-->").unwrap_or(after.len());
                let body = after[..end].trim();
                let offset = l.text.len() - rest.len() + start;
                rest = after.get(end + 3..).unwrap_or("");
                let Some(directive) = body.strip_prefix("debrief-") else {
                    continue;
                };
                let (verb, names) = directive
                    .split_once(char::is_whitespace)
                    .unwrap_or((directive, ""));
                let mut rules = Vec::new();
                for name in names
                    .split([',', ' '])
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                {
                    match Rule::from_id(name) {
                        Some(r) => rules.push(r),
                        None => s
                            .invalid
                            .push((l.no, column(l.text, offset), name.to_string())),
                    }
                }
                let rules: Rules = (!names.trim().is_empty()).then_some(rules);
                match verb {
                    "disable-next-line" => s.spans.push((l.no + 1, l.no + 1, rules)),
                    "disable-line" => s.spans.push((l.no, l.no, rules)),
                    "disable-file" => s.spans.push((1, last, rules)),
                    "disable" => open.push((l.no, rules)),
                    "enable" => {
                        // Closes the spans it names (all open spans without names).
                        let mut keep = Vec::new();
                        for (from, r) in open.drain(..) {
                            let closes = match (&rules, &r) {
                                (None, _) => true,
                                (Some(names), Some(opened)) => {
                                    opened.iter().all(|x| names.contains(x))
                                }
                                (Some(_), None) => false,
                            };
                            if closes {
                                s.spans.push((from, l.no, r));
                            } else {
                                keep.push((from, r));
                            }
                        }
                        open = keep;
                    }
                    other => {
                        s.invalid
                            .push((l.no, column(l.text, offset), format!("debrief-{other}")))
                    }
                }
            }
        }
        for (from, r) in open {
            s.spans.push((from, last, r));
        }
        s
    }

    pub fn hides(&self, rule: Rule, line: usize) -> bool {
        self.spans
            .iter()
            .any(|(a, b, r)| (*a..=*b).contains(&line) && covers(r, rule))
    }

    pub fn invalid(&self) -> Vec<Raw> {
        self.invalid
            .iter()
            .map(|(line, col, name)| {
                let what = if name.starts_with("debrief-") {
                    format!("`{name}` is not a suppression comment; write debrief-disable, debrief-enable, debrief-disable-line, debrief-disable-next-line or debrief-disable-file")
                } else {
                    format!("`{name}` is not a rule; the rules are: {}", Rule::ids())
                };
                Raw::new(Rule::InvalidSuppression, (*line, *col), what)
            })
            .collect()
    }
}
