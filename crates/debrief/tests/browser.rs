//! The web UI in a real headless Chromium, driven through WebDriver (Debian's `chromium` and
//! `chromium-driver`, which `scripts/test` installs), against a real `debrief serve`:
//!
//! - `a_team_writes_reviews_and_follows_up_in_the_browser`: sign in, import the seed and see its
//!   chart and metrics, live review while editing, two editors in conflict, an action item
//!   toggled, insights, a viewer who cannot find a restricted postmortem anywhere, sign out. A
//!   screenshot of every page is written to `target/tmp/screenshots/` and checked for content,
//!   and every page passes axe-core's WCAG A and AA checks with no serious violation.
//! - `hostile_text_in_every_field_executes_nothing`: filter-evasion and Markdown XSS vectors
//!   in every field a page renders; no dialog opens and no dangerous element or attribute is
//!   left in the DOM.

mod support;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use support::*;

const AXE: &str = include_str!("vendor/axe.min.js");

/// One chromedriver for a test; each [`Client`] is a browser of its own (its own profile).
struct Driver {
    child: Child,
    url: String,
    dir: PathBuf,
}

impl Driver {
    fn start(dir: &Path) -> Option<Driver> {
        if !Path::new("/usr/bin/chromedriver").exists() {
            require("chromium-driver (/usr/bin/chromedriver)");
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            dir: dir.to_path_buf(),
        })
    }

    async fn browser(&self, name: &str) -> Client {
        self.browser_with(name, &[]).await
    }

    async fn browser_with(&self, name: &str, extra: &[&str]) -> Client {
        let profile = self.dir.join(format!("profile-{name}"));
        std::fs::create_dir_all(&profile).unwrap();
        let caps = json!({
            "browserName": "chrome",
            "unhandledPromptBehavior": "ignore",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-quic", "--no-first-run",
                    "--window-size=1280,1000",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }
        });
        let Value::Object(mut caps) = caps else {
            unreachable!()
        };
        if let Some(Value::Array(args)) = caps
            .get_mut("goog:chromeOptions")
            .and_then(|o| o.get_mut("args"))
        {
            args.extend(extra.iter().map(|a| json!(a)));
        }
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&self.url)
            .await
            .expect("a Chromium session through chromedriver")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Site {
    base: String,
}

impl Site {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.base)
    }
}

async fn sign_in(c: &Client, site: &Site, name: &str) {
    open(c, site, "/signin").await;
    type_into(c, Locator::Id("name"), name).await;
    type_into(c, Locator::Id("password"), PASSWORD).await;
    click(c, Locator::Css("form button[type=submit]")).await;
    wait_until(c, "document.querySelector('#signout') !== null").await;
}

