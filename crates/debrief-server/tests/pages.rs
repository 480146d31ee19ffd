//! The web pages' protections, enumerated from the route tables so a new route cannot skip
//! them: every response carries the security headers (pages a strict policy with no inline
//! script or style), every state-changing route refuses a cross-site request and a request
//! signed in by the cookie without the session's CSRF token, and signing out ends the session.

use debrief_server::routes::{ROUTES, path_params};
use debrief_server::ui::{PAGE_CSP, PAGES};

use super::support::{DOC, Env, PASSWORD, Reply, env};

/// Signs in through the form; returns the cookie pair and the page's CSRF token.
async fn sign_in(env: &Env, name: &str) -> (String, String) {
    let r = send(
        env,
        "POST",
        "/signin",
        &[],
        Some(format!(
            "name={name}&password={}",
            PASSWORD.replace(' ', "+")
        )),
    )
    .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    let set = r.headers["set-cookie"].to_str().unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    let cookie = set.split(';').next().unwrap().to_string();
    let page = send(env, "GET", "/", &[("cookie", &cookie)], None).await;
    assert_eq!(page.status.as_u16(), 200, "{}", page.body);
    let csrf = page
        .body
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the page carries a CSRF token")
        .to_string();
    (cookie, csrf)
}

/// A form post (or any request) through the router.
async fn send(
    env: &Env,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    form: Option<String>,
) -> Reply {
    env.send(
        method,
        uri,
        headers,
        form.map(|f| ("application/x-www-form-urlencoded", f)),
    )
    .await
}

/// Every route of both tables, as (method, concrete path).
fn all_routes(id: &str) -> Vec<(&'static str, String)> {
    let fill = |path: &str| {
        let mut p = path.to_string();
        for name in path_params(path) {
            let v = match name {
                "id" => id.to_string(),
                "file" => "app.css".to_string(),
                _ => "0".to_string(),
            };
            p = p.replace(&format!("{{{name}}}"), &v);
        }
        p
    };
    ROUTES
        .iter()
        .map(|r| (r.method, fill(r.path)))
        .chain(PAGES.iter().map(|p| (p.method, fill(p.path))))
        .collect()
}

