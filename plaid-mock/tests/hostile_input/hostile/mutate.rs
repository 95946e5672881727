//! Mutating a real answer: edits to the document and to its bytes.

use super::*;

/// Unknown fields added by [`Edit::AddUnknown`] start with this; no Plaid
/// type has such a field, so each must come back out unchanged.
pub const UNKNOWN_PREFIX: &str = "zz_unknown_";

#[derive(Debug, Clone, PartialEq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// One change to a JSON document. `usize`s pick a node (a pre-order index,
/// modulo the node count at the time the edit is applied).
#[derive(Debug, Clone)]
pub enum Edit {
    /// Replace the node with any other JSON value.
    Replace(usize, Value),
    /// Replace the node with `null`.
    Null(usize),
    /// Replace the node with one of [`RAW_SNIPPETS`].
    Raw(usize, usize),
    /// Replace the node with arrays or objects nested `DEPTHS[i]` deep.
    Nest(usize, usize, bool),
    /// Remove the node from its object or array (a missing field).
    Remove(usize),
    /// Add an unknown field to the object at or above the node.
    AddUnknown(usize, Value),
    /// Repeat the node, within its array, this many times.
    Repeat(usize, usize),
    /// Insert a character into a string node (or delete one with `None`):
    /// near-miss dates, enum values and ids.
    Tweak(usize, usize, Option<char>),
    /// Write the node's object with its first field twice.
    DuplicateKey(usize),
    /// Replace a string node (picked among the strings only, so dates,
    /// timestamps and enum values are hit often) with one of
    /// [`TRICKY_STRINGS`].
    TrickyString(usize, usize),
}

/// A change to the bytes once the document is written.
#[derive(Debug, Clone)]
pub enum ByteEdit {
    Truncate(usize),
    Flip(usize, u8),
    Insert(usize, u8),
    Pretty,
}

pub fn arb_edit() -> BoxedStrategy<Edit> {
    let at = any::<usize>();
    prop_oneof![
        6 => (at, arb_json()).prop_map(|(n, v)| Edit::Replace(n, v)),
        3 => at.prop_map(Edit::Null),
        3 => (at, 0..RAW_SNIPPETS.len()).prop_map(|(n, i)| Edit::Raw(n, i)),
        1 => (at, 0..DEPTHS.len(), any::<bool>()).prop_map(|(n, d, o)| Edit::Nest(n, d, o)),
        4 => at.prop_map(Edit::Remove),
        4 => (at, arb_json()).prop_map(|(n, v)| Edit::AddUnknown(n, v)),
        1 => (at, 0..200usize).prop_map(|(n, k)| Edit::Repeat(n, k)),
        4 => (at, any::<usize>(), prop::option::of(prop_oneof![
            select(&['0', '9', '-', ':', 'T', 'Z', '+', '.', ' ', '_', 'x', '\u{e9}'][..]),
            any::<char>(),
        ]))
            .prop_map(|(n, p, c)| Edit::Tweak(n, p, c)),
        1 => at.prop_map(Edit::DuplicateKey),
        4 => (at, 0..TRICKY_STRINGS.len()).prop_map(|(n, i)| Edit::TrickyString(n, i)),
    ]
    .boxed()
}

pub fn arb_byte_edit() -> BoxedStrategy<ByteEdit> {
    prop_oneof![
        any::<usize>().prop_map(ByteEdit::Truncate),
        (any::<usize>(), 1..=255u8).prop_map(|(at, mask)| ByteEdit::Flip(at, mask)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| ByteEdit::Insert(at, byte)),
        Just(ByteEdit::Pretty),
    ]
    .boxed()
}

