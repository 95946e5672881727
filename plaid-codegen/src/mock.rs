//! The fake Plaid's table of every operation: what a request must carry and
//! a canned answer, for the operations the fake does not model with state.
//!
//! A canned JSON answer is the spec's example where it has one, completed
//! where the example does not fit the answer's own schema (see
//! [`complete`]), or else a sample built from the schema.

use std::fmt::Write as _;

use crate::calls::sample;
use serde_json::Value;

use crate::model::{Def, Model, Ty};
use crate::operations::{Answer, Operation};
use crate::render::{raw_string_literal, HEADER};

/// Where the table goes.
pub const MOCK_TABLE: &str = "plaid-mock/src/kernel/spec/generated/operations.rs";

fn kind(model: &Model, ty: &Ty) -> &'static str {
    match ty {
        Ty::String | Ty::Date | Ty::DateTime => "FieldKind::String",
        Ty::Int | Ty::Float => "FieldKind::Number",
        Ty::Bool => "FieldKind::Bool",
        Ty::List(_) => "FieldKind::Array",
        Ty::Map(_) | Ty::JsonMap => "FieldKind::Object",
        Ty::Json => "FieldKind::Any",
        Ty::Named(name) => match model.defs.get(name) {
            Some(Def::Struct(_)) => "FieldKind::Object",
            Some(Def::Enum(_)) => "FieldKind::String",
            Some(Def::Alias(a)) => kind(model, &a.ty),
            None => "FieldKind::Any",
        },
    }
}

/// Renders the table.
pub fn render_mock_table(model: &Model, operations: &[Operation]) -> String {
    let mut out = String::from(HEADER);
    writeln!(
        out,
        "\n//! Every operation of Plaid's OpenAPI description: request fields and a canned answer.\n"
    )
    .ok();
    writeln!(
        out,
        "use crate::kernel::spec::{{Canned, FieldKind, OperationSpec}};\n"
    )
    .ok();
    writeln!(out, "/// Every operation, in spec order.").ok();
    writeln!(out, "pub static OPERATIONS: &[OperationSpec] = &[").ok();
    for op in operations {
        let fields: Vec<String> = match model.defs.get(&op.request) {
            Some(Def::Struct(s)) if !op.synthetic_request => s
                .fields
                .iter()
                .map(|f| {
                    format!(
                        "({:?}, {}, {})",
                        f.wire,
                        kind(model, &f.ty),
                        f.required && !f.nullable
                    )
                })
                .collect(),
            _ => Vec::new(),
        };
        let answer = match (&op.answer, op.answer_media.as_deref()) {
            (Answer::Json(name), _) => {
                let ty = Ty::Named(name.clone());
                let value = match op.answer_example.clone() {
                    Some(mut example) => {
                        let mut changed = Vec::new();
                        complete(model, &ty, &mut example, "", &mut changed);
                        if !changed.is_empty() {
                            writeln!(
                                out,
                                "    // The spec's example does not fit {name}; completed at {}.",
                                changed.join(", ")
                            )
                            .ok();
                        }
                        example
                    }
                    None => sample(model, &ty, 0),
                };
                format!("Canned::Json({})", raw_string_literal(&value.to_string()))
            }
            (Answer::Binary, Some(media)) => format!("Canned::File({media:?})"),
            (Answer::Binary, None) => "Canned::Empty".to_owned(),
        };
        writeln!(
            out,
            "    OperationSpec {{ method: {:?}, path: {:?}, requires_credentials: {}, fields: &[{}], answer: {answer} }},",
            op.method.to_uppercase(),
            op.path,
            op.requires_credentials,
            fields.join(", ")
        )
        .ok();
    }
    writeln!(out, "];").ok();
    out
}

