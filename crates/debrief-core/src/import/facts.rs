//! Facts stated in prose: how long the incident lasted, when it started and ended.

use crate::time::{self, Pieces, Tok};

fn number_word(w: &str) -> Option<f64> {
    Some(match w {
        "a" | "an" | "one" => 1.0,
        "two" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "thirteen" => 13.0,
        "fourteen" => 14.0,
        "fifteen" => 15.0,
        "sixteen" => 16.0,
        "seventeen" => 17.0,
        "eighteen" => 18.0,
        "nineteen" => 19.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "seventy" => 70.0,
        "eighty" => 80.0,
        "ninety" => 90.0,
        "half" => 0.5,
        _ => return None,
    })
}

fn unit_minutes(w: &str) -> Option<f64> {
    Some(match w {
        "w" | "wk" | "wks" | "week" | "weeks" => 10_080.0,
        "d" | "day" | "days" => 1440.0,
        "h" | "hr" | "hrs" | "hour" | "hours" => 60.0,
        "m" | "min" | "mins" | "minute" | "minutes" => 1.0,
        _ => return None,
    })
}

/// A word of at most nine ASCII letters, lowercased in place (number words and units are no
/// longer).
struct Short {
    buf: [u8; 9],
    len: usize,
}

impl Short {
    fn new(w: &str) -> Option<Short> {
        let mut buf = [0; 9];
        buf.get_mut(..w.len())?.copy_from_slice(w.as_bytes());
        buf.make_ascii_lowercase();
        Some(Short { buf, len: w.len() })
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

/// A duration expression in `s`: `3 hours and 14 minutes`, `3h 14m`, `90 minutes`, `2.5 hours`,
/// `an hour and a half`, `half an hour`. Returns (minutes, byte start, byte end) of each.
pub fn durations(s: &str) -> Vec<(u32, usize, usize)> {
    let toks = time::tokenize(s);
    // Each word lowercased, when it is short enough to be a number or a unit (no copy made).
    let keys: Vec<Option<Short>> = toks
        .iter()
        .map(|t| match t.tok {
            Tok::Word(w) => Short::new(w),
            _ => None,
        })
        .collect();
    let lower: Vec<Option<&str>> = keys.iter().map(|k| k.as_ref().map(Short::as_str)).collect();
    let mut out = Vec::new();
    let mut i = 0;
    // One "<number> <unit>" at i: (minutes, next index, the unit's minutes)
    let term = |i: usize| -> Option<(f64, usize, f64)> {
        let (mut n, mut j) = match toks.get(i)?.tok {
            Tok::Num(v, _) => {
                let mut n = f64::from(v);
                let mut j = i + 1;
                // "2.5 hours", and "2,5 hours" as much of Europe writes it (one digit after
                // the comma, which no thousands separator has).
                let decimal = |k: usize| match (toks.get(k), toks.get(k + 1)) {
                    (Some(sep), Some(frac))
                        if sep.start == toks[i].end && frac.start == sep.end =>
                    {
                        match (sep.tok, frac.tok) {
                            (Tok::Punct('.'), Tok::Num(f, d)) => Some((f, d)),
                            (Tok::Punct(','), Tok::Num(f, 1)) => Some((f, 1)),
                            _ => None,
                        }
                    }
                    _ => None,
                };
                if let Some((f, d)) = decimal(j) {
                    n += f64::from(f) / 10f64.powi(i32::from(d));
                    j += 2;
                }
                (n, j)
            }
            Tok::Word(_) => {
                let n = number_word(lower[i]?)?;
                // "forty-seven", "twenty five": a ten and its unit.
                let unit_word = |k: usize| {
                    lower
                        .get(k)
                        .copied()
                        .flatten()
                        .and_then(number_word)
                        .filter(|u| (1.0..10.0).contains(u) && lower[k] != Some("a"))
                };
                let tens = n >= 20.0
                    && n % 10.0 == 0.0
                    && matches!(
                        toks.get(i + 1).map(|t| t.tok),
                        Some(Tok::Punct('-') | Tok::Space)
                    );
                match tens.then(|| unit_word(i + 2)).flatten() {
                    Some(u) => (n + u, i + 3),
                    None => (n, i + 1),
                }
            }
            _ => return None,
        };
        // "half an hour"
        if n == 0.5 && lower[i] == Some("half") {
            let k = if matches!(toks.get(j).map(|t| t.tok), Some(Tok::Space)) {
                j + 1
            } else {
                j
            };
            if matches!(lower.get(k).copied().flatten(), Some("an" | "a")) {
                j = k + 1;
            }
        }
        // "four and a half days", "2 and half hours"
        let word_at = |k: usize| lower.get(k).copied().flatten();
        if matches!(toks.get(j).map(|t| t.tok), Some(Tok::Space)) && word_at(j + 1) == Some("and") {
            let half = if word_at(j + 3) == Some("a") {
                j + 5
            } else {
                j + 3
            };
            if word_at(half) == Some("half") && word_at(half + 2).and_then(unit_minutes).is_some() {
                n += 0.5;
                j = half + 1;
            }
        }
        if matches!(
            toks.get(j).map(|t| t.tok),
            Some(Tok::Space | Tok::Punct('-'))
        ) {
            j += 1;
        }
        // "three quarters of an hour", "a quarter of an hour"
        if matches!(word_at(j), Some("quarter" | "quarters"))
            && word_at(j + 2) == Some("of")
            && matches!(word_at(j + 4), Some("an" | "a"))
            && let Some(unit) = word_at(j + 6).and_then(unit_minutes)
        {
            return Some((n * unit / 4.0, j + 7, unit));
        }
        let unit = unit_minutes(lower.get(j).copied().flatten()?)?;
        // "0h47m": a term of nothing counts only beside another (a length of 0 is none).
        n *= unit;
        // "1h30": the minutes glued to the hours' unit (not "5h52m", whose minutes have their
        // own unit, nor "9h40 – 11h15", a span of French clock times).
        let dash = ['-', '–', '—'];
        if unit == 60.0
            && let (Some(u), Some(m)) = (toks.get(j), toks.get(j + 1))
            && let Tok::Num(v, 2) = m.tok
            && m.start == u.end
            && v < 60
            && !s[m.end..].starts_with(char::is_alphabetic)
            && !s[m.end..].trim_start().starts_with(dash)
            && !s[..toks[i].start].trim_end().ends_with(dash)
        {
            return Some((n + f64::from(v), j + 2, 1.0));
        }
        Some((n, j + 1, unit))
    };
    while i < toks.len() {
        let boundary_ok = i == 0
            || !matches!(
                toks[i - 1].tok,
                Tok::Num(..) | Tok::Word(_) | Tok::Punct('.')
            );
        if boundary_ok && let Some((mut total, mut j, mut unit)) = term(i) {
            let start = toks[i].start;
            let mut end = toks[j - 1].end;
            loop {
                // joiners: " and ", ", ", " ", " and a half"
                let mut k = j;
                while matches!(
                    toks.get(k).map(|t| t.tok),
                    Some(Tok::Space | Tok::Punct(','))
                ) {
                    k += 1;
                }
                if lower.get(k).copied().flatten() == Some("and") {
                    k += 1;
                    while matches!(toks.get(k).map(|t| t.tok), Some(Tok::Space)) {
                        k += 1;
                    }
                    // Half or a quarter of the last term's unit: "an hour and a half", "a day
                    // and a half", "an hour and a quarter".
                    let share = match lower.get(k + 2).copied().flatten() {
                        Some("half") => Some(0.5),
                        Some("quarter") => Some(0.25),
                        _ => None,
                    };
                    if lower.get(k).copied().flatten() == Some("a")
                        && let Some(share) = share
                    {
                        total += unit * share;
                        end = toks[k + 2].end;
                        j = k + 3;
                        continue;
                    }
                }
                match term(k) {
                    Some((more, next, its_unit)) => {
                        total += more;
                        unit = its_unit;
                        end = toks[next - 1].end;
                        j = next;
                    }
                    None => break,
                }
            }
            let after_word = matches!(
                toks.get(j).map(|t| t.tok),
                Some(Tok::Word(_) | Tok::Num(..))
            );
            if !after_word && (1.0..525_600.0).contains(&total) {
                out.push((total.round() as u32, start, end));
            }
            i = j;
            continue;
        }
        i += 1;
    }
    out
}

/// Words right before a duration that make it the incident's length: "offline for 20 minutes",
/// "lasted 3 hours", "a downtime of 90 minutes". Matched at the end of the text before the
/// duration, once hedges ("about", "approximately") are set aside.
const LENGTH_LEADS: [&str; 34] = [
    "for",
    "during the",
    // "impacted by this during 2,5 hours", as writers whose language says "during" write.
    "during",
    "lasted",
    "lasting",
    "last",
    "lasts",
    "took",
    "took us",
    "duration of",
    "duration:",
    "downtime of",
    "downtime:",
    "outage of",
    "interruption of",
    "disruption of",
    "period of",
    "total of",
    "duration was",
    "impact was",
    "downtime was",
    "outage time was",
    "time to recovery was",
    "time to resolution was",
    "time to resolve was",
    "time to restore was",
    "time to resolution",
    "time to recovery",
    "time to resolve",
    "time to restore",
    "resolved in",
    "restored in",
    "recovered in",
    "fixed in",
];

/// "Brownout is finished after 1h30": the length the incident took, where "after" alone is a
/// bound ("after 2 hours we paged the vendor").
const ENDED_AFTER: [&str; 6] = [
    "finished after",
    "ended after",
    "resolved after",
    "restored after",
    "recovered after",
    "fixed after",
];

/// Words anywhere before a duration in its sentence that make it the incident's length ("the
/// downtime was 3 hours", "Total downtime: 699 minutes").
const LENGTH_WORDS: [&str; 4] = ["lasted", "duration", "downtime", "lasting"];

/// Whether a heading states the incident's length in brackets: "March 12 14:02 UTC (lasting 43
/// minutes)", "(duration: 2h)".
pub fn states_a_length(heading: &str) -> bool {
    heading.split('(').skip(1).any(|inside| {
        let lower = inside.trim_start().to_ascii_lowercase();
        LENGTH_WORDS.iter().any(|w| lower.starts_with(w))
    })
}

/// Words right after a duration that make it the incident's length: "a 47-minute outage", "1.5
/// hours of downtime".
const LENGTH_TAILS: [&str; 13] = [
    "outage",
    "downtime",
    "disruption",
    "of downtime",
    "of outage",
    "of partial outage",
    "of disruption",
    "of service disruption",
    "of unavailability",
    "of degraded",
    "of degradation",
    "of service degradation",
    "of impact",
];

/// Words that name the incident itself, or its harm.
const INCIDENT_WORDS: [&str; 7] = [
    "outage",
    "incident",
    "downtime",
    "disruption",
    "degradation",
    "impact",
    "interruption",
];

/// Parts of words that every length lead, length word and tail holds one of ("last" for
/// "lasted", "lasting"): a sentence without any states no length in words. Fewer phrases
/// than the words themselves make a faster search.
const LENGTH_STEMS: [&str; 18] = [
    "for",
    "during",
    "last",
    "took",
    "duration",
    "downtime",
    "outage",
    "interruption",
    "disruption",
    "period of",
    "total of",
    "impact",
    "time was",
    "time to re",
    "ed in",
    "ed after",
    "unavailab",
    "degrad",
];

/// Hedges between a lead and its duration, set aside before the lead is looked for.
const HEDGES: [&str; 24] = [
    // A bound said to be near: "just over nine hours" is about nine hours, where "over two
    // hours" states no length.
    "just over",
    "just under",
    "slightly over",
    "slightly under",
    "slightly more than",
    "slightly less than",
    "a little over",
    "a little under",
    "a little more than",
    "a little less than",
    "a bit over",
    "a bit more than",
    "round about",
    "about",
    "approximately",
    "approx.",
    "approx",
    "around",
    "roughly",
    "some",
    "~",
    "a total of",
    "an estimated",
    "a period of",
];

/// `before` without the hedges that end it, each a word of its own: "from roughly" is "from",
/// "lasted about" is "lasted" ("handsome" keeps its "some").
fn unhedged(before: &str) -> &str {
    let mut clause = before;
    while let Some(rest) = HEDGES.iter().find_map(|h| {
        clause
            .strip_suffix(h)
            .filter(|r| r.is_empty() || r.ends_with([' ', '(', ':']))
    }) {
        clause = rest.trim_end();
    }
    clause
}

/// Words of a clause that keeps something for a set time ("cached the old key for 24 hours",
/// "logs are retained for 30 days"): the time is a setting, not the incident's length.
const KEPT_BY_DESIGN: [&str; 11] = [
    "cached", "caches", "caching", "valid", "retained", "retains", "stored", "stores", "ttl",
    "expires", "lifetime",
];

/// Words that tie a phrase to a time of its own ("cached before a deploy").
const LINKS_A_TIME: [&str; 10] = [
    "before", "after", "since", "until", "during", "at", "on", "by", "from", "while",
];

/// Phases of the response whose own length a sentence may tell ("the rollback took 20
/// minutes").
const RESPONSE_PHASES: [&str; 10] = [
    "mitigation",
    "rollback",
    "roll back",
    "investigation",
    "diagnosis",
    "detection",
    "failover",
    "migration",
    "the fix ",
    "the response",
];

/// Bounds: "over two hours", "less than 10 minutes", "within 5 minutes" state no length.
const BOUNDS: [&str; 12] = [
    "over", "than", "almost", "nearly", "up to", "within", "under", "after", "next", "every",
    "first", "least",
];

/// The incident length one sentence states, if it states one: `Some(None)` when it tells the
/// incident in phases, each with its own length, so that no one length is the incident's.
fn sentence_length(sentence: &str) -> Option<Option<u32>> {
    // Every lead, length word and tail, searched at once (by their stems) before the sentence
    // is tokenized.
    static CUES: crate::text::Phrases = crate::text::Phrases::new(&LENGTH_STEMS);
    if !CUES.any_in(sentence)
        && !bracketed_number(sentence)
        && !apposed_number(sentence)
        && !crate::text::contains_ci(sentence, " after ")
        && !sentence
            .get(..6)
            .is_some_and(|h| h.eq_ignore_ascii_case("after "))
    {
        return None;
    }
    let lower = one_line_lowercase(sentence);
    let found = durations(sentence);
    // "stopped for 45 minutes, then crawled for the next 3 hours": a length followed by the
    // next phase's measures one phase, not the incident.
    let next_phase = |after: usize| {
        found.iter().any(|&(_, start, _)| {
            start > after && {
                let before = unhedged(lower[..start].trim_end());
                ["next", "following"].iter().any(|w| before.ends_with(w))
            }
        })
    };
    found.iter().find_map(|&(minutes, start, end)| {
        // "a day-long period" describes, it does not measure; "the outage was 47 minutes
        // long." does.
        let long_at_end = lower[end..]
            .strip_prefix(" long")
            .is_some_and(|r| r.trim_start_matches(['.', '!', ')', ' ']).is_empty());
        if (lower[end..].starts_with("-long") || lower[end..].starts_with(" long")) && !long_at_end
        {
            return None;
        }
        let before = unhedged(lower[..start].trim_end());
        let last_word = |w: &str| {
            before
                .strip_suffix(w)
                .is_some_and(|r| r.is_empty() || r.ends_with([' ', '(', '*', '_']))
        };
        let after = lower[end..].trim_start();
        // "within the last 15 min", "in the past hour", "their last 30 days of spend": a
        // window back from now; "the 7-hour
        // window between the last backup and the incident", "6 hours of data": what was lost.
        let window_back = ["last", "past"].iter().any(|w| {
            before.strip_suffix(w).is_some_and(|r| {
                r.split_whitespace().next_back().is_some_and(|d| {
                    matches!(
                        d,
                        "the" | "their" | "our" | "its" | "your" | "his" | "her" | "my"
                    )
                })
            })
        });
        if window_back
            || ["window between", "gap between", "of data"]
                .iter()
                .any(|w| after.starts_with(w))
        {
            return None;
        }
        // "alerting was delayed for one hour": how late something came, not how long the
        // incident lasted; "they processed refunds, which took 24 hours": how long a piece of
        // the work took (unless the clause before "which" names the incident: "the outage,
        // which took 3 hours").
        if before.ends_with("delayed for") || before.ends_with("delayed by") {
            return None;
        }
        // "the library cached the old key for 24 hours", "tokens stay valid for 90 days": how
        // long something is kept by design, not how long the incident lasted.
        // The kept word governs the length when only its object stands between them ("the
        // values cached before a deploy for 68 minutes" were served that long).
        if let Some(clause) = before.strip_suffix("for") {
            let clause = clause.rsplit([',', ';', '(']).next().unwrap_or(clause);
            let words: Vec<&str> = clause
                .split_whitespace()
                .map(|w| w.trim_matches(|c: char| !c.is_ascii_alphabetic()))
                .collect();
            let kept = words
                .iter()
                .rposition(|w| KEPT_BY_DESIGN.contains(w))
                .is_some_and(|k| {
                    let object = &words[k + 1..];
                    object.len() <= 4 && !object.iter().any(|w| LINKS_A_TIME.contains(w))
                });
            if kept {
                return None;
            }
        }
        if let Some(clause) = before.strip_suffix("which took") {
            let named = clause
                .split_whitespace()
                .rev()
                .take(4)
                .any(|w| says_any(w, &INCIDENT_WORDS));
            if !named {
                return None;
            }
        }
        // "The initial mitigation took 47 minutes from receiving the report": how long one
        // phase of the response took, not the incident.
        if let Some(clause) = before.strip_suffix("took") {
            let subject = clause.rsplit([',', ';', '(']).next().unwrap_or(clause);
            if says_any(subject, &RESPONSE_PHASES) && !says_any(subject, &INCIDENT_WORDS) {
                return None;
            }
        }
        // "After 47 minutes, the service recovered.": the sentence opens with the length the
        // recovery took.
        let ended_after = ENDED_AFTER.iter().any(|l| last_word(l))
            || (before.trim_start_matches(['*', '_', ' ']) == "after"
                && says_any(
                    &lower[end..],
                    &[
                        "recovered",
                        "restored",
                        "resolved",
                        "back to normal",
                        "back online",
                    ],
                ));
        if BOUNDS.iter().any(|b| last_word(b)) && !ended_after {
            return None;
        }
        // "a 4-5 minutes outage" is an estimate between two lengths.
        let range = lower[..start]
            .strip_suffix(['-', '–'])
            .is_some_and(|r| r.ends_with(|c: char| c.is_ascii_digit()));
        if range {
            return None;
        }
        let led = ended_after
            || long_at_end
            || LENGTH_LEADS.iter().any(|l| last_word(l))
            || LENGTH_WORDS.iter().any(|w| before.contains(w))
            || (before.ends_with('(')
                && after.starts_with(')')
                && closes_a_span(&sentence[..before.len() - 1]))
            || apposed_to_a_span(sentence, before, after);
        let tailed = LENGTH_TAILS.iter().any(|t| {
            after
                .strip_prefix(t)
                .is_some_and(|r| !r.starts_with(|c: char| c.is_ascii_alphanumeric()))
        });
        (led || tailed).then(|| (!next_phase(end)).then_some(minutes))
    })
}

/// A sentence in ASCII lowercase, the line breaks of hard-wrapped prose read as the spaces they
/// stand for: the same length, so its offsets are the sentence's.
fn one_line_lowercase(sentence: &str) -> String {
    let mut lower = sentence.to_ascii_lowercase();
    if lower.contains('\n') {
        lower = lower.replace('\n', " ");
    }
    lower
}

/// Whether a bracket opens on a number or a hedge ("(87 minutes)", "(about 81 minutes)"): where
/// a length in brackets may stand.
fn bracketed_number(sentence: &str) -> bool {
    opens_on_a_number(sentence, b'(')
}

/// Whether a comma or a dash is followed by a number or a hedge (", about 40 minutes", "—
/// 40 minutes"): where a length set after a span may stand ([`apposed_to_a_span`]).
fn apposed_number(sentence: &str) -> bool {
    // '—' and '–' end with the byte 0x94 and 0x93.
    [b',', 0x94, 0x93]
        .into_iter()
        .any(|mark| opens_on_a_number(sentence, mark))
}

/// Whether a `mark` byte is followed, after spaces, by a number or a hedge.
fn opens_on_a_number(sentence: &str, mark: u8) -> bool {
    let b = sentence.as_bytes();
    memchr::memchr_iter(mark, b).any(|i| {
        let Some(rest) = sentence.get(i + 1..) else {
            return false;
        };
        let rest = if mark == b'(' {
            rest
        } else {
            rest.trim_start()
        };
        rest.starts_with(|c: char| c.is_ascii_digit() || c == '~')
            || HEDGES.iter().any(|h| {
                rest.get(..h.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(h))
            })
    })
}

/// A length set after a span of two times by a comma or a dash, ending its clause: "from 10:00
/// to 10:40 UTC, about 40 minutes.", "..., 40 minutes in total", "... — roughly 40 minutes of
/// errors". `before` and `after` are the sentence's lowercase text around the length.
fn apposed_to_a_span(sentence: &str, before: &str, after: &str) -> bool {
    const TAILS: [&str; 9] = [
        "in total",
        "in all",
        "altogether",
        "of downtime",
        "of errors",
        "of impact",
        "of disruption",
        "of outage",
        "of degradation",
    ];
    let Some(span) = before.strip_suffix([',', '\u{2014}', '\u{2013}']) else {
        return false;
    };
    let clause_ends = after.is_empty()
        || after.starts_with(['.', ';', '!', ')'])
        || TAILS.iter().any(|t| after.starts_with(t));
    clause_ends && closes_a_span(&sentence[..span.len()])
}

/// Whether `text` ends with a span of two times ("from 16:04 to 17:31 UTC", "between 13:41 and
/// 15:02"): a length in brackets after it measures that span.
fn closes_a_span(text: &str) -> bool {
    let found = time::scan(text);
    let [.., a, b] = found.as_slice() else {
        return false;
    };
    let gap = text[a.end..b.start].trim().to_ascii_lowercase();
    a.pieces.time.is_some()
        && b.pieces.time.is_some()
        && text[b.end..].trim().is_empty()
        && SPAN_JOINS.contains(&gap.as_str())
}

/// What stands between the two times of a span: "10:05 to 10:50", "between 13:41 and 15:02".
const SPAN_JOINS: [&str; 10] = [
    "to",
    "-",
    "–",
    "—",
    "and",
    "until",
    "till",
    "through",
    "and ended at",
    "to about",
];

/// Whether byte `i` ends a sentence: a line break (unless the sentence goes on past it), or `.`,
/// `!`, `?` before a space or the end,
/// except after a lone lowercase letter (`p.m.`, `e.g.`). Depends only on the bytes around `i`,
/// so a sentence can be found from any byte inside it.
fn ends_sentence(b: &[u8], i: usize) -> bool {
    match b[i] {
        // A line going on in lower case continues the sentence ("... from 07:45 to 09:20"
        // over "local time (BST) after an update."): prose hard-wrapped in the source.
        b'\n' => {
            !wrapped_before_its_time(&b[..i]) && !b.get(i + 1).is_some_and(u8::is_ascii_lowercase)
        }
        b'.' | b'!' | b'?' => {
            b.get(i + 1).is_none_or(|c| *c == b' ' || *c == b'\n')
                && !(i >= 2
                    && (b[i - 2] == b'.' || b[i - 2] == b' ')
                    && b[i - 1].is_ascii_lowercase())
        }
        _ => false,
    }
}

/// Whether a line (`line`, up to its line break) was wrapped between a word that waits for its
/// time or length and that: "... Beginning at" over "15:42 UTC, product pages ...", "The
/// outage lasted" over "70 min.". Prose hard-wrapped in the source goes on across such a break.
fn wrapped_before_its_time(line: &[u8]) -> bool {
    const WAITING: [&[u8]; 17] = [
        b"at",
        b"by",
        b"until",
        b"till",
        b"from",
        b"since",
        b"around",
        b"about",
        b"between",
        b"approximately",
        b"on",
        b"to",
        b"for",
        b"roughly",
        b"lasted",
        b"lasting",
        b"took",
    ];
    let line = line.trim_ascii_end();
    let word_start = line
        .iter()
        .rposition(|c| !c.is_ascii_alphabetic())
        .map_or(0, |k| k + 1);
    let word = &line[word_start..];
    // A word standing alone on its line is a label or a heading, not wrapped prose.
    word_start > 0
        && line[word_start - 1] == b' '
        && WAITING.iter().any(|w| word.eq_ignore_ascii_case(w))
}

/// The sentences of `text` (ended by [`ends_sentence`], trimmed) that hold one of `cues` (none of
/// which starts with whitespace), in order: the text is searched once for the cues, and only the
/// sentence around each hit is delimited.
pub fn sentences_with<'t>(
    text: &'t str,
    cues: &'t crate::text::Phrases,
) -> impl Iterator<Item = &'t str> {
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(p) = cues.find_from(text, from) {
            let (sentence, start, end) = sentence_around(text, from, p);
            from = end;
            // No cue starts between `from` and `p`; one that does at `p` may run past the
            // sentence's trimmed end, so the sentence itself is asked from `p` on (from its
            // start when the cue's leading space was trimmed off it: " led to" opening a line).
            if cues.find_from(sentence, p.saturating_sub(start)).is_some() {
                return Some(sentence);
            }
        }
        None
    })
}

