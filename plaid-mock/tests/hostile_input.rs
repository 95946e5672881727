//! Hostile input to every decoder that reads bytes from the network, as
//! property tests (proptest):
//!
//! - the Plaid error decoder, met the way a user meets it: a [`Client`] whose
//!   transport answers with a generated status, headers and body;
//! - the largest response types (`/transactions/get`, `/transactions/sync`,
//!   `/accounts/get`, `/auth/get`, `/item/get`), decoded with
//!   [`FromResponseBody`] as the client does, from arbitrary bytes and from
//!   mutations of real answers of the fake;
//! - the webhook verifier, with arbitrary and mutated bodies and
//!   `Plaid-Verification` headers built from a real signed webhook.
//!
//! Every property checks that nothing panics and that the result is the
//! right one. `cargo test` runs [`DEFAULT_CASES`] cases per target;
//! `PROPTEST_CASES` raises that for the long run (README, "Development"):
//!
//! ```text
//! PROPTEST_CASES=100000 cargo test --release -p plaid-mock --test hostile_input -- --nocapture --test-threads 2
//! ```

use std::fmt::Debug;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, StatusCode};
use plaid_core::clock::ManualClock;
use plaid_core::models::{
    AccountsGetResponse, AuthGetResponse, ItemGetRequest, ItemGetResponse,
    SandboxItemFireWebhookRequestWebhookCode, TransactionsGetResponse, TransactionsSyncResponse,
};
use plaid_core::sleep::RecordingSleep;
use plaid_core::test_util::CannedTransport;
use plaid_core::webhook_verification::{WebhookError, WebhookVerifier};
use plaid_core::{Client, Error, FromResponseBody, ResponseErrorKind, RetryPolicy};
use plaid_mock::webhook_signing::WebhookSigner;
use plaid_mock::MockPlaid;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{TestCaseError, TestRunner};
use serde::Serialize;
use serde_json::{json, Map, Value};
use time::macros::datetime;

/// Cases per target in `cargo test`, unless `PROPTEST_CASES` is set.
const DEFAULT_CASES: u32 = 256;

/// The fake's seed; its webhook key is `WebhookSigner::from_seed(SEED)`.
const SEED: u64 = 7;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

/// Runs `test` on `cases()` inputs from `strategy`, panicking with the
/// (shrunk) failing input if one fails, and reports how many inputs ran.
fn run<S: Strategy>(target: &str, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: Debug,
{
    let config = ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let ran = AtomicUsize::new(0);
    let started = Instant::now();
    let mut runner = TestRunner::new(config);
    let outcome = runner.run(&strategy, |input| {
        ran.fetch_add(1, Ordering::Relaxed);
        test(input)
    });
    if let Err(failure) = outcome {
        panic!("{target}: {failure}");
    }
    let ran = ran.into_inner();
    // Every generated input ran (shrinking only happens on failure).
    assert_eq!(ran, cases() as usize, "{target}");
    eprintln!(
        "hostile input: {target}: {ran} inputs, 0 failures, {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

// ---------------------------------------------------------------------------
// Generated JSON
// ---------------------------------------------------------------------------

/// Strings that stress the wire formats: dates and timestamps at and past
/// their limits, enum values in the wrong case, control and combining
/// characters, byte-order marks, right-to-left overrides.
const TRICKY_STRINGS: &[&str] = &[
    "",
    " ",
    "null",
    "0",
    "2024-06-30",
    "2024-02-29",
    "2023-02-29",
    "2024-02-30",
    "2024-13-01",
    "2024-00-10",
    "2024-6-3",
    "0000-01-01",
    "-0001-01-01",
    "+2024-06-30",
    "9999-12-31",
    "10000-01-01",
    "-9999-01-01",
    "2024-06-30T12:00:00Z",
    "2024-06-30T12:00:00",
    "2024-06-30 12:00:00",
    "2024-06-30t12:00:00z",
    "2024-06-30T24:00:00Z",
    "2024-06-30T23:59:60Z",
    "2024-06-30T23:59:60",
    "2024-06-30T12:00:00.123456789123Z",
    "2024-06-30T12:00:00.5",
    "2024-06-30T12:00:00+25:00",
    "2024-06-30T12:00:00+23:59",
    "2024-06-30T12:00:00-00:00",
    "9999-12-31T23:59:59-23:59",
    "9999-12-31T23:59:59.999999999Z",
    "0000-01-01T00:00:00+23:59",
    "0000-01-01T00:00:00Z",
    "-0001-01-01T00:00:00",
    "-0001-12-31T23:59:59Z",
    "+10000-01-01T00:00:00Z",
    "1970-01-01T00:00:00Z",
    "depository",
    "DEPOSITORY",
    "credit card",
    "CREDIT CARD",
    "INITIAL_UPDATE_COMPLETE",
    "ITEM_ERROR",
    "ITEM_LOGIN_REQUIRED",
    "transactions",
    "in store",
    "\u{0}",
    "\u{feff}",
    "e\u{301}",
    "\u{202e}gnp.exe",
    "\u{1f600}",
    "\u{fffd}",
    "\\",
    "\"",
    "</script>",
];

/// Raw JSON text that a `serde_json::Value` cannot hold, put where a value
/// goes: numbers out of every range, lone surrogates, duplicate keys, and
/// text that is not JSON at all.
const RAW_SNIPPETS: &[&str] = &[
    "1e400",
    "-1e400",
    "1e-400",
    "123456789012345678901234567890",
    "-123456789012345678901234567890",
    "18446744073709551616",
    "-9223372036854775809",
    "1.7976931348623157e308",
    "-0",
    "1E5",
    "\"\\ud800\"",
    "\"\\udc00\\ud800\"",
    "\"\\ud83d\\ude00\"",
    "\"\\u0000\"",
    "{\"a\":1,\"a\":2}",
    "NaN",
    "Infinity",
    "-Infinity",
    "tru",
    "nul",
    "\"unterminated",
    "01",
    "1.",
    ".5",
    "+1",
    "[1,]",
    "{\"a\":1,}",
    "[",
    "}",
];

/// Nesting depths around serde_json's recursion limit (128) and far past it.
const DEPTHS: &[usize] = &[64, 126, 127, 128, 129, 200, 5_000, 100_000];

fn nested(depth: usize, open: &str, close: &str, inner: &str) -> String {
    let mut text = String::with_capacity(depth * (open.len() + close.len()) + inner.len());
    for _ in 0..depth {
        text.push_str(open);
    }
    text.push_str(inner);
    for _ in 0..depth {
        text.push_str(close);
    }
    text
}

/// Field names the types know, so generated objects sometimes look like
/// the real ones.
const KNOWN_KEYS: &[&str] = &[
    "account_id",
    "accounts",
    "amount",
    "balances",
    "available",
    "current",
    "date",
    "datetime",
    "error",
    "error_code",
    "error_type",
    "item",
    "item_id",
    "location",
    "name",
    "numbers",
    "ach",
    "request_id",
    "status",
    "subtype",
    "transactions",
    "type",
    "webhook",
];

fn arb_string() -> BoxedStrategy<String> {
    prop_oneof![
        8 => any::<String>(),
        8 => select(TRICKY_STRINGS).prop_map(str::to_owned),
        1 => (select(&['a', '\u{e9}', '\u{1f600}', '\u{0}'][..]), 1_000..20_000usize)
            .prop_map(|(c, n)| std::iter::repeat_n(c, n).collect()),
    ]
    .boxed()
}

fn arb_number() -> BoxedStrategy<Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        // Every finite f64 (JSON has no NaN or infinity); no filter, so
        // long runs never hit proptest's rejection limits.
        (prop::num::f64::POSITIVE
            | prop::num::f64::NEGATIVE
            | prop::num::f64::NORMAL
            | prop::num::f64::SUBNORMAL
            | prop::num::f64::ZERO)
            .prop_map(Value::from),
        select(
            &[
                0.0,
                -0.0,
                0.1,
                -1.5,
                1e308,
                -1e308,
                f64::MAX,
                f64::MIN,
                f64::MIN_POSITIVE,
                5e-324,
                9007199254740993.0,
            ][..]
        )
        .prop_map(Value::from),
        select(&[i64::MIN, i64::MAX, -1, 0, 1][..]).prop_map(Value::from),
        Just(Value::from(u64::MAX)),
    ]
    .boxed()
}

fn arb_key() -> BoxedStrategy<String> {
    prop_oneof![select(KNOWN_KEYS).prop_map(str::to_owned), "\\PC{0,12}",].boxed()
}

/// Any JSON value, a few levels deep.
fn arb_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        arb_number(),
        arb_string().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((arb_key(), inner), 0..5)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
    .boxed()
}

