//! The web pages: server-rendered HTML (askama templates in `templates/`), readable and usable
//! without JavaScript; htmx (vendored, `static/htmx.min.js`) and a small `static/app.js` only
//! enhance them (the editor's live review, drafts kept in local storage, file upload).
//!
//! Every page is a route of [`PAGES`], served by the same router and the same layers as the
//! API ([`crate::pipeline`]): sessions are tokens, forms carry the session's CSRF token, and the
//! pages' own Content-Security-Policy ([`PAGE_CSP`]) allows scripts, styles and requests from
//! this server only: no inline script or style anywhere.
//!
//! Pages call the same store, review and audit functions as the API handlers; they hold no
//! rules of their own.

mod pages;
mod render;
pub mod session;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodFilter, MethodRouter, on};

use crate::AppState;
use crate::auth::Role;
use crate::error::{ApiError, Kind};
use crate::pipeline::Caller;
use crate::routes::Access;

/// Pages may load scripts, styles, images and make requests to this server only; nothing
/// inline, no frames, forms post here only.
pub const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// What a page route shows or does; [`handler`] gives each its function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    SignInForm,
    SignIn,
    SignOut,
    List,
    Show,
    Edit,
    Save,
    Revisions,
    ExportMarkdown,
    ExportJson,
    ToggleAction,
    SetAccess,
    New,
    Create,
    ImportForm,
    ImportPreview,
    Review,
    Board,
    Insights,
    Admin,
    PutUser,
    CreateToken,
    RevokeToken,
    Asset,
}

/// One page route.
pub struct PageRoute {
    pub method: &'static str,
    pub path: &'static str,
    pub view: View,
    pub access: Access,
    pub summary: &'static str,
}

const fn p(
    method: &'static str,
    path: &'static str,
    view: View,
    access: Access,
    summary: &'static str,
) -> PageRoute {
    PageRoute {
        method,
        path,
        view,
        access,
        summary,
    }
}

use Access::{Admin, Editor, Public, Viewer};

/// Every page of the web UI.
pub const PAGES: &[PageRoute] = &[
    p("GET", "/signin", View::SignInForm, Public, "Sign-in form"),
    p(
        "POST",
        "/signin",
        View::SignIn,
        Public,
        "Sign in: a session cookie",
    ),
    p(
        "POST",
        "/signout",
        View::SignOut,
        Viewer,
        "Sign out: the session ends",
    ),
    p(
        "GET",
        "/",
        View::List,
        Viewer,
        "Postmortems: search, filters, pages",
    ),
    p("GET", "/p/{id}", View::Show, Viewer, "One postmortem"),
    p("GET", "/p/{id}/edit", View::Edit, Editor, "The editor"),
    p(
        "POST",
        "/p/{id}/edit",
        View::Save,
        Editor,
        "Save a revision, or review without saving",
    ),
    p(
        "GET",
        "/p/{id}/revisions",
        View::Revisions,
        Viewer,
        "Revisions and their differences",
    ),
    p(
        "GET",
        "/p/{id}/export.md",
        View::ExportMarkdown,
        Viewer,
        "Canonical Markdown",
    ),
    p(
        "GET",
        "/p/{id}/export.json",
        View::ExportJson,
        Viewer,
        "The JSON record",
    ),
    p(
        "POST",
        "/p/{id}/actions/{index}",
        View::ToggleAction,
        Editor,
        "Mark an action item done or open",
    ),
    p(
        "POST",
        "/p/{id}/access",
        View::SetAccess,
        Admin,
        "Restrict a postmortem to its members",
    ),
    p(
        "GET",
        "/new",
        View::New,
        Editor,
        "A new postmortem from a template",
    ),
    p("POST", "/new", View::Create, Editor, "Create a postmortem"),
    p(
        "GET",
        "/import",
        View::ImportForm,
        Editor,
        "Import: paste or upload a document",
    ),
    p(
        "POST",
        "/import",
        View::ImportPreview,
        Editor,
        "Import: the structured result before saving",
    ),
    p(
        "POST",
        "/ui/review",
        View::Review,
        Viewer,
        "Live review of the editor's text (a fragment)",
    ),
    p(
        "GET",
        "/actions",
        View::Board,
        Viewer,
        "Action items across postmortems",
    ),
    p(
        "GET",
        "/insights",
        View::Insights,
        Viewer,
        "Incidents and response times over time",
    ),
    p(
        "GET",
        "/admin",
        View::Admin,
        Admin,
        "Users, tokens and the audit trail",
    ),
    p(
        "POST",
        "/admin/users",
        View::PutUser,
        Admin,
        "Create a user or change a role",
    ),
    p(
        "POST",
        "/admin/tokens",
        View::CreateToken,
        Admin,
        "Create an API token",
    ),
    p(
        "POST",
        "/admin/tokens/revoke",
        View::RevokeToken,
        Admin,
        "Revoke one token",
    ),
    p(
        "GET",
        "/static/{file}",
        View::Asset,
        Public,
        "Stylesheet and scripts",
    ),
];

