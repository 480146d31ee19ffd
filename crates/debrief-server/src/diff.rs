//! Line differences between two revisions, by `similar`'s Myers diff: memory linear in the
//! lines, and a deadline after which the diff is coarser rather than slower, so no pair of
//! revisions (each at most the 2 MB a document can be) can hold a request for long.

use std::time::Duration;

use similar::{Algorithm, ChangeTag, TextDiff};

use crate::api::DiffLine;

/// Time a diff may take before it settles for a coarser answer (still correct: every line is
/// there, marked same, removed or added, only less finely matched).
const DEADLINE: Duration = Duration::from_millis(200);

pub fn lines(a: &str, b: &str) -> Vec<DiffLine> {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .timeout(DEADLINE)
        .diff_lines(a, b);
    diff.iter_all_changes()
        .map(|c| DiffLine {
            op: match c.tag() {
                ChangeTag::Equal => "same",
                ChangeTag::Delete => "removed",
                ChangeTag::Insert => "added",
            }
            .into(),
            text: c.value().trim_end_matches(['\n', '\r']).to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn changed_lines_are_removed_then_added() {
        let d = super::lines("a\nb\nc\n", "a\nB\nc\nd\n");
        let ops: Vec<(&str, &str)> = d.iter().map(|l| (l.op.as_str(), l.text.as_str())).collect();
        assert_eq!(
            ops,
            [
                ("same", "a"),
                ("removed", "b"),
                ("added", "B"),
                ("same", "c"),
                ("added", "d")
            ]
        );
    }

    #[test]
    fn long_revisions_are_compared_whole() {
        let a: String = (0..60_000).map(|i| format!("line {i}\n")).collect();
        let b: String = (0..60_000)
            .map(|i| format!("line {}\n", i * 7 % 60_001))
            .collect();
        let d = super::lines(&a, &b);
        let kept = d.iter().filter(|l| l.op != "added").count();
        let now = d.iter().filter(|l| l.op != "removed").count();
        assert_eq!(
            (kept, now),
            (60_000, 60_000),
            "every line of both sides is there"
        );
    }
}
