//! Action-item sections: lists, numbered lists, checkboxes, tables with Owner/Due/Status columns,
//! plain lines, and the metadata people write inline (`(owner: X, due: Y)`, `@handle`, `OPS-12`).

use super::classify;
use super::lines::{self, Line};
use crate::model::{ActionItem, ActionKind, ActionStatus};
use crate::time;

pub struct Extracted {
    pub items: Vec<ActionItem>,
    pub leftover: String,
}

/// Fields found inline in an item's text.
#[derive(Debug, Default, PartialEq)]
pub struct Fields {
    pub owner: Option<String>,
    pub due: Option<String>,
    pub status: Option<ActionStatus>,
    pub kind: Option<ActionKind>,
    pub tracker: Option<String>,
}

fn field_key(k: &str) -> Option<&'static str> {
    // "**owner**: x": the key's emphasis is no part of it.
    let k = k.trim().trim_matches(['*', '_']);
    Some(match k.to_ascii_lowercase().as_str() {
        "owner" | "owners" | "assignee" | "assigned to" | "assigned" | "who" | "responsible"
        | "dri" | "responsable" | "verantwortlich" => "owner",
        "due"
        | "due date"
        | "due by"
        | "deadline"
        | "eta"
        | "estimated completion"
        | "expected completion"
        | "target"
        | "target date"
        | "completion date"
        | "target completion date"
        | "by" => "due",
        "status" | "state" => "status",
        "kind" | "type" => "kind",
        "tracker" | "ticket" | "issue" | "ref" | "jira" | "link" | "tracking" => "tracker",
        _ => return None,
    })
}

pub fn parse_status(s: &str) -> Option<ActionStatus> {
    let l = s.trim().to_ascii_lowercase().replace(['-', '_'], " ");
    Some(match l.as_str() {
        "open" | "todo" | "to do" | "not started" | "new" | "planned" | "pending" | "backlog" => {
            ActionStatus::Open
        }
        "in progress" | "wip" | "ongoing" | "started" | "doing" | "in review" => {
            ActionStatus::InProgress
        }
        "done" | "complete" | "completed" | "closed" | "fixed" | "resolved" | "finished"
        | "shipped" | "merged" | "✅" | "yes" => ActionStatus::Done,
        "wont do" | "won't do" | "wontfix" | "won t do" | "wont fix" | "won't fix"
        | "cancelled" | "canceled" | "dropped" | "declined" => ActionStatus::WontDo,
        _ => return None,
    })
}

pub fn parse_kind(s: &str) -> Option<ActionKind> {
    Some(match s.trim().to_ascii_lowercase().as_str() {
        "prevent" | "prevention" | "preventive" | "preventative" | "repair" | "fix" => {
            ActionKind::Prevent
        }
        "detect" | "detection" | "monitoring" => ActionKind::Detect,
        "mitigate" | "mitigation" => ActionKind::Mitigate,
        "process" | "documentation" | "people" => ActionKind::Process,
        _ => return None,
    })
}

/// Normalises a due date to `YYYY-MM-DD` when it is one; keeps it as written otherwise.
fn normalize_due(s: &str) -> String {
    let t = s.trim();
    if let Some((p, end)) = time::stamp_prefix(t)
        && end == t.len()
        && let Some(d) = p.date.and_then(|d| d.with_year(None))
    {
        return d.to_string();
    }
    t.to_string()
}

/// `(owner: X, due: Y)` at the end of `text`: every part must be a known `key: value`; or
/// `(Sam Lee, due 2024-12-20)`, a name and a due date. Parts are apart by commas or
/// semicolons; a status word (`done`), a ticket (`JIRA-123`), a handle and "owner Sam" need no
/// key, and neither does a name beside another part so read (`(JIRA-123, Sam)`, `(done, Sam)`).
/// Square brackets work alike, one group or several (`[owner: sam] [due: 2024-06-01]`), and
/// emphasis around the group is no part of the text (`_(owner: Sam)_`). A group labelled with
/// a key that is no field (`[Priority: P1]`) among them stays in the text, as written.
pub fn trailing_fields(text: &str) -> Option<(Fields, String)> {
    let mut rest = text;
    let mut f = Fields::default();
    let mut any = false;
    let mut kept: Vec<&str> = Vec::new();
    while let Some((group, before)) = trailing_group(rest) {
        if group_fields(group, &mut f) {
            any = true;
        } else if labelled_group(group) {
            kept.push(&rest[before.len()..]);
        } else {
            break;
        }
        rest = before;
    }
    any.then(|| {
        let mut t = rest.trim_end().to_string();
        for k in kept.iter().rev() {
            t.push(' ');
            t.push_str(k.trim());
        }
        (f, t)
    })
}

/// `Priority: P1`: one short key of letters and a value, as a field is written.
fn labelled_group(inner: &str) -> bool {
    inner.split_once(':').is_some_and(|(k, v)| {
        let k = k.trim();
        (1..=20).contains(&k.len())
            && k.chars().all(|c| c.is_alphabetic() || c == ' ')
            && !v.trim().is_empty()
            && !v.contains(':')
            && !v.starts_with("//")
    })
}

/// `t` without the sentence's full stop after closing brackets: "... (owner: Priya).", "...
/// production-sized data (Rosa).", or the semicolon or comma of a list written as one sentence
/// ("- validate the names (Dana);").
fn before_closing_stop(t: &str) -> &str {
    t.strip_suffix(['.', ';', ','])
        .filter(|r| r.ends_with([')', ']']))
        .unwrap_or(t)
}

/// The bracketed group closing `text` (its inside) and the text before it.
fn trailing_group(text: &str) -> Option<(&str, &str)> {
    let t = text.trim_end();
    let t = before_closing_stop(t);
    let (t, emphasis) = match t.strip_suffix(['_', '*']) {
        Some(r) if r.ends_with([')', ']']) => (r, true),
        _ => (t, false),
    };
    let (open, close) = if t.ends_with(')') {
        ('(', ')')
    } else {
        ('[', ']')
    };
    let inner_end = t.strip_suffix(close)?;
    let at = inner_end.rfind(open)?;
    let mut before = &inner_end[..at];
    if emphasis {
        before = before.trim_end_matches(['_', '*']);
    }
    Some((&inner_end[at + 1..], before))
}

/// Reads one bracketed group into `f`; false (and `f` as it was) unless every part is a field.
fn group_fields(inner: &str, f: &mut Fields) -> bool {
    if let Some((owner, due)) = inner.split_once(',')
        && let Some(found) = owner_then_due(owner, due)
    {
        f.owner = f.owner.take().or(found.owner);
        f.due = f.due.take().or(found.due);
        return true;
    }
    let mut g = Fields::default();
    let mut names = Vec::new();
    for part in inner.split([',', ';']) {
        let part = part.trim();
        if part.is_empty() {
            return false;
        }
        // "due 2023-10-20" and "by 2023-10-20" need no colon, nor does "owner @rcosta".
        let date = after_due_words(part);
        let unlabelled_due = (date.len() < part.len()).then_some(("due", date));
        let named = unlabelled_owner(part);
        let unlabelled_owner = named.as_deref().map(|o| ("owner", o));
        if let Some((k, v)) = part.split_once(':').or(unlabelled_due).or(unlabelled_owner) {
            // "**owner:** x": the emphasis closes after the colon.
            let v = v.trim().trim_start_matches(['*', '_']).trim_start();
            let read = !v.is_empty()
                && match field_key(k) {
                    Some("owner") => g.owner.replace(v.to_string()).is_none(),
                    Some("due") => g.due.replace(normalize_due(v)).is_none(),
                    Some("status") => parse_status(v).is_some_and(|st| {
                        g.status = Some(st);
                        true
                    }),
                    Some("kind") => parse_kind(v).is_some_and(|k| {
                        g.kind = Some(k);
                        true
                    }),
                    Some(_) => g.tracker.replace(v.to_string()).is_none(),
                    None => false,
                };
            if !read {
                return false;
            }
        } else if let Some(who) = done_by(part) {
            // "(done by Chen)": done, and by whom.
            g.status = Some(ActionStatus::Done);
            g.owner = Some(who.to_string());
        } else if let Some(st) = parse_status(part) {
            g.status = Some(st);
        } else if tracker(part).is_some_and(|t| t == part) {
            g.tracker = Some(part.to_string());
        } else if part.starts_with('@') && !part.contains(char::is_whitespace) && part.len() > 1 {
            g.owner = Some(part.to_string());
        } else if is_short_name(part) || names_a_team(part) {
            names.push(part);
        } else {
            return false;
        }
    }
    // A name alone is too easily part of the text ("(see Grafana)"); beside another field it
    // is the owner.
    let other = g.due.is_some() || g.status.is_some() || g.tracker.is_some() || g.kind.is_some();
    match names[..] {
        [] => {}
        [name] if g.owner.is_none() && other => g.owner = Some(name.to_string()),
        _ => return false,
    }
    f.owner = f.owner.take().or(g.owner);
    f.due = f.due.take().or(g.due);
    f.status = f.status.or(g.status);
    f.kind = f.kind.or(g.kind);
    f.tracker = f.tracker.take().or(g.tracker);
    true
}

/// "done by Chen", "completed by @lena": who did an item already done.
fn done_by(part: &str) -> Option<&str> {
    let (done, who) = part.split_once(" by ")?;
    let who = who.trim();
    (["done", "completed", "fixed", "finished"]
        .iter()
        .any(|d| done.trim().eq_ignore_ascii_case(d))
        && (is_short_name(who) || (who.starts_with('@') && !who.contains(char::is_whitespace))))
    .then_some(who)
}

