//! Helpers the generated calls (`tests/generated/calls.rs`) and the tests
//! that drive them use.

use serde::de::DeserializeOwned;

pub fn arg<T: DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("sample {json} does not decode: {e}"))
}

pub fn date(text: &str) -> time::Date {
    serde_json::from_value::<Wrapped>(serde_json::json!({ "d": text, "t": "2024-01-01T00:00:00Z" }))
        .unwrap()
        .d
}

pub fn date_time(text: &str) -> time::OffsetDateTime {
    serde_json::from_value::<Wrapped>(serde_json::json!({ "d": "2024-01-01", "t": text }))
        .unwrap()
        .t
}

#[derive(serde::Deserialize)]
struct Wrapped {
    #[serde(with = "plaid_core::__private::wire::iso_date")]
    d: time::Date,
    #[serde(with = "plaid_core::__private::wire::rfc3339")]
    t: time::OffsetDateTime,
}

pub fn text(overrides: &dyn Fn(&str) -> Option<String>, field: &str, sample: &str) -> String {
    overrides(field).unwrap_or_else(|| sample.to_owned())
}

pub fn to_json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).expect("a decoded answer re-encodes")
}

pub fn binary_len(value: &plaid_core::Binary) -> serde_json::Value {
    serde_json::json!({ "binary_len": value.0.len() })
}

/// Every operation whose sample arguments the fake refuses as Plaid does,
/// with the error code it must give: the product lifecycles of
/// [`sample_ids_refused_by_models`], and each action of a generic-engine family
/// (anything but create and list) whose request requires the family's id,
/// since a `"sample"` id names no object the fake made. Sorted by path.
pub fn sample_ids_refused() -> Vec<(&'static str, &'static str)> {
    let mut out = sample_ids_refused_by_models();
    for family in plaid_mock::resource_families() {
        if family.id_request.is_empty() {
            continue;
        }
        for (verb, path) in family.verbs {
            let names_the_id = plaid_mock::sample_request(path)
                .is_some_and(|body| body.get(family.id_request).is_some());
            if !matches!(verb, "create" | "list") && names_the_id {
                assert!(
                    out.iter().all(|(listed, _)| *listed != path),
                    "{path} is an engine action: its route entry must not refuse samples"
                );
                out.push((path, "INVALID_FIELD"));
            }
        }
    }
    out.sort_unstable();
    out
}

/// The error code `path`'s sample arguments must be refused with, if they
/// must be (see [`sample_ids_refused`]).
pub fn sample_id_refusal(refused: &[(&str, &'static str)], path: &str) -> Option<&'static str> {
    refused
        .iter()
        .find(|(listed, _)| *listed == path)
        .map(|(_, code)| *code)
}

/// Operations a product model answers whose sample arguments name objects
/// nobody made (a `"sample"` transfer id, link token, recipient…) or are not
/// valid values, with the error code the fake refuses them with: what the
/// fake's route table says ([`plaid_mock::modelled_operations`]).
/// plaid-mock's product scenarios call them with real ids, and its
/// conformance test (`plaid-mock/tests/it/conformance`) checks those answers.
pub fn sample_ids_refused_by_models() -> Vec<(&'static str, &'static str)> {
    plaid_mock::modelled_operations()
        .into_iter()
        .filter_map(|op| Some((op.path, op.sample_refusal?)))
        .collect()
}
