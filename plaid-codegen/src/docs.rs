//! Doc comments from the spec's data: facts about fields and operations
//! (names, types, requiredness, enums, formats, ranges, examples,
//! deprecations, links), never Plaid's prose.

use crate::model::{Field, Model};

/// The doc-comment lines (without `///`) describing `field`, set or read
/// under `label` (its JSON name, or `options.count` for a nested one).
pub fn field_doc_lines(_model: &Model, field: &Field, label: &str) -> Vec<String> {
    let mut line = format!("`{label}`");
    line.push_str(match (field.required, field.nullable) {
        (true, false) => ", required",
        (true, true) => ", required, may be null",
        (false, false) => ", optional",
        (false, true) => ", optional, may be null",
    });
    if field.deprecated {
        line.push_str("; deprecated by Plaid");
    }
    line.push('.');
    vec![line]
}
