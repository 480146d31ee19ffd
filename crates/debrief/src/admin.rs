//! `debrief serve`, `debrief user`, `debrief token` and `debrief audit`: running the server and
//! administering who may use it. Every change here is an audited admin action; no secret is
//! printed except a new token, once.

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use debrief_server::{AppState, Role};
use debrief_store::{AuditEntry, NewDocument, Store, User};

fn admin_audit(action: &str, target: &str, detail: String) -> AuditEntry {
    AuditEntry {
        actor: format!("cli:{}", crate::library::author()),
        action: action.into(),
        target: target.into(),
        outcome: "ok".into(),
        remote: "local".into(),
        detail,
    }
}

/// Example postmortems for `serve --demo`, written for Debrief (not from any real incident).
const DEMO: &[(&str, &str)] = &[
    (
        "demo/2026-03-14-checkout-pool.md",
        include_str!("../demo/2026-03-14-checkout-pool.md"),
    ),
    (
        "demo/2026-05-02-search-index.md",
        include_str!("../demo/2026-05-02-search-index.md"),
    ),
    (
        "demo/2026-08-19-dns.md",
        include_str!("../demo/2026-08-19-dns.md"),
    ),
    (
        "demo/2026-10-07-cert.md",
        include_str!("../demo/2026-10-07-cert.md"),
    ),
    (
        "demo/2026-11-20-queue.md",
        include_str!("../demo/2026-11-20-queue.md"),
    ),
];

/// `serve --demo`: the example postmortems (once; an unchanged example is left alone) and a
/// `demo` administrator whose new password is printed.
async fn prepare_demo(store: &dyn Store, out: &mut impl Write) -> anyhow::Result<String> {
    let docs: Vec<NewDocument> = DEMO
        .iter()
        .map(|(source, text)| NewDocument {
            source: Some((*source).to_string()),
            text: (*text).to_string(),
            author: "demo".into(),
            message: "example postmortem".into(),
            record: None,
            identity: None,
            audit: None,
        })
        .collect();
    let saved = store.import(&docs).await?;
    let new = saved
        .iter()
        .filter(|s| s.outcome == debrief_store::Outcome::Created)
        .count();
    let (password, _) = debrief_server::new_token();
    let password = password.trim_start_matches("dbr_")[..16].to_string();
    let hash = debrief_server::hash_password(&password).map_err(anyhow::Error::msg)?;
    store
        .put_user(&User {
            name: "demo".into(),
            role: Role::Admin.as_str().into(),
            password_hash: hash,
            created_at: debrief_store::now(),
        })
        .await?;
    writeln!(
        out,
        "demo: {} example postmortems ({new} new); sign in as demo with password {password}",
        DEMO.len()
    )?;
    Ok(password)
}

pub async fn serve(
    store: Box<dyn Store>,
    bind: &str,
    limits: debrief_server::Limits,
    demo: bool,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    if demo {
        prepare_demo(store.as_ref(), out).await?;
    }
    // An address, or a host name and port (`localhost:8080`): the first address it resolves to.
    let addr: SocketAddr = match bind.parse() {
        Ok(a) => a,
        Err(_) => tokio::net::lookup_host(bind)
            .await
            .ok()
            .and_then(|mut addrs| addrs.next())
            .with_context(|| {
                format!("--bind {bind}: give an address such as 127.0.0.1:8080 or localhost:8080")
            })?,
    };
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr} (is another server using it?)"))?;
    let local = listener.local_addr()?;
    writeln!(out, "debrief listening on http://{local}/")?;
    out.flush()?;
    let store: Arc<dyn Store> = Arc::from(store);
    let state = AppState::with_limits(Arc::clone(&store), limits);
    let shutdown = async {
        let ctrl_c = tokio::signal::ctrl_c();
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        tokio::select! {
            _ = ctrl_c => {}
            _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending::<()>().await } } => {}
        }
        tracing::info!("shutting down: finishing requests in flight");
    };
    debrief_server::serve(listener, state, shutdown).await?;
    store.close().await?;
    Ok(0)
}

