//! The generated docs: every operation links to its page in Plaid's docs,
//! field docs carry the spec's facts, deprecated fields are
//! `#[deprecated]`, and no doc comment copies Plaid's prose.
//!
//! The spec is read from `../shared/plaid-openapi/2020-09-14.yml` beside the
//! repository, or from `PLAID_OPENAPI_SPEC`.

use std::collections::{BTreeMap, HashSet};

use serde_yaml::Value;

fn spec_text() -> String {
    let path = std::env::var("PLAID_OPENAPI_SPEC").unwrap_or_else(|_| {
        format!(
            "{}/../../shared/plaid-openapi/2020-09-14.yml",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("this test needs Plaid's OpenAPI spec at {path} (or set PLAID_OPENAPI_SPEC): {e}")
    })
}

fn generated() -> (Value, BTreeMap<String, String>) {
    let text = spec_text();
    let spec = serde_yaml::from_str(&text).expect("the spec is YAML");
    let files = plaid_codegen::generate(&text).expect("the spec generates");
    (spec, files)
}

/// The doc lines (without `///`) right above `pub <field>:` in `source`.
fn field_doc(source: &str, type_name: &str, field: &str) -> Vec<String> {
    let start = source
        .find(&format!("pub struct {type_name} {{"))
        .unwrap_or_else(|| panic!("no struct {type_name}"));
    let body = &source[start..];
    let end = body
        .find(&format!("pub {field}:"))
        .unwrap_or_else(|| panic!("no field {type_name}.{field}"));
    let mut lines: Vec<String> = body[..end]
        .lines()
        .rev()
        .skip(1)
        .take_while(|l| {
            let l = l.trim();
            l.starts_with("///") || l.starts_with("#[")
        })
        .map(|l| l.trim().to_owned())
        .collect();
    lines.reverse();
    lines
}

#[test]
fn every_operation_links_to_its_page_in_plaids_docs() {
    let operations = plaid_core::OPERATIONS;
    assert_eq!(operations.len(), 329, "the spec has 329 operations");
    let missing: Vec<&str> = operations
        .iter()
        .filter(|op| {
            !op.docs_url
                .is_some_and(|url| url.starts_with("https://plaid.com/docs/"))
        })
        .map(|op| op.path)
        .collect();
    assert!(missing.is_empty(), "no Plaid docs link: {missing:?}");
    let url = |path: &str| {
        operations
            .iter()
            .find(|op| op.path == path)
            .and_then(|op| op.docs_url)
    };
    // The spec says `/api/products/assets/#asset_reportcreate`.
    assert_eq!(
        url("/asset_report/create"),
        Some("https://plaid.com/docs/api/products/assets/#asset_reportcreate")
    );
    // No page in the spec; the others under `/item/application/` disagree
    // or have none, so the API reference's index rather than a guess.
    assert_eq!(
        url("/item/application/list"),
        Some("https://plaid.com/docs/api/")
    );
}

#[test]
fn field_docs_carry_the_specs_ranges_defaults_and_requiredness() {
    let (spec, files) = generated();
    let count =
        &spec["components"]["schemas"]["TransactionsGetRequestOptions"]["properties"]["count"];
    assert_eq!(
        (
            count["minimum"].as_i64(),
            count["maximum"].as_i64(),
            count["default"].as_i64()
        ),
        (Some(1), Some(500), Some(100)),
        "the spec's facts this test expects"
    );
    let transactions = &files["plaid-core/src/generated/models/transactions.rs"];
    let doc = field_doc(transactions, "TransactionsGetRequestOptions", "count").join("\n");
    assert!(doc.contains("/// `count`: optional"), "{doc}");
    assert!(doc.contains("- JSON: `integer`; Rust: `i64`"), "{doc}");
    assert!(doc.contains("- Minimum: `1`\n"), "{doc}");
    assert!(doc.contains("- Maximum: `500`\n"), "{doc}");
    assert!(
        doc.contains("- Default (what Plaid assumes when it is left out): `100`"),
        "{doc}"
    );

    // A required number in a type Plaid sends is an `Option`; its doc says why.
    let shared = &files["plaid-core/src/generated/models/shared.rs"];
    let doc = field_doc(shared, "AccountBalance", "iso_currency_code").join("\n");
    assert!(doc.contains("may be `null`"), "{doc}");
    let doc = field_doc(shared, "Transaction", "amount").join("\n");
    assert!(
        doc.contains("required by the spec, yet an `Option`: Plaid may omit it or send `null`, and that decodes as `None`"),
        "{doc}"
    );
    // A required string decodes `null` as its empty value.
    let doc = field_doc(shared, "Transaction", "transaction_id").join("\n");
    assert!(doc.contains("it decodes as `\"\"`"), "{doc}");
    // A date names its format; an enum its values and how many there are.
    let doc = field_doc(shared, "Transaction", "date").join("\n");
    assert!(doc.contains("- Format: `date`"), "{doc}");
    let doc = field_doc(shared, "AccountBase", "type_").join("\n");
    assert!(
        doc.contains("- Values: `\"investment\"`, `\"credit\"`, `\"depository\"`, `\"loan\"`, `\"brokerage\"` and 1 more (6 known, see [`AccountType`](crate::models::AccountType)"),
        "{doc}"
    );
}

#[test]
fn deprecated_fields_are_deprecated() {
    let (_, files) = generated();
    let transactions = &files["plaid-core/src/generated/models/transactions.rs"];
    let doc = field_doc(
        transactions,
        "TransactionsGetRequestOptions",
        "include_personal_finance_category",
    );
    assert!(
        doc.iter().any(|l| l.starts_with("#[deprecated(")),
        "{doc:?}"
    );
    assert!(
        doc.iter().any(|l| l.contains("Deprecated by Plaid")),
        "{doc:?}"
    );
    let doc = field_doc(transactions, "TransactionsGetRequestOptions", "count");
    assert!(
        !doc.iter().any(|l| l.starts_with("#[deprecated(")),
        "{doc:?}"
    );
}

#[test]
fn types_link_to_the_operations_that_use_them() {
    let (_, files) = generated();
    let transactions = &files["plaid-core/src/generated/models/transactions.rs"];
    let page = "https://plaid.com/docs/api/products/transactions/#transactionsget";
    assert!(
        transactions.contains(&format!(
            "/// The request body of [`POST /transactions/get`]({page})."
        )),
        "TransactionsGetRequest links to its operation"
    );
    assert!(
        transactions.contains(&format!(
            "/// The answer of [`POST /transactions/get`]({page})."
        )),
        "TransactionsGetResponse links to its operation"
    );
    // A type many operations use lists five and counts the rest.
    let shared = &files["plaid-core/src/generated/models/shared.rs"];
    let start = shared
        .find("pub struct AccountBase {")
        .expect("AccountBase");
    let doc = &shared[shared[..start].rfind("/// `AccountBase`").expect("its doc")..start];
    assert_eq!(doc.matches("](https://plaid.com/docs/").count(), 5, "{doc}");
    assert!(doc.contains(" more."), "{doc}");
    // Items of a feature-gated group carry its badge.
    let block = &transactions[..transactions
        .find("pub struct TransactionsGetRequest {")
        .expect("TransactionsGetRequest")];
    assert!(
        block.ends_with(
            "#[cfg_attr(docsrs, doc(cfg(feature = \"transactions\")))]\n#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]\n"
        ) || block.contains("#[cfg_attr(docsrs, doc(cfg(feature = \"transactions\")))]\n#[derive("),
        "no feature badge"
    );
    let models = &files["plaid-core/src/generated/models/mod.rs"];
    assert!(models.contains(
        "#[cfg(feature = \"transfer\")]\n#[cfg_attr(docsrs, doc(cfg(feature = \"transfer\")))]\npub mod transfer;"
    ));
    // The exchange's builder and client method say what to do when its
    // outcome is unknown; no other operation carries that note.
    let item = &files["plaid-core/src/generated/api/item.rs"];
    let doc_of = |item_start: &str| {
        let end = item
            .find(item_start)
            .unwrap_or_else(|| panic!("{item_start}"));
        let start = item[..end]
            .rfind("/// `POST ")
            .expect("the doc's first line");
        item[start..end].to_owned()
    };
    for doc in [
        doc_of("pub struct ItemPublicTokenExchange {"),
        doc_of("pub fn exchange(self, public_token"),
    ] {
        let text = doc
            .replace("///", " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        for needed in [
            "[`Error::may_have_reached_plaid`](crate::Error::may_have_reached_plaid) true",
            "Do not simply send the exchange again",
            "fails with `INVALID_PUBLIC_TOKEN`",
            "have the user link again",
        ] {
            assert!(text.contains(needed), "missing {needed:?} in: {text}");
        }
    }
    let notes = files
        .values()
        .filter(|source| source.contains("INVALID_PUBLIC_TOKEN"))
        .map(|source| {
            let text = source.replace("///", " ");
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            text.matches("Do not simply send the exchange again")
                .count()
        })
        .sum::<usize>();
    assert_eq!(
        notes, 2,
        "the note is on the exchange's builder and method only"
    );
}

/// Every `description` in the spec, split into sentences.
fn description_sentences(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Mapping(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    (Some("description"), Value::String(text)) => out.extend(
                        text.split(['\n', '.'])
                            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                            // A sentence is prose; a lone link or code the
                            // split left behind is data, which may carry over.
                            .filter(|s| s.len() > 40 && s.split(' ').count() >= 4),
                    ),
                    _ => description_sentences(inner, out),
                }
            }
        }
        Value::Sequence(items) => items.iter().for_each(|i| description_sentences(i, out)),
        _ => {}
    }
}

