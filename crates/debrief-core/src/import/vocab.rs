//! The section vocabulary: which headings name which part of a postmortem.
//!
//! Drawn from the Google SRE, Atlassian, PagerDuty and Etsy templates and the synonyms real teams
//! use. Matching is on a normalised heading (lowercase, no numbering, emoji, emphasis or
//! parenthesised remarks), so `### 3. Root Cause(s) 🔥` and `ROOT CAUSES:` both name a root cause.

use crate::text::WordMap;
use std::cell::RefCell;
use std::sync::OnceLock;

use crate::model::SectionKind;

use SectionKind as K;

/// Exact names. Longer phrases are tried first when matching by prefix.
const NAMES: &[(&str, SectionKind)] = &[
    ("summary", K::Summary),
    ("issue summary", K::Summary),
    ("incident summary", K::Summary),
    ("executive summary", K::Summary),
    ("summary of the incident", K::Summary),
    ("summary of incident", K::Summary),
    ("overview", K::Summary),
    ("incident overview", K::Summary),
    ("what happened", K::Summary),
    ("description", K::Summary),
    ("incident description", K::Summary),
    ("issue description", K::Summary),
    ("problem description", K::Summary),
    ("problem statement", K::Summary),
    ("issue", K::Summary),
    ("the issue", K::Summary),
    ("incident", K::Summary),
    ("tldr", K::Summary),
    ("the short version", K::Summary),
    ("short version", K::Summary),
    ("in short", K::Summary),
    ("in brief", K::Summary),
    ("at a glance", K::Summary),
    ("tl dr", K::Summary),
    ("synopsis", K::Summary),
    ("abstract", K::Summary),
    ("impact", K::Impact),
    ("customer impact", K::Impact),
    ("user impact", K::Impact),
    ("business impact", K::Impact),
    ("impact assessment", K::Impact),
    ("impact and scope", K::Impact),
    ("scope", K::Impact),
    ("scope of impact", K::Impact),
    ("blast radius", K::Impact),
    ("who was affected", K::Impact),
    ("affected users", K::Impact),
    ("affected services", K::Impact),
    ("timeline", K::Timeline),
    ("time line", K::Timeline),
    ("incident timeline", K::Timeline),
    ("timeline of events", K::Timeline),
    ("detailed timeline", K::Timeline),
    ("chronology", K::Timeline),
    // French and German names of the usual sections.
    ("chronologie", K::Timeline),
    ("zeitablauf", K::Timeline),
    ("zeitleiste", K::Timeline),
    ("zeitverlauf", K::Timeline),
    ("event log", K::Timeline),
    ("order of events", K::Timeline),
    ("log of events", K::Timeline),
    ("what happened when", K::Timeline),
    // A post-incident review's questions, as cloud providers publish them.
    ("how did we respond", K::Timeline),
    ("sequence of events", K::Timeline),
    ("key events", K::Timeline),
    // The names in MILESTONES.
    ("milestones", K::Timeline),
    ("key milestones", K::Timeline),
    ("incident milestones", K::Timeline),
    ("key timestamps", K::Timeline),
    ("key times", K::Timeline),
    ("events", K::Timeline),
    ("updates", K::Timeline),
    ("status updates", K::Timeline),
    ("incident log", K::Timeline),
    // A ticket's journal, as ticketing tools name it.
    ("work notes", K::Timeline),
    ("work log", K::Timeline),
    ("worklog", K::Timeline),
    ("activity log", K::Timeline),
    ("incident activity", K::Timeline),
    ("root cause", K::RootCause),
    ("cause racine", K::RootCause),
    ("causes racines", K::RootCause),
    ("ursache", K::RootCause),
    ("ursachen", K::RootCause),
    ("grundursache", K::RootCause),
    ("root causes", K::RootCause),
    ("root cause analysis", K::RootCause),
    ("rca", K::RootCause),
    ("cause", K::RootCause),
    ("causes", K::RootCause),
    ("the cause", K::RootCause),
    ("cause of the incident", K::RootCause),
    ("cause of the outage", K::RootCause),
    ("blameless root cause", K::RootCause),
    ("why did it happen", K::RootCause),
    ("why did this happen", K::RootCause),
    ("what caused it", K::RootCause),
    ("what caused the incident", K::RootCause),
    ("what caused the outage", K::RootCause),
    ("reason", K::RootCause),
    ("reasons", K::RootCause),
    ("reason for outage", K::RootCause),
    ("reason for the outage", K::RootCause),
    ("reason for the incident", K::RootCause),
    ("causal analysis", K::RootCause),
    ("why it happened", K::RootCause),
    ("underlying cause", K::RootCause),
    ("underlying causes", K::RootCause),
    ("primary cause", K::RootCause),
    ("main cause", K::RootCause),
    ("direct cause", K::RootCause),
    ("what caused this", K::RootCause),
    ("finding the cause", K::RootCause),
    ("finding the root cause", K::RootCause),
    ("identifying the cause", K::RootCause),
    ("trigger and root cause", K::RootCause),
    ("why", K::RootCause),
    ("fault", K::RootCause),
    ("technical details", K::RootCause),
    ("contributing factors", K::ContributingFactors),
    ("contributing factor", K::ContributingFactors),
    ("contributing causes", K::ContributingFactors),
    ("causal factors", K::ContributingFactors),
    ("causal analysis", K::RootCause),
    ("root cause and resolution", K::RootCauseAndResolution),
    ("root causes and resolution", K::RootCauseAndResolution),
    ("cause and resolution", K::RootCauseAndResolution),
    ("root cause and fix", K::RootCauseAndResolution),
    ("root cause and remediation", K::RootCauseAndResolution),
    ("trigger", K::Trigger),
    ("triggers", K::Trigger),
    ("leadup", K::Trigger),
    ("lead up", K::Trigger),
    ("detection", K::Detection),
    ("detected", K::Detection),
    ("identified", K::Detection),
    ("identification", K::Detection),
    ("how it was detected", K::Detection),
    ("how was it detected", K::Detection),
    ("how we detected it", K::Detection),
    ("how we found out", K::Detection),
    ("how we noticed", K::Detection),
    ("how we noticed it", K::Detection),
    ("how it was noticed", K::Detection),
    ("how it was found", K::Detection),
    ("how was it found", K::Detection),
    ("how we found it", K::Detection),
    ("discovery", K::Detection),
    ("resolution", K::Resolution),
    ("resolution and recovery", K::Resolution),
    ("recovery", K::Resolution),
    ("remediation", K::Resolution),
    ("mitigation", K::Resolution),
    ("mitigation and resolution", K::Resolution),
    ("fix", K::Resolution),
    ("the fix", K::Resolution),
    ("solution", K::Resolution),
    ("how the incident was resolved", K::Resolution),
    ("how it was resolved", K::Resolution),
    ("how we fixed it", K::Resolution),
    ("response", K::Resolution),
    ("how we responded", K::Resolution),
    ("what we did", K::Resolution),
    ("what we did about it", K::Resolution),
    ("action items", K::ActionItems),
    ("actions correctives", K::ActionItems),
    ("plan d action", K::ActionItems),
    ("maßnahmen", K::ActionItems),
    ("massnahmen", K::ActionItems),
    ("action item", K::ActionItems),
    ("actions", K::ActionItems),
    ("actions taken", K::ActionItems),
    ("action plan", K::ActionItems),
    ("corrective and preventative measures", K::ActionItems),
    ("corrective and preventive measures", K::ActionItems),
    ("corrective and preventative measure", K::ActionItems),
    ("corrective and preventive actions", K::ActionItems),
    ("corrective actions", K::ActionItems),
    ("corrective measures", K::ActionItems),
    ("preventative measures", K::ActionItems),
    ("preventive measures", K::ActionItems),
    ("preventive actions", K::ActionItems),
    ("prevention", K::ActionItems),
    ("follow ups", K::ActionItems),
    ("follow up", K::ActionItems),
    ("followups", K::ActionItems),
    ("followup", K::ActionItems),
    ("action points", K::ActionItems),
    ("countermeasures", K::ActionItems),
    ("counter measures", K::ActionItems),
    ("preventive and corrective actions", K::ActionItems),
    ("preventative and corrective actions", K::ActionItems),
    ("follow up actions", K::ActionItems),
    ("follow up items", K::ActionItems),
    ("review actions", K::ActionItems),
    ("next steps", K::ActionItems),
    ("actionables", K::ActionItems),
    ("todo", K::ActionItems),
    ("to do", K::ActionItems),
    ("tasks", K::ActionItems),
    ("tasks to address the issue", K::ActionItems),
    ("remediation items", K::ActionItems),
    ("remediations", K::ActionItems),
    ("improvements", K::ActionItems),
    ("what we are doing about it", K::ActionItems),
    ("what we are doing", K::ActionItems),
    ("what we are doing next", K::ActionItems),
    ("what are we doing about it", K::ActionItems),
    ("what are we doing", K::ActionItems),
    ("what will we do", K::ActionItems),
    ("what are we changing", K::ActionItems),
    ("how will we prevent this", K::ActionItems),
    ("how will we prevent it", K::ActionItems),
    ("what we are doing to prevent this", K::ActionItems),
    (
        "how are we making incidents like this less likely",
        K::ActionItems,
    ),
    ("steps to prevent recurrence", K::ActionItems),
    ("mitigation and future prevention", K::ActionItems),
    ("future prevention", K::ActionItems),
    (
        "how are we preventing it from happening again",
        K::ActionItems,
    ),
    (
        "how we are preventing it from happening again",
        K::ActionItems,
    ),
    (
        "how are we going to do better in the future",
        K::ActionItems,
    ),
    ("how we will do better", K::ActionItems),
    ("what we will do", K::ActionItems),
    ("what we are changing", K::ActionItems),
    ("going forward", K::ActionItems),
    ("next actions", K::ActionItems),
    ("improvements needed", K::ActionItems),
    ("follow up improvements", K::ActionItems),
    ("preventing recurrence", K::ActionItems),
    ("planned actions", K::ActionItems),
    ("fixes", K::ActionItems),
    ("open items", K::ActionItems),
    ("open actions", K::ActionItems),
    ("outstanding actions", K::ActionItems),
    ("outstanding items", K::ActionItems),
    ("follow up tasks", K::ActionItems),
    ("follow up work", K::ActionItems),
    ("changes we are making", K::ActionItems),
    ("changes we will make", K::ActionItems),
    ("what we will change", K::ActionItems),
    ("what we will do differently", K::ActionItems),
    ("what is next", K::ActionItems),
    ("recommendations", K::ActionItems),
    ("recommended actions", K::ActionItems),
    ("work items", K::ActionItems),
    ("planned work", K::ActionItems),
    ("planned improvements", K::ActionItems),
    ("planned changes", K::ActionItems),
    ("future work", K::ActionItems),
    ("future actions", K::ActionItems),
    ("future improvements", K::ActionItems),
    ("long term actions", K::ActionItems),
    ("long term fixes", K::ActionItems),
    ("long term improvements", K::ActionItems),
    ("short term actions", K::ActionItems),
    ("short term improvements", K::ActionItems),
    ("short term fixes", K::ActionItems),
    ("medium term improvements", K::ActionItems),
    ("remediation actions", K::ActionItems),
    ("remediation plan", K::ActionItems),
    ("remediation steps", K::ActionItems),
    ("preventative actions", K::ActionItems),
    ("preventive steps", K::ActionItems),
    ("preventative steps", K::ActionItems),
    ("lessons learned", K::Lessons),
    ("lessons learnt", K::Lessons),
    ("lessons", K::Lessons),
    ("learnings", K::Lessons),
    ("takeaways", K::Lessons),
    ("key takeaways", K::Lessons),
    ("what we learned", K::Lessons),
    ("what we have learned", K::Lessons),
    ("retrospective", K::Lessons),
    ("what went well", K::WentWell),
    ("things that went well", K::WentWell),
    ("went well", K::WentWell),
    ("what went right", K::WentWell),
    ("what went wrong and why", K::RootCause),
    // "5 Whys" loses its number to the numbering rule.
    ("whys", K::RootCause),
    ("five whys", K::RootCause),
    ("the five whys", K::RootCause),
    ("what went wrong", K::WentWrong),
    ("what went poorly", K::WentWrong),
    ("what did not go well", K::WentWrong),
    ("things that went wrong", K::WentWrong),
    ("what could have gone better", K::WentWrong),
    ("what could be improved", K::WentWrong),
    ("where we got lucky", K::Lucky),
    ("where we were lucky", K::Lucky),
    ("we got lucky", K::Lucky),
    ("lucky", K::Lucky),
];

