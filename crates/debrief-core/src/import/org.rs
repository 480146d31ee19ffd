//! Org mode, read as the Markdown it stands for: `#+TITLE:` is the title and `#+DATE:` and
//! `#+AUTHOR:` labels, `* Heading` a section one level under it, a heading with a `TODO` or
//! `DONE` keyword an action item's checkbox (an `@name` tag its owner, `DEADLINE:` its due
//! date), `- term :: text` a list item, `|---+---|` a table's rule and `#+BEGIN_SRC` blocks
//! code fences. Property drawers, priority cookies (`[#A]`) and other settings are dropped;
//! everything else is kept as written.

/// The settings Org mode keeps at a document's head: `#+TITLE: ...` and the like.
fn setting(line: &str) -> Option<(String, &str)> {
    let rest = line.strip_prefix("#+")?;
    let (key, value) = rest.split_once(':')?;
    (!key.is_empty() && key.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_'))
        .then(|| (key.to_ascii_lowercase(), value.trim()))
}

/// Whether `text` is Org mode: before its first heading it sets a title, a date or an author
/// with `#+KEY:` lines.
pub fn looks_like_org(text: &str) -> bool {
    text.lines()
        .take_while(|l| !l.starts_with("* "))
        .filter_map(setting)
        .any(|(key, _)| matches!(key.as_str(), "title" | "date" | "author"))
}

/// `* Heading` to `**** Heading`: the level (stars) and the text.
fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.bytes().take_while(|&b| b == b'*').count();
    let rest = line[level..].strip_prefix(' ')?.trim();
    (level >= 1 && !rest.is_empty()).then_some((level, rest))
}

/// A heading's text without its trailing `:tags:`, and the first tag naming a person
/// (`:@sam:`, as Org users tag whom an item waits on).
fn without_tags(text: &str) -> (&str, Option<&str>) {
    match text.rsplit_once(' ') {
        Some((head, tags))
            if tags.len() > 2
                && tags.starts_with(':')
                && tags.ends_with(':')
                && !tags.contains(char::is_whitespace) =>
        {
            let person = tags.split(':').find(|t| t.len() > 1 && t.starts_with('@'));
            (head.trim_end(), person)
        }
        _ => (text, None),
    }
}

/// "[#A] text": a heading's priority cookie, which ranks the item and says nothing of it.
fn without_priority(text: &str) -> &str {
    match text.strip_prefix("[#") {
        Some(rest) if rest.as_bytes().get(1) == Some(&b']') => rest[2..].trim_start(),
        _ => text,
    }
}

/// "2024-11-05 Tue 09:10": an Org timestamp's inside, as the date and time it gives
/// ("2024-11-05 09:10"), without its weekday or repeater. `None` when it is no timestamp (a
/// checkbox, a priority cookie, a link's text).
fn stamp_inside(inner: &str) -> Option<String> {
    let mut parts = inner.split(' ').filter(|p| !p.is_empty());
    let date = parts.next()?;
    let b = date.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        return None;
    }
    let mut out = date.to_string();
    for part in parts {
        // The clock time or range; a weekday ("Tue") and a repeater ("+1w") say nothing more.
        if part.starts_with(|c: char| c.is_ascii_digit()) {
            out.push(' ');
            out.push_str(part);
        }
    }
    Some(out)
}

