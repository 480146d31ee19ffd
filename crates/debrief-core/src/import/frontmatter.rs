//! Front matter at the top of a document: YAML between `---` lines, or TOML between `+++`
//! lines (Hugo's).

use serde_json::{Map, Value};

use crate::model::Note;

/// The front matter, if the document starts with one, and where the body begins.
pub struct Split<'a> {
    /// The front matter's text, between its fences.
    pub yaml: Option<&'a str>,
    /// Fenced by `+++`: the text is TOML.
    pub toml: bool,
    /// Byte offset of the body.
    pub body_offset: usize,
    /// 1-based line number of the body's first line.
    pub body_line: usize,
}

pub fn split(text: &str) -> Split<'_> {
    let none = Split {
        yaml: None,
        toml: false,
        body_offset: 0,
        body_line: 1,
    };
    let first_end = text.find('\n').unwrap_or(text.len());
    let fence = text[..first_end].trim_end();
    if fence != "---" && fence != "+++" {
        return none;
    }
    let toml = fence == "+++";
    let mut offset = first_end + 1;
    let mut line = 2;
    while offset <= text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |e| offset + e);
        let l = text[offset..end].trim_end();
        if (!toml && (l == "---" || l == "...")) || (toml && l == "+++") {
            let body_offset = (end + 1).min(text.len());
            return Split {
                yaml: Some(&text[first_end + 1..offset]),
                toml,
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

impl Split<'_> {
    /// The front matter's fields, read as YAML or TOML by its fences; see [`parse`].
    pub fn fields(&self, notes: &mut Vec<Note>) -> Option<Map<String, Value>> {
        let text = self.yaml?;
        if self.toml {
            parse_toml(text, notes)
        } else {
            parse(text, notes)
        }
    }
}

/// TOML front matter as the same JSON object YAML gives: dates and times as the text they
/// were written as. Invalid TOML gives a note and `None`, as invalid YAML does.
fn parse_toml(text: &str, notes: &mut Vec<Note>) -> Option<Map<String, Value>> {
    fn json(v: toml::Value) -> Value {
        match v {
            toml::Value::String(s) => Value::String(s),
            toml::Value::Integer(i) => Value::from(i),
            toml::Value::Float(f) => Value::from(f),
            toml::Value::Boolean(b) => Value::Bool(b),
            toml::Value::Datetime(d) => Value::String(d.to_string()),
            toml::Value::Array(a) => Value::Array(a.into_iter().map(json).collect()),
            toml::Value::Table(t) => {
                Value::Object(t.into_iter().map(|(k, v)| (k, json(v))).collect())
            }
        }
    }
    match toml::from_str::<toml::Table>(text) {
        Ok(table) => Some(table.into_iter().map(|(k, v)| (k, json(v))).collect()),
        Err(e) => {
            notes.push(invalid("TOML", &e.to_string()));
            None
        }
    }
}

/// The note for front matter that is not valid `language`: the error's first line, and that
/// the text is kept.
fn invalid(language: &str, error: &str) -> Note {
    let first = error.lines().next().unwrap_or("");
    Note::new(
        "front-matter-invalid",
        1,
        format!(
            "the front matter is not valid {language} ({first}); it is kept as text in a section named \"Front matter\". Fix the {language} to have its fields read"
        ),
    )
}

/// Parses the YAML into a JSON object. Invalid YAML gives a note and `None`; the caller keeps the
/// text so nothing is lost.
pub fn parse(yaml: &str, notes: &mut Vec<Note>) -> Option<Map<String, Value>> {
    if yaml.trim().is_empty() {
        return Some(Map::new());
    }
    if let Some(map) = simple(yaml) {
        return Some(map);
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
            notes.push(invalid("YAML", &e.to_string()));
            None
        }
    }
}

