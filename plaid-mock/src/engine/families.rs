//! Create, get, list and the actions on stored objects, for every family of
//! the generated table.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::store::ResourceStore;
use super::store::Stored;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kernel::spec::generated::families::FAMILIES;
use crate::kernel::spec::{schema, OperationSpec, ResourceFamily};
use crate::kernel::time::rfc3339;
use crate::kit::echo::echo_answer;
use crate::kit::example::example;
use crate::sandbox::State;

/// Objects a list answers with when the request names no `count`.
const DEFAULT_PAGE: usize = 100;

/// The family and verb of `path`, if it belongs to one.
pub(crate) fn lookup(path: &str) -> Option<(&'static ResourceFamily, &'static str)> {
    static BY_PATH: OnceLock<HashMap<&'static str, (&'static ResourceFamily, &'static str)>> =
        OnceLock::new();
    BY_PATH
        .get_or_init(|| {
            FAMILIES
                .iter()
                .flat_map(|f| f.verbs.iter().map(move |(verb, path)| (*path, (f, *verb))))
                .collect()
        })
        .get(path)
        .copied()
}

fn verb_path(family: &ResourceFamily, verb: &str) -> Option<&'static str> {
    family
        .verbs
        .iter()
        .find(|(v, _)| *v == verb)
        .map(|(_, p)| *p)
}

/// The object inside an answer (the whole answer for top-level families).
fn object_of<'v>(family: &ResourceFamily, answer: &'v Value) -> Option<&'v Value> {
    if family.object.is_empty() {
        Some(answer)
    } else {
        answer.get(family.object).filter(|o| o.is_object())
    }
}

/// `answer` with its object replaced by `object`.
fn with_object(family: &ResourceFamily, mut answer: Value, object: &Value) -> Value {
    if family.object.is_empty() {
        if let (Value::Object(fields), Value::Object(stored)) = (&mut answer, object) {
            for (k, v) in stored {
                fields.insert(k.clone(), v.clone());
            }
        }
    } else if let Value::Object(fields) = &mut answer {
        fields.insert(family.object.to_owned(), object.clone());
    }
    answer
}

/// The error Plaid gives for an id it never made or has removed: the
/// request names a field whose value is no object of the family.
fn not_found(field: &str, id: &str, removed: bool) -> ErrorAnswer {
    if removed {
        errors::invalid_field(format!("{field} {id:?} was removed"))
    } else {
        errors::invalid_field(format!(
            "{field} {id:?} does not exist: use the id an earlier create answered with"
        ))
    }
}

/// Which stored object an action request names.
enum Identified {
    /// The stored object with this id.
    Found(String),
    /// The request names an object by `field`, with a value nothing stored
    /// has.
    Unknown(String, String),
    /// The request names no object (every naming field is optional and
    /// none was sent).
    Unnamed,
}

/// Finds the stored object `body` names: by the family's id, else by an
/// `…_token` field whose value a stored object carries. (Users and their
/// `user_token`s are kept by `crate::products`, not here.)
fn identify(state: &State, family: &ResourceFamily, body: &Map<String, Value>) -> Identified {
    if let Some(id) = body.get(family.id_request).and_then(Value::as_str) {
        return if state
            .products
            .get::<ResourceStore>()
            .contains(family.prefix, id)
        {
            Identified::Found(id.to_owned())
        } else {
            Identified::Unknown(family.id_request.to_owned(), id.to_owned())
        };
    }
    for (field, value) in body {
        let Some(sent) = value.as_str() else { continue };
        if !field.ends_with("_token") || field == "access_token" {
            continue;
        }
        let found = state
            .products
            .get::<ResourceStore>()
            .newest_first(family.prefix)
            .find(|s| s.object.get(field).and_then(Value::as_str) == Some(sent));
        return match found {
            Some(stored) => Identified::Found(stored.id.clone()),
            None => Identified::Unknown(field.clone(), sent.to_owned()),
        };
    }
    Identified::Unnamed
}

