//! A server on a fresh SQLite database with one user per role, and a way to call it.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use debrief_server::{AppState, app};
use debrief_store::{NewDocument, Store, User};
use tower::ServiceExt;

pub struct Env {
    pub store: Arc<dyn Store>,
    pub router: axum::Router,
    /// name -> bearer token
    pub tokens: std::collections::HashMap<&'static str, String>,
    pub dir: PathBuf,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    /// The body's bytes as sent (compressed ones included).
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// The users every test has: name, role. `mia` is the member of restricted postmortems.
pub const USERS: &[(&str, &str)] = &[
    ("vera", "viewer"),
    ("eddie", "editor"),
    ("ada", "admin"),
    ("mia", "editor"),
    ("nick", "editor"),
];

pub const PASSWORD: &str = "a long enough password";

pub async fn env(name: &str) -> Env {
    env_with(name, debrief_server::Limits::default()).await
}

/// A server with the given limits.
pub async fn env_with(name: &str, limits: debrief_server::Limits) -> Env {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "debrief-server-{}-{}-{name}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let store: Arc<dyn Store> = Arc::new(debrief_sqlite::open(&dir.join("s.db")).await.unwrap());
    let hash = debrief_server::hash_password(PASSWORD).unwrap();
    let mut tokens = std::collections::HashMap::new();
    for (user, role) in USERS {
        store
            .put_user(&User {
                name: (*user).into(),
                role: (*role).into(),
                password_hash: hash.clone(),
                created_at: debrief_store::now(),
            })
            .await
            .unwrap();
        let (secret, h) = debrief_server::new_token();
        store.add_token(&h, user, "test", None).await.unwrap();
        tokens.insert(*user, secret);
    }
    let router = app(AppState::with_limits(Arc::clone(&store), limits));
    Env {
        store,
        router,
        tokens,
        dir,
    }
}

impl Env {
    /// A postmortem restricted to `mia`.
    pub async fn restricted(&self, text: &str) -> String {
        let id = self.open_pm(text).await;
        self.store
            .set_access(&id, true, &["mia".to_string()])
            .await
            .unwrap();
        id
    }

    pub async fn open_pm(&self, text: &str) -> String {
        let doc = NewDocument {
            source: None,
            text: text.into(),
            author: "setup".into(),
            message: String::new(),
            record: None,
            identity: None,
            audit: None,
        };
        self.store.create(&doc).await.unwrap().id
    }

    pub async fn call(
        &self,
        method: &str,
        uri: &str,
        who: Option<&str>,
        body: Option<(&str, String)>,
        if_match: Option<&str>,
    ) -> Reply {
        let bearer = who.map(|w| format!("Bearer {}", self.tokens[w]));
        let mut headers = Vec::new();
        if let Some(b) = &bearer {
            headers.push(("authorization", b.as_str()));
        }
        if let Some(m) = if_match {
            headers.push(("if-match", m));
        }
        self.send(method, uri, &headers, body).await
    }

    /// A request with any headers, and a body of the given content type.
    pub async fn send(
        &self,
        method: &str,
        uri: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, String)>,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = match body {
            Some((ct, b)) => req.header("content-type", ct).body(Body::from(b)),
            None => req.body(Body::empty()),
        }
        .unwrap();
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub const DOC: &str = "---\ntitle: Queue backlog\ndate: 2024-07-21\nseverity: SEV2\nservices: [email]\n---\n\n## Summary\n\nA stuck consumer delayed 40% of emails for 50 minutes.\n\n## Timeline\n\n- 10:00 UTC queue depth rises\n- 10:05 UTC alert fires\n- 10:50 UTC resolved\n\n## Action items\n\n- Alert on consumer lag above 60 s (owner: @dana, due: 2024-08-01)\n";

/// `POST /api/v1/sessions` with a name and password.
pub async fn login(env: &Env, name: &str, password: &str) -> Reply {
    env.call(
        "POST",
        "/api/v1/sessions",
        None,
        Some((
            "application/json",
            serde_json::json!({"name": name, "password": password}).to_string(),
        )),
        None,
    )
    .await
}