/// Reads metadata from an item's free text and returns the text without it.
pub fn inline_fields(text: &str) -> (Fields, String) {
    let mut f = Fields::default();
    let mut t = text.trim().to_string();
    // "TODO(sam): add a canary", as code comments assign work; "DONE(sam): ..." once it is done.
    if let Some((status, who, rest)) =
        [("TODO(", ActionStatus::Open), ("DONE(", ActionStatus::Done)]
            .into_iter()
            .find_map(|(lead, status)| {
                let (who, rest) = t.strip_prefix(lead)?.split_once("):")?;
                Some((status, who, rest))
            })
            .filter(|(_, who, _)| {
                !who.is_empty() && who.len() <= 40 && !who.contains(char::is_whitespace)
            })
    {
        f.owner = Some(who.to_string());
        f.status = Some(status);
        t = rest.trim().to_string();
    }
    // "**Add canary deploys.** Owner: Sam. Due: ...": a bold lead sentence, then its details,
    // read as the sentences they are.
    if let Some((lead, after)) = t
        .strip_prefix("**")
        .and_then(|r| r.split_once(".** "))
        .filter(|(lead, _)| !lead.is_empty() && !lead.contains("**"))
    {
        t = format!("{lead}. {after}");
    }
    if let Some((tf, rest)) = trailing_fields(&t) {
        f = Fields {
            owner: f.owner.or(tf.owner),
            ..tf
        };
        t = rest;
    }
    // "Fix X — Owner: @a — Due: 2024-05-01", "Fix X | owner: a", "Fix X. Owner: Alex Rivera.
    // Due: 2022-09-15.", "Fix X -- owner: a", "Fix X, owner: a", "**Fix X** · owner: a"
    for (mark, sep) in [
        ('—', " — "),
        ('–', " – "),
        ('|', " | "),
        ('·', " · "),
        ('•', " • "),
        (';', "; "),
        ('-', " -- "),
        ('-', " -> "),
        ('→', " → "),
        ('-', " - "),
        ('.', ". "),
        (',', ", "),
    ] {
        // The separator's own character is looked for first: one fast byte search, where a
        // phrase search costs a set-up.
        if !t.contains(mark) || !t.contains(sep) {
            continue;
        }
        let mut parts: Vec<String> = t.split(sep).map(str::to_string).collect();
        // "Add checks — Sam Ortiz — PLAT-9": a ticket alone closing the item is its tracker,
        // and the fields before it are read as if it were not there; "— Unassigned —" names
        // no one.
        if parts.len() >= 3
            && f.tracker.is_none()
            && matches!(sep, " — " | " – " | " | " | " - " | " -- ")
        {
            let last = parts.last().map_or("", |p| p.trim());
            if tracker(last).is_some_and(|r| r == last) {
                f.tracker = Some(last.to_string());
                parts.pop();
            }
        }
        if parts.len() >= 2
            && f.owner.is_none()
            && parts.last().is_some_and(|p| names_no_one(p.trim()))
        {
            parts.pop();
        }
        // "Fix X — Sam Lee — 2024-12-20": a name and a due date, unlabelled, end the item.
        if parts.len() >= 3
            && f.owner.is_none()
            && f.due.is_none()
            && let [.., owner, due] = &parts[..]
            && let Some(found) = owner_then_due(owner, due)
        {
            f.owner = found.owner;
            f.due = found.due;
            parts.truncate(parts.len() - 2);
        }
        // "Fix X — Sofia, 2022-10-15", "Fix X -- Amara, by 2024-06-30": the name and the
        // date in one part.
        if parts.len() >= 2
            && f.owner.is_none()
            && f.due.is_none()
            && let Some((owner, due)) = parts.last().and_then(|p| p.rsplit_once(", "))
            && let Some(found) = owner_then_due(owner, due)
        {
            f.owner = found.owner;
            f.due = found.due;
            parts.pop();
        }
        // "Add a canary → Sam": an arrow points at whoever takes the item.
        if matches!(sep, " → " | " -> ")
            && parts.len() == 2
            && f.owner.is_none()
            && let Some(last) = parts.last().map(|p| lines::strip_emphasis(p))
            && (is_short_name(&last) || names_a_team(&last))
        {
            f.owner = Some(last);
            parts.pop();
        }
        // "Rotate the keys — Priya", "... — Security team": a given name or a team alone
        // closing the item is its owner.
        if matches!(sep, " — " | " – " | " - " | " -- ")
            && parts.len() >= 2
            && f.owner.is_none()
            && let Some(last) = parts.last().map(|p| lines::strip_emphasis(p))
            && ((is_short_name(&last) && given_name_first(&last)) || names_a_team(&last))
        {
            f.owner = Some(last);
            parts.pop();
            // "Add a disk alert. Owner - Sam": the label before the dash goes with the name.
            if let Some(before) = parts.last_mut()
                && let Some(kept) = strip_suffix_ci(before.trim_end(), "owner")
                && kept.ends_with(['.', ',', ';', ' '])
            {
                *before = kept.trim_end().to_string();
            }
        }
        // "Canary the configs — @nadia": a handle alone closing the item is its owner.
        if parts.len() >= 2
            && f.owner.is_none()
            && let Some(last) = parts.last().map(|p| lines::strip_emphasis(p))
            && last.starts_with('@')
            && last.len() > 1
            && !last.contains(char::is_whitespace)
        {
            f.owner = Some(last);
            parts.pop();
        }
        let mut kept = Vec::new();
        for (pi, p) in parts.iter().enumerate() {
            // "owner: Sam, due 2024-05-01": several fields in one part.
            if pi > 0 && (p.contains(", ") || p.contains("; ")) && group_fields(p, &mut f) {
                continue;
            }
            let known = if pi == 0 {
                None
            } else {
                p.split_once(':')
                    .and_then(|(k, v)| {
                        let key = field_key(&lines::strip_emphasis(k))?;
                        // "**Owner:** Iris": the key's emphasis closes after the colon.
                        let k = k.trim_start();
                        let marks = &k[..k.len() - k.trim_start_matches(['*', '_']).len()];
                        let v = match v.trim_start().strip_prefix(marks) {
                            Some(rest) if !marks.is_empty() => rest,
                            _ => v,
                        };
                        // A sentence's full stop is not part of the value ("Owner: Sam Patel.").
                        let v = lines::strip_emphasis(v.trim_end().trim_end_matches('.'));
                        (!v.is_empty()).then_some((key, v))
                    })
                    .or_else(|| unlabelled_owner(p).map(|o| ("owner", o)))
                    .or_else(|| unlabelled_due(p).map(|d| ("due", d)))
            };
            match known {
                Some((key, v)) => match key {
                    // "Owner: TBD" names no one; the field is read all the same.
                    "owner" => {
                        f.owner = f.owner.take().or(Some(v).filter(|v| !names_no_one(v)));
                    }
                    "due" => f.due = f.due.take().or(Some(normalize_due(&v))),
                    "status" => f.status = f.status.or(parse_status(&v)),
                    "kind" => f.kind = f.kind.or(parse_kind(&v)),
                    _ => f.tracker = f.tracker.take().or(Some(v)),
                },
                None => kept.push(p.clone()),
            }
        }
        t = kept.join(sep);
    }
    // "~~Roll back the timeout~~ done": struck through, then its status.
    if let Some(inner) = t.strip_prefix("~~")
        && let Some((struck, after)) = inner.split_once("~~")
    {
        let after = after
            .trim()
            .trim_matches(['(', ')', '[', ']', '-', '—', ' ', '.']);
        if !struck.trim().is_empty() && (after.is_empty() || parse_status(after).is_some()) {
            f.status = f
                .status
                .or(parse_status(after))
                .or(Some(ActionStatus::Done));
            t = format!("~~{struck}~~");
        }
    }
    // "TODO: document the build", "Action: review the retention": a label naming the item
    // itself says nothing the list does not.
    if let Some((label, rest)) = t.split_once(':')
        && !rest.trim().is_empty()
        && label.len() <= 11
    {
        let label = label.trim().to_ascii_lowercase();
        let todo = matches!(label.as_str(), "todo" | "to do");
        let done = label == "done";
        if todo
            || done
            || matches!(
                label.as_str(),
                "action" | "action item" | "ai" | "follow-up" | "follow up"
            )
        {
            if todo {
                f.status = f.status.or(Some(ActionStatus::Open));
            }
            if done {
                f.status = f.status.or(Some(ActionStatus::Done));
            }
            t = rest.trim_start().to_string();
        }
    }
    // "[INFRA-90](https://...) Move caches": the ticket linked first is the tracker, not text.
    if let Some(rest) = t.strip_prefix('[')
        && let Some((key, after)) = rest.split_once("](")
        && let Some((_, text)) = after.split_once(')')
        && !text.trim().is_empty()
        && tracker(key).is_some_and(|k| k == key)
    {
        f.tracker = f.tracker.take().or_else(|| Some(key.to_string()));
        t = text
            .trim_start_matches([' ', '-', '—', '–', ':'])
            .to_string();
    }
    // Status words.
    if f.status.is_none() {
        let b = t.as_bytes();
        let starts = |p: &str| {
            b.get(..p.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
        };
        let ends = |p: &str| {
            b.len() >= p.len() && b[b.len() - p.len()..].eq_ignore_ascii_case(p.as_bytes())
        };
        if t.contains('✅')
            || t.contains('☑')
            || t.contains('✔')
            || ends("(done)")
            || ends("[done]")
            || starts("done:")
            || ends("- done")
            || ends("(completed)")
            || (t.starts_with("~~") && t.ends_with("~~"))
        {
            f.status = Some(ActionStatus::Done);
        } else if ends("(in progress)") || ends("[in progress]") || ends("(wip)") || starts("wip:")
        {
            f.status = Some(ActionStatus::InProgress);
        }
    }
    // "[Ana] Run migrations outside the window": a name in brackets opening the item (an owner
    // labelled elsewhere in the item wins).
    if let Some((name, rest)) = bracketed_owner(&t) {
        f.owner = f.owner.take().or_else(|| Some(name.to_string()));
        t = rest.to_string();
    }
    // "Omar: add a test for zero-decimal currencies": a given name (or two names, a handle or
    // a team: "Platform team: move the job") opening the item before a colon.
    if let Some((name, rest)) = t.split_once(':')
        && f.owner.is_none()
        && !rest.trim().is_empty()
    {
        let name = name.trim();
        let owner = if person_named(name)
            || (name.starts_with('@') && !name.contains(' '))
            || names_a_team_by_its_initials(name)
        {
            Some(name.to_string())
        } else {
            subject_team(name)
        };
        if owner.is_some() {
            f.owner = owner;
            t = rest.trim_start().to_string();
        }
    }
    // "Dave will tune the thresholds", "Priya to add an alert", "The platform team will add an
    // alert": a given name or a team opening the item as its subject is its owner; the
    // sentence stays as written.
    if f.owner.is_none()
        && let Some((name, _)) = [" will ", " to "]
            .iter()
            .find_map(|w| t.split_once(w).filter(|(n, _)| !n.is_empty()))
        && let name = lines::strip_emphasis(name)
    {
        if person_named(&name) {
            // "**Sam** will add a disk alert": the name emphasised.
            f.owner = Some(name.clone());
        } else if let Some(team) = subject_team(&name) {
            f.owner = Some(team);
        } else if let Some(team) = team_by_its_initials(&name) {
            // "SRE to review the thresholds", "The DBAs will add an index".
            f.owner = Some(team.to_string());
        }
    }
    // "Add a disk alert <@sam>": a chat mention closing the item is its owner.
    if f.owner.is_none()
        && let Some(before) = t.trim_end().strip_suffix('>')
        && let Some((kept, name)) = before.rsplit_once("<@")
        && !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !kept.trim().is_empty()
    {
        f.owner = Some(format!("@{name}"));
        t = kept.trim_end().to_string();
    }
    // @handle as owner; a handle closing the item ("Smoke test the page @mira", "... (@mira)")
    // is taken off its text.
    if f.owner.is_none() {
        f.owner = handle(&t);
        // "... @Leila Haddad 22 Jul 2026": a date after the mention closing the item is when
        // it is due.
        if let Some(h) = &f.owner
            && f.due.is_none()
            && let Some((before, after)) = t.rsplit_once(h.as_str())
            && time::is_date_alone(after.trim())
        {
            f.due = Some(normalize_due(after.trim()));
            t = format!("{before}{h}");
        }
        if let Some(h) = &f.owner
            && let Some(before) = t.trim_end().strip_suffix(h.as_str()).or_else(|| {
                t.trim_end()
                    .strip_suffix(')')
                    .and_then(|r| r.strip_suffix(h.as_str()))
                    .and_then(|r| r.strip_suffix('('))
            })
            && before.ends_with(char::is_whitespace)
        {
            let kept = before.trim_end_matches([' ', '\t', ',', ';', '-', '—', '–']);
            if !kept.is_empty() {
                t = kept.to_string();
            }
        }
    }
    // Ticket reference; one closing the item after a dash, a bar or a colon ("Lint migrations -
    // https://gitlab.com/org/app/-/issues/4512", "... — OPS-12", "...: https://...") is taken
    // off its text.
    if f.tracker.is_none() {
        f.tracker = tracker(&t);
        if let Some(r) = &f.tracker
            && let Some(before) = t.trim_end().strip_suffix(r.as_str())
            && let Some(kept) = before.trim_end().strip_suffix(['-', '—', '–', '|', ':'])
            && !kept.trim().is_empty()
        {
            t = kept.trim_end().to_string();
        }
    }
    // Due "by 2024-05-01" / "due May 1".
    static DUE_WORDS: crate::text::Phrases =
        crate::text::Phrases::new(&[" by ", " due ", " before ", " until "]);
    if f.due.is_none() && DUE_WORDS.any_in(&t) {
        let lower = t.to_ascii_lowercase();
        for kw in [" by ", " due ", " before ", " until "] {
            if let Some(pos) = lower.find(kw) {
                let after = &t[pos + kw.len()..];
                if let Some((p, _)) = time::stamp_prefix(after)
                    && let Some(d) = p.date
                {
                    f.due = Some(match d.with_year(None) {
                        Some(full) => full.to_string(),
                        None => format!("{:02}-{:02}", d.month, d.day),
                    });
                    break;
                }
            }
        }
    }
    // Trimmed in place (the text is already owned).
    let kept = t.trim();
    if kept.len() != t.len() {
        t = kept.to_string();
    }
    (f, t)
}

/// "Add request coalescing (Ibrahim)", "Add a queue alert - Ola": the text and a name closing
/// it, in brackets or after a dash, one to three capitalised words of letters (not a priority
/// or a status: "- High", "- Done"), and whether it was in brackets.
fn owner_named_closing(text: &str) -> Option<(&str, &str, bool)> {
    let t = text.trim_end();
    let t = before_closing_stop(t);
    // "— Ravi (DRI)", "- Ana (owner)": the name's role written after it.
    let t = ["(dri)", "(owner)", "(lead)", "(responsible)"]
        .iter()
        .find_map(|role| strip_suffix_ci(t, role))
        .map_or(t, str::trim_end);
    let (before, name, bracketed) = match t
        .strip_suffix(')')
        .map(|i| (i, '('))
        .or_else(|| t.strip_suffix(']').map(|i| (i, '[')))
    {
        Some((inner, open)) => {
            let open = inner.rfind(open)?;
            (inner[..open].trim_end(), inner[open + 1..].trim(), true)
        }
        None => {
            let (before, name) = [" - ", " -- ", " \u{2014} ", " \u{2013} "]
                .iter()
                .filter_map(|d| t.rsplit_once(d))
                .max_by_key(|(before, _)| before.len())?;
            let flag = [
                "high", "medium", "low", "critical", "urgent", "done", "open", "closed",
            ];
            if name.split_whitespace().any(|w| {
                flag.iter().any(|f| w.eq_ignore_ascii_case(f)) || parse_status(w).is_some()
            }) {
                return None;
            }
            // "... to 4 — *Platform*": the name in emphasis.
            (
                before.trim_end(),
                name.trim().trim_matches(['*', '_']),
                false,
            )
        }
    };
    ((is_short_name(name) || names_a_team(name) || (bracketed && lowercase_handle(name)))
        && !before.is_empty())
    .then_some((before, name, bracketed))
}

/// A name typed in lowercase, as chat handles are ("(jan)", "(mo)"): one word of letters that is
/// no status, priority or remark ("(done)", "(optional)", "(later)"). Only a list whose every
/// item closes so gives owners this way.
fn lowercase_handle(name: &str) -> bool {
    (2..=15).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_lowercase())
        && parse_status(name).is_none()
        && !names_no_one(name)
        && ![
            "optional", "later", "maybe", "wip", "ongoing", "high", "medium", "low", "critical",
            "urgent", "done", "todo", "blocked", "pending", "now", "soon", "again", "etc",
        ]
        .contains(&name)
}

/// `s` without `prefix` (lowercase ASCII) at its start, ignoring ASCII case.
fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    s.get(..prefix.len())
        .filter(|head| head.eq_ignore_ascii_case(prefix))
        .map(|_| &s[prefix.len()..])
}

/// `s` without `suffix` (lowercase ASCII) at its end, ignoring ASCII case.
fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let at = s.len().checked_sub(suffix.len())?;
    s.get(at..)
        .filter(|tail| tail.eq_ignore_ascii_case(suffix))
        .map(|_| &s[..at])
}

/// "Unassigned", "TBD", "None", "*unowned*": an owner's place left empty.
fn names_no_one(part: &str) -> bool {
    let part = lines::strip_emphasis(part);
    [
        "unassigned",
        "unowned",
        "tbd",
        "tba",
        "tbc",
        "none",
        "n/a",
        "nobody",
        "no owner",
    ]
    .iter()
    .any(|w| part.trim().eq_ignore_ascii_case(w))
}

/// A word in capitals ("API", "DNS"): a product or a system, not a person.
fn is_acronym(name: &str) -> bool {
    name.len() > 1 && !name.contains(char::is_lowercase)
}

/// Whether a name closing an item may be its owner: a name, a team known by its initials
/// ("SRE") or a person's initials ("JD", "MKO"), not a system's acronym ("API", "DNS") or a
/// zone ("UTC").
fn may_own(name: &str) -> bool {
    !is_acronym(name) || names_a_team_by_its_initials(name) || initials(name)
}

/// A person's initials: two or three capitals that name no system, protocol or zone.
fn initials(name: &str) -> bool {
    const SYSTEMS: &[&str] = &[
        "ACL", "ADR", "AKS", "ALB", "AMI", "API", "AWS", "AZ", "CD", "CDN", "CI", "CPU", "CSS",
        "CSV", "CVE", "DB", "DC", "DNS", "DOS", "DR", "EBS", "ECS", "EKS", "ELB", "ETL", "GC",
        "GCP", "GCS", "GKE", "GPU", "HA", "IAM", "IO", "IP", "JS", "JVM", "KMS", "LB", "MR", "NAT",
        "NFS", "NLB", "OOM", "OS", "PDF", "PR", "RAM", "RDS", "RFC", "SDK", "SES", "SLA", "SLI",
        "SLO", "SNS", "SQL", "SQS", "SSD", "SSH", "SSL", "SSO", "TCP", "TLS", "UDP", "UI", "URL",
        "UX", "VM", "VPC", "VPN", "WAF",
    ];
    (2..=3).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_uppercase())
        && !SYSTEMS.contains(&name)
        && crate::time::zone_from_abbreviation(name).is_none()
}

/// A person named in one or two capitalised words, the first a common given name: "Omar",
/// "Sam Lee" (not "Grace period").
fn person_named(name: &str) -> bool {
    name.split_whitespace().count() <= 2
        && given_name_first(name)
        && name
            .split_whitespace()
            .all(|w| w.starts_with(char::is_uppercase))
}

/// A name whose first word is a common given name: "Priya", "Carlos Ruiz".
fn given_name_first(name: &str) -> bool {
    name.split_whitespace()
        .next()
        .is_some_and(crate::lint::blame::is_given_name)
}

/// A team's name: two to four words of letters, one of them a word for a group of people at
/// work ("Team Storage", "SRE team", "Platform Squad", "Ops guild", "IT service desk", "SRE
/// on-call", "IT infrastructure"); not words about teams ("every team", "across the team", "with each squad").
fn names_a_team(s: &str) -> bool {
    const NOT_A_NAME: [&str; 26] = [
        "the", "a", "an", "each", "every", "per", "all", "any", "other", "another", "one", "no",
        "our", "your", "their", "this", "that", "whole", "across", "for", "with", "by", "to", "of",
        "in", "on",
    ];
    let words: Vec<&str> = s.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && !words
            .iter()
            .any(|w| NOT_A_NAME.iter().any(|n| w.eq_ignore_ascii_case(n)))
        && words
            .iter()
            .all(|w| w.chars().all(|c| c.is_alphabetic() || c == '&' || c == '-'))
        && words.iter().any(|w| is_group_word(w))
}

/// A word for a group of people at work: "team", "squad", "ops", "on-call", "infrastructure".
fn is_group_word(w: &str) -> bool {
    [
        "team",
        "squad",
        "guild",
        "crew",
        "tribe",
        "chapter",
        "department",
        "dept",
        "committee",
        "ops",
        "desk",
        "comms",
        "on-call",
        "oncall",
        "infrastructure",
        "infra",
        "operations",
        "engineering",
        "support",
        "security",
    ]
    .iter()
    .any(|t| w.eq_ignore_ascii_case(t))
}

/// The team a sentence's subject names: "The platform team" (will add ...), "The IPS team is
/// continuing" (to improve ...): the team's words up to its group word, after which only a
/// helping verb may stand. Not "Improve team response time".
fn subject_team(subject: &str) -> Option<String> {
    const HELPING: [&str; 9] = [
        "is",
        "are",
        "has",
        "have",
        "continues",
        "continuing",
        "going",
        "plans",
        "intends",
    ];
    let words: Vec<&str> = subject.split_whitespace().collect();
    let words = match words.first() {
        Some(w) if ["the", "our"].iter().any(|a| w.eq_ignore_ascii_case(a)) => &words[1..],
        _ => &words[..],
    };
    (1..words.len().min(4)).find_map(|k| {
        let team = words[..=k].join(" ");
        (is_group_word(words[k])
            && names_a_team(&team)
            && words[k + 1..]
                .iter()
                .all(|w| HELPING.iter().any(|h| w.eq_ignore_ascii_case(h))))
        .then_some(team)
    })
}

/// A team known by its initials, as teams name themselves ("SRE", "the DBAs", "QA", "IT",
/// "DevOps"); not a vendor or a system ("AWS", "API", "UI").
fn names_a_team_by_its_initials(name: &str) -> bool {
    team_by_its_initials(name).is_some()
}

