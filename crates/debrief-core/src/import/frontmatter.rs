//! YAML front matter: `---` ... `---` at the top of a document.

use serde_json::{Map, Value};

use crate::model::Note;

/// The front matter, if the document starts with one, and where the body begins.
pub struct Split<'a> {
    pub yaml: Option<&'a str>,
    /// Byte offset of the body.
    pub body_offset: usize,
    /// 1-based line number of the body's first line.
    pub body_line: usize,
}

pub fn split(text: &str) -> Split<'_> {
    let none = Split {
        yaml: None,
        body_offset: 0,
        body_line: 1,
    };
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return none;
    }
    let mut offset = first_end + 1;
    let mut line = 2;
    while offset <= text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |e| offset + e);
        let l = text[offset..end].trim_end();
        if l == "---" || l == "..." {
            let body_offset = (end + 1).min(text.len());
            return Split {
                yaml: Some(&text[first_end + 1..offset]),
                body_offset,
                body_line: line + 1,
            };
        }
        if end >= text.len() {
            break;
        }
        offset = end + 1;
        line += 1;
    }
    none
}

/// Parses the YAML into a JSON object. Invalid YAML gives a note and `None`; the caller keeps the
/// text so nothing is lost.
pub fn parse(yaml: &str, notes: &mut Vec<Note>) -> Option<Map<String, Value>> {
    if yaml.trim().is_empty() {
        return Some(Map::new());
    }
    match serde_saphyr::from_str::<Value>(yaml) {
        Ok(Value::Object(map)) => Some(map),
        Ok(Value::Null) => Some(Map::new()),
        Ok(_) => {
            notes.push(Note::new(
                "front-matter-not-a-mapping",
                1,
                "the front matter is not a list of `key: value` pairs; it is kept as text in a section named \"Front matter\"",
            ));
            None
        }
        Err(e) => {
            let first = e.to_string();
            let first = first.lines().next().unwrap_or("").to_string();
            notes.push(Note::new(
                "front-matter-invalid",
                1,
                format!(
                    "the front matter is not valid YAML ({first}); it is kept as text in a section named \"Front matter\". Fix the YAML to have its fields read"
                ),
            ));
            None
        }
    }
}

/// Normalises a key: `resolvedWhen`, `resolved_when` and `Resolved-When` all become
/// `resolvedwhen`.
pub fn key(k: &str) -> String {
    k.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A scalar as text (strings, numbers, booleans); `None` for null, lists and maps.
pub fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A list of strings from a list or a comma-separated string.
pub fn string_list(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().filter_map(scalar).collect(),
        Value::String(s) => s
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        _ => Vec::new(),
    }
}