// ---------------------------------------------------------------------------
// Mutating a real answer
// ---------------------------------------------------------------------------

/// Unknown fields added by [`Edit::AddUnknown`] start with this; no Plaid
/// type has such a field, so each must come back out unchanged.
const UNKNOWN_PREFIX: &str = "zz_unknown_";

#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// One change to a JSON document. `usize`s pick a node (a pre-order index,
/// modulo the node count at the time the edit is applied).
#[derive(Debug, Clone)]
enum Edit {
    /// Replace the node with any other JSON value.
    Replace(usize, Value),
    /// Replace the node with `null`.
    Null(usize),
    /// Replace the node with one of [`RAW_SNIPPETS`].
    Raw(usize, usize),
    /// Replace the node with arrays or objects nested `DEPTHS[i]` deep.
    Nest(usize, usize, bool),
    /// Remove the node from its object or array (a missing field).
    Remove(usize),
    /// Add an unknown field to the object at or above the node.
    AddUnknown(usize, Value),
    /// Repeat the node, within its array, this many times.
    Repeat(usize, usize),
    /// Insert a character into a string node (or delete one with `None`):
    /// near-miss dates, enum values and ids.
    Tweak(usize, usize, Option<char>),
    /// Write the node's object with its first field twice.
    DuplicateKey(usize),
    /// Replace a string node (picked among the strings only, so dates,
    /// timestamps and enum values are hit often) with one of
    /// [`TRICKY_STRINGS`].
    TrickyString(usize, usize),
}

/// A change to the bytes once the document is written.
#[derive(Debug, Clone)]
enum ByteEdit {
    Truncate(usize),
    Flip(usize, u8),
    Insert(usize, u8),
    Pretty,
}

fn arb_edit() -> BoxedStrategy<Edit> {
    let at = any::<usize>();
    prop_oneof![
        6 => (at, arb_json()).prop_map(|(n, v)| Edit::Replace(n, v)),
        3 => at.prop_map(Edit::Null),
        3 => (at, 0..RAW_SNIPPETS.len()).prop_map(|(n, i)| Edit::Raw(n, i)),
        1 => (at, 0..DEPTHS.len(), any::<bool>()).prop_map(|(n, d, o)| Edit::Nest(n, d, o)),
        4 => at.prop_map(Edit::Remove),
        4 => (at, arb_json()).prop_map(|(n, v)| Edit::AddUnknown(n, v)),
        1 => (at, 0..200usize).prop_map(|(n, k)| Edit::Repeat(n, k)),
        4 => (at, any::<usize>(), prop::option::of(prop_oneof![
            select(&['0', '9', '-', ':', 'T', 'Z', '+', '.', ' ', '_', 'x', '\u{e9}'][..]),
            any::<char>(),
        ]))
            .prop_map(|(n, p, c)| Edit::Tweak(n, p, c)),
        1 => at.prop_map(Edit::DuplicateKey),
        4 => (at, 0..TRICKY_STRINGS.len()).prop_map(|(n, i)| Edit::TrickyString(n, i)),
    ]
    .boxed()
}

fn arb_byte_edit() -> BoxedStrategy<ByteEdit> {
    prop_oneof![
        any::<usize>().prop_map(ByteEdit::Truncate),
        (any::<usize>(), 1..=255u8).prop_map(|(at, mask)| ByteEdit::Flip(at, mask)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| ByteEdit::Insert(at, byte)),
        Just(ByteEdit::Pretty),
    ]
    .boxed()
}