/// The team's initials [`names_a_team_by_its_initials`] finds, without the article ("the
/// DBAs" is "DBAs").
fn team_by_its_initials(name: &str) -> Option<&str> {
    let name = name.trim();
    let name = name
        .strip_prefix("The ")
        .or_else(|| name.strip_prefix("the "))
        .unwrap_or(name);
    [
        "SRE", "SREs", "DBA", "DBAs", "QA", "IT", "NOC", "SOC", "DevOps", "SecOps", "NetOps",
        "ITOps", "CSIRT", "PMO", "Ops",
    ]
    .contains(&name)
    .then_some(name)
}

/// One to three capitalised words of letters (an initial's full stop allowed): "Ibrahim",
/// "K. Osei", "SRE". A name as people write one in brackets beside an item.
fn is_short_name(s: &str) -> bool {
    let words = s.split_whitespace();
    (1..=3).contains(&words.clone().count())
        && words.into_iter().all(|w| {
            w.starts_with(char::is_uppercase) && w.chars().all(|c| c.is_alphabetic() || c == '.')
        })
}

/// "owner K. Osei", "owned by the data team": an owner named without a colon, in a part of its
/// own; a name of at most four words, no digits.
fn unlabelled_owner(part: &str) -> Option<String> {
    let t = lines::strip_emphasis(part.trim());
    let lower = t.to_ascii_lowercase();
    // "owner - Wei": a dash may stand for the colon.
    let name = ["owner ", "owned by ", "assigned to ", "assignee "]
        .iter()
        .find_map(|p| lower.starts_with(p).then(|| t[p.len()..].trim()))?
        .trim_start_matches(['-', '\u{2013}', '\u{2014}'])
        .trim_start();
    let words = name.split_whitespace().count();
    ((1..=4).contains(&words) && !name.contains(|c: char| c.is_ascii_digit()))
        .then(|| name.trim_end_matches('.').to_string())
}

/// "Due 2024-03-29", "by May 1": a due date named without a colon, in a part of its own.
fn unlabelled_due(part: &str) -> Option<String> {
    // "Due 28/02/2025.": the sentence's full stop is not the date's.
    let t = lines::strip_emphasis(part.trim().trim_end_matches('.'));
    let date = after_due_words(&t);
    if date.len() == t.len() {
        return None;
    }
    time::is_date_alone(date).then(|| date.to_string())
}

/// A name or team in brackets opening an item ("[Ana] ...", "[Ravi Shah] ...", "[SRE] ...",
/// "[Search team] ..."): a short name ([`is_short_name`]) or a team ending with its group word;
/// not a checkbox, a status ("[DONE]"), a priority ("[P1]") or a category ("[Security review]").
fn bracketed_owner(t: &str) -> Option<(&str, &str)> {
    // "**[Jonas]** Read the URL from configuration": the brackets in emphasis.
    let (inside, rest) = t
        .trim_start_matches(['*', '_'])
        .strip_prefix('[')?
        .split_once(']')?;
    let rest = rest.trim_start_matches(['*', '_']).trim_start();
    let team = || {
        names_a_team(inside)
            && inside
                .split_whitespace()
                .next_back()
                .is_some_and(is_group_word)
    };
    // "[x]" is a checkbox; a status is no owner.
    let named = (is_short_name(inside) || team())
        && inside.trim().len() > 1
        && ![
            "DONE", "TODO", "WIP", "BLOCKED", "OPEN", "CLOSED", "FIXED", "NEW",
        ]
        .iter()
        .any(|s| inside.eq_ignore_ascii_case(s));
    (named && !rest.is_empty() && !rest.starts_with('(')).then_some((inside, rest))
}

/// A tracker's cell, which may close with the item's status ("SRCH-101 **DONE**", "n/a
/// **TODO**"): the tracker's id (none for "n/a") and the status.
fn tracker_cell(cell: String) -> (Option<String>, Option<ActionStatus>) {
    // "**DONE**" alone: a status where the reference would be.
    if let Some(status) = parse_status(&cell) {
        return (None, Some(status));
    }
    let Some((id, status)) = cell
        .rsplit_once(' ')
        .and_then(|(id, st)| Some((id.trim(), parse_status(&lines::strip_emphasis(st))?)))
    else {
        return (Some(cell), None);
    };
    let none = id.is_empty() || id == "-" || id.eq_ignore_ascii_case("n/a");
    ((!none).then(|| id.to_string()), Some(status))
}

/// A cell or field naming an owner, without the brackets some write around it ("[Ines]").
fn unbracketed(owner: String) -> String {
    match owner.strip_prefix('[').and_then(|o| o.strip_suffix(']')) {
        Some(inner) if !inner.trim().is_empty() && !inner.contains(['[', ']']) => {
            inner.trim().to_string()
        }
        _ => owner,
    }
}

/// An unlabelled owner and due date (`Sam Lee`, `due 2024-12-20`): the date, after an optional
/// "due" or "by", is all of its part, and the owner is a handle, or one to four words that
/// start with a capital letter and hold no digit (a person, "Search team"). Without the date
/// a trailing name is too easily part of the text ("Upgrade - Phase Two").
fn owner_then_due(owner: &str, due: &str) -> Option<Fields> {
    let due = lines::strip_emphasis(due);
    let date = after_due_words(&due);
    // "by 3/15": a day of the year as people write it beside a task.
    let dated = time::is_date_alone(date)
        || short_numeric_date(date)
        || names_a_quarter(date)
        || names_a_near_deadline(date);
    if !dated {
        return None;
    }
    let owner = lines::strip_emphasis(owner);
    let words: Vec<&str> = owner.split_whitespace().collect();
    let handle = owner.starts_with('@') && words.len() == 1;
    let name = (1..=4).contains(&words.len())
        && words[0].starts_with(char::is_uppercase)
        && !owner.contains(|c: char| c.is_ascii_digit() || matches!(c, ':' | '.' | '(' | ')'));
    let named = handle || name;
    named.then(|| Fields {
        owner: Some(owner.clone()),
        due: Some(normalize_due(date)),
        ..Fields::default()
    })
}

/// A quarter or half of a year as a deadline: "Q3", "Q3 2024", "2025-Q1", "FY25 Q2", "H2",
/// "end of Q4".
fn names_a_quarter(s: &str) -> bool {
    let t = s.trim();
    // "by" is taken off before, with "due" ([`after_due_words`]).
    let t = strip_prefix_ci(t, "end of ").unwrap_or(t);
    let parts: Vec<&str> = t.split([' ', '-', '/']).filter(|p| !p.is_empty()).collect();
    let quarter = |p: &&str| {
        let b = p.as_bytes();
        b.len() == 2
            && match b[0].to_ascii_uppercase() {
                b'Q' => (b'1'..=b'4').contains(&b[1]),
                b'H' => (b'1'..=b'2').contains(&b[1]),
                _ => false,
            }
    };
    let year = |p: &&str| {
        let digits = p
            .strip_prefix("FY")
            .or_else(|| p.strip_prefix("fy"))
            .unwrap_or(p);
        matches!(digits.len(), 2 | 4)
            && digits.bytes().all(|c| c.is_ascii_digit())
            && (digits.len() == 4 || digits.len() < p.len())
    };
    parts.len() <= 2
        && parts.iter().filter(|p| quarter(p)).count() == 1
        && parts.iter().all(|p| quarter(p) || year(p))
}

/// A deadline counted from now, as a team writes it beside a task: "this week", "next
/// sprint", "end of month", "EOW", "ASAP".
fn names_a_near_deadline(s: &str) -> bool {
    let t = s.trim().to_ascii_lowercase();
    if let Some(period) = t.strip_prefix("end of ") {
        let period = period.strip_prefix("the ").unwrap_or(period);
        return matches!(
            period,
            "day" | "week" | "month" | "sprint" | "quarter" | "year"
        );
    }
    matches!(
        t.as_str(),
        "today"
            | "tomorrow"
            | "this week"
            | "next week"
            | "this sprint"
            | "next sprint"
            | "this month"
            | "next month"
            | "this quarter"
            | "next quarter"
            | "eod"
            | "eow"
            | "eom"
            | "eoq"
            | "asap"
    )
}

/// "3/15" or "15/3": a month and a day (or a day and a month) in figures, without a year.
fn short_numeric_date(s: &str) -> bool {
    let Some((a, b)) = s.split_once('/') else {
        return false;
    };
    let number = |x: &str| {
        (1..=2).contains(&x.len())
            && x.bytes().all(|c| c.is_ascii_digit())
            && x.parse::<u8>().is_ok_and(|n| n >= 1)
    };
    number(a) && number(b) && {
        let (a, b) = (a.parse::<u8>().unwrap_or(0), b.parse::<u8>().unwrap_or(0));
        (a <= 12 && b <= 31) || (b <= 12 && a <= 31)
    }
}

/// A due date without the words before it: "due by 2024-12-20", "due 2024-12-20" and
/// "by 2024-12-20" give "2024-12-20"; anything else is returned whole.
fn after_due_words(s: &str) -> &str {
    let mut rest = s;
    for word in ["due ", "by "] {
        if let Some(after) = strip_prefix_ci(rest, word) {
            rest = after.trim_start();
        }
    }
    rest
}

fn handle(t: &str) -> Option<String> {
    let b = t.as_bytes();
    for i in memchr::memchr_iter(b'@', b) {
        if i == 0 || matches!(b[i - 1], b' ' | b'(' | b'[' | b',') {
            let rest = &t[i + 1..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
                .unwrap_or(rest.len());
            let name = rest[..end].trim_end_matches('.');
            if !name.is_empty() && !rest[end..].starts_with('@') {
                // "@Leila Haddad": a mention by full name (as wikis and chat tools write one), a
                // capitalised surname after a common given name, or closing the item (before
                // its due date, if any).
                let after = rest[end..].strip_prefix(' ').unwrap_or("");
                let surname = after
                    .split([' ', ',', ')', ']'])
                    .next()
                    .filter(|w| {
                        w.len() > 1
                            && name.starts_with(char::is_uppercase)
                            && w.starts_with(char::is_uppercase)
                            && w.chars().all(|c| c.is_alphabetic() || c == '-')
                            && !is_acronym(w)
                    })
                    .filter(|w| {
                        let tail = after[w.len()..].trim();
                        crate::lint::blame::is_given_name(name)
                            || tail.is_empty()
                            || time::is_date_alone(tail)
                    });
                return Some(match surname {
                    Some(s) => format!("@{name} {s}"),
                    None => format!("@{name}"),
                });
            }
        }
    }
    None
}

fn tracker(t: &str) -> Option<String> {
    // Every reference has a `-` (`OPS-123`), a `#` (`#123`) or is a link.
    if memchr::memchr2(b'-', b'#', t.as_bytes()).is_none()
        && memchr::memmem::find(t.as_bytes(), b"http").is_none()
    {
        return None;
    }
    for word in
        t.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '[' | ']' | ',' | ';'))
    {
        let w = word.trim_end_matches(['.', ':']);
        if (w.starts_with("http://") || w.starts_with("https://"))
            && [
                "/issues/",
                "/pull/",
                "/browse/",
                "/tickets/",
                "/ticket/",
                "/jira/",
                "/-/issues/",
                "/merge_requests/",
            ]
            .iter()
            .any(|p| w.contains(p))
        {
            return Some(w.to_string());
        }
        if let Some((prefix, num)) = w.split_once('-')
            && (2..=10).contains(&prefix.len())
            && prefix.chars().all(|c| c.is_ascii_uppercase())
            && !num.is_empty()
            && num.chars().all(|c| c.is_ascii_digit())
        {
            return Some(w.to_string());
        }
        if let Some(num) = w.strip_prefix('#')
            && !num.is_empty()
            && num.len() <= 7
            && num.chars().all(|c| c.is_ascii_digit())
        {
            return Some(w.to_string());
        }
    }
    None
}

fn checkbox(s: &str) -> (Option<ActionStatus>, &str) {
    for (p, st) in [
        ("[x] ", ActionStatus::Done),
        ("[X] ", ActionStatus::Done),
        ("[ ] ", ActionStatus::Open),
        ("[-] ", ActionStatus::WontDo),
        ("☐ ", ActionStatus::Open),
        ("🔲 ", ActionStatus::Open),
        ("⬜ ", ActionStatus::Open),
        ("⬜\u{fe0f} ", ActionStatus::Open),
        ("☑ ", ActionStatus::Done),
        ("☑\u{fe0f} ", ActionStatus::Done),
        ("✅ ", ActionStatus::Done),
        ("✔ ", ActionStatus::Done),
        ("✔\u{fe0f} ", ActionStatus::Done),
    ] {
        if let Some(rest) = s.strip_prefix(p) {
            return (Some(st), rest);
        }
    }
    (None, s)
}

/// Builds an item from its raw text and line.
pub fn item(raw: &str, line: usize, status: Option<ActionStatus>) -> ActionItem {
    let (f, text) = inline_fields(raw);
    // "**Add a canary stage** – Sam – 2024-06-01": the item's words were emphasised whole.
    let text = match text.strip_prefix("**").and_then(|t| t.strip_suffix("**")) {
        Some(inner) if !inner.contains("**") => inner,
        _ => text.as_str(),
    };
    let text = strip_done_markers(text.trim_start_matches("~~").trim_end_matches("~~"));
    ActionItem {
        kind: f.kind.unwrap_or_else(|| classify::action_kind(&text)),
        // "- [ ] Split traffic (in progress)": the words say more than the empty box.
        status: match (status, f.status) {
            (Some(ActionStatus::Open), Some(said)) => said,
            (status, said) => status.or(said).unwrap_or_default(),
        },
        owner: f.owner,
        due: f.due,
        tracker: f.tracker,
        text,
        line,
    }
}

fn strip_done_markers(t: &str) -> String {
    // U+FE0F asks for the emoji form of the mark before it ("✔️").
    let marks = ['✅', '☑', '✔', '\u{fe0f}'];
    let mut s = t.trim().trim_matches(marks).trim();
    for suffix in [
        "- done",
        "— done",
        "(done)",
        "[done]",
        "(completed)",
        "(in progress)",
        "[in progress]",
        "(wip)",
    ] {
        let cut = s.len().saturating_sub(suffix.len());
        if s.len() >= suffix.len() && s.as_bytes()[cut..].eq_ignore_ascii_case(suffix.as_bytes()) {
            s = &s[..cut];
        }
    }
    s.trim().to_string()
}

/// A heading's text without the number that opens it ("1. Add TTL jitter", "2) Page on lag").
/// An outline's number goes too ("4.1 Move the job", "4.1. Move the job").
fn unnumbered(text: &str) -> &str {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=3).contains(&digits) {
        return text;
    }
    let mut rest = &text[digits..];
    // ".1", ".1.2": the outline's further levels (two at most; more is an address).
    for _ in 0..2 {
        let Some(after) = rest.strip_prefix('.') else {
            break;
        };
        let more = after.bytes().take_while(u8::is_ascii_digit).count();
        if !(1..=3).contains(&more) {
            break;
        }
        rest = &after[more..];
    }
    let outline = rest.len() + digits < text.len() - 1;
    let rest = rest.strip_prefix(['.', ')']).unwrap_or(rest);
    match rest.strip_prefix(' ') {
        Some(after) if outline || rest.len() < text.len() - digits => after.trim_start(),
        _ => text,
    }
}

