//! The generated test driver: one call per operation, through its client
//! method, with sample arguments.

use std::fmt::Write as _;

use crate::builders::{setter_name, Plan};
use crate::model::{Def, Field, Model, Ty};
use crate::names;
use crate::operations::{Answer, Operation};
use crate::render::{raw_string_literal, type_path, HEADER};

/// A sample JSON value of `ty` that decodes into its generated type.
pub fn sample(model: &Model, ty: &Ty, depth: usize) -> serde_json::Value {
    use serde_json::{json, Value};
    match ty {
        Ty::String => json!("sample"),
        Ty::Date => json!("2024-01-31"),
        Ty::DateTime => json!("2024-01-31T12:00:00Z"),
        Ty::Int => json!(1),
        Ty::Float => json!(1.5),
        Ty::Bool => json!(true),
        Ty::Json | Ty::JsonMap | Ty::Map(_) => json!({}),
        Ty::List(inner) if depth < 4 => Value::Array(vec![sample(model, inner, depth + 1)]),
        Ty::List(_) => json!([]),
        Ty::Named(name) => match model.defs.get(name) {
            Some(Def::Enum(e)) => e.values.first().map_or(json!("sample"), |v| json!(v)),
            Some(Def::Alias(a)) => sample(model, &a.ty, depth),
            Some(Def::Struct(s)) => {
                let mut object = serde_json::Map::new();
                for field in s.fields.iter().filter(|f| f.required) {
                    let value = match &field.example {
                        Some(example @ Value::String(_)) if field.ty == Ty::String => {
                            example.clone()
                        }
                        _ => sample(model, &field.ty, depth + 1),
                    };
                    object.insert(field.wire.clone(), value);
                }
                Value::Object(object)
            }
            None => json!(null),
        },
    }
}

/// A Rust expression of type `ty` (or `impl Into<String>`) built from
/// `value`; string arguments can be overridden by field name at run time.
fn expression(field: &str, ty: &Ty, value: &serde_json::Value) -> String {
    match (ty, value) {
        (Ty::String, serde_json::Value::String(s)) => format!("text(overrides, {field:?}, {s:?})"),
        (Ty::Int, v) => format!("{}_i64", v.as_i64().unwrap_or(1)),
        (Ty::Float, v) => format!("{:?}_f64", v.as_f64().unwrap_or(1.5)),
        (Ty::Bool, v) => format!("{}", v.as_bool().unwrap_or(true)),
        (Ty::Date, v) => format!("date({:?})", v.as_str().unwrap_or("2024-01-31")),
        (Ty::DateTime, v) => format!(
            "date_time({:?})",
            v.as_str().unwrap_or("2024-01-31T12:00:00Z")
        ),
        (ty, v) => format!(
            "arg::<{}>({})",
            type_path(ty, "plaid_core::models::"),
            raw_string_literal(&v.to_string())
        ),
    }
}

/// Renders `call(client, operation_id)`.
pub fn render_calls(model: &Model, operations: &[Operation], plans: &[Plan<'_>]) -> String {
    let mut out = String::from(HEADER);
    writeln!(
        out,
        "\n//! Calls every operation through its client method with sample arguments.\n"
    )
    .ok();
    writeln!(
        out,
        "use plaid_core::Client;\n\nuse super::support::{{arg, binary_len, date, date_time, text, to_json}};\n"
    )
    .ok();
    writeln!(
        out,
        "/// Calls `operation_id` with sample arguments; `overrides` may replace a\n/// string argument by its field name. `None` for an unknown id."
    )
    .ok();
    writeln!(out, "#[allow(deprecated, clippy::too_many_lines)]").ok();
    writeln!(
        out,
        "pub async fn call(client: &Client, operation_id: &str, overrides: &dyn Fn(&str) -> Option<String>) -> Option<Result<serde_json::Value, plaid_core::Error>> {{"
    )
    .ok();
    writeln!(out, "    let result = match operation_id {{").ok();
    for (op, plan) in operations.iter().zip(plans) {
        let mut chain = String::from("client");
        for segment in &op.namespaces {
            write!(chain, ".{}()", names::snake(segment)).ok();
        }
        let value = |f: &Field| {
            let value = match &f.example {
                Some(example @ serde_json::Value::String(_)) if f.ty == Ty::String => {
                    example.clone()
                }
                _ => sample(model, &f.ty, 0),
            };
            expression(&f.wire, &f.ty, &value)
        };
        let args: Vec<String> = plan.positional.iter().map(|f| value(f)).collect();
        let setters: String = plan
            .required_setters
            .iter()
            .map(|f| format!(".{}({})", setter_name(&f.ident), value(f)))
            .collect();
        let convert = match op.answer {
            Answer::Json(_) => "to_json",
            Answer::Binary => "binary_len",
        };
        writeln!(
            out,
            "        {:?} => {chain}.{}({}){setters}.await.map(|r| {convert}(&r)),",
            op.operation_id,
            op.method_name,
            args.join(", ")
        )
        .ok();
    }
    writeln!(
        out,
        "        _ => return None,\n    }};\n    Some(result)\n}}"
    )
    .ok();
    out
}