/// The sentence around byte `p`, which lies at or after `from`, a sentence boundary (the start
/// of the text or just after a sentence's end): its trimmed text, where that starts, and where the
/// sentence ends. Only `.`, `!`, `?` and line breaks can end one, so those are found by memchr
/// within `p`'s line, and each is then asked whether it ends the sentence.
fn sentence_around(text: &str, from: usize, p: usize) -> (&str, usize, usize) {
    let b = text.as_bytes();
    let mut line_start = from;
    let mut upto = p;
    while let Some(k) = memchr::memrchr(b'\n', &b[from..upto]) {
        if ends_sentence(b, from + k) {
            line_start = from + k + 1;
            break;
        }
        upto = from + k;
    }
    let mut hi = p;
    let start = loop {
        match memchr::memrchr3(b'.', b'!', b'?', &b[line_start..hi]) {
            Some(k) if ends_sentence(b, line_start + k) => break line_start + k + 1,
            Some(k) => hi = line_start + k,
            None => break line_start,
        }
    };
    let mut line_end = b.len();
    let mut after = p;
    while let Some(k) = memchr::memchr(b'\n', &b[after..]) {
        if ends_sentence(b, after + k) {
            line_end = after + k;
            break;
        }
        after += k + 1;
    }
    let mut lo = p;
    let end = loop {
        match memchr::memchr3(b'.', b'!', b'?', &b[lo..line_end]) {
            Some(k) if ends_sentence(b, lo + k) => break lo + k + 1,
            Some(k) => lo = lo + k + 1,
            None => break (line_end + 1).min(b.len()),
        }
    };
    let raw = &text[start..end];
    let trimmed = raw.trim_start();
    let start = start + (raw.len() - trimmed.len());
    (trimmed.trim_end(), start, end)
}