fn read_password(file: Option<&Path>) -> anyhow::Result<String> {
    let pw = match file {
        Some(f) => std::fs::read_to_string(f)
            .with_context(|| format!("{}: cannot read the password file", f.display()))?
            .trim_end_matches(['\n', '\r'])
            .to_string(),
        None => {
            let a = rpassword::prompt_password("password: ")
                .context("cannot read a password from the terminal; use --password-file")?;
            let b = rpassword::prompt_password("again: ")?;
            if a != b {
                bail!("the two passwords differ; nothing was changed");
            }
            a
        }
    };
    if pw.chars().count() < 12 {
        bail!(
            "the password has {} characters; use at least 12",
            pw.chars().count()
        );
    }
    Ok(pw)
}

pub async fn user_add(
    store: &dyn Store,
    name: &str,
    role: &str,
    password_file: Option<&Path>,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    if Role::parse(role).is_none() {
        bail!("--role {role}: use viewer, editor or admin");
    }
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        bail!("user names use letters, digits, '.', '_' and '-' only");
    }
    let pw = read_password(password_file)?;
    let hash = debrief_server::hash_password(&pw).map_err(|e| anyhow::anyhow!(e))?;
    let existed = store.user(name).await?.is_some();
    store
        .put_user(&User {
            name: name.into(),
            role: role.into(),
            password_hash: hash,
            created_at: debrief_store::now(),
        })
        .await?;
    store
        .audit(&admin_audit(
            if existed { "user.update" } else { "user.add" },
            name,
            format!("role={role}"),
        ))
        .await?;
    writeln!(
        out,
        "{} {name} ({role})",
        if existed { "updated" } else { "added" }
    )?;
    Ok(0)
}

/// Sets a new password and ends the sessions signed in with the old one (`login` and browser
/// sessions); API tokens made with `token create` keep working.
pub async fn user_passwd(
    store: &dyn Store,
    name: &str,
    password_file: Option<&Path>,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    let Some(user) = store.user(name).await? else {
        bail!("no user {name}; `debrief user list` shows who there is");
    };
    let pw = read_password(password_file)?;
    let hash = debrief_server::hash_password(&pw).map_err(|e| anyhow::anyhow!(e))?;
    store
        .put_user(&User {
            password_hash: hash,
            ..user
        })
        .await?;
    let mut ended = 0;
    for t in store.tokens().await? {
        if t.user == name
            && t.revoked_at.is_none()
            && debrief_server::SESSION_LABELS.contains(&t.label.as_str())
            && store.revoke_token(&t.hash).await?
        {
            ended += 1;
        }
    }
    store
        .audit(&admin_audit(
            "user.passwd",
            name,
            format!("{ended} session(s) ended"),
        ))
        .await?;
    writeln!(
        out,
        "changed the password of {name}; {ended} signed-in session(s) ended"
    )?;
    Ok(0)
}

pub async fn token_create(
    store: &dyn Store,
    user: &str,
    label: &str,
    days: Option<u64>,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    if store.user(user).await?.is_none() {
        bail!("no user {user}; add one with `debrief user add {user} --role viewer`");
    }
    let (secret, hash) = debrief_server::new_token();
    let expires = days.map(|d| debrief_store::hours_from_now(d * 24));
    store.add_token(&hash, user, label, expires).await?;
    store
        .audit(&admin_audit(
            "token.create",
            user,
            format!("label={label} id={}", &hash[..8]),
        ))
        .await?;
    writeln!(out, "{secret}")?;
    eprintln!(
        "token {} for {user}{}: shown once, store it now",
        &hash[..8],
        expires
            .map(|e| format!(", expires {e}"))
            .unwrap_or_default()
    );
    Ok(0)
}

pub async fn token_revoke(
    store: &dyn Store,
    user: &str,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    let n = store.revoke_tokens(user).await?;
    store
        .audit(&admin_audit("token.revoke", user, format!("{n} token(s)")))
        .await?;
    writeln!(
        out,
        "revoked {n} token(s) of {user}; every server refuses them from now on"
    )?;
    Ok(0)
}

