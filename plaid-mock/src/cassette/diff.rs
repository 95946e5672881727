//! [`diff`]: the recorded session sent again to a fresh fake, and how the
//! fake's answers differ in shape from the recording, per operation.

use std::collections::HashMap;

use bytes::Bytes;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::cassette::format::{Cassette, Exchange};
use crate::cassette::replay::set_credentials;
use crate::cassette::shape::{compare, Difference, DifferenceKind};
use crate::mock::MockPlaid;

/// What [`diff`] found: per operation, how the fake's answers differ from
/// the recording. `Display` gives the summary line and the table.
#[derive(Debug, Clone, Serialize)]
pub struct DiffReport {
    /// How many exchanges were sent again.
    pub exchanges: usize,
    /// Every operation of the cassette, in the order it first appears.
    pub operations: Vec<OperationReport>,
}

/// How one operation's answers differ (every call of it, merged).
#[derive(Debug, Clone, Serialize)]
pub struct OperationReport {
    /// `METHOD /path`.
    pub operation: String,
    /// How many times the cassette calls it.
    pub calls: usize,
    /// What differs; empty when nothing does.
    pub differences: Vec<Difference>,
}

impl DiffReport {
    /// Whether the fake answered every exchange in the recorded shape.
    pub fn is_clean(&self) -> bool {
        self.operations.iter().all(|o| o.differences.is_empty())
    }

    /// How many differences, over every operation.
    pub fn difference_count(&self) -> usize {
        self.operations.iter().map(|o| o.differences.len()).sum()
    }

    /// How many operations differ.
    pub fn differing_operations(&self) -> usize {
        self.operations
            .iter()
            .filter(|o| !o.differences.is_empty())
            .count()
    }

    /// The summary line.
    pub fn summary(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let verdict = if self.is_clean() {
            "the fake answers every one in the recorded shape".to_owned()
        } else {
            format!(
                "{} from the recording ({})",
                plural(
                    self.differing_operations(),
                    "operation differs",
                    "operations differ"
                ),
                plural(self.difference_count(), "difference", "differences")
            )
        };
        format!(
            "plaid-mock diff: {}, {}; {verdict}",
            plural(self.exchanges, "exchange", "exchanges"),
            plural(self.operations.len(), "operation", "operations"),
        )
    }