/// Opens a page and waits until the browser shows it (its address, fully loaded), so what is
/// read next is never the page before.
async fn open(c: &Client, site: &Site, path: &str) {
    let url = site.url(path);
    c.goto(&url).await.unwrap();
    let started = Instant::now();
    loop {
        let here = js(
            c,
            "return document.readyState === 'complete' ? location.href : '';",
        )
        .await;
        // There, or sent to the sign-in page.
        let arrived = |h: &str| {
            h.split('#').next() == Some(url.as_str()) || h.starts_with(&site.url("/signin"))
        };
        if here.as_str().is_some_and(arrived) {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{path} did not open (at {here})"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn click(c: &Client, at: Locator<'_>) {
    c.find(at).await.unwrap().click().await.unwrap();
}

async fn type_into(c: &Client, at: Locator<'_>, text: &str) {
    c.find(at).await.unwrap().send_keys(text).await.unwrap();
}

async fn text_of(c: &Client, at: Locator<'_>) -> String {
    c.find(at).await.unwrap().text().await.unwrap()
}

/// Waits (up to 10 s) until a JavaScript expression is true.
async fn wait_until(c: &Client, expr: &str) {
    let started = Instant::now();
    loop {
        let v = c
            .execute(&format!("return !!({expr});"), vec![])
            .await
            .unwrap();
        if v == Value::Bool(true) {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "waited 10 s for {expr} on {}",
            c.current_url().await.unwrap()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.unwrap()
}

async fn page_source(c: &Client) -> String {
    c.source().await.unwrap()
}

/// A screenshot of the page as it is now, written as a test artifact, after checking that the
/// page has content and is not an error page.
async fn shot(c: &Client, name: &str) -> PathBuf {
    shot_at(c, name, 1280).await
}

/// A full-page screenshot `width` pixels wide.
async fn shot_at(c: &Client, name: &str, width: u32) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    // The whole page, not just the window.
    let height = js(c, "return document.documentElement.scrollHeight;")
        .await
        .as_u64()
        .unwrap_or(1000)
        .clamp(600, 5000);
    c.set_window_size(width, height as u32 + 120).await.unwrap();
    let png = c.screenshot().await.unwrap();
    c.set_window_size(width, 1000).await.unwrap();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "{name}: the screenshot is empty"
    );
    let state = js(
        c,
        "return {text: (document.querySelector('main') || document.body).innerText.trim().length, error: document.getElementById('error-detail') !== null, h1: (document.querySelector('h1') || {}).innerText || ''};",
    )
    .await;
    assert!(
        state["text"].as_u64().unwrap_or(0) > 40,
        "{name}: the page is empty"
    );
    assert_eq!(
        state["error"],
        Value::Bool(false),
        "{name}: an error page: {}",
        state["h1"]
    );
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, png).unwrap();
    path
}

/// axe-core's WCAG 2 A and AA rules on the page as it is; returns the serious and critical
/// violations as "rule: target" lines.
async fn accessibility(c: &Client, name: &str) -> Vec<String> {
    c.execute(AXE, vec![]).await.unwrap();
    let r = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']}})
                .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))))
                .catch(e => done([{id: 'axe-failed', impact: 'critical', nodes: [String(e)]}]));",
            vec![],
        )
        .await
        .unwrap();
    r.as_array()
        .unwrap()
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .map(|v| format!("{name}: {} ({}) at {}", v["id"], v["impact"], v["nodes"]))
        .collect()
}

/// Every page a user reaches in the journey: screenshot, content check, accessibility.
async fn visit(c: &Client, name: &str, problems: &mut Vec<String>) {
    shot(c, name).await;
    problems.extend(accessibility(c, name).await);
    // The same page on a phone: no sideways scrolling of the page itself (wide charts and
    // tables scroll inside their own box).
    c.set_window_size(390, 844).await.unwrap();
    let wide = js(c, "return document.documentElement.scrollWidth;").await;
    shot_at(c, &format!("{name}-phone"), 390).await;
    c.set_window_size(1280, 1000).await.unwrap();
    if wide.as_u64().unwrap_or(0) > 400 {
        problems.push(format!("{name}: {wide} px wide on a 390 px phone"));
    }
}

