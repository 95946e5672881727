//! From OpenAPI paths to operations: request and response types, client
//! method names, parameters.

use serde_yaml::Value;

use crate::model::{Def, Field, Model, StructDef, Ty};
use crate::names;

/// How an operation's 2xx answer is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// JSON decoded into this generated type.
    Json(String),
    /// Bytes kept as they are (PDF, ZIP).
    Binary,
}

/// A header parameter, set through a chained method.
#[derive(Debug, Clone)]
pub struct HeaderParam {
    /// The header name.
    pub name: String,
    /// The setter's name.
    pub ident: String,
    /// The value's type.
    pub ty: Ty,
}

/// One operation of the spec.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `post`, `get`, …
    pub method: String,
    /// The path template, e.g. `/fdx/recipient/{recipientId}`.
    pub path: String,
    /// The spec's `operationId`.
    pub operation_id: String,
    /// Literal path segments before the method name: the namespaces.
    pub namespaces: Vec<String>,
    /// The client method name (the last literal segment, as an identifier).
    pub method_name: String,
    /// Path parameters: (wire name, Rust ident), in path order.
    pub path_params: Vec<(String, String)>,
    /// Header parameters.
    pub headers: Vec<HeaderParam>,
    /// The request type's Rust name.
    pub request: String,
    /// Whether the request type is made up here (operations without a body).
    pub synthetic_request: bool,
    /// How the answer is read.
    pub answer: Answer,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// `externalDocs.url`.
    pub docs_url: Option<String>,
    /// False only for `security: []`.
    pub requires_credentials: bool,
    /// The product group: the first path segment.
    pub group: String,
    /// The JSON example of the 2xx answer, if the spec has one.
    pub answer_example: Option<serde_json::Value>,
    /// The media type of the 2xx answer (`application/json`,
    /// `application/pdf`, …); `None` when the spec declares no body. The
    /// fake answers files of this type.
    pub answer_media: Option<String>,
}

fn get<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    value.as_mapping()?.get(key)
}