/// Reads the items of one action-item section.
pub fn extract(section_lines: &[Line<'_>]) -> Extracted {
    // "- Ana" closing a message, apart from what comes before it: the writer's name, no item
    // (not "- Monitoring", an item of one word).
    if let Some(last) = section_lines.iter().rposition(|l| !l.blank)
        && section_lines[..last].iter().any(|l| !l.blank)
        && section_lines[last - 1].blank
        && !section_lines[last].code
        && let Some((0, lines::ListMarker::Bullet, name)) =
            lines::list_item(section_lines[last].text)
        && person_named(name.trim())
    {
        let mut got = extract(&section_lines[..last]);
        if !got.leftover.is_empty() {
            got.leftover.push('\n');
        }
        got.leftover.push_str(section_lines[last].text.trim());
        return got;
    }
    let has_list = section_lines
        .iter()
        .any(|l| !l.code && lines::list_item(l.text).is_some_and(|(_, _, r)| !r.trim().is_empty()));
    let has_table = section_lines
        .iter()
        .any(|l| !l.code && l.text.trim().starts_with('|'));
    // A section made of sub-headings (it starts with one, or has no list): each sub-heading
    // names one action, and the paragraphs and lists under it explain it.
    let first_is_heading = section_lines
        .iter()
        .find(|l| !l.blank)
        .is_some_and(|l| !l.code && lines::atx(l.text).is_some());
    // "### Short term" over a list, "### Long term" over another: headings that group the
    // items of their lists, not items themselves. So do headings over lists of checkboxes
    // ("### Infra" over "- [ ] Remove the public endpoint"): a checkbox is a task of its own.
    let listed = || {
        section_lines
            .iter()
            .filter(|l| !l.code)
            .filter_map(|l| lines::list_item(l.text))
    };
    let task_lists = listed().count() >= 2
        && listed().all(|(_, _, rest)| checkbox(rest.trim_start()).0.is_some());
    let grouped = has_list
        && (task_lists
            || section_lines
                .iter()
                .filter(|l| !l.code)
                .filter_map(|l| lines::atx(l.text))
                .all(|(_, h)| names_a_group(&lines::strip_emphasis(h.trim()))));
    let by_headings = !has_table
        && !grouped
        && (first_is_heading
            || (!has_list
                && section_lines
                    .iter()
                    .any(|l| !l.code && lines::atx(l.text).is_some())));
    let mut items: Vec<ActionItem> = Vec::new();
    let mut leftover: Vec<&str> = Vec::new();
    // (text, line, status, indent) of the item being built
    let mut cur: Option<(String, usize, Option<ActionStatus>, usize)> = None;
    let mut prev_blank = true;
    // The status a group's heading gives the items under it ("**Completed**", "### Done").
    let mut group_status: Option<ActionStatus> = None;
    let group_named = |heading: &str| {
        let plain = lines::strip_emphasis(heading.trim());
        parse_status(plain.trim_end_matches(':'))
    };
    // Whether the item being built is numbered.
    let mut cur_numbered = false;
    // Where the last numbered item at each indent stands, to know whether one follows a bullet.
    let mut last_numbered: Vec<(usize, usize)> = Vec::new();
    for (k, l) in section_lines.iter().enumerate().filter(|(_, l)| !l.code) {
        if let Some((indent, lines::ListMarker::Number, _)) = lines::list_item(l.text) {
            match last_numbered.iter_mut().find(|(at, _)| *at == indent) {
                Some(slot) => slot.1 = k,
                None => last_numbered.push((indent, k)),
            }
        }
    }

    fn flush(
        cur: &mut Option<(String, usize, Option<ActionStatus>, usize)>,
        items: &mut Vec<ActionItem>,
    ) {
        if let Some((text, line, st, _)) = cur.take()
            && !text.trim().is_empty()
        {
            items.push(item(&text, line, st));
        }
    }

    let mut i = 0;
    while i < section_lines.len() {
        let l = section_lines[i];
        i += 1;
        let t = l.text.trim();
        // "[hook]: https://github.com/...": a Markdown link's target, not an action.
        if l.code || lines::is_link_definition(l.text) {
            flush(&mut cur, &mut items);
            leftover.push(l.text);
            continue;
        }
        if t.is_empty() {
            prev_blank = true;
            if leftover.last().is_some_and(|x| !x.trim().is_empty()) {
                leftover.push("");
            }
            continue;
        }
        if t.starts_with('|') {
            flush(&mut cur, &mut items);
            let start = i - 1;
            let end = lines::table_end(section_lines, start);
            let got = table_items(&section_lines[start..end]);
            if got.is_empty() {
                leftover.extend(section_lines[start..end].iter().map(|x| x.text));
            } else {
                items.extend(got);
            }
            i = end;
            prev_blank = false;
            continue;
        }
        if let Some(rows) = bare_table(&section_lines[i - 1..]) {
            flush(&mut cur, &mut items);
            items.extend(rows_items(&rows));
            i += rows.len() - 1;
            prev_blank = false;
            continue;
        }
        if let Some((_, heading)) = lines::atx(l.text) {
            flush(&mut cur, &mut items);
            if by_headings {
                let text = lines::strip_emphasis(heading.trim());
                cur = Some((unnumbered(&text).to_string(), l.no, None, 0));
            } else {
                group_status = group_named(heading);
                leftover.push(l.text);
            }
            prev_blank = false;
            continue;
        }
        if by_headings {
            // "Owner: Amaya", "Due: 2024-06-20" under the heading: the item's fields, read as if
            // they followed a full stop; so are fields closing a sentence that explains it
            // ("Move it to ACME renewal. Owner: Zoe. Due: July 15."). Anything else explains
            // the item.
            let is_field =
                |s: &str| lines::split_label(s).is_some_and(|(k, _)| field_key(&k).is_some());
            let (fields, explains) = if is_field(t) {
                (Some(t), false)
            } else {
                let closing = t
                    .match_indices(". ")
                    .map(|(k, _)| &t[k + 2..])
                    .find(|rest| is_field(rest));
                (closing, true)
            };
            match cur.as_mut().zip(fields) {
                Some((c, fields)) => {
                    if !c.0.ends_with('.') {
                        c.0.push('.');
                    }
                    c.0.push(' ');
                    c.0.push_str(fields);
                    if explains {
                        leftover.push(l.text);
                    }
                }
                None => leftover.push(l.text),
            }
            prev_blank = false;
            continue;
        }
        match lines::list_item(l.text) {
            Some((indent, marker, rest)) => {
                let (st, rest) = checkbox(rest.trim_start());
                // Bullets between two numbered items detail the first, even unindented
                // ("1. Deeper monitoring / We plan to alert on: / - read amplification / 2. ...").
                let between_numbers = marker == lines::ListMarker::Bullet
                    && cur_numbered
                    && last_numbered.iter().any(|&(at, k)| at == indent && k >= i);
                // An item that only names a group ("1. Code reviews:") is no action: the items
                // under it are, indented or not.
                let names_a_group = |t: &str| {
                    // Short first: the item being built may have grown long.
                    t.len() <= 120 && {
                        let t = lines::strip_emphasis(t);
                        t.ends_with(':') && !t.contains(". ") && t.split_whitespace().count() <= 6
                    }
                };
                let group = cur.as_ref().is_some_and(|c| names_a_group(&c.0));
                let under_group = group && cur_numbered && marker == lines::ListMarker::Bullet;
                let mut nested = cur.as_ref().is_some_and(|c| indent > c.3 + 1)
                    || between_numbers
                    || under_group;
                if nested && group {
                    if let Some(group) = cur.take()
                        && let Some(l) = section_lines.iter().find(|l| l.no == group.1)
                    {
                        leftover.push(l.text);
                    }
                    nested = false;
                }
                if !nested {
                    cur_numbered = marker == lines::ListMarker::Number;
                }
                if nested {
                    if let Some(c) = cur.as_mut() {
                        // "- Alert on disk usage (Ana)" over "  - page at 85%": the details go
                        // before the owner who closes the item, who stays its owner.
                        // So do fields in brackets closing it ("(@mira)", "(owner: Jon)").
                        let fields_closing = trailing_group(&c.0)
                            .filter(|(inner, _)| group_fields(inner, &mut Fields::default()))
                            .map(|(_, before)| before.trim_end().len());
                        let at = owner_named_closing(&c.0)
                            .map(|(b, _, _)| b.len())
                            .or(fields_closing)
                            .unwrap_or(c.0.len());
                        c.0.insert_str(at, &format!("; {}", rest.trim()));
                    }
                } else {
                    flush(&mut cur, &mut items);
                    cur = Some((rest.trim().to_string(), l.no, st.or(group_status), indent));
                }
            }
            None if has_list || has_table => {
                let continues = !prev_blank && cur.is_some() && l.text.starts_with([' ', '\t']);
                if continues {
                    if let Some(c) = cur.as_mut() {
                        // "  Owner: Tomás. Due: 2023-11-20." under the item: its fields, read
                        // as if they followed a full stop.
                        let fields =
                            lines::split_label(t).is_some_and(|(k, _)| field_key(&k).is_some());
                        if fields && !c.0.ends_with('.') {
                            c.0.push('.');
                        }
                        c.0.push(' ');
                        c.0.push_str(t);
                    }
                } else {
                    flush(&mut cur, &mut items);
                    group_status = group_named(t);
                    leftover.push(l.text);
                }
            }
            // "Thanks,\nLena": a letter's closing ends the items, and so does a closing
            // paragraph ("In conclusion, the outage was ...").
            None if is_sign_off(t) || concludes(t) => {
                flush(&mut cur, &mut items);
                leftover.extend(section_lines[i - 1..].iter().map(|x| x.text));
                break;
            }
            None => {
                // Plain lines under the heading: each line is an item, except an introduction
                // ending with a colon and a wrapped line continuing the previous one.
                let bold_heading = t.starts_with("**") && t.trim_end_matches(':').ends_with("**");
                if t.ends_with(':') || bold_heading || lines::is_thematic_break(t) {
                    flush(&mut cur, &mut items);
                    group_status = group_named(t);
                    leftover.push(l.text);
                } else if !prev_blank
                    && cur
                        .as_ref()
                        .is_some_and(|c| !c.0.ends_with(['.', '!', '?', ':']))
                    && t.starts_with(|c: char| c.is_lowercase())
                {
                    if let Some(c) = cur.as_mut() {
                        c.0.push(' ');
                        c.0.push_str(t);
                    }
                } else if let Some(pledges) = pledges_in(t) {
                    // "We will move the jobs to UTC. We will also alert on late runs.": a
                    // paragraph of pledges is an item per pledge.
                    flush(&mut cur, &mut items);
                    items.extend(pledges.into_iter().map(|s| item(s, l.no, None)));
                } else if let Some(parts) = owned_run(t) {
                    // "separate pools (Lucía), cap batch concurrency (Jorge).": items run
                    // together on one line, each closing with its owner.
                    flush(&mut cur, &mut items);
                    items.extend(parts.into_iter().map(|part| item(part, l.no, None)));
                } else if let Some(parts) = numbered_run(t) {
                    // "(1) add expiry alerts - identity team; (2) move secrets to the vault":
                    // a numbered list written on one line.
                    flush(&mut cur, &mut items);
                    items.extend(parts.into_iter().map(|part| item(part, l.no, None)));
                } else if let Some(parts) = marked_run(t) {
                    // "✅ Add a pipeline. ✅ Enable alerts.": items whose line breaks were lost.
                    flush(&mut cur, &mut items);
                    items.extend(parts.into_iter().map(|part| {
                        let (st, rest) = checkbox(part);
                        item(rest, l.no, st)
                    }));
                } else {
                    flush(&mut cur, &mut items);
                    let (st, rest) = checkbox(t);
                    cur = Some((unnumbered(rest).to_string(), l.no, st, 0));
                }
            }
        }
        prev_blank = false;
    }
    flush(&mut cur, &mut items);
    // "(Ibrahim)" closing an item is its owner when other items of the list name theirs: a
    // list that gives "(Dana, by 2023-08-01)" gives names in brackets.
    // A team in brackets ("(Team Storage)", "(SRE team)") is one in any list, and names the
    // owners of its list as much as a labelled owner does; so is a common given name
    // ("(Priya)"), where a product's name ("(Postgres)") is not.
    // A list whose every item (two or more) closes with a name, in brackets or after a dash,
    // gives owners that way too ("(Marco)", "- Aiko"), names the given-name list lacks
    // included.
    let all_close_with_a_name = items.len() >= 2
        && items.iter().all(|a| {
            a.owner.is_some()
                || owner_named_closing(&a.text).is_some_and(|(_, name, _)| may_own(name))
        });
    // Names in lowercase ("(jan)", "(mo)") only from a list whose every item closes with one.
    let all_handles = items.len() >= 2
        && items.iter().all(|a| {
            owner_named_closing(&a.text).is_some_and(|(_, name, _)| lowercase_handle(name))
        });
    for any_name in [false, true] {
        let others_named =
            any_name && (all_close_with_a_name || items.iter().any(|a| a.owner.is_some()));
        for a in items.iter_mut().filter(|a| a.owner.is_none()) {
            // After a dash, only a list that closes every item so names its owners.
            if let Some((text, name, bracketed)) = owner_named_closing(&a.text)
                && (!lowercase_handle(name)
                    || all_handles
                    // "(me)", the writer, among named owners.
                    || (name == "me" && all_close_with_a_name))
                && ((others_named && (bracketed || all_close_with_a_name) && may_own(name))
                    || names_a_team(name)
                    || given_name_first(name))
            {
                a.owner = Some(name.to_string());
                a.text = text.to_string();
            }
        }
    }
    // "If we had picked up on this sooner..." looks back, and "N/A" or "No immediate action
    // items." says there are none: neither commits to anything.
    let (reflections, items): (Vec<ActionItem>, Vec<ActionItem>) = items
        .into_iter()
        .partition(|a| is_reflection(&a.text) || says_none(&a.text));
    let reflections: Vec<String> = reflections
        .into_iter()
        .map(|a| format!("- {}", a.text))
        .collect();
    Extracted {
        items,
        leftover: lines::join_trimmed(
            leftover
                .into_iter()
                .chain(reflections.iter().map(String::as_str)),
        ),
    }
}

/// A heading that groups action items by when, how urgent, what kind or how far along they
/// are: "Short term", "Long-term fixes", "Immediate", "P1", "High priority", "Completed",
/// "Process", "Detection".
fn names_a_group(heading: &str) -> bool {
    let h = heading
        .trim_end_matches(':')
        .trim()
        .replace('-', " ")
        .to_ascii_lowercase();
    let h = h
        .strip_suffix(" actions")
        .or_else(|| h.strip_suffix(" items"))
        .or_else(|| h.strip_suffix(" fixes"))
        .or_else(|| h.strip_suffix(" improvements"))
        .or_else(|| h.strip_suffix(" tasks"))
        .or_else(|| h.strip_suffix(" initiatives"))
        .or_else(|| h.strip_suffix(" changes"))
        .or_else(|| h.strip_suffix(" measures"))
        .or_else(|| h.strip_suffix(" work"))
        .unwrap_or(&h);
    let priority = h
        .strip_prefix('p')
        .is_some_and(|n| n.len() == 1 && n.bytes().all(|b| b.is_ascii_digit()))
        || h.ends_with(" priority")
        || h.starts_with("priority ");
    priority
        || h.ends_with(" term")
        || matches!(
            h,
            "immediate"
                | "now"
                | "next"
                | "later"
                | "completed"
                | "complete"
                | "done"
                | "in progress"
                | "open"
                | "pending"
                | "planned"
                | "to do"
                | "todo"
                | "ongoing"
                | "prevention"
                | "preventive"
                | "preventative"
                | "corrective"
                | "detection"
                | "mitigation"
                | "process"
                | "technical"
                | "organizational"
                | "organisational"
                | "operational"
                | "security"
                | "reliability"
                | "observability"
                | "testing"
                | "training"
                | "tooling"
                | "monitoring"
                | "documentation"
                | "people"
                | "communication"
                | "infrastructure"
                | "product"
                | "engineering"
        )
}

/// A line of several items, each opened by the mark that opens the line ("✅ Add a pipeline.
/// ✅ Enable alerts."): the items, each with its mark, when every one has two words or more
/// and each but the last ends a sentence.
fn marked_run(line: &str) -> Option<Vec<&str>> {
    let mark = line.chars().next().filter(|&c| lines::is_mark(c))?;
    let starts: Vec<usize> = line
        .match_indices(mark)
        .map(|(at, _)| at)
        .filter(|&at| at == 0 || line[..at].ends_with(char::is_whitespace))
        .collect();
    if starts.len() < 2 {
        return None;
    }
    let parts: Vec<&str> = starts
        .iter()
        .zip(starts.iter().skip(1).copied().chain([line.len()]))
        .map(|(&a, b)| line[a..b].trim_end())
        .collect();
    let last = parts.len() - 1;
    parts
        .iter()
        .enumerate()
        .all(|(k, p)| {
            p[mark.len_utf8()..].split_whitespace().count() >= 2
                && (k == last || p.ends_with(['.', '!', '?', ';', ')']))
        })
        .then_some(parts)
}

/// The items of a list numbered within one line, "(1) ...; (2) ..." or "1) ..., 2) ...", each
/// from its number to the next (at least two, counting up from 1; only a lead-in ending with a
/// colon before the first).
fn numbered_run(line: &str) -> Option<Vec<&str>> {
    let mut marks: Vec<(usize, usize)> = Vec::new();
    for n in 1.. {
        let from = marks.last().map_or(0, |&(_, end)| end);
        let found = [format!("({n}) "), format!("{n}) ")]
            .into_iter()
            .filter_map(|m| {
                let at = from + line[from..].find(&m)?;
                // "1) " inside "(1) " is the same mark; inside "11) " it is none.
                let own =
                    m.starts_with('(') || at == 0 || line[..at].ends_with([' ', ':', ';', ',']);
                own.then_some((at, at + m.len()))
            })
            .min();
        match found {
            Some(mark) => marks.push(mark),
            None => break,
        }
    }
    if marks.len() < 2 {
        return None;
    }
    let lead = line[..marks[0].0].trim();
    if !lead.is_empty() && !lead.ends_with(':') {
        return None;
    }
    let parts: Vec<&str> = marks
        .iter()
        .enumerate()
        .map(|(k, &(_, begin))| {
            let end = marks.get(k + 1).map_or(line.len(), |&(at, _)| at);
            let part = line[begin..end]
                .trim()
                .trim_end_matches([';', ',', '.'])
                .trim_end();
            part.strip_suffix(" and").unwrap_or(part).trim_end()
        })
        .collect();
    parts.iter().all(|p| !p.is_empty()).then_some(parts)
}

/// An item that says there are none: "N/A", "None.", "No immediate action items.", "TBD".
fn says_none(text: &str) -> bool {
    let t = text.trim().to_ascii_lowercase();
    // "None at this time; the certificate is now renewed by cert-manager.": the first clause
    // says it, the rest says why.
    let t = [";", ". ", " — ", " - ", ", "]
        .iter()
        .fold(t.as_str(), |t, mark| t.split(mark).next().unwrap_or(t));
    let t = t.trim_end_matches(['.', '!']).trim();
    matches!(
        t,
        "n/a" | "na" | "none" | "nothing" | "-" | "none yet" | "none so far" | "tbd"
    ) || [
        "no action",
        "no immediate action",
        "no further action",
        "no follow-up",
        "no follow up",
        "no followup",
        "none at this time",
        "none identified",
    ]
    .iter()
    .any(|p| t.starts_with(p) && t.split_whitespace().count() <= 6)
}

/// The text of a line marked as an action item wherever it stands: "AI: ...", "Action item:
/// ...", in a list or not, or after the lesson it follows from ("- Leases need an expiry.
/// Action: give leases a TTL."), then whether the line has more to say (the lesson).
fn marked_item<'a>(l: &Line<'a>) -> Option<(&'a str, bool)> {
    if l.code || l.blank {
        return None;
    }
    let t = lines::list_item(l.text)
        .map_or(l.text, |(_, _, rest)| rest)
        .trim();
    let opening = lines::split_label(t).and_then(|(mark, rest)| {
        (mark == "AI" || mark.eq_ignore_ascii_case("action item") || plans_actions(&mark))
            .then_some((rest, false))
    });
    // Asked of every line of every other section: a byte scan for the sentence ends first.
    let after_lesson = || {
        let b = t.as_bytes();
        (1..b.len())
            .filter(|&k| b[k] == b' ' && b[k - 1] == b'.')
            .find_map(|k| {
                ["Action: ", "Action item: ", "AI: "]
                    .iter()
                    .find_map(|m| t[k + 1..].strip_prefix(m))
            })
            .map(|rest| (rest, true))
    };
    opening
        .or_else(after_lesson)
        .map(|(rest, lesson)| (rest.trim(), lesson))
        .filter(|(rest, _)| !rest.is_empty())
}

