//! Users and roles, tokens and sessions, the audit trail.

use super::*;

pub struct TokenView {
    id: String,
    user: String,
    label: String,
    created: String,
    expires: String,
    state: &'static str,
}

pub struct AuditView {
    seq: i64,
    at: String,
    actor: String,
    action: String,
    target: String,
    outcome: String,
    remote: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    chrome: Chrome,
    users: Vec<(String, String, String)>,
    tokens: Vec<TokenView>,
    audit: Vec<AuditView>,
    actor: String,
    action: String,
    outcome: String,
    secret: Option<String>,
    message: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct AdminQuery {
    actor: Option<String>,
    action: Option<String>,
    outcome: Option<String>,
}

async fn admin_page(
    st: &AppState,
    caller: &Caller,
    q: AdminQuery,
    secret: Option<String>,
    message: Option<String>,
) -> PageResult<Response> {
    let users = st
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| (u.name, u.role, render::when(&u.created_at)))
        .collect();
    let now = debrief_store::now();
    let tokens = st
        .store
        .tokens()
        .await?
        .into_iter()
        .map(|t| TokenView {
            id: t.hash.clone(),
            state: if t.revoked_at.is_some() {
                "revoked"
            } else if t.expires_at.is_some_and(|e| e <= now) {
                "expired"
            } else {
                "active"
            },
            user: t.user,
            label: t.label,
            created: render::when(&t.created_at),
            expires: t
                .expires_at
                .map(|e| render::when(&e))
                .unwrap_or_else(|| "never".into()),
        })
        .collect();
    let audit = st
        .store
        .audit_recent(&AuditFilter {
            actor: non_empty(&q.actor),
            action: non_empty(&q.action),
            outcome: non_empty(&q.outcome),
            limit: 200,
        })
        .await?
        .into_iter()
        .map(|r| AuditView {
            seq: r.seq,
            at: render::when(&r.at),
            actor: r.entry.actor,
            action: r.entry.action,
            target: r.entry.target,
            outcome: r.entry.outcome,
            remote: r.entry.remote,
            detail: r.entry.detail,
        })
        .collect();
    Ok(html(&AdminPage {
        chrome: Chrome::of(caller, "admin"),
        users,
        tokens,
        audit,
        actor: q.actor.unwrap_or_default(),
        action: q.action.unwrap_or_default(),
        outcome: q.outcome.unwrap_or_default(),
        secret,
        message,
    }))
}

pub async fn admin(
    State(st): State<AppState>,
    caller: Caller,
    q: Result<ApiQuery<AdminQuery>, ApiError>,
) -> PageResult<Response> {
    admin_page(&st, &caller, q?.0, None, None).await
}

#[derive(Deserialize)]
pub struct UserForm {
    name: String,
    role: String,
    password: Option<String>,
}

pub async fn put_user(
    State(st): State<AppState>,
    caller: Caller,
    f: Result<Form<UserForm>, FormRejection>,
) -> PageResult<Response> {
    let f = form(f)?;
    let name = f.name.trim().to_string();
    let bad = |m: String| Err(PageError(ApiError::new(Kind::BadRequest, m)));
    if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_whitespace) {
        return bad("a user name is 1 to 64 characters without spaces".into());
    }
    if Role::parse(&f.role).is_none() {
        return bad(format!(
            "“{}” is not a role: use viewer, editor or admin",
            f.role
        ));
    }
    let existing = st.store.user(&name).await?;
    let password = f.password.unwrap_or_default();
    let hash = match (&existing, password.is_empty()) {
        (Some(u), true) => u.password_hash.clone(),
        (None, true) => return bad("a new user needs a password (at least 12 characters)".into()),
        (_, false) if password.chars().count() < 12 => {
            return bad("a password has at least 12 characters".into());
        }
        (_, false) => st
            .cpu
            .run(move || auth::hash_password(&password))
            .await?
            .map_err(|e| PageError(ApiError::new(Kind::Internal, e)))?,
    };
    st.store
        .put_user(&debrief_store::User {
            name: name.clone(),
            role: f.role.clone(),
            password_hash: hash,
            created_at: existing.map_or_else(debrief_store::now, |u| u.created_at),
        })
        .await?;
    handlers::audit(
        &st,
        &caller,
        "user.put",
        &name,
        "ok",
        format!("role {}", f.role),
    )
    .await;
    Ok(Redirect::to("/admin#users").into_response())
}

#[derive(Deserialize)]
pub struct TokenForm {
    user: String,
    label: String,
    days: Option<u64>,
}

pub async fn create_token(
    State(st): State<AppState>,
    caller: Caller,
    f: Result<Form<TokenForm>, FormRejection>,
) -> PageResult<Response> {
    let f = form(f)?;
    if st.store.user(f.user.trim()).await?.is_none() {
        return Err(PageError(ApiError::new(
            Kind::BadRequest,
            format!("there is no user “{}”", f.user.trim()),
        )));
    }
    let days = f.days.unwrap_or(90);
    if !(1..=3650).contains(&days) {
        return Err(PageError(ApiError::new(
            Kind::BadRequest,
            "a token lasts 1 to 3,650 days",
        )));
    }
    let label: String = f.label.trim().chars().take(64).collect();
    let (secret, hash) = auth::new_token();
    st.store
        .add_token(
            &hash,
            f.user.trim(),
            if label.is_empty() { "api" } else { &label },
            Some(debrief_store::hours_from_now(days * 24)),
        )
        .await?;
    handlers::audit(&st, &caller, "token.create", f.user.trim(), "ok", label).await;
    admin_page(
        &st,
        &caller,
        AdminQuery::default(),
        Some(secret),
        Some("Copy the token now: it is shown only once.".into()),
    )
    .await
}

#[derive(Deserialize)]
pub struct RevokeForm {
    id: String,
}

pub async fn revoke_token(
    State(st): State<AppState>,
    caller: Caller,
    f: Result<Form<RevokeForm>, FormRejection>,
) -> PageResult<Response> {
    let f = form(f)?;
    let done = st.store.revoke_token(&f.id).await?;
    handlers::audit(
        &st,
        &caller,
        "token.revoke",
        &f.id.chars().take(12).collect::<String>(),
        if done { "ok" } else { "failed" },
        String::new(),
    )
    .await;
    Ok(Redirect::to("/admin#tokens").into_response())
}
