//! What each operation accepts, from the generated table: required fields,
//! field types, unknown fields.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

use crate::kernel::errors::{self, ErrorAnswer};

#[allow(clippy::all)]
pub(crate) mod format;
pub(crate) mod generated;
pub(crate) mod schema;
mod validate;

/// The JSON kind a request field must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A string (also dates and enums).
    String,
    /// A number.
    Number,
    /// `true` or `false`.
    Bool,
    /// An array.
    Array,
    /// An object.
    Object,
    /// Anything. The generator emits it for free-form fields; today's spec
    /// has none at the top of a request.
    #[allow(dead_code)]
    Any,
}

impl FieldKind {
    fn accepts(self, value: &Value) -> bool {
        match self {
            Self::String => value.is_string(),
            Self::Number => value.is_number(),
            Self::Bool => value.is_boolean(),
            Self::Array => value.is_array(),
            Self::Object => value.is_object(),
            Self::Any => true,
        }
    }
}

/// What the fake answers for an operation it keeps no state for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Canned {
    /// This JSON: the spec's example (completed where it does not fit the
    /// answer's schema), or a sample built from the schema.
    Json(&'static str),
    /// A small file of this media type (`application/pdf`, `application/zip`).
    File(&'static str),
    /// An empty body: the spec declares none.
    Empty,
}

/// A body field: name, kind, and whether it is required (and not nullable).
pub type FieldRule = (&'static str, FieldKind, bool);

/// Operations that share a path prefix and act on one kind of stored
/// object (from the generated family table).
#[derive(Debug)]
pub struct ResourceFamily {
    /// The path prefix, e.g. `/transfer`.
    pub prefix: &'static str,
    /// The id's name in `get` and action requests, e.g. `transfer_id`.
    pub id_request: &'static str,
    /// The id's name inside the stored object, e.g. `id`.
    pub id_answer: &'static str,
    /// The answer property holding the object; empty: the answer is the object.
    pub object: &'static str,
    /// The list answer's array property.
    pub list_field: &'static str,
    /// Whether create and get answer with the same schema.
    pub same_shape: bool,
    /// Each verb with its path, `create` first.
    pub verbs: &'static [(&'static str, &'static str)],
}

/// One operation of the spec.
#[derive(Debug)]
pub struct OperationSpec {
    /// `POST` or `GET`.
    pub method: &'static str,
    /// The path template.
    pub path: &'static str,
    /// Whether credentials are needed.
    pub requires_credentials: bool,
    /// Body fields: name, kind, required (and not nullable).
    pub fields: &'static [FieldRule],
    /// The answer when the fake keeps no state for the operation.
    pub answer: Canned,
}

impl OperationSpec {
    /// Finds the operation for `method` and `path` (templates match any segment).
    pub fn find(method: &str, path: &str) -> Option<&'static OperationSpec> {
        let matches = |op: &&OperationSpec| op.method.eq_ignore_ascii_case(method);
        if let Some(op) = by_path().get(path).copied().filter(matches) {
            return Some(op);
        }
        crate::kernel::spec::generated::operations::OPERATIONS
            .iter()
            .filter(|op| op.path.contains('{'))
            .filter(matches)
            .find(|op| template_matches(op.path, path))
    }

    /// Checks `body` as Plaid does, in depth: unknown fields, missing
    /// fields, wrong types, enums, formats, lengths and ranges.
    pub fn validate(&self, body: &serde_json::Map<String, Value>) -> Result<(), ErrorAnswer> {
        match schema::request(self.method, self.path) {
            Some(node) => {
                product_field_errors(self.path, node, body)?;
                validate::body(node, body)
            }
            None => self.validate_top_level(body),
        }
    }

    /// The generated request schema's top-level rules, for operations
    /// without a compact schema (bodies the spec does not name).
    fn validate_top_level(&self, body: &serde_json::Map<String, Value>) -> Result<(), ErrorAnswer> {
        let unknown: Vec<String> = body
            .keys()
            .filter(|k| !matches!(k.as_str(), "client_id" | "secret"))
            .filter(|k| !self.fields.iter().any(|(name, _, _)| name == k))
            .cloned()
            .collect();
        if !unknown.is_empty() {
            return Err(errors::unknown_fields(&unknown));
        }
        let missing: Vec<&str> = self
            .fields
            .iter()
            .filter(|(name, _, required)| *required && body.get(*name).is_none_or(Value::is_null))
            .map(|(name, _, _)| *name)
            .collect();
        if !missing.is_empty() {
            return Err(errors::missing_fields(&missing));
        }
        for (name, kind, _) in self.fields {
            if let Some(value) = body.get(*name) {
                if !value.is_null() && !kind.accepts(value) {
                    return Err(errors::invalid_field(format!(
                        "{name} must be of type {kind:?}, got {value}"
                    )));
                }
            }
        }
        Ok(())
    }
}

/// Top-level string fields whose bad value Plaid reports with its product's
/// own error rather than `INVALID_FIELD`: operation, field, error type and
/// code. Checked before the general validation, so the specific error wins.
const PRODUCT_FIELD_ERRORS: &[(&str, &str, &str, &str)] = &[
    (
        "/payment_initiation/payment/create",
        "reference",
        "PAYMENT_ERROR",
        "PAYMENT_INVALID_REFERENCE",
    ),
    (
        "/institutions/get_by_id",
        "institution_id",
        "INVALID_INPUT",
        "INVALID_INSTITUTION",
    ),
    (
        "/sandbox/public_token/create",
        "institution_id",
        "INVALID_INPUT",
        "INVALID_INSTITUTION",
    ),
];

/// The product error of [`PRODUCT_FIELD_ERRORS`] for a string field of
/// `body` that breaks its schema's rules (a length, say).
fn product_field_errors(
    path: &str,
    node: &Value,
    body: &serde_json::Map<String, Value>,
) -> Result<(), ErrorAnswer> {
    let (node, _) = schema::resolve(node);
    for (_, field, error_type, code) in PRODUCT_FIELD_ERRORS.iter().filter(|e| e.0 == path) {
        let (Some(value @ Value::String(text)), Some(rule)) =
            (body.get(*field), schema::property(node, field))
        else {
            continue;
        };
        if !validate::fits(rule, value) {
            return Err(ErrorAnswer::new(
                400,
                error_type,
                code,
                format!("{field} {text:?} is not valid for {path}"),
            ));
        }
    }
    Ok(())
}

/// Whether `value` is a valid value for the compact schema `node`.
pub(crate) fn fits(node: &Value, value: &Value) -> bool {
    validate::fits(node, value)
}

/// The operations without path parameters, by path.
fn by_path() -> &'static HashMap<&'static str, &'static OperationSpec> {
    static BY_PATH: OnceLock<HashMap<&'static str, &'static OperationSpec>> = OnceLock::new();
    BY_PATH.get_or_init(|| {
        crate::kernel::spec::generated::operations::OPERATIONS
            .iter()
            .filter(|op| !op.path.contains('{'))
            .map(|op| (op.path, op))
            .collect()
    })
}