/// Words an explicit (`#` or bold) heading may contain anywhere to name a section, when it is
/// short. Checked after exact and prefix matches.
const KEYWORDS: &[(&str, SectionKind)] = &[
    ("root cause and resolution", K::RootCauseAndResolution),
    ("contributing factor", K::ContributingFactors),
    ("root cause", K::RootCause),
    ("action item", K::ActionItems),
    ("corrective", K::ActionItems),
    ("preventative", K::ActionItems),
    ("preventive", K::ActionItems),
    ("prevent", K::ActionItems),
    ("follow up", K::ActionItems),
    ("lessons learned", K::Lessons),
    ("went well", K::WentWell),
    ("went wrong", K::WentWrong),
    ("lucky", K::Lucky),
    ("timeline", K::Timeline),
    ("summary", K::Summary),
    ("impact", K::Impact),
    ("resolution", K::Resolution),
    ("remediation", K::Resolution),
    ("detection", K::Detection),
];

/// Names of sections Debrief keeps but does not model, which a plain line standing alone
/// heads as surely as a known name does: "Conclusion" after the action items ends them.
const UNMODELLED: &[&str] = &[
    "conclusion",
    "conclusions",
    "outcome",
    "outcomes",
    "closing thoughts",
    "final thoughts",
    "appendix",
    "references",
    "glossary",
    "acknowledgements",
    "acknowledgments",
    "revision history",
    "document history",
    "attachments",
    "supporting documents",
    "further reading",
    "related links",
    "sign off",
    "approvals",
    "attendees",
    "participants",
];

