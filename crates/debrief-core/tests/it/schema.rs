//! The committed JSON Schema (`schema/postmortem.schema.json`) is what the code generates.
//! Regenerate it with `cargo run -p debrief -- schema > schema/postmortem.schema.json`.

use std::path::Path;

use debrief_core::export::json_schema;

#[test]
fn committed_schema_matches_the_code() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/postmortem.schema.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == json_schema(),
        "{} is out of date with the record types; regenerate it with `cargo run -p debrief -- schema > schema/postmortem.schema.json` and commit it",
        path.display()
    );
}

#[test]
fn schema_lists_every_record_field() {
    let schema: serde_json::Value = serde_json::from_str(&json_schema()).unwrap();
    let props = schema["properties"].as_object().unwrap();
    let record = serde_json::to_value(debrief_core::Postmortem::default()).unwrap();
    for key in record.as_object().unwrap().keys() {
        assert!(
            props.contains_key(key),
            "field `{key}` is missing from the schema"
        );
    }
    assert_eq!(schema["properties"]["schema_version"]["type"], "integer");
}
