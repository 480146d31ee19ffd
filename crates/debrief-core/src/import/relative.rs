//! Timelines told relative to a zero hour: "T+0", "T+4m", "T+1h05m", "T+1:05" against a zero
//! hour the document states ("Timeline (T = 16:02 UTC)", "T0: 2023-09-14 16:02 UTC"). Each
//! relative stamp opening a line (after a list marker, a table's bar or emphasis) is written as
//! the clock time it stands for, so the rest of the importer reads an ordinary timeline. Lines
//! keep their numbers.

use super::{lines, vocab};
use crate::time::{self, Time};

/// The text with its relative stamps written as clock times; `None` when it has none, or
/// states no zero hour to count them from.
pub fn resolve(text: &str) -> Option<String> {
    if !text.contains("T+") {
        return None;
    }
    let zero = text
        .lines()
        .find_map(zero_hour)
        .or_else(|| counted_from_the_start(text).then(|| text.lines().find_map(stated_start))?)?;
    let mut out = String::with_capacity(text.len() + 64);
    let mut changed = false;
    for line in text.split_inclusive('\n') {
        match relative_at(line) {
            Some((start, end, minutes)) => {
                out.push_str(&line[..start]);
                out.push_str(&zero.after(minutes));
                out.push_str(&line[end..]);
                changed = true;
            }
            None => out.push_str(line),
        }
    }
    changed.then_some(out)
}

/// The zero hour: its time of day, the date when stated, and the zone as written.
struct Zero {
    minute_of_day: i64,
    date: Option<time::Date>,
    zone: Option<String>,
}

impl Zero {
    /// The clock time `minutes` after the zero hour, written as the importer reads it.
    fn after(&self, minutes: i64) -> String {
        let total = self.minute_of_day + minutes;
        let (days, minute) = (total.div_euclid(24 * 60), total.rem_euclid(24 * 60));
        let mut s = match self.date {
            Some(d) => format!("{} ", d.add_days(days)),
            None => String::new(),
        };
        s.push_str(&format!("{:02}:{:02}", minute / 60, minute % 60));
        if let Some(z) = &self.zone {
            s.push(' ');
            s.push_str(z);
        }
        s
    }
}

/// "T = 16:02 UTC", "T0: 2023-09-14 16:02 UTC", "(T=16:02)", "T+0 = 16:02": a `T`, `T0` or
/// `T+0` standing alone, `=` or `:`, then a stamp with a time; or the first stamp with a time
/// after "relative to" ("Timeline (relative to the first alert at 22:10 UTC)").
fn zero_hour(line: &str) -> Option<Zero> {
    relative_to(line).or_else(|| named_zero(line))
}

/// Whether the relative stamps count from the incident's start: the text says so ("relative
/// to the start", "T = incident start") or names nothing else they count from.
fn counted_from_the_start(text: &str) -> bool {
    const CUE: &str = "relative to ";
    let lower = text.to_ascii_lowercase();
    lower.match_indices(CUE).all(|(at, _)| {
        let what = lower[at + CUE.len()..]
            .split([')', '\n', '.', ','])
            .next()
            .unwrap_or("");
        what.contains("start") || what.contains("begin")
    })
}

/// "**Incident start:** 2024-11-29 16:00 CET": the zero hour a start label states.
fn stated_start(line: &str) -> Option<Zero> {
    let line = line.trim_start().trim_start_matches(['|', ' ']);
    let line = lines::list_item(line).map_or(line, |(_, _, rest)| rest);
    let (label, value) = lines::split_label(line)?;
    (vocab::meta_label(&label)? == vocab::MetaLabel::Start)
        .then(|| zero_at(lines::strip_emphasis(value).trim_start()))?
}

/// The first stamp with a time after "relative to" in `line`, at the start of a word.
fn relative_to(line: &str) -> Option<Zero> {
    const CUE: &str = "relative to ";
    let at = line.to_ascii_lowercase().find(CUE)? + CUE.len();
    let rest = &line[at..];
    rest.char_indices()
        .filter(|&(i, _)| i == 0 || rest[..i].ends_with([' ', '(']))
        .find_map(|(i, _)| zero_at(&rest[i..]))
}