/// Revokes one token, named by its id (the SHA-256 `token list` shows) or a prefix only it has.
pub async fn token_revoke_one(
    store: &dyn Store,
    id: &str,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    let id = id.trim().to_ascii_lowercase();
    if id.len() < 6 {
        anyhow::bail!(
            "--token {id}: give at least 6 characters of the id `debrief token list` shows"
        );
    }
    let matching: Vec<_> = store
        .tokens()
        .await?
        .into_iter()
        .filter(|t| t.hash.starts_with(&id))
        .collect();
    let token = match matching.as_slice() {
        [one] => one,
        [] => anyhow::bail!("--token {id}: no token has this id; `debrief token list` shows them"),
        _ => anyhow::bail!(
            "--token {id}: {} tokens start with this; give more of the id",
            matching.len()
        ),
    };
    if !store.revoke_token(&token.hash).await? {
        writeln!(
            out,
            "token {} of {} was already revoked",
            &token.hash[..12],
            token.user
        )?;
        return Ok(0);
    }
    store
        .audit(&admin_audit(
            "token.revoke",
            &token.user,
            format!("token {}", &token.hash[..12]),
        ))
        .await?;
    writeln!(
        out,
        "revoked token {} ({}) of {}; every server refuses it from now on",
        &token.hash[..12],
        token.label,
        token.user
    )?;
    Ok(0)
}

pub async fn token_list(store: &dyn Store, json: bool, out: &mut impl Write) -> anyhow::Result<u8> {
    let tokens = store.tokens().await?;
    if json {
        let rows: Vec<_> = tokens
            .iter()
            .map(|t| {
                serde_json::json!({"id": t.hash, "user": t.user, "label": t.label, "created_at": t.created_at, "expires_at": t.expires_at, "revoked_at": t.revoked_at})
            })
            .collect();
        return crate::library::print_json(out, &rows);
    }
    writeln!(
        out,
        "{:<12}  {:<16}  {:<20}  {:<24}  state",
        "ID", "USER", "LABEL", "CREATED"
    )?;
    for t in &tokens {
        let state = match (&t.revoked_at, &t.expires_at) {
            (Some(r), _) => format!("revoked {r}"),
            (None, Some(e)) => format!("expires {e}"),
            (None, None) => "active".into(),
        };
        writeln!(
            out,
            "{:<12}  {:<16}  {:<20}  {:<24}  {state}",
            &t.hash[..12.min(t.hash.len())],
            t.user,
            t.label,
            t.created_at.to_string()
        )?;
    }
    Ok(0)
}

pub async fn hook_create(
    store: &dyn Store,
    name: &str,
    kind: &str,
    window_minutes: i64,
    mapping: debrief_store::HookMapping,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    if name.is_empty()
        || name.len() > 64
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        bail!(
            "hook name {name:?}: use 1 to 64 letters, digits, `-` or `_` (it becomes the URL /api/v1/hooks/alertmanager/NAME)"
        );
    }
    let (secret, hash) = debrief_server::auth::new_hook_secret();
    store
        .add_hook(&debrief_store::Hook {
            name: name.to_string(),
            kind: kind.to_string(),
            secret_hash: hash,
            window_minutes,
            mapping,
            created_at: debrief_store::now(),
            revoked_at: None,
        })
        .await?;
    store
        .audit(&admin_audit(
            "hook.create",
            name,
            format!("{kind}, window {window_minutes} min"),
        ))
        .await?;
    writeln!(out, "{secret}")?;
    eprintln!(
        "hook {name}: POST /api/v1/hooks/{kind}/{name} with Authorization: Bearer <the secret above> (shown once, store it now)"
    );
    Ok(0)
}

/// `debrief event add`, as the command line gives it.
pub struct EventArgs<'a> {
    pub postmortem: Option<&'a str>,
    pub service: Option<&'a str>,
    pub at: Option<&'a str>,
    pub text: &'a str,
    pub source: &'a str,
    pub link: Option<String>,
    pub kind: Option<&'a str>,
    pub id: Option<String>,
    pub window_minutes: i64,
}