fn node_paths(value: &Value, path: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    out.push(path.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                path.push(Seg::Key(key.clone()));
                node_paths(child, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                node_paths(child, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn node_mut<'a>(mut value: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    for seg in path {
        value = match (value, seg) {
            (Value::Object(map), Seg::Key(key)) => map.get_mut(key)?,
            (Value::Array(items), Seg::Index(i)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(value)
}

fn node<'a>(mut value: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    for seg in path {
        value = match (value, seg) {
            (Value::Object(map), Seg::Key(key)) => map.get(key)?,
            (Value::Array(items), Seg::Index(i)) => items.get(*i)?,
            _ => return None,
        };
    }
    Some(value)
}

/// The placeholder for raw text number `i`, replaced after writing.
fn placeholder(i: usize) -> String {
    format!("@@raw{i}@@")
}

/// Applies `edits` and `byte_edit` to `seed` and returns the bytes.
fn mutate(seed: &Value, edits: &[Edit], byte_edit: Option<&ByteEdit>) -> Vec<u8> {
    let mut doc = seed.clone();
    let mut raws: Vec<String> = Vec::new();
    for (k, edit) in edits.iter().enumerate() {
        let mut paths = Vec::new();
        node_paths(&doc, &mut Vec::new(), &mut paths);
        let pick = |n: usize| paths[n % paths.len()].clone();
        let mut put_raw = |doc: &mut Value, path: &[Seg], text: String| {
            if let Some(node) = node_mut(doc, path) {
                *node = Value::String(placeholder(raws.len()));
                raws.push(text);
            }
        };
        match edit {
            Edit::Replace(n, value) => {
                if let Some(node) = node_mut(&mut doc, &pick(*n)) {
                    *node = value.clone();
                }
            }
            Edit::Null(n) => {
                if let Some(node) = node_mut(&mut doc, &pick(*n)) {
                    *node = Value::Null;
                }
            }
            Edit::Raw(n, i) => put_raw(&mut doc, &pick(*n), RAW_SNIPPETS[*i].to_owned()),
            Edit::Nest(n, d, objects) => {
                let text = if *objects {
                    nested(DEPTHS[*d], "{\"a\":", "}", "1")
                } else {
                    nested(DEPTHS[*d], "[", "]", "")
                };
                put_raw(&mut doc, &pick(*n), text);
            }
            Edit::Remove(n) => {
                let path = pick(*n);
                if let Some((last, parent)) = path.split_last() {
                    match (node_mut(&mut doc, parent), last) {
                        (Some(Value::Object(map)), Seg::Key(key)) => {
                            map.remove(key);
                        }
                        (Some(Value::Array(items)), Seg::Index(i)) => {
                            items.remove(*i);
                        }
                        _ => {}
                    }
                }
            }
            Edit::AddUnknown(n, value) => {
                let mut path = pick(*n);
                loop {
                    if let Some(Value::Object(map)) = node_mut(&mut doc, &path) {
                        map.insert(format!("{UNKNOWN_PREFIX}{k}"), value.clone());
                        break;
                    }
                    if path.pop().is_none() {
                        break;
                    }
                }
            }
            Edit::Repeat(n, times) => {
                let path = pick(*n);
                if let Some((Seg::Index(i), parent)) = path.split_last() {
                    if let Some(Value::Array(items)) = node_mut(&mut doc, parent) {
                        let copy = items[*i].clone();
                        for _ in 0..*times {
                            items.insert(*i, copy.clone());
                        }
                    }
                }
            }
            Edit::Tweak(n, at, c) => {
                if let Some(Value::String(text)) = node_mut(&mut doc, &pick(*n)) {
                    let chars: Vec<char> = text.chars().collect();
                    let at = at % (chars.len() + 1);
                    let mut out: String = chars[..at].iter().collect();
                    match c {
                        Some(c) => {
                            out.push(*c);
                            out.extend(&chars[at..]);
                        }
                        None => out.extend(chars.iter().skip(at + 1)),
                    }
                    *text = out;
                }
            }
            Edit::TrickyString(n, i) => {
                let strings: Vec<&Vec<Seg>> = paths
                    .iter()
                    .filter(|p| matches!(node(&doc, p), Some(Value::String(_))))
                    .collect();
                if !strings.is_empty() {
                    let path = strings[n % strings.len()].clone();
                    if let Some(node) = node_mut(&mut doc, &path) {
                        *node = Value::from(TRICKY_STRINGS[*i]);
                    }
                }
            }
            Edit::DuplicateKey(n) => {
                let path = pick(*n);
                let text = match node(&doc, &path) {
                    Some(Value::Object(map)) if !map.is_empty() => {
                        let (key, value) = map.iter().next().unwrap();
                        let written = serde_json::to_string(map).unwrap();
                        Some(format!(
                            "{{{}:{},{}",
                            serde_json::to_string(key).unwrap(),
                            serde_json::to_string(value).unwrap(),
                            &written[1..]
                        ))
                    }
                    _ => None,
                };
                if let Some(text) = text {
                    put_raw(&mut doc, &path, text);
                }
            }
        }
    }
    let pretty = matches!(byte_edit, Some(ByteEdit::Pretty));
    let mut text = if pretty {
        serde_json::to_string_pretty(&doc).unwrap()
    } else {
        serde_json::to_string(&doc).unwrap()
    };
    // Later raw texts may contain earlier placeholders: substitute last first.
    for (i, raw) in raws.iter().enumerate().rev() {
        text = text.replace(&format!("\"{}\"", placeholder(i)), raw);
    }
    let mut bytes = text.into_bytes();
    match byte_edit {
        Some(ByteEdit::Truncate(at)) => bytes.truncate(at % (bytes.len() + 1)),
        Some(ByteEdit::Flip(at, mask)) if !bytes.is_empty() => {
            let at = at % bytes.len();
            bytes[at] ^= mask;
        }
        Some(ByteEdit::Insert(at, byte)) => bytes.insert(at % (bytes.len() + 1), *byte),
        _ => {}
    }
    bytes
}

/// JSON-looking token soup: mostly not JSON, sometimes JSON of odd shapes.
fn token_soup() -> BoxedStrategy<Vec<u8>> {
    const TOKENS: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        " ",
        "null",
        "true",
        "0",
        "-1",
        "1.5e3",
        "\"\"",
        "\"x\"",
        "\"request_id\"",
        "\"accounts\"",
        "\"transactions\"",
        "\"item\"",
        "\"numbers\"",
        "\"added\"",
        "\"date\"",
        "\"2024-06-30\"",
        "\"\\u0000\"",
        "\"\\ud800\"",
        "1e400",
    ];
    prop::collection::vec(select(TOKENS), 0..64)
        .prop_map(|tokens| tokens.concat().into_bytes())
        .boxed()
}

/// Bytes that show as text in failure reports.
#[derive(Clone, PartialEq)]
struct Body(Vec<u8>);

impl Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "b\"{}\" ({} bytes)", self.0.escape_ascii(), self.0.len())
    }
}

/// Bodies for a response type: arbitrary bytes, token soup, and (mostly)
/// mutations of `seed`.
fn response_bodies(seed: Value) -> impl Strategy<Value = Body> {
    let bodies = prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..512),
        1 => token_soup(),
        8 => (
            prop::collection::vec(arb_edit(), 0..6),
            prop::option::weighted(0.15, arb_byte_edit()),
        )
            .prop_map(move |(edits, byte_edit)| mutate(&seed, &edits, byte_edit.as_ref())),
    ];
    bodies.prop_map(Body)
}

// ---------------------------------------------------------------------------
// Real answers to mutate
// ---------------------------------------------------------------------------

struct Seeds {
    transactions_get: Value,
    transactions_sync: Value,
    accounts_get: Value,
    auth_get: Value,
    item_get: Value,
}

fn set(target: &mut Value, fields: Value) {
    let (Value::Object(target), Value::Object(fields)) = (target, fields) else {
        unreachable!("both are objects");
    };
    target.extend(fields);
}

/// Fills what the fake leaves `null` with what Plaid sends, so mutations
/// reach timestamps, categories, counterparties and nested errors too.
fn enrich_transaction(transaction: &mut Value) {
    set(
        transaction,
        json!({
            "datetime": "2024-06-30T10:11:12Z",
            "authorized_datetime": "2024-06-29T23:00:00.123+02:00",
            "category": ["Food and Drink", "Restaurants"],
            "category_id": "13005000",
            "check_number": "1042",
            "logo_url": "https://plaid-merchant-logos.plaid.com/kfc.png",
            "website": "kfc.com",
            "merchant_entity_id": "vzWXDWBjB06j5BJoD3Jo84OJZg7JJzmqOZA22",
            "transaction_code": "purchase",
            "transaction_type": "place",
            "personal_finance_category": {
                "primary": "FOOD_AND_DRINK",
                "detailed": "FOOD_AND_DRINK_FAST_FOOD",
                "confidence_level": "VERY_HIGH",
                "version": "v2"
            },
            "personal_finance_category_icon_url": "https://plaid-category-icons.plaid.com/PFC_FOOD_AND_DRINK.png",
            "counterparties": [{
                "name": "KFC",
                "entity_id": "vzWXDWBjB06j5BJoD3Jo84OJZg7JJzmqOZA22",
                "type": "merchant",
                "website": "kfc.com",
                "logo_url": null,
                "confidence_level": "VERY_HIGH"
            }],
            "location": {
                "address": "300 Post St", "city": "San Francisco", "region": "CA",
                "postal_code": "94108", "country": "US", "lat": 40.740352,
                "lon": -74.001761, "store_number": "1235"
            },
        }),
    );
}

fn enrich_item(item: &mut Value) {
    set(
        item,
        json!({
            "webhook": "https://example.com/plaid/webhook",
            "auth_method": "INSTANT_AUTH",
            "consent_expiration_time": "2025-06-30T12:00:00Z",
            "error": {
                "error_type": "ITEM_ERROR",
                "error_code": "ITEM_LOGIN_REQUIRED",
                "error_code_reason": null,
                "error_message": "the login details of this item have changed",
                "display_message": null,
                "request_id": "mock-error-1",
                "causes": [],
                "status": 400,
                "documentation_url": "https://plaid.com/docs/errors/item/",
                "suggested_action": null
            },
        }),
    );
}

fn enrich_accounts(accounts: &mut Value) {
    for account in accounts.as_array_mut().unwrap() {
        set(
            &mut account["balances"],
            json!({"last_updated_datetime": "2024-06-30T11:59:00Z"}),
        );
        set(
            account,
            json!({
                "verification_status": "automatically_verified",
                "persistent_account_id": "8cfb8beb89b774ee43b090625f0d61d0814322b43bff984eaf60386e",
                "holder_category": "personal"
            }),
        );
    }
}