/// Start and end stated in prose: `On April 3rd, 2024 at 11:00 AM GMT ... until 2:16 PM GMT`,
/// `from 9:00 pm to 10:25 pm WAT`, `between 1900 and 2100 UTC`.
#[derive(Debug, Default, PartialEq)]
pub struct StatedSpan {
    pub start: Option<Pieces>,
    pub end: Option<Pieces>,
    /// Whether the start is the time the problem was detected ("at 10:05 our monitoring
    /// detected errors") or the time of the change that brought it about ("At 09:10 a deploy
    /// went out"), which "it had started at 09:58" or "errors started at 09:14" in one of the
    /// next few sentences replaces.
    start_provisional: bool,
    /// How many more sentences may replace a detection's start.
    detected_reads: u8,
    /// When the prose says the fault itself was put right ("The certificate was corrected at
    /// 12:05 UTC"), for a document that states no other end.
    pub fixed: Option<Pieces>,
}

impl StatedSpan {
    /// Once both ends are known (the start not only as a detection) nothing later changes them.
    fn complete(&self) -> bool {
        self.start.is_some() && self.end.is_some() && !self.start_provisional
    }

    /// Counts a sentence read after a detection's start; past the few that may replace it,
    /// the start stays.
    fn read_one(&mut self) {
        if self.start_provisional {
            self.detected_reads = self.detected_reads.saturating_sub(1);
            self.start_provisional = self.detected_reads > 0;
        }
    }
}

pub fn stated_span(text: &str) -> StatedSpan {
    stated(text, false).0
}

/// The span and, when `want_duration`, the duration a text states: its sentences read in order
/// until both are known. Only sentences that can state either are read: those with a digit,
/// noon or midnight, or a length word (found by one search over the text).
pub fn stated(text: &str, want_duration: bool) -> (StatedSpan, Option<u32>) {
    let (span, lengths) = stated_lengths(text, want_duration);
    (span, lengths.first().copied())
}

/// [`stated`], with every length the next few sentences after the first one state: "the service
/// went offline for 84 minutes. ... so users were impacted for roughly 10.5 hours" tells of a
/// part, then the whole, and the document's span says which the incident's is.
pub fn stated_lengths(text: &str, want_duration: bool) -> (StatedSpan, Vec<u32>) {
    const SIGNS: [&str; 13 + LENGTH_STEMS.len()] = {
        let mut all = [""; 13 + LENGTH_STEMS.len()];
        let stamps = [
            "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "noon", "midn", "midd",
        ];
        let mut i = 0;
        while i < all.len() {
            all[i] = if i < 13 {
                stamps[i]
            } else {
                LENGTH_STEMS[i - 13]
            };
            i += 1;
        }
        all
    };
    static CAN_STATE: crate::text::Phrases = crate::text::Phrases::new(&SIGNS);
    let mut span = StatedSpan::default();
    // Whether a sentence has told of the length (with one, or with a bound or a phase that
    // states none): the first such sentence decides.
    let mut decided = false;
    let mut lengths = Vec::new();
    // How far after the first length later ones are read: the next few sentences.
    const NEARBY: usize = 600;
    let mut nearby_end = 0;
    let mut from = 0;
    while let Some(p) = CAN_STATE.find_from(text, from) {
        let duration_done = !want_duration || (decided && p >= nearby_end);
        if span.complete() && duration_done {
            break;
        }
        let (sentence, _, end) = sentence_around(text, from, p);
        if !span.complete() {
            let was_detected = span.start_provisional;
            span_from(&mut span, sentence);
            if was_detected {
                span.read_one();
            }
        }
        if !duration_done {
            // "Read-only for 5 minutes. This was followed by an outage that lasted 12 minutes.":
            // phases told one sentence each.
            let length =
                sentence_length(sentence).map(|d| d.filter(|_| !next_phase_follows(text, end)));
            if let Some(Some(minutes)) = length
                && (!decided || !lengths.is_empty())
            {
                if lengths.is_empty() {
                    nearby_end = end + NEARBY;
                }
                lengths.push(minutes);
            }
            decided |= length.is_some();
        }
        from = end;
    }
    (span, lengths)
}

/// The incident's length told where its recovery is, read only from a sentence that names the
/// incident, the time between two of its moments ("The time between the report and the
/// all-clear took about 24 hours") or the time to resolve it: the length of one step ("This
/// action took about 48 hours") is not the incident's.
pub fn length_in_recovery(text: &str) -> Option<u32> {
    static NAMES: crate::text::Phrases = crate::text::Phrases::new(&[
        "incident",
        "outage",
        "downtime",
        "disruption",
        "time between",
        "time from",
        "time to re",
    ]);
    sentences_with(text, &NAMES).find_map(|s| sentence_length(s).flatten())
}

/// Whether the sentence starting at or after `at` opens by saying it comes next ("This was
/// followed by", "Then") and states a length of its own.
fn next_phase_follows(text: &str, at: usize) -> bool {
    let rest = &text[at.min(text.len())..];
    let skipped = rest.len() - rest.trim_start().len();
    let start = at + skipped;
    if start >= text.len() {
        return false;
    }
    let (next, _, _) = sentence_around(text, start, start);
    let head = next.get(..24).unwrap_or(next).to_ascii_lowercase();
    ["this was followed by", "followed by", "then ", "after that"]
        .iter()
        .any(|w| head.starts_with(w))
        && sentence_length(next).is_some_and(|d| d.is_some())
}

