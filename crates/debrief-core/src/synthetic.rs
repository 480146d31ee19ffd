//! Deterministic, realistic postmortems for benchmarks and load tests: the same seed gives the
//! same documents on every machine, so figures measured on different days compare.

/// A small deterministic generator (xorshift), so every run measures the same documents.
pub struct Rng(pub u64);
impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next_u64() % xs.len() as u64) as usize]
    }
}

/// One realistic postmortem of roughly `entries` timeline entries.
pub fn postmortem(rng: &mut Rng, entries: usize) -> String {
    let services = ["checkout", "search", "billing", "auth", "queue", "storage"];
    let verbs = [
        "Alert fires for",
        "On-call acknowledges",
        "Errors rise on",
        "Rolled back",
        "Incident declared for",
        "Latency recovers on",
        "Engineers investigate",
        "Customer reports problems with",
    ];
    let svc = rng.pick(&services);
    let mut s = format!(
        "---\ntitle: {svc} outage\ndate: 2024-0{}-1{}\nseverity: SEV{}\nservices: [{svc}]\n---\n\n# {svc} outage\n\n## Summary\n\nOn March 1{}, 2024 at 09:{:02} UTC the {svc} service returned errors for {}% of requests. The outage lasted for {} hours and {} minutes.\n\n## Impact\n\n{} customers could not complete requests.\n\n## Timeline\n\n",
        1 + rng.next_u64() % 9,
        rng.next_u64() % 10,
        1 + rng.next_u64() % 3,
        rng.next_u64() % 10,
        rng.next_u64() % 60,
        rng.next_u64() % 100,
        rng.next_u64() % 5,
        rng.next_u64() % 60,
        rng.next_u64() % 10_000
    );
    let mut minute = 0u64;
    for _ in 0..entries {
        minute += 1 + rng.next_u64() % 7;
        s.push_str(&format!(
            "- {:02}:{:02} UTC — {} {}\n",
            9 + (minute / 60) % 15,
            minute % 60,
            rng.pick(&verbs),
            rng.pick(&services)
        ));
    }
    s.push_str("\n## Root Cause\n\nA configuration change reduced the connection pool. ```code``` and *emphasis*.\n\n## Action Items\n\n| Action | Owner | Due | Status |\n|---|---|---|---|\n");
    for i in 0..4 {
        s.push_str(&format!(
            "| Add alerting for {} pool use | @owner{i} | 2024-05-0{} | open |\n",
            rng.pick(&services),
            1 + i
        ));
    }
    s.push_str("\n## Lessons Learned\n\n### What went well\n\nDetection was fast.\n");
    s
}

/// Words for contributing-factor prose, so a library has common and rare terms.
const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ne", "ru", "ta", "vo", "zen", "pa", "qui", "sor", "dal", "fen", "gri",
    "hob", "jun", "mar", "nix", "ost", "pel",
];

/// Word `k` of the library's vocabulary: three syllables, so 8,000 distinct words.
pub fn word(k: usize) -> String {
    let n = SYLLABLES.len();
    format!(
        "{}{}{}",
        SYLLABLES[k % n],
        SYLLABLES[(k / n) % n],
        SYLLABLES[(k / n / n) % n]
    )
}

/// Document `i` of a synthetic library: a postmortem with a contributing-factors paragraph whose
/// words follow a skewed distribution (a few words in most documents, most words in few), and a
/// unique incident reference `INC-i`.
pub fn library_document(rng: &mut Rng, i: usize) -> String {
    let entries = 5 + (rng.next_u64() % 20) as usize;
    let mut s = postmortem(rng, entries);
    s.push_str(&format!("\n## Contributing factors\n\nIncident INC-{i}."));
    for _ in 0..12 {
        // The product of two uniform draws skews towards small indices: common words.
        let a = rng.next_u64() % 90;
        let b = rng.next_u64() % 90;
        s.push(' ');
        s.push_str(&word((a * b) as usize));
    }
    s.push_str(".\n");
    s
}