/// Front matter in the plain shape nearly every document uses (`key: value` lines, comments,
/// lists of plain words), read without a YAML parser. `None` for anything else, including every
/// value YAML would read in a way that takes judgement (`yes`, `012`, `1e3`, anchors, folded
/// lines): the full parser reads those. Gives exactly what the full parser gives when `Some`.
fn simple(yaml: &str) -> Option<Map<String, Value>> {
    let mut map = Map::new();
    // The key whose list is being read, the items so far and their indentation.
    let mut list: Option<(String, Vec<Value>)> = None;
    let mut indent: Option<usize> = None;
    for line in yaml.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if line.starts_with([' ', '-']) {
            // An item of the list the previous key opened.
            let item = trimmed.strip_prefix("- ")?.trim();
            let here = line.len() - line.trim_start().len();
            if *indent.get_or_insert(here) != here {
                return None;
            }
            list.as_mut()?.1.push(simple_scalar(item)?);
            continue;
        }
        if let Some((k, items)) = list.take() {
            map.insert(k, list_value(items));
        }
        let (k, v) = line.split_once(':')?;
        let key_ok = k.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && k.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !key_ok || map.contains_key(k) {
            return None;
        }
        let v = v.strip_prefix(' ').or(v.is_empty().then_some(v))?.trim();
        if v.is_empty() {
            // A list follows, or the value is null.
            list = Some((k.to_string(), Vec::new()));
            indent = None;
            continue;
        }
        let value = if let Some(inner) = v.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            let inner = inner.trim();
            let items: Option<Vec<Value>> = if inner.is_empty() {
                Some(Vec::new())
            } else {
                inner
                    .split(',')
                    .map(|item| {
                        let item = item.trim();
                        let quoted = item
                            .strip_prefix('"')
                            .and_then(|r| r.strip_suffix('"'))
                            .filter(|q| !q.contains(['"', '\\']));
                        match quoted {
                            Some(q) => Some(Value::String(q.to_string())),
                            None => plain_word(item).then(|| Value::String(item.to_string())),
                        }
                    })
                    .collect()
            };
            Value::Array(items?)
        } else {
            simple_scalar(v)?
        };
        map.insert(k.to_string(), value);
    }
    if let Some((k, items)) = list {
        map.insert(k, list_value(items));
    }
    Some(map)
}

/// A key with nothing after its colon: the list below it, or null.
fn list_value(items: Vec<Value>) -> Value {
    if items.is_empty() {
        Value::Null
    } else {
        Value::Array(items)
    }
}

/// A value YAML reads as the string it looks like, a small integer, or `true`/`false`.
fn simple_scalar(v: &str) -> Option<Value> {
    if let Some(inner) = v.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        return (!inner.contains(['"', '\\'])).then(|| Value::String(inner.to_string()));
    }
    if let Some(inner) = v.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        return (!inner.contains('\'')).then(|| Value::String(inner.to_string()));
    }
    // An inline comment or a nested mapping, looked for in one pass over byte pairs.
    let judged = v
        .as_bytes()
        .windows(2)
        .any(|w| matches!(w, [b' ' | b'\t', b'#'] | [b':', b' ']));
    if judged || v.ends_with(':') {
        return None;
    }
    match v {
        "true" => return Some(Value::Bool(true)),
        "false" => return Some(Value::Bool(false)),
        _ => {}
    }
    let first = v.as_bytes()[0];
    if first.is_ascii_alphabetic() {
        let special = ["y", "n", "yes", "no", "on", "off", "true", "false", "null"]
            .iter()
            .any(|w| w.eq_ignore_ascii_case(v));
        return (!special).then(|| Value::String(v.to_string()));
    }
    if first.is_ascii_digit() {
        if v.bytes().all(|b| b.is_ascii_digit()) {
            // Leading zeros and long numbers read as floats.
            return (v.len() <= 18 && (v.len() == 1 || first != b'0'))
                .then(|| v.parse::<u64>().ok().map(Value::from))
                .flatten();
        }
        // Times, dates and anything with a space or a slash are strings; other shapes (floats,
        // hex, exponents, underscores) are left to the full parser.
        let date = v.len() >= 10
            && v.as_bytes()[4] == b'-'
            && v.as_bytes()[7] == b'-'
            && v.as_bytes()[..4].iter().all(u8::is_ascii_digit);
        // No number YAML reads has a `-` after its first character except in an exponent
        // (`1e-3`), so one elsewhere makes a string (identifiers such as UUIDs, `3-4`).
        let inner_dash = v
            .as_bytes()
            .windows(2)
            .any(|w| w[1] == b'-' && !matches!(w[0], b'e' | b'E'))
            || v.bytes().filter(|&b| b == b'-').count() > 1;
        return (date || inner_dash || v.contains([':', '/', ' ']))
            .then(|| Value::String(v.to_string()));
    }
    None
}

/// An item of a `[a, b]` list that YAML reads as the same string.
fn plain_word(item: &str) -> bool {
    item.starts_with(|c: char| c.is_ascii_alphabetic())
        && !item.contains([
            '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', ':', '\\',
        ])
        && matches!(simple_scalar(item), Some(Value::String(_)))
}