/// Answers the operation `path` of `family`.
pub(crate) fn answer(
    state: &mut State,
    family: &'static ResourceFamily,
    verb: &str,
    spec: &OperationSpec,
    body: &Map<String, Value>,
    canned_answer: &Value,
) -> Result<Value, ErrorAnswer> {
    let node = schema::answer(spec.method, spec.path);
    match verb {
        "create" => create(state, family, spec, body, canned_answer.clone(), node),
        "list" => Ok(list(state, family, body, canned_answer.clone())),
        _ => {
            if family.id_request.is_empty() {
                let mut answer = canned_answer.clone();
                echo_answer(body, &mut answer, node);
                return Ok(answer);
            }
            // The object is named by its id, or (where the request may name
            // it another way) by a token the stored object carries.
            let id = match identify(state, family, body) {
                Identified::Found(id) => id,
                Identified::Unknown(field, sent) => {
                    return Err(not_found(
                        &field,
                        &sent,
                        state.products.get_mut::<ResourceStore>().is_gone(&sent),
                    ));
                }
                Identified::Unnamed => {
                    let mut answer = canned_answer.clone();
                    echo_answer(body, &mut answer, node);
                    return Ok(answer);
                }
            };
            let Some(stored) = state
                .products
                .get_mut::<ResourceStore>()
                .get_mut(family.prefix, &id)
            else {
                return Err(not_found(family.id_request, &id, true));
            };
            match verb {
                "remove" | "delete" => {
                    let token = stored
                        .object
                        .get("user_token")
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                    state
                        .products
                        .get_mut::<ResourceStore>()
                        .remove(family.prefix, &id);
                    // What belongs to a removed user goes with it.
                    state.products.get_mut::<ResourceStore>().remove_user(&id);
                    if let Some(token) = token {
                        state
                            .products
                            .get_mut::<ResourceStore>()
                            .remove_user(&token);
                    }
                    let mut answer = canned_answer.clone();
                    echo_answer(body, &mut answer, node);
                    Ok(answer)
                }
                "cancel" | "revoke" => {
                    set_status(
                        family,
                        &mut stored.object,
                        &["cancelled", "canceled", "revoked"],
                    );
                    Ok(respond_with(family, canned_answer, &stored.object))
                }
                "update" => {
                    let object_node = object_schema(family);
                    let mut object = stored.object.clone();
                    let mut sent = body.clone();
                    sent.remove(family.id_request);
                    crate::kit::echo::echo(&sent, &mut object, object_node);
                    stored.object = object;
                    Ok(respond_with(family, canned_answer, &stored.object))
                }
                _ => Ok(respond_with(family, canned_answer, &stored.object)),
            }
        }
    }
}

/// The canned answer of an action, carrying the stored object where the
/// answer has room for it.
fn respond_with(family: &ResourceFamily, canned_answer: &Value, object: &Value) -> Value {
    let room = if family.object.is_empty() {
        object.as_object().is_some_and(|o| {
            o.keys()
                .filter(|k| *k != "request_id")
                .any(|k| canned_answer.get(k).is_some())
        })
    } else {
        canned_answer.get(family.object).is_some()
    };
    if room {
        with_object(family, canned_answer.clone(), object)
    } else {
        canned_answer.clone()
    }
}

/// The compact schema of the family's object, from its get (or create)
/// answer.
fn object_schema(family: &ResourceFamily) -> Option<&'static Value> {
    let path = verb_path(family, "get").or_else(|| verb_path(family, "create"))?;
    let node = schema::resolve(schema::answer("POST", path)?).0;
    if family.object.is_empty() {
        Some(node)
    } else {
        schema::property(node, family.object)
    }
}

