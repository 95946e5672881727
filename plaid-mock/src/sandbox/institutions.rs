//! `/institutions/get`, `/institutions/get_by_id` and `/institutions/search`
//! over the sandbox institutions and the plausible ones made for any other
//! `ins_<digits>` id.

use serde_json::{json, Map, Value};

use super::field;
use crate::kernel::errors::ErrorAnswer;
use crate::kernel::spec::FieldError;
use crate::sandbox::data::Institution;

/// An `institution_id` its schema refuses (too long, say) is an
/// institution the sandbox does not have, as Plaid answers it.
pub(crate) const UNKNOWN_INSTITUTION: &[FieldError] = &[FieldError {
    field: "institution_id",
    error_type: "INVALID_INPUT",
    error_code: "INVALID_INSTITUTION",
}];

/// Whether `options.include_optional_metadata` is `true`.
fn optional_metadata(body: &Map<String, Value>) -> bool {
    body.get("options")
        .and_then(|o| o.get("include_optional_metadata"))
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// The strings of the array `name` in `object`, or `None` when absent.
fn strings<'a>(object: Option<&'a Map<String, Value>>, name: &str) -> Option<Vec<&'a str>> {
    object
        .and_then(|o| o.get(name))
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Value::as_str).collect())
}

/// Whether `institution` passes the filters of a list or search request:
/// `country_codes`, `products` (all of them), `options.oauth`,
/// `options.products`, `options.routing_numbers`.
fn institution_matches(institution: &Institution, body: &Map<String, Value>) -> bool {
    let options = body.get("options").and_then(Value::as_object);
    let countries = strings(Some(body), "country_codes").unwrap_or_default();
    let products = strings(Some(body), "products")
        .into_iter()
        .chain(strings(options, "products"))
        .flatten();
    let routing = strings(options, "routing_numbers");
    let oauth = options
        .and_then(|o| o.get("oauth"))
        .and_then(Value::as_bool);
    (countries.is_empty() || institution.countries.iter().any(|c| countries.contains(c)))
        && products
            .into_iter()
            .all(|p| institution.products.contains(&p))
        && oauth.is_none_or(|o| institution.oauth == o)
        && routing.is_none_or(|r| {
            r.iter()
                .any(|n| institution.routing_numbers.iter().any(|own| own == n))
        })
}

pub(crate) fn institutions_get(body: &Map<String, Value>) -> Value {
    let count = body.get("count").and_then(Value::as_u64).unwrap_or(10) as usize;
    let offset = body.get("offset").and_then(Value::as_u64).unwrap_or(0) as usize;
    let metadata = optional_metadata(body);
    let matching: Vec<Institution> = Institution::sandbox_all()
        .filter(|i| institution_matches(i, body))
        .collect();
    let page: Vec<Value> = matching
        .iter()
        .skip(offset)
        .take(count)
        .map(|i| i.to_json(metadata))
        .collect();
    json!({"institutions": page, "total": matching.len()})
}

fn invalid_institution(message: String) -> ErrorAnswer {
    ErrorAnswer::new(400, "INVALID_INPUT", "INVALID_INSTITUTION", message)
}

/// An institution by id: the sandbox ones, or any well-formed id of
/// Plaid's directory (derived from its digits); a malformed id, or one
/// outside the `country_codes` asked for, is `INVALID_INSTITUTION`.
pub(crate) fn institution_by_id(body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let id = field(body, "institution_id");
    let institution = Institution::find(id)
        .ok_or_else(|| invalid_institution(format!("{id:?} is not an institution id")))?;
    let countries = strings(Some(body), "country_codes").unwrap_or_default();
    if !countries.is_empty() && !institution.countries.iter().any(|c| countries.contains(c)) {
        return Err(invalid_institution(format!(
            "{id} is not in the country codes {countries:?}"
        )));
    }
    Ok(json!({"institution": institution.to_json(optional_metadata(body))}))
}

pub(crate) fn institutions_search(body: &Map<String, Value>) -> Value {
    let query = field(body, "query").to_lowercase();
    let metadata = optional_metadata(body);
    let found: Vec<Value> = Institution::sandbox_all()
        .filter(|i| i.name.to_lowercase().contains(&query))
        .filter(|i| institution_matches(i, body))
        .map(|i| i.to_json(metadata))
        .collect();
    json!({"institutions": found})
}

/// The name of an institution, for answers that carry it.
pub(crate) fn institution_name(id: &str) -> String {
    Institution::find(id)
        .map(|i| i.name)
        .unwrap_or_default()
        .to_string()
}
