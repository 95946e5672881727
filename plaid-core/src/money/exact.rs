//! Reading and writing [`Amount`]s as exact decimals (feature `decimal`):
//! the serde `with` modules the generated models name for every field that
//! holds amounts.
//!
//! Reading takes the number's text from serde_json (a [`RawValue`]), so no
//! digit passes through `f64`; writing hands serde_json the decimal's text
//! as a raw JSON number, so `12.50` goes out as `12.50`.

use std::collections::HashMap;
use std::str::FromStr;

use serde::de::Error as _;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use super::Amount;

/// One amount, read from its JSON text.
struct Exact(Amount);

impl<'de> Deserialize<'de> for Exact {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        parse(raw.get()).map(Exact).map_err(D::Error::custom)
    }
}

/// One amount, written as its JSON text.
struct ExactRef<'a>(&'a Amount);

impl Serialize for ExactRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // A decimal's text is always a valid JSON number (digits, an optional
        // `-` and `.`, never an exponent), so this does not fail.
        let raw = RawValue::from_string(self.0.to_string()).map_err(S::Error::custom)?;
        raw.serialize(serializer)
    }
}

/// Reads a JSON value's text as a decimal: a number, with its scale kept.
fn parse(text: &str) -> Result<Amount, String> {
    let text = text.trim();
    let is_number = matches!(text.as_bytes().first(), Some(b'-' | b'0'..=b'9'));
    if !is_number {
        let what = match text.as_bytes().first() {
            Some(b'"') => "a string",
            Some(b'n') => "null",
            Some(b't' | b'f') => "a boolean",
            Some(b'[') => "an array",
            Some(b'{') => "an object",
            _ => "not a number",
        };
        return Err(format!("invalid type: {what}, expected a number"));
    }
    let parsed = if text.contains(['e', 'E']) {
        Amount::from_scientific_lossy(text)
    } else {
        Amount::from_str(text)
    };
    parsed.map_err(|e| format!("the number {text} does not fit a decimal: {e}"))
}

/// Writes a required amount.
pub fn serialize<S: Serializer>(value: &Amount, serializer: S) -> Result<S::Ok, S::Error> {
    ExactRef(value).serialize(serializer)
}

/// Reads a required amount.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Amount, D::Error> {
    Exact::deserialize(deserializer).map(|exact| exact.0)
}

/// An optional amount: `null` (or, with `#[serde(default)]`, a missing
/// field) is `None`.
pub mod option {
    use super::*;

    /// Writes the amount, or `null`.
    pub fn serialize<S: Serializer>(
        value: &Option<Amount>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.serialize_some(&ExactRef(value)),
            None => serializer.serialize_none(),
        }
    }

    /// Reads the amount; `null` is `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Amount>, D::Error> {
        Ok(Option::<Exact>::deserialize(deserializer)?.map(|exact| exact.0))
    }
}

/// A map of amounts.
// Only some product groups have maps of amounts (`beta`'s EWA attributes).
#[allow(dead_code)]
pub mod map {
    use super::*;

    /// Writes the map.
    pub fn serialize<S: Serializer>(
        values: &HashMap<String, Amount>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_map(values.iter().map(|(key, value)| (key, ExactRef(value))))
    }

    /// Reads the map.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<HashMap<String, Amount>, D::Error> {
        let exact = HashMap::<String, Exact>::deserialize(deserializer)?;
        Ok(exact
            .into_iter()
            .map(|(key, value)| (key, value.0))
            .collect())
    }
}

/// An optional map of amounts: `null` is `None`.
#[allow(dead_code)]
pub mod option_map {
    use super::*;

    /// Writes the map, or `null`.
    pub fn serialize<S: Serializer>(
        values: &Option<HashMap<String, Amount>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match values {
            Some(values) => super::map::serialize(values, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Reads the map; `null` is `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<HashMap<String, Amount>>, D::Error> {
        let exact = Option::<HashMap<String, Exact>>::deserialize(deserializer)?;
        Ok(exact.map(|map| map.into_iter().map(|(key, value)| (key, value.0)).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Priced {
        #[serde(with = "super")]
        price: Amount,
        #[serde(default, with = "super::option")]
        fee: Option<Amount>,
        #[serde(default, with = "super::option_map")]
        rates: Option<HashMap<String, Amount>>,
    }

    #[test]
    fn keeps_the_digits_and_the_scale_both_ways() {
        let body = r#"{"price":12.50,"fee":-0.10,"rates":{"a":1.000}}"#;
        let priced: Priced = serde_json::from_str(body).unwrap();
        assert_eq!(priced.price.to_string(), "12.50");
        assert_eq!(priced.price.scale(), 2);
        assert_eq!(priced.fee.unwrap().to_string(), "-0.10");
        assert_eq!(serde_json::to_string(&priced).unwrap(), body);
    }

    #[test]
    fn digits_beyond_f64_are_kept() {
        let body = r#"{"price":1234567890123456789.01}"#;
        let priced: Priced = serde_json::from_str(body).unwrap();
        assert_eq!(priced.price.to_string(), "1234567890123456789.01");
    }

    #[test]
    fn null_and_missing_are_none_and_odd_values_are_errors() {
        let priced: Priced =
            serde_json::from_str(r#"{"price":1,"fee":null,"rates":null}"#).unwrap();
        assert_eq!((priced.fee, priced.rates), (None, None));
        let priced: Priced = serde_json::from_str(r#"{"price":1}"#).unwrap();
        assert_eq!(priced.fee, None);
        for odd in [r#""1.00""#, "true", "{}", "[]"] {
            let body = format!(r#"{{"price":{odd}}}"#);
            let err = serde_json::from_str::<Priced>(&body).unwrap_err();
            assert!(
                err.to_string().contains("expected a number"),
                "{odd}: {err}"
            );
        }
        assert!(serde_json::from_str::<Priced>(r#"{"price":null}"#).is_err());
    }

    #[test]
    fn exponents_and_huge_numbers() {
        let priced: Priced = serde_json::from_str(r#"{"price":1.5e-3}"#).unwrap();
        assert_eq!(priced.price.to_string(), "0.0015");
        let err = serde_json::from_str::<Priced>(r#"{"price":1e40}"#).unwrap_err();
        assert!(err.to_string().contains("does not fit a decimal"), "{err}");
    }

    #[test]
    fn a_value_tree_decodes_and_encodes_too() {
        let value = serde_json::json!({"price": 2.25, "fee": 3});
        let priced: Priced = serde_json::from_value(value).unwrap();
        assert_eq!(priced.price.to_string(), "2.25");
        assert_eq!(priced.fee.unwrap().to_string(), "3");
        let back = serde_json::to_value(&priced).unwrap();
        assert_eq!(back["price"], serde_json::json!(2.25));
    }
}
