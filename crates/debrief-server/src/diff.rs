//! Line differences between two revisions (longest common subsequence).

use crate::api::DiffLine;

/// The most lines a side may have; beyond it the table would be too large.
const MAX_LINES: usize = 5000;

/// `None` when either text is too long to compare.
pub fn lines(a: &str, b: &str) -> Option<Vec<DiffLine>> {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    if a.len() > MAX_LINES || b.len() > MAX_LINES {
        return None;
    }
    // lcs[i][j]: common lines of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    let line = |op: &str, t: &str| DiffLine {
        op: op.into(),
        text: t.into(),
    };
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push(line("same", a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(line("removed", a[i]));
            i += 1;
        } else {
            out.push(line("added", b[j]));
            j += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn changed_lines_are_removed_then_added() {
        let d = super::lines("a\nb\nc\n", "a\nB\nc\nd\n").unwrap();
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
}
