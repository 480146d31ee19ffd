//! The whole route table, in one place. The router, the OpenAPI document and the authorisation
//! tests are all built from [`ROUTES`], so a route cannot exist in one and be missing from the
//! others.

/// Who may call a route (restricted postmortems are checked on top, per postmortem).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    Public,
    Viewer,
    Editor,
    Admin,
}

/// What a route does; `handlers::method_router` gives each its typed handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Health,
    Metrics,
    OpenApi,
    Login,
    List,
    Create,
    Get,
    Update,
    Delete,
    Revisions,
    Revision,
    Diff,
    AddTimeline,
    EditTimeline,
    AddAction,
    EditAction,
    Actions,
    Search,
    Facets,
    Lint,
    Findings,
    PostmortemMetrics,
    Stats,
    GetAccess,
    SetAccess,
    AlertmanagerHook,
    EventHook,
}

/// The body a route takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    None,
    /// A postmortem: the JSON record, or Markdown/plain text through the importer.
    Document,
    /// A JSON object of the named schema.
    Json(&'static str),
}

/// A query parameter: name, JSON type, description.
pub type Param = (&'static str, &'static str, &'static str);

pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub op: Op,
    pub access: Access,
    pub summary: &'static str,
    pub body: Body,
    /// Success status and the schema of its body (`None`: no body; `"text"`: plain text).
    pub ok: (u16, Option<&'static str>),
    pub query: &'static [Param],
    /// Needs `If-Match` with the revision it starts from.
    pub conditional: bool,
}

const FILTERS: &[Param] = &[
    ("status", "string", "Only this status"),
    ("severity", "string", "Only this severity (SEV1 = sev-1)"),
    ("service", "string", "Only postmortems naming this service"),
    ("tag", "string", "Only postmortems with this tag"),
    (
        "from",
        "string",
        "Incidents on or after this date (YYYY-MM-DD)",
    ),
    (
        "to",
        "string",
        "Incidents on or before this date (YYYY-MM-DD)",
    ),
    (
        "limit",
        "integer",
        "At most this many (1 to 500, default 50)",
    ),
    ("offset", "integer", "Skip this many (0 to 1,000,000)"),
];

/// `words` and then the first `N - 1` of [`FILTERS`]: a search's parameters (all of them), or
/// the facets' (the filters without the page).
const fn with_words<const N: usize>(words: Param) -> [Param; N] {
    let mut out = [words; N];
    let mut i = 1;
    while i < N {
        out[i] = FILTERS[i - 1];
        i += 1;
    }
    out
}

const SEARCH_QUERY: [Param; 9] = with_words((
    "q",
    "string",
    "The words to find; \"quoted phrases\" allowed",
));

const FACETS_QUERY: [Param; 7] = with_words((
    "q",
    "string",
    "The words to find, as for /api/v1/search; without them (or empty), the list's",
));

const fn r(
    method: &'static str,
    path: &'static str,
    op: Op,
    access: Access,
    summary: &'static str,
) -> Route {
    Route {
        method,
        path,
        op,
        access,
        summary,
        body: Body::None,
        ok: (200, None),
        query: &[],
        conditional: false,
    }
}

const fn with(
    mut route: Route,
    body: Body,
    ok: (u16, Option<&'static str>),
    query: &'static [Param],
    conditional: bool,
) -> Route {
    route.body = body;
    route.ok = ok;
    route.query = query;
    route.conditional = conditional;
    route
}

use Access::*;

pub const ROUTES: &[Route] = &[
    with(
        r(
            "GET",
            "/healthz",
            Op::Health,
            Public,
            "Database reachable, and the age of the last verified backup",
        ),
        Body::None,
        (200, Some("Health")),
        &[],
        false,
    ),
    with(
        r("GET", "/metrics", Op::Metrics, Admin, "Prometheus metrics"),
        Body::None,
        (200, Some("text")),
        &[],
        false,
    ),
    with(
        r(
            "GET",
            "/api/openapi.json",
            Op::OpenApi,
            Public,
            "This OpenAPI document",
        ),
        Body::None,
        (200, Some("object")),
        &[],
        false,
    ),
    with(
        r(
            "POST",
            "/api/v1/sessions",
            Op::Login,
            Public,
            "Log in with a name and password; returns a bearer token",
        ),
        Body::Json("Login"),
        (201, Some("Session")),
        &[],
        false,
    ),
    with(
        r(
            "GET",
            "/api/v1/postmortems",
            Op::List,
            Viewer,
            "List postmortems, newest incident first",
        ),
        Body::None,
        (200, Some("Page")),
        FILTERS,
        false,
    ),
    with(
        r(
            "POST",
            "/api/v1/postmortems",
            Op::Create,
            Editor,
            "Create a postmortem from its JSON record or from a Markdown or text document",
        ),
        Body::Document,
        (201, Some("Saved")),
        &[],
        false,
    ),
    with(
        r(
            "GET",
            "/api/v1/postmortems/{id}",
            Op::Get,
            Viewer,
            "One postmortem (its ETag is its revision)",
        ),
        Body::None,
        (200, Some("PostmortemResource")),
        &[],
        false,
    ),
    with(
        r(
            "PUT",
            "/api/v1/postmortems/{id}",
            Op::Update,
            Editor,
            "Replace a postmortem with a new revision (If-Match required)",
        ),
        Body::Document,
        (200, Some("Saved")),
        &[],
        true,
    ),
    with(
        r(
            "DELETE",
            "/api/v1/postmortems/{id}",
            Op::Delete,
            Editor,
            "Delete a postmortem (a tombstone: its revisions are kept)",
        ),
        Body::None,
        (204, None),
        &[],
        false,
    ),
    with(
        r(
            "GET",
            "/api/v1/postmortems/{id}/revisions",
            Op::Revisions,
            Viewer,
            "A postmortem's revisions, newest first, a page at a time",
        ),
        Body::None,
        (200, Some("RevisionList")),
        &[
            (
                "limit",
                "integer",
                "Revisions per page, 1 to 500 (default 100)",
            ),
            (
                "cursor",
                "integer",
                "Where the page starts: the `next_cursor` of the page before (a revision number)",
            ),
        ],
        false,
    ),
    with(
        r(
            "GET",
            "/api/v1/postmortems/{id}/revisions/{number}",
            Op::Revision,
            Viewer,
            "One revision with its content",
        ),
        Body::None,
        (200, Some("RevisionContent")),
        &[],
        false,
    ),
    with(
        r(
            "GET",
            "/api/v1/postmortems/{id}/diff",
            Op::Diff,
            Viewer,
            "Line differences between two revisions",
        ),
        Body::None,
        (200, Some("Diff")),
        &[
            ("from", "integer", "The older revision"),
            ("to", "integer", "The newer revision"),
        ],
        false,
    ),
    with(
        r(
            "POST",
            "/api/v1/postmortems/{id}/timeline",
            Op::AddTimeline,
            Editor,
            "Add a timeline entry (If-Match required)",
        ),
        Body::Json("TimelineInput"),
        (200, Some("Saved")),
        &[],
        true,
    ),
    with(
        r(
            "PATCH",
            "/api/v1/postmortems/{id}/timeline/{index}",
            Op::EditTimeline,
            Editor,
            "Edit a timeline entry (If-Match required)",
        ),
        Body::Json("TimelinePatch"),
        (200, Some("Saved")),
        &[],
        true,
    ),
    with(
        r(
            "POST",
            "/api/v1/postmortems/{id}/actions",
            Op::AddAction,
            Editor,
            "Add an action item (If-Match required)",
        ),
        Body::Json("ActionInput"),
        (200, Some("Saved")),
        &[],
        true,
    ),
    with(
        r(
            "PATCH",
            "/api/v1/postmortems/{id}/actions/{index}",
            Op::EditAction,
            Editor,
            "Edit or close an action item (If-Match required)",
        ),
        Body::Json("ActionPatch"),
        (200, Some("Saved")),
        &[],
        true,
    ),
    with(
        r(
            "GET",
            "/api/v1/postmortems/{id}/findings",
            Op::Findings,
            Viewer,
            "Review findings for a postmortem",
        ),
        Body::None,
        (200, Some("FindingList")),
        &[],
        false,
    ),
    with(
        r(
            "GET",
            "/api/v1/postmortems/{id}/metrics",
            Op::PostmortemMetrics,
            Viewer,
            "Response instants and durations of a postmortem",
        ),
        Body::None,
        (200, Some("Report")),
        &[],
        false,
    ),
    with(
        r(
            "GET",
            "/api/v1/postmortems/{id}/access",
            Op::GetAccess,
            Admin,
            "Whether a postmortem is restricted, and to whom",
        ),
        Body::None,
        (200, Some("AccessRule")),
        &[],
        false,
    ),
    with(
        r(
            "PUT",
            "/api/v1/postmortems/{id}/access",
            Op::SetAccess,
            Admin,
            "Restrict a postmortem to named members (and admins), or open it",
        ),
        Body::Json("AccessRule"),
        (200, Some("AccessRule")),
        &[],
        false,
    ),
    with(
        r(
            "POST",
            "/api/v1/hooks/alertmanager/{hook}",
            Op::AlertmanagerHook,
            Public,
            "Alertmanager webhook (version 4): opens or joins the alert group's draft and adds an entry per alert firing or resolved; authenticated by the hook's secret (Authorization: Bearer dbh_...), not a user token",
        ),
        Body::Json("AlertmanagerPayload"),
        (200, Some("Delivery")),
        &[],
        false,
    ),
    with(
        r(
            "POST",
            "/api/v1/hooks/events/{hook}",
            Op::EventHook,
            Public,
            "An event (deploy, feature flag, config change, status-page update, note) into a postmortem's timeline, by its id or by the open draft of a service; authenticated by the hook's secret",
        ),
        Body::Json("EventInput"),
        (200, Some("Delivery")),
        &[],
        false,
    ),
    with(
        r(
            "GET",
            "/api/v1/actions",
            Op::Actions,
            Viewer,
            "Action items across postmortems, a page at a time",
        ),
        Body::None,
        (200, Some("ActionList")),
        &[
            ("open", "boolean", "Only open and in-progress items"),
            ("overdue", "boolean", "Only open items past their due date"),
            ("owner", "string", "Only this owner"),
            ("service", "string", "Only postmortems naming this service"),
            (
                "sort",
                "string",
                "due (soonest first, undated last; the default), owner or postmortem (its title)",
            ),
            ("limit", "integer", "Items per page, 1 to 500 (default 100)"),
            (
                "cursor",
                "string",
                "Where the page starts: the `next_cursor` of the page before, with the same filters and sort",
            ),
        ],
        false,
    ),
    with(
        r(
            "GET",
            "/api/v1/search",
            Op::Search,
            Viewer,
            "Full-text search, best match first",
        ),
        Body::None,
        (200, Some("SearchResults")),
        &SEARCH_QUERY,
        false,
    ),
    with(
        r(
            "GET",
            "/api/v1/facets",
            Op::Facets,
            Viewer,
            "How the postmortems a list or search finds spread over severities, services and years (the 1,000 most recently added of them at most)",
        ),
        Body::None,
        (200, Some("Facets")),
        &FACETS_QUERY,
        false,
    ),
    with(
        r(
            "POST",
            "/api/v1/lint",
            Op::Lint,
            Viewer,
            "Review a document without storing it",
        ),
        Body::Document,
        (200, Some("FindingList")),
        &[],
        false,
    ),
    with(
        r(
            "GET",
            "/api/v1/stats",
            Op::Stats,
            Viewer,
            "Response statistics: n, median, p90 and max of each duration (computed at most every 30 seconds per viewer and grouping)",
        ),
        Body::None,
        (200, Some("StatsGroups")),
        &[("by", "string", "Group by service, severity or month")],
        false,
    ),
];

/// Path parameter names of a route path.
pub fn path_params(path: &str) -> Vec<&str> {
    path.split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .collect()
}
