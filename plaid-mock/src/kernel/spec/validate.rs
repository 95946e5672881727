//! Request validation in depth, from the generated schemas: unknown and
//! missing fields and wrong values at any level, each error naming the
//! field's path (`options.count`, `user.address.city`, `account_ids[2]`).
//!
//! What is checked, at any depth: unknown fields (where the object is
//! closed), required fields, `null` (only where the schema is `nullable`),
//! JSON types, enums, string formats ([`super::format`]), string lengths,
//! numeric ranges, array lengths, array items and unique items. Plaid
//! refuses a request that breaks any of these with `INVALID_REQUEST`
//! (`MISSING_FIELDS`, `UNKNOWN_FIELDS` or `INVALID_FIELD`) naming the field.
//!
//! Never stricter than the spec can say: a field without a declared type
//! (free-form objects, `oneOf`) accepts anything, `null` included; formats
//! the spec only names (`url`, `double`) are not checked; a required field
//! sent as `null` is reported missing, as an absent one is.
//!
//! Where Plaid is known to accept what the spec forbids, so does the fake:
//! `client_id` and `secret` in any request body (as older clients send
//! them), also in the few request schemas that do not list them; and a Beacon user created with bank accounts but no birth date
//! (a product rule, in `products::beacon`, not a schema one).

use serde_json::{Map, Value};

use super::{format, schema};
use crate::kernel::errors::{self, ErrorAnswer};

/// Fields every request may carry besides its schema's (credentials in the
/// body, as older clients send them).
const CREDENTIALS: &[&str] = &["client_id", "secret"];

/// Checks `body` against the compact request schema `node`.
pub(crate) fn body(node: &Value, body: &Map<String, Value>) -> Result<(), ErrorAnswer> {
    let (resolved, _) = schema::resolve(node);
    if schema::properties(resolved).is_none() && resolved.get("ap").is_none() {
        // A request that names no fields (`/categories/get`) takes none:
        // Plaid refuses anything but the credentials.
        let unknown: Vec<String> = body
            .keys()
            .filter(|k| !CREDENTIALS.contains(&k.as_str()))
            .cloned()
            .collect();
        if !unknown.is_empty() {
            return Err(errors::unknown_fields(&unknown));
        }
        return Ok(());
    }
    object(node, body, "", Side::Request)
}

/// Which side of the exchange a value is on: a request refuses fields its
/// schema does not name (as Plaid does); an answer may carry more fields
/// than its schema names (the spec's objects are open), unless the schema
/// says `additionalProperties: false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Answer,
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn object(
    node: &Value,
    fields: &Map<String, Value>,
    path: &str,
    side: Side,
) -> Result<(), ErrorAnswer> {
    let (node, _) = schema::resolve(node);
    let Some(props) = schema::properties(node) else {
        // A free-form object (or a map with typed values).
        if let Some(values) = node.get("ap").filter(|ap| ap.is_object()) {
            for (key, item) in fields {
                value(values, item, &join(path, key), side)?;
            }
        }
        return Ok(());
    };
    let open = match side {
        Side::Request => node.get("ap").is_some_and(Value::is_object),
        Side::Answer => node.get("ap") != Some(&Value::Bool(false)),
    };
    if !open {
        let unknown: Vec<String> = fields
            .keys()
            .filter(|k| !props.contains_key(*k))
            .filter(|k| !(path.is_empty() && CREDENTIALS.contains(&k.as_str())))
            .map(|k| join(path, k))
            .collect();
        if !unknown.is_empty() {
            return Err(errors::unknown_fields(&unknown));
        }
    }
    let missing: Vec<String> = props
        .keys()
        .filter(|name| schema::is_required(node, name))
        .filter(|name| !(path.is_empty() && CREDENTIALS.contains(&name.as_str())))
        .filter(|name| match fields.get(*name) {
            None => true,
            Some(Value::Null) => !props.get(*name).is_some_and(allows_null),
            Some(_) => false,
        })
        .map(|name| join(path, name))
        .collect();
    if !missing.is_empty() {
        let missing: Vec<&str> = missing.iter().map(String::as_str).collect();
        return Err(errors::missing_fields(&missing));
    }
    for (name, item) in fields {
        if let Some(field) = schema::property(node, name) {
            value(field, item, &join(path, name), side)?;
        }
    }
    Ok(())
}

fn invalid(path: &str, what: impl std::fmt::Display) -> ErrorAnswer {
    errors::invalid_field(format!("{path} {what}"))
}

