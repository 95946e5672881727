//! The fake Plaid's resource families: operations grouped by path prefix
//! (`/x/create`, `/x/get`, `/x/list`, `/x/cancel`, …) with the facts the
//! generic engine needs to store what `create` answers and hand it back:
//! the id field, where the object sits in the answer, the list field.
//!
//! Everything is inferred from the spec's names and schemas; [`OVERRIDES`]
//! corrects the few families where inference picks wrongly.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value as Json;

use crate::render::HEADER;

/// Where the family table goes.
pub const FAMILY_TABLE: &str = "plaid-mock/src/kernel/spec/generated/families.rs";

/// One family, as inferred.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Family {
    /// The path prefix, e.g. `/transfer`.
    pub prefix: String,
    /// The id's name in `get` (and action) requests, e.g. `transfer_id`.
    pub id_request: String,
    /// The id's name inside the stored object, e.g. `id`.
    pub id_answer: String,
    /// The property of the create/get answer that holds the object; empty
    /// when the answer itself is the object.
    pub object: String,
    /// The array property of the list answer.
    pub list_field: String,
    /// Whether the create and get answers hold the same schema, so that
    /// what create returned is what get returns.
    pub same_shape: bool,
    /// Every verb of the family with its path, `create` first.
    pub verbs: Vec<(String, String)>,
}

/// Hand-checked corrections: (prefix, field, value). Only where inference
/// fails.
pub const OVERRIDES: &[(&str, &str, &str)] = &[
    // The get request names the token, not the id.
    ("/asset_report", "id_request", "asset_report_token"),
    ("/asset_report", "id_answer", "asset_report_token"),
    // The answer is the user itself, with `id`.
    ("/beacon/user", "object", ""),
    ("/beacon/user", "id_request", "beacon_user_id"),
    ("/beacon/user", "id_answer", "id"),
    // The end customer is found by its client id.
    ("/partner/customer", "object", "end_customer"),
    ("/partner/customer", "id_request", "end_customer_client_id"),
    ("/partner/customer", "id_answer", "client_id"),
    // The same, in the beta version of the endpoints.
    ("/beta/partner/customer/v1", "object", "end_customer"),
    (
        "/beta/partner/customer/v1",
        "id_request",
        "end_customer_client_id",
    ),
    ("/beta/partner/customer/v1", "id_answer", "client_id"),
    // Categorization rules: removed by `rule_id`, stored with `id`.
    ("/beta/transactions/rules/v1", "object", "rule"),
    ("/beta/transactions/rules/v1", "id_request", "rule_id"),
    ("/beta/transactions/rules/v1", "id_answer", "id"),
    // Its list holds summaries keyed by `client_id`, not the get answer:
    // listing is left to the canned answer.
    ("/transfer/originator", "list_field", ""),
];

/// The verbs whose operations act on one stored object by id.
const ACTIONS: &[&str] = &[
    "get", "update", "cancel", "remove", "delete", "retry", "revoke", "review", "enable",
    "refresh", "reverse", "advance",
];

/// Whether an answer property called `name` holds the object of the
/// family at `prefix`: `transfer` for `/transfer`, `recurring_transfer`
/// for `/transfer/recurring`, `bank_transfer` for `/bank_transfer`.
fn names_the_family(prefix: &str, name: &str) -> bool {
    let segments: Vec<&str> = prefix.split('/').filter(|s| !s.is_empty()).collect();
    let last = segments.last().copied().unwrap_or_default();
    name == last
        || name.starts_with(last)
        || name.ends_with(last)
        || segments.iter().all(|s| name.contains(s))
}

struct Schemas<'a> {
    defs: &'a BTreeMap<String, Json>,
}

