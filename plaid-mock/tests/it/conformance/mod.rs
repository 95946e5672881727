//! Checks the fake's answers against Plaid's OpenAPI description: each JSON
//! answer against its operation's success schema, each error answer against
//! `PlaidError`, each file answer for its content type and file magic.
//!
//! The answers come from the product scenarios themselves: each one
//! `scenarios!` registered runs once more in-process through a recording transport,
//! and everything the fake answered is checked, so no flow is scripted a
//! second time here. Operations no scenario reaches are covered by
//! `sweep` (every operation once with its sample request, the generic
//! engine's families with objects the fake made) and `errors` (every kind
//! of error answer, provoked on purpose).
//!
//! The spec's OpenAPI 3.0 schemas become one JSON Schema (draft 2020-12)
//! document ([`openapi`]), validated with the `jsonschema` crate; `format`
//! is an annotation only. The spec is read from
//! `../shared/plaid-openapi/2020-09-14.yml` beside the repository, or from
//! `PLAID_OPENAPI_SPEC`.
//! `cargo test -p plaid-mock --test it conformance -- --nocapture` prints
//! the figures.

pub use std::collections::BTreeMap;

pub use bytes::Bytes;
pub use jsonschema::error::ValidationErrorKind;
pub use jsonschema::{ValidationError, ValidatorMap};
pub use plaid_core::test_util::RecordingTransport;
pub use plaid_core::HttpTransport;
pub use plaid_mock::{ErrorAnswer, MockPlaid};
pub use serde_json::{json, Value};

mod errors;
mod openapi;
mod report;
mod spec;
mod sweep;

pub use errors::*;
pub use report::*;
pub use spec::*;
pub use sweep::*;

use crate::support::{Fake, Scenario};

/// The scenarios whose answers are checked: every product's, the
/// generic engine's, and the request checks' sandbox facts.
fn scenarios() -> impl Iterator<Item = &'static Scenario> {
    let engine: [&[Scenario]; 3] = [
        crate::resources::SCENARIOS,
        crate::resources_unknown_ids::SCENARIOS,
        crate::validation::SCENARIOS,
    ];
    crate::products::SCENARIOS
        .iter()
        .copied()
        .chain(engine)
        .flatten()
}

/// The compiled schemas reject a broken answer, and say where and why.
fn the_schemas_bite(map: &ValidatorMap) {
    let broken = json!({
        "accounts": [{"account_id": "a", "balances": {"current": "12"}, "mask": null,
                      "name": "n", "official_name": null, "type": "checking", "subtype": null}],
        "request_id": "r"
    });
    let found = check(map, "AccountsGetResponse", &broken);
    for expected in [
        r#"at "" (required): "item" is a required property"#,
        r#"at "/accounts/0/balances/current" (type): "12" is not of types "null", "number""#,
        r#"at "/accounts/0/type" (enum): "checking" is not one of"#,
    ] {
        assert!(
            found.iter().any(|f| f.starts_with(expected)),
            "{expected:?} not among {found:#?}"
        );
    }
    let found = check(map, "PlaidError", &json!({"error_type": "ITEM_ERRORS"}));
    for expected in [
        r#"at "" (required): "error_code" is a required property"#,
        r#"at "" (required): "display_message" is a required property"#,
        r#"at "/error_type" (enum): "ITEM_ERRORS" is not one of"#,
    ] {
        assert!(
            found.iter().any(|f| f.starts_with(expected)),
            "{expected:?} not among {found:#?}"
        );
    }
}

/// Runs every scenario in-process through a recording transport and checks
/// each answer it got: success answers against their operation's schema,
/// errors against `PlaidError` (and the operation's own error schema).
/// Returns how many scenarios ran and how many answers were outside the
/// spec (the control API, unknown paths).
async fn scenario_answers(
    map: &ValidatorMap,
    operations: &[SpecOperation],
    report: &mut Report,
) -> (usize, usize) {
    let (mut ran, mut outside) = (0, 0);
    for scenario in scenarios() {
        let (fake, recorder) = Fake::recording((scenario.mock)());
        (scenario.run)(&fake).await;
        ran += 1;
        for answer in exchanges(&recorder) {
            let op = operations.iter().find(|op| op.path == answer.path);
            match op {
                Some(op) if (200..300).contains(&answer.status) => {
                    report.success(map, op, scenario.name, &answer)
                }
                _ if answer.status >= 400 => report.error(
                    map,
                    scenario.name,
                    None,
                    op.and_then(|op| op.error_schema.as_deref()),
                    &answer,
                ),
                _ => outside += 1,
            }
        }
    }
    (ran, outside)
}

#[tokio::test]
async fn every_answer_of_the_fake_conforms_to_the_spec() {
    let spec = spec();
    let components = spec["components"]["schemas"]
        .as_object()
        .expect("components.schemas");
    let map = build_map(&openapi::document(components));
    the_schemas_bite(&map);
    let operations = spec_operations(&spec);
    assert_eq!(operations.len(), 329, "the spec changed size");
    let mock = MockPlaid::new();
    let mut report = Report::default();

    every_operation_once(&mock, &map, &operations, &mut report).await;
    let every_operation = (report.json_answers, report.json_conform);
    let engine_json = report.json_answers;
    let engine_operations = engine_answers(&mock, &map, &operations, &mut report).await;
    println!(
        "{engine_operations} operations of the generic engine's families checked with objects \
         the fake made ({} JSON answers)",
        report.json_answers - engine_json
    );
    let scenario_json = report.json_answers;
    let (scenarios, outside) = scenario_answers(&map, &operations, &mut report).await;
    println!(
        "{scenarios} scenarios recorded: {} JSON answers checked, {outside} answers outside \
         the spec (control API) not checked",
        report.json_answers - scenario_json
    );
    for (label, code, answer) in provoked_errors(&mock).await {
        report.error(&map, label, Some(code), None, &answer);
    }
    // Every operation rejects wrong credentials (where it needs them) and an
    // unknown body field (where it reads a body) with a Plaid error.
    for op in &operations {
        let error_schema = op.error_schema.as_deref();
        if op.requires_credentials {
            let answer = send_raw(
                &mock,
                &op.method,
                &op.path,
                &[("plaid-secret", Some("wrong"))],
                "{}",
            )
            .await;
            report.error(
                &map,
                "wrong secret",
                Some("INVALID_API_KEYS"),
                error_schema,
                &answer,
            );
        }
        if op.method == "POST" {
            let answer =
                send_raw(&mock, "POST", &op.path, &[], r#"{"not_a_plaid_field": 1}"#).await;
            report.error(
                &map,
                "unknown field",
                Some("UNKNOWN_FIELDS"),
                error_schema,
                &answer,
            );
        }
    }

    println!(
        "{} operations validated: {} of {} JSON answers conform to their schema \
         ({} of {} from calling every operation once, {} from the engine's families and the \
         scenarios); {} of {} error answers conform to PlaidError ({} error codes: {:?}); \
         {} binary answers (file type and magic checked); {} empty answers",
        report.operations,
        report.json_conform,
        report.json_answers,
        every_operation.1,
        every_operation.0,
        report.json_answers - every_operation.0,
        report.error_conform,
        report.error_answers,
        report.error_codes.len(),
        report.error_codes,
        report.file_answers,
        report.empty_answers,
    );
    assert!(
        report.problems.is_empty(),
        "{} nonconforming answers:\n{}",
        report.problems.len(),
        report.problems.join("\n")
    );
    assert_eq!(report.operations, 329);
}