/// What one sentence adds to the span.
fn span_from(span: &mut StatedSpan, sentence: &str) {
    if !time::may_hold_stamp(sentence) {
        return;
    }
    if span.start.is_none()
        && crate::text::contains_ci(sentence, "between ")
        && let Some((a, b)) = military_between(&sentence.to_ascii_lowercase())
    {
        span.start = Some(a);
        span.end = Some(b);
        return;
    }
    // Only stamps with a time can start or end the span.
    if !time::may_hold_clock(sentence) {
        return;
    }
    let found = time::scan(sentence);
    if found.is_empty() {
        return;
    }
    // "March 11 15:10 UTC (lasting 1 hour and 5 minutes)": an incident's heading, its start
    // then its length.
    if span.start.is_none()
        && found[0].pieces.time.is_some()
        && sentence[..found[0].start]
            .trim_matches(['#', '*', '_', ' '])
            .is_empty()
        && states_a_length(&sentence[found[0].end..])
    {
        span.start = Some(found[0].pieces.clone());
        return;
    }
    let lower = one_line_lowercase(sentence);
    let had_start = span.start.is_some();
    let had_end = span.end.is_some();
    // A start taken from a bare "at" or "on" gives way to one the same sentence ties to the
    // impact: "retired by AWS at 16:00, Prometheus went down approx 16:03" started at 16:03.
    let mut weak_start = false;
    for (k, f) in found.iter().enumerate() {
        let before = lower[..f.start]
            .trim_end()
            .trim_end_matches(['*', '_'])
            .trim_end();
        let prev_end = if k == 0 { 0 } else { found[k - 1].end };
        let gap = lower[prev_end..f.start]
            .trim()
            .trim_matches(['*', '_'])
            .trim();
        let has_time = f.pieces.time.is_some();
        // "from 14:05 to 14:40, and again from 15:10 to 15:25": a second wave the same
        // sentence tells ends the impact at its own end.
        if k > 1
            && !had_end
            && span.end.is_some()
            && has_time
            && SPAN_JOINS.contains(&gap)
            && lower
                .get(found[k - 2].end..found[k - 1].start)
                .is_some_and(|between| {
                    ["again", "second", "another"]
                        .iter()
                        .any(|w| between.contains(w))
                })
        {
            span.end = Some(f.pieces.clone());
            continue;
        }
        if k > 0
            && span.start.is_some()
            && span.end.is_none()
            && has_time
            && SPAN_JOINS.contains(&gap)
        {
            // "Between 2:02 and 3:10 PM": the half of the day written once, at the end, is
            // the start's too when that keeps the start first.
            if let Some(start) = span.start.as_mut().filter(|s| **s == found[k - 1].pieces)
                && !start.half_day
                && f.pieces.half_day
                && let (Some(a), Some(b)) = (start.time, f.pieces.time)
                && a.hour < 12
                && b.hour >= 12
                && (a.hour + 12, a.minute) <= (b.hour, b.minute)
            {
                start.time = time::Time::new(a.hour + 12, a.minute, a.second);
                start.half_day = true;
            }
            span.end = Some(f.pieces.clone());
            continue;
        }
        if span.end.is_none()
            && has_time
            && [
                "until",
                "till",
                "ended at",
                "resolved at",
                "restored at",
                "recovered at",
                "online at",
                "back up at",
                "operational at",
                "ending at",
                "ending",
                "incident was closed at",
                "incident closed at",
                "fixed at",
                "until about",
                "until approximately",
                // "resolved on March 3 at 9:10 PM": the date first.
                "ended on",
                "resolved on",
                "restored on",
                "recovered on",
                "fixed on",
            ]
            .iter()
            .any(|c| before.ends_with(c))
            // "By 9:30 AM UTC, we had removed the packages": the sentence opens at the end,
            // unless it tells only of the response under way ("By 11:30, engineers had
            // identified the cause") or of the harm growing ("By 13:51 the data centre was
            // overloaded"). What it tells at the time is what comes before the next time: "By
            // 3:40 we had found the chain; we redeployed at 3:58, and uploads recovered" was
            // not over at 3:40.
            || (span.end.is_none()
                && has_time
                && k == 0
                && before == "by"
                && {
                    let told = &lower[f.end..found.get(1).map_or(lower.len(), |n| n.start)];
                    // Not a recovery in part: "By 12:26 the index had recovered enough to
                    // serve reads".
                    (!(says_any(told, &RESPONSE_UNDER_WAY) || says_any(told, &HARM_GREW))
                        || says_any(told, &ENDED_THE_HARM))
                        && !says_any(told, &PARTLY)
                })
            // "..., restoring service at 09:50 UTC": the words right before the time tell of
            // the recovery (not of one begun: "began restoring at").
            || (span.end.is_none() && has_time && restored_right_before(before))
            // "Writes failed until we promoted the replica by hand at 23:37": the impact
            // lasted until the act done at that time.
            || (span.end.is_none() && span.start.is_some() && has_time && until_act_at(before))
            // "At 1:15 PM PDT, all nodes had fully recovered": a sentence that opens with its
            // time and tells of the recovery, once the start is known.
            || (span.end.is_none()
                && span.start.is_some()
                && has_time
                && k == 0
                && before == "at"
                && says_any(&lower[f.end..], &RECOVERED))
            // "We hot-fixed the routes and at 18:48 the dashboard was up again", "...; by 10:50
            // all traffic was healthy again": a clause that opens with its time and tells of the
            // recovery.
            || (span.end.is_none()
                && span.start.is_some()
                && has_time
                && [" and at", ", at", "; at", " and by", ", by", "; by"]
                    .iter()
                    .any(|c| before.ends_with(c))
                && says_any(
                    &lower[f.end..found.get(k + 1).map_or(lower.len(), |n| n.start)],
                    &RECOVERED,
                ))
            // "Restoring the 2,310 objects from backup finished at 3:15 AM": the work of
            // recovery done.
            || (span.end.is_none()
                && span.start.is_some()
                && has_time
                && recovery_finished(before))
            // "... drained by 4:05 pm, when we declared the incident over": the clause after
            // the time declares the incident over.
            || (span.end.is_none()
                && span.start.is_some()
                && has_time
                && declared_over(&lower[f.end..found.get(k + 1).map_or(lower.len(), |n| n.start)]))
        {
            span.end = Some(f.pieces.clone());
            continue;
        }
        if span.fixed.is_none() && span.start.is_some() && has_time && fault_put_right(before) {
            span.fixed = Some(f.pieces.clone());
        }
        if has_time
            && span.start.is_some()
            && weak_start
            && IMPACT_BEGINS.iter().any(|c| unhedged(before).ends_with(c))
        {
            span.start = Some(f.pieces.clone());
            weak_start = false;
            continue;
        }
        // "At 10:05 our monitoring detected errors. The issue had started at 09:58.": the
        // impact's own start replaces the detection's.
        if has_time
            && span.start_provisional
            && [
                "started at",
                "began at",
                "begun at",
                "started",
                "began",
                "begun",
                "since",
                "beginning at",
            ]
            .iter()
            .any(|c| unhedged(before).ends_with(c))
        {
            span.start = Some(f.pieces.clone());
            span.start_provisional = false;
            weak_start = false;
            continue;
        }
        if span.start.is_none() && has_time {
            let starts = [
                "on",
                "at",
                "from",
                "between",
                "began",
                "started",
                "starting",
                "beginning",
                "since",
                "around",
                "approximately",
                "about",
                "as of",
                "at approximately",
                "at around",
                "at about",
                "beginning at",
                "starting at",
                "started at",
            ];
            // A range standing on its own ("(Between\n1:46pm - 5:30pm)", a line that wrapped).
            let range_follows = found.get(k + 1).is_some_and(|n| {
                n.pieces.time.is_some()
                    && matches!(lower[f.end..n.start].trim(), "-" | "–" | "to" | "until")
            });
            // Standing alone, or named as the impact's: "Outage 14:00-15:10 UTC".
            let alone = before.is_empty()
                || before.ends_with('(')
                || ["outage", "downtime", "impact", "degradation", "disruption"]
                    .iter()
                    .any(|w| before.trim_end_matches(':').ends_with(w));
            // "From roughly 06:10 until 08:25": a hedge between the cue and its time.
            let cue = starts
                .iter()
                .any(|c| before.ends_with(c) || unhedged(before).ends_with(c))
                || (range_follows && alone);
            let date_start = f.pieces.date.is_some()
                && (lower.contains("outage")
                    || lower.contains("incident")
                    || lower.contains("down")
                    || lower.contains("fail")
                    || lower.contains("experienced")
                    || lower.contains("began")
                    || lower.contains("started")
                    || lower.contains("error")
                    || lower.contains("affect")
                    || lower.contains("unable")
                    || lower.contains("issue"));
            // "We first heard of the problem on Monday at 09:30, when a customer asked ...":
            // the time the problem was noticed, not when it began (unless the sentence says
            // the service went down then).
            let noticed = says_any(before, &NOTICED)
                && !says_any(&lower, &["down", "outage", "unavailable", "fail", "error"]);
            // "The change was reverted at 14:19", "the engineer acknowledged the alert at
            // 03:12": the time of a step of the response, not of the start.
            let responded = ["at", "on"].iter().any(|c| unhedged(before).ends_with(c)) && {
                let clause = before.rsplit([',', ';']).next().unwrap_or(before);
                says_any(clause, &ENDED_THE_HARM) || says_any(clause, &RESPONDED)
            };
            if (cue || date_start) && !noticed && !responded {
                let mut start = f.pieces.clone();
                // "at roughly 08:00": the hedge makes the start approximate.
                start.approximate |= unhedged(before).len() < before.len();
                span.start = Some(start);
                weak_start = ["on", "at"].iter().any(|c| before.ends_with(c)) && !date_start;
                // The clause around the time tells of the problem being found.
                let clause_end = found.get(k + 1).map_or(lower.len(), |n| n.start);
                let lead = &before[before.floor_char_boundary(before.len().saturating_sub(40))..];
                span.start_provisional = [lead, &lower[f.end..clause_end]]
                    .iter()
                    .any(|c| says_any(c, &DETECTED))
                    || (weak_start
                        && says_any(&lower, &CHANGE_MADE)
                        && !says_any(&lower, &HARM_TOLD));
                span.detected_reads = 3;
            }
        }
    }
    // A start this sentence gives as a time alone is on the one date the sentence states: "On
    // Mar 3, 2024 between 10:15 PM and 11:50 PM PST", "from 9:00 to 9:40 UTC on 4 May 2023".
    // (The end keeps its time alone: it is placed after the start, past midnight if need be.)
    if !had_start
        && let Some(start) = span.start.as_mut()
        && start.date.is_none()
    {
        let mut dates = found.iter().filter_map(|f| f.pieces.date);
        if let Some(date) = dates.next()
            && dates.all(|other| other == date)
        {
            start.date = Some(date);
        }
    }
}

