//! The OpenAPI 3.1 document, generated from the route table and the API types' JSON Schemas.
//! The committed `schema/openapi.json` must equal it (a test checks), and every route in the
//! router is in it by construction.

use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};

use crate::api;
use crate::error::{KINDS, Problem};
use crate::routes::{Access, Body, ROUTES, path_params};

fn components() -> Map<String, Value> {
    let mut g = SchemaSettings::draft2020_12()
        .with(|s| s.definitions_path = "/components/schemas".into())
        .into_generator();
    macro_rules! add {
        ($($t:ty),*) => {{
            let mut named = Map::new();
            $(
                let schema = g.subschema_for::<$t>();
                named.insert(stringify!($t).rsplit("::").next().unwrap_or_default().to_string(), schema.to_value());
            )*
            named
        }};
    }
    let named = add!(
        api::Health,
        api::Login,
        api::Session,
        api::Page,
        api::PostmortemResource,
        api::Saved,
        api::RevisionList,
        api::RevisionContent,
        api::Diff,
        api::TimelineInput,
        api::TimelinePatch,
        api::ActionInput,
        api::ActionPatch,
        api::ActionList,
        api::SearchResults,
        debrief_store::Facets,
        api::AccessRule,
        api::FindingList,
        debrief_core::metrics::Report,
        api::StatsGroups,
        api::AlertmanagerPayload,
        api::EventInput,
        api::Delivery,
        Problem,
        debrief_core::Postmortem
    );
    let mut defs = g.take_definitions(true);
    // Types referenced directly are defined directly.
    for (name, schema) in named {
        if !defs.contains_key(&name) {
            defs.insert(name, schema);
        }
    }
    defs
}

fn schema_ref(name: &str) -> Value {
    match name {
        "text" => json!({"type": "string"}),
        "object" => json!({"type": "object"}),
        n => json!({"$ref": format!("#/components/schemas/{n}")}),
    }
}

fn problem(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/problem+json": {"schema": schema_ref("Problem")}}
    })
}

/// What a query parameter accepts, exactly as the handlers check it.
fn query_schema(path: &str, name: &str, ty: &str) -> Value {
    match (name, ty) {
        ("from" | "to", "string") => json!({"type": "string", "format": "date"}),
        ("from" | "to", "integer") => {
            json!({"type": "integer", "minimum": 1, "maximum": 9_007_199_254_740_991_i64})
        }
        ("limit", _) => json!({"type": "integer", "minimum": 1, "maximum": 500}),
        ("offset", _) => {
            json!({"type": "integer", "minimum": 0, "maximum": crate::handlers::MAX_OFFSET})
        }
        ("by", _) => json!({"type": "string", "enum": ["service", "severity", "month"]}),
        ("cursor", "integer") => {
            json!({"type": "integer", "minimum": 2, "maximum": 9_007_199_254_740_991_i64})
        }
        // A token the server gave (base64url).
        ("cursor", _) => json!({"type": "string", "minLength": 1, "pattern": "^[A-Za-z0-9_-]+$"}),
        ("sort", _) if path.ends_with("/actions") => {
            json!({"type": "string", "enum": debrief_store::ActionOrder::NAMES})
        }
        // A search needs a word: a letter or a digit.
        ("q", _) if path.ends_with("/search") => {
            json!({"type": "string", "minLength": 1, "pattern": "[^\\W_]"})
        }
        _ => json!({"type": ty}),
    }
}