/// The zero hour a stamp opening `s` gives, when it has a time.
fn zero_at(s: &str) -> Option<Zero> {
    let (p, _) = time::stamp_prefix(s)?;
    let (Some(t), false) = (p.time, p.unknown) else {
        return None;
    };
    let date = p
        .date
        .and_then(|d| d.year.and_then(|y| time::Date::new(y, d.month, d.day)));
    Some(Zero {
        minute_of_day: minutes_of(t),
        date,
        zone: p.zone.map(|z| z.label.into_owned()),
    })
}

/// "T = 16:02 UTC", "T0: ...", "T+0 = ...": the zero hour named as `T`.
fn named_zero(line: &str) -> Option<Zero> {
    let b = line.as_bytes();
    let mut from = 0;
    while let Some(k) = line[from..].find('T').map(|k| k + from) {
        from = k + 1;
        if k > 0 && b[k - 1].is_ascii_alphanumeric() {
            continue;
        }
        let rest = &line[k + 1..];
        let rest = rest
            .strip_prefix("+0")
            .or_else(|| rest.strip_prefix('0'))
            .unwrap_or(rest);
        // "T+0 (03:00 UTC): job starts": the zero hour in brackets after the entry's own stamp.
        let Some(rest) = rest.trim_start().strip_prefix(['=', ':', '(']) else {
            continue;
        };
        if let Some(zero) = zero_at(rest.trim_start()) {
            return Some(zero);
        }
    }
    None
}

fn minutes_of(t: Time) -> i64 {
    i64::from(t.hour) * 60 + i64::from(t.minute)
}

/// A relative stamp opening the line, after a list marker, a table's bar or emphasis: where it
/// starts and ends, and the minutes it counts.
fn relative_at(line: &str) -> Option<(usize, usize, i64)> {
    let lead = line.len()
        - line
            .trim_start_matches(|c: char| {
                c.is_whitespace() || matches!(c, '-' | '*' | '+' | '|' | '_' | '[' | '•')
            })
            .len();
    // "1. T+4m": a number's marker too.
    let lead = match line[lead..].split_once(". ") {
        Some((n, _)) if !n.is_empty() && n.len() <= 3 && n.bytes().all(|c| c.is_ascii_digit()) => {
            lead + n.len() + 2
        }
        _ => lead,
    };
    let rest = line[lead..].trim_start_matches(['*', '_']);
    let start = line.len() - rest.len();
    let after_t = rest.strip_prefix('T')?;
    let (sign, body) = if let Some(b) = after_t.strip_prefix('+') {
        (1, b)
    } else {
        (-1, after_t.strip_prefix(['-', '−'])?)
    };
    let (minutes, used) = offset(body)?;
    let mut end = start + (rest.len() - body.len()) + used;
    // "T+0 (03:00 UTC): ...": the clock time it stands for, in brackets, goes with it.
    let after = &line[end..];
    if let Some(inside) = after.trim_start().strip_prefix('(')
        && let Some((_, used)) = time::stamp_prefix(inside)
        && let Some(past) = inside[used..].trim_start().strip_prefix(')')
    {
        end = line.len() - past.len();
    }
    Some((start, end, sign * minutes))
}