fn start_site(dir: &Path) -> (Server, Site, String) {
    let db = format!("sqlite:{}", dir.join("ui.db").display());
    for (name, role) in [
        ("ada", "admin"),
        ("eddie", "editor"),
        ("mia", "editor"),
        ("vic", "viewer"),
    ] {
        add_user(&db, dir, name, role);
    }
    let server = Server::start(&db);
    let site = Site {
        base: server.addr.clone(),
    };
    (server, site, db)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_team_writes_reviews_and_follows_up_in_the_browser() {
    let seed_path = seed().expect("../shared/reference/seed-postmortem.txt");
    let seed_text = std::fs::read_to_string(&seed_path).unwrap();
    let dir = scratch("browser");
    let Some(driver) = Driver::start(&dir) else {
        return;
    };
    let (_server, site, _db) = start_site(&dir);
    let mut problems = Vec::new();

    // Sign in.
    let eddie = driver.browser("eddie").await;
    open(&eddie, &site, "/").await;
    assert!(
        eddie
            .current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/signin")
    );
    visit(&eddie, "signin", &mut problems).await;
    sign_in(&eddie, &site, "eddie").await;

    // Another postmortem, through "new from a template".
    open(&eddie, &site, "/new?template=minor").await;
    visit(&eddie, "new", &mut problems).await;
    click(&eddie, Locator::Id("save")).await;
    wait_until(&eddie, "location.pathname.startsWith('/p/')").await;

    // Paste the seed into the import page: 10 entries in the chart, time to detect 5 min.
    open(&eddie, &site, "/import").await;
    eddie
        .execute(
            "document.getElementById('import-text').value = arguments[0];",
            vec![Value::String(seed_text.clone())],
        )
        .await
        .unwrap();
    click(&eddie, Locator::Id("read")).await;
    wait_until(&eddie, "document.getElementById('imported-title') !== null").await;
    let dots = js(
        &eddie,
        "return document.querySelectorAll('#timeline-chart g.entry').length;",
    )
    .await;
    assert_eq!(dots, json!(10), "timeline entries in the chart");
    let cards = text_of(&eddie, Locator::Css(".cards")).await;
    assert!(cards.contains("Time to detect\n5 min"), "{cards}");
    visit(&eddie, "import", &mut problems).await;
    click(&eddie, Locator::Id("save-import")).await;
    wait_until(&eddie, "location.pathname.startsWith('/p/')").await;
    let url = eddie.current_url().await.unwrap();
    let id = url.path().trim_start_matches("/p/").to_string();
    let dots = js(
        &eddie,
        "return document.querySelectorAll('#timeline-chart g.entry').length;",
    )
    .await;
    assert_eq!(dots, json!(10));
    let cards = text_of(&eddie, Locator::Css(".cards")).await;
    assert!(cards.contains("Time to detect\n5 min"), "{cards}");
    let title = text_of(&eddie, Locator::Css("h1")).await;
    visit(&eddie, "postmortem", &mut problems).await;

    // Edit: findings update as the author types, without a reload.
    open(&eddie, &site, &format!("/p/{id}/edit")).await;
    visit(&eddie, "edit", &mut problems).await;
    js(&eddie, "window.stillHere = 'yes'; return null;").await;
    let before = js(
        &eddie,
        "return document.getElementById('review').innerText;",
    )
    .await;
    assert!(!before.as_str().unwrap().contains("forgot to"));
    type_into(
        &eddie,
        Locator::Id("text"),
        "\nThe outage lasted long because Dave forgot to renew the certificate.\n",
    )
    .await;
    wait_until(
        &eddie,
        "document.getElementById('review').innerText.includes('forgot to')",
    )
    .await;
    assert_eq!(
        js(&eddie, "return window.stillHere || null;").await,
        json!("yes")
    );
    let draft = js(
        &eddie,
        &format!("return localStorage.getItem('debrief:draft:{id}');"),
    )
    .await;
    assert!(
        draft.as_str().unwrap_or("").contains("Dave forgot"),
        "kept in local storage"
    );
    shot(&eddie, "edit-live-review").await;

    // Two editors: mia opens the editor too; eddie saves first; mia sees the conflict and
    // keeps her text.
    let mia = driver.browser("mia").await;
    sign_in(&mia, &site, "mia").await;
    open(&mia, &site, &format!("/p/{id}/edit")).await;
    click(&eddie, Locator::Id("save")).await;
    // Saved: the editor gives way to the postmortem's page.
    wait_until(&eddie, "!location.pathname.endsWith('/edit')").await;
    assert!(
        js(
            &eddie,
            "return document.getElementById('conflict') === null;"
        )
        .await
            == json!(true)
    );
    let mine = "\nMia's addition: the renewal reminder went to an unmonitored mailbox.\n";
    type_into(&mia, Locator::Id("text"), mine).await;
    click(&mia, Locator::Id("save")).await;
    wait_until(&mia, "document.getElementById('conflict') !== null").await;
    let kept = js(&mia, "return document.getElementById('text').value;").await;
    assert!(
        kept.as_str().unwrap().contains("unmonitored mailbox"),
        "her text is kept"
    );
    let diff = text_of(&mia, Locator::Css("#conflict .diff")).await;
    assert!(diff.contains("Dave forgot"), "what changed since: {diff}");
    let stored = js(
        &mia,
        &format!("return localStorage.getItem('debrief:draft:{id}');"),
    )
    .await;
    assert!(
        stored
            .as_str()
            .unwrap_or("")
            .contains("unmonitored mailbox")
    );
    visit(&mia, "edit-conflict", &mut problems).await;
    // She brings eddie's change into her text and saves on top of the latest revision.
    type_into(
        &mia,
        Locator::Id("text"),
        "The outage lasted long because Dave forgot to renew the certificate.\n",
    )
    .await;
    click(&mia, Locator::Id("save")).await;
    wait_until(
        &mia,
        "location.pathname.startsWith('/p/') && !location.pathname.endsWith('/edit')",
    )
    .await;
    let src = page_source(&mia).await;
    assert!(src.contains("unmonitored mailbox") && src.contains("Dave forgot"));
    mia.close().await.unwrap();

    // Revisions with a readable diff.
    open(&eddie, &site, &format!("/p/{id}/revisions")).await;
    assert!(page_source(&eddie).await.contains("d-added"));
    visit(&eddie, "revisions", &mut problems).await;

    // Toggle an action item.
    open(&eddie, &site, &format!("/p/{id}")).await;
    click(&eddie, Locator::Css("#action-0 button.toggle")).await;
    wait_until(&eddie, "document.querySelector('#action-0.done') !== null").await;
    open(&eddie, &site, "/actions?show=all").await;
    // The board shows it done (struck through, with a Reopen button) and still open below.
    let (done, open_rows) = (
        js(
            &eddie,
            "return document.querySelectorAll('table.board tr.done').length;",
        )
        .await,
        js(
            &eddie,
            "return document.querySelectorAll('table.board tbody tr:not(.done)').length;",
        )
        .await,
    );
    assert_eq!(done, json!(1), "one item done on the board");
    assert!(open_rows.as_u64().unwrap() >= 1);
    visit(&eddie, "actions", &mut problems).await;

    // Insights: charts with data.
    open(&eddie, &site, "/insights").await;
    let bars = js(
        &eddie,
        "return [...document.querySelectorAll('svg.barchart rect')].filter(r => r.getAttribute('height') > 0).length;",
    )
    .await;
    assert!(bars.as_u64().unwrap() >= 1, "bars with data: {bars}");
    visit(&eddie, "insights", &mut problems).await;

    // The search and list pages.
    open(&eddie, &site, "/?q=database").await;
    wait_until(&eddie, "document.getElementById('count') !== null").await;
    let main = js(&eddie, "return document.querySelector('main').innerText;").await;
    assert!(
        page_source(&eddie).await.contains("<mark>"),
        "no highlighted match in the search page:\n{}",
        main.as_str().unwrap_or("")
    );
    visit(&eddie, "search", &mut problems).await;
    open(&eddie, &site, "/").await;
    visit(&eddie, "list", &mut problems).await;
    // A facet narrows the list to its value, with the count it showed, and widens it again.
    let facets = text_of(&eddie, Locator::Css(".facets")).await;
    assert!(facets.to_lowercase().contains("year"), "{facets}");
    let everything = text_of(&eddie, Locator::Id("count")).await;
    let counted = js(
        &eddie,
        "const v = document.querySelector('.facets li'); v.querySelector('a').click(); return v.querySelector('.n').innerText;",
    )
    .await;
    wait_until(
        &eddie,
        "document.querySelector('.facets li.chosen') !== null",
    )
    .await;
    let narrowed = text_of(&eddie, Locator::Id("count")).await;
    assert!(
        narrowed.ends_with(&format!("of {}", counted.as_str().unwrap())),
        "{narrowed} after choosing a value counted {counted}"
    );
    visit(&eddie, "list-narrowed", &mut problems).await;
    click(&eddie, Locator::Css(".facets li.chosen a")).await;
    wait_until(
        &eddie,
        "document.querySelector('.facets li.chosen') === null",
    )
    .await;
    assert_eq!(text_of(&eddie, Locator::Id("count")).await, everything);

    // An administrator restricts the seed's postmortem to eddie.
    let ada = driver.browser("ada").await;
    sign_in(&ada, &site, "ada").await;
    open(&ada, &site, &format!("/p/{id}")).await;
    click(&ada, Locator::Css("input[name=restricted]")).await;
    type_into(&ada, Locator::Id("members"), "eddie").await;
    click(&ada, Locator::Css("#access button[type=submit]")).await;
    wait_until(&ada, "document.querySelector('.badge.warn') !== null").await;
    open(&ada, &site, "/admin").await;
    visit(&ada, "admin", &mut problems).await;
    ada.close().await.unwrap();

    // A viewer finds it on no page.
    let vic = driver.browser("vic").await;
    sign_in(&vic, &site, "vic").await;
    let action_text = "comprehensive database backup";
    for path in [
        "/".to_string(),
        "/?q=database".to_string(),
        "/?q=backup".to_string(),
        "/?sort=title".to_string(),
        "/actions?show=all".to_string(),
        "/insights".to_string(),
        format!("/p/{id}"),
        format!("/p/{id}/revisions"),
        format!("/p/{id}/export.md"),
        format!("/p/{id}/export.json"),
        format!("/p/{id}/edit"),
    ] {
        open(&vic, &site, &path).await;
        let src = page_source(&vic).await;
        assert!(!src.contains(&title), "{path} shows the restricted title");
        assert!(!src.contains(action_text), "{path} shows its action item");
    }
    open(&vic, &site, "/insights").await;
    let count = text_of(&vic, Locator::Css("main .count")).await;
    assert!(count.starts_with("From 1 postmortems"), "{count}");

    // A phone-sized window and the dark theme: readable, and accessible too.
    vic.set_window_size(390, 844).await.unwrap();
    open(&vic, &site, "/actions?show=all").await;
    let wide = js(&vic, "return document.documentElement.scrollWidth;").await;
    assert!(
        wide.as_u64().unwrap() <= 400,
        "no sideways scrolling on a phone: {wide}"
    );
    vic.set_window_size(1280, 1000).await.unwrap();
    let dark = driver
        .browser_with("dark", &["--blink-settings=preferredColorScheme=0"])
        .await;
    sign_in(&dark, &site, "ada").await;
    assert_eq!(
        js(
            &dark,
            "return matchMedia('(prefers-color-scheme: dark)').matches;"
        )
        .await,
        json!(true)
    );
    for (path, name) in [
        ("/".to_string(), "list-dark"),
        ("/?q=database".to_string(), "search-dark"),
        (format!("/p/{id}"), "postmortem-dark"),
        (format!("/p/{id}/edit"), "edit-dark"),
        (format!("/p/{id}/revisions"), "revisions-dark"),
        ("/new".to_string(), "new-dark"),
        ("/import".to_string(), "import-dark"),
        ("/actions?show=all".to_string(), "actions-dark"),
        ("/insights".to_string(), "insights-dark"),
        ("/admin".to_string(), "admin-dark"),
    ] {
        open(&dark, &site, &path).await;
        visit(&dark, name, &mut problems).await;
    }
    dark.close().await.unwrap();

    // Sign out ends the session.
    click(&vic, Locator::Id("signout")).await;
    wait_until(&vic, "location.pathname === '/signin'").await;
    open(&vic, &site, "/").await;
    assert!(
        vic.current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/signin")
    );
    vic.close().await.unwrap();
    eddie.close().await.unwrap();

    println!(
        "screenshots in {}",
        Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("screenshots")
            .display()
    );
    println!(
        "accessibility: {} serious or critical violations",
        problems.len()
    );
    assert!(
        problems.is_empty(),
        "accessibility:\n{}",
        problems.join("\n")
    );
}

/// Filter-evasion and Markdown vectors; each is placed in every field a page renders.
const VECTORS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<body onload=alert(1)>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"data:text/html,<script>alert(1)</script>\">",
    "<base href=\"javascript:alert(1)//\">",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"20\" y=\"20\">x</text></a></svg>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<<SCRIPT>alert(\"XSS\");//<</SCRIPT>",
    "<a href=\"  javascript:alert(1)\">x</a>",
    "[x](<javascript:alert(1)>)",
    "<style>@import 'javascript:alert(1)';</style>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
];

