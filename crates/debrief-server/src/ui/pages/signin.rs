//! Signing in (a session cookie) and out (the session revoked).

use super::*;

#[derive(Template)]
#[template(path = "signin.html")]
struct SignInPage {
    chrome: Chrome,
    next: String,
    name: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn sign_in_form(
    caller: Caller,
    q: Result<ApiQuery<NextQuery>, ApiError>,
) -> PageResult<Response> {
    let next = local(q?.0.next.as_deref(), "/".into());
    if caller.subject.role().is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    Ok(html(&SignInPage {
        chrome: Chrome::nobody(),
        next,
        name: String::new(),
        error: None,
    }))
}

#[derive(Deserialize)]
pub struct SignInForm {
    name: String,
    password: String,
    next: Option<String>,
}

pub async fn sign_in(
    State(st): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    f: Result<Form<SignInForm>, FormRejection>,
) -> PageResult<Response> {
    let f = form(f)?;
    let next = local(f.next.as_deref(), "/".into());
    match handlers::sign_in(
        &st,
        &caller,
        &f.name,
        f.password,
        crate::auth::BROWSER_SESSION,
    )
    .await
    {
        Ok((secret, _)) => {
            let secure = session::over_https(&headers, st.limits.behind_proxy);
            let mut r = Redirect::to(&next).into_response();
            r.headers_mut()
                .append(header::SET_COOKIE, session::set_cookie(&secret, secure));
            Ok(r)
        }
        Err(e) if e.kind == Kind::Unauthenticated || e.kind == Kind::TooManyRequests => {
            let mut r = html(&SignInPage {
                chrome: Chrome::nobody(),
                next,
                name: f.name,
                error: Some(e.detail.clone()),
            });
            *r.status_mut() = e.status();
            crate::pipeline::retry_after(&mut r, e.retry_after);
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn sign_out(State(st): State<AppState>, caller: Caller) -> PageResult<Response> {
    if let Some(s) = &caller.session {
        st.store.revoke_token(&s.token_hash).await?;
        handlers::audit(
            &st,
            &caller,
            "logout",
            caller.subject.name(),
            "ok",
            String::new(),
        )
        .await;
    }
    let mut r = Redirect::to("/signin").into_response();
    for c in session::clear_cookies() {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(r)
}