/// The words before a time without the "at" or "by" that leads to it: "was restored at" is
/// "was restored".
fn before_at_or_by(before: &str) -> Option<&str> {
    before
        .strip_suffix(" at")
        .or_else(|| before.strip_suffix(" by"))
}

/// Whether lowercased `before`, the words before a time, end by telling that the fault was put
/// right then: "the proxy certificate was corrected at", "the bad route was replaced at" (not
/// "began replacing", nor a step "completed at", which may not have ended the harm).
fn fault_put_right(before: &str) -> bool {
    let Some(clause) = before_at_or_by(before) else {
        return false;
    };
    [
        " was corrected",
        " were corrected",
        " was repaired",
        " were repaired",
        " was replaced",
        " were replaced",
        " was patched",
        " were patched",
    ]
    .iter()
    .any(|verb| clause.ends_with(verb))
}

/// Whether lowercased `before` ends in a clause telling of the recovery's work, then that it
/// finished: "restoring the objects from backup finished at", "the data recovery was complete
/// by" (not "the rollback finished at", which may leave harm behind it).
fn recovery_finished(before: &str) -> bool {
    let Some(clause) = [
        " finished at",
        " finished by",
        " completed at",
        " completed by",
        " complete at",
        " complete by",
        " done at",
        " done by",
    ]
    .iter()
    .find_map(|end| before.strip_suffix(end)) else {
        return false;
    };
    // Not a number's comma: "restoring the 2,310 objects".
    let clause = [", ", "; ", ". "]
        .iter()
        .fold(clause, |c, mark| c.rsplit(mark).next().unwrap_or(c));
    says_any(clause, &["restor", "recover", "backfill", "repair"])
        && !says_any(clause, &["began", "started", "attempt"])
}

/// Whether lowercased `after`, the words after a time, declare the incident over in the clause
/// the time belongs to: "..., when we declared the incident over", "we closed the incident"
/// (not "we paged the team; the incident was closed later").
fn declared_over(after: &str) -> bool {
    const DECLARED: [&str; 12] = [
        "declared the incident over",
        "declared the incident resolved",
        "declared the incident closed",
        "incident was declared over",
        "incident was declared resolved",
        "declared it over",
        "declared it resolved",
        "closed the incident",
        "resolved the incident",
        "the incident was closed",
        "the incident was resolved",
        "the all clear",
    ];
    let after = after.trim_start();
    let clause = match after
        .strip_prefix(", when ")
        .or(after.strip_prefix("when "))
    {
        Some(when) => when.split([';', '.']).next().unwrap_or(when),
        None => after.split([',', ';', '.']).next().unwrap_or(after),
    };
    says_any(clause, &DECLARED)
}

/// Whether lowercased `before` ends in a short clause opened by "until" that ends in "at":
/// "until we promoted the replica by hand at" (at most eight words, no comma, no other time).
fn until_act_at(before: &str) -> bool {
    let Some(clause) = before
        .strip_suffix(" at")
        .and_then(|b| b.rfind("until ").map(|i| &b[i + "until ".len()..]))
    else {
        return false;
    };
    (1..=8).contains(&clause.split_whitespace().count())
        && !clause.contains([',', ';', ':', '.'])
        && !clause.contains(|c: char| c.is_ascii_digit())
}

/// Whether the last few words of lowercased `before`, ending in "at" or "by", tell of the
/// service coming back: "restoring service at", "was fully recovered by".
fn restored_right_before(before: &str) -> bool {
    // "returned to normal operation around 12:30": a hedge may stand before the time.
    let clause = unhedged(before);
    let hedged = clause.len() < before.len();
    let clause = match before_at_or_by(clause) {
        Some(c) => c,
        None if hedged => clause,
        None => return false,
    };
    let from = clause
        .char_indices()
        .rev()
        .filter(|&(_, c)| c == ' ')
        .nth(3)
        .map_or(0, |(i, _)| i);
    let tail = &clause[from..];
    says_any(
        tail,
        &[
            "restor",
            "recover",
            "resolv",
            "back online",
            "came back",
            "fixed",
            "to normal",
            "to baseline",
            "errors stopped",
            "errors ceased",
            "subsided",
            "healthy again",
            "working again",
            "worked again",
            "works again",
            "up again",
            "available again",
            "online again",
            "operational again",
        ],
    ) && !says_any(
        tail,
        &[
            "began",
            "begin",
            "start",
            "underway",
            "under way",
            "attempt",
            // A restore or recovery as a thing, not the service coming back: "a restore
            // test at 10:00", "the recovery drill at".
            "restore test",
            "restore drill",
            "recovery test",
            "recovery drill",
            "recovery plan",
        ],
    )
}

/// Whether lowercased `text` holds any of `words` (a few sentences a document, read with
/// `contains`: an automaton would cost more to build than these searches).
fn says_any(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

/// What a sentence says of a recovery only begun or in part.
const PARTLY: [&str; 6] = [
    "enough to",
    "partial",
    "partly",
    "some of",
    "began to",
    "started to",
];

/// What a sentence says when the response is still under way, not over.
const RESPONSE_UNDER_WAY: [&str; 16] = [
    "identified",
    "found",
    "determined",
    "traced",
    "discovered",
    "understood",
    "investigat",
    "engaged",
    "paged",
    "notified",
    "escalated",
    "detected",
    "noticed",
    "alerted",
    "began",
    "started",
];

/// What a sentence says when the harm was stopped ("identified the packages, deleted them").
const CONTAINED: [&str; 11] = [
    "deleted",
    "removed",
    "revoked",
    "restored",
    "recovered",
    "resolved",
    "rolled back",
    "reverted",
    "fixed",
    "mitigated",
    "disabled",
];

/// What a sentence says of a change made, which may have brought the harm about.
const CHANGE_MADE: [&str; 8] = [
    "deploy",
    "merged",
    "rolled out",
    "released",
    "upgrade",
    "change",
    "migration",
    "config",
];

/// What a sentence says of the harm itself.
const HARM_TOLD: [&str; 10] = [
    "error",
    "fail",
    "down",
    "outage",
    "unavailable",
    "timeout",
    "slow",
    "broke",
    "crash",
    "impact",
];

/// What a sentence says of the responders taking the incident on.
const RESPONDED: [&str; 6] = [
    "acknowledged",
    "responded",
    "joined",
    "escalated",
    "declared",
    "took command",
];

/// What a sentence says when the harm grew or spread ("By 13:51 that data centre was
/// overloaded and 30% of requests failed").
const HARM_GREW: [&str; 12] = [
    "overloaded",
    "failed",
    "failing",
    "spread",
    "saturated",
    "unavailable",
    "went down",
    "was down",
    "were down",
    "degraded",
    "timing out",
    "timed out",
];

/// What a sentence says when the harm was stopped or the service is whole again.
const ENDED_THE_HARM: [&str; CONTAINED.len() + RECOVERED.len()] = {
    let mut all = [""; CONTAINED.len() + RECOVERED.len()];
    let mut i = 0;
    while i < all.len() {
        all[i] = if i < CONTAINED.len() {
            CONTAINED[i]
        } else {
            RECOVERED[i - CONTAINED.len()]
        };
        i += 1;
    }
    all
};

/// What a sentence says when the service is whole again (not "began to recover").
const RECOVERED: [&str; 24] = [
    "up again",
    "healthy again",
    "errors stopped",
    "to baseline",
    "back online",
    "online again",
    "available again",
    "working again",
    "worked again",
    "works again",
    "fully recovered",
    "had recovered",
    "have recovered",
    "fully restored",
    "was restored",
    "were restored",
    "been restored",
    "was resolved",
    "were resolved",
    "been resolved",
    "back to normal",
    "returned to normal",
    "operating normally",
    "fully operational",
];

/// Words around a start's time that make it the time the problem was found.
const DETECTED: [&str; 6] = [
    "detected", "alerted", "noticed", "paged", "notified", "reported",
];

/// Words before a sentence's first time that make it the time the problem was noticed.
const NOTICED: [&str; 10] = [
    "first heard",
    "heard of",
    "heard about",
    "noticed",
    "were alerted",
    "was alerted",
    "were notified",
    "was notified",
    "first reported",
    "was reported",
];

/// Words that tie the stamp after them to the impact's beginning ("went down approx 16:03").
const IMPACT_BEGINS: [&str; 8] = [
    "went down",
    "went offline",
    "became unavailable",
    "outage began",
    "outage started",
    "began",
    "started",
    "failing from",
];

/// "between (the hours of) 1900 and 2100 UTC"
fn military_between(lower: &str) -> Option<(Pieces, Pieces)> {
    let pos = lower.find("between ")?;
    let rest = &lower[pos + 8..];
    let rest = rest.strip_prefix("the hours of ").unwrap_or(rest);
    let (a, rest) = rest.split_once(" and ")?;
    let a = a.trim();
    let b_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let b = &rest[..b_end];
    if a.len() != 4 || b.len() != 4 || !a.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let ta = time::military_time(a.parse().ok()?)?;
    let tb = time::military_time(b.parse().ok()?)?;
    let zone_word = rest[b_end..].split_whitespace().next().unwrap_or("");
    let zone = time::zone_from_abbreviation(zone_word.trim_matches(|c: char| !c.is_alphanumeric()));
    zone.as_ref()?;
    Some((
        Pieces {
            time: Some(ta),
            zone: zone.clone(),
            ..Pieces::default()
        },
        Pieces {
            time: Some(tb),
            zone,
            ..Pieces::default()
        },
    ))
}

/// The severity a title is tagged with, as written: "[SEV1] Checkout down", "SEV-2: Checkout
/// down", "Sev 1 - Checkout down", "Checkout down (P1)".
pub fn title_severity(title: &str) -> Option<&str> {
    let t = title.trim();
    let opening = match t.strip_prefix(['[', '(']) {
        Some(rest) => rest.split_once([']', ')']).map(|(tag, _)| tag),
        None => [":", " - ", " – ", " — "]
            .iter()
            .filter_map(|sep| t.split_once(sep).map(|(tag, _)| tag))
            .min_by_key(|tag| tag.len()),
    };
    let closing = t
        .strip_suffix([']', ')'])
        .and_then(|r| r.rfind(['[', '(']).map(|at| &r[at + 1..]));
    // "INC-1234 | Queue outage | Sev 2": the last of the parts a bar keeps apart.
    let last_part = t
        .rsplit_once(" | ")
        .map(|(_, last)| last)
        .filter(|last| is_grade(last.trim()));
    let found = [opening, closing]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|tag| is_grade(tag))
        .or(last_part.map(str::trim));
    // "Queue outage (Severity: High)": a grade labelled in the closing bracket.
    found.or_else(|| {
        let (label, value) = closing?.split_once(':')?;
        let label = label.trim();
        (label.eq_ignore_ascii_case("severity") || label.eq_ignore_ascii_case("sev"))
            .then(|| value.trim())
            .filter(|v| !v.is_empty() && v.len() <= 20)
    })
}

