//! Doc comments from the spec's data: facts about fields and operations
//! (names, types, requiredness, enums, formats, ranges, examples,
//! deprecations, links), never Plaid's prose.

use std::collections::BTreeMap;

use crate::model::{Def, Field, Model, Ty};
use crate::operations::{Answer, Operation};
use crate::render::type_path;

/// How many enum values a field's doc names before saying how many more.
const ENUM_VALUES_SHOWN: usize = 5;

/// How many operations a type's doc links to before saying how many more.
const OPERATIONS_SHOWN: usize = 5;

/// Examples longer than this (as compact JSON) are left out of field docs.
const EXAMPLE_MAX_CHARS: usize = 100;

/// The doc-comment lines (without `///`) describing `field`, set or read
/// under `label` (its JSON name, or `options.count` for a nested one).
pub fn field_doc_lines(model: &Model, field: &Field, label: &str) -> Vec<String> {
    let facts = &field.facts;
    let mut lines = vec![format!("`{label}`: {}", requiredness(model, field))];
    lines.push(String::new());
    let json = json_type(model, &field.ty, facts.json_type.as_deref());
    lines.push(format!(
        "- JSON: {json}; Rust: `{}`",
        type_path(&field.ty, "")
    ));
    if let Some(format) = &facts.format {
        lines.push(format!("- Format: {}", code(format)));
    }
    if let Some((name, values)) = enum_of(model, &field.ty) {
        lines.push(enum_line(name, values));
    }
    for (what, bound) in [("Minimum", &facts.minimum), ("Maximum", &facts.maximum)] {
        if let Some((value, exclusive)) = bound {
            let exclusive = if *exclusive { " (exclusive)" } else { "" };
            lines.push(format!("- {what}: `{value}`{exclusive}"));
        }
    }
    let counts = [
        ("Minimum length", facts.min_length, "characters"),
        ("Maximum length", facts.max_length, "characters"),
        ("Minimum items", facts.min_items, "items"),
        ("Maximum items", facts.max_items, "items"),
    ];
    for (what, count, unit) in counts {
        if let Some(n) = count {
            lines.push(format!("- {what}: {n} {unit}"));
        }
    }
    if facts.unique_items {
        lines.push("- Items are unique".to_owned());
    }
    if let Some(pattern) = &facts.pattern {
        lines.push(format!("- Pattern: {}", code(pattern)));
    }
    if let Some(default) = &facts.default {
        lines.push(format!(
            "- Default (what Plaid assumes when it is left out): {}",
            code(&default.to_string())
        ));
    }
    if let Some(example) = facts.example.as_ref().or(field.example.as_ref()) {
        let text = example.to_string();
        if text.chars().count() <= EXAMPLE_MAX_CHARS {
            lines.push(format!("- Example: {}", code(&text)));
        }
    }
    if field.deprecated {
        lines.push("- Deprecated by Plaid: avoid relying on it.".to_owned());
    }
    lines
}

/// Whether the field must be there, may be `null`, and what the decoding
/// rule (see `Model::is_optional`) makes of it.
fn requiredness(model: &Model, field: &Field) -> String {
    let owner = match model.defs.get(&field.facts.owner) {
        Some(Def::Struct(owner)) => owner,
        _ => {
            return match field.required {
                true => "required.".to_owned(),
                false => "optional.".to_owned(),
            }
        }
    };
    let optional = model.is_optional(owner, field);
    match (field.required, field.nullable) {
        (false, false) => "optional (`None` when left out).".to_owned(),
        (false, true) => "optional, may be `null` (both decode as `None`).".to_owned(),
        (true, true) => "required, may be `null` (`None`).".to_owned(),
        (true, false) if optional => format!(
            "required by the spec, yet an `Option`: Plaid may omit it or send `null`, \
             and that decodes as `None` rather than a made-up {}.",
            kind_of(model, &field.ty)
        ),
        (true, false) if model.tolerates_null(owner, field) => format!(
            "required. If Plaid omits it or sends `null`, it decodes as {}.",
            empty_value(model, &field.ty)
        ),
        (true, false) => "required.".to_owned(),
    }
}

/// What sort of value a stand-in would have had to be made up for.
fn kind_of(model: &Model, ty: &Ty) -> &'static str {
    match ty {
        Ty::Int | Ty::Float => "number",
        Ty::Bool => "boolean",
        Ty::Date | Ty::DateTime => "date",
        Ty::Named(name) => match model.defs.get(name) {
            Some(Def::Alias(alias)) => kind_of(model, &alias.ty),
            _ => "value",
        },
        _ => "value",
    }
}

/// The empty value a `null` or missing required field decodes as.
fn empty_value(model: &Model, ty: &Ty) -> &'static str {
    match ty {
        Ty::String => "`\"\"`",
        Ty::List(_) => "`[]`",
        Ty::Map(_) | Ty::JsonMap => "`{}`",
        Ty::Json => "`null`",
        Ty::Named(name) => match model.defs.get(name) {
            Some(Def::Enum(_)) => "`Unknown(\"\")`",
            Some(Def::Alias(alias)) => empty_value(model, &alias.ty),
            _ => "an object of empty fields",
        },
        _ => "its empty value",
    }
}

