//! The spec: read from disk, its schemas turned into validators, its
//! operations listed with what their answers must be.

use super::*;

pub fn spec() -> Value {
    let path = std::env::var("PLAID_OPENAPI_SPEC").unwrap_or_else(|_| {
        format!(
            "{}/../../shared/plaid-openapi/2020-09-14.yml",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("this test needs Plaid's OpenAPI spec at {path} (or set PLAID_OPENAPI_SPEC): {e}")
    });
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).expect("the spec is YAML");
    serde_json::to_value(yaml).expect("the spec is JSON-compatible")
}

/// Every compiled schema of the document, by JSON pointer.
pub fn build_map(document: &Value) -> ValidatorMap {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(false)
        .build_map(document)
        .unwrap_or_else(|e| panic!("the converted schemas are valid JSON Schema: {e}"))
}

/// What an operation's success answer is.
pub enum Success {
    /// JSON, described by this component schema.
    Json(String),
    /// A file of this media type.
    File(String),
    /// No body at all.
    Empty,
}

pub struct SpecOperation {
    pub method: String,
    pub path: String,
    pub success: Success,
    /// The component schema of the `default` (error) answer, when not `PlaidError`.
    pub error_schema: Option<String>,
    /// Whether the operation needs `client_id` and `secret`.
    pub requires_credentials: bool,
}

pub fn schema_name(schema: &Value) -> Option<String> {
    schema["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .map(str::to_owned)
}

pub fn spec_operations(spec: &Value) -> Vec<SpecOperation> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            if !["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                continue;
            }
            let responses = &op["responses"];
            let ok = if responses.get("200").is_some() {
                &responses["200"]
            } else {
                &responses["201"]
            };
            let success = match ok["content"].as_object().and_then(|c| c.iter().next()) {
                None => Success::Empty,
                Some((media, content)) if media == "application/json" => Success::Json(
                    schema_name(&content["schema"])
                        .unwrap_or_else(|| panic!("{path}: inline answer schema")),
                ),
                Some((media, _)) => Success::File(media.clone()),
            };
            let error_schema =
                schema_name(&responses["default"]["content"]["application/json"]["schema"])
                    .filter(|name| name != "PlaidError");
            out.push(SpecOperation {
                method: method.to_uppercase(),
                path: path.clone(),
                success,
                error_schema,
                requires_credentials: op["security"].as_array().is_none_or(|s| !s.is_empty()),
            });
        }
    }
    out
}

/// The operation of `path` in `operations`.
pub fn operation<'o>(operations: &'o [SpecOperation], path: &str) -> &'o SpecOperation {
    operations
        .iter()
        .find(|op| op.path == path)
        .unwrap_or_else(|| panic!("{path} is not in the spec"))
}
