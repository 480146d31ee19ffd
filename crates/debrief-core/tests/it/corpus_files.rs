//! The public corpus's files. Shared by the corpus tests and the parse benchmark (which
//! includes this file by path), so both read the same documents.

use std::path::{Path, PathBuf};

/// Every regular file under `dir`, sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The postmortems in the corpus: every file except the corpus's own `MANIFEST.tsv` and
/// `README.md`, which describe it (README.md files deeper down are postmortems).
pub fn corpus_documents(corpus: &Path) -> Vec<PathBuf> {
    let about_the_corpus = [corpus.join("MANIFEST.tsv"), corpus.join("README.md")];
    files_under(corpus)
        .into_iter()
        .filter(|p| !about_the_corpus.contains(p))
        .collect()
}
