//! Stage 2 of the importer, block roles: which sections hold the incident's timeline when
//! several could, whether a document is one postmortem at all (an index of links to many is
//! not), and whether it tells its postmortem twice.

use super::blocks::RawSection;
use super::lines;
use super::timeline::{self, Clock, Context};
use crate::model::SectionKind;
use crate::time::{self, Date};

/// Picks the incident's timeline when a document has several candidates: the sections named
/// Timeline, and unnamed sections whose lines mostly begin with a date and time (a "Context"
/// list under a short "Key events" summary). The one with the most stamped entries is the
/// timeline; a named timeline that repeats its stamps (a summary, a second copy) or holds fewer
/// entries than an unnamed list is set aside as an ordinary section. Returns the indexes of the
/// sections set aside, in ascending order (look them up with a binary search).
pub(super) fn choose_timelines(
    sections: &mut Vec<RawSection<'_, '_>>,
    day_first: Option<bool>,
) -> Vec<usize> {
    let ctx = Context {
        day_first,
        ..Context::default()
    };
    /// A section that may hold the timeline: its index, whether its heading names a timeline,
    /// and the date and time of each stamped entry.
    type Candidate = (usize, bool, Vec<(Option<Date>, Option<time::Time>)>);
    // Without a section named Timeline, the stamped list may sit under a heading that names
    // another part of the story ("Response", "What happened"): such a section is a candidate
    // too (action items' sections aside, whose dates are due dates).
    let any_named = sections
        .iter()
        .any(|s| s.kind() == Some(SectionKind::Timeline));
    let possible: Vec<(usize, bool)> = sections
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let named = s.kind() == Some(SectionKind::Timeline);
            let open = match s.kind() {
                None => true,
                Some(SectionKind::ActionItems | SectionKind::Timeline) => false,
                Some(_) => !any_named,
            };
            let unnamed = open && timeline::looks_like_timeline(s.body);
            (named || unnamed).then_some((i, named))
        })
        .collect();
    // One named timeline and nothing else: there is nothing to choose.
    if let [(_, true)] = possible[..] {
        return Vec::new();
    }
    let mut candidates: Vec<Candidate> = Vec::new();
    for (i, named) in possible {
        let s = &sections[i];
        let ex = timeline::extract(s.body, &mut Clock::new(&ctx));
        let stamps = ex
            .entries
            .iter()
            .filter_map(|e| e.at.as_ref().filter(|a| a.time.is_some()))
            .map(|a| (a.date, a.time))
            .collect();
        candidates.push((i, named, stamps));
    }
    // A tool's milestones table (Started, Detected, Resolved) gives the incident's instants;
    // beside a timeline of two entries or more, that timeline is the story.
    let milestones = |i: usize| {
        sections[i]
            .heading
            .as_ref()
            .is_some_and(|h| super::vocab::names_milestones(&h.text))
    };
    let story_told = candidates
        .iter()
        .any(|c| !milestones(c.0) && c.2.len() >= 2);
    let Some(primary) = candidates
        .iter()
        .enumerate()
        .max_by_key(|(k, c)| {
            (
                !(story_told && milestones(c.0)),
                c.2.len(),
                c.1,
                std::cmp::Reverse(*k),
            )
        })
        .map(|(k, _)| k)
    else {
        return Vec::new();
    };
    let (p_index, p_named, p_stamps) = &candidates[primary];
    // A set: two long timelines are compared in time linear in their length.
    let p_set: std::collections::HashSet<&(Option<Date>, Option<time::Time>)> =
        p_stamps.iter().collect();
    // Times the timeline gives without a date, and all its times: a stamp with a date repeats
    // one of the first, an undated stamp one of the second ("**Detected:** 2026-04-07 13:19"
    // beside "| 13:19 | Support escalates |").
    let p_undated: std::collections::HashSet<Option<time::Time>> = p_stamps
        .iter()
        .filter(|s| s.0.is_none())
        .map(|s| s.1)
        .collect();
    let p_times: std::collections::HashSet<Option<time::Time>> =
        p_stamps.iter().map(|s| s.1).collect();
    let mut demoted = Vec::new();
    for (k, (i, named, stamps)) in candidates.iter().enumerate() {
        if k == primary {
            continue;
        }
        // A summary or a copy repeats most of its stamps; the next incident's timeline in a
        // report of several may share one (its start at the minute the last one ended).
        let repeated = stamps
            .iter()
            .filter(|s| {
                p_set.contains(s)
                    || p_undated.contains(&s.1)
                    || (s.0.is_none() && p_times.contains(&s.1))
            })
            .count();
        let repeats = repeated > 0 && repeated * 2 >= stamps.len();
        // Beside the story, a milestones list gives the incident's instants, not more events.
        let summary = story_told && milestones(*i);
        if *named && (repeats || !p_named || summary) {
            demoted.push(*i);
        }
    }
    let p_index = *p_index;
    for &i in &demoted {
        if let Some(h) = sections[i].heading.as_mut() {
            h.kind = None;
        }
    }
    if !p_named && !p_stamps.is_empty() {
        let section = &mut sections[p_index];
        match section.heading.as_mut() {
            Some(h) => h.kind = Some(SectionKind::Timeline),
            // Text before any heading that is a status page's updates: their section, from
            // the first update on. The text above it (the page's title, a postmortem) stays
            // the document's own.
            None => {
                let body = section.body;
                let first = timeline::extract(body, &mut Clock::new(&ctx))
                    .entries
                    .iter()
                    .map(|e| e.line)
                    .min()
                    .and_then(|no| body.iter().position(|l| l.no == no))
                    // A table's first entry comes with the table's header, which may name
                    // the zone ("| Time (UTC) | Event |").
                    .map(|k| {
                        let row =
                            |l: &lines::Line<'_>| !l.code && l.text.trim_start().starts_with('|');
                        k - body[..k].iter().rev().take_while(|l| row(l)).count()
                    })
                    .filter(|&k| body[..k].iter().any(|l| !l.blank));
                section.heading = Some(lines::Heading::updates());
                if let Some(k) = first {
                    section.body = &body[k..];
                    section.line = body[k].no;
                    sections.insert(
                        p_index,
                        RawSection {
                            heading: None,
                            line: 0,
                            body: &body[..k],
                        },
                    );
                    return demoted
                        .into_iter()
                        .map(|i| if i >= p_index { i + 1 } else { i })
                        .collect();
                }
            }
        }
    }
    demoted
}

