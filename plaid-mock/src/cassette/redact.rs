//! What never reaches a cassette, and the stand-ins for what is hidden.
//!
//! Credentials go: the `client_id` and `secret` body fields and the
//! `PLAID-CLIENT-ID` / `PLAID-SECRET` headers, proxy and other
//! authorization headers (only the headers that matter to Plaid are kept
//! at all), and any string equal to the secret wherever it appears. The
//! values of the fields named with `--redact` are replaced by stand-ins:
//! the same value always gets the same stand-in (`redacted-access_token-1`),
//! wherever it appears later in the session, so a token still links the
//! calls that use it.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Value};

/// The body fields that carry credentials.
pub(crate) const CREDENTIAL_FIELDS: &[&str] = &["client_id", "secret"];

/// The request headers a cassette keeps; every other one (credentials,
/// proxy credentials, cookies, hosts) is left out.
pub(crate) const KEPT_REQUEST_HEADERS: &[&str] = &["content-type", "plaid-version"];

/// The answer headers a cassette keeps.
pub(crate) const KEPT_ANSWER_HEADERS: &[&str] = &["content-type"];

/// Replaces credentials and redacted values, consistently over a session.
#[derive(Debug, Default)]
pub(crate) struct Redactor {
    /// The fields whose values are replaced.
    fields: BTreeSet<String>,
    /// Value → stand-in, for every value replaced so far.
    stand_ins: HashMap<String, String>,
    /// How many stand-ins each field has handed out.
    counts: HashMap<String, u64>,
    /// Credential values seen in requests: replaced wherever they appear.
    secrets: BTreeSet<String>,
}

impl Redactor {
    /// A redactor hiding the values of `fields`.
    pub fn new(fields: &[String]) -> Self {
        Self {
            fields: fields.iter().cloned().collect(),
            ..Self::default()
        }
    }

    /// Notes a secret seen in a header, so that it is hidden wherever else
    /// it appears.
    pub fn note_secret(&mut self, value: &str) {
        if !value.is_empty() {
            self.secrets.insert(value.to_owned());
        }
    }

    /// A request body fit for the cassette: credentials gone, redacted
    /// values replaced.
    pub fn request(&mut self, mut body: Value) -> Value {
        if let Value::Object(fields) = &mut body {
            for name in CREDENTIAL_FIELDS {
                if let Some(Value::String(value)) = fields.remove(*name) {
                    if *name == "secret" {
                        self.note_secret(&value);
                    }
                }
            }
        }
        self.hide(body)
    }

    /// An answer body fit for the cassette.
    pub fn answer(&mut self, body: Value) -> Value {
        self.hide(body)
    }

    fn hide(&mut self, mut body: Value) -> Value {
        self.collect(&body, None);
        self.replace(&mut body);
        body
    }

    /// Gives a stand-in to every value found under a redacted field.
    fn collect(&mut self, value: &Value, under_redacted: Option<&str>) {
        match value {
            Value::Object(fields) => {
                for (name, inner) in fields {
                    let redacted = self.fields.contains(name).then(|| name.clone());
                    self.collect(inner, redacted.as_deref());
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.collect(item, under_redacted);
                }
            }
            Value::String(text) => {
                if let Some(field) = under_redacted {
                    self.stand_in(field, text);
                }
            }
            Value::Number(number) => {
                if let Some(field) = under_redacted {
                    self.stand_in(field, &number.to_string());
                }
            }
            Value::Null | Value::Bool(_) => {}
        }
    }

    fn stand_in(&mut self, field: &str, value: &str) {
        if value.is_empty() || self.stand_ins.contains_key(value) {
            return;
        }
        let count = self.counts.entry(field.to_owned()).or_insert(0);
        *count += 1;
        self.stand_ins
            .insert(value.to_owned(), format!("redacted-{field}-{count}"));
    }

    /// Replaces every redacted value and secret, wherever it is.
    fn replace(&self, value: &mut Value) {
        match value {
            Value::Object(fields) => {
                let mut renamed = Map::new();
                for (name, mut inner) in std::mem::take(fields) {
                    self.replace(&mut inner);
                    let name = self.stand_ins.get(&name).cloned().unwrap_or(name);
                    renamed.insert(name, inner);
                }
                *fields = renamed;
            }
            Value::Array(items) => items.iter_mut().for_each(|item| self.replace(item)),
            Value::String(text) => {
                if let Some(stand_in) = self.stand_ins.get(text.as_str()) {
                    *text = stand_in.clone();
                } else if self.secrets.contains(text.as_str()) {
                    *text = "redacted-secret".to_owned();
                }
            }
            Value::Number(number) => {
                if let Some(stand_in) = self.stand_ins.get(&number.to_string()) {
                    *value = Value::String(stand_in.clone());
                }
            }
            Value::Null | Value::Bool(_) => {}
        }
    }
}

/// `body` without the credentials and the `redacted` fields (at any depth):
/// what replay compares.
pub(crate) fn comparable(body: &Value, redacted: &[String]) -> Value {
    fn strip(value: &Value, redacted: &[String], top: bool) -> Value {
        match value {
            Value::Object(fields) => Value::Object(
                fields
                    .iter()
                    .filter(|(name, _)| !(top && CREDENTIAL_FIELDS.contains(&name.as_str())))
                    .filter(|(name, _)| !redacted.iter().any(|r| r == *name))
                    .map(|(name, inner)| (name.clone(), strip(inner, redacted, false)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|item| strip(item, redacted, false))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    strip(body, redacted, true)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn credentials_go_and_a_redacted_value_keeps_its_stand_in() {
        let mut redactor = Redactor::new(&["access_token".to_owned()]);
        let answer = redactor.answer(json!({"access_token": "access-sandbox-1", "item_id": "i"}));
        assert_eq!(answer["access_token"], "redacted-access_token-1");
        let request = redactor.request(json!({
            "client_id": "id", "secret": "s3cret", "access_token": "access-sandbox-1",
            "options": {"note": "s3cret"}
        }));
        assert_eq!(
            request,
            json!({"access_token": "redacted-access_token-1", "options": {"note": "redacted-secret"}})
        );
        let other = redactor.request(json!({"access_token": "access-sandbox-2"}));
        assert_eq!(other["access_token"], "redacted-access_token-2");
        let again = redactor.answer(json!({"tokens": ["access-sandbox-1"]}));
        assert_eq!(again["tokens"][0], "redacted-access_token-1");
    }

    #[test]
    fn comparison_ignores_credentials_and_redacted_fields() {
        let redacted = ["access_token".to_owned()];
        assert_eq!(
            comparable(
                &json!({"client_id": "a", "secret": "b", "access_token": "x", "count": 1}),
                &redacted
            ),
            json!({"count": 1})
        );
    }
}