fn seeds() -> &'static Seeds {
    static SEEDS: OnceLock<Seeds> = OnceLock::new();
    SEEDS.get_or_init(|| {
        runtime().block_on(async {
            let mock = MockPlaid::builder()
                .seed(SEED)
                .transactions_per_item(3)
                .now(datetime!(2024-06-30 12:00 UTC))
                .build();
            let client = mock.client();
            let (token, _) = mock
                .link_item("ins_109508", &["transactions", "auth"])
                .unwrap();
            let token = json!(token);
            let call = |path: &'static str, body: Value| {
                let client = client.clone();
                async move { client.send_raw(path, body).await.unwrap() }
            };
            let mut transactions_get = call(
                "/transactions/get",
                json!({"access_token": token, "start_date": "2024-01-01", "end_date": "2024-06-30"}),
            )
            .await;
            let mut transactions_sync =
                call("/transactions/sync", json!({"access_token": token})).await;
            let mut accounts_get = call("/accounts/get", json!({"access_token": token})).await;
            let mut auth_get = call("/auth/get", json!({"access_token": token})).await;
            let mut item_get = call("/item/get", json!({"access_token": token})).await;

            for transaction in transactions_get["transactions"].as_array_mut().unwrap() {
                enrich_transaction(transaction);
            }
            for transaction in transactions_sync["added"].as_array_mut().unwrap() {
                enrich_transaction(transaction);
            }
            let modified = transactions_sync["added"][0].clone();
            set(
                &mut transactions_sync,
                json!({
                    "modified": [modified],
                    "removed": [{"transaction_id": "removed-1", "account_id": "account-1"}],
                    "transactions_update_status": "HISTORICAL_UPDATE_COMPLETE",
                }),
            );
            for doc in [&mut transactions_get, &mut accounts_get, &mut auth_get] {
                enrich_accounts(&mut doc["accounts"]);
                enrich_item(&mut doc["item"]);
            }
            enrich_accounts(&mut transactions_sync["accounts"]);
            enrich_item(&mut item_get["item"]);
            set(&mut item_get["item"], json!({"created_at": "2024-06-01T08:00:00Z"}));
            set(
                &mut auth_get["numbers"],
                json!({
                    "eft": [{"account_id": "a", "account": "111122223333", "institution": "021", "branch": "01140"}],
                    "international": [{"account_id": "a", "iban": "GB33BUKB20201555555555", "bic": "NWBKGB21"}],
                    "bacs": [{"account_id": "a", "account": "31926819", "sort_code": "601613"}],
                }),
            );
            set(
                &mut item_get,
                json!({"status": {
                    "investments": {"last_successful_update": "2024-06-30T10:00:00Z", "last_failed_update": null},
                    "transactions": {"last_successful_update": "2024-06-30T10:00:00.5+01:00", "last_failed_update": "2024-06-29T10:00:00Z"},
                    "last_webhook": {"sent_at": "2024-06-30T10:00:01Z", "code_sent": "DEFAULT_UPDATE"}
                }}),
            );
            Seeds {
                transactions_get,
                transactions_sync,
                accounts_get,
                auth_get,
                item_get,
            }
        })
    })
}

// ---------------------------------------------------------------------------
// Response types
// ---------------------------------------------------------------------------