/// A document that tells its postmortem twice (a plain version, then a humorous rewrite)
/// starts over after its action items: a summary again, as the first telling opened, then a
/// timeline, a cause or actions again. The rewrite's sections that repeat a part the first
/// telling has become ordinary sections, so its actions and causes are not counted twice;
/// parts only the rewrite has keep their role. Several incidents reported in one document are
/// told under one set of parts and are not a rewrite. Returns the index of the rewrite's first
/// section.
pub(super) fn set_aside_retelling(sections: &mut [RawSection<'_, '_>]) -> Option<usize> {
    use SectionKind as K;
    let actions = sections
        .iter()
        .position(|s| s.kind() == Some(K::ActionItems))?;
    let restart = actions
        + 1
        + sections[actions + 1..]
            .iter()
            .position(|s| s.kind() == Some(K::Summary))?;
    // Starting over is opening with a summary again: a write-up that follows a block of key
    // facts (key events, impact, review actions) tells the story once.
    if !sections[..actions]
        .iter()
        .any(|s| s.kind() == Some(K::Summary))
    {
        return None;
    }
    let told: Vec<SectionKind> = sections[..restart]
        .iter()
        .filter_map(|s| s.kind())
        .collect();
    let retold = |k: &SectionKind| {
        matches!(
            k,
            K::Timeline | K::RootCause | K::RootCauseAndResolution | K::ActionItems | K::Impact
        ) && told.contains(k)
    };
    if !sections[restart + 1..]
        .iter()
        .any(|s| s.kind().is_some_and(|k| retold(&k)))
    {
        return None;
    }
    for s in &mut sections[restart..] {
        if let Some(h) = s.heading.as_mut()
            && h.kind.is_some_and(|k| told.contains(&k))
        {
            h.kind = None;
        }
    }
    Some(restart)
}

