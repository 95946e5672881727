//! Amounts: the type of every number field of the [models](crate::models),
//! `f64` by default and exact decimals with the `decimal` feature.
//!
//! # Which fields
//!
//! The rule is the spec's type, not a field's name: every property that
//! Plaid's OpenAPI description types `number` (a non-integer JSON number) is
//! an [`Amount`], and `integer` properties stay `i64`. That is every amount,
//! balance, price, quantity, rate and percentage, including the ones whose
//! names do not say so (`current`, `available` and `limit` of a balance,
//! `rents`, `royalties`, `principal`, `cost_basis`) and the many that have no
//! `format: double` in the spec. It also takes in the handful of numbers that
//! are not money (coordinates such as `lat` and `lon`, scores and
//! probabilities): with `decimal` they too arrive exactly as sent.
//!
//! [`AMOUNT_FIELDS`] lists every such field as (Rust type, JSON name): 415
//! fields of 194 types. Request setters and constructors that take one of
//! these fields take an [`Amount`] as well.
//!
//! # `f64` or `rust_decimal::Decimal`
//!
//! Without the feature, [`Amount`] is `f64` and nothing changes. With
//!
//! ```toml
//! plaid-core = { version = "0.1", features = ["decimal"] }
//! ```
//!
//! it is `rust_decimal::Decimal`, read from the number's own text: the
//! digits and the scale on the wire are kept (`12.50` is `12.50`, scale 2,
//! not `12.5`), sums are exact, and encoding writes the same text back as a
//! JSON number. Nothing passes through `f64` on the way, and serde_json's
//! `arbitrary_precision` is not needed (the feature turns on serde_json's
//! `raw_value` instead, which changes nothing for other crates).
//!
//! ```
//! # #[cfg(all(feature = "decimal", feature = "transactions"))]
//! # fn main() {
//! use plaid_core::models::Transaction;
//!
//! let body = r#"{"transaction_id":"t1","account_id":"a1","amount":12.50,
//!     "iso_currency_code":"USD","date":"2024-01-02","pending":false}"#;
//! let transaction: Transaction = serde_json::from_str(body).unwrap();
//! let amount = transaction.amount.unwrap();
//! assert_eq!(amount.to_string(), "12.50");
//! assert!(serde_json::to_string(&transaction).unwrap().contains(r#""amount":12.50"#));
//! # }
//! # #[cfg(not(all(feature = "decimal", feature = "transactions")))]
//! # fn main() {}
//! ```
//!
//! The decoding rule is the one every other field follows: a missing or
//! `null` amount is `None`, and anything but a number (a string, `true`, an
//! object) is a decoding error, as it is for an `f64`. Two cases differ from
//! `f64`, both far outside any amount Plaid sends: a number with more
//! significant digits than a `Decimal` holds (28) is rounded to 28, and a
//! magnitude beyond about 7.9 × 10²⁸ is a decoding error.
//!
//! Amounts are JSON numbers: encoding a model with `decimal` through a
//! serializer other than serde_json's is not supported.
//!
//! A webhook decoded with [`Webhook::from_json`](crate::Webhook::from_json)
//! has already been through a [`serde_json::Value`], which holds numbers as
//! `f64`: its amounts keep the value Plaid sent up to 15 significant digits,
//! but not trailing zeros (`12.50` arrives as `12.5`). Decode the body with
//! [`serde_json::from_slice`] into the webhook's own type to keep every digit.

#[cfg(feature = "decimal")]
pub(crate) mod exact;

pub use crate::generated::money_fields::AMOUNT_FIELDS;

/// A number field of the models: amounts, balances, prices, quantities and
/// rates (see the [module docs](self) for the rule).
///
/// `f64` without the `decimal` feature.
#[cfg(not(feature = "decimal"))]
pub type Amount = f64;

/// A number field of the models: amounts, balances, prices, quantities and
/// rates (see the [module docs](self) for the rule).
///
/// [`rust_decimal::Decimal`] with the `decimal` feature, holding exactly the
/// digits on the wire.
#[cfg(feature = "decimal")]
pub type Amount = rust_decimal::Decimal;
