//! Which action items say the same thing, in time linear in the items.
//!
//! Two items are duplicates when the words that say what they are about (their *gist*) overlap
//! by a Jaccard similarity of at least 3/4. Comparing every pair is quadratic: a document of
//! 10,000 items took 19 s. Instead, candidates are found by *prefix filtering*: with the words of
//! every gist ordered rarest first, two gists with similarity `t` or more must share a word
//! among the first `n - ceil(t * n) + 1` words of each (the first shared word in that order is
//! preceded, in each gist, only by words the other lacks). Only those prefixes are indexed, and
//! a candidate is compared only when its size allows the similarity at all.
//!
//! The work per item is bounded: each index list keeps its earliest [`LIST_CAP`] items and each
//! item compares at most [`CANDIDATE_CAP`] candidates. Real documents stay far below both caps,
//! and there the answer is exactly the all-pairs one (a property test holds it to that); a
//! hostile document of many near-identical items costs linear time and may miss some repeats.

use std::collections::HashMap;

/// Items sharing a prefix word that one index list remembers.
const LIST_CAP: usize = 64;
/// Candidates one item is compared with.
const CANDIDATE_CAP: usize = 256;
/// Gists with fewer words say too little to call two items the same.
const MIN_WORDS: usize = 3;

/// Words of an action item that say what it is about: lowercased, stemmed a little, without
/// links and stop words, sorted and unique.
pub(crate) fn gist(text: &str) -> Vec<String> {
    const STOP: &[&str] = &[
        "the", "a", "an", "to", "of", "for", "and", "or", "in", "on", "with", "we", "our", "all",
        "be", "is", "are", "that", "this", "it", "by", "so", "as", "at", "from", "into",
    ];
    let without_links: String = text
        .split_whitespace()
        .filter(|w| !w.contains("://") && !w.starts_with("www."))
        .collect::<Vec<_>>()
        .join(" ");
    let mut w: Vec<String> = without_links
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 1 && !STOP.contains(w))
        .map(|w| {
            let w = w.strip_suffix("ing").filter(|s| s.len() > 3).unwrap_or(w);
            let w = w.strip_suffix("ed").filter(|s| s.len() > 3).unwrap_or(w);
            let w = w.strip_suffix('s').filter(|s| s.len() > 2).unwrap_or(w);
            w.to_string()
        })
        .collect();
    w.sort();
    w.dedup();
    w
}

/// Jaccard similarity of two sorted, unique word lists.
pub(crate) fn similarity(a: &[String], b: &[String]) -> f64 {
    let common = a.iter().filter(|w| b.binary_search(w).is_ok()).count();
    let union = a.len() + b.len() - common;
    if union == 0 {
        0.0
    } else {
        common as f64 / union as f64
    }
}

/// Whether two gists are the same item in other words.
fn same(a: &[String], b: &[String]) -> bool {
    a.len() >= MIN_WORDS && b.len() >= MIN_WORDS && similarity(a, b) >= 0.75
}

/// Words a gist of `n` words must share with any gist similar to it, at the least: `ceil(3n/4)`.
fn required_overlap(n: usize) -> usize {
    (3 * n).div_ceil(4)
}

/// For each item, the first earlier item it repeats, if any.
pub(crate) fn first_repeats(gists: &[Vec<String>]) -> Vec<Option<usize>> {
    first_repeats_counted(gists).0
}

/// [`first_repeats`], with the number of pairs it compared.
fn first_repeats_counted(gists: &[Vec<String>]) -> (Vec<Option<usize>>, usize) {
    let mut compared = 0;
    // Rarest words first: prefixes then hold the words few items share.
    let mut frequency: HashMap<&str, usize> = HashMap::new();
    for g in gists.iter().filter(|g| g.len() >= MIN_WORDS) {
        for w in g {
            *frequency.entry(w.as_str()).or_insert(0) += 1;
        }
    }
    let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut out = Vec::with_capacity(gists.len());
    let mut candidates: Vec<usize> = Vec::new();
    for (i, g) in gists.iter().enumerate() {
        if g.len() < MIN_WORDS {
            out.push(None);
            continue;
        }
        let mut ordered: Vec<&str> = g.iter().map(String::as_str).collect();
        ordered.sort_by_key(|w| (frequency.get(w).copied().unwrap_or(0), *w));
        let prefix = &ordered[..g.len() - required_overlap(g.len()) + 1];

        candidates.clear();
        'gather: for w in prefix {
            for &j in index.get(w).map_or(&[][..], Vec::as_slice) {
                if candidates.len() == CANDIDATE_CAP {
                    break 'gather;
                }
                // Similarity 3/4 needs sizes within 3/4 of each other.
                let (small, large) = (g.len().min(gists[j].len()), g.len().max(gists[j].len()));
                if 4 * small >= 3 * large {
                    candidates.push(j);
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        out.push(candidates.iter().copied().find(|&j| {
            compared += 1;
            same(g, &gists[j])
        }));

        for w in prefix {
            let list = index.entry(w).or_default();
            if list.len() < LIST_CAP {
                list.push(i);
            }
        }
    }
    (out, compared)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition: the first earlier item at similarity 3/4 or more.
    fn all_pairs(gists: &[Vec<String>]) -> Vec<Option<usize>> {
        (0..gists.len())
            .map(|i| (0..i).find(|&j| same(&gists[i], &gists[j])))
            .collect()
    }

    #[test]
    fn near_identical_items_are_duplicates() {
        let a = gist("Add alerting on replica lag");
        let b = gist("Add alerts for replica lag");
        assert!(similarity(&a, &b) >= 0.75, "{a:?} {b:?}");
        let c = gist("Document the failover procedure");
        assert!(similarity(&a, &c) < 0.75);
        assert_eq!(first_repeats(&[a, c, b]), vec![None, None, Some(0)]);
    }

    #[test]
    fn required_overlap_is_the_ceiling_of_three_quarters() {
        for n in 0..200 {
            let r = required_overlap(n);
            assert!(4 * r >= 3 * n && (r == 0 || 4 * (r - 1) < 3 * n), "{n}");
        }
    }

    #[test]
    fn comparisons_are_bounded_per_item() {
        // Four shared words and one of their own: no pair is similar enough and every pair
        // shares words, so all pairs would be 50 million comparisons.
        let gists: Vec<Vec<String>> = (0..10_000)
            .map(|i| gist(&format!("add replica lag alert item{i}")))
            .collect();
        let (found, compared) = first_repeats_counted(&gists);
        assert!(found.iter().all(Option::is_none));
        assert!(compared <= gists.len() * LIST_CAP, "{compared} comparisons");
        // Identical items are still found past the caps.
        let same: Vec<Vec<String>> = (0..10_000).map(|_| gist("add replica lag alert")).collect();
        let (found, _) = first_repeats_counted(&same);
        assert!(found[1..].iter().all(|j| *j == Some(0)));
    }

    proptest::proptest! {
        #[test]
        fn prefix_filtering_finds_what_all_pairs_finds(
            items in proptest::collection::vec(
                proptest::collection::btree_set(0u8..12, 0..8),
                0..40,
            )
        ) {
            let gists: Vec<Vec<String>> = items
                .iter()
                .map(|s| s.iter().map(|w| format!("w{w:02}")).collect())
                .collect();
            proptest::prop_assert_eq!(first_repeats(&gists), all_pairs(&gists));
        }
    }
}