impl Schemas<'_> {
    fn resolve<'n>(&'n self, node: &'n Json) -> &'n Json {
        let mut node = node;
        for _ in 0..16 {
            match node.get("$").and_then(Json::as_str) {
                Some(name) => match self.defs.get(name) {
                    Some(target) => node = target,
                    None => break,
                },
                None => break,
            }
        }
        node
    }

    fn named(&self, name: &str) -> Option<&Json> {
        self.defs.get(name)
    }

    fn props<'n>(&'n self, node: &'n Json) -> Vec<(&'n str, &'n Json)> {
        self.resolve(node)
            .get("p")
            .and_then(Json::as_object)
            .map(|p| p.iter().map(|(k, v)| (k.as_str(), v)).collect())
            .unwrap_or_default()
    }

    fn required<'n>(&'n self, node: &'n Json) -> Vec<&'n str> {
        self.resolve(node)
            .get("r")
            .and_then(Json::as_array)
            .map(|r| r.iter().filter_map(Json::as_str).collect())
            .unwrap_or_default()
    }

    fn is_object(&self, node: &Json) -> bool {
        self.resolve(node).get("t").and_then(Json::as_str) == Some("object")
    }
}

/// Infers every family of `operations` (`(method, path, request, answer)`).
pub fn infer(
    defs: &BTreeMap<String, Json>,
    operations: &[(String, String, String, String)],
) -> Vec<Family> {
    let s = Schemas { defs };
    let mut by_prefix: BTreeMap<&str, BTreeMap<&str, (&str, &str, &str)>> = BTreeMap::new();
    for (method, path, req, ans) in operations {
        if method != "POST" {
            continue;
        }
        if let Some((prefix, verb)) = path.rsplit_once('/') {
            by_prefix
                .entry(prefix)
                .or_default()
                .insert(verb, (path.as_str(), req.as_str(), ans.as_str()));
        }
    }
    let mut families = Vec::new();
    for (prefix, verbs) in by_prefix {
        let Some(&(create_path, _, create_answer)) = verbs.get("create") else {
            continue;
        };
        if !verbs.contains_key("get") && !verbs.contains_key("list") {
            continue;
        }
        let Some(create) = s.named(create_answer) else {
            continue;
        };
        let mut family = Family {
            prefix: prefix.to_owned(),
            ..Family::default()
        };
        family.verbs.push(("create".into(), create_path.to_owned()));
        for (verb, (path, _, _)) in &verbs {
            if *verb != "create" && (ACTIONS.contains(verb) || *verb == "list") {
                family.verbs.push(((*verb).to_owned(), (*path).to_owned()));
            }
        }
        // Where the object sits: a property that create and get (or list
        // items) share by schema.
        let create_props = s.props(create);
        let get = verbs.get("get").and_then(|(_, _, ans)| s.named(ans));
        if let Some(get) = get {
            for (name, node) in s.props(get) {
                if let Some((_, theirs)) = create_props.iter().find(|(n, _)| *n == name) {
                    if s.is_object(node) && names_the_family(prefix, name) {
                        family.object = name.to_owned();
                        family.same_shape =
                            node.get("$").is_some() && s.resolve(node) == s.resolve(theirs);
                        break;
                    }
                }
            }
            if family.object.is_empty() {
                // Top level: the same schema, or the same property names.
                let names = |props: Vec<(&str, &Json)>| {
                    let mut n: Vec<String> = props.iter().map(|(k, _)| (*k).to_owned()).collect();
                    n.sort();
                    n
                };
                family.same_shape = names(s.props(get)) == names(create_props.clone());
            }
        }
        let object_node = if family.object.is_empty() {
            create
        } else {
            create_props
                .iter()
                .find(|(n, _)| *n == family.object)
                .map(|(_, node)| *node)
                .unwrap_or(create)
        };
        let object_props: Vec<&str> = s.props(object_node).iter().map(|(k, _)| *k).collect();
        // The id: a required `…_id`/`…_token` of the get (or first action)
        // request that the stored object carries, under its name or as `id`.
        let action_request = ACTIONS
            .iter()
            .find_map(|verb| verbs.get(verb))
            .and_then(|(_, req, _)| s.named(req));
        if let Some(request) = action_request {
            let last = prefix.rsplit('/').next().unwrap_or_default();
            let own = format!("{last}_id");
            let mut candidates = s.required(request);
            if s.props(request).iter().any(|(n, _)| *n == own) {
                candidates.push(&own);
            }
            for name in candidates {
                let looks_like_id = name.ends_with("_id") || name.ends_with("_token");
                if !looks_like_id || matches!(name, "access_token" | "client_user_id") {
                    continue;
                }
                if object_props.contains(&name) {
                    family.id_request = name.to_owned();
                    family.id_answer = name.to_owned();
                    break;
                }
                if object_props.contains(&"id") {
                    family.id_request = name.to_owned();
                    family.id_answer = "id".to_owned();
                    break;
                }
            }
        }
        if family.id_answer.is_empty() {
            let last = prefix.rsplit('/').next().unwrap_or_default();
            let own = format!("{last}_id");
            for candidate in ["id", own.as_str()] {
                if object_props.contains(&candidate) {
                    family.id_answer = candidate.to_owned();
                    break;
                }
            }
        }
        if let Some(list) = verbs.get("list").and_then(|(_, _, ans)| s.named(ans)) {
            for (name, node) in s.props(list) {
                let node = s.resolve(node);
                if node.get("t").and_then(Json::as_str) == Some("array")
                    && node.get("i").is_some_and(|i| s.is_object(i))
                {
                    family.list_field = name.to_owned();
                    break;
                }
            }
        }
        for (prefix, field, value) in OVERRIDES {
            if *prefix == family.prefix {
                let slot = match *field {
                    "id_request" => &mut family.id_request,
                    "id_answer" => &mut family.id_answer,
                    "object" => &mut family.object,
                    "list_field" => &mut family.list_field,
                    _ => continue,
                };
                *slot = (*value).to_owned();
            }
        }
        if family.id_answer.is_empty() {
            eprintln!("mock families: no id for {prefix}; add an override");
            continue;
        }
        families.push(family);
    }
    families
}

