//! Blame in prose: a person named as the cause, "human error" as a cause, hindsight
//! ("should have checked"), and judgement ("careless", "failed to", "forgot").
//!
//! People may appear in a postmortem: owners of action items, responders in the timeline ("Priya
//! acknowledged the page"). What is flagged is how they are written about, so every pattern
//! needs a blaming construction, never a name alone. Machines may fail to do things; people
//! are only said to have "failed to" when the subject of the clause is a person.

use std::collections::HashSet;

/// A word list as a set: the lists are looked up for every word of every prose line, and a
/// slice's `contains` compared the word with each entry in turn.
macro_rules! words {
    ($name:ident, [$($w:literal),* $(,)?]) => {
        static $name: std::sync::LazyLock<rustc_hash::FxHashSet<&'static str>> =
            std::sync::LazyLock::new(|| [$($w),*].into_iter().collect());
    };
}

/// One blaming phrase in a line: its byte span, what is wrong and a blameless way to say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub message: String,
    pub suggestion: String,
}

/// Whether `word` is a common given name ("Priya", "Carlos"), in any case.
pub(crate) fn is_given_name(word: &str) -> bool {
    word.len() <= 16 && GIVEN_NAMES.contains(unaccented(&word.to_lowercase()).as_ref())
}

/// A lowercase name with the accents of Latin letters taken off ("lucía" as "lucia", "ayşe"
/// as "ayse"), so a name matches however it is typed.
fn unaccented(lower: &str) -> std::borrow::Cow<'_, str> {
    if lower.is_ascii() {
        return std::borrow::Cow::Borrowed(lower);
    }
    lower
        .chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
            'ç' | 'ć' | 'č' => 'c',
            'ď' | 'đ' => 'd',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => 'e',
            'ğ' => 'g',
            'ì' | 'í' | 'î' | 'ï' | 'ı' | 'ī' => 'i',
            'ł' => 'l',
            'ñ' | 'ń' | 'ň' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
            'ř' => 'r',
            'ś' | 'ş' | 'š' | 'ș' => 's',
            'ț' | 'ţ' | 'ť' => 't',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
            'ý' | 'ÿ' => 'y',
            'ź' | 'ż' | 'ž' => 'z',
            other => other,
        })
        .collect::<String>()
        .into()
}

/// Names of people known to the document (authors, owners, `@handles`), lowercase.
#[derive(Debug, Clone, Default)]
pub struct People {
    names: HashSet<String>,
}

impl People {
    pub fn from_postmortem(p: &crate::model::Postmortem) -> People {
        let mut names = HashSet::new();
        let owners = p.action_items.iter().filter_map(|a| a.owner.as_deref());
        for who in p.authors.iter().map(String::as_str).chain(owners) {
            for part in who.split([',', '/', '&', ';']) {
                let first = part.trim().trim_start_matches('@');
                let first = first.split_whitespace().next().unwrap_or("");
                if first.len() >= 2
                    && first.chars().all(char::is_alphabetic)
                    && first.chars().next().is_some_and(char::is_uppercase)
                    && !ROLE.contains(&first.to_lowercase().as_str())
                {
                    names.insert(first.to_lowercase());
                }
            }
        }
        People { names }
    }

    fn knows(&self, lower: &str) -> bool {
        self.names.contains(lower)
    }
}

/// Common given names in many languages (`given-names.txt`, one per line, lowercase).
/// Kept without accents ([`unaccented`]).
static GIVEN_NAMES: std::sync::LazyLock<rustc_hash::FxHashSet<std::borrow::Cow<'static, str>>> =
    std::sync::LazyLock::new(|| {
        include_str!("given-names.txt")
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(unaccented)
            .collect()
    });

words!(
    PRONOUN,
    [
        "he", "she", "they", "we", "i", "you", "someone", "somebody", "nobody", "everyone", "him",
        "her", "them",
    ]
);

words!(
    ROLE,
    [
        "engineer",
        "engineers",
        "developer",
        "developers",
        "dev",
        "devs",
        "operator",
        "operators",
        "admin",
        "admins",
        "administrator",
        "sre",
        "sres",
        "on-call",
        "oncall",
        "on-caller",
        "responder",
        "responders",
        "team",
        "teammate",
        "colleague",
        "staff",
        "employee",
        "employees",
        "intern",
        "reviewer",
        "reviewers",
        "author",
        "dba",
        "contractor",
        "person",
        "technician",
        "ops",
    ]
);