#[test]
fn no_doc_comment_copies_the_specs_prose() {
    let (spec, files) = generated();
    let mut sentences = Vec::new();
    description_sentences(&spec, &mut sentences);
    assert!(sentences.len() > 1000, "{} sentences", sentences.len());
    // The text of every doc comment of the generated library, one space
    // between words.
    let docs: String = files
        .iter()
        .filter(|(path, _)| path.starts_with(plaid_codegen::OUT_DIR))
        .flat_map(|(_, text)| text.lines())
        .filter_map(|l| {
            let l = l.trim();
            l.strip_prefix("///").or_else(|| l.strip_prefix("//!"))
        })
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ");
    // Shortlist by the first five words, then look for the whole sentence.
    let words: Vec<&str> = docs.split(' ').collect();
    let shingles: HashSet<String> = words.windows(5).map(|w| w.join(" ")).collect();
    let copied: Vec<&String> = sentences
        .iter()
        .filter(|s| {
            let head: Vec<&str> = s.split(' ').take(5).collect();
            head.len() < 5 || shingles.contains(&head.join(" "))
        })
        .filter(|s| docs.contains(s.as_str()))
        .collect();
    assert!(copied.is_empty(), "copied from the spec: {copied:?}");
    // The shortlist finds a sentence the docs hold: a copy would be seen.
    let planted = &sentences[0];
    let with_copy = format!("{docs} {planted}");
    let words: Vec<&str> = with_copy.split(' ').collect();
    let head: Vec<&str> = planted.split(' ').take(5).collect();
    assert!(words.windows(5).any(|w| w == head.as_slice()));
}