/// The document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for r in ROUTES {
        let mut op = Map::new();
        op.insert(
            "operationId".into(),
            json!(format!("{:?}", r.op).to_lowercase()),
        );
        op.insert("summary".into(), json!(r.summary));
        let mut params: Vec<Value> = path_params(r.path)
            .into_iter()
            .map(|p| json!({"name": p, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        params.extend(r.query.iter().map(|(name, ty, desc)| {
            json!({"name": name, "in": "query", "required": r.path.ends_with("/search") && *name == "q" || r.path.ends_with("/diff"), "description": desc, "schema": query_schema(r.path, name, ty)})
        }));
        if r.conditional {
            params.push(json!({"name": "If-Match", "in": "header", "required": true, "description": "The revision (ETag) the change starts from, such as \"3\"; `*` for whichever is current. A tag that names no revision matches none (412).", "schema": {"type": "string", "pattern": "^(\\*|(W/)?\"[1-9][0-9]{0,15}\"|[1-9][0-9]{0,15})$"}}));
        }
        if r.op == crate::routes::Op::Create {
            params.push(json!({"name": "Idempotency-Key", "in": "header", "required": false, "description": "A key of your choosing (a UUID): a retry with the same key and document is answered with the first response (header Idempotent-Replayed: true) instead of creating a second postmortem; the same key with another document is a 422.", "schema": {"type": "string", "minLength": 1, "maxLength": crate::extract::MAX_IDEMPOTENCY_KEY, "pattern": "^[!-~]+$"}}));
        }
        if !params.is_empty() {
            op.insert("parameters".into(), Value::Array(params));
        }
        match r.body {
            Body::None => {}
            Body::Json(name) => {
                op.insert("requestBody".into(), json!({"required": true, "content": {"application/json": {"schema": schema_ref(name)}}}));
            }
            Body::Document => {
                op.insert(
                    "requestBody".into(),
                    json!({"required": true, "content": {
                        "application/json": {"schema": schema_ref("Postmortem")},
                        "text/markdown": {"schema": {"type": "string"}},
                        "text/plain": {"schema": {"type": "string"}}
                    }}),
                );
            }
        }
        let mut responses = Map::new();
        let ok = match r.ok.1 {
            None => json!({"description": "Done"}),
            Some("text") => {
                json!({"description": "OK", "content": {"text/plain": {"schema": {"type": "string"}}}})
            }
            Some(name) => {
                json!({"description": "OK", "content": {"application/json": {"schema": schema_ref(name)}}})
            }
        };
        let mut ok = ok;
        // Links from a created postmortem to every operation on it, for clients and for
        // stateful API testing.
        if r.op == crate::routes::Op::Create {
            let links: Map<String, Value> = ROUTES
                .iter()
                .filter(|o| o.path == "/api/v1/postmortems/{id}" || (o.path.starts_with("/api/v1/postmortems/{id}/") && !o.path.contains("{index}") && !o.path.contains("{number}")))
                .map(|o| {
                    (
                        format!("{:?}", o.op),
                        json!({"operationId": format!("{:?}", o.op).to_lowercase(), "parameters": {"id": "$response.body#/id"}}),
                    )
                })
                .collect();
            ok["links"] = Value::Object(links);
        }
        responses.insert(r.ok.0.to_string(), ok);
        // Every error a request can meet is a problem document; kinds sharing a status share
        // its description.
        let mut errors: std::collections::BTreeMap<u16, Vec<&str>> = Default::default();
        for (_, status, slug, title) in KINDS {
            let applies = match (*status, *slug) {
                (401 | 403, _) => r.access != Access::Public || *slug == "unauthenticated",
                (412 | 428, _) => r.conditional,
                (422, "invalid-query") => {
                    matches!(r.op, crate::routes::Op::Search | crate::routes::Op::Facets)
                }
                (413 | 415 | 422, _) => r.body != Body::None || *status == 422,
                _ => true,
            };
            if applies {
                errors.entry(*status).or_default().push(title);
            }
        }
        for (status, titles) in errors {
            responses.insert(status.to_string(), problem(&titles.join("; or: ")));
        }
        op.insert("responses".into(), Value::Object(responses));
        op.insert(
            "security".into(),
            if r.access == Access::Public {
                json!([])
            } else {
                json!([{"bearer": []}])
            },
        );
        let entry = paths
            .entry(r.path.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(m) = entry {
            m.insert(r.method.to_lowercase(), Value::Object(op));
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Debrief",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Blameless postmortems you can search, measure and follow up. Errors are application/problem+json (RFC 9457). Updates send If-Match with the revision they start from. Restricted postmortems answer 404 to everyone but their members and admins."
        },
        "paths": paths,
        "components": {
            "schemas": components(),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}
        }
    })
}

/// The document as committed: pretty JSON with a final newline.
pub fn pretty() -> String {
    let mut s = serde_json::to_string_pretty(&document()).unwrap_or_default();
    s.push('\n');
    s
}