// Words that judge a person whatever the sentence says.
words!(
    JUDGEMENT,
    [
        "blunder",
        "blunders",
        "bothered",
        "careless",
        "carelessly",
        "carelessness",
        "negligence",
        "negligent",
        "negligently",
        "reckless",
        "recklessly",
        "recklessness",
        "sloppy",
        "sloppily",
        "sloppiness",
        "incompetent",
        "incompetence",
        "stupid",
        "stupidity",
        "idiot",
        "idiotic",
        "inexcusable",
        "irresponsible",
        "irresponsibly",
        "clueless",
        "inattentive",
        "foolish",
        "foolishly",
    ]
);

// Past participles that do not end in -ed or -en.
words!(
    IRREGULAR_PARTICIPLES,
    [
        "been",
        "done",
        "known",
        "seen",
        "caught",
        "run",
        "read",
        "set",
        "put",
        "kept",
        "left",
        "told",
        "thought",
        "brought",
        "sent",
        "built",
        "made",
        "got",
        "gone",
        "said",
        "held",
        "found",
        "heard",
        "understood",
        "begun",
        "shut",
        "hit",
        "let",
        "cut",
        "taught",
        "led",
        "felt",
        "meant",
        "sought",
        "spun",
        "paid",
        "drawn",
        "flown",
        "grown",
        "shown",
        "thrown",
        "torn",
        "worn",
        "won",
    ]
);

words!(
    NOT_PARTICIPLES,
    [
        "open", "even", "often", "when", "then", "than", "ten", "seven", "eleven", "token",
        "tokens", "screen", "green", "women", "children", "need", "speed", "feed", "seed", "red",
        "bed", "shed",
    ]
);

words!(
    ADVERBS,
    [
        "also",
        "just",
        "really",
        "never",
        "already",
        "immediately",
        "simply",
        "probably",
        "obviously",
        "clearly",
        "first",
        "definitely",
        "certainly",
        "instead",
        "properly",
        "at",
        "least",
    ]
);

// Verbs saying someone caused harm.
words!(
    HARM_VERBS,
    [
        "caused", "causes", "broke", "breaks", "botched", "messed", "screwed",
    ]
);

// Adverbs that judge a named person's action.
words!(
    HARM_ADVERBS,
    [
        "mistakenly",
        "accidentally",
        "carelessly",
        "wrongly",
        "incorrectly",
        "negligently",
        "stupidly",
        "blindly",
    ]
);

words!(
    MISTAKE_NOUNS,
    [
        "mistake",
        "mistakes",
        "error",
        "errors",
        "fault",
        "negligence",
        "oversight",
        "blunder",
        "screwup",
        "screw-up",
        "carelessness",
        "typo",
        "slip",
    ]
);

words!(
    NEGATORS,
    [
        "no", "not", "nobody", "without", "never", "none", "don't", "dont", "doesn't", "isn't",
        "wasn't", "avoid", "avoiding", "free",
    ]
);

struct Word<'a> {
    lower: std::borrow::Cow<'a, str>,
    orig: &'a str,
    start: usize,
    end: usize,
}