/// "SEV2", "Sev-1", "sev 3", "P1": a severity grade alone.
pub fn is_grade(s: &str) -> bool {
    let b = s.as_bytes();
    let digit_at = |i: usize| b.len() == i + 1 && b[i].is_ascii_digit();
    if b.len() >= 4 && b[..3].eq_ignore_ascii_case(b"sev") {
        return digit_at(3) || (matches!(b[3], b'-' | b' ') && digit_at(4));
    }
    b.len() == 2 && b[0] | 0x20 == b'p' && matches!(b[1], b'0'..=b'4')
}

/// Words after a grade that make it a ticket's, not the incident's ("a SEV2 support ticket").
const OF_A_TICKET: [&str; 6] = ["ticket", "tickets", "support", "case", "bug", "bugs"];

/// A grade written as a SEV ("SEV2", "Sev-1"), or a P grade tied to the word priority ("made
/// this a P1 priority"), among the words of `text`: a timeline entry that names one grades the
/// incident ("Incident opened, SEV2"), where "P2" alone may be a ticket's.
pub fn sev_grade_in(text: &str) -> Option<&str> {
    let priority = crate::text::contains_ci(text, "priority");
    if !priority && !crate::text::contains_ci(text, "sev") {
        return None;
    }
    let mut words = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .peekable();
    let mut previous = "";
    while let Some(w) = words.next() {
        // "We made this a P1 priority", "raised to priority P2": a P grade tied to the word.
        let prioritised = priority
            && w.len() == 2
            && is_grade(w)
            && (previous.eq_ignore_ascii_case("priority")
                || words
                    .peek()
                    .is_some_and(|next| next.eq_ignore_ascii_case("priority")));
        previous = w;
        let graded =
            prioritised || (w.len() >= 4 && w[..3].eq_ignore_ascii_case("sev") && is_grade(w));
        // "An AWS SEV2 support ticket was created": a vendor's grade for a ticket.
        let of_a_ticket = words
            .peek()
            .is_some_and(|next| OF_A_TICKET.iter().any(|t| next.eq_ignore_ascii_case(t)));
        if graded && !of_a_ticket {
            return Some(w);
        }
    }
    None
}