    /// The table: one row per difference (one `same` row for an operation
    /// with none).
    pub fn table(&self) -> String {
        let mut rows = vec![[
            "OPERATION".to_owned(),
            "CALLS".to_owned(),
            "DIFFERENCE".to_owned(),
            "FIELD".to_owned(),
            "RECORDED".to_owned(),
            "FAKE".to_owned(),
        ]];
        for operation in &self.operations {
            let calls = operation.calls.to_string();
            if operation.differences.is_empty() {
                rows.push([
                    operation.operation.clone(),
                    calls.clone(),
                    "same".into(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
            }
            for d in &operation.differences {
                rows.push([
                    operation.operation.clone(),
                    calls.clone(),
                    d.kind.name().into(),
                    if d.field.is_empty() {
                        "-".into()
                    } else {
                        d.field.clone()
                    },
                    d.recorded.clone(),
                    d.fake.clone(),
                ]);
            }
        }
        let mut widths = [0usize; 6];
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let mut text = String::new();
        for row in &rows {
            let mut line = String::new();
            for (index, (cell, width)) in row.iter().zip(widths).enumerate() {
                if index + 1 == row.len() {
                    line.push_str(cell);
                } else {
                    line.push_str(&format!("{cell:<width$}  "));
                }
            }
            text.push_str(line.trim_end());
            text.push('\n');
        }
        text
    }
}

impl std::fmt::Display for DiffReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{}", self.summary())?;
        f.write_str(&self.table())
    }
}

/// Sends the cassette's requests, in order, to `fake` (a fresh one, such
/// as `MockPlaid::new()`), mapping the recorded tokens and ids to those
/// the fake hands out as the session goes on, and reports how the fake's
/// answers differ in shape from the recorded ones: another status or error
/// code, fields missing or extra, another JSON type, another enum value.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use plaid_mock::cassette::{diff, Cassette};
/// use plaid_mock::MockPlaid;
///
/// let text = r#"{"cassette":"plaid-mock","version":1}
/// {"seq":1,"method":"POST","path":"/sandbox/public_token/create","request":{"institution_id":"ins_109508","initial_products":["transactions"]},"status":200,"answer":{"public_token":"public-sandbox-1","request_id":"r1","recorded_only":true}}
/// "#;
/// let report = diff(&Cassette::read(text.as_bytes())?, MockPlaid::new()).await;
/// assert_eq!(report.difference_count(), 1);
/// assert!(report.to_string().contains("recorded_only"));
/// # Ok(()) }
/// ```
pub async fn diff(cassette: &Cassette, fake: MockPlaid) -> DiffReport {
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut operations: Vec<OperationReport> = Vec::new();
    for exchange in &cassette.exchanges {
        let (status, answer) = send(&fake, exchange, &ids).await;
        learn(&exchange.answer, &answer, "", &mut ids);
        let path = exchange.path.split('?').next().unwrap_or_default();
        let differences = differences(exchange, path, status, &answer);
        let name = exchange.operation();
        let report = match operations.iter_mut().find(|o| o.operation == name) {
            Some(report) => report,
            None => {
                operations.push(OperationReport {
                    operation: name,
                    calls: 0,
                    differences: Vec::new(),
                });
                operations.last_mut().expect("just pushed")
            }
        };
        report.calls += 1;
        for difference in differences {
            let known = report
                .differences
                .iter()
                .any(|d| d.kind == difference.kind && d.field == difference.field);
            if !known {
                report.differences.push(difference);
            }
        }
    }
    DiffReport {
        exchanges: cassette.exchanges.len(),
        operations,
    }
}

/// The recorded request with the fake's ids and credentials, sent to the
/// fake; its status and JSON answer.
async fn send(
    fake: &MockPlaid,
    exchange: &Exchange,
    ids: &HashMap<String, String>,
) -> (u16, Value) {
    let mut body = exchange.request.clone();
    swap(&mut body, ids);
    let bytes = match &mut body {
        Value::Object(fields) => {
            set_credentials(fake, fields);
            Bytes::from(serde_json::to_vec(fields).unwrap_or_default())
        }
        Value::Null if exchange.method != "GET" => {
            let mut fields = Map::new();
            set_credentials(fake, &mut fields);
            Bytes::from(serde_json::to_vec(&fields).unwrap_or_default())
        }
        Value::Null => Bytes::new(),
        other => Bytes::from(other.to_string()),
    };
    let mut request = http::Request::new(bytes);
    *request.method_mut() =
        http::Method::from_bytes(exchange.method.as_bytes()).unwrap_or(http::Method::POST);
    if let Ok(uri) = exchange.path.parse() {
        *request.uri_mut() = uri;
    }
    request.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    if let Some(version) = exchange
        .request_headers
        .get("plaid-version")
        .and_then(|v| http::HeaderValue::from_str(v).ok())
    {
        request.headers_mut().insert("plaid-version", version);
    }
    let response = fake.handle(request).await;
    let answer = serde_json::from_slice(response.body()).unwrap_or(Value::Null);
    (response.status().as_u16(), answer)
}

/// Replaces every recorded id in `value` with the fake's.
fn swap(value: &mut Value, ids: &HashMap<String, String>) {
    match value {
        Value::String(text) => {
            if let Some(ours) = ids.get(text.as_str()) {
                *text = ours.clone();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| swap(item, ids)),
        Value::Object(fields) => fields.values_mut().for_each(|inner| swap(inner, ids)),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Whether a field named `name` carries a token or an id.
fn names_an_id(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["id", "ids", "token", "tokens", "cursor"]
        .iter()
        .any(|end| name.ends_with(end))
}

/// Learns recorded id → fake id from two answers walked side by side.
fn learn(recorded: &Value, fake: &Value, name: &str, ids: &mut HashMap<String, String>) {
    match (recorded, fake) {
        (Value::String(ours), Value::String(theirs))
            if ours != theirs && !ours.is_empty() && names_an_id(name) && name != "request_id" =>
        {
            ids.entry(ours.clone()).or_insert_with(|| theirs.clone());
        }
        (Value::Array(ours), Value::Array(theirs)) => {
            for (a, b) in ours.iter().zip(theirs) {
                learn(a, b, name, ids);
            }
        }
        (Value::Object(ours), Value::Object(theirs)) => {
            for (key, a) in ours {
                if let Some(b) = theirs.get(key) {
                    learn(a, b, key, ids);
                }
            }
        }
        _ => {}
    }
}

/// The error type and code of an error answer, `TYPE/CODE`.
fn error_code(answer: &Value) -> String {
    let text = |field: &str| answer.get(field).and_then(Value::as_str).unwrap_or("?");
    format!("{}/{}", text("error_type"), text("error_code"))
}

fn differences(exchange: &Exchange, path: &str, status: u16, answer: &Value) -> Vec<Difference> {
    let recorded_error = exchange.status >= 400;
    let described = |status: u16, answer: &Value| {
        if status >= 400 {
            format!("{status} {}", error_code(answer))
        } else {
            status.to_string()
        }
    };
    if exchange.status != status && (recorded_error || status >= 400) {
        return vec![Difference {
            kind: DifferenceKind::Status,
            field: String::new(),
            recorded: described(exchange.status, &exchange.answer),
            fake: described(status, answer),
        }];
    }
    if recorded_error {
        let (ours, theirs) = (error_code(&exchange.answer), error_code(answer));
        if ours != theirs {
            return vec![Difference {
                kind: DifferenceKind::ErrorCode,
                field: String::new(),
                recorded: ours,
                fake: theirs,
            }];
        }
        return Vec::new();
    }
    let mut out = Vec::new();
    if exchange.status != status {
        out.push(Difference {
            kind: DifferenceKind::Status,
            field: String::new(),
            recorded: exchange.status.to_string(),
            fake: status.to_string(),
        });
    }
    if exchange.answer_base64.is_none() {
        out.extend(compare(&exchange.method, path, &exchange.answer, answer));
    }
    out
}