/// Makes `value` fit `ty` as the spec's schema describes it, for examples
/// that do not: a missing required field, a `null` where none is allowed,
/// a value of the wrong JSON kind or an enum value the schema does not list
/// is replaced by a sample. Adds the JSON path of each change to `changed`.
pub fn complete(model: &Model, ty: &Ty, value: &mut Value, path: &str, changed: &mut Vec<String>) {
    let def = match ty {
        Ty::Named(name) => model.defs.get(name),
        _ => None,
    };
    if let Some(Def::Alias(alias)) = def {
        return complete(model, &alias.ty, value, path, changed);
    }
    let fits = match (ty, def) {
        (Ty::String | Ty::Date | Ty::DateTime, _) => value.is_string(),
        (Ty::Int, _) => value.as_f64().is_some_and(|n| n.fract() == 0.0),
        (Ty::Float, _) => value.is_number(),
        (Ty::Bool, _) => value.is_boolean(),
        (Ty::List(_), _) => value.is_array(),
        (Ty::Map(_) | Ty::JsonMap, _) | (Ty::Named(_), Some(Def::Struct(_))) => value.is_object(),
        (Ty::Named(_), Some(Def::Enum(e))) => {
            let text = match &*value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            e.values.contains(&text)
        }
        _ => true,
    };
    if !fits {
        *value = sample(model, ty, 0);
        changed.push(if path.is_empty() {
            "the top".into()
        } else {
            path.to_owned()
        });
        return;
    }
    match (ty, def, value) {
        (_, Some(Def::Struct(s)), Value::Object(fields)) => {
            for field in &s.fields {
                let here = format!("{path}.{}", field.wire);
                match fields.get_mut(&field.wire) {
                    None if field.required => {
                        fields.insert(field.wire.clone(), sample(model, &field.ty, 0));
                        changed.push(here);
                    }
                    None => {}
                    Some(Value::Null) if field.nullable => {}
                    Some(inner) => complete(model, &field.ty, inner, &here, changed),
                }
            }
        }
        (Ty::List(inner), _, Value::Array(items)) => {
            for (i, item) in items.iter_mut().enumerate() {
                complete(model, inner, item, &format!("{path}[{i}]"), changed);
            }
        }
        (Ty::Map(inner), _, Value::Object(entries)) => {
            for (key, entry) in entries.iter_mut() {
                complete(model, inner, entry, &format!("{path}.{key}"), changed);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn model(yaml: &str) -> Model {
        crate::model::build(&serde_yaml::from_str(yaml).unwrap()).unwrap()
    }

    const SCHEMAS: &str = r#"
Tier:
  type: string
  enum: [low, high]
Risk:
  type: object
  properties:
    score: {type: integer}
    tier: {$ref: '#/components/schemas/Tier'}
    note: {type: string, nullable: true}
  required: [score, tier, note]
Answer:
  type: object
  properties:
    risks:
      type: array
      items: {$ref: '#/components/schemas/Risk'}
    by_name:
      type: object
      additionalProperties: {$ref: '#/components/schemas/Risk'}
    request_id: {type: string}
  required: [risks, request_id]
"#;

    fn completed(value: Value) -> (Value, Vec<String>) {
        let model = model(SCHEMAS);
        let mut value = value;
        let mut changed = Vec::new();
        complete(
            &model,
            &Ty::Named("Answer".into()),
            &mut value,
            "",
            &mut changed,
        );
        (value, changed)
    }

    #[test]
    fn an_example_that_fits_is_left_alone() {
        let example = json!({
            "risks": [{"score": 3, "tier": "high", "note": null, "unlisted": true}],
            "by_name": {"a": {"score": 1.0, "tier": "low", "note": "n"}},
            "request_id": "r"
        });
        assert_eq!(completed(example.clone()), (example, Vec::<String>::new()));
    }

    #[test]
    fn missing_required_fields_are_filled_and_reported() {
        let (value, changed) = completed(
            json!({"risks": [{"score": 3}], "by_name": {"a": {"tier": "low", "note": null}}}),
        );
        assert_eq!(
            value,
            json!({
                "risks": [{"score": 3, "tier": "low", "note": "sample"}],
                "by_name": {"a": {"score": 1, "tier": "low", "note": null}},
                "request_id": "sample"
            })
        );
        assert_eq!(
            changed,
            [
                ".risks[0].tier",
                ".risks[0].note",
                ".by_name.a.score",
                ".request_id"
            ]
        );
    }

    #[test]
    fn wrong_kinds_forbidden_nulls_and_unlisted_enum_values_are_replaced() {
        let (value, changed) = completed(json!({
            "risks": [{"score": "3", "tier": "medium", "note": 5}, null],
            "request_id": null
        }));
        assert_eq!(
            value,
            json!({
                "risks": [{"score": 1, "tier": "low", "note": "sample"}, {"score": 1, "tier": "low", "note": "sample"}],
                "request_id": "sample"
            })
        );
        assert_eq!(
            changed,
            [
                ".risks[0].score",
                ".risks[0].tier",
                ".risks[0].note",
                ".risks[1]",
                ".request_id"
            ]
        );
    }
}
