//! Numbers in the models: which fields hold Plaid's non-integer numbers,
//! the Rust type they get and the serde adapter that reads and writes them.
//!
//! The rule is the spec's type, not a field's name: every property whose
//! schema (or the schema it refers to) is `type: number` is an amount for
//! the runtime, typed `plaid_core::money::Amount` (`f64`, or
//! `rust_decimal::Decimal` with plaid-core's `decimal` feature) and read and
//! written through `crate::money::exact`. `type: integer` stays `i64`.
//!
//! Names would miss money: `current`, `available`, `limit`, `rents`,
//! `royalties`, `principal` and `fees` are all balances or amounts, and a
//! third of the `number` properties have no `format` at all, so
//! `format: double` would miss them too.

use std::fmt::Write as _;

use crate::model::{Def, Field, Model, StructDef, Ty};
use crate::render::HEADER;

/// Where the list of fields holding amounts goes.
pub const FIELDS_FILE: &str = "plaid-core/src/generated/money_fields.rs";

/// The Rust spelling of an amount, from code whose generated types are
/// spelled with `prefix` (`crate::models::` inside plaid-core,
/// `plaid_core::models::` outside).
pub fn rust_type(prefix: &str) -> String {
    if prefix.starts_with("plaid_core::") {
        "plaid_core::money::Amount".into()
    } else {
        "crate::money::Amount".into()
    }
}

/// Whether `ty` holds an amount anywhere inside it.
pub fn contains_amount(model: &Model, ty: &Ty) -> bool {
    match ty {
        Ty::Float => true,
        Ty::List(inner) | Ty::Map(inner) => contains_amount(model, inner),
        Ty::Named(name) => match model.defs.get(name) {
            Some(Def::Alias(a)) => contains_amount(model, &a.ty),
            _ => false,
        },
        _ => false,
    }
}

/// The attribute that, with plaid-core's `decimal` feature, reads and
/// writes `field` of `owner` through `crate::money::exact`, if the field
/// holds amounts. Without the feature the field keeps serde's own `f64`
/// code, so the default build compiles exactly what it did before.
///
/// `null` reads as `None` for an optional field, as the decoding rule has
/// it; the rule's other half (a required map read as empty when `null`) has
/// no amount field in the spec and is refused rather than guessed.
pub fn serde_attribute(
    model: &Model,
    owner: &StructDef,
    field: &Field,
) -> Result<Option<String>, String> {
    let ty = match &field.ty {
        Ty::Named(name) => match model.defs.get(name) {
            Some(Def::Alias(a)) => &a.ty,
            _ => return Ok(None),
        },
        other => other,
    };
    let base = match ty {
        Ty::Float => "",
        Ty::Map(inner) if **inner == Ty::Float => "::map",
        other if contains_amount(model, other) => {
            return Err(format!(
                "{}.{}: numbers nested as {other:?} are not supported",
                owner.name, field.wire
            ))
        }
        _ => return Ok(None),
    };
    let optional = model.is_optional(owner, field);
    if base == "::map" && model.tolerates_null(owner, field) {
        return Err(format!(
            "{}.{}: a required map of numbers in an answer is not supported",
            owner.name, field.wire
        ));
    }
    let variant = match (optional, base) {
        (false, base) => base.to_owned(),
        (true, "") => "::option".to_owned(),
        (true, base) => format!("::option_{}", &base[2..]),
    };
    Ok(Some(format!(
        "#[cfg_attr(feature = \"decimal\", serde(with = \"crate::money::exact{variant}\"))]"
    )))
}

/// `plaid-core/src/generated/money_fields.rs`: `AMOUNT_FIELDS`, every
/// struct field holding amounts as (Rust type, JSON name), re-exported by
/// plaid-core's `money` module for its docs and its tests.
pub fn render_fields(model: &Model) -> String {
    let mut rows = Vec::new();
    for def in model.defs.values() {
        if let Def::Struct(s) = def {
            rows.extend(
                s.fields
                    .iter()
                    .filter(|f| contains_amount(model, &f.ty))
                    .map(|f| (s.name.as_str(), f.wire.as_str())),
            );
        }
    }
    let mut owners: Vec<&str> = rows.iter().map(|r| r.0).collect();
    owners.dedup();
    let mut out = String::from(HEADER);
    writeln!(
        out,
        "\n//! The fields that hold amounts.\n\n/// The {} fields, of {} types, that hold amounts: every property the spec\n/// types `number`, as (Rust type, JSON name), from every product group\n/// whichever are compiled. Each is an [`Amount`](crate::money::Amount) (or a map of them).\npub const AMOUNT_FIELDS: &[(&str, &str)] = &[",
        rows.len(),
        owners.len()
    )
    .ok();
    for (owner, wire) in &rows {
        writeln!(out, "    ({owner:?}, {wire:?}),").ok();
    }
    out.push_str("];\n");
    out
}