/// Whether a heading names a transcript ("#testing-ops chat log", "Slack transcript"): what
/// people said then, not what the report states.
pub fn names_a_transcript(heading: &str) -> bool {
    const TRANSCRIPTS: [&str; 6] = [
        "chat log",
        "chat logs",
        "slack log",
        "irc log",
        "transcript",
        "slack thread",
    ];
    heading.len() <= 80
        && with_normalized(heading, |n| {
            TRANSCRIPTS.iter().any(|t| {
                n.strip_suffix(t)
                    .is_some_and(|r| r.is_empty() || r.ends_with(' '))
            })
        })
}

/// Whether a heading names a section Debrief does not model ([`UNMODELLED`]).
pub fn names_unmodelled_section(heading: &str) -> bool {
    // The longest name with room for emphasis, a colon and a number: most lines are longer.
    heading.len() <= 40 && with_normalized(heading, |n| UNMODELLED.contains(&n))
}

/// Whether a heading names the remediation, where a list that no sentence introduces is one of
/// things to do: "Remediation", and the fix named with the work after it, "Remediation and
/// follow-up", "Mitigation & next steps".
pub fn names_remediation(heading: &str) -> bool {
    with_normalized(heading, |n| {
        n == "remediation"
            || n.split_once(" and ").is_some_and(|(lead, rest)| {
                names().exact.get(lead) == Some(&SectionKind::Resolution)
                    && kind_of_normalized(rest, Strictness::Explicit)
                        == Some(SectionKind::ActionItems)
            })
    })
}

/// The rank [`tells_the_story`] gives a heading over the response's part of the story ("How we
/// responded"), whose times follow the story's.
pub const RESPONSE_STORY: u8 = 2;

/// Whether a heading introduces the incident's story, which may be told with its times in
/// prose, and how surely: 0 for "What happened", 1 for a description or the details of the
/// incident, [`RESPONSE_STORY`] for the response.
pub fn tells_the_story(heading: &str) -> Option<u8> {
    with_normalized(heading, |n| match n {
        "what happened" => Some(0),
        "description"
        | "incident description"
        | "issue description"
        | "details"
        | "incident details"
        | "the incident"
        | "incident"
        | "narrative"
        | "incident narrative"
        | "what happened and why"
        | "what happened and when"
        | "how it happened"
        | "what how when and why"
        | "what when and why"
        | "the outage"
        | "outage" => Some(1),
        "how we responded"
        | "how we reacted"
        | "investigation"
        | "the investigation"
        | "diagnosis"
        | "finding the cause"
        | "recovery"
        | "the recovery"
        | "resolution"
        | "mitigation"
        | "the fix"
        | "our response"
        | "the response"
        | "response"
        | "incident response"
        | "response and recovery"
        | "how we fixed it"
        | "detection"
        | "how we detected it"
        | "how it was detected"
        | "how we found out"
        | "how we noticed"
        | "how we noticed it"
        | "how it was noticed"
        | "how it was found"
        | "how was it found"
        | "how we found it"
        | "what we did"
        | "what we did about it"
        | "detection and response" => Some(RESPONSE_STORY),
        _ => None,
    })
}

/// Lowercases, drops numbering (`1.`, `IV.`, `Step 2:`), emoji and symbols, emphasis,
/// parenthesised remarks and a trailing colon; `&` becomes `and`.
pub fn normalize(heading: &str) -> String {
    let mut out = String::new();
    normalize_into(heading, &mut out);
    out
}

/// [`normalize`] into `out`, in one pass over the characters: the words, lowercased and
/// separated by one space, and then the leading numbering cut off.
fn normalize_into(heading: &str, out: &mut String) {
    out.clear();
    let mut depth = 0usize;
    // A separator was seen since the last word character.
    let mut apart = false;
    let word_char = |out: &mut String, apart: &mut bool| {
        if std::mem::take(apart) && !out.is_empty() {
            out.push(' ');
        }
    };
    for (i, c) in heading.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            // A slash after a word joins two names ("Learnings / Actions"); one after a digit
            // does not ("24/7").
            '/' if heading[..i]
                .trim_end()
                .chars()
                .next_back()
                .is_some_and(char::is_alphabetic) =>
            {
                apart = true;
                word_char(out, &mut apart);
                out.push_str("and");
                apart = true;
            }
            '&' | '+' => {
                apart = true;
                word_char(out, &mut apart);
                out.push_str("and");
                apart = true;
            }
            c if c.is_ascii_alphanumeric() => {
                word_char(out, &mut apart);
                out.push(c.to_ascii_lowercase());
            }
            c if c.is_alphanumeric() => {
                word_char(out, &mut apart);
                out.extend(c.to_lowercase());
            }
            _ => apart = true,
        }
    }
    // Leading numbering (`is_numbering`) is cut off.
    let mut cut = 0;
    while cut < out.len() {
        let rest = &out[cut..];
        let (w, next) = match rest.find(' ') {
            Some(k) => (&rest[..k], Some(cut + k + 1)),
            None => (rest, None),
        };
        if !is_numbering(w, next.is_some()) {
            break;
        }
        cut = next.unwrap_or(out.len());
    }
    out.drain(..cut);
    expand_contractions(out);
}

