//! One enum over every webhook the spec defines, keyed by `webhook_type`
//! and `webhook_code`.
//!
//! The spec gives each `*Webhook` schema's type and code only as a literal
//! in the property's description (`` `TRANSACTIONS` ``); that literal is the
//! data read here. Two schemas can share a pair (a webhook about an item and
//! its processor twin); a required field that only one of them has tells
//! them apart.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_yaml::{Mapping, Value};

use crate::model::{Def, Model};
use crate::render::HEADER;

/// One webhook: its pair, its type, and the file (feature) it lives in.
#[derive(Debug, Clone)]
pub struct WebhookKind {
    /// `webhook_type`.
    pub webhook_type: String,
    /// `webhook_code`.
    pub webhook_code: String,
    /// The generated type.
    pub type_name: String,
    /// The variant name.
    pub variant: String,
}

fn literal(property: Option<&Value>) -> Option<String> {
    let description = property?.get("description")?.as_str()?;
    let mut found = description.split('`').skip(1).step_by(2).filter(|s| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
    });
    let first = found.next()?;
    found.next().is_none().then(|| first.to_owned())
}

/// Every `*Webhook` schema with a readable type and code, in name order.
pub fn kinds(schemas: &Mapping, model: &Model) -> Vec<WebhookKind> {
    let mut out = Vec::new();
    for (name, rust) in &model.schema_names {
        if !name.ends_with("Webhook") {
            continue;
        }
        let Some(Def::Struct(def)) = model.defs.get(rust) else {
            continue;
        };
        let property = |wire: &str| -> Option<Value> {
            find_property(schemas, schemas.get(name.as_str())?, wire)
        };
        let (Some(webhook_type), Some(webhook_code)) = (
            literal(property("webhook_type").as_ref()),
            literal(property("webhook_code").as_ref()),
        ) else {
            continue;
        };
        out.push(WebhookKind {
            webhook_type,
            webhook_code,
            type_name: def.name.clone(),
            variant: def.name.trim_end_matches("Webhook").to_owned(),
        });
    }
    out
}

fn find_property(schemas: &Mapping, schema: &Value, wire: &str) -> Option<Value> {
    if let Some(found) = schema.get("properties").and_then(|p| p.get(wire)) {
        return Some(found.clone());
    }
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let target = schemas.get(reference.strip_prefix("#/components/schemas/")?)?;
        return find_property(schemas, target, wire);
    }
    schema
        .get("allOf")?
        .as_sequence()?
        .iter()
        .find_map(|part| find_property(schemas, part, wire))
}

/// Renders the `Webhook` enum. `gate` gives the feature a type needs, if any.
pub fn render(
    model: &Model,
    kinds: &[WebhookKind],
    gate: &dyn Fn(&str) -> Option<String>,
) -> String {
    let mut by_pair: BTreeMap<(String, String), Vec<&WebhookKind>> = BTreeMap::new();
    for kind in kinds {
        by_pair
            .entry((kind.webhook_type.clone(), kind.webhook_code.clone()))
            .or_default()
            .push(kind);
    }
    // Resolve each pair: candidates with a telling field first, then the
    // first one without; others without a telling field could never be told
    // apart, so they get no variant.
    let mut resolved: Vec<(&WebhookKind, Option<String>, bool)> = Vec::new();
    for candidates in by_pair.values() {
        let mut arms = Vec::new();
        for (i, kind) in candidates.iter().enumerate() {
            let own = required(model, &kind.type_name);
            let others: BTreeSet<String> = candidates
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .flat_map(|(_, k)| required(model, &k.type_name))
                .collect();
            arms.push((*kind, own.difference(&others).next().cloned()));
        }
        arms.sort_by_key(|(_, marker)| marker.is_none());
        let mut unguarded_seen = false;
        for (index, (kind, marker)) in arms.iter().enumerate() {
            let last = index + 1 == arms.len();
            let guarded = marker.is_some() && !last;
            if !guarded && unguarded_seen {
                continue;
            }
            unguarded_seen |= !guarded;
            resolved.push((kind, marker.clone(), guarded));
        }
    }
    let kept: BTreeSet<&str> = resolved
        .iter()
        .map(|(k, _, _)| k.type_name.as_str())
        .collect();
    let cfg = |kind: &WebhookKind| {
        gate(&kind.type_name)
            .map(|feature| format!("#[cfg(feature = \"{feature}\")]\n"))
            .unwrap_or_default()
    };
    let mut out = String::from(HEADER);
    out.push_str("\n//! Every webhook of Plaid's OpenAPI description, by `webhook_type` and `webhook_code`.\n\n");
    out.push_str("#[allow(unused_imports)]\nuse crate::models::*;\n\n");
    out.push_str("/// A webhook body, told apart by its `webhook_type` and `webhook_code`.\n///\n/// Webhooks this version does not know, and known ones whose body does not\n/// decode, are kept as [`Webhook::Unknown`] with the JSON as received.\n#[derive(Debug, Clone, PartialEq)]\n#[non_exhaustive]\npub enum Webhook {\n");
    for kind in kinds.iter().filter(|k| kept.contains(k.type_name.as_str())) {
        writeln!(
            out,
            "    /// `{}` / `{}`.\n    {}{}({}),",
            kind.webhook_type,
            kind.webhook_code,
            cfg(kind),
            kind.variant,
            kind.type_name
        )
        .ok();
    }
    out.push_str("    /// A webhook this version does not know, as received.\n    Unknown(serde_json::Value),\n}\n\n");
    out.push_str("impl Webhook {\n    /// Reads a webhook body.\n    pub fn from_json(body: serde_json::Value) -> Self {\n        let field = |name: &str| body.get(name).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();\n        let has = |name: &str| body.get(name).is_some_and(|v| !v.is_null());\n        let _ = &has;\n        match (field(\"webhook_type\").as_str(), field(\"webhook_code\").as_str()) {\n");
    for (kind, marker, guarded) in &resolved {
        let guard = match (marker, guarded) {
            (Some(field), true) => format!(" if has({field:?})"),
            _ => String::new(),
        };
        writeln!(
            out,
            "            {}({:?}, {:?}){guard} => {{\n                if let Ok(webhook) = serde_json::from_value(body.clone()) {{\n                    return Self::{}(webhook);\n                }}\n            }}",
            cfg(kind),
            kind.webhook_type,
            kind.webhook_code,
            kind.variant
        )
        .ok();
    }
    out.push_str("            _ => {}\n        }\n        Self::Unknown(body)\n    }\n}\n");
    out
}

fn required(model: &Model, type_name: &str) -> BTreeSet<String> {
    match model.defs.get(type_name) {
        Some(Def::Struct(s)) => s
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.wire.clone())
            .collect(),
        _ => BTreeSet::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_literal_is_the_only_backticked_upper_case_word() {
        let prop = |d: &str| serde_yaml::from_str::<Value>(&format!("description: {d:?}")).unwrap();
        assert_eq!(
            literal(Some(&prop("`TRANSACTIONS`"))),
            Some("TRANSACTIONS".into())
        );
        assert_eq!(
            literal(Some(&prop("Always `SYNC_UPDATES_AVAILABLE`."))),
            Some("SYNC_UPDATES_AVAILABLE".into())
        );
        assert_eq!(literal(Some(&prop("`A` or `B`"))), None);
        assert_eq!(literal(Some(&prop("no literal"))), None);
        assert_eq!(literal(None), None);
    }
}
