//! What each operation accepts, from the generated table: required fields,
//! field types, unknown fields.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
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

    /// Where the operation is in the spec's table of operations (the key
    /// of the router's table); `None` for an `OperationSpec` that is not
    /// one of the table's own.
    pub fn index(&self) -> Option<usize> {
        let all = crate::kernel::spec::generated::operations::OPERATIONS;
        let offset = (self as *const Self as usize).checked_sub(all.as_ptr() as usize)?;
        let index = offset / std::mem::size_of::<Self>().max(1);
        all.get(index)
            .filter(|op| std::ptr::eq(*op, self))
            .map(|_| index)
    }

    /// Checks `body` as Plaid does, in depth: unknown fields, missing
    /// fields, wrong types, enums, formats, lengths and ranges; a bad value
    /// of one of `field_errors` gets that product error instead.
    pub fn validate(
        &self,
        body: &serde_json::Map<String, Value>,
        field_errors: &[FieldError],
    ) -> Result<(), ErrorAnswer> {
        match schema::request(self.method, self.path) {
            Some(node) => {
                product_field_errors(self.path, node, body, field_errors)?;
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

/// A string field whose bad value (one its schema's rules refuse, a length
/// say) Plaid reports with its product's own error rather than
/// `INVALID_FIELD`. The operation's route entry lists them; the check runs
/// before the general validation, so the specific error wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError {
    /// The top-level request field.
    pub field: &'static str,
    /// The answer's `error_type`.
    pub error_type: &'static str,
    /// The answer's `error_code`.
    pub error_code: &'static str,
}

/// The product error of one of `field_errors` for a string field of
/// `body` that breaks its schema's rules (a length, say).
fn product_field_errors(
    path: &str,
    node: &Value,
    body: &serde_json::Map<String, Value>,
    field_errors: &[FieldError],
) -> Result<(), ErrorAnswer> {
    let (node, _) = schema::resolve(node);
    for FieldError {
        field,
        error_type,
        error_code: code,
    } in field_errors
    {
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
fn by_path() -> &'static PathMap {
    static BY_PATH: OnceLock<PathMap> = OnceLock::new();
    BY_PATH.get_or_init(|| {
        crate::kernel::spec::generated::operations::OPERATIONS
            .iter()
            .filter(|op| !op.path.contains('{'))
            .map(|op| (op.path, op))
            .collect()
    })
}

/// The operations by path, hashed with FNV-1a: the keys are a few hundred
/// short paths fixed at build time, looked up once a request, where
/// SipHash's resistance to chosen keys buys nothing.
type PathMap = HashMap<&'static str, &'static OperationSpec, BuildHasherDefault<Fnv>>;

/// The FNV-1a hash (64 bits).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
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