/// A line or list item saying what the team will do: "We will add a statement timeout.",
/// "- We'll page on queue age". Not what it would have done ("We would have ...").
fn pledged(line: &str) -> bool {
    let t = lines::list_item(line).map_or(line, |(_, _, rest)| rest);
    let t = lines::strip_emphasis(t.trim());
    let head = t.get(..24).unwrap_or(&t).to_ascii_lowercase();
    ["we will ", "we'll ", "we are going to ", "we plan to "]
        .iter()
        .any(|p| head.starts_with(p))
        && t.split_whitespace().count() >= 4
}

/// The sentences of a paragraph that each say what the team will do, when there are two or more.
fn pledges_in(paragraph: &str) -> Option<Vec<&str>> {
    static PLEDGES: crate::text::Phrases =
        crate::text::Phrases::new(&["we will ", "we'll ", "we are going to ", "we plan to "]);
    let found: Vec<&str> = super::facts::sentences_with(paragraph, &PLEDGES).collect();
    (found.len() >= 2).then_some(found)
}

/// Items run together on one line, apart by commas or semicolons, each closing with its
/// owner in brackets, a person or a team ("fix the typo (Ali); add disk alerts (Ali)."): the
/// items, at least two.
fn owned_run(line: &str) -> Option<Vec<&str>> {
    let t = line.trim().trim_end_matches('.');
    let mut parts = Vec::new();
    let mut from = 0;
    for (at, _) in t.match_indices(')') {
        let next = t[at + 1..].chars().next();
        if next.is_none() || matches!(next, Some(',' | ';')) {
            parts.push(t[from..=at].trim());
            from = (at + 2).min(t.len());
        }
    }
    let owned = |part: &str| {
        owner_named_closing(part).is_some_and(|(before, name, bracketed)| {
            bracketed
                && before.split_whitespace().count() >= 2
                // "(me)": the writer.
                && (person_named(name) || names_a_team(name) || name == "me")
        })
    };
    (parts.len() >= 2 && from >= t.len() && parts.iter().all(|p| owned(p))).then_some(parts)
}

/// A paragraph that sums the document up: "In conclusion, ...", "To sum up, ...".
fn concludes(line: &str) -> bool {
    let head = line.get(..16).unwrap_or(line).to_ascii_lowercase();
    [
        "in conclusion",
        "to conclude",
        "in summary,",
        "to sum up",
        "to summarize",
    ]
    .iter()
    .any(|p| head.starts_with(p))
}

/// A letter's closing on a line of its own: "Thanks,", "Best regards,", "Cheers!".
fn is_sign_off(line: &str) -> bool {
    let Some(words) = line.strip_suffix([',', '!']) else {
        return false;
    };
    let words = words.to_ascii_lowercase();
    matches!(
        words.trim(),
        "thanks"
            | "thank you"
            | "many thanks"
            | "best"
            | "regards"
            | "best regards"
            | "kind regards"
            | "warm regards"
            | "cheers"
            | "sincerely"
            | "all the best"
    )
}

/// A counterfactual about the past ("If we had...", "Had we...", "We should have caught..."),
/// not an action. "We should have a talk with..." and "We could have more canaries" have a
/// thing to do, not a past that went otherwise.
fn is_reflection(text: &str) -> bool {
    let lower = text.trim_start().to_ascii_lowercase();
    if ["if we had ", "had we ", "if we'd "]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return true;
    }
    ["we could have ", "we should have "].iter().any(|p| {
        lower.strip_prefix(p).is_some_and(|rest| {
            let next = rest.split_whitespace().next().unwrap_or_default();
            !matches!(
                next,
                "a" | "an" | "the" | "some" | "more" | "our" | "one" | "two" | "regular"
            )
        })
    })
}

/// What a section other than the action items may hold of them, beyond tables and marked lines.
#[derive(Debug, Clone, Copy, Default)]
pub struct Elsewhere {
    /// The document has no section of action items: a list a line introduces as what will be
    /// done counts, and so does a list whose items name owners or due dates.
    pub introduced: bool,
    /// The section is named for remediation ("Remediation", "Remediation and follow-up"): every
    /// list in it is one of remediation items.
    pub remediation: bool,
    /// The section is lessons learned (in such a document): each line or item that says what
    /// "we will" do is one.
    pub pledges: bool,
}

/// Action items under another heading: tables of them (a "Lessons learned" section with an
/// "Action Item | Owner" table), lines marked as one ("- AI: route the alerts to on-call") and
/// what `may` allows (a list that a line introduces as what will be done: "We are taking the
/// following actions to prevent a recurrence:"). The items, and the section's other lines;
/// `None` when there is none.
pub fn items_elsewhere<'a>(
    body: &[Line<'a>],
    may: Elsewhere,
) -> Option<(Vec<ActionItem>, Vec<Line<'a>>)> {
    let Elsewhere {
        introduced,
        remediation,
        pledges,
    } = may;
    let mut items = Vec::new();
    let mut kept = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if pledges && !body[i].code && pledged(body[i].text) {
            let text = lines::list_item(body[i].text).map_or(body[i].text, |(_, _, rest)| rest);
            items.push(item(text.trim(), body[i].no, None));
            i += 1;
            continue;
        }
        if introduced && !body[i].code && introduces_actions(body[i].text) {
            kept.push(body[i]);
            let end = list_end(body, i + 1);
            if end == i + 1
                && plans_actions(body[i].text)
                && let Some((paragraph, after)) = paragraph_at(body, i + 1)
            {
                // "**Action planned:**" over a paragraph: the paragraph is the one action.
                items.push(item(&paragraph, body[i + 1].no, None));
                i = after;
                continue;
            }
            items.extend(extract(&body[i + 1..end]).items);
            i = end;
            continue;
        }
        // A list whose items name owners or due dates ("1. Contract tests. (Owner: Integrations,
        // ETA: Sep 15)") is one of things to do, under whatever heading ("Remediation").
        let starts_list = !body[i].code
            && lines::list_item(body[i].text).is_some()
            && (i == 0 || lines::list_item(body[i - 1].text).is_none());
        if introduced && starts_list {
            let end = list_end(body, i);
            // A remediation list stands on its own; one a line introduces ("We took the
            // following steps:") is what that line says it is.
            let introduced_here = body[..i]
                .iter()
                .rev()
                .find(|l| !l.blank)
                .is_some_and(|l| l.text.trim_end().ends_with(':'));
            if (remediation && !introduced_here) || assigned_list(&body[i..end]) {
                items.extend(extract(&body[i..end]).items);
                i = end;
                continue;
            }
        }
        let end = lines::table_end(body, i);
        if end == i {
            match marked_item(&body[i]) {
                Some((marked, lesson)) => {
                    items.push(item(marked, body[i].no, None));
                    if lesson {
                        kept.push(body[i]);
                    }
                }
                None => kept.push(body[i]),
            }
            i += 1;
            continue;
        }
        let block = &body[i..end];
        let names_actions = lines::table_cells(block[0].text).is_some_and(|cells| {
            let names: Vec<String> = cells
                .iter()
                .map(|c| lines::strip_emphasis(c).to_ascii_lowercase())
                .collect();
            // "Action", or an owner beside the task ("| Item | Owner | Priority |").
            let owner = names.iter().any(|n| field_key(n) == Some("owner"));
            let task = names.iter().any(|n| {
                matches!(
                    n.trim(),
                    "item" | "task" | "todo" | "to do" | "fix" | "follow-up" | "follow up"
                )
            });
            names.iter().any(|n| n.starts_with("action")) || (owner && task)
        });
        let got = if names_actions {
            table_items(block)
        } else {
            Vec::new()
        };
        if got.is_empty() {
            kept.extend_from_slice(block);
        } else {
            items.extend(got);
        }
        i = end;
    }
    (!items.is_empty()).then_some((items, kept))
}

