//! The shape of a JSON answer — which fields, of which types, with which
//! enum values — and how two shapes differ.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use crate::kernel::spec::schema;

/// One way the fake's answer differs from the recorded one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Difference {
    /// What differs.
    pub kind: DifferenceKind,
    /// The field, as a path such as `accounts[].balances.limit` (empty for
    /// the status and the error code).
    pub field: String,
    /// What the recording has: the status, the error, the JSON types, or
    /// the enum values only the recording has (`-` for none).
    pub recorded: String,
    /// What the fake answered, likewise.
    pub fake: String,
}

/// The kinds of [`Difference`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DifferenceKind {
    /// Another HTTP status.
    Status,
    /// Both are errors, with another `error_type` / `error_code`.
    ErrorCode,
    /// A field the recording has and the fake's answer lacks.
    Missing,
    /// A field the fake's answer has and the recording lacks.
    Extra,
    /// A field of another JSON type.
    Type,
    /// An enum field (by the spec) with other values.
    Enum,
}

impl DifferenceKind {
    /// Its name in the report.
    pub fn name(self) -> &'static str {
        match self {
            Self::Status => "status",
            Self::ErrorCode => "error code",
            Self::Missing => "missing",
            Self::Extra => "extra",
            Self::Type => "type",
            Self::Enum => "enum value",
        }
    }
}

/// What is seen at one field path over a whole answer (every element of
/// an array counts).
#[derive(Debug, Default)]
struct FieldShape {
    types: BTreeSet<&'static str>,
    strings: BTreeSet<String>,
}

/// Field path → what is seen there.
type Shape = BTreeMap<String, FieldShape>;

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn shape_of(value: &Value) -> Shape {
    let mut shape = Shape::new();
    walk(String::new(), value, &mut shape);
    shape
}

fn walk(at: String, value: &Value, shape: &mut Shape) {
    if !at.is_empty() {
        let seen = shape.entry(at.clone()).or_default();
        seen.types.insert(type_name(value));
        if let Value::String(text) = value {
            seen.strings.insert(text.clone());
        }
    }
    match value {
        Value::Object(fields) => {
            for (name, inner) in fields {
                let path = if at.is_empty() {
                    name.clone()
                } else {
                    format!("{at}.{name}")
                };
                walk(path, inner, shape);
            }
        }
        Value::Array(items) => {
            for item in items {
                walk(format!("{at}[]"), item, shape);
            }
        }
        _ => {}
    }
}

/// The path a field sits in (`a[].b` → `a[]`, `a[]` → `a`, `a` → ``).
fn parent(path: &str) -> &str {
    if let Some(array) = path.strip_suffix("[]") {
        return array;
    }
    path.rfind('.').map_or("", |dot| &path[..dot])
}

/// The enum values the spec allows at `path` of an operation's answer.
fn enum_values(answer_schema: Option<&Value>, path: &str) -> Option<BTreeSet<String>> {
    let mut node = answer_schema?;
    for segment in path.split('.') {
        let (name, arrays) = match segment.find("[]") {
            Some(at) => (&segment[..at], segment[at..].len() / 2),
            None => (segment, 0),
        };
        node = schema::property(schema::resolve(node).0, name)?;
        for _ in 0..arrays {
            node = schema::items(schema::resolve(node).0)?;
        }
    }
    let values = schema::resolve(node).0.get("e")?.as_array()?;
    Some(
        values
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
    )
}

fn listed(set: &BTreeSet<impl AsRef<str>>) -> String {
    set.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(", ")
}

/// How the fake's `fake` answer differs in shape from `recorded`, for the
/// operation `method path` (whose answer schema tells the enum fields).
pub(crate) fn compare(method: &str, path: &str, recorded: &Value, fake: &Value) -> Vec<Difference> {
    let answer_schema = schema::answer(method, path);
    let (ours, theirs) = (shape_of(recorded), shape_of(fake));
    let present = |shape: &Shape, path: &str| path.is_empty() || shape.contains_key(path);
    let mut out = Vec::new();
    for (field, seen) in &ours {
        match theirs.get(field) {
            None if !field.ends_with("[]") && present(&theirs, parent(field)) => {
                out.push(Difference {
                    kind: DifferenceKind::Missing,
                    field: field.clone(),
                    recorded: listed(&seen.types),
                    fake: "absent".into(),
                });
            }
            None => {}
            Some(other) => {
                let non_null = |s: &FieldShape| {
                    s.types
                        .iter()
                        .copied()
                        .filter(|t| *t != "null")
                        .collect::<BTreeSet<_>>()
                };
                let (a, b) = (non_null(seen), non_null(other));
                let differs = if a.is_empty() || b.is_empty() {
                    seen.types != other.types
                } else {
                    a != b
                };
                if differs {
                    out.push(Difference {
                        kind: DifferenceKind::Type,
                        field: field.clone(),
                        recorded: listed(&seen.types),
                        fake: listed(&other.types),
                    });
                } else if seen.strings != other.strings
                    && !seen.strings.is_empty()
                    && !other.strings.is_empty()
                    && enum_values(answer_schema, field).is_some()
                {
                    // Only the values one side has and the other lacks.
                    let only = |a: &BTreeSet<String>, b: &BTreeSet<String>| {
                        let values: BTreeSet<&String> = a.difference(b).collect();
                        if values.is_empty() {
                            "-".to_owned()
                        } else {
                            listed(&values)
                        }
                    };
                    out.push(Difference {
                        kind: DifferenceKind::Enum,
                        field: field.clone(),
                        recorded: only(&seen.strings, &other.strings),
                        fake: only(&other.strings, &seen.strings),
                    });
                }
            }
        }
    }
    for (field, seen) in &theirs {
        if !ours.contains_key(field) && !field.ends_with("[]") && present(&ours, parent(field)) {
            out.push(Difference {
                kind: DifferenceKind::Extra,
                field: field.clone(),
                recorded: "absent".into(),
                fake: listed(&seen.types),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn missing_extra_type_and_enum() {
        let recorded = json!({
            "accounts": [{"account_id": "a", "type": "depository", "mask": "0000", "balances": {"limit": null}}],
            "item": {"item_id": "i"},
            "request_id": "r"
        });
        let fake = json!({
            "accounts": [{"account_id": "b", "type": "credit", "balances": {"limit": "10"}, "extra": 1}],
            "item": {"item_id": "j"},
            "request_id": "s"
        });
        let differences = compare("POST", "/accounts/get", &recorded, &fake);
        let kinds: Vec<(DifferenceKind, &str)> = differences
            .iter()
            .map(|d| (d.kind, d.field.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (DifferenceKind::Type, "accounts[].balances.limit"),
                (DifferenceKind::Missing, "accounts[].mask"),
                (DifferenceKind::Enum, "accounts[].type"),
                (DifferenceKind::Extra, "accounts[].extra"),
            ]
        );
        let enum_row = &differences[2];
        assert_eq!(
            (enum_row.recorded.as_str(), enum_row.fake.as_str()),
            ("depository", "credit")
        );
    }

    #[test]
    fn the_same_shape_with_other_values_does_not_differ() {
        let recorded = json!({"accounts": [{"account_id": "a", "name": "x"}], "total": 1});
        let fake = json!({"accounts": [{"account_id": "b", "name": "y"}], "total": 2});
        assert!(compare("POST", "/accounts/get", &recorded, &fake).is_empty());
        let empty = json!({"accounts": [], "total": 0});
        assert!(compare("POST", "/accounts/get", &empty, &fake).is_empty());
    }
}