/// The JSON type of `ty`, as the spec names it.
fn json_type(model: &Model, ty: &Ty, declared: Option<&str>) -> String {
    let base = match ty {
        Ty::String | Ty::Date | Ty::DateTime => "`string`".to_owned(),
        Ty::Int => "`integer`".to_owned(),
        Ty::Float => "`number`".to_owned(),
        Ty::Bool => "`boolean`".to_owned(),
        Ty::Json => "any value".to_owned(),
        Ty::JsonMap => "free-form `object`".to_owned(),
        Ty::Named(name) => match model.defs.get(name) {
            Some(Def::Struct(_)) => format!("`object` (see {})", type_link(name)),
            Some(Def::Enum(_)) => format!("`string` (see {})", type_link(name)),
            Some(Def::Alias(alias)) => json_type(model, &alias.ty, None),
            None => "`object`".to_owned(),
        },
        Ty::List(inner) => format!("`array` of {}", json_type(model, inner, None)),
        Ty::Map(inner) => format!(
            "`object` with a {} under each key",
            json_type(model, inner, None)
        ),
    };
    match declared {
        Some(kind) if matches!(ty, Ty::Json) => code(kind),
        _ => base,
    }
}

/// The enum `ty` is (or holds, for a list or map), with its values.
fn enum_of<'m>(model: &'m Model, ty: &Ty) -> Option<(&'m str, &'m [String])> {
    match ty {
        Ty::Named(name) => match model.defs.get(name)? {
            Def::Enum(e) => Some((&e.name, &e.values)),
            Def::Alias(alias) => enum_of(model, &alias.ty),
            Def::Struct(_) => None,
        },
        Ty::List(inner) | Ty::Map(inner) => enum_of(model, inner),
        _ => None,
    }
}

fn enum_line(name: &str, values: &[String]) -> String {
    let shown: Vec<String> = values
        .iter()
        .take(ENUM_VALUES_SHOWN)
        .map(|v| code(&format!("{v:?}")))
        .collect();
    let rest = values.len().saturating_sub(ENUM_VALUES_SHOWN);
    let more = if rest > 0 {
        format!(" and {rest} more")
    } else {
        String::new()
    };
    format!(
        "- Values: {}{more} ({} known, see {}; others decode as `Unknown`)",
        shown.join(", "),
        values.len(),
        type_link(name)
    )
}

/// A link to the model type `name` that resolves from any module (the
/// same lines document a model's field and a builder's setter).
fn type_link(name: &str) -> String {
    format!("[`{name}`](crate::models::{name})")
}

/// `text` as an inline code span, whatever backticks it holds.
fn code(text: &str) -> String {
    let mut fence = String::from("`");
    while text.contains(fence.as_str()) {
        fence.push('`');
    }
    if fence.len() > 1 || text.starts_with(' ') || text.ends_with(' ') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// Which operations use each generated type: as their request, as their
/// answer, or anywhere inside either. For the types' doc links.
#[derive(Debug)]
pub struct Usage<'o> {
    operations: &'o [Operation],
    request_of: BTreeMap<String, Vec<usize>>,
    answer_of: BTreeMap<String, Vec<usize>>,
    reached_by: BTreeMap<String, Vec<usize>>,
}

impl<'o> Usage<'o> {
    /// Works out the usage of every type of `model` by `operations`.
    pub fn new(model: &Model, operations: &'o [Operation]) -> Self {
        let mut usage = Usage {
            operations,
            request_of: BTreeMap::new(),
            answer_of: BTreeMap::new(),
            reached_by: BTreeMap::new(),
        };
        for (index, op) in operations.iter().enumerate() {
            usage
                .request_of
                .entry(op.request.clone())
                .or_default()
                .push(index);
            let mut roots = vec![op.request.clone()];
            if let Answer::Json(name) = &op.answer {
                usage.answer_of.entry(name.clone()).or_default().push(index);
                roots.push(name.clone());
            }
            for name in model.reachable(roots) {
                usage.reached_by.entry(name).or_default().push(index);
            }
        }
        usage
    }

    /// The doc-comment lines (without `///`) saying which operations use
    /// type `name`, with links to their pages in Plaid's docs.
    pub fn type_doc_lines(&self, name: &str) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(ops) = self.request_of.get(name) {
            lines.push(format!("The request body of {}.", self.links(ops)));
        }
        if let Some(ops) = self.answer_of.get(name) {
            lines.push(format!("The answer of {}.", self.links(ops)));
        }
        if lines.is_empty() {
            lines.push(match self.reached_by.get(name) {
                Some(ops) => format!("Part of the requests or answers of {}.", self.links(ops)),
                None => {
                    "Part of no operation's request or answer (a webhook body, or unused).".into()
                }
            });
        }
        lines
    }

    fn links(&self, ops: &[usize]) -> String {
        let mut shown: Vec<String> = ops
            .iter()
            .take(OPERATIONS_SHOWN)
            .map(|&i| {
                let op = &self.operations[i];
                let title = format!("{} {}", op.method.to_uppercase(), op.path);
                match &op.docs_url {
                    Some(url) => format!("[`{title}`]({url})"),
                    None => format!("`{title}`"),
                }
            })
            .collect();
        let rest = ops.len().saturating_sub(OPERATIONS_SHOWN);
        if rest > 0 {
            shown.push(format!("{rest} more"));
        }
        match shown.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, init)) => format!("{} and {last}", init.join(", ")),
            None => String::new(),
        }
    }
}