const DANGEROUS: &str = r#"
const bad = [];
const scheme = /^(javascript|data|vbscript):/i;
for (const el of document.querySelectorAll('*')) {
  const tag = el.tagName.toLowerCase();
  if (tag === 'script' && !(el.getAttribute('src') || '').startsWith('/static/')) bad.push('script');
  if (['iframe', 'object', 'embed', 'base', 'style', 'frame', 'applet'].includes(tag)) bad.push(tag);
  if (tag === 'meta' && el.hasAttribute('http-equiv')) bad.push('meta[http-equiv]');
  for (const a of el.attributes) {
    const n = a.name.toLowerCase();
    if (n.startsWith('on')) bad.push(tag + '[' + n + ']');
    if (n === 'style') bad.push(tag + '[style]');
    if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc', 'poster', 'background'].includes(n)) {
      const v = a.value.replace(/[\u0000-\u0020]/g, '');
      if (scheme.test(v)) bad.push(tag + '[' + n + ']=' + a.value.slice(0, 40));
    }
  }
}
return bad;
"#;

/// A document with the vector in every field: title, front matter, sections, timeline, action
/// items (text, owner, due), lessons.
fn hostile_document(v: &str, marker: &str) -> String {
    let q = v.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        "---\ntitle: \"{marker} {q}\"\nseverity: \"{q}\"\nstatus: \"{q}\"\nservices: [\"{q}\"]\ntags: [\"{q}\"]\nauthors: [\"{q}\"]\n---\n\n# {marker} {v}\n\n## Summary\n\n{marker} summary {v}\n\n## Impact\n\n{v}\n\n## Root cause\n\n{v}\n\n## {v}\n\n{v}\n\n## Timeline\n\n- 10:00 UTC {v}\n- 10:05 UTC alert fired {v}\n- 10:50 UTC resolved {v}\n\n## Action items\n\n| Action | Owner | Due | Status |\n|---|---|---|---|\n| {v} | {v} | {v} | open |\n\n## Lessons learned\n\n### What went well\n\n{v}\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_text_in_every_field_executes_nothing() {
    let dir = scratch("xss");
    let Some(driver) = Driver::start(&dir) else {
        return;
    };
    let (_server, site, db) = start_site(&dir);
    let token = {
        let o = cli(&db, &["token", "create", "--user", "ada"]);
        String::from_utf8(o.stdout).unwrap().trim().to_string()
    };
    let auth = format!("Bearer {token}");
    let mut ids = Vec::new();
    for (i, v) in VECTORS.iter().enumerate() {
        let marker = format!("zebra{i}");
        let doc = hostile_document(v, &marker);
        let r = http(
            &site.base,
            "POST",
            "/api/v1/postmortems",
            &[("Authorization", &auth)],
            Some(("text/markdown", doc.as_bytes())),
        );
        assert_eq!(r.status, 201, "{v}: {}", r.body);
        let id = r.json()["id"].as_str().unwrap().to_string();
        // A second revision, so the diff page shows the vector too.
        let r = http(
            &site.base,
            "PUT",
            &format!("/api/v1/postmortems/{id}"),
            &[("Authorization", &auth), ("If-Match", "\"1\"")],
            Some(("text/markdown", format!("{doc}\n{v} again\n").as_bytes())),
        );
        assert_eq!(r.status, 200, "{v}: {}", r.body);
        ids.push((id, marker, doc));
    }
    let c = driver.browser("ada").await;
    sign_in(&c, &site, "ada").await;
    let mut failures = Vec::new();
    let check = async |c: &Client, what: &str, failures: &mut Vec<String>| -> bool {
        let mut ok = true;
        if let Ok(text) = c.get_alert_text().await {
            failures.push(format!("{what}: a dialog opened: {text}"));
            let _ = c.dismiss_alert().await;
            ok = false;
        }
        let bad = c.execute(DANGEROUS, vec![]).await.unwrap();
        if bad.as_array().is_some_and(|b| !b.is_empty()) {
            failures.push(format!("{what}: {bad}"));
            ok = false;
        }
        ok
    };
    // Pages that show every postmortem at once.
    for path in [
        "/",
        "/?q=zebra",
        "/actions?show=all",
        "/insights",
        "/admin",
        "/?sort=title",
    ] {
        open(&c, &site, path).await;
        check(&c, path, &mut failures).await;
    }
    let shared_clean = failures.is_empty();
    let mut neutralized = 0;
    for ((id, marker, doc), v) in ids.iter().zip(VECTORS) {
        let mut ok = shared_clean;
        for path in [
            format!("/p/{id}"),
            format!("/p/{id}/edit"),
            format!("/p/{id}/revisions?from=1&to=2"),
            format!("/?q={marker}"),
        ] {
            open(&c, &site, &path).await;
            ok &= check(&c, &format!("{v} on {path}"), &mut failures).await;
        }
        // The import preview of the same document, and the live review fragment.
        open(&c, &site, "/import").await;
        c.execute(
            "document.getElementById('import-text').value = arguments[0];",
            vec![Value::String(doc.clone())],
        )
        .await
        .unwrap();
        click(&c, Locator::Id("read")).await;
        wait_until(&c, "document.getElementById('imported-title') !== null").await;
        ok &= check(&c, &format!("{v} on the import preview"), &mut failures).await;
        if ok {
            neutralized += 1;
        }
    }
    println!("{neutralized} of {} neutralized", VECTORS.len());
    c.close().await.unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(neutralized, VECTORS.len());
}