/// Every field named [`UNKNOWN_PREFIX`]… in `value`, with its path.
fn unknown_fields(value: &Value, path: &mut Vec<Seg>, out: &mut Vec<(Vec<Seg>, Value)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                path.push(Seg::Key(key.clone()));
                if key.starts_with(UNKNOWN_PREFIX) {
                    out.push((path.clone(), child.clone()));
                }
                unknown_fields(child, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                unknown_fields(child, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Decodes `body` as the client does. Whatever the bytes, it does not
/// panic and gives a value or a `DecodeFailure`; a value
/// re-encodes, decodes again to an equal value, and keeps every unknown
/// field it was sent.
fn check_decoder<T>(body: &[u8]) -> Result<(), TestCaseError>
where
    T: FromResponseBody + Serialize + PartialEq + Debug,
{
    let value = match T::from_response_body(&Bytes::copy_from_slice(body)) {
        Ok(value) => value,
        Err(failure) => {
            // The path may be empty (a field named ""); the message never is.
            prop_assert!(!failure.source.to_string().is_empty());
            return Ok(());
        }
    };
    let encoded = serde_json::to_vec(&value)
        .map_err(|e| TestCaseError::fail(format!("a decoded value does not encode again: {e}")))?;
    let again = T::from_response_body(&Bytes::from(encoded.clone())).map_err(|f| {
        TestCaseError::fail(format!(
            "a re-encoded value does not decode at {}: {}",
            f.path, f.source
        ))
    })?;
    prop_assert_eq!(&again, &value);

    let sent: Value = serde_json::from_slice(body)
        .map_err(|e| TestCaseError::fail(format!("decoded, yet not JSON: {e}")))?;
    let written: Value = serde_json::from_slice(&encoded).unwrap();
    let mut unknown = Vec::new();
    unknown_fields(&sent, &mut Vec::new(), &mut unknown);
    for (path, field) in unknown {
        prop_assert_eq!(
            node(&written, &path),
            Some(&field),
            "unknown field at {:?} lost",
            path
        );
    }
    Ok(())
}

#[test]
fn transactions_get_response_survives_hostile_bodies() {
    let seed = seeds().transactions_get.clone();
    check_decoder::<TransactionsGetResponse>(&serde_json::to_vec(&seed).unwrap()).unwrap();
    run("TransactionsGetResponse", response_bodies(seed), |body| {
        check_decoder::<TransactionsGetResponse>(&body.0)
    });
}

#[test]
fn transactions_sync_response_survives_hostile_bodies() {
    let seed = seeds().transactions_sync.clone();
    run("TransactionsSyncResponse", response_bodies(seed), |body| {
        check_decoder::<TransactionsSyncResponse>(&body.0)
    });
}

#[test]
fn accounts_get_response_survives_hostile_bodies() {
    let seed = seeds().accounts_get.clone();
    run("AccountsGetResponse", response_bodies(seed), |body| {
        check_decoder::<AccountsGetResponse>(&body.0)
    });
}

#[test]
fn auth_get_response_survives_hostile_bodies() {
    let seed = seeds().auth_get.clone();
    run("AuthGetResponse", response_bodies(seed), |body| {
        check_decoder::<AuthGetResponse>(&body.0)
    });
}

#[test]
fn item_get_response_survives_hostile_bodies() {
    let seed = seeds().item_get.clone();
    run("ItemGetResponse", response_bodies(seed), |body| {
        check_decoder::<ItemGetResponse>(&body.0)
    });
}

/// The enriched real answers decode into their types with nothing left
/// over, so the mutations start from documents the types fully understand.
#[test]
fn the_seeds_decode_and_every_field_is_known() {
    fn known<T: FromResponseBody + Serialize + Debug>(doc: &Value, extra: impl Fn(&T) -> usize) {
        let value = T::from_response_body(&Bytes::from(serde_json::to_vec(doc).unwrap()))
            .unwrap_or_else(|f| panic!("{}: {}", f.path, f.source));
        assert_eq!(extra(&value), 0, "{value:?}");
    }
    let s = seeds();
    known::<TransactionsGetResponse>(&s.transactions_get, |v| {
        v.extra.len()
            + v.transactions.iter().map(|t| t.extra.len()).sum::<usize>()
            + v.item.extra.len()
            + v.accounts.iter().map(|a| a.extra.len()).sum::<usize>()
    });
    known::<TransactionsSyncResponse>(&s.transactions_sync, |v| {
        v.extra.len() + v.added.iter().map(|t| t.extra.len()).sum::<usize>()
    });
    known::<AccountsGetResponse>(&s.accounts_get, |v| v.extra.len() + v.item.extra.len());
    known::<AuthGetResponse>(&s.auth_get, |v| v.extra.len() + v.numbers.extra.len());
    known::<ItemGetResponse>(&s.item_get, |v| v.extra.len() + v.item.extra.len());
    let item =
        ItemGetResponse::from_response_body(&Bytes::from(serde_json::to_vec(&s.item_get).unwrap()))
            .unwrap();
    assert_eq!(
        item.item.error.as_ref().map(|e| e.error_code.as_str()),
        Some("ITEM_LOGIN_REQUIRED")
    );
    assert!(item.status.and_then(|s| s.transactions).is_some());
}

/// serde_json's default float parser may round a long decimal to a
/// neighbouring f64, so an amount could change on its way through the
/// client and differ again after being written and read back. plaid-core
/// turns on serde_json's `float_roundtrip`; this input (found by
/// `item_get_response_survives_hostile_bodies`) shows the difference.
#[test]
fn long_decimals_decode_to_the_nearest_f64_and_survive_a_round_trip() {
    let body = br#"{"accounts":[{"balances":{"current":1.7105914567755405e-202,"available":0.30000000000000004,"limit":8.98846567431158e307}}],"item":{},"request_id":"r"}"#;
    let answer = AccountsGetResponse::from_response_body(&Bytes::from_static(body)).unwrap();
    let balances = &answer.accounts[0].balances;
    assert_eq!(balances.current, Some(1.7105914567755405e-202));
    assert_eq!(balances.available, Some(0.30000000000000004));
    assert_eq!(balances.limit, Some(8.98846567431158e307));
    check_decoder::<AccountsGetResponse>(body).unwrap();
}

// ---------------------------------------------------------------------------
// The Plaid error decoder, through `Client`
// ---------------------------------------------------------------------------

/// The body of a non-2xx answer, with what the client should make of it.
#[derive(Debug, Clone)]
enum ErrorBody {
    /// A body that follows the spec's `PlaidError` schema (required fields
    /// present, nullable ones sometimes `null`, optional ones sometimes
    /// absent), plus unknown fields.
    Plaid(Value),
    /// A body that is not a Plaid error, and the request id its JSON object
    /// carries, if any.
    NotPlaid(Body, Option<String>),
    /// Any bytes.
    Arbitrary(Body),
}

#[derive(Debug, Clone)]
enum RetryAfter {
    Seconds(u64),
    PastDate,
    Words(String),
    Bytes(Vec<u8>),
}

#[derive(Debug, Clone)]
struct ErrorAnswer {
    status: u16,
    retry_after: Option<RetryAfter>,
    plaid_request_id: Option<Vec<u8>>,
    x_request_id: Option<Vec<u8>>,
    body: ErrorBody,
}

const ERROR_TYPES: &[&str] = &[
    "INVALID_REQUEST",
    "INVALID_INPUT",
    "INSTITUTION_ERROR",
    "RATE_LIMIT_EXCEEDED",
    "API_ERROR",
    "ITEM_ERROR",
    "ASSET_REPORT_ERROR",
    "TRANSACTIONS_ERROR",
    "item_error",
];

const ERROR_CODES: &[&str] = &[
    "ITEM_LOGIN_REQUIRED",
    "INTERNAL_SERVER_ERROR",
    "PLANNED_MAINTENANCE",
    "RATE_LIMIT",
    "INVALID_API_KEYS",
    "PRODUCT_NOT_READY",
    "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION",
];

/// A field that may be absent (`None`).
fn maybe<S: Strategy<Value = Value>>(strategy: S) -> impl Strategy<Value = Option<Value>> {
    prop::option::of(strategy)
}

fn nullable<S: Strategy<Value = Value>>(strategy: S) -> impl Strategy<Value = Value> {
    prop_oneof![Just(Value::Null), strategy]
}

fn json_string() -> BoxedStrategy<Value> {
    arb_string().prop_map(Value::from).boxed()
}

fn plaid_error_doc() -> BoxedStrategy<Value> {
    let required = (
        prop_oneof![select(ERROR_TYPES).prop_map(str::to_owned), arb_string()],
        prop_oneof![select(ERROR_CODES).prop_map(str::to_owned), arb_string()],
        arb_string(),
        nullable(json_string()),
    );
    let optional = (
        maybe(nullable(json_string())),
        maybe(json_string()),
        maybe(prop::collection::vec(arb_json(), 0..3).prop_map(Value::Array)),
        maybe(nullable(any::<i64>().prop_map(Value::from))),
        maybe(json_string()),
        maybe(nullable(json_string())),
        maybe(prop::collection::vec(json_string(), 0..3).prop_map(Value::Array)),
        maybe(prop::collection::vec(json_string(), 0..3).prop_map(Value::Array)),
    );
    let unknown = prop::collection::vec(("[a-z_]{0,8}", arb_json()), 0..3);
    (required, optional, unknown)
        .prop_map(|(required, optional, unknown)| {
            let (error_type, error_code, error_message, display_message) = required;
            let mut doc = json!({
                "error_type": error_type,
                "error_code": error_code,
                "error_message": error_message,
                "display_message": display_message,
            });
            let (reason, request_id, causes, status, docs, action, required_subtypes, provided) =
                optional;
            let names = [
                "error_code_reason",
                "request_id",
                "causes",
                "status",
                "documentation_url",
                "suggested_action",
                "required_account_subtypes",
                "provided_account_subtypes",
            ];
            let values = [
                reason,
                request_id,
                causes,
                status,
                docs,
                action,
                required_subtypes,
                provided,
            ];
            for (name, value) in names.into_iter().zip(values) {
                if let Some(value) = value {
                    doc[name] = value;
                }
            }
            for (name, value) in unknown {
                doc[format!("{UNKNOWN_PREFIX}{name}")] = value;
            }
            doc
        })
        .boxed()
}

/// Bodies that are not Plaid errors: proxy pages, other JSON, Plaid errors
/// missing a required field or with one of the wrong type, truncated ones.
fn not_plaid_body() -> BoxedStrategy<(Vec<u8>, Option<String>)> {
    const PAGES: &[&str] = &[
        "",
        " ",
        "\r\n",
        "<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>",
        "upstream request timeout",
        "Service Unavailable",
        "{}",
        "[]",
        "null",
        "\"INTERNAL_SERVER_ERROR\"",
        "[\"request-id-in-an-array\"]",
        "[\"ITEM_ERROR\",\"ITEM_LOGIN_REQUIRED\",\"msg\",null,\"req\"]",
        "{\"error_type\":\"ITEM_ERROR\"}",
        "{\"error_code\":\"ITEM_LOGIN_REQUIRED\"}",
    ];
    let page = (select(PAGES), "\\PC{0,20}").prop_map(|(page, tail)| {
        let body = if page.is_empty() {
            page.to_owned()
        } else {
            format!("{page}{tail}")
        };
        (body.into_bytes(), None)
    });
    let non_string = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        arb_number(),
        prop::collection::vec(arb_json(), 0..3).prop_map(Value::Array),
        Just(json!({"code": "ITEM_LOGIN_REQUIRED"})),
    ];
    let broken = (plaid_error_doc(), 0..4usize, non_string).prop_map(|(mut doc, how, value)| {
        let map = doc.as_object_mut().unwrap();
        match how {
            0 => {
                map.remove("error_type");
            }
            1 => {
                map.remove("error_code");
            }
            2 => {
                map.insert("error_type".into(), value);
            }
            _ => {
                map.insert("error_code".into(), value);
            }
        }
        let request_id = map
            .get("request_id")
            .and_then(Value::as_str)
            .map(str::to_owned);
        (serde_json::to_vec(&doc).unwrap(), request_id)
    });
    let truncated = (plaid_error_doc(), any::<usize>()).prop_map(|(doc, at)| {
        let mut body = serde_json::to_vec(&doc).unwrap();
        body.truncate(at % body.len());
        (body, None)
    });
    let other_object = (
        prop::collection::vec(
            (
                arb_key().prop_map(|k| match k.as_str() {
                    "error_type" | "error_code" | "request_id" => format!("not_{k}"),
                    _ => k,
                }),
                arb_json(),
            ),
            0..5,
        ),
        maybe(prop_oneof![json_string(), Just(Value::Null), arb_number()]),
    )
        .prop_map(|(fields, request_id)| {
            let mut map: Map<String, Value> = fields.into_iter().collect();
            if let Some(id) = request_id {
                map.insert("request_id".into(), id);
            }
            let request_id = map
                .get("request_id")
                .and_then(Value::as_str)
                .map(str::to_owned);
            (serde_json::to_vec(&map).unwrap(), request_id)
        });
    let other_json = prop_oneof![
        arb_json().prop_map(|v| Value::Array(vec![v])),
        prop::collection::vec(arb_json(), 0..4).prop_map(Value::Array),
        arb_string().prop_map(Value::from),
        arb_number(),
        any::<bool>().prop_map(Value::from),
    ]
    .prop_map(|v| (serde_json::to_vec(&v).unwrap(), None));
    prop_oneof![page, broken, truncated, other_object, other_json].boxed()
}

/// Bytes allowed in a header value: visible ASCII, tab, and obs-text.
fn header_bytes() -> BoxedStrategy<Vec<u8>> {
    prop::collection::vec(
        prop_oneof![4 => 0x20u8..=0x7e, 1 => 0x80u8..=0xff, 1 => Just(b'\t')],
        0..40,
    )
    .boxed()
}

fn error_answers() -> BoxedStrategy<ErrorAnswer> {
    let status = prop_oneof![
        select(&[400u16, 401, 403, 404, 405, 408, 409, 429, 500, 502, 503, 504][..]),
        100..200u16,
        300..1000u16,
    ];
    let retry_after = prop::option::of(prop_oneof![
        any::<u64>().prop_map(RetryAfter::Seconds),
        (0..120u64).prop_map(RetryAfter::Seconds),
        Just(RetryAfter::PastDate),
        "[a-zA-Z ]{1,20}".prop_map(RetryAfter::Words),
        header_bytes().prop_map(RetryAfter::Bytes),
    ]);
    let body = prop_oneof![
        3 => plaid_error_doc().prop_map(ErrorBody::Plaid),
        3 => not_plaid_body().prop_map(|(body, id)| ErrorBody::NotPlaid(Body(body), id)),
        1 => prop::collection::vec(any::<u8>(), 0..256).prop_map(|b| ErrorBody::Arbitrary(Body(b))),
    ];
    (
        status,
        retry_after,
        prop::option::of(header_bytes()),
        prop::option::of(header_bytes()),
        body,
    )
        .prop_map(
            |(status, retry_after, plaid_request_id, x_request_id, body)| ErrorAnswer {
                status,
                retry_after,
                plaid_request_id,
                x_request_id,
                body,
            },
        )
        .boxed()
}

/// A header value as text, when it is visible ASCII (what `to_str` accepts).
fn header_text(bytes: &Option<Vec<u8>>) -> Option<String> {
    let bytes = bytes.as_ref()?;
    bytes
        .iter()
        .all(|b| (0x20..0x7f).contains(b) || *b == b'\t')
        .then(|| String::from_utf8(bytes.clone()).unwrap())
}

/// Calls `/item/get` through a client whose transport always answers
/// `status`, `headers` and `body`, with the default retry policy on a timer
/// that does not wait. Returns the result, the number of exchanges and the
/// delays the client asked for.
fn call_with(
    rt: &tokio::runtime::Runtime,
    status: StatusCode,
    headers: HeaderMap,
    body: &[u8],
) -> (Result<ItemGetResponse, Error>, usize, Vec<Duration>) {
    let mut answer = http::Response::new(Bytes::copy_from_slice(body));
    *answer.status_mut() = status;
    *answer.headers_mut() = headers;
    let transport = CannedTransport::new(answer);
    let sleep = RecordingSleep::default();
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .credentials("client-id", "secret")
        .no_timeout()
        .retry_policy(RetryPolicy::default())
        .sleep_impl(sleep.clone())
        .transport(transport.clone())
        .build()
        .unwrap();
    let result = rt.block_on(client.send(ItemGetRequest::new("access-sandbox-hostile")));
    (result, transport.calls(), sleep.delays())
}

fn check_error_answer(
    rt: &tokio::runtime::Runtime,
    answer: ErrorAnswer,
) -> Result<(), TestCaseError> {
    let status = StatusCode::from_u16(answer.status).unwrap();
    let mut headers = HeaderMap::new();
    let retry_after_text = match &answer.retry_after {
        Some(RetryAfter::Seconds(s)) => Some(s.to_string().into_bytes()),
        Some(RetryAfter::PastDate) => Some(b"Wed, 21 Oct 2015 07:28:00 GMT".to_vec()),
        Some(RetryAfter::Words(w)) => Some(w.clone().into_bytes()),
        Some(RetryAfter::Bytes(b)) => Some(b.clone()),
        None => None,
    };
    for (name, value) in [
        ("retry-after", &retry_after_text),
        ("plaid-request-id", &answer.plaid_request_id),
        ("x-request-id", &answer.x_request_id),
    ] {
        if let Some(value) = value {
            headers.insert(name, HeaderValue::from_bytes(value).unwrap());
        }
    }
    let body = match &answer.body {
        ErrorBody::Plaid(doc) => serde_json::to_vec(doc).unwrap(),
        ErrorBody::NotPlaid(body, _) | ErrorBody::Arbitrary(body) => body.0.clone(),
    };
    let (result, calls, delays) = call_with(rt, status, headers, &body);
    let Err(err) = result else {
        return Err(TestCaseError::fail(format!("HTTP {status} gave Ok")));
    };
    let (shown, debug) = (err.to_string(), format!("{err:?}"));
    prop_assert!(!shown.is_empty() && !debug.is_empty());

    // Retries: at most the policy's two, never waiting past its 60 s cap.
    prop_assert!((1..=3).contains(&calls), "{calls} calls");
    prop_assert_eq!(delays.len(), calls - 1);
    prop_assert!(
        delays.iter().all(|d| *d <= Duration::from_secs(60)),
        "{delays:?}"
    );

    prop_assert_eq!(err.status(), Some(status));
    match &answer.retry_after {
        Some(RetryAfter::Seconds(s)) => {
            prop_assert_eq!(err.retry_after(), Some(Duration::from_secs(*s)))
        }
        Some(RetryAfter::PastDate) => prop_assert_eq!(err.retry_after(), Some(Duration::ZERO)),
        Some(RetryAfter::Words(_)) | None => prop_assert_eq!(err.retry_after(), None),
        Some(RetryAfter::Bytes(_)) => {}
    }
    let header_request_id =
        header_text(&answer.plaid_request_id).or_else(|| header_text(&answer.x_request_id));

    match (&answer.body, &err) {
        (ErrorBody::Plaid(doc), Error::Api(api)) => {
            let text = |name: &str| doc.get(name).and_then(Value::as_str);
            prop_assert_eq!(err.code(), text("error_code"));
            prop_assert_eq!(Some(api.error.error_type.as_str()), text("error_type"));
            prop_assert_eq!(
                Some(api.error.error_message.as_str()),
                text("error_message")
            );
            prop_assert_eq!(
                api.error.display_message.as_deref(),
                text("display_message")
            );
            // The body's request id, else the one from a header.
            prop_assert_eq!(
                err.request_id(),
                text("request_id").or(header_request_id.as_deref())
            );
            prop_assert_eq!(api.status, status);
            prop_assert_eq!(&api.body[..], &body[..]);
            for (name, value) in doc.as_object().unwrap() {
                if name.starts_with(UNKNOWN_PREFIX) {
                    prop_assert_eq!(api.error.extra.get(name), Some(value));
                }
            }
        }
        (ErrorBody::NotPlaid(_, body_request_id), Error::Response(response)) => {
            prop_assert_eq!(response.kind, ResponseErrorKind::NotPlaidError);
            prop_assert_eq!(response.status, status);
            prop_assert_eq!(&response.body[..], &body[..]);
            prop_assert_eq!(
                response.request_id.clone(),
                body_request_id.clone().or(header_request_id)
            );
            prop_assert_eq!(err.code(), None);
        }
        (ErrorBody::Arbitrary(_), Error::Api(api)) => {
            prop_assert_eq!(api.status, status);
            prop_assert_eq!(&api.body[..], &body[..]);
        }
        (ErrorBody::Arbitrary(_), Error::Response(response)) => {
            prop_assert_eq!(response.kind, ResponseErrorKind::NotPlaidError);
            prop_assert_eq!(response.status, status);
            prop_assert_eq!(&response.body[..], &body[..]);
        }
        (expected, got) => {
            return Err(TestCaseError::fail(format!(
                "expected {} for {expected:?}, got {got:?}",
                if matches!(expected, ErrorBody::Plaid(_)) {
                    "Error::Api"
                } else {
                    "Error::Response"
                }
            )));
        }
    }
    Ok(())
}

#[test]
fn plaid_error_decoder_survives_hostile_answers() {
    let rt = runtime();
    run("Plaid error decoder", error_answers(), |answer| {
        check_error_answer(&rt, answer)
    });
}

/// A JSON array is not an object with a `request_id`: the request id comes
/// from the headers. (Found by `plaid_error_decoder_survives_hostile_answers`:
/// the body `[""]` gave the request id `""`, because serde also reads a
/// struct from an array.)
#[test]
fn an_array_body_does_not_supply_the_request_id() {
    let rt = runtime();
    for (body, header, expected) in [
        (
            &b"[\"first\"]"[..],
            Some("from-header"),
            Some("from-header"),
        ),
        (b" [\"\"]", None, None),
        (
            b"{\"request_id\":\"from-body\"}",
            Some("from-header"),
            Some("from-body"),
        ),
        (
            b"<html>502</html>",
            Some("from-header"),
            Some("from-header"),
        ),
    ] {
        let mut headers = HeaderMap::new();
        if let Some(id) = header {
            headers.insert("x-request-id", HeaderValue::from_static(id));
        }
        let (result, _, _) = call_with(&rt, StatusCode::BAD_GATEWAY, headers, body);
        let err = result.unwrap_err();
        assert!(matches!(err, Error::Response(_)), "{err:?}");
        assert_eq!(err.request_id(), expected, "{}", body.escape_ascii());
    }
}

// ---------------------------------------------------------------------------
// The webhook verifier
// ---------------------------------------------------------------------------

/// A webhook the fake signed and delivered, and a verifier whose clock
/// shows the time it was signed.
struct WebhookFixture {
    rt: tokio::runtime::Runtime,
    _mock: MockPlaid,
    verifier: WebhookVerifier,
    signer: WebhookSigner,
    body: Vec<u8>,
    header: String,
    now: i64,
}

fn webhook_fixture() -> WebhookFixture {
    let rt = runtime();
    let mock = MockPlaid::builder()
        .seed(SEED)
        .now(datetime!(2024-06-30 12:00 UTC))
        .transactions_per_item(3)
        .build();
    let client = mock.client();
    let (token, _) = mock.link_item("ins_109508", &["transactions"]).unwrap();
    rt.block_on(
        client
            .sandbox()
            .item()
            .fire_webhook(
                &token,
                SandboxItemFireWebhookRequestWebhookCode::DefaultUpdate,
            )
            .send(),
    )
    .unwrap();
    let webhook = mock.webhooks().pop().unwrap();
    let now = mock.now().unix_timestamp();
    let signer = WebhookSigner::from_seed(SEED);
    assert_eq!(signer.key_id(), mock.webhook_key_id());
    WebhookFixture {
        rt,
        verifier: WebhookVerifier::new(client).with_clock(ManualClock::new(now)),
        _mock: mock,
        signer,
        body: webhook.body.to_vec(),
        header: webhook.verification,
        now,
    }
}

/// One change to a `Plaid-Verification` value. `usize`s pick a position
/// (modulo the length) or a part of the JWT (modulo 3).
#[derive(Debug, Clone)]
enum HeaderEdit {
    Insert(usize, char),
    Delete(usize),
    Replace(usize, char),
    Truncate(usize),
    Append(String),
    SwapParts(usize, usize),
    /// Replace a part with the base64url of some JSON.
    PartJson(usize, Value),
    /// Replace a part with the base64url of some bytes.
    PartBytes(usize, Vec<u8>),
    /// Replace the JWT header with another one (other `alg`, `kid`, fields).
    JwtHeader(String, Option<Value>, Option<(String, Value)>),
    /// Replace the claims, keeping header and signature.
    Claims(Value, Value),
    /// Add `=` padding to a part.
    Pad(usize, usize),
    /// Surround the value with whitespace.
    Surround(String, String),
}

fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn apply_header_edit(token: &str, edit: &HeaderEdit) -> String {
    let chars: Vec<char> = token.chars().collect();
    let at = |n: usize| n % (chars.len() + 1);
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let part = |n: usize, parts: &Vec<String>| n % parts.len();
    match edit {
        HeaderEdit::Insert(n, c) => {
            let mut out = chars.clone();
            out.insert(at(*n), *c);
            out.into_iter().collect()
        }
        HeaderEdit::Delete(n) => {
            let mut out = chars.clone();
            if !out.is_empty() {
                out.remove(n % chars.len());
            }
            out.into_iter().collect()
        }
        HeaderEdit::Replace(n, c) => {
            let mut out = chars.clone();
            if !out.is_empty() {
                out[n % chars.len()] = *c;
            }
            out.into_iter().collect()
        }
        HeaderEdit::Truncate(n) => chars[..at(*n)].iter().collect(),
        HeaderEdit::Append(tail) => format!("{token}{tail}"),
        HeaderEdit::SwapParts(a, b) => {
            let (a, b) = (part(*a, &parts), part(*b, &parts));
            parts.swap(a, b);
            parts.join(".")
        }
        HeaderEdit::PartJson(n, value) => {
            let i = part(*n, &parts);
            parts[i] = b64url(value.to_string().as_bytes());
            parts.join(".")
        }
        HeaderEdit::PartBytes(n, bytes) => {
            let i = part(*n, &parts);
            parts[i] = b64url(bytes);
            parts.join(".")
        }
        HeaderEdit::JwtHeader(alg, kid, extra) => {
            let mut header = json!({"alg": alg, "typ": "JWT"});
            if let Some(kid) = kid {
                header["kid"] = kid.clone();
            }
            if let Some((name, value)) = extra {
                header[name.as_str()] = value.clone();
            }
            parts[0] = b64url(header.to_string().as_bytes());
            parts.join(".")
        }
        HeaderEdit::Claims(iat, hash) => {
            let claims = json!({"iat": iat, "request_body_sha256": hash});
            let i = part(1, &parts);
            parts[i] = b64url(claims.to_string().as_bytes());
            parts.join(".")
        }
        HeaderEdit::Pad(n, count) => {
            let i = part(*n, &parts);
            parts[i].push_str(&"=".repeat(*count));
            parts.join(".")
        }
        HeaderEdit::Surround(before, after) => format!("{before}{token}{after}"),
    }
}

/// The value as the verifier reads it: surrounding whitespace and `=`
/// padding after the signature do not change what was signed.
fn normalized(header: &str) -> String {
    let token = header.trim();
    match token.rsplit_once('.') {
        Some((signed, signature)) => format!("{signed}.{}", signature.trim_end_matches('=')),
        None => token.to_owned(),
    }
}

#[derive(Debug, Clone)]
enum WebhookCase {
    /// The delivered webhook, its body and header maybe changed.
    Delivered {
        body_edit: Option<ByteEdit>,
        header_edits: Vec<HeaderEdit>,
        drop_header: bool,
    },
    /// Another body, signed with Plaid's key `offset` seconds from now.
    Signed { body: Body, offset: i64 },
    /// Any body with any header text.
    Arbitrary { body: Body, header: Option<String> },
}

fn arb_header_char() -> BoxedStrategy<char> {
    prop_oneof![
        3 => select(&['A', 'z', '0', '9', '-', '_', '.', '=', '+', '/', ' ', '\t'][..]),
        1 => any::<char>(),
    ]
    .boxed()
}

fn arb_header_edit() -> BoxedStrategy<HeaderEdit> {
    let at = any::<usize>();
    prop_oneof![
        3 => (at, arb_header_char()).prop_map(|(n, c)| HeaderEdit::Insert(n, c)),
        3 => at.prop_map(HeaderEdit::Delete),
        4 => (at, arb_header_char()).prop_map(|(n, c)| HeaderEdit::Replace(n, c)),
        2 => at.prop_map(HeaderEdit::Truncate),
        1 => prop_oneof![arb_string(), "[.=A-Za-z0-9_-]{1,8}"].prop_map(HeaderEdit::Append),
        1 => (at, at).prop_map(|(a, b)| HeaderEdit::SwapParts(a, b)),
        1 => (at, arb_json()).prop_map(|(n, v)| HeaderEdit::PartJson(n, v)),
        1 => (at, prop::collection::vec(any::<u8>(), 0..80))
            .prop_map(|(n, b)| HeaderEdit::PartBytes(n, b)),
        2 => (
            prop_oneof![
                select(&["ES256", "none", "None", "HS256", "RS256", "ES384", "es256", "ES256 ", ""][..])
                    .prop_map(str::to_owned),
                arb_string(),
            ],
            prop::option::of(prop_oneof![arb_json(), json_string()]),
            prop::option::of(("[a-z]{1,6}", arb_json())),
        )
            .prop_map(|(alg, kid, extra)| HeaderEdit::JwtHeader(alg, kid, extra)),
        1 => (arb_json(), arb_json()).prop_map(|(iat, hash)| HeaderEdit::Claims(iat, hash)),
        2 => (at, 1..4usize).prop_map(|(n, k)| HeaderEdit::Pad(n, k)),
        2 => ("[ \t\r\n]{0,3}", "[ \t\r\n]{0,3}")
            .prop_map(|(a, b)| HeaderEdit::Surround(a, b)),
    ]
    .boxed()
}

fn webhook_cases() -> BoxedStrategy<WebhookCase> {
    let delivered = (
        prop::option::weighted(0.3, arb_byte_edit()),
        prop::collection::vec(arb_header_edit(), 0..4),
        prop::bool::weighted(0.03),
    )
        .prop_map(
            |(body_edit, header_edits, drop_header)| WebhookCase::Delivered {
                body_edit,
                header_edits,
                drop_header,
            },
        );
    let body = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200),
        arb_json().prop_map(|v| serde_json::to_vec(&v).unwrap()),
    ]
    .prop_map(Body);
    let signed = (body.clone(), prop_oneof![-400..400i64, any::<i64>()])
        .prop_map(|(body, offset)| WebhookCase::Signed { body, offset });
    let arbitrary = (
        body,
        prop::option::of(prop_oneof![
            arb_string(),
            "[A-Za-z0-9_-]{0,40}\\.[A-Za-z0-9_-]{0,40}\\.[A-Za-z0-9_-]{0,90}",
        ]),
    )
        .prop_map(|(body, header)| WebhookCase::Arbitrary { body, header });
    prop_oneof![8 => delivered, 1 => signed, 1 => arbitrary].boxed()
}