/// "0", "4m", "4 min", "1h", "1h05m", "1h 5m", "2 hours", "1:05", "90s": minutes, and the bytes
/// read.
fn offset(s: &str) -> Option<(i64, usize)> {
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let n = digits(s);
    if n == 0 || n > 4 {
        return None;
    }
    let first: i64 = s[..n].parse().ok()?;
    let rest = &s[n..];
    // "1:05"
    if let Some(m) = rest.strip_prefix(':')
        && digits(m) == 2
    {
        return Some((first * 60 + m[..2].parse::<i64>().ok()?, n + 3));
    }
    let spaced = rest.trim_start();
    let gap = rest.len() - spaced.len();
    let unit_len = spaced.bytes().take_while(u8::is_ascii_alphabetic).count();
    let unit = spaced[..unit_len].to_ascii_lowercase();
    let per = match unit.as_str() {
        "" => return Some((first, n)),
        "m" | "min" | "mins" | "minute" | "minutes" => 1,
        "h" | "hr" | "hrs" | "hour" | "hours" => 60,
        "d" | "day" | "days" => 24 * 60,
        "s" | "sec" | "secs" => {
            return Some((first / 60, n + gap + unit_len));
        }
        // "T+0 Alert fired": the zero hour itself needs no unit, and its entry's text follows.
        _ if gap > 0 && first == 0 => return Some((0, n)),
        _ => return None,
    };
    let used = n + gap + unit_len;
    // "1h05m", "1h 5m": minutes after the hours.
    if per == 60
        && let Some((more, k)) = offset(s[used..].trim_start()).filter(|&(m, _)| m < 60)
    {
        let skipped = s[used..].len() - s[used..].trim_start().len();
        return Some((first * 60 + more, used + skipped + k));
    }
    Some((first * per, used))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_stamps_become_clock_times_of_the_zero_hour() {
        let doc = "# Outage\n\n## Timeline (T = 16:02 UTC)\n\n- T+0: store evicts all keys\n- T+4m: alert fires\n- **T+1h05m** restarted\n| T+2 hours | resolved |\n";
        let out = resolve(doc).unwrap();
        assert!(
            out.contains("- 16:02 UTC: store evicts all keys\n"),
            "{out}"
        );
        assert!(out.contains("- 16:06 UTC: alert fires\n"), "{out}");
        assert!(out.contains("- **17:07 UTC** restarted\n"), "{out}");
        assert!(out.contains("| 18:02 UTC | resolved |"), "{out}");
        assert_eq!(out.lines().count(), doc.lines().count());
    }

    #[test]
    fn a_dated_zero_hour_carries_past_midnight() {
        let out =
            resolve("T0: 2023-09-14 23:50 CEST\n\n1. T+15 min: paged\n2. T-10m: deploy\n").unwrap();
        assert!(out.contains("1. 2023-09-15 00:05 CEST: paged"), "{out}");
        assert!(out.contains("2. 2023-09-14 23:40 CEST: deploy"), "{out}");
    }

    #[test]
    fn a_zero_hour_named_in_words_or_as_t_plus_0() {
        let doc = "## Timeline (relative to the first alert at 22:10 UTC)\n\n- T+0: alert fires\n- T+41m: resolution rates normal\n";
        let out = resolve(doc).unwrap();
        assert!(out.contains("- 22:10 UTC: alert fires"), "{out}");
        assert!(
            out.contains("- 22:51 UTC: resolution rates normal"),
            "{out}"
        );
        let out = resolve("T+0 = 2024-02-03 09:00 UTC\n- T+1h: restarted\n").unwrap();
        assert!(out.contains("- 2024-02-03 10:00 UTC: restarted"), "{out}");
        let out = resolve("T+0 (03:00 UTC): job starts\nT+1h50m: report\n").unwrap();
        assert!(out.contains("03:00 UTC: job starts\n"), "{out}");
        assert!(out.contains("04:50 UTC: report"), "{out}");
        // "relative to" with no time after it names no zero hour; nor does a stated start
        // then, when they count from something else.
        assert_eq!(
            resolve("Times are relative to the page.\n- T+4m: ack\n"),
            None
        );
        assert_eq!(
            resolve("Start: 10:00 UTC\nTimes are relative to the page.\n- T+4m: ack\n"),
            None
        );
    }

    #[test]
    fn a_stated_start_is_the_zero_hour_when_nothing_else_is() {
        let doc = "**Incident start:** 2024-11-29 16:00 CET\n\n## Timeline (relative to start)\n| T+ | What |\n|--|--|\n| T+0 | queue grows |\n| T+1h30m | queue falls |\n";
        let out = resolve(doc).unwrap();
        assert!(
            out.contains("| 2024-11-29 16:00 CET | queue grows |"),
            "{out}"
        );
        assert!(
            out.contains("| 2024-11-29 17:30 CET | queue falls |"),
            "{out}"
        );
        let out = resolve("- Start time: 08:00 UTC\n- T+12m: paged\n").unwrap();
        assert!(out.contains("- 08:12 UTC: paged"), "{out}");
    }

    #[test]
    fn without_a_zero_hour_nothing_changes() {
        assert_eq!(resolve("- T+4m: alert fires\n"), None);
        assert_eq!(resolve("Use the AT+CMD modem command at 16:02.\n"), None);
        // Offsets are read with their units only.
        assert_eq!(offset("4m"), Some((4, 2)));
        assert_eq!(offset("1h 5m:"), Some((65, 5)));
        assert_eq!(offset("3 things"), None);
        assert_eq!(offset("0 Alert fired"), Some((0, 1)));
    }
}
