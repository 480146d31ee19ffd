//! Fresh databases in temporary directories, and a runtime to drive the async store.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A new empty directory, unique to this test process and call.
pub fn scratch(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "debrief-sqlite-{}-{}-{name}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// A document to store, written by "t" with no source, record or identity.
pub fn document(text: &str) -> debrief_store::NewDocument {
    debrief_store::NewDocument {
        source: None,
        text: text.into(),
        author: "t".into(),
        message: String::new(),
        record: None,
        identity: None,
        audit: None,
    }
}
