//! The fake Plaid's table of every operation: what a request must carry and
//! a canned answer, for the operations the fake does not model with state.

use std::fmt::Write as _;

use crate::calls::sample;
use crate::model::{Def, Model, Ty};
use crate::operations::{Answer, Operation};
use crate::render::{raw_string_literal, HEADER};

/// Where the table goes.
pub const MOCK_TABLE: &str = "plaid-mock/src/generated/operations.rs";

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
    writeln!(out, "use crate::spec::{{FieldKind, OperationSpec}};\n").ok();
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
        let answer = match &op.answer {
            Answer::Binary => "None".to_owned(),
            Answer::Json(name) => {
                let value = op
                    .answer_example
                    .clone()
                    .unwrap_or_else(|| sample(model, &Ty::Named(name.clone()), 0));
                format!("Some({})", raw_string_literal(&value.to_string()))
            }
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