/// The severity prose grades the incident with, as written: "This was a SEV2 incident", "we
/// declared a Sev 1", "classified as P2". A grade naming something else ("a SEV2 support
/// ticket") is not the incident's.
pub fn stated_severity(prose: &str) -> Option<String> {
    let in_word = |c: char| c.is_alphanumeric() || c == '-';
    // Words with their byte offsets; a hyphen stays inside a word ("Sev-1").
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut from = None;
    for (i, c) in prose.char_indices().chain([(prose.len(), ' ')]) {
        match (from, in_word(c)) {
            (None, true) => from = Some(i),
            (Some(f), false) => {
                words.push((f, &prose[f..i]));
                from = None;
            }
            _ => {}
        }
    }
    let word = |k: usize| words.get(k).map_or("", |(_, w)| *w);
    let is = |k: usize, options: &[&str]| options.iter().any(|o| word(k).eq_ignore_ascii_case(o));
    let digit = |s: &str| s.len() == 1 && s.as_bytes()[0].is_ascii_digit();
    for k in 0..words.len() {
        let (start, w) = words[k];
        // "SEV2", "Sev-1", "P1", or "Sev" then its number as a word of its own.
        let (end, next) = if is_grade(w) {
            (start + w.len(), k + 1)
        } else if (w.eq_ignore_ascii_case("sev") || w.eq_ignore_ascii_case("severity"))
            && digit(word(k + 1))
        {
            (words[k + 1].0 + 1, k + 2)
        } else {
            // "... in the TL;DR. Severity: Critical.": a grade in words, labelled in the
            // sentence itself.
            let labelled_word = k > 0
                && is(k - 1, &["severity"])
                && prose[words[k - 1].0 + words[k - 1].1.len()..start].trim() == ":"
                && super::vocab::is_grade_word(w);
            if labelled_word {
                return Some(w.to_string());
            }
            continue;
        };
        if is(next, &OF_A_TICKET) {
            continue;
        }
        let names_incident = is(next, &["incident", "outage", "event"]);
        // The words before it: "classified as (a)", "declared (as) (a)", "rated (as) (a)".
        let mut lead = k;
        if lead > 0 && is(lead - 1, &["a", "an"]) {
            lead -= 1;
        }
        if lead > 0 && is(lead - 1, &["as"]) {
            lead -= 1;
        }
        let graded = lead > 0
            && is(
                lead - 1,
                &["classified", "declared", "rated", "graded", "treated"],
            );
        // "This was a SEV1.", "The outage is a P2": the incident itself is the grade.
        let is_the_incident = lead > 1
            && is(lead - 1, &["was", "is"])
            && is(lead - 2, &["this", "it", "incident", "outage"]);
        // "... for 42 minutes. Severity: SEV2."
        let labelled = k > 0 && is(k - 1, &["severity", "priority"]);
        // "A Sev2 was declared at 14:02": the grade declared.
        let declared =
            is(next, &["was", "is"]) && is(next + 1, &["declared", "raised", "called", "opened"]);
        // "a major incident (SEV1)": the grade in brackets after the incident.
        let bracketed = k > 0
            && is(k - 1, &["incident", "outage"])
            && prose[words[k - 1].0 + words[k - 1].1.len()..start].trim() == "(";
        if names_incident || graded || labelled || is_the_incident || declared || bracketed {
            return prose.get(start..end).map(str::to_string);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_cue_whose_space_opens_a_line_finds_its_sentence() {
        static CUES: crate::text::Phrases = crate::text::Phrases::new(&[" led to"]);
        // The cue's space opens the second sentence, which is trimmed off it: that sentence
        // no longer holds the cue, and the search goes on past it.
        let text = "The disk filled up.\n led to an outage. A bug led to the crash.\n";
        let found: Vec<&str> = super::sentences_with(text, &CUES).collect();
        assert_eq!(found, ["A bug led to the crash."]);
    }

    use super::*;

    fn stated_duration_of(text: &str) -> Option<u32> {
        stated(text, true).1
    }

    /// Splits prose into sentences by looking at every byte: what [`sentences_with`] must agree
    /// with.
    fn sentences(text: &str) -> impl Iterator<Item = &str> {
        let b = text.as_bytes();
        let mut start = 0;
        std::iter::from_fn(move || {
            while start < b.len() {
                let end = (start..b.len())
                    .find(|&i| ends_sentence(b, i))
                    .map_or(b.len(), |i| i + 1);
                let s = text[start..end].trim();
                start = end;
                if !s.is_empty() {
                    return Some(s);
                }
            }
            None
        })
    }

    proptest::proptest! {
        #[test]
        fn sentences_with_cues_are_the_sentences_that_hold_one(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "The user", "users", " ", "  ", ".", ". ", "\n", " \n", "!", "? ", " e.g.",
                    "50", "%", " percent", "Lost", " orders.", "x", "é", "user ", "errors!",
                ]),
                0..24,
            ),
        ) {
            static C: crate::text::Phrases = crate::text::Phrases::new(&["%", "percent", "user ", "users", "lost", "errors"]);
            let text = parts.concat();
            let expected: Vec<&str> = sentences(&text).filter(|s| C.any_in(s)).collect();
            proptest::prop_assert_eq!(sentences_with(&text, &C).collect::<Vec<_>>(), expected, "{:?}", text);
        }
    }

    #[test]
    fn a_sev_grade_among_words() {
        assert_eq!(sev_grade_in("Incident opened, SEV2"), Some("SEV2"));
        assert_eq!(
            sev_grade_in("escalated to Sev-1 (all hands)"),
            Some("Sev-1")
        );
        assert_eq!(sev_grade_in("opened a P2 ticket with the vendor"), None);
        assert_eq!(sev_grade_in("We made this a P1 priority"), Some("P1"));
        assert_eq!(sev_grade_in("raised to priority P2 at noon"), Some("P2"));
        assert_eq!(sev_grade_in("the P1 node has priority over p2"), None);
        assert_eq!(sev_grade_in("An AWS SEV2 support ticket was created"), None);
        assert_eq!(sev_grade_in("several pods restarted"), None);
    }

    #[test]
    fn severity_stated_in_prose() {
        let sev = |s: &str| stated_severity(s);
        assert_eq!(sev("This was a SEV2 incident.").as_deref(), Some("SEV2"));
        assert_eq!(
            sev("At 10:02 we declared a Sev 1.").as_deref(),
            Some("Sev 1")
        );
        assert_eq!(
            sev("It was classified as P2 by the on-call.").as_deref(),
            Some("P2")
        );
        assert_eq!(sev("A Sev-3 outage of the API.").as_deref(), Some("Sev-3"));
        assert_eq!(
            sev("This was a severity 2 incident.").as_deref(),
            Some("severity 2")
        );
        assert_eq!(sev("The severity 2 queue was long."), None);
        assert_eq!(sev("This was a SEV1.").as_deref(), Some("SEV1"));
        assert_eq!(
            sev("The outage is a P2 by our scale.").as_deref(),
            Some("P2")
        );
        assert_eq!(sev("The ticket was a P2."), None);
        // Declared, or in brackets after the incident.
        assert_eq!(
            sev("A Sev2 was declared at 14:02.").as_deref(),
            Some("Sev2")
        );
        assert_eq!(
            sev("This was a major incident (SEV1) for our EU customers.").as_deref(),
            Some("SEV1")
        );
        assert_eq!(sev("The P1 was closed by support."), None);
        assert_eq!(sev("Résumé — a SEV1 incident").as_deref(), Some("SEV1"));
        // A grade of something else, or a mention without one.
        assert_eq!(sev("They asked us to create a SEV2 ticket."), None);
        assert_eq!(sev("Our P1 dashboards stayed green."), None);
        assert_eq!(sev("The several services were fine."), None);
        // A label inside a paragraph.
        assert_eq!(
            sev("Overwhelmed the API for 42 minutes. Severity: SEV2.").as_deref(),
            Some("SEV2")
        );
        assert_eq!(
            sev("Impact lasted 2h 10m. Severity: Critical. Refunds followed.").as_deref(),
            Some("Critical")
        );
        // A word grade needs the label right before it.
        assert_eq!(
            sev("The severity of the bug was high for a critical path."),
            None
        );
    }

    #[test]
    fn every_length_cue_holds_a_stem() {
        for cue in LENGTH_LEADS
            .iter()
            .chain(&LENGTH_WORDS)
            .chain(&LENGTH_TAILS)
            .chain(&ENDED_AFTER)
        {
            assert!(
                LENGTH_STEMS.iter().any(|s| cue.contains(s)),
                "{cue} holds no stem"
            );
        }
    }

    #[test]
    fn severity_tagged_in_the_title() {
        for (title, want) in [
            ("[SEV1] Checkout down", Some("SEV1")),
            ("SEV-2: Checkout down", Some("SEV-2")),
            ("Sev 1 - Checkout down", Some("Sev 1")),
            ("Checkout down (P1)", Some("P1")),
            ("(p2) Checkout down: EU only", Some("p2")),
            ("Checkout down: P1 customers", None),
            ("Postmortem: severe latency", None),
            ("Checkout down (EU)", None),
            ("INC-1234 | Checkout down | Sev 2", Some("Sev 2")),
            ("Checkout down | EU", None),
            ("Checkout down (Severity: High)", Some("High")),
            ("Checkout down (note: EU only)", None),
        ] {
            assert_eq!(title_severity(title), want, "{title}");
        }
    }

    #[test]
    fn duration_spellings() {
        let m = |s: &str| durations(s).first().map(|d| d.0);
        assert_eq!(m("lasted for 3 hours and 14 minutes, until"), Some(194));
        assert_eq!(m("a 3h 14m outage"), Some(194));
        assert_eq!(m("about 90 minutes"), Some(90));
        assert_eq!(m("2.5 hours"), Some(150));
        assert_eq!(m("2,5 hours"), Some(150));
        // A thousands separator is no decimal comma.
        assert_ne!(m("1,000 hours"), Some(60));
        assert_eq!(m("half an hour"), Some(30));
        assert_eq!(m("an hour and a half"), Some(90));
        assert_eq!(m("a day and a half"), Some(2160));
        assert_eq!(m("an hour and a quarter"), Some(75));
        assert_eq!(m("6h 27m"), Some(387));
        assert_eq!(m("HTTP 503"), None);
        assert_eq!(m("forty-seven minutes"), Some(47));
        assert_eq!(m("twenty five minutes"), Some(25));
        assert_eq!(m("seventeen minutes"), Some(17));
        assert_eq!(m("three quarters of an hour"), Some(45));
        assert_eq!(m("a quarter of an hour"), Some(15));
        assert_eq!(m("sixty-five minutes"), Some(65));
    }

    #[test]
    fn a_time_kept_by_design_is_no_length() {
        for kept in [
            "Our SAML library cached the old key for 24 hours, so every login failed.",
            "Session tokens stay valid for 90 days.",
            "Logs are retained for 30 days.",
        ] {
            assert_eq!(stated_duration_of(kept), None, "{kept}");
        }
        for lasting in [
            "The outage persisted for 3 hours, from 01:00 to 04:00.",
            "The cache was down for 2 hours.",
            "The flag service served values cached before a deploy for 68 minutes.",
        ] {
            assert!(stated_duration_of(lasting).is_some(), "{lasting}");
        }
    }

    #[test]
    fn a_length_wrapped_onto_the_next_line() {
        assert_eq!(
            stated_duration_of("Service was restored at 10:05. The outage lasted\n70 min.\n"),
            Some(70)
        );
        assert_eq!(
            stated_duration_of("The outage lasted forty-seven minutes."),
            Some(47)
        );
        assert_eq!(
            stated_duration_of("The problem lasted roughly\n45 minutes.\n"),
            Some(45)
        );
        assert_eq!(
            stated_duration_of("Searches failed\nfor 47 minutes.\n"),
            Some(47)
        );
    }

    #[test]
    fn stated_duration_needs_a_cue() {
        assert_eq!(
            stated_duration_of("The outage lasted for 3 hours and 14 minutes, until 2:16 PM GMT."),
            Some(194)
        );
        assert_eq!(
            stated_duration_of("We waited 5 minutes for the cache to warm."),
            None
        );
        assert_eq!(
            stated_duration_of("The site was offline for 20 minutes."),
            Some(20)
        );
        assert_eq!(
            stated_duration_of("No notifications for round about four and a half days."),
            Some(6480)
        );
        assert_eq!(
            stated_duration_of("It will last approximately 2 hours."),
            Some(120)
        );
        assert_eq!(stated_duration_of("Total downtime: 699 minutes"), Some(699));
        assert_eq!(
            stated_duration_of("It took us 40 minutes to restore service."),
            Some(40)
        );
        assert_eq!(
            stated_duration_of("We saw approximately 4 hours of degraded performance."),
            Some(240)
        );
        assert_eq!(
            stated_duration_of("The total impact was around 56 hours of degraded CI."),
            Some(3360)
        );
        assert_eq!(
            stated_duration_of("Total downtime was 25 minutes."),
            Some(25)
        );
        for told in [
            "Downtime: 0h47m",
            "After 47 minutes, the service recovered.",
            "Resolved in 47 minutes.",
            "The total outage time was 47 minutes.",
            "The outage was 47 minutes long.",
        ] {
            assert_eq!(stated_duration_of(told), Some(47), "{told}");
        }
        // How long one phase of the response took is not the incident's length.
        for told in [
            "The initial mitigation took 47 minutes from receiving the report.",
            "The rollback took about 20 minutes.",
        ] {
            assert_eq!(stated_duration_of(told), None, "{told}");
        }
        assert_eq!(
            stated_duration_of("The outage, which took 3 hours, hit every region."),
            Some(180)
        );
        for bound in [
            "They processed refunds for all charges, which took approximately 24 hours.",
            "A credit based on their last 30 days of spend.",
            "Alerting was delayed for approximately one hour.",
            "After 47 minutes, we paged the vendor.",
            "A 47 minutes long queue formed.",
            "0 minutes of downtime.",
        ] {
            assert_eq!(stated_duration_of(bound), None, "{bound}");
        }
        // A length right before what it measures.
        assert_eq!(
            stated_duration_of("This caused a 47-minute outage."),
            Some(47)
        );
        assert_eq!(stated_duration_of("We had 1.5 hrs of downtime."), Some(90));
        assert_eq!(
            stated_duration_of("An outage lasting approximately 2 and half hours."),
            Some(150)
        );
        assert_eq!(
            stated_duration_of("Brownout is finished after 1h30 (instead of initial 1 hour)."),
            Some(90)
        );
        assert_eq!(
            stated_duration_of("All tenants saw stale search for 5h52m."),
            Some(352)
        );
        assert!(durations("Impact window: 9h40 – 11h15 (Paris time)").is_empty());
        assert_eq!(
            stated_duration_of("After 2 hours we paged the vendor."),
            None
        );
        assert_eq!(
            stated_duration_of("Send a job that failed in the last 15 min."),
            None
        );
        assert_eq!(
            stated_duration_of(
                "The data created during the 7-hour window between the last backup and the incident was lost."
            ),
            None
        );
        assert_eq!(
            stated_duration_of(
                "The site was read-only for approximately 5 minutes. This was followed by a complete outage that lasted for 12 minutes."
            ),
            None
        );
        assert_eq!(
            stated_duration_of("The site was down for 5 minutes. We then wrote this report."),
            Some(5)
        );
        // One phase of several.
        assert_eq!(
            stated_duration_of(
                "Blocks stopped for about 45 minutes, then came slowly for the next 3 hours."
            ),
            None
        );
        // "Another" length after the recovery is no phase of the incident.
        assert_eq!(
            stated_duration_of(
                "The site was down for around 5.5 hours, with another 3.5 hours of backlog after recovery."
            ),
            Some(330)
        );
        assert_eq!(
            stated_duration_of("Less than 5 minutes of downtime is our goal."),
            None
        );
        assert_eq!(stated_duration_of("A 5 minute outages page."), None);
        assert_eq!(
            stated_duration_of("Expect a 4-5 minutes outage on the LDAP connection."),
            None
        );
        assert_eq!(
            stated_duration_of("Logs were lost for ninety minutes."),
            Some(90)
        );
        // Bounds and descriptions are no length.
        assert_eq!(
            stated_duration_of("The impact lasted for almost six hours."),
            None
        );
        assert_eq!(
            stated_duration_of("Downtime of less than 10 minutes."),
            None
        );
        assert_eq!(
            stated_duration_of("A day-long period of slow responses."),
            None
        );
        assert_eq!(stated_duration_of("Errors for over two hours."), None);
        assert_eq!(
            stated_duration_of("All jobs failed for just over nine hours."),
            Some(540)
        );
        assert_eq!(
            stated_duration_of("The site was down for a little less than an hour."),
            Some(60)
        );
        // A length in brackets measures the span of times right before it, and only that.
        assert_eq!(
            stated_duration_of("Impact window: 2023-11-02 16:04 to 17:31 UTC (87 minutes)."),
            Some(87)
        );
        assert_eq!(
            stated_duration_of("Between 13:41 and 15:02 UTC (about 81 minutes), uploads failed."),
            Some(81)
        );
        assert_eq!(
            stated_duration_of("At 16:04 the cache expired early (5 minutes)."),
            None
        );
        // So does one set after the span by a comma or a dash, ending its clause.
        for text in [
            "The cache was down from 10:00 to 10:40 UTC, about 40 minutes.",
            "The cache was down from 10:00 to 10:40 UTC, 40 minutes in total.",
            "The cache was down from 10:00 to 10:40 UTC \u{2014} roughly 40 minutes of errors.",
        ] {
            assert_eq!(stated_duration_of(text), Some(40), "{text}");
        }
        for text in [
            "The cache was down from 10:00 to 10:40 UTC, 5 minutes after the deploy finished.",
            "At 10:00, 40 minutes after the deploy, the cache failed.",
        ] {
            assert_eq!(stated_duration_of(text), None, "{text}");
        }
    }

    #[test]
    fn a_start_written_as_a_time_takes_the_sentences_date() {
        for text in [
            "On Mar 3, 2024 between 10:15 PM and 11:50 PM PST, sign-ins failed.",
            "On Mar 3, 2024 from 10:15 PM to 11:50 PM PST, sign-ins failed.",
            "Between 10:15 PM and 11:50 PM PST on Mar 3, 2024, sign-ins failed.",
        ] {
            let s = stated_span(text);
            let start = s.start.unwrap();
            assert_eq!(start.time, time::Time::new(22, 15, 0), "{text}");
            let date = start.date.unwrap_or_else(|| panic!("no date: {text}"));
            assert_eq!(
                (date.year, date.month, date.day),
                (Some(2024), 3, 3),
                "{text}"
            );
            assert_eq!(s.end.unwrap().time, time::Time::new(23, 50, 0), "{text}");
        }
        // Two dates in the sentence: which one the time belongs to is not guessed.
        let s = stated_span(
            "Between 10:15 PM and 11:50 PM PST on Mar 3, 2024 (reported on Mar 4, 2024), sign-ins failed.",
        );
        assert_eq!(s.start.unwrap().date, None);
    }

    #[test]
    fn a_restore_test_is_no_recovery() {
        let s = stated_span(
            "Nobody noticed until Tuesday, August 13, when a restore test at 10:00 UTC found no recent backups.",
        );
        assert!(s.end.is_none());
        // Nor, being when it was noticed, the start.
        assert!(s.start.is_none());
    }

    #[test]
    fn a_hedge_between_the_cue_and_the_start() {
        let s = stated_span("From roughly 06:10 until 08:25 UTC on 3 September, pushes were late.");
        assert_eq!(s.start.unwrap().time, time::Time::new(6, 10, 0));
        assert_eq!(s.end.unwrap().time, time::Time::new(8, 25, 0));
    }

    #[test]
    fn the_time_a_problem_was_noticed_is_no_start() {
        let s = stated_span(
            "We first heard of the problem on Monday 1 July at 09:30 CEST, when a customer asked about a missing export. The job had been failing since Saturday: the first failed run was at 23:00 CEST on 29 June.",
        );
        let start = s.start.unwrap();
        assert_eq!(start.time, time::Time::new(23, 0, 0));
        assert_eq!(start.date.map(|d| (d.month, d.day)), Some((6, 29)));
        // Unless the sentence says the service went down then.
        let s = stated_span("We were alerted at 10:05 UTC when the site went down.");
        assert_eq!(s.start.unwrap().time, time::Time::new(10, 5, 0));
    }

    #[test]
    fn spans() {
        let s = stated_span(
            "On April 3rd, 2024 at 11:00 AM GMT , our database failed. The outage lasted for 3 hours and 14 minutes, until 2:16 PM GMT.",
        );
        assert_eq!(s.start.unwrap().time, time::Time::new(11, 0, 0));
        assert_eq!(s.end.unwrap().time, time::Time::new(14, 16, 0));
        let s = stated_span(
            "From 9:00 pm to 10:25 pm WAT on the 21st of February, 2023, the site was down.",
        );
        assert_eq!(s.start.unwrap().time, time::Time::new(21, 0, 0));
        assert_eq!(s.end.unwrap().time, time::Time::new(22, 25, 0));
        // Cues in any case.
        let s = stated_span("STARTED AT 11:00 UTC, degraded UNTIL 12:30 UTC.");
        assert_eq!(s.start.unwrap().time, time::Time::new(11, 0, 0));
        assert_eq!(s.end.unwrap().time, time::Time::new(12, 30, 0));
        let s = stated_span("Errors FROM 9:00 pm TO 10:25 pm WAT.");
        assert_eq!(s.end.unwrap().time, time::Time::new(22, 25, 0));
        // Two waves told in one sentence: the impact ends with the second.
        let s = stated_span("Checkout failed from 14:05 to 14:40, and again from 15:10 to 15:25.");
        assert_eq!(s.start.unwrap().time, time::Time::new(14, 5, 0));
        assert_eq!(s.end.unwrap().time, time::Time::new(15, 25, 0));
        let s =
            stated_span("Checkout failed from 14:05 to 14:40, then search from 15:10 to 15:25.");
        assert_eq!(s.end.unwrap().time, time::Time::new(14, 40, 0));
        let s = stated_span("The OUTAGE: 2024-04-03 11:00 UTC.");
        assert_eq!(s.start.unwrap().time, time::Time::new(11, 0, 0));
        // The end's date before its time.
        let s = stated_span("The incident was resolved on March 3 at 9:10 PM PST.");
        assert!(s.start.is_none());
        assert_eq!(s.end.unwrap().time, time::Time::new(21, 10, 0));
        // A range on a line of its own, its "Between" wrapped onto the line before.
        let s = stated_span("1:46pm - 5:30pm)");
        assert_eq!(s.start.unwrap().time, time::Time::new(13, 46, 0));
        assert_eq!(s.end.unwrap().time, time::Time::new(17, 30, 0));
        // Emphasis around the stamps does not hide the cues.
        let s = stated_span(
            "> From **Jun 28, 2023 6:00 AM** to **Jun 28, 2023 12:00 PM (UTC-4)**, students saw a blank page.",
        );
        assert_eq!(s.start.unwrap().time, time::Time::new(6, 0, 0));
        assert_eq!(s.end.unwrap().time, time::Time::new(12, 0, 0));
        // The recovery's words right before the time end the span; they start nothing.
        let s = stated_span(
            "The API failed for 95 minutes, restoring service at 09:50 UTC. From 8:15 UTC to 09:50 UTC, requests failed.",
        );
        assert_eq!(s.start.unwrap().time, time::Time::new(8, 15, 0));
        assert_eq!(s.end.unwrap().time, time::Time::new(9, 50, 0));
        let s = stated_span("We began restoring at 09:00 UTC.");
        assert!(s.end.is_none());
        // The half of the day written once, for both ends.
        let s = stated_span("Between 2:02 and 3:10 PM UTC, checkout failed.");
        assert_eq!(s.start.unwrap().time, time::Time::new(14, 2, 0));
        let s = stated_span("Between 11:50 and 12:30 PM UTC, checkout failed.");
        assert_eq!(s.start.unwrap().time, time::Time::new(11, 50, 0));
        // The ways people tell of the service coming back.
        for told in [
            "It came back at 10:50 UTC.",
            "We rolled back and it was working again at 10:50 UTC.",
            "At 10:50 UTC the fix was deployed and errors stopped.",
            "The incident was closed at 10:50 UTC.",
            "Error rates returned to baseline at 10:50 UTC.",
            "We rolled back at 10:45 UTC and errors subsided by 10:50 UTC.",
            "We reverted the push at 10:45 UTC, and uploads worked again by 10:50 UTC.",
        ] {
            let s = stated_span(&format!("At 10:05 UTC the API went down. {told}"));
            assert_eq!(s.end.unwrap().time, time::Time::new(10, 50, 0), "{told}");
        }
        let s =
            stated_span("Errors began at 10:05 UTC; by 10:50 UTC all traffic was healthy again.");
        assert_eq!(s.end.unwrap().time, time::Time::new(10, 50, 0));
        let s = stated_span("Starting 2026-03-02 10:05 UTC and ending 10:50 UTC, calls failed.");
        assert_eq!(s.end.unwrap().time, time::Time::new(10, 50, 0));
        // A start told as the time of the detection gives way to the impact's own start.
        for told in [
            "At 10:05 UTC our monitoring detected errors. The issue had started at 09:58 UTC. It was resolved at 10:50 UTC.",
            "We were alerted at 10:05 UTC that the API had been failing since 09:58 UTC. We restored service at 10:50 UTC.",
        ] {
            let s = stated_span(told);
            assert_eq!(s.start.unwrap().time, time::Time::new(9, 58, 0), "{told}");
            assert_eq!(s.end.unwrap().time, time::Time::new(10, 50, 0), "{told}");
        }
        // The impact lasted until an act done at a time.
        let s = stated_span(
            "The primary lost its disk at 22:41 UTC. Writes failed until we promoted the replica by hand at 23:37 UTC.",
        );
        assert_eq!(s.end.unwrap().time, time::Time::new(23, 37, 0));
        let s = stated_span(
            "The primary lost its disk at 22:41 UTC. We waited until the vendor, who was asleep, called at 23:37 UTC.",
        );
        assert!(s.end.is_none());
        let s = stated_span("By 9:30 AM UTC, we had identified the packages and deleted them.");
        assert_eq!(s.end.unwrap().time, time::Time::new(9, 30, 0));
        // A sentence opening with "By" that tells of the diagnosis ends nothing; the one that
        // opens with the time of the recovery does.
        let s = stated_span(
            "Starting at 10:42 AM PDT, nodes were slow. By 11:30 AM PDT, engineers had identified a faulty device. We removed it at 12:08 PM PDT, and latency began to recover. At 1:15 PM PDT, all nodes had fully recovered.",
        );
        assert_eq!(s.start.unwrap().time, time::Time::new(10, 42, 0));
        assert_eq!(s.end.unwrap().time, time::Time::new(13, 15, 0));
        // What "By" tells of runs to the next time: the recovery after it is not at its time.
        let s = stated_span(
            "At 2:14 p.m. uploads began failing. By 3:40 p.m. we had found the broken chain; we redeployed at 3:58 p.m., and uploads recovered immediately.",
        );
        assert!(
            s.end
                .as_ref()
                .is_none_or(|e| e.time != time::Time::new(15, 40, 0)),
            "{s:?}"
        );
        // "By" the harm grew, nothing ended; the step that ended it is no start either.
        let s = stated_span(
            "At 13:42 UTC an engineer merged a change. By 13:51 that data centre was overloaded and about 30% of requests failed. The change was reverted at 14:19, and by 14:31 all proxies had reloaded the old format.",
        );
        assert_eq!(s.start.as_ref().unwrap().time, time::Time::new(13, 42, 0));
        assert!(
            s.end
                .as_ref()
                .is_none_or(|e| e.time != time::Time::new(13, 51, 0)),
            "{s:?}"
        );
        let s =
            stated_span("The change was reverted at 14:19, and by 14:31 all proxies had reloaded.");
        assert!(s.start.is_none(), "{s:?}");
        let s = stated_span("The on-call engineer acknowledged the alert at 03:12 UTC.");
        assert!(s.start.is_none(), "{s:?}");
        // The harm's own start, after the time of the change that brought it.
        let s = stated_span(
            "At 09:10 UTC a deploy went out. Errors started at 09:14 and continued until we rolled back at 09:40.",
        );
        assert_eq!(s.start.as_ref().unwrap().time, time::Time::new(9, 14, 0));
        assert_eq!(s.end.unwrap().time, time::Time::new(9, 40, 0));
        let s = stated_span(
            "At 09:10 UTC a deploy broke logins. Retries started at 09:14 and continued until we rolled back at 09:40.",
        );
        assert_eq!(s.start.unwrap().time, time::Time::new(9, 10, 0));
        // The outage's own start, after the time it was noticed.
        let s = stated_span("We were paged at 17:05 UTC. The outage had begun at 16:58 UTC.");
        assert_eq!(s.start.unwrap().time, time::Time::new(16, 58, 0));
        // So does a clause opening with its time.
        let s = stated_span(
            "At 15:10 we deployed a broken route. We hot fixed the routes and at 18:48 the dashboard was up again.",
        );
        assert_eq!(s.end.unwrap().time, time::Time::new(18, 48, 0));
        // Before the start is known, such a sentence is not the end.
        let s = stated_span("At 1:15 PM PDT, all nodes had fully recovered.");
        assert!(s.end.is_none());
        let s = stated_span("Noted: 2024-04-03 11:00 UTC.");
        assert!(s.start.is_none());
        let s = stated_span(
            "On April 26, 2023 between the hours of 1900 and 2100 UTC, OP Mainnet experienced degraded service",
        );
        assert_eq!(s.start.unwrap().time, time::Time::new(19, 0, 0));
        // The trigger's bare "at" gives way to the impact the same sentence names.
        let s = stated_span("The node was retired at 16:00, and the API went down approx 16:03.");
        assert_eq!(s.start.unwrap().time, time::Time::new(16, 3, 0));
        let s = stated_span("The deploy began at 16:00 and finished at 16:20.");
        assert_eq!(s.start.unwrap().time, time::Time::new(16, 0, 0));
    }
}