fn schema_ref(value: &Value) -> Option<&str> {
    get(value, "$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

/// Reads every operation of `spec`, adding synthetic request types to `model`.
pub fn build(spec: &Value, model: &mut Model) -> Result<Vec<Operation>, String> {
    let paths = get(spec, "paths")
        .and_then(Value::as_mapping)
        .ok_or("the spec has no paths")?;
    let components = get(spec, "components");
    let mut operations = Vec::new();
    for (path, item) in paths {
        let path = path.as_str().ok_or("a path is not a string")?;
        let Some(item) = item.as_mapping() else {
            continue;
        };
        for (method, op) in item {
            let method = method.as_str().unwrap_or_default();
            if !matches!(method, "get" | "post" | "put" | "patch" | "delete") {
                continue;
            }
            operations.push(operation(path, method, op, components, model)?);
        }
    }
    fill_missing_docs_urls(&mut operations);
    Ok(operations)
}

/// Where Plaid's docs live; the spec's relative `externalDocs` URLs are
/// relative to it.
pub const PLAID_DOCS: &str = "https://plaid.com/docs";

/// The page an `externalDocs.url` names: absolute URLs as they are, paths
/// joined to [`PLAID_DOCS`]; `None` for the spec's placeholders (`none`,
/// `/none/`) and anything else that is not a page.
pub fn docs_url(url: &str) -> Option<String> {
    let url = url.trim();
    if url.starts_with("https://") || url.starts_with("http://") {
        return Some(url.to_owned());
    }
    if !url.starts_with('/') || url.trim_matches('/').eq_ignore_ascii_case("none") {
        return None;
    }
    Some(format!("{PLAID_DOCS}{url}"))
}

/// Gives operations the spec links to no page (or to a placeholder) the
/// page every other operation of their namespace links to, when they all
/// agree, and otherwise the index of Plaid's API reference, rather than a
/// guess.
fn fill_missing_docs_urls(operations: &mut [Operation]) {
    let page = |url: &str| url.split('#').next().unwrap_or_default().to_owned();
    let fallbacks: Vec<Option<String>> = operations
        .iter()
        .map(|op| {
            if op.docs_url.is_some() {
                return None;
            }
            let pages: std::collections::BTreeSet<String> = operations
                .iter()
                .filter(|other| other.group == op.group && other.namespaces == op.namespaces)
                .filter_map(|other| other.docs_url.as_deref().map(page))
                .collect();
            Some(match pages.len() {
                1 => pages.into_iter().next().unwrap_or_default(),
                _ => format!("{PLAID_DOCS}/api/"),
            })
        })
        .collect();
    for (op, fallback) in operations.iter_mut().zip(fallbacks) {
        if fallback.is_some() {
            op.docs_url = fallback;
        }
    }
}

fn operation(
    path: &str,
    method: &str,
    op: &Value,
    components: Option<&Value>,
    model: &mut Model,
) -> Result<Operation, String> {
    let operation_id = get(op, "operationId")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{path} has no operationId"))?
        .to_owned();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let literal: Vec<&str> = segments
        .iter()
        .copied()
        .filter(|s| !s.starts_with('{'))
        .collect();
    let (last, namespaces) = literal
        .split_last()
        .ok_or_else(|| format!("{path} has no literal segment"))?;
    let group = literal[0].to_owned();

    let mut path_params = Vec::new();
    let mut headers = Vec::new();
    for param in get(op, "parameters")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
    {
        let param = match get(param, "$ref").and_then(Value::as_str) {
            Some(r) => {
                let name = r
                    .strip_prefix("#/components/parameters/")
                    .ok_or_else(|| format!("unsupported parameter $ref {r}"))?;
                components
                    .and_then(|c| get(c, "parameters"))
                    .and_then(|p| get(p, name))
                    .ok_or_else(|| format!("missing parameter {name}"))?
            }
            None => param,
        };
        let name = get(param, "name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        match get(param, "in").and_then(Value::as_str) {
            Some("path") => path_params.push((name.to_owned(), names::snake(name))),
            Some("header") => {
                let ty = match get(param, "schema")
                    .and_then(|s| get(s, "type"))
                    .and_then(Value::as_str)
                {
                    Some("boolean") => Ty::Bool,
                    Some("integer") => Ty::Int,
                    _ => Ty::String,
                };
                headers.push(HeaderParam {
                    name: name.to_owned(),
                    ident: names::snake(name),
                    ty,
                });
            }
            other => return Err(format!("{path}: unsupported parameter location {other:?}")),
        }
    }

    let body_schema = get(op, "requestBody")
        .and_then(|b| get(b, "content"))
        .and_then(|c| get(c, "application/json"))
        .and_then(|j| get(j, "schema"));
    let (request, synthetic_request) = match body_schema {
        Some(schema) => {
            let name = schema_ref(schema).ok_or_else(|| format!("{path}: inline request body"))?;
            (model.schema_names[name].clone(), false)
        }
        None => {
            let name = format!("{}Request", names::pascal(&operation_id));
            let fields = path_params
                .iter()
                .map(|(wire, ident)| Field {
                    wire: wire.clone(),
                    ident: ident.clone(),
                    ty: Ty::String,
                    required: true,
                    nullable: false,
                    deprecated: false,
                    example: None,
                    facts: crate::model::Facts {
                        owner: name.clone(),
                        json_type: Some("string".into()),
                        ..Default::default()
                    },
                })
                .collect();
            model.defs.insert(
                name.clone(),
                Def::Struct(StructDef {
                    name: name.clone(),
                    source: format!("{} {path}", method.to_uppercase()),
                    fields,
                    keeps_extra: false,
                    tolerant: false,
                    default: false,
                    empty: false,
                }),
            );
            (name, true)
        }
    };

    let responses = get(op, "responses").ok_or_else(|| format!("{path} has no responses"))?;
    let success = ["200", "201"]
        .iter()
        .find_map(|code| get(responses, code))
        .ok_or_else(|| format!("{path} has no 2xx response"))?;
    let content = get(success, "content").and_then(Value::as_mapping);
    let (answer, answer_example) = match content.and_then(|c| c.get("application/json")) {
        Some(json) => {
            let schema = get(json, "schema").ok_or_else(|| format!("{path}: no schema"))?;
            let name = schema_ref(schema).ok_or_else(|| format!("{path}: inline response"))?;
            (
                Answer::Json(model.schema_names[name].clone()),
                example_of(json),
            )
        }
        None => (Answer::Binary, None),
    };

    Ok(Operation {
        method: method.to_owned(),
        path: path.to_owned(),
        operation_id,
        namespaces: namespaces.iter().map(|s| (*s).to_owned()).collect(),
        method_name: names::snake(last),
        path_params,
        headers,
        request,
        synthetic_request,
        answer,
        deprecated: get(op, "deprecated")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        docs_url: get(op, "externalDocs")
            .and_then(|d| get(d, "url"))
            .and_then(Value::as_str)
            .and_then(docs_url),
        requires_credentials: get(op, "security")
            .and_then(Value::as_sequence)
            .is_none_or(|s| !s.is_empty()),
        group,
        answer_example,
        answer_media: content
            .and_then(|c| c.keys().next())
            .and_then(Value::as_str)
            .map(str::to_owned),
    })
}

/// The first example of a media type: `example`, or the first of `examples`.
fn example_of(media: &Value) -> Option<serde_json::Value> {
    if let Some(example) = get(media, "example") {
        return Some(crate::model::to_json(example));
    }
    let examples = get(media, "examples")?.as_mapping()?;
    let (_, first) = examples.iter().next()?;
    get(first, "value").map(crate::model::to_json)
}

/// Request types: sent by us.
pub fn request_roots(operations: &[Operation]) -> Vec<String> {
    operations.iter().map(|o| o.request.clone()).collect()
}

/// Types Plaid sends: every JSON answer and every webhook body.
pub fn answer_roots(operations: &[Operation], model: &Model) -> Vec<String> {
    let mut roots: Vec<String> = operations
        .iter()
        .filter_map(|o| match &o.answer {
            Answer::Json(name) => Some(name.clone()),
            Answer::Binary => None,
        })
        .collect();
    roots.extend(
        model
            .schema_names
            .iter()
            .filter(|(schema, _)| schema.ends_with("Webhook"))
            .map(|(_, rust)| rust.clone()),
    );
    roots
}