/// Sets `status` to the first of `wanted` that the schema's enum allows.
fn set_status(family: &ResourceFamily, object: &mut Value, wanted: &[&str]) {
    let allowed: Vec<&str> = object_schema(family)
        .map(|n| schema::resolve(n).0)
        .and_then(|n| schema::property(n, "status"))
        .map(|n| schema::resolve(n).0)
        .and_then(|n| n.get("e"))
        .and_then(Value::as_array)
        .map(|e| e.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if let Some(status) = wanted.iter().find(|w| allowed.contains(w)) {
        if let Some(slot) = object.get_mut("status") {
            *slot = Value::from(*status);
        }
    }
}

fn create(
    state: &mut State,
    family: &'static ResourceFamily,
    spec: &OperationSpec,
    body: &Map<String, Value>,
    mut answer: Value,
    node: Option<&Value>,
) -> Result<Value, ErrorAnswer> {
    let item_id = match body.get("access_token").and_then(Value::as_str) {
        Some(token) => Some(state.item_id_for(token)?),
        None => None,
    };
    let user = ["user_token", "client_user_id"]
        .iter()
        .find_map(|k| body.get(*k).and_then(Value::as_str))
        .map(str::to_owned);
    echo_answer(body, &mut answer, node);
    // Fresh ids: the object's id and the answer's own ids and tokens.
    let now = rfc3339(state.now());
    let mut fresh: Vec<(String, String)> = Vec::new();
    if let Value::Object(fields) = &mut answer {
        for (name, value) in fields.iter_mut() {
            let id_like =
                name == family.id_answer || name.ends_with("_id") || name.ends_with("_token");
            if id_like && name != "request_id" && !body.contains_key(name) {
                if let Value::String(text) = value {
                    *text = state.products.get_mut::<ResourceStore>().fresh_id(text);
                    fresh.push((name.clone(), text.clone()));
                }
            }
        }
    }
    if !family.object.is_empty() {
        if let Some(Value::Object(object)) = answer.get_mut(family.object) {
            if let Some(Value::String(text)) = object.get_mut(family.id_answer) {
                if !body.contains_key(family.id_answer) {
                    *text = state.products.get_mut::<ResourceStore>().fresh_id(text);
                }
            }
        }
    }
    stamp(&mut answer, family, &now);
    let id = object_of(family, &answer)
        .and_then(|o| o.get(family.id_answer))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    // What get will answer: the create answer's object when the schemas
    // agree, else the get example filled with what create made.
    let object = match (family.same_shape, verb_path(family, "get").map(example)) {
        (false, Some(get_answer)) => {
            let mut object = object_of(family, &get_answer)
                .cloned()
                .unwrap_or(Value::Null);
            let get_node = verb_path(family, "get").and_then(|p| schema::answer("POST", p));
            echo_answer(body, &mut object, get_node);
            let made = object_of(family, &answer).cloned().unwrap_or(Value::Null);
            if let (Value::Object(target), Value::Object(made)) = (&mut object, &made) {
                for (k, v) in made {
                    if target.contains_key(k) && k != "request_id" {
                        target.insert(k.clone(), v.clone());
                    }
                }
            }
            if let Some(slot) = object.get_mut(family.id_answer) {
                *slot = Value::from(id.clone());
            }
            stamp_object(&mut object, &now);
            object
        }
        _ => object_of(family, &answer).cloned().unwrap_or(Value::Null),
    };
    let mut object = object;
    if let Value::Object(fields) = &mut object {
        fields.remove("request_id");
    }
    let _ = spec;
    if !id.is_empty() {
        state.products.get_mut::<ResourceStore>().insert(
            family.prefix,
            Stored {
                id,
                object,
                item_id,
                user,
            },
        );
    }
    Ok(answer)
}

/// Sets creation times of the answer's object to now.
fn stamp(answer: &mut Value, family: &ResourceFamily, now: &str) {
    if family.object.is_empty() {
        stamp_object(answer, now);
    } else if let Some(object) = answer.get_mut(family.object) {
        stamp_object(object, now);
    }
}

fn stamp_object(object: &mut Value, now: &str) {
    for key in ["created", "created_at"] {
        if let Some(slot) = object.get_mut(key) {
            if slot.as_str().is_some_and(|s| s.contains('T')) {
                *slot = Value::from(now);
            }
        }
    }
}

fn list(
    state: &State,
    family: &ResourceFamily,
    body: &Map<String, Value>,
    mut answer: Value,
) -> Value {
    const NOT_FILTERS: &[&str] = &[
        "client_id",
        "secret",
        "count",
        "offset",
        "cursor",
        "start_date",
        "end_date",
        "options",
    ];
    let options = body.get("options").and_then(Value::as_object);
    let setting = |name: &str| body.get(name).or_else(|| options.and_then(|o| o.get(name)));
    let start = setting("start_date")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let end = setting("end_date")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let matching: Vec<&Stored> = state
        .products
        .get::<ResourceStore>()
        .newest_first(family.prefix)
        .filter(|s| {
            body.iter().all(|(k, v)| {
                if NOT_FILTERS.contains(&k.as_str()) || !is_scalar(v) {
                    return true;
                }
                match s.object.get(k) {
                    Some(mine) if is_scalar(mine) => mine == v,
                    _ => true,
                }
            })
        })
        .filter(|s| {
            let created = ["created", "created_at", "date"]
                .iter()
                .find_map(|k| s.object.get(*k).and_then(Value::as_str))
                .map(|c| c.get(..10).unwrap_or(c).to_owned());
            match created {
                Some(day) => {
                    start.as_deref().is_none_or(|s| day.as_str() >= s)
                        && end.as_deref().is_none_or(|e| day.as_str() <= e)
                }
                None => true,
            }
        })
        .collect();
    let count = setting("count")
        .and_then(Value::as_u64)
        .map_or(DEFAULT_PAGE, |c| c as usize);
    let offset = match setting("cursor").and_then(Value::as_str) {
        Some(cursor) if !cursor.is_empty() => cursor.parse().unwrap_or(0),
        _ => setting("offset").and_then(Value::as_u64).unwrap_or(0) as usize,
    };
    let page: Vec<Value> = matching
        .iter()
        .skip(offset)
        .take(count)
        .map(|s| s.object.clone())
        .collect();
    let more = offset + page.len() < matching.len();
    if let Value::Object(fields) = &mut answer {
        if !family.list_field.is_empty() {
            fields.insert(family.list_field.to_owned(), Value::Array(page));
        }
        if fields.contains_key("next_cursor") {
            let next = if more {
                Value::from((offset + count).to_string())
            } else {
                Value::Null
            };
            fields.insert("next_cursor".into(), next);
        }
    }
    answer
}

fn is_scalar(v: &Value) -> bool {
    matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_))
}