fn handler(view: View, f: MethodFilter) -> MethodRouter<AppState> {
    match view {
        View::SignInForm => on(f, pages::sign_in_form),
        View::SignIn => on(f, pages::sign_in),
        View::SignOut => on(f, pages::sign_out),
        View::List => on(f, pages::list),
        View::Show => on(f, pages::show),
        View::Edit => on(f, pages::edit),
        View::Save => on(f, pages::save),
        View::Revisions => on(f, pages::revisions),
        View::ExportMarkdown => on(f, pages::export_markdown),
        View::ExportJson => on(f, pages::export_json),
        View::ToggleAction => on(f, pages::toggle_action),
        View::SetAccess => on(f, pages::set_access),
        View::New => on(f, pages::new),
        View::Create => on(f, pages::create),
        View::ImportForm => on(f, pages::import_form),
        View::ImportPreview => on(f, pages::import_preview),
        View::Review => on(f, pages::review),
        View::Board => on(f, pages::board),
        View::Insights => on(f, pages::insights),
        View::Admin => on(f, pages::admin),
        View::PutUser => on(f, pages::put_user),
        View::CreateToken => on(f, pages::create_token),
        View::RevokeToken => on(f, pages::revoke_token),
        View::Asset => on(f, asset),
    }
}

/// The pages' routes, each behind its access check; the caller merges them into the API's
/// router, so both share every layer.
pub(crate) fn router(state: &AppState) -> Router<AppState> {
    let router = crate::pipeline::by_path(PAGES.iter().map(|page| {
        let f = if page.method == "POST" {
            MethodFilter::POST
        } else {
            MethodFilter::GET
        };
        let m = handler(page.view, f).route_layer(from_fn_with_state((state.clone(), page), gate));
        (page.path, m)
    }));
    router.layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PAGE_CSP),
    ))
}

/// A page's access level: a visitor who is not signed in is sent to the sign-in page (and
/// back afterwards); a signed-in user without the role gets a page saying so.
async fn gate(
    State((st, page)): State<(AppState, &'static PageRoute)>,
    req: Request,
    next: Next,
) -> Response {
    let Some(caller) = req.extensions().get::<Caller>().cloned() else {
        return PageError(ApiError::new(
            Kind::Internal,
            "the request was not authenticated",
        ))
        .into_response();
    };
    let need = match page.access {
        Access::Public => return next.run(req).await,
        Access::Viewer => Role::Viewer,
        Access::Editor => Role::Editor,
        Access::Admin => Role::Admin,
    };
    match caller.subject.role() {
        None => {
            if page.method != "GET" {
                return PageError(ApiError::new(
                    Kind::Unauthenticated,
                    "your session has ended; sign in again (your text is kept in this browser)",
                ))
                .into_response();
            }
            let here = req
                .uri()
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_string();
            Redirect::to(&format!("/signin?next={}", pages::url_encode(&here))).into_response()
        }
        Some(r) if r >= need => next.run(req).await,
        Some(_) => {
            crate::pipeline::audit_denied(&st, &caller, page.method, page.path, "role").await;
            PageError(ApiError::new(
                Kind::Forbidden,
                format!(
                    "this page needs the {} role; ask an administrator",
                    format!("{:?}", page.access).to_lowercase()
                ),
            ))
            .into_response()
        }
    }
}

/// An error as a page: what went wrong and what to do, with the status of the API's problem.
pub struct PageError(pub ApiError);

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> PageError {
        PageError(e)
    }
}

impl From<debrief_store::StoreError> for PageError {
    fn from(e: debrief_store::StoreError) -> PageError {
        PageError(ApiError::from(e))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let problem = self.0.problem();
        let mut r = pages::error_page(problem.status, &problem.title, &problem.detail);
        crate::pipeline::retry_after(&mut r, self.0.retry_after);
        r
    }
}

pub type PageResult<T> = Result<T, PageError>;

/// The vendored and our own static files, compiled into the binary.
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "htmx.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/htmx.min.js"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/app.js"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../../static/app.css"),
    ),
];

async fn asset(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.0 == file) {
        Some((_, mime, bytes)) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=3600"),
                ),
            ],
            *bytes,
        )
            .into_response(),
        None => PageError(ApiError::new(Kind::NotFound, "no such file")).into_response(),
    }
}

/// The size of a static file, for the page-weight check.
pub fn asset_size(name: &str) -> Option<usize> {
    ASSETS.iter().find(|a| a.0 == name).map(|a| a.2.len())
}

/// The list page's rows (and count) under the library generation, viewer and query they were
/// read for: `Store::generation` changes with anything that could change them.
pub(crate) type ListCache =
    quick_cache::sync::Cache<(i64, String, pages::ListQuery), std::sync::Arc<pages::Listed>>;

/// Computed insights and the time shown on the page for them.
pub(crate) type Insights = (std::sync::Arc<pages::InsightsData>, String);

/// The postmortem page's view of stored revisions: a revision never changes, so what the page
/// shows of it (sanitized Markdown, metrics, chart, findings) is computed once a day ("overdue"
/// depends on the date) and shared; the least used are forgotten past [`ShownCache::MAX`].
pub(crate) struct ShownCache {
    entries: quick_cache::sync::Cache<(String, i64, String), Arc<pages::Shown>>,
}

use std::sync::Arc;

impl Default for ShownCache {
    fn default() -> Self {
        ShownCache {
            entries: quick_cache::sync::Cache::new(Self::MAX),
        }
    }
}

impl ShownCache {
    const MAX: usize = 2048;

    pub(crate) fn get(&self, id: &str, revision: i64, today: &str) -> Option<Arc<pages::Shown>> {
        self.entries
            .get(&(id.to_string(), revision, today.to_string()))
    }

    pub(crate) fn put(&self, id: &str, revision: i64, today: &str, shown: Arc<pages::Shown>) {
        self.entries
            .insert((id.to_string(), revision, today.to_string()), shown);
    }
}