pub async fn event_add(
    store: &dyn Store,
    args: EventArgs<'_>,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    let at = match args.at {
        Some(s) => crate::chat::instant("--at", s)?,
        None => debrief_store::now(),
    };
    let kind = args
        .kind
        .map(|k| {
            debrief_core::EventKind::from_name(k).ok_or_else(|| {
                anyhow::anyhow!(
                    "--kind {k}: use trigger, detection, acknowledgement, escalation, diagnosis, mitigation, resolution, symptom or other"
                )
            })
        })
        .transpose()?;
    let event = debrief_store::events::Event {
        at,
        text: args.text.to_string(),
        source: args.source.to_string(),
        link: args.link,
        kind,
        key: args.id,
    };
    if let Some((field, problem)) = event.problem() {
        bail!("--{field}: {problem}");
    }
    let id = match (args.postmortem, args.service) {
        (Some(prefix), _) => store.resolve_id(prefix).await?,
        (None, Some(service)) => debrief_store::events::open_draft_for(
            store,
            service,
            debrief_store::now(),
            args.window_minutes,
        )
        .await?
        .ok_or_else(|| {
            anyhow::anyhow!(
                "no draft postmortem for service {service:?} was saved in the last {} minutes; name one with --postmortem",
                args.window_minutes
            )
        })?,
        (None, None) => bail!("give --postmortem ID or --service NAME"),
    };
    let entry = event.entry();
    let author = crate::library::author();
    let w = debrief_store::events::write(
        store,
        &id,
        &author,
        &format!("event from {}", event.source),
        |p| usize::from(p.add_entry(entry.clone())),
    )
    .await?;
    if json {
        return crate::library::print_json(
            out,
            &serde_json::json!({"postmortem": w.id, "revision": w.revision, "added": w.added}),
        );
    }
    if w.added == 0 {
        writeln!(
            out,
            "postmortem {}: the event is there already (revision {})",
            w.id, w.revision
        )?;
    } else {
        writeln!(
            out,
            "postmortem {}: event added (revision {})",
            w.id, w.revision
        )?;
    }
    Ok(0)
}

pub async fn hook_revoke(
    store: &dyn Store,
    name: &str,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    if !store.revoke_hook(name).await? {
        bail!("no live hook named {name}; see `debrief hook list`");
    }
    store
        .audit(&admin_audit("hook.revoke", name, String::new()))
        .await?;
    writeln!(out, "revoked hook {name}")?;
    Ok(0)
}

pub async fn hook_list(store: &dyn Store, json: bool, out: &mut impl Write) -> anyhow::Result<u8> {
    let hooks = store.hooks().await?;
    if json {
        let rows: Vec<_> = hooks
            .iter()
            .map(|h| {
                serde_json::json!({"name": h.name, "kind": h.kind, "window_minutes": h.window_minutes, "mapping": h.mapping, "created_at": h.created_at, "revoked_at": h.revoked_at})
            })
            .collect();
        return crate::library::print_json(out, &rows);
    }
    writeln!(
        out,
        "{:<24}  {:<12}  {:>7}  {:<24}  state",
        "NAME", "KIND", "WINDOW", "CREATED"
    )?;
    for h in &hooks {
        let state = h
            .revoked_at
            .map_or_else(|| "active".to_string(), |r| format!("revoked {r}"));
        writeln!(
            out,
            "{:<24}  {:<12}  {:>5} m  {:<24}  {state}",
            h.name,
            h.kind,
            h.window_minutes,
            h.created_at.to_string()
        )?;
    }
    Ok(0)
}

pub async fn user_remove(
    store: &dyn Store,
    name: &str,
    out: &mut impl Write,
) -> anyhow::Result<u8> {
    store.remove_user(name).await?;
    store
        .audit(&admin_audit("user.remove", name, String::new()))
        .await?;
    writeln!(
        out,
        "removed {name}: its tokens and sessions no longer work on any server, and it is in no access list"
    )?;
    Ok(0)
}

pub async fn user_list(store: &dyn Store, json: bool, out: &mut impl Write) -> anyhow::Result<u8> {
    let users = store.users().await?;
    if json {
        let rows: Vec<_> = users
            .iter()
            .map(
                |u| serde_json::json!({"name": u.name, "role": u.role, "created_at": u.created_at}),
            )
            .collect();
        return crate::library::print_json(out, &rows);
    }
    writeln!(out, "{:<24}  {:<8}  CREATED", "NAME", "ROLE")?;
    for u in &users {
        writeln!(out, "{:<24}  {:<8}  {}", u.name, u.role, u.created_at)?;
    }
    Ok(0)
}

pub async fn audit_verify(store: &dyn Store, out: &mut impl Write) -> anyhow::Result<u8> {
    let rows = store.audit_log().await?;
    let problems = debrief_store::verify_audit(&rows);
    if problems.is_empty() {
        writeln!(
            out,
            "audit OK: {} row(s), every link and hash intact",
            rows.len()
        )?;
        Ok(0)
    } else {
        writeln!(
            out,
            "audit FAILED: {} problem(s) in {} row(s)",
            problems.len(),
            rows.len()
        )?;
        for p in problems.iter().take(20) {
            writeln!(out, "  {p}")?;
        }
        Ok(1)
    }
}