/// Whether the schema `node` allows `null`: it says `nullable`, or it
/// declares no type at all.
fn allows_null(node: &Value) -> bool {
    let (resolved, nullable) = schema::resolve(node);
    nullable || schema::kind(resolved).is_none()
}

fn value(node: &Value, item: &Value, path: &str, side: Side) -> Result<(), ErrorAnswer> {
    if item.is_null() {
        return if allows_null(node) {
            Ok(())
        } else {
            Err(invalid(path, "must not be null"))
        };
    }
    let (node, _) = schema::resolve(node);
    let number = |key: &str| node.get(key).and_then(Value::as_f64);
    match schema::kind(node) {
        None => Ok(()),
        Some("object") => match item {
            Value::Object(fields) => object(node, fields, path, side),
            _ => Err(invalid(path, "must be an object")),
        },
        Some("array") => {
            let Value::Array(items) = item else {
                return Err(invalid(path, "must be an array"));
            };
            let len = items.len() as f64;
            if number("mini").is_some_and(|min| len < min) {
                return Err(invalid(
                    path,
                    format_args!(
                        "must have at least {} items",
                        number("mini").unwrap_or_default()
                    ),
                ));
            }
            if number("maxi").is_some_and(|max| len > max) {
                return Err(invalid(
                    path,
                    format_args!(
                        "must have at most {} items",
                        number("maxi").unwrap_or_default()
                    ),
                ));
            }
            if let Some(inner) = schema::items(node) {
                for (i, entry) in items.iter().enumerate() {
                    value(inner, entry, &format!("{path}[{i}]"), side)?;
                }
            }
            if node.get("u").and_then(Value::as_bool) == Some(true) {
                for (i, entry) in items.iter().enumerate() {
                    if items[..i].contains(entry) {
                        return Err(invalid(
                            &format!("{path}[{i}]"),
                            format_args!("repeats an earlier item ({entry}); items must be unique"),
                        ));
                    }
                }
            }
            Ok(())
        }
        Some("string") => {
            let Value::String(text) = item else {
                return Err(invalid(path, "must be a string"));
            };
            if let Some(values) = node.get("e").and_then(Value::as_array) {
                if !values.iter().any(|v| v.as_str() == Some(text)) {
                    let allowed: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
                    return Err(invalid(
                        path,
                        format_args!("must be one of {}, got {text:?}", allowed.join(", ")),
                    ));
                }
            }
            if let Some(problem) = node
                .get("f")
                .and_then(Value::as_str)
                .and_then(|f| format::problem(f, text))
            {
                return Err(invalid(path, problem));
            }
            let len = text.chars().count() as f64;
            if let Some(min) = number("minl").filter(|min| len < *min) {
                return Err(invalid(
                    path,
                    format_args!("must be at least {min} characters long"),
                ));
            }
            if let Some(max) = number("maxl").filter(|max| len > *max) {
                return Err(invalid(
                    path,
                    format_args!("must be at most {max} characters long"),
                ));
            }
            Ok(())
        }
        Some(kind @ ("integer" | "number")) => {
            let Some(n) = item.as_f64() else {
                return Err(invalid(
                    path,
                    format_args!(
                        "must be a{} {kind}",
                        if kind == "integer" { "n" } else { "" }
                    ),
                ));
            };
            if kind == "integer" && n.fract() != 0.0 {
                return Err(invalid(path, "must be an integer"));
            }
            if let Some(min) = number("min").filter(|min| n < *min) {
                return Err(invalid(path, format_args!("must be at least {min}")));
            }
            if let Some(max) = number("max").filter(|max| n > *max) {
                return Err(invalid(path, format_args!("must be at most {max}")));
            }
            if let Some(min) = number("xmin").filter(|min| n <= *min) {
                return Err(invalid(path, format_args!("must be greater than {min}")));
            }
            if let Some(max) = number("xmax").filter(|max| n >= *max) {
                return Err(invalid(path, format_args!("must be less than {max}")));
            }
            Ok(())
        }
        Some("boolean") if !item.is_boolean() => Err(invalid(path, "must be a boolean")),
        Some(_) => Ok(()),
    }
}

/// Whether `item` is valid for `node` as a value in an answer: as a
/// request's is checked, except that fields the schema does not name are
/// allowed (unless it is closed).
pub(crate) fn fits(node: &Value, item: &Value) -> bool {
    if item.is_null() {
        return schema::resolve(node).1;
    }
    value(node, item, "", Side::Answer).is_ok()
}
