//! Text helpers that the time reader, the importer and the review rules share: case-insensitive
//! search for one phrase or many, ASCII lowercasing of eight bytes at once, and a map for short
//! words. The bottom of the crate: it uses nothing else in it.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};

/// Whether `hay` contains `needle` (lowercase ASCII), ignoring ASCII case, without allocating.
pub fn contains_ci(hay: &str, needle: &str) -> bool {
    find_ci(hay, needle).is_some()
}

/// Where `needle` (lowercase ASCII) first occurs in `hay`, ignoring ASCII case, without
/// allocating.
pub fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let &first = n.first()?;
    if h.len() < n.len() {
        return None;
    }
    // Candidates are the places of the first byte, in either case, found by memchr.
    let starts = &h[..=h.len() - n.len()];
    let hit = |&i: &usize| h[i..i + n.len()].eq_ignore_ascii_case(n);
    if first.is_ascii_alphabetic() {
        memchr::memchr2_iter(
            first.to_ascii_lowercase(),
            first.to_ascii_uppercase(),
            starts,
        )
        .find(hit)
    } else {
        memchr::memchr_iter(first, starts).find(hit)
    }
}

/// A fixed set of ASCII phrases, any of which may occur anywhere in a text, ignoring ASCII case:
/// one aho-corasick automaton, built the first time the set is used (the sets are statics).
pub struct Phrases {
    phrases: &'static [&'static str],
    automaton: OnceLock<AhoCorasick>,
}

impl Phrases {
    pub const fn new(phrases: &'static [&'static str]) -> Phrases {
        Phrases {
            phrases,
            automaton: OnceLock::new(),
        }
    }

    fn automaton(&self) -> &AhoCorasick {
        self.automaton.get_or_init(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostFirst)
                .build(self.phrases)
                .expect("a few short phrases always build an automaton")
        })
    }

    /// Whether any phrase occurs in `hay`.
    pub fn any_in(&self, hay: &str) -> bool {
        self.find_from(hay, 0).is_some()
    }

    /// The byte offset of the first phrase that starts at or after `from`.
    pub fn find_from(&self, hay: &str, from: usize) -> Option<usize> {
        if from > hay.len() {
            return None;
        }
        self.automaton()
            .find(Input::new(hay).span(from..hay.len()))
            .map(|m| m.start())
    }
}

/// Eight bytes with ASCII capitals made lowercase (every other byte kept), as one integer.
pub const fn lower8(x: u64) -> u64 {
    let heptets = x & 0x7f7f_7f7f_7f7f_7f7f;
    // High bit of each byte: at least `A`; above `Z`; (below) not ASCII at all.
    let at_least_a = heptets.wrapping_add(0x3f3f_3f3f_3f3f_3f3f);
    let above_z = heptets.wrapping_add(0x2525_2525_2525_2525);
    let upper = at_least_a & !above_z & !x & 0x8080_8080_8080_8080;
    x | (upper >> 2)
}

/// A map keyed by short words (section names, labels), with a fast non-cryptographic hasher.
pub type WordMap<K, V> = rustc_hash::FxHashMap<K, V>;

#[cfg(test)]
mod tests {
    use super::*;

    /// The first place at or after `from` where some phrase starts, by searching for each phrase
    /// in the lowercased text: the plain way [`Phrases::find_from`] must agree with.
    fn first_by_search(phrases: &[&str], hay: &str, from: usize) -> Option<usize> {
        let lower = hay.to_ascii_lowercase();
        phrases
            .iter()
            .filter_map(|p| lower.get(from..)?.find(p).map(|i| i + from))
            .min()
    }

    #[test]
    fn phrases_match_anywhere_ignoring_case() {
        static C: Phrases = Phrases::new(&["%", "lasted", "down for", "la"]);
        assert!(C.any_in("It LASTED long"));
        assert!(C.any_in("50% of users"));
        assert!(!C.any_in("nothing here"));
        assert_eq!(C.find_from("was Down For an hour", 0), Some(4));
        assert_eq!(C.find_from("lasted, then lasted", 1), Some(13));
    }

    #[test]
    fn lower8_lowercases_ascii_capitals_only() {
        let x = u64::from_le_bytes(*b"AbZ@[\xE9zQ");
        assert_eq!(lower8(x).to_le_bytes(), *b"abz@[\xE9zq");
    }

    proptest::proptest! {
        #[test]
        fn contains_ci_finds_what_a_lowercased_copy_contains(
            hay in "(TiMe|tim|ZONE|zon|e| |é|x|By|due|DUE){0,12}",
            needle in proptest::sample::select(vec!["time", "zone", " by ", "due", "é"]),
        ) {
            let lower = hay.to_ascii_lowercase();
            proptest::prop_assert_eq!(contains_ci(&hay, needle), lower.contains(needle), "{:?}", needle);
        }

        #[test]
        fn phrases_find_the_first_phrase_as_searching_for_each_does(
            hay in "(LASTED|down for|la|7|noon|dow|é|x| |Down For){0,16}",
            from in 0usize..8,
        ) {
            const LIST: &[&str] = &["%", "lasted", "down for", "la", "7", "noon", "dow", "é"];
            static C: Phrases = Phrases::new(LIST);
            let from = (0..=from.min(hay.len())).rev().find(|i| hay.is_char_boundary(*i)).unwrap_or(0);
            proptest::prop_assert_eq!(C.find_from(&hay, from), first_by_search(LIST, &hay, from), "{:?}", hay);
        }
    }
}
