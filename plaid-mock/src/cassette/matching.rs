//! Which recording answers a request: same method, path and body (less
//! credentials and redacted fields), identical requests in the order they
//! were recorded; and, when none does, the closest one and how it differs.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::cassette::format::Exchange;
use crate::cassette::redact::comparable;

/// How many differences a "no recording" message lists.
const SHOWN_DIFFERENCES: usize = 4;
/// How long a value shown in a message may be.
const SHOWN_VALUE_CHARS: usize = 60;

/// The recordings of a cassette, with which ones have answered.
#[derive(Debug)]
pub(crate) struct Matcher {
    /// Per exchange: the request as compared.
    keys: Vec<(String, String, Value)>,
    /// Per exchange: whether it has answered already.
    used: Vec<bool>,
    redacted: Vec<String>,
}

impl Matcher {
    pub fn new(exchanges: &[Exchange], redacted: &[String]) -> Self {
        Self {
            keys: exchanges
                .iter()
                .map(|e| {
                    (
                        e.method.clone(),
                        e.path.clone(),
                        comparable(&e.request, redacted),
                    )
                })
                .collect(),
            used: vec![false; exchanges.len()],
            redacted: redacted.to_vec(),
        }
    }

    /// The exchange that answers this request: the first unused identical
    /// one, or, once all identical ones have answered, the last of them.
    /// `Err` says why none does.
    pub fn find(&mut self, method: &str, path: &str, body: &Value) -> Result<usize, String> {
        let wanted = comparable(body, &self.redacted);
        let same: Vec<usize> = self
            .keys
            .iter()
            .enumerate()
            .filter(|(_, (m, p, b))| m == method && p == path && *b == wanted)
            .map(|(index, _)| index)
            .collect();
        if let Some(&index) = same.iter().find(|&&index| !self.used[index]) {
            self.used[index] = true;
            return Ok(index);
        }
        if let Some(&index) = same.last() {
            return Ok(index);
        }
        Err(self.no_recording(method, path, &wanted))
    }

    /// "Nothing was recorded for …; the closest recording is … and differs
    /// in …".
    fn no_recording(&self, method: &str, path: &str, wanted: &Value) -> String {
        let asked = format!("{method} {path}");
        let closest = self
            .keys
            .iter()
            .enumerate()
            .map(|(index, (m, p, b))| {
                let differences = differences(b, wanted);
                let mut cost = differences.len();
                if p != path {
                    cost += 1000;
                }
                if m != method {
                    cost += 1000;
                }
                (cost, index, m, p, differences)
            })
            .min_by_key(|(cost, index, ..)| (*cost, *index));
        let Some((_, index, m, p, differences)) = closest else {
            return format!("nothing was recorded for {asked}: the cassette has no exchange");
        };
        let mut how = Vec::new();
        if m != method || p != path {
            how.push(format!("it is {m} {p}"));
        }
        how.extend(differences.iter().take(SHOWN_DIFFERENCES).cloned());
        if differences.len() > SHOWN_DIFFERENCES {
            how.push(format!(
                "{} more differences",
                differences.len() - SHOWN_DIFFERENCES
            ));
        }
        format!(
            "nothing was recorded for {asked} with this body; the closest recording is exchange {} ({m} {p}), which differs: {}",
            index + 1,
            how.join("; ")
        )
    }
}

/// How `sent` differs from `recorded`, field by field (dotted paths).
pub(crate) fn differences(recorded: &Value, sent: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk("", recorded, sent, &mut out);
    out
}

fn walk(at: &str, recorded: &Value, sent: &Value, out: &mut Vec<String>) {
    match (recorded, sent) {
        (Value::Object(a), Value::Object(b)) => {
            let names: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for name in names {
                let path = if at.is_empty() {
                    name.clone()
                } else {
                    format!("{at}.{name}")
                };
                match (a.get(name), b.get(name)) {
                    (Some(x), Some(y)) => walk(&path, x, y, out),
                    (Some(x), None) => {
                        out.push(format!("{path} was recorded as {} but not sent", shown(x)));
                    }
                    (None, Some(y)) => {
                        out.push(format!(
                            "{path} is sent as {} but was not recorded",
                            shown(y)
                        ));
                    }
                    (None, None) => {}
                }
            }
        }
        _ if recorded == sent => {}
        _ => {
            let path = if at.is_empty() { "the body" } else { at };
            out.push(format!(
                "{path} is {} here, {} in the recording",
                shown(sent),
                shown(recorded)
            ));
        }
    }
}

/// A value as a message shows it: its JSON, cut short.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > SHOWN_VALUE_CHARS {
        let cut: String = text.chars().take(SHOWN_VALUE_CHARS).collect();
        format!("{cut}…")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn exchange(path: &str, request: Value) -> Exchange {
        Exchange {
            seq: 0,
            at: String::new(),
            method: "POST".into(),
            path: path.into(),
            request,
            status: 200,
            answer: json!({}),
            answer_base64: None,
            request_headers: Default::default(),
            answer_headers: Default::default(),
        }
    }

    #[test]
    fn identical_requests_in_order_then_the_last_again() {
        let exchanges = [
            exchange("/accounts/get", json!({"access_token": "a"})),
            exchange("/accounts/get", json!({"access_token": "a"})),
        ];
        let mut matcher = Matcher::new(&exchanges, &[]);
        let body = json!({"access_token": "a", "secret": "ignored"});
        assert_eq!(matcher.find("POST", "/accounts/get", &body), Ok(0));
        assert_eq!(matcher.find("POST", "/accounts/get", &body), Ok(1));
        assert_eq!(matcher.find("POST", "/accounts/get", &body), Ok(1));
    }

    #[test]
    fn the_closest_recording_is_named_with_its_differences() {
        let exchanges = [
            exchange("/item/get", json!({"access_token": "a"})),
            exchange(
                "/transactions/get",
                json!({"access_token": "a", "count": 10}),
            ),
        ];
        let mut matcher = Matcher::new(&exchanges, &[]);
        let message = matcher
            .find(
                "POST",
                "/transactions/get",
                &json!({"access_token": "a", "count": 500}),
            )
            .unwrap_err();
        assert!(
            message.contains("exchange 2 (POST /transactions/get)"),
            "{message}"
        );
        assert!(
            message.contains("count is 500 here, 10 in the recording"),
            "{message}"
        );
        let message = matcher
            .find("POST", "/accounts/get", &json!({}))
            .unwrap_err();
        assert!(message.contains("it is POST /item/get"), "{message}");
    }
}