/// Renders the family table.
pub fn render_family_table(families: &[Family]) -> String {
    let mut out = String::from(HEADER);
    out.push_str("\n//! Resource families: operations grouped by path prefix, with the id\n//! field, the answer's object and the list field (see plaid-codegen's\n//! `mock_families`).\n\n");
    out.push_str("use crate::kernel::spec::ResourceFamily;\n\n");
    out.push_str("/// Every family, by prefix.\n");
    out.push_str("pub static FAMILIES: &[ResourceFamily] = &[\n");
    for f in families {
        let verbs: Vec<String> = f
            .verbs
            .iter()
            .map(|(verb, path)| format!("({verb:?}, {path:?})"))
            .collect();
        writeln!(
            out,
            "    ResourceFamily {{ prefix: {:?}, id_request: {:?}, id_answer: {:?}, object: {:?}, list_field: {:?}, same_shape: {}, verbs: &[{}] }},",
            f.prefix,
            f.id_request,
            f.id_answer,
            f.object,
            f.list_field,
            f.same_shape,
            verbs.join(", ")
        )
        .ok();
    }
    out.push_str("];\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_family_with_a_named_object_and_a_list() {
        let defs: BTreeMap<String, Json> = [
            ("Thing", json!({"t": "object", "p": {"id": {"t": "string"}, "name": {"t": "string"}}})),
            ("CreateAns", json!({"t": "object", "p": {"thing": {"$": "Thing"}, "request_id": {"t": "string"}}})),
            ("GetReq", json!({"t": "object", "r": ["thing_id"], "p": {"thing_id": {"t": "string"}}})),
            ("ListAns", json!({"t": "object", "p": {"things": {"t": "array", "i": {"$": "Thing"}}}})),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let op = |verb: &str, req: &str, ans: &str| {
            (
                "POST".to_owned(),
                format!("/thing/{verb}"),
                req.to_owned(),
                ans.to_owned(),
            )
        };
        let families = infer(
            &defs,
            &[
                op("create", "", "CreateAns"),
                op("get", "GetReq", "CreateAns"),
                op("list", "", "ListAns"),
                op("cancel", "GetReq", "CreateAns"),
            ],
        );
        assert_eq!(families.len(), 1);
        let f = &families[0];
        assert_eq!(
            (
                f.id_request.as_str(),
                f.id_answer.as_str(),
                f.object.as_str(),
                f.list_field.as_str(),
                f.same_shape
            ),
            ("thing_id", "id", "thing", "things", true)
        );
        assert_eq!(f.verbs.len(), 4);
    }
}