pub fn node_paths(value: &Value, path: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    out.push(path.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                path.push(Seg::Key(key.clone()));
                node_paths(child, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                node_paths(child, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

pub fn node_mut<'a>(mut value: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    for seg in path {
        value = match (value, seg) {
            (Value::Object(map), Seg::Key(key)) => map.get_mut(key)?,
            (Value::Array(items), Seg::Index(i)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(value)
}

pub fn node<'a>(mut value: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    for seg in path {
        value = match (value, seg) {
            (Value::Object(map), Seg::Key(key)) => map.get(key)?,
            (Value::Array(items), Seg::Index(i)) => items.get(*i)?,
            _ => return None,
        };
    }
    Some(value)
}

/// The placeholder for raw text number `i`, replaced after writing.
pub fn placeholder(i: usize) -> String {
    format!("@@raw{i}@@")
}

/// Applies `edits` and `byte_edit` to `seed` and returns the bytes.
pub fn mutate(seed: &Value, edits: &[Edit], byte_edit: Option<&ByteEdit>) -> Vec<u8> {
    let mut doc = seed.clone();
    let mut raws: Vec<String> = Vec::new();
    for (k, edit) in edits.iter().enumerate() {
        let mut paths = Vec::new();
        node_paths(&doc, &mut Vec::new(), &mut paths);
        let pick = |n: usize| paths[n % paths.len()].clone();
        let mut put_raw = |doc: &mut Value, path: &[Seg], text: String| {
            if let Some(node) = node_mut(doc, path) {
                *node = Value::String(placeholder(raws.len()));
                raws.push(text);
            }
        };
        match edit {
            Edit::Replace(n, value) => {
                if let Some(node) = node_mut(&mut doc, &pick(*n)) {
                    *node = value.clone();
                }
            }
            Edit::Null(n) => {
                if let Some(node) = node_mut(&mut doc, &pick(*n)) {
                    *node = Value::Null;
                }
            }
            Edit::Raw(n, i) => put_raw(&mut doc, &pick(*n), RAW_SNIPPETS[*i].to_owned()),
            Edit::Nest(n, d, objects) => {
                let text = if *objects {
                    nested(DEPTHS[*d], "{\"a\":", "}", "1")
                } else {
                    nested(DEPTHS[*d], "[", "]", "")
                };
                put_raw(&mut doc, &pick(*n), text);
            }
            Edit::Remove(n) => {
                let path = pick(*n);
                if let Some((last, parent)) = path.split_last() {
                    match (node_mut(&mut doc, parent), last) {
                        (Some(Value::Object(map)), Seg::Key(key)) => {
                            map.remove(key);
                        }
                        (Some(Value::Array(items)), Seg::Index(i)) => {
                            items.remove(*i);
                        }
                        _ => {}
                    }
                }
            }
            Edit::AddUnknown(n, value) => {
                let mut path = pick(*n);
                loop {
                    if let Some(Value::Object(map)) = node_mut(&mut doc, &path) {
                        map.insert(format!("{UNKNOWN_PREFIX}{k}"), value.clone());
                        break;
                    }
                    if path.pop().is_none() {
                        break;
                    }
                }
            }
            Edit::Repeat(n, times) => {
                let path = pick(*n);
                if let Some((Seg::Index(i), parent)) = path.split_last() {
                    if let Some(Value::Array(items)) = node_mut(&mut doc, parent) {
                        let copy = items[*i].clone();
                        for _ in 0..*times {
                            items.insert(*i, copy.clone());
                        }
                    }
                }
            }
            Edit::Tweak(n, at, c) => {
                if let Some(Value::String(text)) = node_mut(&mut doc, &pick(*n)) {
                    let chars: Vec<char> = text.chars().collect();
                    let at = at % (chars.len() + 1);
                    let mut out: String = chars[..at].iter().collect();
                    match c {
                        Some(c) => {
                            out.push(*c);
                            out.extend(&chars[at..]);
                        }
                        None => out.extend(chars.iter().skip(at + 1)),
                    }
                    *text = out;
                }
            }
            Edit::TrickyString(n, i) => {
                let strings: Vec<&Vec<Seg>> = paths
                    .iter()
                    .filter(|p| matches!(node(&doc, p), Some(Value::String(_))))
                    .collect();
                if !strings.is_empty() {
                    let path = strings[n % strings.len()].clone();
                    if let Some(node) = node_mut(&mut doc, &path) {
                        *node = Value::from(TRICKY_STRINGS[*i]);
                    }
                }
            }
            Edit::DuplicateKey(n) => {
                let path = pick(*n);
                let text = match node(&doc, &path) {
                    Some(Value::Object(map)) if !map.is_empty() => {
                        let (key, value) = map.iter().next().unwrap();
                        let written = serde_json::to_string(map).unwrap();
                        Some(format!(
                            "{{{}:{},{}",
                            serde_json::to_string(key).unwrap(),
                            serde_json::to_string(value).unwrap(),
                            &written[1..]
                        ))
                    }
                    _ => None,
                };
                if let Some(text) = text {
                    put_raw(&mut doc, &path, text);
                }
            }
        }
    }
    let pretty = matches!(byte_edit, Some(ByteEdit::Pretty));
    let mut text = if pretty {
        serde_json::to_string_pretty(&doc).unwrap()
    } else {
        serde_json::to_string(&doc).unwrap()
    };
    // Later raw texts may contain earlier placeholders: substitute last first.
    for (i, raw) in raws.iter().enumerate().rev() {
        text = text.replace(&format!("\"{}\"", placeholder(i)), raw);
    }
    let mut bytes = text.into_bytes();
    match byte_edit {
        Some(ByteEdit::Truncate(at)) => bytes.truncate(at % (bytes.len() + 1)),
        Some(ByteEdit::Flip(at, mask)) if !bytes.is_empty() => {
            let at = at % bytes.len();
            bytes[at] ^= mask;
        }
        Some(ByteEdit::Insert(at, byte)) => bytes.insert(at % (bytes.len() + 1), *byte),
        _ => {}
    }
    bytes
}

/// JSON-looking token soup: mostly not JSON, sometimes JSON of odd shapes.
pub fn token_soup() -> BoxedStrategy<Vec<u8>> {
    const TOKENS: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        " ",
        "null",
        "true",
        "0",
        "-1",
        "1.5e3",
        "\"\"",
        "\"x\"",
        "\"request_id\"",
        "\"accounts\"",
        "\"transactions\"",
        "\"item\"",
        "\"numbers\"",
        "\"added\"",
        "\"date\"",
        "\"2024-06-30\"",
        "\"\\u0000\"",
        "\"\\ud800\"",
        "1e400",
    ];
    prop::collection::vec(select(TOKENS), 0..64)
        .prop_map(|tokens| tokens.concat().into_bytes())
        .boxed()
}

/// Bytes that show as text in failure reports.
#[derive(Clone, PartialEq)]
pub struct Body(pub Vec<u8>);

impl Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "b\"{}\" ({} bytes)", self.0.escape_ascii(), self.0.len())
    }
}

/// Bodies for a response type: arbitrary bytes, token soup, and (mostly)
/// mutations of `seed`.
pub fn response_bodies(seed: Value) -> impl Strategy<Value = Body> {
    let bodies = prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..512),
        1 => token_soup(),
        8 => (
            prop::collection::vec(arb_edit(), 0..6),
            prop::option::weighted(0.15, arb_byte_edit()),
        )
            .prop_map(move |(edits, byte_edit)| mutate(&seed, &edits, byte_edit.as_ref())),
    ];
    bodies.prop_map(Body)
}
