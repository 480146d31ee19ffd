use std::sync::Arc;

use super::support::{block_on, scratch};
use debrief_store::Store;

#[test]
fn sqlite_passes_the_conformance_story() {
    let dir = scratch("story");
    block_on(async {
        let a: Arc<dyn Store> = Arc::new(debrief_sqlite::open(&dir.join("a.db")).await.unwrap());
        let b: Arc<dyn Store> = Arc::new(debrief_sqlite::open(&dir.join("b.db")).await.unwrap());
        debrief_store::story::run(a, b).await;
    });
    let _ = std::fs::remove_dir_all(&dir);
}