/// Whether most of a list's items (more than half, two at least) label an owner or a due date
/// in their own words ("Owner:", "ETA:", "due 2024-09-15"), as a list of work to do does.
fn assigned_list(list: &[Line<'_>]) -> bool {
    static LABELS: crate::text::Phrases = crate::text::Phrases::new(&[
        "owner:",
        "owner -",
        "(owner",
        "owners:",
        "assignee:",
        "assigned to",
        "responsible:",
        "dri:",
        "due:",
        "due date",
        "due by",
        "eta:",
        "deadline:",
        "target date",
    ]);
    let mut top = 0;
    let mut assigned = 0;
    for l in list.iter().filter(|l| !l.code) {
        // Items at the list's first indent.
        if let Some((0, _, _)) = lines::list_item(l.text) {
            top += 1;
            if LABELS.any_in(l.text) {
                assigned += 1;
            }
        }
    }
    top >= 2 && assigned * 2 > top
}

/// A line that introduces a list of what will be done. Its last sentence ends with a colon and
/// is one of: "the following" with what it is for ("We are taking the following actions to
/// prevent a recurrence:", "Going forward, we will do the following:"); a sentence the items
/// finish ("To prevent this happening again, we will:"); a short label ("Next steps:"). A list
/// of what was done during the response ("We took the following steps:") is not one, nor a
/// list of what an action covers ("We plan to add alerts around:").
/// "Action planned:", "Actions planned", "Planned actions:": a label over what the team will
/// do. (Not "Action taken", which as often tells a step of the response.)
fn plans_actions(label: &str) -> bool {
    let t = lines::stripped(label);
    let t = t.trim_end_matches(':').trim();
    [
        "action planned",
        "actions planned",
        "planned action",
        "planned actions",
    ]
    .iter()
    .any(|l| t.eq_ignore_ascii_case(l))
}

/// The paragraph that starts at `from` (after blank lines) as one line of text, and the index
/// after it; `None` when a list, a table or code comes first.
fn paragraph_at(body: &[Line<'_>], from: usize) -> Option<(String, usize)> {
    let start = (from..body.len()).find(|&k| !body[k].blank)?;
    let mut text = String::new();
    let mut k = start;
    while let Some(l) = body.get(k) {
        let t = l.text.trim();
        if l.blank || l.code || t.starts_with('|') || lines::list_item(l.text).is_some() {
            break;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(t);
        k += 1;
    }
    (k > start).then_some((text, k))
}

/// `body` without the lists a line introduces as what will be done ("We will:" over a list),
/// when it has any: their lengths and times are the actions', not the incident's ("alert when
/// no builds have run for 10 minutes").
pub fn without_planned_lists<'a>(body: &[Line<'a>]) -> Option<Vec<Line<'a>>> {
    let mut kept: Vec<Line<'a>> = Vec::new();
    let mut copied = 0;
    let mut i = 0;
    while i < body.len() {
        if !body[i].code && introduces_actions(body[i].text) {
            let end = list_end(body, i + 1);
            if end > i + 1 {
                kept.extend_from_slice(&body[copied..=i]);
                copied = end;
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    (copied > 0).then(|| {
        kept.extend_from_slice(&body[copied..]);
        kept
    })
}

fn introduces_actions(line: &str) -> bool {
    // "**Actions planned:**": the colon inside the emphasis. (Asked of every line of the
    // other sections: no copy.)
    let line = lines::stripped(line);
    let Some(t) = line.trim_end().strip_suffix(':') else {
        return false;
    };
    let t = lines::strip_emphasis(t).to_ascii_lowercase();
    // The last sentence: what the colon introduces.
    let last = t.rsplit(". ").next().unwrap_or(&t).trim();
    let intent = [
        "prevent",
        "recurrence",
        "avoid",
        "going forward",
        "moving forward",
        "in the future",
        "we will",
        "we'll",
        "we are taking",
        "we're taking",
        "we plan to",
        "we are going to",
    ];
    let finished_by_items = [
        "we will",
        "we'll",
        "we plan to",
        "we are going to",
        "we intend to",
    ]
    .iter()
    .any(|w| last.ends_with(w));
    let label = matches!(
        super::vocab::normalize(last.trim_start_matches(|c: char| !c.is_alphanumeric())).as_str(),
        "next steps"
            | "follow up actions"
            | "actions planned"
            | "action planned"
            | "planned actions"
            | "action items"
            | "follow ups"
            | "things we are doing"
            | "things we will do"
            | "what we are doing"
            | "what we will do"
            | "what we are changing"
            | "what we will change"
    );
    let following = last.contains("the following") && intent.iter().any(|w| last.contains(w));
    last.len() <= 200 && (finished_by_items || label || following)
}

/// Where the list starting at `from` (after blank lines) ends: its items and their indented
/// continuation lines; `from` itself when no list starts there.
fn list_end(body: &[Line<'_>], from: usize) -> usize {
    let mut i = from;
    while body.get(i).is_some_and(|l| l.blank) {
        i += 1;
    }
    let mut end = from;
    while let Some(l) = body.get(i) {
        let item = !l.code && lines::list_item(l.text).is_some();
        let continued = !l.blank && end > from && l.text.starts_with([' ', '\t']);
        if item || continued {
            i += 1;
            end = i;
        } else if l.blank
            && body
                .get(i + 1)
                .is_some_and(|n| lines::list_item(n.text).is_some())
        {
            i += 1;
        } else {
            break;
        }
    }
    end
}

fn table_items(block: &[Line<'_>]) -> Vec<ActionItem> {
    let rows: Vec<Row<'_>> = block
        .iter()
        .filter(|l| !lines::is_table_separator(l.text))
        .filter_map(|l| lines::table_cells(l.text).map(|c| (l.no, c)))
        .collect();
    let has_header = block
        .get(1)
        .is_some_and(|l| lines::is_table_separator(l.text));
    if has_header || rows.first().is_some_and(|(_, r)| names_columns(r)) {
        return rows_items(&rows);
    }
    // Rows with no header (cells apart by tabs, pasted from a word processor): each row is an
    // item, its cells read as sentences of it ("| Alert on restarts | Owner: Maya |").
    rows.iter()
        .filter_map(|(no, row)| {
            let mut text = String::new();
            for cell in row.iter().map(|c| lines::strip_emphasis(c)) {
                if cell.is_empty() {
                    continue;
                }
                if !text.is_empty() {
                    if !text.ends_with(['.', '!', '?']) {
                        text.push('.');
                    }
                    text.push(' ');
                }
                text.push_str(&cell);
            }
            (!text.is_empty()).then(|| item(&text, *no, None))
        })
        .collect()
}

/// A row that names a table's columns rather than filling them (its rule under it left out):
/// short cells, no digits, one naming the action and one its owner, ticket or due date.
fn names_columns(row: &[&str]) -> bool {
    let short = row
        .iter()
        .all(|c| c.split_whitespace().count() <= 4 && !c.contains(|ch: char| ch.is_ascii_digit()));
    let names = |words: &[&str]| cell_names(row, words);
    short
        && names(&["action", "item", "task", "what"])
        && names(&["owner", "assign", "who", "ticket", "due", "status"])
}

/// The cells of a line written as a table row without the pipes at its ends or the row of
/// dashes under the header, as a table is pasted into plain text ("Action Item | Type | Owner |
/// Bug"): two or more cells, none empty.
fn bare_row_cells(line: &str) -> Option<Vec<&str>> {
    let t = line.trim();
    if t.starts_with('|') || !t.contains(" | ") {
        return None;
    }
    let cells: Vec<&str> = t.split('|').map(str::trim).collect();
    cells.iter().all(|c| !c.is_empty()).then_some(cells)
}

/// Whether a cell of a header row names one of `words` ("Assigned to" names "assign").
fn cell_names(cells: &[&str], words: &[&str]) -> bool {
    cells.iter().any(|c| {
        let c = c.to_ascii_lowercase();
        words.iter().any(|w| c.contains(w))
    })
}

/// A table's row: its line number and its cells.
type Row<'a> = (usize, Vec<&'a str>);

/// The rows of a bare table opening `block` ([`bare_row_cells`]), one a line, when its first
/// row is a header naming an action column and an owner or ticket column.
fn bare_table<'a>(block: &[Line<'a>]) -> Option<Vec<Row<'a>>> {
    let header = bare_row_cells(block.first()?.text)?;
    let names = |words: &[&str]| cell_names(&header, words);
    if !(names(&["action", "item", "task"]) && names(&["owner", "assign", "bug", "ticket"])) {
        return None;
    }
    let rows: Vec<Row<'a>> = block
        .iter()
        .map_while(|l| {
            bare_row_cells(l.text)
                .filter(|c| !l.code && c.len() == header.len())
                .map(|c| (l.no, c))
        })
        .collect();
    (rows.len() >= 2).then_some(rows)
}

/// Items from a table's rows, the first its header.
fn rows_items(rows: &[Row<'_>]) -> Vec<ActionItem> {
    if rows.len() < 2 {
        return Vec::new();
    }
    let header: Vec<String> = rows[0]
        .1
        .iter()
        .map(|h| lines::strip_emphasis(h).to_ascii_lowercase())
        .collect();
    let find = |names: &[&str]| {
        header
            .iter()
            .position(|h| names.iter().any(|n| h.contains(n)))
    };
    let owner = find(&["owner", "assign", "who", "responsible", "dri"]);
    let due = find(&["due", "deadline", "eta", "target", "when", "date"]);
    let status = find(&["status", "state", "done"]);
    let tracker = find(&["ticket", "issue", "jira", "link", "tracker", "ref", "bug"]);
    let kind = find(&["kind", "type", "category"]);
    let used = [owner, due, status, tracker, kind];
    let text_col = find(&[
        "action",
        "item",
        "task",
        "description",
        "what",
        "remediation",
        "follow",
    ])
    .filter(|c| !used.contains(&Some(*c)))
    .or_else(|| {
        (0..header.len()).find(|c| {
            !used.contains(&Some(*c))
                && !header[*c].is_empty()
                && header[*c] != "#"
                && header[*c] != "id"
        })
    });
    let Some(text_col) = text_col else {
        return Vec::new();
    };
    let cell = |row: &Vec<&str>, c: Option<usize>| -> Option<String> {
        let v = lines::strip_emphasis(row.get(c?)?);
        (!v.is_empty()
            && v != "-"
            && v != "—"
            && !v.eq_ignore_ascii_case("n/a")
            && !v.eq_ignore_ascii_case("tbd"))
        .then_some(v)
    };
    let mut out = Vec::new();
    for (no, row) in &rows[1..] {
        let Some(text) = cell(row, Some(text_col)) else {
            continue;
        };
        let (tracker, tracker_status) = cell(row, tracker).map_or((None, None), tracker_cell);
        let st = cell(row, status)
            .and_then(|s| parse_status(&s))
            .or(tracker_status);
        let mut it = item(&text, *no, st);
        // "???" or "Unassigned" in the owner's column: the place is left empty.
        if let Some(o) =
            cell(row, owner).filter(|o| o.chars().any(char::is_alphanumeric) && !names_no_one(o))
        {
            it.owner = Some(unbracketed(o));
        }
        if let Some(d) = cell(row, due) {
            it.due = Some(normalize_due(&d));
        }
        if tracker.is_some() {
            it.tracker = tracker;
        }
        if let Some(k) = cell(row, kind).and_then(|k| parse_kind(&k)) {
            it.kind = k;
        }
        out.push(it);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_numbered_within_one_line_is_an_item_per_number() {
        assert_eq!(
            numbered_run("(1) add expiry alerts - identity team; (2) move secrets to the vault."),
            Some(vec![
                "add expiry alerts - identity team",
                "move secrets to the vault"
            ])
        );
        assert_eq!(
            numbered_run("Next: 1) pin the image, 2) test restores and 3) page on lag"),
            Some(vec!["pin the image", "test restores", "page on lag"])
        );
        // One number, numbers not counting up from 1, or prose before them: no list.
        assert_eq!(numbered_run("(1) pin the image"), None);
        assert_eq!(numbered_run("(2) pin the image; (3) test restores"), None);
        assert_eq!(
            numbered_run("We saw (1) a spike and (2) a drop in traffic"),
            None
        );
    }

    #[test]
    fn an_owners_place_left_empty_in_emphasis_names_no_one() {
        let it = item(
            "Block deploys on budget burn — *Unassigned* — ENG-1202",
            1,
            None,
        );
        assert_eq!(
            (it.text.as_str(), it.owner, it.tracker.as_deref()),
            ("Block deploys on budget burn", None, Some("ENG-1202"))
        );
    }

    #[test]
    fn should_have_a_thing_is_an_action_and_should_have_done_is_a_regret() {
        assert!(is_reflection("We should have caught this in staging."));
        assert!(is_reflection("We could have had alerts on the queue."));
        assert!(is_reflection("If we had paged sooner, ..."));
        assert!(!is_reflection(
            "We should have a talk with the platform team about ingress."
        ));
        assert!(!is_reflection(
            "We should have more canaries before a rollout."
        ));
    }

    #[test]
    fn inline_metadata() {
        let it = item("Add disk alerts (owner: @sam, due: 2024-05-01)", 3, None);
        assert_eq!(it.owner.as_deref(), Some("@sam"));
        assert_eq!(it.due.as_deref(), Some("2024-05-01"));
        assert_eq!(it.text, "Add disk alerts");
        assert_eq!(it.kind, ActionKind::Detect);
        let it = item(
            "Rotate the certificates OPS-431 @kim by May 3, 2024",
            1,
            None,
        );
        assert_eq!(it.tracker.as_deref(), Some("OPS-431"));
        assert_eq!(it.owner.as_deref(), Some("@kim"));
        assert_eq!(it.due.as_deref(), Some("2024-05-03"));
        let it = item("Fix the parser (see RFC 3339)", 1, None);
        assert_eq!(it.text, "Fix the parser (see RFC 3339)");
    }

    #[test]
    fn a_handle_closing_an_item_is_its_owner_and_leaves_the_text() {
        let it = item("Canary limiter configs on 1% of traffic — @nadia", 1, None);
        assert_eq!(it.owner.as_deref(), Some("@nadia"));
        assert_eq!(it.text, "Canary limiter configs on 1% of traffic");
        let it = item("Ask @nadia - then decide", 1, None);
        assert_eq!(it.text, "Ask @nadia - then decide");
        let it = item("Add timeouts (@jsmith)", 1, None);
        assert_eq!(
            (it.text.as_str(), it.owner.as_deref()),
            ("Add timeouts", Some("@jsmith"))
        );
    }

    #[test]
    fn a_given_name_closing_an_item_is_its_owner() {
        let it = item("Rotate the signing keys — Priya", 1, None);
        assert_eq!(
            (it.text.as_str(), it.owner.as_deref()),
            ("Rotate the signing keys", Some("Priya"))
        );
        let it = item("Move dashboards - Grafana", 1, None);
        assert_eq!(
            (it.text.as_str(), it.owner),
            ("Move dashboards - Grafana", None)
        );
        let it = item("Add synthetic login checks — Sam Ortiz — PLAT-9", 1, None);
        assert_eq!(
            (it.text.as_str(), it.owner.as_deref(), it.tracker.as_deref()),
            (
                "Add synthetic login checks",
                Some("Sam Ortiz"),
                Some("PLAT-9")
            )
        );
        let it = item("Rate-limit retries — Unassigned — PLAT-10", 1, None);
        assert_eq!(
            (it.text.as_str(), it.owner, it.tracker.as_deref()),
            ("Rate-limit retries", None, Some("PLAT-10"))
        );
        let it = item("Upgrade the cluster - Sam Lee", 1, None);
        assert_eq!(
            (it.text.as_str(), it.owner.as_deref()),
            ("Upgrade the cluster", Some("Sam Lee"))
        );
        // In brackets, a given name needs no sibling that names its owner; a product does.
        let got = extract(&[Line::new(1, "- Add a replica lag alert (Priya)", false)]);
        assert_eq!(
            text_owner_due(&got),
            [("Add a replica lag alert", Some("Priya"), None)]
        );
        // The sentence's full stop after the brackets.
        let got = extract(&[Line::new(1, "- Add a replica lag alert (Priya).", false)]);
        assert_eq!(
            (got.items[0].text.as_str(), got.items[0].owner.as_deref()),
            ("Add a replica lag alert", Some("Priya"))
        );
        let got = extract(&[Line::new(1, "- Upgrade the database (Postgres)", false)]);
        assert_eq!(
            text_owner_due(&got),
            [("Upgrade the database (Postgres)", None, None)]
        );
        // A list whose every item closes with a name gives owners, names not on the list of
        // given names included; capitals name systems.
        let got = extract(&[
            Line::new(1, "- Set an eviction policy (Marco)", false),
            Line::new(2, "- Dashboard for session memory (Aiko)", false),
        ]);
        assert_eq!(
            text_owner_due(&got),
            [
                ("Set an eviction policy", Some("Marco"), None),
                ("Dashboard for session memory", Some("Aiko"), None)
            ]
        );
        let got = extract(&[
            Line::new(1, "- Rate limit logins (API)", false),
            Line::new(2, "- Cache lookups (DNS)", false),
        ]);
        assert_eq!(
            text_owner_due(&got),
            [
                ("Rate limit logins (API)", None, None),
                ("Cache lookups (DNS)", None, None)
            ]
        );
        // A person's initials are capitals too, that name no system.
        let got = extract(&[
            Line::new(1, "- Add a policy drift check (JD)", false),
            Line::new(2, "- Alert on ETL failures -- MKO", false),
        ]);
        assert_eq!(
            text_owner_due(&got),
            [
                ("Add a policy drift check", Some("JD"), None),
                ("Alert on ETL failures", Some("MKO"), None)
            ]
        );
        // Nor does a system's acronym own an item beside one that names its owner.
        let got = extract(&[
            Line::new(1, "- Fix the limiter (owner: Dana)", false),
            Line::new(2, "- Add retries (API)", false),
        ]);
        assert_eq!(
            text_owner_due(&got),
            [
                ("Fix the limiter", Some("Dana"), None),
                ("Add retries (API)", None, None)
            ]
        );
    }

    #[test]
    fn a_due_date_in_brackets_needs_no_colon() {
        let it = item("Test firmware first (owner: Lars, due 2023-10-20)", 1, None);
        assert_eq!(it.owner.as_deref(), Some("Lars"));
        assert_eq!(it.due.as_deref(), Some("2023-10-20"));
        assert_eq!(it.text, "Test firmware first");
    }

    #[test]
    fn a_bold_lead_sentence_then_its_owner_and_due_date() {
        let it = item(
            "**Add canary deploys.** Owner: Sam Patel. Due: 2025-05-01. We will route 5% first.",
            1,
            None,
        );
        assert_eq!(it.owner.as_deref(), Some("Sam Patel"));
        assert_eq!(it.due.as_deref(), Some("2025-05-01"));
        assert_eq!(it.text, "Add canary deploys. We will route 5% first.");
        let it = item(
            "Never skip the staged rollout. **Owner:** Mobile lead",
            1,
            None,
        );
        assert_eq!(
            (it.text.as_str(), it.owner.as_deref()),
            ("Never skip the staged rollout", Some("Mobile lead"))
        );
        let it = item(
            "**Alert on push errors** · owner: Hamid · due 2025-10-30",
            1,
            None,
        );
        assert_eq!(
            (it.text.as_str(), it.owner.as_deref(), it.due.as_deref()),
            ("Alert on push errors", Some("Hamid"), Some("2025-10-30"))
        );
    }

    #[test]
    fn a_ticket_closing_an_item_after_a_dash_or_a_colon_leaves_its_text() {
        for (raw, tracker) in [
            (
                "Lint migrations - https://gitlab.com/org/app/-/issues/4512",
                "https://gitlab.com/org/app/-/issues/4512",
            ),
            ("Lint migrations — OPS-12", "OPS-12"),
            (
                "Lint migrations: https://gitlab.com/org/app/-/issues/4512",
                "https://gitlab.com/org/app/-/issues/4512",
            ),
        ] {
            let it = item(raw, 1, None);
            assert_eq!(it.text, "Lint migrations", "{raw}");
            assert_eq!(it.tracker.as_deref(), Some(tracker), "{raw}");
        }
        // Inside the sentence it stays.
        let it = item("Fix the retry bug from OPS-12 in the worker", 1, None);
        assert_eq!(it.text, "Fix the retry bug from OPS-12 in the worker");
        assert_eq!(it.tracker.as_deref(), Some("OPS-12"));
    }

    #[test]
    fn a_bold_key_in_brackets_is_a_key() {
        for raw in [
            "Canary resolver changes (**owner**: net-team)",
            "Canary resolver changes (**Owner:** net-team)",
        ] {
            let it = item(raw, 1, None);
            assert_eq!(it.owner.as_deref(), Some("net-team"), "{raw}");
            assert_eq!(it.text, "Canary resolver changes", "{raw}");
        }
    }

    #[test]
    fn labelled_fields_after_a_full_stop_a_double_hyphen_or_a_comma() {
        for raw in [
            "Fix the sentinel quorum. Owner: Alex Rivera. Due: 2022-09-15.",
            "Fix the sentinel quorum. Owner: Alex Rivera. Due 15/09/2022.",
            "Fix the sentinel quorum -- owner: Alex Rivera -- due: 2022-09-15",
            "Fix the sentinel quorum, owner: Alex Rivera, due: 2022-09-15",
            "Fix the sentinel quorum — owner: Alex Rivera, due 2022-09-15",
            "Fix the sentinel quorum — Owner: Alex Rivera; Due: 2022-09-15",
            "Fix the sentinel quorum - Owner: Alex Rivera - Target: 09/15/2022",
            "Fix the sentinel quorum (Owner: Alex Rivera, Target date: 2022-09-15)",
        ] {
            let it = item(raw, 1, None);
            assert_eq!(it.text, "Fix the sentinel quorum", "{raw}");
            assert_eq!(it.owner.as_deref(), Some("Alex Rivera"), "{raw}");
            assert_eq!(it.due.as_deref(), Some("2022-09-15"), "{raw}");
        }
        // A labelled group that is no field stays in the text; the fields around it are read.
        let it = item(
            "Fix the quorum [Owner: @sam] [Priority: P1] [Status: In Progress]",
            1,
            None,
        );
        assert_eq!(it.text, "Fix the quorum [Priority: P1]");
        // A given name or a handle opening the item before a colon is its owner; a label is
        // not.
        for (raw, owner, text) in [
            ("Omar: add a test", Some("Omar"), "add a test"),
            ("Sam Lee: page billing", Some("Sam Lee"), "page billing"),
            ("@omar: add a test", Some("@omar"), "add a test"),
            (
                "Platform team: move the reindex job",
                Some("Platform team"),
                "move the reindex job",
            ),
            (
                "Monitoring: alert on reindex jobs",
                None,
                "Monitoring: alert on reindex jobs",
            ),
            // A team as the subject.
            (
                "The platform team will add an alert",
                Some("platform team"),
                "The platform team will add an alert",
            ),
            (
                "Infra team to rotate the keys",
                Some("Infra team"),
                "Infra team to rotate the keys",
            ),
            (
                "AWS will deprecate the old API",
                None,
                "AWS will deprecate the old API",
            ),
            // A team known by its initials; a system is none.
            (
                "SRE to review alert thresholds",
                Some("SRE"),
                "SRE to review alert thresholds",
            ),
            (
                "The DBAs will add an index",
                Some("DBAs"),
                "The DBAs will add an index",
            ),
            (
                "QA: retest the checkout flow",
                Some("QA"),
                "retest the checkout flow",
            ),
            (
                "API to return 429 on overload",
                None,
                "API to return 429 on overload",
            ),
            (
                "The IPS team is continuing to refine the response process",
                Some("IPS team"),
                "The IPS team is continuing to refine the response process",
            ),
            (
                "Improve team response time to critical alerts",
                None,
                "Improve team response time to critical alerts",
            ),
            // Who did an item already done.
            (
                "Restart the backfill (done by Chen)",
                Some("Chen"),
                "Restart the backfill",
            ),
            // "Owner: TBD" names no one.
            (
                "Add a lag dashboard. Owner: TBD",
                None,
                "Add a lag dashboard",
            ),
            // Given names from many languages.
            (
                "Jonas: ask for a grace period",
                Some("Jonas"),
                "ask for a grace period",
            ),
            ("Inês: rotate the key", Some("Inês"), "rotate the key"),
            (
                "Kwame Mensah: add a check",
                Some("Kwame Mensah"),
                "add a check",
            ),
            // A language or a tool is not a person.
            ("Ruby: upgrade the gem", None, "Ruby: upgrade the gem"),
            ("Hugo: pin the theme", None, "Hugo: pin the theme"),
            ("Billing: add a test", None, "Billing: add a test"),
            ("Note: add a test", None, "Note: add a test"),
        ] {
            let it = item(raw, 1, None);
            assert_eq!(
                (it.owner.as_deref(), it.text.as_str()),
                (owner, text),
                "{raw}"
            );
        }
        for raw in [
            "~~Roll back the timeout~~ done",
            "~~Roll back the timeout~~ (fixed)",
        ] {
            let it = item(raw, 1, None);
            assert_eq!(
                (it.text.as_str(), it.status),
                ("Roll back the timeout", ActionStatus::Done),
                "{raw}"
            );
        }
        assert_eq!(it.owner.as_deref(), Some("@sam"));
        assert_eq!(it.status, ActionStatus::InProgress);
        // A link's address is no labelled group.
        let it = item(
            "Automate deploys ([#11957](https://example.com/11957))",
            1,
            None,
        );
        assert_eq!(
            it.text,
            "Automate deploys ([#11957](https://example.com/11957))"
        );
        // Sentences without labels stay as written.
        let it = item("Fix the quorum. Then test it, twice.", 1, None);
        assert_eq!(it.text, "Fix the quorum. Then test it, twice.");
        assert_eq!(it.owner, None);
    }

    #[test]
    fn an_unlabelled_owner_and_due_date_end_an_item() {
        for raw in [
            "Fail the merge job on partial merges - Sam Lee - 2024-12-20",
            "Fail the merge job on partial merges — Sam Lee — due 2024-12-20",
            "Fail the merge job on partial merges (Sam Lee, due 2024-12-20)",
            "Fail the merge job on partial merges | Sam Lee | Dec 20, 2024",
            "Fail the merge job on partial merges — Sam Lee, 2024-12-20",
            "Fail the merge job on partial merges -- Sam Lee, by 2024-12-20",
        ] {
            let it = item(raw, 1, None);
            assert_eq!(it.text, "Fail the merge job on partial merges", "{raw}");
            assert_eq!(it.owner.as_deref(), Some("Sam Lee"), "{raw}");
            assert_eq!(it.due.as_deref(), Some("2024-12-20"), "{raw}");
        }
        // A quarter as the deadline, beside a person or a team.
        for (raw, owner, due) in [
            (
                "Move to a managed cache (Infra team, Q3)",
                "Infra team",
                "Q3",
            ),
            (
                "Move to a managed cache (Sam Lee, Q3 2024)",
                "Sam Lee",
                "Q3 2024",
            ),
            (
                "Move to a managed cache — Sam Lee — end of Q4",
                "Sam Lee",
                "end of Q4",
            ),
            (
                "Move to a managed cache (Platform team, FY25 H2)",
                "Platform team",
                "FY25 H2",
            ),
            // A deadline counted from now.
            (
                "Move to a managed cache (Ivan, this week)",
                "Ivan",
                "this week",
            ),
            (
                "Move to a managed cache — Sam Lee — end of sprint",
                "Sam Lee",
                "end of sprint",
            ),
            (
                "Move to a managed cache (Infra team, ASAP)",
                "Infra team",
                "ASAP",
            ),
        ] {
            let it = item(raw, 1, None);
            assert_eq!(it.text, "Move to a managed cache", "{raw}");
            assert_eq!(it.owner.as_deref(), Some(owner), "{raw}");
            assert_eq!(it.due.as_deref(), Some(due), "{raw}");
        }
        // Words that only look like one are no deadline.
        for raw in [
            "Tune the cache (Redis, Q3 review)",
            "Tune the cache (Sam, QA)",
            "Tune the cache (Redis, this week's settings)",
        ] {
            assert_eq!(item(raw, 1, None).owner, None, "{raw}");
        }
        // Labelled and unlabelled fields apart by dashes.
        let it = item(
            "Add a production guard — Assignee: Priya N. — Due 2024-03-29",
            1,
            None,
        );
        assert_eq!(it.text, "Add a production guard");
        assert_eq!(it.owner.as_deref(), Some("Priya N"));
        assert_eq!(it.due.as_deref(), Some("2024-03-29"));
        // An owner named without a colon inside the brackets.
        let it = item("P1: Pin module versions (owner @rcosta)", 1, None);
        assert_eq!(it.text, "P1: Pin module versions");
        assert_eq!(it.owner.as_deref(), Some("@rcosta"));
        let it = item("Improve logging (ETA: Q1, owner - Wei)", 1, None);
        assert_eq!(it.owner.as_deref(), Some("Wei"));
        // Fields in brackets under many spellings.
        for (raw, owner, due, status, tracker) in [
            (
                "Add a canary (Owner: Sam Lee; Due: 2024-06-01)",
                Some("Sam Lee"),
                Some("2024-06-01"),
                None,
                None,
            ),
            (
                "Add a canary [owner: sam] [due: 2024-06-01]",
                Some("sam"),
                Some("2024-06-01"),
                None,
                None,
            ),
            (
                "Add a canary (JIRA-123, Sam)",
                Some("Sam"),
                None,
                None,
                Some("JIRA-123"),
            ),
            (
                "~~Add a canary~~ (done, Sam)",
                Some("Sam"),
                None,
                Some(ActionStatus::Done),
                None,
            ),
            ("Add a canary _(owner: Sam)_", Some("Sam"), None, None, None),
            ("Add a canary -> owner: Sam", Some("Sam"), None, None, None),
            (
                "Add a canary → Sam Lee → 2024-06-01",
                Some("Sam Lee"),
                Some("2024-06-01"),
                None,
                None,
            ),
            (
                "**Add a canary** – Sam – 2024-06-01",
                Some("Sam"),
                Some("2024-06-01"),
                None,
                None,
            ),
            (
                "TODO: Add a canary (owner: Sam)",
                Some("Sam"),
                None,
                Some(ActionStatus::Open),
                None,
            ),
            (
                "Action: Add a canary (Owner: Sam, Due: 2024-06-01)",
                Some("Sam"),
                Some("2024-06-01"),
                None,
                None,
            ),
            (
                "[OPS-90](https://jira.example.com/browse/OPS-90) Add a canary — owner: @sam",
                Some("@sam"),
                None,
                None,
                Some("OPS-90"),
            ),
        ] {
            let it = item(raw, 1, None);
            assert_eq!(it.text, "Add a canary", "{raw}");
            assert_eq!(it.owner.as_deref(), owner, "{raw}");
            assert_eq!(it.due.as_deref(), due, "{raw}");
            assert_eq!(it.tracker.as_deref(), tracker, "{raw}");
            if let Some(st) = status {
                assert_eq!(it.status, st, "{raw}");
            }
        }
        for (raw, text, owner, due) in [
            (
                "**Sam** will add a disk alert",
                "**Sam** will add a disk alert",
                "Sam",
                None,
            ),
            (
                "Add disk alert <@sam.lee>",
                "Add disk alert",
                "@sam.lee",
                None,
            ),
            (
                "Add disk alert - owner Sam, due 2026-04-01",
                "Add disk alert",
                "Sam",
                Some("2026-04-01"),
            ),
            (
                "Add disk alert. Owner - Sam",
                "Add disk alert.",
                "Sam",
                None,
            ),
            (
                "Add a dead-letter queue @Leila Haddad 22 Jul 2026",
                "Add a dead-letter queue",
                "@Leila Haddad",
                Some("2026-07-22"),
            ),
            (
                "Alert on restarts @Tom Baker",
                "Alert on restarts",
                "@Tom Baker",
                None,
            ),
            (
                "Alert on restarts @leila",
                "Alert on restarts",
                "@leila",
                None,
            ),
        ] {
            let it = item(raw, 1, None);
            assert_eq!(
                (it.text.as_str(), it.owner.as_deref(), it.due.as_deref()),
                (text, Some(owner), due),
                "{raw}"
            );
        }
        let it = item("Dave will tune the autoscaler", 1, None);
        assert_eq!(
            (it.text.as_str(), it.owner.as_deref()),
            ("Dave will tune the autoscaler", Some("Dave"))
        );
        assert_eq!(item("Grace period to be extended", 1, None).owner, None);
        let it = item("Rotate the leaked key — Security team", 1, None);
        assert_eq!(
            (it.text.as_str(), it.owner.as_deref()),
            ("Rotate the leaked key", Some("Security team"))
        );
        // A team is named in lower case too; words about teams name none.
        let got = extract(&[
            Line::new(
                1,
                "- Review switch port changes twice (network team)",
                false,
            ),
            Line::new(2, "- Share the runbook (across the team)", false),
            Line::new(3, "- Monitor certificate expiry (Ops guild)", false),
            Line::new(4, "- Publish the phone tree (IT service desk)", false),
            Line::new(5, "- Warn staff before VPN work (IT comms)", false),
            Line::new(
                6,
                "- Automate certificate renewal (IT infrastructure)",
                false,
            ),
            Line::new(7, "- Alert on 403s from storage — Ravi (DRI)", false),
        ]);
        assert_eq!(
            text_owner_due(&got),
            [
                (
                    "Review switch port changes twice",
                    Some("network team"),
                    None
                ),
                ("Share the runbook (across the team)", None, None),
                ("Monitor certificate expiry", Some("Ops guild"), None),
                ("Publish the phone tree", Some("IT service desk"), None),
                ("Warn staff before VPN work", Some("IT comms"), None),
                (
                    "Automate certificate renewal",
                    Some("IT infrastructure"),
                    None
                ),
                ("Alert on 403s from storage", Some("Ravi"), None),
            ]
        );
        let it = item("TODO(sam): Add a canary", 1, None);
        assert_eq!(
            (it.text.as_str(), it.owner.as_deref()),
            ("Add a canary", Some("sam"))
        );
        let it = item("DONE(sam): Document the flag", 1, None);
        assert_eq!(
            (it.text.as_str(), it.owner.as_deref(), it.status),
            ("Document the flag", Some("sam"), ActionStatus::Done)
        );
        let it = item("Add a canary → Sam", 1, None);
        assert_eq!(
            (it.text.as_str(), it.owner.as_deref()),
            ("Add a canary", Some("Sam"))
        );
        // A name alone in brackets, or beside words that are no field, stays text.
        for raw in [
            "Add a canary (see Grafana)",
            "Add a canary (Sam, if time allows)",
        ] {
            assert_eq!(item(raw, 1, None).text, raw);
        }
        // A day written in figures without its year stays as written.
        let it = item("Cap the session size (Sam, by 3/15)", 1, None);
        assert_eq!(it.text, "Cap the session size");
        assert_eq!(it.owner.as_deref(), Some("Sam"));
        assert_eq!(it.due.as_deref(), Some("3/15"));
        // Without the date, or with words that are no name, the text stays whole (a given name
        // alone is an owner: `a_given_name_closing_an_item_is_its_owner`).
        for raw in [
            "Upgrade the cluster - phase two - 2024-12-20",
            "Upgrade the cluster (see the runbook, 2024-12-20)",
            "Roll out v2 - 2024-12-20",
            "Upgrade the cluster - in place, 2024-12-20",
        ] {
            let it = item(raw, 1, None);
            assert_eq!(it.text, raw);
            assert_eq!(it.owner, None, "{raw}");
        }
    }

    #[test]
    fn an_item_saying_there_are_none_is_none() {
        for text in [
            "- N/A\n",
            "- No immediate action items.\n",
            "None.\n",
            // The first clause says so; the rest says why.
            "None at this time; the certificate is now renewed by cert-manager.\n",
            "No further action needed. The job was retired.\n",
        ] {
            assert!(extract(&lines::split(text, 1)).items.is_empty(), "{text}");
        }
        let got = extract(&lines::split(
            "- No action without a ticket: file them\n",
            1,
        ));
        assert_eq!(got.items.len(), 1);
    }

    #[test]
    fn details_under_an_item_leave_its_owner() {
        let got = extract(&lines::split(
            "- Alert on disk usage (Ana)\n  - page at 85%\n  - ticket at 75%\n- Move the queue data — Ben\n  - needs a window\n- Stagger flushes (@mira)\n  - catalog first\n",
            1,
        ));
        assert_eq!(
            text_owner_due(&got),
            [
                (
                    "Alert on disk usage; page at 85%; ticket at 75%",
                    Some("Ana"),
                    None
                ),
                ("Move the queue data; needs a window", Some("Ben"), None),
                ("Stagger flushes; catalog first", Some("@mira"), None),
            ]
        );
    }

    #[test]
    fn emoji_checkboxes_after_a_list_marker() {
        let got = extract(&lines::split(
            "- 🔲 Enforce a minimum of 4 workers — @yuki\n- ✔️ Raise the minimum by hand — @yuki\n",
            1,
        ));
        let seen: Vec<(&str, ActionStatus)> = got
            .items
            .iter()
            .map(|a| (a.text.as_str(), a.status))
            .collect();
        assert_eq!(
            seen,
            [
                ("Enforce a minimum of 4 workers", ActionStatus::Open),
                ("Raise the minimum by hand", ActionStatus::Done)
            ]
        );
    }

    #[test]
    fn several_marked_items_on_one_line() {
        let got = extract(&lines::split(
            "✅ Add a deployment pipeline. ✅ Enable error alerts. ✅ Use version control.\n",
            1,
        ));
        let texts: Vec<&str> = got.items.iter().map(|a| a.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Add a deployment pipeline.",
                "Enable error alerts.",
                "Use version control."
            ]
        );
        assert!(got.items.iter().all(|a| a.status == ActionStatus::Done));
        // One mark in a sentence is no list.
        let got = extract(&lines::split("✅ Alerts are ✅ green now.\n", 1));
        assert_eq!(got.items.len(), 1);
    }

    #[test]
    fn plain_lines_with_emoji_marks_and_a_closing_rule() {
        let text = "\u{2714}\u{fe0f} Add tests for the proxy config.\n\u{2714}\u{fe0f} Keep a spare server.\n\n---\n";
        let section = lines::split(text, 1);
        let got = extract(&section);
        let texts: Vec<_> = got.items.iter().map(|a| a.text.as_str()).collect();
        assert_eq!(
            texts,
            ["Add tests for the proxy config.", "Keep a spare server."]
        );
        assert!(got.items.iter().all(|a| a.status == ActionStatus::Done));
    }

    #[test]
    fn a_handle_at_the_end_of_an_item_is_taken_off_its_text() {
        let it = item("Smoke test checks for rendered content @mira", 1, None);
        assert_eq!(
            (it.text.as_str(), it.owner.as_deref()),
            ("Smoke test checks for rendered content", Some("@mira"))
        );
        // Inside the text, a handle stays where it is.
        let it = item("Ask @devon to add the forum to the alert sources", 1, None);
        assert_eq!(it.text, "Ask @devon to add the forum to the alert sources");
        assert_eq!(it.owner.as_deref(), Some("@devon"));
    }

    /// [`items_elsewhere`] of a text, in a document without (`introduced`) or with a section of
    /// action items, in a section named "Remediation" or not.
    fn elsewhere(
        text: &str,
        introduced: bool,
        remediation: bool,
    ) -> Option<(Vec<ActionItem>, Vec<Line<'_>>)> {
        let may = Elsewhere {
            introduced,
            remediation,
            pledges: false,
        };
        items_elsewhere(&lines::split(text, 1), may)
    }

    fn text_owner(items: &[ActionItem]) -> Vec<(&str, Option<&str>)> {
        items
            .iter()
            .map(|a| (a.text.as_str(), a.owner.as_deref()))
            .collect()
    }

    #[test]
    fn actions_planned_under_a_lesson() {
        let text = "Nobody checked the inbox.\n\n**Actions planned:**\n\n1. Alert on new reports.\n1. Review who can read the inbox.\n\nThe channel was public.\n\n**Action planned:**\n\nA private channel is opened for every report, and only the responders join it.\n\nWe had no alert for this.\n\n**Action planned:** We will expand the checks we run.\n\n**Action taken:**\n\nWe restarted the node.\n";
        let (items, _) = elsewhere(text, true, false).unwrap();
        let texts: Vec<&str> = items.iter().map(|a| a.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Alert on new reports.",
                "Review who can read the inbox.",
                "A private channel is opened for every report, and only the responders join it.",
                "We will expand the checks we run."
            ]
        );
    }

    #[test]
    fn headings_grouping_the_lists_of_items() {
        let got = extract(&[
            Line::new(1, "### Short term", false),
            Line::new(2, "- [x] Roll back the analyzer change (Kai)", false),
            Line::new(3, "- [ ] Re-index the products (Kai)", false),
            Line::new(4, "### Long-term fixes", false),
            Line::new(5, "- [ ] Add an integration test for analyzers", false),
            Line::new(6, "  - cover apostrophes", false),
            Line::new(7, "- [ ] Canary index changes (Search team)", false),
        ]);
        assert_eq!(got.items.len(), 4);
        assert_eq!(got.items[3].owner.as_deref(), Some("Search team"));
        // Headings that each name one action stay its items.
        let got = extract(&[
            Line::new(1, "### Add a dead-letter queue", false),
            Line::new(2, "- Owner: Kai", false),
            Line::new(3, "### Alert on restarts", false),
            Line::new(4, "- Owner: Lin", false),
        ]);
        assert_eq!(got.items.len(), 2);
        assert_eq!(got.items[0].text, "Add a dead-letter queue");
    }

    #[test]
    fn an_owner_column_left_empty_in_words_names_no_owner() {
        let got = extract(&[
            Line::new(1, "| Action | Owner | Status |", false),
            Line::new(2, "|---|---|---|", false),
            Line::new(3, "| Write a release process | ??? | TODO |", false),
            Line::new(
                4,
                "| Pull the build from the stores | Andre | DONE |",
                false,
            ),
            Line::new(5, "| Add a beta channel | Unassigned | TODO |", false),
        ]);
        assert_eq!(
            text_owner(&got.items),
            [
                ("Write a release process", None),
                ("Pull the build from the stores", Some("Andre")),
                ("Add a beta channel", None),
            ]
        );
    }

    #[test]
    fn headings_over_lists_of_checkboxes_group_them() {
        let text = "### Public endpoint\n- [ ] Add read replicas to the edge proxy\n- [ ] Split traffic across providers (in progress)\n\n### Infra\n- [ ] Ensure that alerting is in place for:\n  - [ ] the claims backend\n- [x] Remove internal uses of the public endpoint\n";
        let got = extract(&lines::split(text, 1));
        let texts: Vec<&str> = got.items.iter().map(|a| a.text.as_str()).collect();
        assert_eq!(texts.len(), 4, "{texts:?}");
        assert_eq!(texts[0], "Add read replicas to the edge proxy");
        assert_eq!(got.items[3].status, ActionStatus::Done);
        assert_eq!(got.items[1].status, ActionStatus::InProgress);
    }

    #[test]
    fn a_status_in_the_reference_column_is_no_ticket() {
        let text = "| Action Item | Owner | Reference |\n|---|---|---|\n| Pull the build from the stores | Andre | **DONE** |\n| Write a release process | Jakub | OPS-12 TODO |\n";
        let got = extract(&lines::split(text, 1));
        let got: Vec<_> = got
            .items
            .iter()
            .map(|a| (a.tracker.as_deref(), a.status))
            .collect();
        assert_eq!(
            got,
            [
                (None, ActionStatus::Done),
                (Some("OPS-12"), ActionStatus::Open)
            ]
        );
    }

    #[test]
    fn a_table_pasted_as_plain_text_without_its_outer_pipes() {
        let got = extract(&[
            Line::new(1, "Action Item | Type | Owner | Bug", false),
            Line::new(
                2,
                "Refresh canary baselines daily | prevent | wei | API-301",
                false,
            ),
            Line::new(3, "Add manual approval | mitigate | ada | API-303", false),
            Line::new(4, "", false),
            Line::new(5, "Review latency | cache | disk", false),
        ]);
        assert_eq!(
            text_owner_due(&got),
            [
                ("Refresh canary baselines daily", Some("wei"), None),
                ("Add manual approval", Some("ada"), None),
                ("Review latency | cache | disk", None, None),
            ]
        );
        assert_eq!(got.items[0].tracker.as_deref(), Some("API-301"));
    }

    #[test]
    fn items_marked_as_such_under_another_heading() {
        let text = "- The alert went to a mailbox nobody reads.\n  - AI: route certificate alerts to on-call (owner: Femi, due 2024-09-06)\n- **Action item:** renew by automation\n- AI is not a mark here: the model helped.\n";
        let (items, kept) = elsewhere(text, true, false).unwrap();
        assert_eq!(
            text_owner(&items),
            [
                ("route certificate alerts to on-call", Some("Femi")),
                ("renew by automation", None)
            ]
        );
        assert_eq!(kept.iter().filter(|l| !l.blank).count(), 2);
    }

    #[test]
    fn a_line_naming_the_actions_introduces_their_list() {
        let text = "Sam rolled back the file at 16:01.\n\nThings we're doing:\n* validate the synonym file in CI (Sam)\n* keep the old synonyms when a new file fails to load (Priya)\n";
        let (items, _) = elsewhere(text, true, false).unwrap();
        assert_eq!(
            text_owner(&items),
            [
                ("validate the synonym file in CI", Some("Sam")),
                (
                    "keep the old synonyms when a new file fails to load",
                    Some("Priya")
                )
            ]
        );
        // A list of what was done is no list of actions.
        assert!(elsewhere("Things we tried:\n* restarted the nodes\n", true, false).is_none());
    }

    #[test]
    fn a_letters_closing_ends_the_items() {
        let text = "AI-1: Cap connections per job (Owner: Lena)\nAI-2: Alert on pool saturation\n\nThanks,\nLena\n";
        let got = extract(&lines::split(text, 1));
        assert_eq!(got.items.len(), 2);
        assert!(got.leftover.contains("Thanks,\nLena"), "{}", got.leftover);
        // A closing paragraph after items written as plain lines is no item.
        let text = "Add a canary for config pushes.\nAlert on pool saturation.\n\nIn conclusion, the outage came from a config push. We will keep learning.\n";
        let got = extract(&lines::split(text, 1));
        assert_eq!(got.items.len(), 2);
        assert!(
            got.leftover.starts_with("In conclusion"),
            "{}",
            got.leftover
        );
    }

    #[test]
    fn a_paragraph_of_pledges_is_an_item_per_pledge() {
        let text = "We will move every job to UTC. We will also alert when the run is late. Finally, we will review the other schedulers.\n";
        let got = extract(&lines::split(text, 1));
        let texts: Vec<&str> = got.items.iter().map(|a| a.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "We will move every job to UTC.",
                "We will also alert when the run is late.",
                "Finally, we will review the other schedulers."
            ]
        );
        // One pledge and its reason stay one item.
        let text = "We will move every job to UTC, since local time hid the mistake. It was easy to miss.\n";
        assert_eq!(extract(&lines::split(text, 1)).items.len(), 1);
    }

    #[test]
    fn items_run_together_each_with_its_owner_are_items() {
        for text in [
            "separate the pools (Lucía), cap batch concurrency (Jorge).\n",
            "separate the pools (Lucía); cap batch concurrency (Jorge)\n",
        ] {
            let got = extract(&lines::split(text, 1));
            assert_eq!(
                text_owner(&got.items),
                [
                    ("separate the pools", Some("Lucía")),
                    ("cap batch concurrency", Some("Jorge"))
                ],
                "{text}"
            );
        }
        // Products in brackets, or text after the last bracket, are one item.
        for text in [
            "add metrics (Prometheus), and dashboards (Grafana)\n",
            "separate the pools (Lucía), cap batch concurrency (Jorge) where we can\n",
        ] {
            assert_eq!(extract(&lines::split(text, 1)).items.len(), 1, "{text}");
        }
    }

    #[test]
    fn a_groups_status_heading_gives_its_items_their_status() {
        for text in [
            "**Completed**\n1. Raised the limit.\n2. Added an alert.\n\n**Pending**\n3. Spread the buckets.\n",
            "### Done\n- Raised the limit.\n- Added an alert.\n\n### Pending\n- Spread the buckets.\n",
        ] {
            let got = extract(&lines::split(text, 1));
            let status: Vec<ActionStatus> = got.items.iter().map(|a| a.status).collect();
            assert_eq!(
                status,
                [ActionStatus::Done, ActionStatus::Done, ActionStatus::Open],
                "{text}"
            );
        }
    }

    /// Each item's text, owner and due date.
    fn text_owner_due(got: &Extracted) -> Vec<(&str, Option<&str>, Option<&str>)> {
        let items = got.items.iter();
        items
            .map(|a| (a.text.as_str(), a.owner.as_deref(), a.due.as_deref()))
            .collect()
    }

    #[test]
    fn a_list_of_assigned_work_under_another_heading() {
        let text = "We rolled back at 00:15.\n\n1. Contract tests for the queue format. (Owner: Integrations, ETA: Sep 15)\n2. Replay tooling as a runbook. (Owner: SRE, ETA: Sep 30)\n3. Review the alert\n";
        let (items, kept) = elsewhere(text, true, false).unwrap();
        let owners: Vec<_> = items.iter().map(|a| a.owner.as_deref()).collect();
        assert_eq!(owners, [Some("Integrations"), Some("SRE"), None]);
        assert_eq!(kept[0].text, "We rolled back at 00:15.");
        // What was done, with no owners, stays the section's text; so does a list beside a
        // section of action items.
        let done =
            "1. Rolled back the deploy\n2. Replayed the webhooks (owner: SRE)\n3. Told customers\n";
        assert!(elsewhere(done, true, false).is_none());
        assert!(elsewhere(text, false, false).is_none());
        // Under a heading named for remediation, a list is of remediation items.
        let (items, kept) = elsewhere(done, true, true).unwrap();
        assert_eq!(items.len(), 3);
        assert!(kept.iter().all(|l| l.blank));
        assert!(elsewhere(done, false, true).is_none());
    }

    #[test]
    fn numbers_opening_an_item() {
        for (text, want) in [
            ("1. Add TTL jitter", "Add TTL jitter"),
            ("2) Page on lag", "Page on lag"),
            ("4.1 Move the job", "Move the job"),
            ("4.1. Move the job", "Move the job"),
            ("1.2.3 Move the job", "Move the job"),
            ("3 engineers review it", "3 engineers review it"),
            ("1.5x faster caches", "1.5x faster caches"),
            (
                "10.0.0.1 blocked at the edge",
                "10.0.0.1 blocked at the edge",
            ),
            ("2024 budget review", "2024 budget review"),
        ] {
            assert_eq!(unnumbered(text), want, "{text}");
        }
    }

    #[test]
    fn an_item_per_sub_heading_with_its_fields_under_it() {
        let text = "### 1. Add TTL jitter\n\nDRI: Amaya\nDue: 2024-06-20\n\n### 2) Enable coalescing\n\nThe cache refills at once.\nResponsible: Pricing team\nTarget date: 2024-07-01\n\n### 3. Load test\n\n### 4. Renew by ACME\n\nMove it to the public site's renewal. Owner: Zoe. Due: 2024-07-15.\n";
        let got = extract(&lines::split(text, 1));
        let read = text_owner_due(&got);
        assert_eq!(
            read,
            [
                ("Add TTL jitter", Some("Amaya"), Some("2024-06-20")),
                (
                    "Enable coalescing",
                    Some("Pricing team"),
                    Some("2024-07-01")
                ),
                ("Load test", None, None),
                // Fields closing the sentence that explains the item.
                ("Renew by ACME", Some("Zoe"), Some("2024-07-15")),
            ]
        );
        assert!(got.leftover.contains("The cache refills at once."));
        assert!(
            got.leftover
                .contains("Move it to the public site's renewal.")
        );
    }

    #[test]
    fn fields_on_the_line_under_an_item_are_its_own() {
        let text = "- [ ] Bound the replica count\n  Owner: Tomás. Due: 2023-11-20.\n- [ ] Page on queue age, not\n  depth\n";
        let got = extract(&lines::split(text, 1));
        let read = text_owner_due(&got);
        assert_eq!(
            read,
            [
                ("Bound the replica count", Some("Tomás"), Some("2023-11-20")),
                ("Page on queue age, not depth", None, None),
            ]
        );
    }
}