/// Errors that reject a header before the body is looked at.
fn rejects_the_header(err: &WebhookError) -> bool {
    matches!(
        err,
        WebhookError::MissingHeader
            | WebhookError::MalformedHeader(_)
            | WebhookError::UnsupportedAlgorithm(_)
            | WebhookError::UnknownKey(_)
            | WebhookError::BadSignature
    )
}

fn check_webhook(f: &WebhookFixture, case: WebhookCase) -> Result<(), TestCaseError> {
    let (body, header) = match &case {
        WebhookCase::Delivered {
            body_edit,
            header_edits,
            drop_header,
        } => {
            let body = match body_edit {
                Some(ByteEdit::Pretty) => {
                    let value: Value = serde_json::from_slice(&f.body).unwrap();
                    serde_json::to_vec_pretty(&value).unwrap()
                }
                Some(edit) => {
                    let mut body = f.body.clone();
                    match *edit {
                        ByteEdit::Truncate(at) => body.truncate(at % (body.len() + 1)),
                        ByteEdit::Flip(at, mask) => {
                            let at = at % body.len();
                            body[at] ^= mask;
                        }
                        ByteEdit::Insert(at, byte) => body.insert(at % (body.len() + 1), byte),
                        ByteEdit::Pretty => unreachable!(),
                    }
                    body
                }
                None => f.body.clone(),
            };
            let header = header_edits.iter().fold(f.header.clone(), |token, edit| {
                apply_header_edit(&token, edit)
            });
            (body, (!drop_header).then_some(header))
        }
        WebhookCase::Signed { body, offset } => {
            let iat = f.now.saturating_add(*offset);
            (body.0.clone(), Some(f.signer.sign(&body.0, iat)))
        }
        WebhookCase::Arbitrary { body, header } => (body.0.clone(), header.clone()),
    };
    let result = f.rt.block_on(f.verifier.verify(&body, header.as_deref()));
    if let Err(err) = &result {
        let (shown, debug) = (err.to_string(), format!("{err:?}"));
        prop_assert!(!shown.is_empty() && !debug.is_empty());
    }

    match case {
        WebhookCase::Signed { offset, .. } => {
            let json = serde_json::from_slice::<Value>(&body);
            match (result, offset.unsigned_abs() <= 300, json) {
                (Ok(webhook), true, Ok(json)) => prop_assert_eq!(webhook.body, json),
                (Err(WebhookError::InvalidBody(_)), true, Err(_)) => {}
                (Err(WebhookError::Stale { age, .. }), false, _) => {
                    prop_assert_eq!(age, f.now.saturating_sub(f.now.saturating_add(offset)))
                }
                (result, fresh, json) => {
                    return Err(TestCaseError::fail(format!(
                        "signed {}s from now (fresh: {fresh}), JSON: {}: got {result:?}",
                        offset,
                        json.is_ok()
                    )))
                }
            }
        }
        _ => {
            let header_is_the_signed_one =
                header.as_deref().is_some_and(|h| normalized(h) == f.header);
            let body_is_the_signed_one = body == f.body;
            match result {
                Ok(webhook) => {
                    prop_assert!(
                        header_is_the_signed_one && body_is_the_signed_one,
                        "a changed webhook verified: {:?}",
                        header
                    );
                    prop_assert_eq!(
                        webhook.body,
                        serde_json::from_slice::<Value>(&f.body).unwrap()
                    );
                }
                Err(err) if header_is_the_signed_one => {
                    prop_assert!(!body_is_the_signed_one, "the real webhook failed: {err}");
                    prop_assert!(matches!(err, WebhookError::BodyMismatch), "{err}");
                }
                Err(err) => prop_assert!(rejects_the_header(&err), "{err}"),
            }
        }
    }
    Ok(())
}

#[test]
fn webhook_verifier_survives_hostile_webhooks() {
    let fixture = webhook_fixture();
    let verified = fixture
        .rt
        .block_on(
            fixture
                .verifier
                .verify(&fixture.body, Some(&fixture.header)),
        )
        .unwrap();
    assert_eq!(verified.webhook_code, "DEFAULT_UPDATE");
    run("webhook verifier", webhook_cases(), |case| {
        check_webhook(&fixture, case)
    });
}