/// "we ll", "didn t", "what s" (a contraction whose apostrophe became a space) written out:
/// "we will", "did not", "what is", so each name is listed once.
fn expand_contractions(out: &mut String) {
    let short = |w: &str| matches!(w, "ll" | "re" | "ve" | "s" | "t");
    if !out.split(' ').skip(1).any(short) {
        return;
    }
    let mut words: Vec<&str> = Vec::new();
    for w in out.split(' ') {
        let prev = words.last().copied();
        match (prev, w) {
            (Some(_), "ll") => words.push("will"),
            (Some(_), "re") => words.push("are"),
            (Some(_), "ve") => words.push("have"),
            (Some("what" | "that" | "it" | "here" | "there" | "who"), "s") => words.push("is"),
            (Some(p), "t") if p.ends_with('n') => {
                let stem = match p {
                    "won" => "will",
                    "can" => "can",
                    _ => &p[..p.len() - 1],
                };
                words.pop();
                words.push(stem);
                words.push("not");
            }
            _ => words.push(w),
        }
    }
    *out = words.join(" ");
}

/// Whether a normalised heading's leading word `w` numbers it rather than names it: "1", "2 3",
/// roman numerals, "step 2", "part 1", single letters but "a"; `more` says a word follows.
fn is_numbering(w: &str, more: bool) -> bool {
    let numeric = w.bytes().all(|c| c.is_ascii_digit());
    let roman = w.len() <= 4 && w.bytes().all(|c| matches!(c, b'i' | b'v' | b'x'));
    let letter = w.len() == 1 && w != "a";
    (more && (numeric || roman || letter)) || w == "step" || w == "part" || w == "section"
}

/// Runs `f` on the normalised heading, in a buffer kept for the thread.
fn with_normalized<T>(heading: &str, f: impl FnOnce(&str) -> T) -> T {
    thread_local! {
        static BUFFER: RefCell<String> = const { RefCell::new(String::new()) };
    }
    BUFFER.with(|b| match b.try_borrow_mut() {
        Ok(mut out) => {
            normalize_into(heading, &mut out);
            f(&out)
        }
        // Only if `f` itself normalises: fall back to a fresh buffer.
        Err(_) => f(&normalize(heading)),
    })
}

/// How strictly a candidate heading must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// A `#` heading, a setext heading or a bold-only line: exact, prefix or keyword.
    Explicit,
    /// A `Label:` line: exact or prefix.
    Label,
    /// A plain line standing alone: exact only.
    Plain,
}

/// [`NAMES`] indexed: each exact name (the first entry wins), and the names by their first word
/// (in [`NAMES`] order).
struct Names {
    exact: WordMap<&'static str, SectionKind>,
    by_first_word: WordMap<&'static str, Vec<(&'static str, SectionKind)>>,
}

fn names() -> &'static Names {
    static NAMES_INDEX: OnceLock<Names> = OnceLock::new();
    NAMES_INDEX.get_or_init(|| {
        let mut exact = WordMap::default();
        let mut by_first_word = WordMap::<_, Vec<_>>::default();
        for (name, k) in NAMES {
            exact.entry(*name).or_insert(*k);
            by_first_word
                .entry(name.split(' ').next().unwrap_or(name))
                .or_default()
                .push((*name, *k));
        }
        Names {
            exact,
            by_first_word,
        }
    })
}

/// The section a heading names, if any.
pub fn section_kind(heading: &str, strictness: Strictness) -> Option<SectionKind> {
    with_normalized(heading, |n| kind_of_normalized(n, strictness))
}