fn words(s: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    let is_word = |c: char| c.is_alphanumeric() || c == '\'' || c == '’' || c == '-' || c == '@';
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        match (start, is_word(c)) {
            (None, true) => start = Some(i),
            (Some(a), false) => {
                let orig = s[a..i].trim_matches(['\'', '’', '-']);
                if !orig.is_empty() {
                    let a2 = a + (i - a) - s[a..i].trim_start_matches(['\'', '’', '-']).len();
                    out.push(Word {
                        lower: if orig
                            .bytes()
                            .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
                        {
                            orig.to_lowercase().replace('’', "'").into()
                        } else {
                            orig.into()
                        },
                        orig,
                        start: a2,
                        end: a2 + orig.len(),
                    });
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Byte ranges of the clauses of a line (split at sentence ends and semicolons).
fn clauses(s: &str) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    for i in 0..b.len() {
        let end = match b[i] {
            b';' => true,
            b'.' | b'!' | b'?' => b.get(i + 1).is_none_or(|c| c.is_ascii_whitespace()),
            _ => false,
        };
        if end {
            out.push((from, i));
            from = i + 1;
        }
    }
    out.push((from, s.len()));
    out
}

fn is_participle(w: &str) -> bool {
    !NOT_PARTICIPLES.contains(&w)
        && (IRREGULAR_PARTICIPLES.contains(&w)
            || (w.len() > 3 && (w.ends_with("ed") || w.ends_with("en"))))
}

impl Word<'_> {
    fn base(&self) -> &str {
        self.lower
            .strip_suffix("'s")
            .or_else(|| self.lower.strip_suffix('\''))
            .unwrap_or(&self.lower)
    }

    /// A named person: a capitalised given name, a name the document knows, or an `@handle`.
    fn is_name(&self, people: &People) -> bool {
        let base = self.base();
        if self.orig.starts_with('@') && self.orig.len() > 1 {
            return true;
        }
        self.orig.chars().next().is_some_and(char::is_uppercase)
            && (GIVEN_NAMES.contains(unaccented(base).as_ref()) || people.knows(base))
    }

    fn is_person(&self, people: &People) -> bool {
        let base = self.base();
        self.is_name(people) || PRONOUN.contains(&base) || ROLE.contains(&base)
    }
}

fn negated(ws: &[Word<'_>], i: usize) -> bool {
    let from = i.saturating_sub(4);
    ws[from..i]
        .iter()
        .any(|w| NEGATORS.contains(&w.lower.as_ref()))
        || ws[from..i]
            .windows(2)
            .any(|p| p[0].lower == "no" && p[1].lower == "one")
}

/// Finds blame in one line of prose. `people` are the names the document itself uses.
pub fn scan(line: &str, people: &People) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (a, b) in clauses(line) {
        let clause = &line[a..b];
        let ws = words(clause);
        let mut hit = |from: usize, to: usize, message: String, suggestion: String| {
            let from = from.min(ws.len() - 1);
            let to = to.min(ws.len() - 1).max(from);
            let (start, end) = (a + ws[from].start, a + ws[to].end);
            if !hits.iter().any(|h: &Hit| h.start < end && start < h.end) {
                hits.push(Hit {
                    start,
                    end,
                    message,
                    suggestion,
                });
            }
        };
        let lw = |i: usize| ws.get(i).map_or("", |w| w.lower.as_ref());
        let has_cause_words = ws.iter().any(|w| {
            matches!(
                w.lower.as_ref(),
                "cause"
                    | "caused"
                    | "causes"
                    | "because"
                    | "due"
                    | "result"
                    | "led"
                    | "blame"
                    | "fault"
                    | "root"
                    | "responsible"
                    | "culprit"
            )
        });
        for i in 0..ws.len() {
            let w = lw(i);
            let phrase = |n: usize| &line[a + ws[i].start..a + ws[(i + n).min(ws.len() - 1)].end];
            // Judgement words.
            if JUDGEMENT.contains(&w) {
                hit(
                    i,
                    i,
                    format!(
                        "\"{}\" judges a person; describe what was done and what made it a reasonable choice at the time",
                        ws[i].orig
                    ),
                    "state the action and its context without judging it".into(),
                );
                continue;
            }
            // "human error" as a cause.
            if matches!(w, "human" | "operator" | "user" | "pilot" | "engineer")
                && lw(i + 1).starts_with("error")
                && has_cause_words
                && !negated(&ws, i)
            {
                hit(
                    i,
                    i + 1,
                    "\"human error\" given as a cause stops the analysis where it should start; name the conditions that made the error possible".into(),
                    "describe the missing safeguard, confusing tool or unclear procedure that let the mistake through".into(),
                );
                continue;
            }
            // Fault and blame.
            let person_before = |k: usize| {
                ws[k.saturating_sub(5)..k]
                    .iter()
                    .any(|x| x.is_person(people))
            };
            let fault = w == "fault"
                && ((lw(i + 1) == "of"
                    && (lw(i.wrapping_sub(1)) == "the"
                        || ws.get(i + 2).is_some_and(|x| x.is_person(people))))
                    || matches!(
                        lw(i.wrapping_sub(1)),
                        "his" | "her" | "their" | "my" | "our" | "your"
                    )
                    || (lw(i.wrapping_sub(1)) == "at" && person_before(i - 1))
                    || (i > 0 && ws[i - 1].lower.ends_with("'s") && ws[i - 1].is_person(people)));
            if fault {
                let from = if lw(i + 1) == "of" || i == 0 {
                    i
                } else {
                    i - 1
                };
                let to = if lw(i + 1) == "of" {
                    (i + 2).min(ws.len() - 1)
                } else {
                    i
                };
                hit(
                    from,
                    to,
                    format!(
                        "\"{}\" assigns fault; a blameless review asks how the system allowed it",
                        phrase(to - i).trim()
                    ),
                    "describe the contributing conditions instead of who is at fault".into(),
                );
                continue;
            }
            if matches!(w, "blame" | "blamed" | "blames" | "blaming")
                && !negated(&ws, i)
                && lw(i.wrapping_sub(1)) != "git"
            {
                hit(
                    i,
                    i,
                    format!(
                        "\"{}\": a postmortem looks for causes in the system, not people to blame",
                        ws[i].orig
                    ),
                    "describe what happened and what made it possible".into(),
                );
                continue;
            }
            // Forgetting.
            let forgot = match w {
                "forgot" => true,
                // "was forgotten", not "a forgotten offer" or "cannot be forgotten".
                "forgotten" => matches!(
                    lw(i.wrapping_sub(1)),
                    "was" | "were" | "had" | "have" | "has" | "got"
                ),
                "forgetting" => lw(i + 1) == "to",
                _ => false,
            };
            if forgot && !negated(&ws, i) {
                hit(
                    i,
                    (i + 1).min(ws.len() - 1),
                    format!(
                        "\"{}\" blames memory; ask what would have prompted the step (a checklist, automation, a check that fails)",
                        phrase(1).trim()
                    ),
                    "write \"did not\" and add what would have made the step hard to miss".into(),
                );
                continue;
            }
            // Hindsight by inversion: "Had Nina checked the flag, ...".
            if i == 0
                && w == "had"
                && ws.get(1).is_some_and(|x| x.is_person(people))
                && (2..5).any(|k| is_participle(lw(k)))
            {
                let k = (2..5).find(|&k| is_participle(lw(k))).unwrap_or(2);
                hit(
                    0,
                    k,
                    format!(
                        "\"{}\" is hindsight: it judges with what was learned afterwards; say what happened and what made it hard to see at the time",
                        &line[a + ws[0].start..a + ws[k].end]
                    ),
                    "write what was done and why that made sense then".into(),
                );
                continue;
            }
            // Hindsight: "should have checked".
            let counterfactual = match w {
                "should" | "shouldn't" | "could" | "would" | "ought" if lw(i + 1) == "have" => {
                    Some(i + 2)
                }
                "should" | "ought" if matches!(lw(i + 1), "not" | "to") && lw(i + 2) == "have" => {
                    Some(i + 3)
                }
                "should've" | "could've" | "shouldn't've" => Some(i + 1),
                _ => None,
            };
            if let Some(mut j) = counterfactual {
                while ADVERBS.contains(&lw(j)) {
                    j += 1;
                }
                let needs_judgement = matches!(w, "could" | "would" | "could've");
                let p = lw(j);
                let judged = !needs_judgement
                    || matches!(
                        p,
                        "prevented" | "avoided" | "caught" | "stopped" | "noticed" | "spotted"
                    );
                if j < ws.len() && is_participle(p) && judged {
                    let said = &line[a + ws[i].start..a + ws[j].end];
                    hit(
                        i,
                        j,
                        format!(
                            "\"{said}\" is hindsight: it judges with what was learned afterwards; say what happened and what made it hard to see at the time"
                        ),
                        format!(
                            "write what was done (\"{} was not {}\") and why that made sense then",
                            "the step", ws[j].orig
                        ),
                    );
                    continue;
                }
            }
            // Judgement of people's actions.
            let always = (matches!(w, "neglected" | "neglect") && lw(i + 1) == "to")
                || (matches!(w, "didn't" | "did")
                    && lw(i + 1 + usize::from(w == "did")) == "bother"
                    && (w == "didn't" || lw(i + 1) == "not"));
            let failed = matches!(w, "failed" | "fails" | "fail" | "failing") && lw(i + 1) == "to";
            if always
                || (failed
                    && ws[i.saturating_sub(4)..i]
                        .iter()
                        .any(|x| x.is_person(people)))
            {
                let to = (i + 2).min(ws.len() - 1);
                hit(
                    i,
                    to,
                    format!(
                        "\"{}\" judges the people involved; say what was done or not done, and what made that the reasonable choice",
                        phrase(to - i).trim()
                    ),
                    format!("write \"did not {}\"", lw(to)),
                );
                continue;
            }
            // A person named as the cause.
            let cause_then_person = match w {
                "caused" | "because" | "due" | "fault" | "mistake" | "error" | "oversight" => {
                    let mut j = i + 1;
                    while matches!(
                        lw(j),
                        "by" | "of" | "to" | "the" | "an" | "a" | "our" | "that"
                    ) {
                        j += 1;
                    }
                    // Right after "because" only a name is a person as the cause ("because he
                    // is not a manager" explains, it does not blame).
                    (j > i + usize::from(w != "because")
                        && j < ws.len()
                        && (ws[j].is_name(people) || (j > i + 1 && ws[j].is_person(people)))
                        && !matches!(ws[j].base(), "we" | "they" | "them" | "you" | "team" | "i"))
                    .then_some(j)
                }
                _ => None,
            };
            if let Some(j) = cause_then_person {
                hit(
                    i,
                    j,
                    format!("\"{}\" names a person as the cause; name the change, the decision or the gap in the system instead", &line[a + ws[i].start..a + ws[j].end]),
                    "write what caused it (\"a configuration change caused ...\") and keep names for owners and the timeline".into(),
                );
                continue;
            }
            // "This is on Carlos": the idiom puts the incident on a person.
            if matches!(w, "is" | "was" | "it's" | "that's")
                && lw(i + 1) == "on"
                && ws.get(i + 2).is_some_and(|x| x.is_name(people))
                && i + 3 == ws.len()
            {
                hit(
                    i,
                    i + 2,
                    format!(
                        "\"{}\" puts the incident on a person; describe what happened and what allowed it",
                        &line[a + ws[i].start..a + ws[i + 2].end]
                    ),
                    "write what the system allowed, not whose it is".into(),
                );
                continue;
            }
            // "deleted the namespace by mistake": a person's act called a mistake.
            if w == "by"
                && lw(i + 1) == "mistake"
                && ws[..i].iter().take(4).any(|x| x.is_person(people))
            {
                hit(
                    i,
                    i + 1,
                    "\"by mistake\" judges a person's action; describe the action and what made it easy to get wrong".into(),
                    "write what happened and which safeguard was missing".into(),
                );
                continue;
            }
            let role_subject = ROLE.contains(&w)
                && i > 0
                && matches!(lw(i - 1), "the" | "an" | "a" | "our" | "their");
            if ws[i].is_name(people)
                || role_subject
                || (matches!(w, "he" | "she") && i + 1 < ws.len())
            {
                let next = lw(i + 1);
                let possessive_mistake = (ws[i].lower.ends_with("'s")
                    || ws[i].lower.ends_with('\''))
                    && MISTAKE_NOUNS.contains(&next);
                let person_harm = !ws[i].lower.ends_with("'s")
                    && (HARM_VERBS.contains(&next)
                        || HARM_ADVERBS.contains(&next)
                        || (next == "made"
                            && matches!(lw(i + 2), "a" | "an" | "the")
                            && MISTAKE_NOUNS.contains(&lw(i + 3)))
                        || matches!(next, "ignored" | "overlooked"));
                if possessive_mistake || person_harm {
                    let to = if next == "made" {
                        (i + 3).min(ws.len() - 1)
                    } else {
                        i + 1
                    };
                    hit(
                        i,
                        to,
                        format!("\"{}\" makes a person the cause; describe the action and the conditions around it", &line[a + ws[i].start..a + ws[to].end]),
                        "write what happened to the system (\"the migration ran against production\") and what allowed it".into(),
                    );
                }
            }
        }
    }
    hits.sort_by_key(|h| h.start);
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flagged(s: &str) -> bool {
        !scan(s, &People::default()).is_empty()
    }

    #[test]
    fn a_name_is_known_with_its_accents_or_without() {
        for name in ["Lucía", "Lucia", "Andrés", "Andres", "AYŞE", "Bjorn"] {
            assert!(is_given_name(name), "{name}");
        }
        assert!(flagged("The outage was caused by Lucía."));
    }

    #[test]
    fn machines_may_fail_people_are_not_judged() {
        assert!(!flagged(
            "The deploy failed to complete within the timeout."
        ));
        assert!(flagged("The engineer failed to check the replica lag."));
        assert!(!flagged("We should have a runbook for this."));
        assert!(flagged(
            "We should have checked the replica before failing over."
        ));
        assert!(!flagged("This review is blameless and nobody is to blame."));
        assert!(flagged("The outage was caused by Alice."));
        assert!(!flagged("Alice acknowledged the page at 10:02."));
        assert!(!flagged("Lazy loading delayed the first render."));
        let h = scan("Root cause: human error.", &People::default());
        assert_eq!(h.len(), 1);
        assert_eq!(
            &"Root cause: human error."[h[0].start..h[0].end],
            "human error"
        );
    }
}