fn template_matches(template: &str, path: &str) -> bool {
    let mut t = template.split('/');
    let mut p = path.split('/');
    loop {
        match (t.next(), p.next()) {
            (None, None) => return true,
            (Some(t), Some(p)) if t.starts_with('{') || t == p => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_whole_segments() {
        assert!(template_matches(
            "/fdx/recipient/{recipientId}",
            "/fdx/recipient/r-1"
        ));
        assert!(!template_matches(
            "/fdx/recipient/{recipientId}",
            "/fdx/recipient"
        ));
        assert!(!template_matches(
            "/fdx/recipient/{recipientId}",
            "/fdx/recipient/r/x"
        ));
        assert!(template_matches("/item/get", "/item/get"));
        assert!(!template_matches("/item/get", "/item/gets"));
    }

    #[test]
    fn find_uses_the_method_and_templates() {
        assert_eq!(
            OperationSpec::find("POST", "/item/get").map(|op| op.path),
            Some("/item/get")
        );
        assert!(OperationSpec::find("GET", "/item/get").is_none());
        assert!(OperationSpec::find("POST", "/no/such/path").is_none());
        let op = OperationSpec::find("GET", "/fdx/recipient/abc").map(|op| op.path);
        assert_eq!(op, Some("/fdx/recipient/{recipientId}"));
    }
}