/// Whether a text is mostly a list of links to other reports (`[Company](url). Summary...`):
/// an index of postmortems, not one.
pub(super) fn is_link_index<'t>(texts: impl IntoIterator<Item = &'t str>) -> bool {
    let mut written = 0;
    let mut linked = 0;
    let lines = texts.into_iter().flat_map(str::lines);
    for line in lines.map(str::trim).filter(|l| !l.is_empty()) {
        written += 1;
        let item = lines::list_item(line).map_or(line, |(_, _, rest)| rest.trim_start());
        if item.starts_with('[') && item.get(..300).unwrap_or(item).contains("](http") {
            linked += 1;
        }
    }
    linked >= 10 && linked * 2 >= written
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::blocks;

    fn roles_of(doc: &str) -> Vec<(Option<String>, Option<SectionKind>)> {
        let all = lines::split(doc, 1);
        let mut outline = blocks::outline(&all, None);
        let (mut sections, _) = outline.sections(false);
        choose_timelines(&mut sections, None);
        sections
            .iter()
            .map(|s| (s.heading.as_ref().map(|h| h.text.clone()), s.kind()))
            .collect()
    }

    #[test]
    fn the_fullest_timeline_wins_over_a_key_events_summary() {
        let doc = "# T\n\n- **Key events**\n  - First detected: 2024-09-20 11:24\n  - Resolved: 2024-09-20 11:40\n\n- **Impact**: Services were down.\n\n- **Context**:\n  - 2024-09-20 11:21: pipeline unpaused\n  - 2024-09-20 11:22: route tables destroyed\n  - 2024-09-20 11:24: alarm fires\n  - 2024-09-20 11:40: incident resolved\n";
        let roles = roles_of(doc);
        assert_eq!(roles[1], (Some("Key events".into()), None));
        assert_eq!(
            roles[3],
            (Some("Context".into()), Some(SectionKind::Timeline))
        );
    }

    #[test]
    fn a_timeline_beside_a_milestones_table_is_the_story() {
        let doc = "# T\n\n## Milestones\n\n| Milestone | Time |\n|---|---|\n| Started | 2023-11-03 10:02 |\n| Detected | 2023-11-03 10:06 |\n| Mitigated | 2023-11-03 10:41 |\n| Resolved | 2023-11-03 11:15 |\n\n## Timeline\n\n- 2023-11-03 10:06 monitor fires\n- 2023-11-03 10:41 flag turned off\n- 2023-11-03 11:15 resolved\n";
        let roles = roles_of(doc);
        assert_eq!(roles[1], (Some("Milestones".into()), None));
        assert_eq!(
            roles[2],
            (Some("Timeline".into()), Some(SectionKind::Timeline))
        );
        // Dated milestones beside a story told in times of day, none of them repeated.
        let key_times = "# T\n\n## Key times\n- **Impact start:** 2026-04-07 13:05 EDT\n- **Resolved:** 2026-04-07 14:30 EDT\n\n## Timeline\n| Time | What |\n|---|---|\n| 13:06 | errors |\n| 13:19 | tickets |\n| 14:29 | fixed |\n";
        let roles = roles_of(key_times);
        assert_eq!(roles[1], (Some("Key times".into()), None));
        assert_eq!(roles[2].1, Some(SectionKind::Timeline));
        // Alone, the milestones are the timeline.
        let alone = &doc[..doc.find("## Timeline").unwrap()];
        assert_eq!(
            roles_of(alone)[1],
            (Some("Milestones".into()), Some(SectionKind::Timeline))
        );
    }

    #[test]
    fn a_stamped_list_under_another_heading_is_the_timeline_when_none_is_named() {
        let entries = "- 14:05 UTC: payment failures start\n- 14:11 UTC: monitor fires\n- 14:13 UTC: on-call acknowledges\n- 15:52 UTC: allow-list updated; failures stop\n";
        let doc = format!("# T\n\n## Summary\nPayments failed.\n\n## Response\n{entries}");
        let roles = roles_of(&doc);
        assert_eq!(
            roles[2],
            (Some("Response".into()), Some(SectionKind::Timeline))
        );
        // A section named Timeline keeps the role; the other section keeps its own.
        let doc = format!("# T\n\n## Timeline\n{entries}\n## Response\n{entries}");
        let roles = roles_of(&doc);
        assert_eq!(roles[1].1, Some(SectionKind::Timeline));
        assert_ne!(roles[2].1, Some(SectionKind::Timeline));
    }

    #[test]
    fn status_updates_under_no_heading_are_the_timeline() {
        let doc = "[Update 11th of February 2022 - 19:00 UTC]\nCluster operation planned.\n\n[Update 11th of February 2022 - 15:20 UTC]\nScaled by hand.\n";
        let roles = roles_of(doc);
        assert_eq!(
            roles[0],
            (Some("Updates".into()), Some(SectionKind::Timeline))
        );
    }

    #[test]
    fn a_stamped_table_under_no_heading_is_the_timeline_with_its_header() {
        let doc = "# Broker disk full\n\n| Time (UTC) | Event |\n|---|---|\n| 2025-03-03 14:02 | Disk at 95% |\n| 2025-03-03 14:20 | Producers time out |\n| 2025-03-03 15:05 | Producers healthy |\n\n## Root cause\n\nA typo.\n";
        let roles = roles_of(doc);
        assert!(roles.contains(&(Some("Updates".into()), Some(SectionKind::Timeline))));
        let d = crate::import::parse(doc);
        let first = d.postmortem.timeline[0].at.as_ref().unwrap();
        // The header's zone applies to the rows.
        assert_eq!(first.rfc3339().as_deref(), Some("2025-03-03T14:02:00Z"));
    }

    #[test]
    fn status_phases_standing_over_their_updates_are_the_timeline() {
        let doc = "# API errors\n\n**Resolved**\nThis incident has been resolved.\nJan 14, 2025 - 17:52 UTC\n\n**Monitoring**\nA fix has been implemented.\nJan 14, 2025 - 17:20 UTC\n\n**Investigating**\nWe are investigating.\nJan 14, 2025 - 16:31 UTC\n";
        let roles = roles_of(doc);
        assert_eq!(
            roles,
            [(Some("Updates".into()), Some(SectionKind::Timeline))]
        );
        // A phase word over text with no time is a heading as ever.
        let roles = roles_of("# T\n\n**Monitoring**\nWe added dashboards.\n");
        assert_eq!(roles[1].0.as_deref(), Some("Monitoring"));
    }

    #[test]
    fn an_index_of_links_is_not_a_postmortem() {
        let list: String = (0..12)
            .map(|i| format!("[Company {i}](https://example.com/{i}). An outage.\n\n"))
            .collect();
        assert!(is_link_index([list.as_str()]));
        assert!(!is_link_index([
            "We read [the docs](https://example.com) and fixed it.\n"
        ]));
    }
}
