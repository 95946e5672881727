//! Generated JSON: tricky strings, raw snippets a `Value` cannot hold,
//! deep nesting, and arbitrary values shaped like Plaid's.

use super::*;

/// Strings that stress the wire formats: dates and timestamps at and past
/// their limits, enum values in the wrong case, control and combining
/// characters, byte-order marks, right-to-left overrides.
pub const TRICKY_STRINGS: &[&str] = &[
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
pub const RAW_SNIPPETS: &[&str] = &[
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
pub const DEPTHS: &[usize] = &[64, 126, 127, 128, 129, 200, 5_000, 100_000];

pub fn nested(depth: usize, open: &str, close: &str, inner: &str) -> String {
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
pub const KNOWN_KEYS: &[&str] = &[
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

pub fn arb_string() -> BoxedStrategy<String> {
    prop_oneof![
        8 => any::<String>(),
        8 => select(TRICKY_STRINGS).prop_map(str::to_owned),
        1 => (select(&['a', '\u{e9}', '\u{1f600}', '\u{0}'][..]), 1_000..20_000usize)
            .prop_map(|(c, n)| std::iter::repeat_n(c, n).collect()),
    ]
    .boxed()
}

pub fn arb_number() -> BoxedStrategy<Value> {
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

pub fn arb_key() -> BoxedStrategy<String> {
    prop_oneof![select(KNOWN_KEYS).prop_map(str::to_owned), "\\PC{0,12}",].boxed()
}

/// Any JSON value, a few levels deep.
pub fn arb_json() -> BoxedStrategy<Value> {
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