/// A line with each Org timestamp in it ("<2024-11-05 Tue 09:10>", "[2024-11-05 Tue]") written
/// as its date and time.
fn plain_timestamps(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.contains(['<', '[']) {
        return std::borrow::Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find(['<', '[']) {
        let close = if rest[i..].starts_with('<') { '>' } else { ']' };
        let found = rest[i + 1..].find(close).and_then(|j| {
            let stamp = stamp_inside(&rest[i + 1..i + 1 + j])?;
            Some((stamp, i + 2 + j))
        });
        match found {
            Some((stamp, after)) => {
                out.push_str(&rest[..i]);
                out.push_str(&stamp);
                rest = &rest[after..];
            }
            None => {
                out.push_str(&rest[..=i]);
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// The Markdown an Org mode text stands for.
pub fn to_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut drawer = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if drawer {
            drawer = !trimmed.eq_ignore_ascii_case(":END:");
            continue;
        }
        if trimmed.eq_ignore_ascii_case(":PROPERTIES:") || trimmed.eq_ignore_ascii_case(":LOGBOOK:")
        {
            drawer = true;
            continue;
        }
        let lower = trimmed.to_ascii_lowercase();
        if lower.starts_with("#+begin_") || lower.starts_with("#+end_") {
            out.push_str("```\n");
            continue;
        }
        if let Some((key, value)) = setting(trimmed) {
            match key.as_str() {
                "title" => {
                    out.push_str("# ");
                    out.push_str(value);
                    out.push('\n');
                }
                "date" | "author" | "email" => {
                    out.push_str(&key[..1].to_ascii_uppercase());
                    out.push_str(&key[1..]);
                    out.push_str(": ");
                    out.push_str(&plain_timestamps(value));
                    out.push_str("\n\n");
                }
                _ => {}
            }
            continue;
        }
        let line = &*plain_timestamps(line);
        if let Some((level, rest)) = heading(line) {
            let (rest, person) = without_tags(rest);
            let item = |mark: &str, item: &str, out: &mut String| {
                out.push_str(mark);
                out.push_str(without_priority(item));
                if let Some(person) = person {
                    out.push_str(" (owner: ");
                    out.push_str(person);
                    out.push(')');
                }
            };
            match rest.split_once(' ') {
                Some(("TODO", text)) => item("- [ ] ", text, &mut out),
                Some(("DONE", text)) => item("- [x] ", text, &mut out),
                _ => {
                    out.push_str(&"#".repeat((level + 1).min(6)));
                    out.push(' ');
                    out.push_str(rest);
                }
            }
            out.push('\n');
            continue;
        }
        // "|------+------|": a table's rule, as Markdown draws it.
        if trimmed.starts_with("|-") && trimmed.bytes().all(|b| b"|-+: ".contains(&b)) {
            out.push_str(&trimmed.replace('+', "|"));
            out.push('\n');
            continue;
        }
        // "DEADLINE: <2025-03-20 Thu>" under an item: its due date.
        if let Some(value) = trimmed
            .strip_prefix("DEADLINE:")
            .or_else(|| trimmed.strip_prefix("SCHEDULED:"))
        {
            out.push_str("   Due: ");
            out.push_str(&plain_timestamps(value.trim()));
            out.push('\n');
            continue;
        }
        // "- 14:02 UTC :: text": a description list's term, then its text.
        match line.split_once(" :: ") {
            Some((term, desc)) if term.trim_start().starts_with(['-', '+']) => {
                out.push_str(term);
                out.push_str(": ");
                out.push_str(desc);
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_headings_and_todo_items_become_markdown() {
        let doc = "#+TITLE: Webhooks delayed\n#+DATE: <2023-11-07 Tue>\n#+OPTIONS: toc:nil\n\n* Timeline\n- 14:02 UTC :: Autoscaler sets 0 replicas.\n* Action items\n** TODO Bound the replica count :ops:\n   :PROPERTIES:\n   :ID: 1\n   :END:\n   Owner: Tomás.\n** DONE Page on queue age\n#+BEGIN_SRC sh\nkubectl get hpa\n#+END_SRC\n";
        assert!(looks_like_org(doc));
        let md = to_markdown(doc);
        assert!(
            md.starts_with("# Webhooks delayed\nDate: 2023-11-07\n"),
            "{md}"
        );
        assert!(!md.contains("OPTIONS"), "{md}");
        assert!(
            md.contains("## Timeline\n- 14:02 UTC: Autoscaler sets 0 replicas.\n"),
            "{md}"
        );
        assert!(
            md.contains("## Action items\n- [ ] Bound the replica count\n   Owner: Tomás.\n- [x] Page on queue age\n"),
            "{md}"
        );
        assert!(md.contains("```\nkubectl get hpa\n```\n"), "{md}");
    }

    #[test]
    fn timestamps_in_running_text_give_their_date_and_time() {
        let doc = "#+TITLE: T\n* Timeline\n- <2024-11-05 Tue 09:10> Resolver retired\n- [2024-11-05 Tue 09:41-09:50] Scope corrected\n** <2024-11-06 Wed> Follow-up\n- [ ] check [#A] and [[https://x/y][link]]\n";
        let md = to_markdown(doc);
        assert!(md.contains("- 2024-11-05 09:10 Resolver retired\n"), "{md}");
        assert!(
            md.contains("- 2024-11-05 09:41-09:50 Scope corrected\n"),
            "{md}"
        );
        assert!(md.contains("### 2024-11-06 Follow-up\n"), "{md}");
        assert!(
            md.contains("- [ ] check [#A] and [[https://x/y][link]]\n"),
            "{md}"
        );
    }

    #[test]
    fn tables_deadlines_priorities_and_people_tagged() {
        let doc = "#+TITLE: T\n* Timeline\n| Time | Event |\n|------+-------|\n| 08:15 | Queue grows |\n* Action items\n** TODO [#A] Alert on queue age :@sam:infra:\n   DEADLINE: <2025-03-20 Thu>\n";
        let md = to_markdown(doc);
        assert!(md.contains("| Time | Event |\n|------|-------|\n"), "{md}");
        assert!(
            md.contains("- [ ] Alert on queue age (owner: @sam)\n   Due: 2025-03-20\n"),
            "{md}"
        );
    }

    #[test]
    fn markdown_is_not_org() {
        for doc in [
            "# Title\n\n* a bullet\n",
            "Summary\n\n#+ not a setting\n",
            "* Title: a bullet\n#+TITLE: after the first heading\n",
        ] {
            assert!(!looks_like_org(doc), "{doc}");
        }
    }
}