fn kind_of_normalized(n: &str, strictness: Strictness) -> Option<SectionKind> {
    if n.is_empty() {
        return None;
    }
    let stripped = ["the ", "our ", "my ", "an ", "a "]
        .iter()
        .find_map(|p| n.strip_prefix(p))
        .unwrap_or(n);
    let names = names();
    for cand in [n, stripped] {
        if let Some(k) = names.exact.get(cand) {
            return Some(*k);
        }
    }
    // "Lessons learned and next steps", "Takeaways & follow-ups": lessons that lead in to the
    // actions name the actions.
    if let Some((lead, rest)) = n.split_once(" and ")
        && names.exact.get(lead) == Some(&SectionKind::Lessons)
        && kind_of_normalized(rest, strictness) == Some(SectionKind::ActionItems)
    {
        return Some(SectionKind::ActionItems);
    }
    if strictness == Strictness::Plain {
        return None;
    }
    let words = n.split_whitespace().count();
    // "Response timeline", "Incident chronology": a timeline, whatever it is the timeline of.
    if words <= 4 && (n.ends_with(" timeline") || n.ends_with(" chronology")) {
        return Some(SectionKind::Timeline);
    }
    // Prefix: the longest name that the heading starts with, followed by a word boundary. Such a
    // name begins with the heading's first word.
    let mut best: Option<(usize, SectionKind)> = None;
    if n.contains(' ')
        && let Some(candidates) = names.by_first_word.get(n.split(' ').next().unwrap_or(""))
    {
        for (name, k) in candidates {
            if name.len() > 3
                && n.starts_with(name)
                && n.as_bytes().get(name.len()) == Some(&b' ')
                && best.is_none_or(|(l, _)| name.len() > l)
            {
                best = Some((name.len(), *k));
            }
        }
    }
    // "Incident 5", "Issue #42": the incident's number names the incident, a title, not the
    // section its word alone would head.
    if let Some(rest) = n
        .strip_prefix("incident ")
        .or_else(|| n.strip_prefix("issue "))
        && !rest.contains(' ')
        && rest.contains(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    if let Some((_, k)) = best {
        // "Issue with the database" is not a summary heading; single generic words need more.
        let generic = matches!(
            n.split(' ').next(),
            Some(
                "issue"
                    | "incident"
                    | "events"
                    | "description"
                    | "cause"
                    | "fix"
                    | "response"
                    | "scope"
                    | "updates"
                    | "actions"
                    | "tasks"
                    | "lessons"
                    | "prevention"
                    | "recovery"
                    | "detected"
                    | "identified"
                    | "fault"
                    | "solution"
                    | "todo"
            )
        );
        if !generic || words <= 3 {
            return Some(k);
        }
    }
    if strictness == Strictness::Explicit && words <= 6 {
        return keyword_kind(n);
    }
    None
}

/// The section of the first of [`KEYWORDS`] (in their order) that `n` contains as whole words.
/// Only keywords whose first letter starts one of `n`'s words are looked for.
fn keyword_kind(n: &str) -> Option<SectionKind> {
    let b = n.as_bytes();
    let mut initials = 0u32;
    for (i, &c) in b.iter().enumerate() {
        if (i == 0 || b[i - 1] == b' ') && c.is_ascii_lowercase() {
            initials |= 1 << (c - b'a');
        }
    }
    KEYWORDS
        .iter()
        .filter(|(kw, _)| initials & (1 << (kw.as_bytes()[0] - b'a')) != 0)
        .find(|(kw, _)| contains_phrase(n, kw))
        .map(|(_, k)| *k)
}

/// Whether `phrase` occurs in `hay` as whole words (a plural `s` allowed after it).
fn contains_phrase(hay: &str, phrase: &str) -> bool {
    let b = hay.as_bytes();
    // Only where a word starts: the start, or after a space.
    let word_starts = std::iter::once(0).chain(
        b.iter()
            .enumerate()
            .filter(|&(_, &c)| c == b' ')
            .map(|(i, _)| i + 1),
    );
    word_starts
        .filter(|&at| b[at..].starts_with(phrase.as_bytes()))
        .any(|at| {
            let after = at + phrase.len();
            after == b.len()
                || b[after] == b' '
                || (b[after] == b's' && (after + 1 == b.len() || b[after + 1] == b' '))
        })
}

/// Whether a label names the kind of document ("Incident Review", "Post-mortem", "RCA"): a first
/// line "Incident Review: Checkout latency" is the document's title, not a section.
pub fn names_the_document(label: &str) -> bool {
    with_normalized(label, |n| {
        // "0x19. Postmortem", "INC4411 Postmortem", "Incident #57 — Postmortem": a project's
        // or a ticket's number first, or the incident's number after its word.
        fn after_number(n: &str) -> &str {
            match n.split_once(' ') {
                Some((number, rest)) if number.contains(|c: char| c.is_ascii_digit()) => rest,
                _ => n,
            }
        }
        // "Incident Report #57", "Postmortem 2025-03": the number after the document's name.
        fn before_number(n: &str) -> &str {
            match n.rsplit_once(' ') {
                Some((rest, number)) if number.contains(|c: char| c.is_ascii_digit()) => rest,
                _ => n,
            }
        }
        let n = before_number(after_number(n));
        let n = n.strip_prefix("incident ").map_or(n, after_number);
        matches!(
            n,
            "incident"
                | "postmortem"
                | "post mortem"
                | "postmortem report"
                | "post incident review"
                | "post incident report"
                | "report"
                | "review"
                | "retrospective"
                | "analysis"
                | "outage report"
                | "outage postmortem"
                | "rca"
                | "root cause analysis"
        )
    })
}

/// A template's heading for the document's title, the title written on the line under it:
/// "# ISSUE NAME", "## Incident title", "Title".
pub fn names_the_title(heading: &str) -> bool {
    with_normalized(heading, |n| {
        let n = n
            .strip_prefix("incident ")
            .or_else(|| n.strip_prefix("issue "))
            .or_else(|| n.strip_prefix("postmortem "))
            .or_else(|| n.strip_prefix("report "))
            .unwrap_or(n);
        matches!(
            n,
            "title" | "name" | "name of the incident" | "name of the issue"
        )
    })
}

/// Metadata labels (`Date:`, `Severity:`) that describe the incident rather than start a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetaLabel {
    Date,
    Severity,
    Status,
    Services,
    Authors,
    Duration,
    Start,
    End,
    Detected,
    Acknowledged,
    Escalated,
    Mitigated,
    Tags,
    /// "Title: Build farm outage": the document's title, when nothing else gives one.
    Title,
    /// "Closed at: 14:30": when the incident was closed, its end only when nothing else (a
    /// label, the prose, the timeline) says when the impact ended.
    Closed,
    /// "Time to resolve: 1h 50m": the incident's length when nothing else states it.
    TimeToResolve,
    /// "Time to detect: 16:29 UTC": a response metric some teams fill with the moment it was
    /// reached (the named instant); its length is computed, not read.
    TimeTo(&'static str),
    /// "Created: 07/Apr/26 10:14 AM": when the ticket or report was opened, the incident's day
    /// when nothing nearer gives one (as a blog post's date is).
    Created,
}

/// "Impact: SEV2": a label that names a section but holds a severity grade as teams write
/// one ("SEV2", "Sev-1", "P1", "S3 (minor)").
/// Whether a word is a severity grade in words: "Critical", "high", "Minor".
pub fn is_grade_word(word: &str) -> bool {
    const GRADES: [&str; 7] = [
        "critical", "high", "major", "medium", "moderate", "low", "minor",
    ];
    GRADES.iter().any(|g| word.eq_ignore_ascii_case(g))
}

pub fn grades_severity(label: &str, value: &str) -> bool {
    // Read on every label line a document has: no allocation. The grade before its gloss:
    // "P1 - customer facing", "Major incident".
    let head = [" (", " - ", " \u{2014} ", " \u{2013} ", ", "]
        .iter()
        .fold(value, |v, mark| v.split(mark).next().unwrap_or(v))
        .trim();
    let head = head
        .strip_suffix(" incident")
        .or_else(|| head.strip_suffix(" Incident"))
        .unwrap_or(head);
    let digits = ["severity", "priority", "sev", "p", "s"]
        .iter()
        .find_map(|p| {
            head.get(..p.len())
                .filter(|h| h.eq_ignore_ascii_case(p))
                .map(|_| &head[p.len()..])
        });
    let grade = digits.is_some_and(|d| {
        let d = d.trim_start_matches([' ', '-']);
        d.len() == 1 && d.bytes().all(|b| b.is_ascii_digit())
    }) || is_grade_word(head);
    grade && with_normalized(label, |n| matches!(n, "impact" | "classification"))
}

/// The names of a tool's milestones table (Started, Detected, Resolved and their times): a
/// timeline whose rows are labels too.
const MILESTONES: [&str; 5] = [
    "milestones",
    "key milestones",
    "incident milestones",
    "key timestamps",
    "key times",
];

/// Whether a heading names a milestones table ([`MILESTONES`]).
pub fn names_milestones(heading: &str) -> bool {
    with_normalized(heading, |n| MILESTONES.contains(&n))
}

pub fn meta_label(label: &str) -> Option<MetaLabel> {
    with_normalized(label, |n| {
        meta_of_normalized(n).or_else(|| {
            // "Customer impact duration", "Overall downtime": a qualifier before a known label.
            [
                "customer ",
                "user ",
                "overall ",
                "actual ",
                "estimated ",
                "approximate ",
            ]
            .iter()
            .find_map(|q| n.strip_prefix(q))
            .and_then(meta_of_normalized)
        })
    })
}

fn meta_of_normalized(n: &str) -> Option<MetaLabel> {
    use MetaLabel as M;
    Some(match n {
        "date"
        | "incident date"
        | "date of incident"
        | "date of the incident"
        | "dates"
        | "when"
        // French and German.
        | "datum" => M::Date,
        "severity"
        | "sev"
        | "severity level"
        | "priority"
        | "incident severity"
        | "impact level"
        | "incident level"
        | "severity rating"
        | "incident priority"
        | "sev level"
        | "impact severity"
        | "severity priority"
        | "priority severity"
        | "severity and priority"
        | "priority and severity"
        | "criticality"
        | "incident criticality"
        | "incident classification"
        | "sev rating"
        // French and German.
        | "gravité"
        | "sévérité"
        | "schweregrad" => M::Severity,
        "status" | "incident status" | "review status" | "state" => M::Status,
        "service"
        | "services"
        | "affected service"
        | "affected services"
        | "affected systems"
        | "systems affected"
        | "services affected"
        | "services impacted"
        | "impacted services"
        | "impacted systems"
        | "components affected"
        | "component"
        | "components"
        | "affected components"
        | "product"
        | "products" => M::Services,
        "author" | "authors" | "created by" | "written by" | "owner" | "owners"
        | "incident owner" | "prepared by" => M::Authors,
        // "Time to repair/recover/resolve" is measured from an organisation's own starting
        // point (detection, declaration): not the incident's length.
        "duration"
        | "total duration"
        | "outage duration"
        | "downtime"
        | "total downtime"
        | "length"
        | "incident duration"
        | "outage length"
        | "incident length"
        | "impact duration"
        | "total impact duration"
        | "total impact"
        | "total impact time"
        | "impact time"
        | "outage window"
        | "impact window"
        | "customer impact window"
        | "incident window"
        | "time window"
        | "window"
        | "time period"
        | "incident period"
        | "affected window"
        | "affected period"
        | "impact period"
        | "outage period"
        | "outage time"
        | "total outage time"
        | "total outage"
        | "length of outage"
        | "length of the outage"
        | "length of incident"
        | "length of the incident"
        | "time down"
        | "total time down"
        | "downtime duration"
        // GitLab's incident template, in minutes.
        | "minutes downtime or degradation"
        | "minutes of downtime"
        | "downtime minutes"
        | "downtime in minutes"
        // French and German.
        | "durée"
        | "dauer" => M::Duration,
        // Yet many teams state the incident's length only this way; it counts when nothing
        // else states one.
        "time to resolve"
        | "time to resolution"
        | "time to recovery"
        | "time to recover"
        | "time to restore"
        | "time to restoration"
        | "total time to resolve"
        | "ttr"
        // One incident's "MTTR" is its time to resolve.
        | "mttr" => M::TimeToResolve,
        "time to detect" | "time to detection" | "ttd" => M::TimeTo("detected"),
        "time to acknowledge" | "time to acknowledgement" | "time to ack" | "tta" => {
            M::TimeTo("acknowledged")
        }
        "time to mitigate" | "time to mitigation" | "ttm" => M::TimeTo("mitigated"),
        "start"
        | "start time"
        | "started"
        | "started at"
        | "began"
        | "incident start"
        | "incident start time"
        | "start of incident"
        | "outage start"
        | "outage start time"
        | "start of outage"
        | "event start"
        | "event start time"
        | "start of event"
        | "impact start"
        | "impact start time"
        | "start of impact"
        | "impact began"
        | "impact started"
        | "beginning of impact"
        | "first impact"
        | "incident began"
        | "incident started"
        | "outage began"
        | "outage started"
        | "customer impact start"
        | "customer impact began"
        | "customer impact started"
        | "issue started"
        | "issue began"
        | "problem started"
        | "occurred"
        | "occurred at"
        | "time of incident"
        | "incident time" => M::Start,
        "end"
        | "end time"
        | "ended"
        | "ended at"
        | "resolved at"
        | "incident end"
        | "incident end time"
        | "end of incident"
        | "outage end"
        | "outage end time"
        | "end of outage"
        | "event end"
        | "event end time"
        | "end of event"
        | "impact end"
        | "impact end time"
        | "resolved on"
        | "resolved"
        | "end of impact"
        | "impact ended"
        | "last impact"
        | "outage ended"
        | "incident ended"
        | "all clear"
        | "customer impact end"
        | "customer impact ended"
        | "issue resolved"
        | "problem resolved"
        | "time resolved"
        | "resolution time"
        | "recovery time"
        | "recovered"
        | "recovered at"
        | "restored"
        | "restored at"
        | "service restored"
        | "fixed"
        | "fixed at" => M::End,
        // Closing the incident is paperwork that can follow the impact by hours or days.
        "closed" | "closed at" | "closed on" | "incident closed" => M::Closed,
        "detected at" | "detected" | "detection" | "detection time" | "first detected"
        | "time detected" | "alert fired" | "first alert" | "alerted" | "reported at"
        | "first reported" | "time reported" => M::Detected,
        "acknowledged" | "acknowledged at" => M::Acknowledged,
        "created" | "created on" | "created at" | "date created" | "creation date" => M::Created,
        "escalated" | "escalated at" | "incident declared" | "declared" => M::Escalated,
        "mitigated" | "mitigated at" | "mitigation" | "mitigation time" | "repaired"
        | "repaired at" => M::Mitigated,
        "tags" | "labels" | "keywords" | "categories" | "category" => M::Tags,
        // "Short description" is how ticketing tools (ServiceNow) name an incident.
        "title" | "incident title" | "incident name" | "postmortem title" | "short description" => {
            M::Title
        }
        // Incident tools name the moments of their workflow: "Accepted at", "Stabilised at".
        "accepted at" => M::Acknowledged,
        "stabilised" | "stabilized" | "stabilised at" | "stabilized at" => M::Mitigated,
        // "Impact started at", "Incident declared at": an instant's label with "at" after it.
        _ if n.ends_with(" at") => {
            let instant = meta_of_normalized(n.strip_suffix(" at")?)?;
            return matches!(
                instant,
                M::Start
                    | M::End
                    | M::Closed
                    | M::Detected
                    | M::Acknowledged
                    | M::Escalated
                    | M::Mitigated
            )
            .then_some(instant);
        }
        // "Start time of the incident", "Duration of outage": the same label with what it is
        // of put first ("incident start time", "outage duration").
        _ => return meta_of_normalized(&of_put_first(n)?),
    })
}

/// "start time of the incident" as "incident start time": a label naming what it measures
/// after "of", with that put first; `None` for any other label.
fn of_put_first(n: &str) -> Option<String> {
    let (what, of) = n.rsplit_once(" of ")?;
    let of = of.strip_prefix("the ").unwrap_or(of);
    ["incident", "outage", "impact", "event", "issue"]
        .contains(&of)
        .then(|| format!("{of} {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Normalisation as first written: lowercased into a copy, then split into words (the
    /// numbering rule is the one the code uses; its own test is below).
    fn normalize_plainly(heading: &str) -> String {
        let mut s = String::new();
        let mut depth = 0usize;
        for c in heading.chars() {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth = depth.saturating_sub(1),
                _ if depth > 0 => {}
                '&' | '+' => s.push_str(" and "),
                c if c.is_alphanumeric() => s.extend(c.to_lowercase()),
                _ => s.push(' '),
            }
        }
        let words: Vec<&str> = s.split(' ').filter(|w| !w.is_empty()).collect();
        let mut i = 0;
        while words
            .get(i)
            .is_some_and(|w| is_numbering(w, words.len() > i + 1))
        {
            i += 1;
        }
        words[i..].join(" ")
    }

    proptest::proptest! {
        #[test]
        fn normalizes_as_splitting_a_lowercased_copy_does(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "1", "2.", "IV", "iv", "x", "a", "A", "Step", "part", "Section", " ", "  ", ":",
                    "(", ")", "[", "]", "&", "+", "Root", "Cause", "é", "İ", "ß", "🔥", "-", "\u{a0}",
                    "**", "Timeline", "and", "3",
                ]),
                0..12,
            ),
        ) {
            let h = parts.concat();
            proptest::prop_assert_eq!(normalize(&h), normalize_plainly(&h), "{:?}", h);
        }
    }
    use proptest::prelude::*;

    #[test]
    fn normalising_drops_numbering_remarks_and_symbols() {
        for (heading, want) in [
            ("3. Root Cause(s) 🔥", "root cause"),
            ("IV. Lessons & Learnings:", "lessons and learnings"),
            ("Step 2: Mitigation", "mitigation"),
            ("B) Timeline [UTC]", "timeline"),
            ("A Summary", "a summary"),
            ("2 3 What\u{a0}went   well", "what went well"),
            ("Écarts de **Détection**", "écarts de détection"),
            ("1", "1"),
            ("What we'll do", "what we will do"),
            ("What didn\u{2019}t go well?", "what did not go well"),
            ("What's next", "what is next"),
            ("Re: outage", "re outage"),
        ] {
            assert_eq!(normalize(heading), want, "{heading:?}");
        }
    }

    #[test]
    fn a_label_may_name_what_it_measures_after_of() {
        for (label, want) in [
            ("Start time of incident", MetaLabel::Start),
            ("Start of the outage", MetaLabel::Start),
            ("End time of the incident", MetaLabel::End),
            ("Duration of the outage", MetaLabel::Duration),
            ("Minutes downtime or degradation", MetaLabel::Duration),
        ] {
            assert_eq!(meta_label(label), Some(want), "{label}");
        }
        assert_eq!(meta_label("Start of the week"), None);
        assert_eq!(meta_label("Summary of the incident"), None);
    }

    #[test]
    fn a_summary_under_the_names_blogs_give_it() {
        for h in ["The short version", "TL;DR", "In brief", "At a glance"] {
            assert_eq!(
                section_kind(h, Strictness::Explicit),
                Some(SectionKind::Summary),
                "{h}"
            );
        }
    }

    #[test]
    fn keywords_start_with_a_lowercase_letter() {
        assert!(
            KEYWORDS
                .iter()
                .all(|(kw, _)| kw.as_bytes()[0].is_ascii_lowercase())
        );
    }

    proptest! {
        #[test]
        fn keywords_found_by_initials_as_by_trying_each(
            words in prop::collection::vec(
                prop::sample::select(vec![
                    "root", "cause", "and", "resolution", "went", "well", "wrong", "impact",
                    "summary", "action", "items", "follow", "up", "lucky", "é", "9", "timelines",
                    "detections", "the", "contributing", "factor",
                ]),
                0..7,
            ),
        ) {
            let n = words.join(" ");
            let tried = KEYWORDS.iter().find(|(kw, _)| contains_phrase(&n, kw)).map(|(_, k)| *k);
            prop_assert_eq!(keyword_kind(&n), tried, "{:?}", n);
        }

        #[test]
        fn phrases_are_found_at_word_starts_as_searching_everywhere_finds(
            hay in "[rots ca]{0,24}",
            phrase in prop::sample::select(vec!["root cause", "cause", "a", "to", "s", "ca"]),
        ) {
            // Every occurrence, kept where a word starts and one ends (or a plural `s`).
            let b = hay.as_bytes();
            let want = (0..b.len()).filter(|&at| b[at..].starts_with(phrase.as_bytes())).any(|at| {
                let after = at + phrase.len();
                (at == 0 || b[at - 1] == b' ')
                    && (after == b.len()
                        || b[after] == b' '
                        || (b[after] == b's' && (after + 1 == b.len() || b[after + 1] == b' ')))
            });
            prop_assert_eq!(contains_phrase(&hay, phrase), want);
        }
    }

    #[test]
    fn headings_of_causes_and_of_work_to_do_in_more_words() {
        let causes: &[&str] = &[
            "Underlying cause",
            "What caused this?",
            "Primary cause",
            "Trigger and root cause",
        ];
        let work: &[&str] = &[
            "Recommendations",
            "Work items",
            "Lessons and actions",
            "Learnings and next steps",
            "Lessons Learned and Future Improvements",
            "Takeaways & follow-ups",
            "Planned actions (planned or in progress)",
            "Short-term improvements",
            "Long-term Improvements (Q4 2025 - Q1 2026)",
            "Future Actions",
            "Fixes",
            "Open items",
            "Changes we are making",
            "Changes we're making",
            "What's next",
            "Follow-up tasks",
            "Learnings and actions",
            "Action Points",
            "Countermeasures",
            "Followup",
            "Preventive and corrective actions",
        ];
        // A tool's milestones (Started, Detected, Resolved and their times) are the timeline
        // when there is no other, as "Key events" are.
        let timelines: &[&str] = &["Milestones", "Key timestamps", "Key milestones"];
        for name in MILESTONES {
            assert_eq!(section_kind(name, Strictness::Explicit), Some(K::Timeline));
            assert!(names_milestones(&name.to_uppercase()));
        }
        // "(Sev 2)" grades; "Impact: Service 2 down" does not.
        assert!(grades_severity("**Impact**", "Sev-2 (major)"));
        assert!(!grades_severity("Impact", "Service 2 down"));
        assert!(!grades_severity("Summary", "SEV2"));
        // A one-word grade under Impact; a sentence that starts with one is the impact.
        assert!(grades_severity("Impact", "High"));
        assert!(!grades_severity("Impact", "High error rates for EU users"));
        assert!(grades_severity("Classification", "SEV 3"));
        assert!(!grades_severity("Classification", "Security incident"));
        assert!(grades_severity("Classification", "Severity 2"));
        assert!(grades_severity("Impact", "Priority 1"));
        assert!(!grades_severity("Impact", "Severity unknown"));
        for (kind, headings) in [
            (K::RootCause, causes),
            (K::ActionItems, work),
            (K::Timeline, timelines),
        ] {
            for h in headings {
                assert_eq!(section_kind(h, Strictness::Explicit), Some(kind), "{h}");
            }
        }
        // Lessons lead in to actions only when actions follow the "and".
        assert_eq!(
            section_kind("Lessons learned and what went well", Strictness::Explicit),
            Some(K::Lessons)
        );
        // The fix named with the work after it is the remediation, whose lists are things to
        // do unless a sentence tells they were done.
        for h in [
            "Remediation",
            "Remediation and follow-up",
            "Mitigation & next steps",
        ] {
            assert!(names_remediation(h), "{h}");
        }
        assert!(!names_remediation("Remediation and recovery"));
        assert!(!names_remediation("Resolution"));
        // The same on a plain line, where only whole names count.
        for h in ["Lessons learned and next steps", "Learnings & action items"] {
            assert_eq!(
                section_kind(h, Strictness::Plain),
                Some(K::ActionItems),
                "{h}"
            );
        }
        assert!(names_a_transcript("#testing-ops chat log"));
        assert!(!names_a_transcript("Catalog"));
        // Work already done during the response is not a follow-up by its heading alone.
        assert_ne!(
            section_kind("Immediate actions (completed)", Strictness::Explicit),
            Some(K::ActionItems)
        );
    }

    #[test]
    fn numbered_emoji_and_parenthesised_headings() {
        assert_eq!(
            section_kind("3. Root Cause(s) 🔥", Strictness::Explicit),
            Some(K::RootCause)
        );
        // A review's questions; the number in "5 Whys" is no numbering of the heading.
        for (heading, kind) in [
            ("5 Whys", K::RootCause),
            ("The Five Whys", K::RootCause),
            ("Causal factors", K::ContributingFactors),
            ("Causal analysis", K::RootCause),
            ("What went wrong and why?", K::RootCause),
            ("How did we respond?", K::Timeline),
            (
                "How are we making incidents like this less likely or less impactful?",
                K::ActionItems,
            ),
        ] {
            assert_eq!(
                section_kind(heading, Strictness::Explicit),
                Some(kind),
                "{heading}"
            );
        }
        assert_eq!(
            section_kind("Timeline (all times PST/PDT)", Strictness::Explicit),
            Some(K::Timeline)
        );
        assert_eq!(
            section_kind("📝 Action Items", Strictness::Explicit),
            Some(K::ActionItems)
        );
        assert_eq!(
            section_kind("Root Cause and Resolution", Strictness::Label),
            Some(K::RootCauseAndResolution)
        );
        assert_eq!(
            section_kind("Corrective & Preventative Measures", Strictness::Plain),
            Some(K::ActionItems)
        );
        assert_eq!(
            section_kind("The root cause", Strictness::Plain),
            Some(K::RootCause)
        );
        assert_eq!(
            section_kind("What we're doing", Strictness::Plain),
            Some(K::ActionItems)
        );
    }

    #[test]
    fn french_and_german_names_of_the_usual_sections_and_labels() {
        for (h, kind) in [
            ("Zeitablauf (MESZ)", K::Timeline),
            ("Chronologie", K::Timeline),
            ("Ursache", K::RootCause),
            ("Cause racine", K::RootCause),
            ("Maßnahmen", K::ActionItems),
            ("Actions correctives", K::ActionItems),
        ] {
            assert_eq!(section_kind(h, Strictness::Explicit), Some(kind), "{h}");
        }
        for (label, meta) in [
            ("Durée", MetaLabel::Duration),
            ("Dauer", MetaLabel::Duration),
            ("Gravité", MetaLabel::Severity),
            ("Schweregrad", MetaLabel::Severity),
            ("Datum", MetaLabel::Date),
        ] {
            assert_eq!(meta_label(label), Some(meta), "{label}");
        }
    }

    #[test]
    fn a_timeline_of_anything_is_a_timeline() {
        for h in [
            "Response timeline",
            "Recovery timeline",
            "Incident chronology",
            "Event log",
            "Order of events",
            "What happened, when",
        ] {
            assert_eq!(
                section_kind(h, Strictness::Explicit),
                Some(K::Timeline),
                "{h}"
            );
        }
        // A sentence that ends with the word is no heading of one.
        assert_ne!(
            section_kind(
                "What we changed after reviewing the recovery timeline",
                Strictness::Explicit
            ),
            Some(K::Timeline)
        );
    }

    #[test]
    fn the_services_label_in_either_word_order() {
        for label in [
            "services",
            "affected services",
            "services affected",
            "impacted services",
            "services impacted",
            "components affected",
        ] {
            assert_eq!(meta_label(label), Some(MetaLabel::Services), "{label}");
        }
        assert_eq!(meta_label("users affected"), None);
    }

    #[test]
    fn an_incidents_number_heads_no_section() {
        for heading in ["Incident 5", "Incident #57", "Issue 42", "INC 2291"] {
            assert_eq!(
                section_kind(heading, Strictness::Explicit),
                None,
                "{heading}"
            );
        }
        assert_eq!(
            section_kind("Incident summary", Strictness::Explicit),
            Some(SectionKind::Summary)
        );
    }

    #[test]
    fn an_instant_label_with_at_after_it() {
        for (label, meta) in [
            ("Impact started at", MetaLabel::Start),
            ("Incident declared at", MetaLabel::Escalated),
            ("Accepted at", MetaLabel::Acknowledged),
            ("Stabilised at", MetaLabel::Mitigated),
            ("Outage ended at", MetaLabel::End),
            ("Fixed at", MetaLabel::End),
            ("Closed at", MetaLabel::Closed),
            ("Window", MetaLabel::Duration),
            ("Time period", MetaLabel::Duration),
            ("Incident period", MetaLabel::Duration),
        ] {
            assert_eq!(meta_label(label), Some(meta), "{label}");
        }
        // Only an instant's: "Severity at" and "Look at" name nothing.
        assert_eq!(meta_label("Severity at"), None);
        assert_eq!(meta_label("Look at"), None);
    }

    #[test]
    fn titles_and_sentences_are_not_sections() {
        assert_eq!(
            section_kind("January 23rd, 2019 Prow Outage", Strictness::Explicit),
            None
        );
        assert_eq!(
            section_kind("The root cause of the outage was a disk", Strictness::Plain),
            None
        );
        assert_eq!(
            section_kind(
                "Issue with the load balancer config after the upgrade",
                Strictness::Label
            ),
            None
        );
    }
}