const REFUSAL: &str = "CSRF token";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_state_changing_route_refuses_cross_site_and_tokenless_requests() {
    let env = env("csrf").await;
    let id = env.open_pm(DOC).await;
    let (cookie, csrf) = sign_in(&env, "ada").await;
    let mut checked = 0;
    let mut routes = all_routes(&id);
    // Signing out (with the token) ends the session the other checks use: last.
    routes.sort_by_key(|(_, path)| path == "/signout");
    for (method, path) in routes {
        if method == "GET" {
            continue;
        }
        checked += 1;
        let form = || {
            Some(format!(
                "text=x&base=1&done=true&name=x&role=viewer&user=ada&label=x&id=x&members=&_csrf={csrf}"
            ))
        };
        // Another site's page posting with the browser's cookie.
        let r = send(
            &env,
            method,
            &path,
            &[
                ("cookie", &cookie),
                ("sec-fetch-site", "cross-site"),
                ("origin", "https://evil.example"),
            ],
            form(),
        )
        .await;
        assert_eq!(
            r.status.as_u16(),
            403,
            "{method} {path} cross-site: {}",
            r.body
        );
        // Same site, signed in by the cookie, without the token (or with another one).
        for body in [
            "text=x&base=1&done=true".to_string(),
            "text=x&_csrf=0123456789abcdef0123456789abcdef".to_string(),
        ] {
            let r = send(&env, method, &path, &[("cookie", &cookie)], Some(body)).await;
            assert_eq!(r.status.as_u16(), 403, "{method} {path} without the token");
            assert!(r.body.contains(REFUSAL), "{method} {path}: {}", r.body);
        }
        // With the token the request gets past the check (it may fail for other reasons).
        let r = send(&env, method, &path, &[("cookie", &cookie)], form()).await;
        assert!(
            !r.body.contains(REFUSAL),
            "{method} {path} with the token was refused: {}",
            r.body
        );
        let r = send(
            &env,
            method,
            &path,
            &[("cookie", &cookie), ("x-csrf-token", &csrf)],
            form(),
        )
        .await;
        assert!(!r.body.contains(REFUSAL), "{method} {path} with the header");
    }
    assert!(checked >= 20, "only {checked} state-changing routes found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_the_security_headers_and_pages_a_strict_policy() {
    let env = env("page-headers").await;
    let id = env.open_pm(DOC).await;
    let (cookie, csrf) = sign_in(&env, "ada").await;
    for (method, path) in all_routes(&id) {
        for signed_in in [true, false] {
            let mut headers = vec![];
            if signed_in {
                headers.push(("cookie", cookie.as_str()));
                headers.push(("x-csrf-token", csrf.as_str()));
            }
            let body = (method != "GET").then(|| "text=x".to_string());
            let r = send(&env, method, &path, &headers, body).await;
            let what = format!("{method} {path} signed in {signed_in} ({})", r.status);
            for (name, want) in [
                ("x-content-type-options", "nosniff"),
                ("referrer-policy", "no-referrer"),
                ("x-frame-options", "DENY"),
            ] {
                assert_eq!(
                    r.headers.get(name).and_then(|v| v.to_str().ok()),
                    Some(want),
                    "{what}: {name}"
                );
            }
            let csp = r.headers["content-security-policy"].to_str().unwrap();
            assert!(!csp.contains("unsafe"), "{what}: {csp}");
            assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
            let is_html = r
                .headers
                .get("content-type")
                .is_some_and(|v| v.to_str().unwrap().starts_with("text/html"));
            if is_html {
                assert_eq!(csp, PAGE_CSP, "{what}");
                assert!(!r.body.contains("<script>"), "{what}: an inline script");
                assert!(!r.body.contains(" style="), "{what}: an inline style");
                assert!(!r.body.contains("<style"), "{what}: an inline stylesheet");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_ends_the_session_everywhere() {
    let env = env("signout").await;
    let (cookie, csrf) = sign_in(&env, "eddie").await;
    let r = send(
        &env,
        "POST",
        "/signout",
        &[("cookie", &cookie)],
        Some(format!("_csrf={csrf}")),
    )
    .await;
    assert_eq!(r.status.as_u16(), 303);
    let cleared: Vec<_> = r.headers.get_all("set-cookie").iter().collect();
    assert!(
        cleared
            .iter()
            .any(|c| c.to_str().unwrap().contains("Max-Age=0"))
    );
    // The old cookie no longer signs anyone in, on pages or on the API.
    let r = send(&env, "GET", "/", &[("cookie", &cookie)], None).await;
    assert_eq!(r.status.as_u16(), 303);
    assert!(
        r.headers["location"]
            .to_str()
            .unwrap()
            .starts_with("/signin")
    );
    let r = send(
        &env,
        "GET",
        "/api/v1/postmortems",
        &[("cookie", &cookie)],
        None,
    )
    .await;
    assert_eq!(r.status.as_u16(), 401, "{}", r.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_cookie_is_secure_behind_an_https_proxy() {
    let env = super::support::env_with(
        "secure-cookie",
        debrief_server::Limits {
            behind_proxy: true,
            ..debrief_server::Limits::default()
        },
    )
    .await;
    let r = send(
        &env,
        "POST",
        "/signin",
        &[
            ("x-forwarded-proto", "https"),
            ("x-forwarded-for", "192.0.2.7"),
        ],
        Some(format!(
            "name=eddie&password={}",
            PASSWORD.replace(' ', "+")
        )),
    )
    .await;
    let set = r.headers["set-cookie"].to_str().unwrap();
    assert!(
        set.starts_with("__Host-debrief=") && set.contains("; Secure"),
        "{set}"
    );
    assert!(set.contains("Path=/") && !set.contains("Domain"), "{set}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restricted_postmortem_shows_on_no_page_to_a_non_member() {
    let env = env("page-leak").await;
    let secret = "---\ntitle: Zanzibar outage\nservices: [vault]\n---\n\n## Summary\n\nThe zanzibar cluster failed.\n\n## Timeline\n\n- 10:00 UTC zanzibar alarms\n- 10:30 UTC resolved\n\n## Action items\n\n- Rotate the zanzibar keys (owner: @mia, due: 2020-01-01)\n";
    let id = env.restricted(secret).await;
    env.open_pm(DOC).await;
    let (cookie, _) = sign_in(&env, "vera").await;
    for page in PAGES.iter().filter(|p| p.method == "GET") {
        let mut paths = vec![page.path.replace("{id}", &id).replace("{file}", "app.css")];
        if page.path == "/" {
            paths.push("/?q=zanzibar".into());
            paths.push("/?service=vault".into());
            paths.push("/?sort=title".into());
        }
        if page.path == "/actions" {
            paths.push("/actions?show=all".into());
            paths.push("/actions?show=overdue".into());
        }
        for path in paths {
            let r = send(&env, "GET", &path, &[("cookie", &cookie)], None).await;
            let body = r.body.to_lowercase();
            // The search box repeats the viewer's own words; nothing of the postmortem shows.
            for leak in [
                "zanzibar outage",
                "zanzibar cluster",
                "zanzibar keys",
                "zanzibar alarms",
            ] {
                assert!(!body.contains(leak), "{path} ({}) shows {leak}", r.status);
            }
            assert!(!body.contains(&id), "{path} names it");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_and_search_pages_follow_every_change_whoever_writes_it() {
    let env = env("page-fresh").await;
    let (cookie, _) = sign_in(&env, "vera").await;
    let page = |path: &'static str| {
        let (env, cookie) = (&env, cookie.clone());
        async move {
            let r = send(env, "GET", path, &[("cookie", &cookie)], None).await;
            assert_eq!(r.status.as_u16(), 200, "{path}: {}", r.body);
            r.body
        }
    };
    let first = env
        .open_pm("# Kelvin outage\n\n## Summary\n\nThe kelvin pool ran dry.\n")
        .await;
    assert!(page("/?q=kelvin").await.contains("Kelvin outage"));
    assert!(page("/").await.contains("1–1 of 1"));
    // Another process writing the same database file (`debrief import` beside the server).
    use debrief_store::Store;
    let other = debrief_sqlite::open(&env.dir.join("s.db")).await.unwrap();
    let doc = |text: &str| debrief_store::NewDocument {
        source: None,
        text: text.into(),
        author: "cli".into(),
        message: String::new(),
        record: None,
        identity: None,
        audit: None,
    };
    let second = other
        .create(&doc("# Kelvin relapse\n\n## Summary\n\nKelvin again.\n"))
        .await
        .unwrap()
        .id;
    let (list, found) = (page("/").await, page("/?q=kelvin").await);
    assert!(
        list.contains("1–2 of 2") && list.contains("Kelvin relapse"),
        "{list}"
    );
    assert!(found.contains("Kelvin relapse") && found.contains("Kelvin outage"));
    other
        .update(
            &second,
            1,
            &doc("# Boiling point\n\n## Summary\n\nKelvin, renamed.\n"),
        )
        .await
        .unwrap();
    let (list, found) = (page("/").await, page("/?q=kelvin").await);
    assert!(list.contains("Boiling point") && !list.contains("Kelvin relapse"));
    assert!(found.contains("Boiling point") && !found.contains("Kelvin relapse"));
    // Restricted to someone else: gone from the viewer's pages at once.
    other
        .set_access(&first, true, &["mia".to_string()])
        .await
        .unwrap();
    let (list, found) = (page("/").await, page("/?q=kelvin").await);
    assert!(
        !list.contains("Kelvin outage") && list.contains("1–1 of 1"),
        "{list}"
    );
    assert!(!found.contains("Kelvin outage"));
    other.delete(&second, "cli").await.unwrap();
    assert!(page("/").await.contains("No postmortems match."));
    assert!(!page("/?q=kelvin").await.contains("Boiling point"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postmortem_read_follows_every_change_whoever_writes_it() {
    let env = env("get-fresh").await;
    let (cookie, _) = sign_in(&env, "vera").await;
    let id = env
        .open_pm("# Kelvin outage\n\n## Summary\n\nThe kelvin pool ran dry.\n")
        .await;
    let api = format!("/api/v1/postmortems/{id}");
    let page = format!("/p/{id}");
    let read = |path: String| {
        let (env, cookie) = (&env, cookie.clone());
        async move {
            let (api, page) = (
                env.call("GET", &path, Some("vera"), None, None).await,
                env.send(
                    "GET",
                    &path.replace("/api/v1/postmortems/", "/p/"),
                    &[("cookie", &cookie)],
                    None,
                )
                .await,
            );
            (api, page)
        }
    };
    let (a, p) = read(api.clone()).await;
    assert_eq!((a.status.as_u16(), p.status.as_u16()), (200, 200));
    assert_eq!(a.headers["etag"], "\"1\"");
    // Another process writing the same database file: what is read follows at once.
    use debrief_store::Store;
    let other = debrief_sqlite::open(&env.dir.join("s.db")).await.unwrap();
    let doc = debrief_store::NewDocument {
        source: None,
        text: "# Boiling point\n\n## Summary\n\nKelvin, renamed.\n".into(),
        author: "cli".into(),
        message: String::new(),
        record: None,
        identity: None,
        audit: None,
    };
    other.update(&id, 1, &doc).await.unwrap();
    let (a, p) = read(api.clone()).await;
    assert_eq!(a.headers["etag"], "\"2\"");
    assert!(a.body.contains("Boiling point") && p.body.contains("Boiling point"));
    other
        .set_access(&id, true, &["mia".to_string()])
        .await
        .unwrap();
    let (a, p) = read(api.clone()).await;
    assert_eq!((a.status.as_u16(), p.status.as_u16()), (404, 404), "{page}");
    assert_eq!(
        env.call("GET", &api, Some("mia"), None, None).await.status,
        200
    );
    other.set_access(&id, false, &[]).await.unwrap();
    assert_eq!(read(api.clone()).await.0.status, 200);
    other.delete(&id, "cli").await.unwrap();
    let (a, p) = read(api.clone()).await;
    assert_eq!((a.status.as_u16(), p.status.as_u16()), (404, 404));
}