/// Normalises a key: `resolvedWhen`, `resolved_when` and `Resolved-When` all become
/// `resolvedwhen`, written into `out` (a buffer the caller reuses).
pub fn key_into(k: &str, out: &mut String) {
    out.clear();
    if k.is_ascii() {
        out.extend(
            k.bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
    } else {
        out.extend(
            k.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase),
        );
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn full(yaml: &str) -> Option<Map<String, Value>> {
        match serde_saphyr::from_str::<Value>(yaml) {
            Ok(Value::Object(m)) => Some(m),
            _ => None,
        }
    }

    proptest! {
        #[test]
        fn keys_fold_as_lowercasing_alphanumeric_characters_does(k in "[a-zA-Z0-9 _:-]{0,12}(Éé_ß)?") {
            let plain: String = k.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
            let mut folded = String::from("left over");
            key_into(&k, &mut folded);
            prop_assert_eq!(folded, plain);
        }
    }

    #[test]
    fn common_shapes_take_the_simple_path() {
        let yaml = "title: Problems publishing (2022-03-04)\ndate: 2022-03-04T18:00:00-00:00\n\
                    resolved: true\n# a comment\nseverity: SEV1\nduration: 194\n\
                    affected:\n  - repo.example.org\n  - ci\nempty:\ntags: [db, network]\n\
                    quoted: \"a: b\"\nuuid: 029b4a8e-0332-4b91-abc3-5f84bdf70094\n\
                    flow: [\"filesystem\", db]\n";
        let fast = simple(yaml).expect("plain front matter");
        assert_eq!(Some(&fast), full(yaml).as_ref());
        assert_eq!(fast["empty"], Value::Null);
        assert_eq!(fast["duration"], Value::from(194u64));
    }

    #[test]
    fn judgement_calls_go_to_the_full_parser() {
        for yaml in [
            "a: yes\n",
            "a: 012\n",
            "a: 1e3\n",
            "a: x # c\n",
            "a: x\n  y\n",
            "a: 1\na: 2\n",
            "a: |\n  x\n",
            "a:\n  - x\n - y\n",
            "a: &x y\n",
            "a: [1, 2]\n",
        ] {
            assert_eq!(simple(yaml), None, "{yaml:?}");
        }
    }

    fn fragment() -> impl Strategy<Value = String> {
        let keys =
            prop::sample::select(vec!["title", "date", "severity", "tags", "k-1", "on", "x"]);
        let values = prop::sample::select(vec![
            "",
            "plain words",
            "true",
            "True",
            "yes",
            "No",
            "null",
            "~",
            "12",
            "012",
            "0",
            "1.5",
            "1e3",
            "0x1F",
            "2024-04-03",
            "2024-04-03 11:00 UTC",
            "12:30",
            "1/2",
            "50%",
            "v1.2",
            "a: b",
            "a:b",
            "x #c",
            "x#c",
            "\"q\"",
            "'q'",
            "\"a\\\"b\"",
            "[a, b]",
            "[]",
            "[1, x]",
            "[\"a\", b]",
            "[\"a, b\"]",
            "[\"\"]",
            "[\"a\\\"\"]",
            "029b4a8e-0332-4b91-abc3-5f84bdf70094",
            "1e-3",
            "1E-3-4",
            "12-4",
            "1-",
            "0-1e5",
            "1.5e-10",
            "[a: b]",
            "@x",
            "-5",
            "- a",
            "Sat, 03 Apr",
            "SEV-1",
            "--",
            "1_000",
            "a\tb",
        ]);
        let items = prop::collection::vec(
            prop::sample::select(vec!["a", "b c", "12", "yes", "x: y", "[z]", "'q'"]),
            0..3,
        );
        (keys, values, items, 0..3usize).prop_map(|(k, v, items, indent)| {
            let mut s = format!("{k}: {v}\n");
            if v.is_empty() {
                s = format!("{k}:\n");
                for i in items {
                    s.push_str(&format!("{}- {i}\n", " ".repeat(indent)));
                }
            }
            s
        })
    }

    proptest! {
        #[test]
        fn the_simple_path_agrees_with_the_full_parser(parts in prop::collection::vec(fragment(), 1..6)) {
            let yaml = parts.concat();
            if let Some(fast) = simple(&yaml) {
                prop_assert_eq!(Some(fast), full(&yaml), "{:?}", yaml);
            }
        }
    }
}
