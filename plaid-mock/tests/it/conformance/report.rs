//! Checking answers against their schemas, and the tally of what was
//! checked and what failed.

use super::*;

/// The innermost violations behind `error`: for `anyOf` (a nullable schema
/// wrapped by [`openapi`]), those of the branches that got further than a
/// type mismatch at the same place.
pub fn violations(error: &ValidationError<'_>, out: &mut Vec<String>) {
    if let ValidationErrorKind::AnyOf { context } = error.kind() {
        let at = error.instance_path().as_str();
        let deeper: Vec<&ValidationError<'_>> = context
            .iter()
            .filter(|branch| {
                !branch.iter().all(|e| {
                    e.instance_path().as_str() == at
                        && matches!(e.kind(), ValidationErrorKind::Type { .. })
                })
            })
            .flatten()
            .collect();
        if !deeper.is_empty() {
            for inner in deeper {
                violations(inner, out);
            }
            return;
        }
    }
    let mut message = error.to_string();
    if message.len() > 160 {
        let cut = (0..=160)
            .rev()
            .find(|i| message.is_char_boundary(*i))
            .unwrap_or(0);
        message.truncate(cut);
        message.push('…');
    }
    out.push(format!(
        "at {:?} ({}): {message}",
        error.instance_path().as_str(),
        error.kind().keyword()
    ));
}

/// Every violation of `schema` (a component schema name) by `answer`.
pub fn check(map: &ValidatorMap, schema: &str, answer: &Value) -> Vec<String> {
    let pointer = format!("{}{schema}", super::openapi::DEFS);
    let validator = map
        .get(&pointer)
        .unwrap_or_else(|| panic!("no compiled schema {pointer}"));
    let mut out = Vec::new();
    for error in validator.iter_errors(answer) {
        violations(&error, &mut out);
    }
    out
}

/// One answer the fake gave.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub path: String,
    pub status: u16,
    pub content_type: String,
    pub body: Bytes,
}

/// Tallies and the list of everything that did not conform.
#[derive(Default)]
pub struct Report {
    pub operations: usize,
    pub json_answers: usize,
    pub json_conform: usize,
    pub file_answers: usize,
    pub empty_answers: usize,
    pub error_answers: usize,
    pub error_conform: usize,
    pub problems: Vec<String>,
    pub error_codes: BTreeMap<String, usize>,
}

impl Report {
    pub fn success(
        &mut self,
        map: &ValidatorMap,
        op: &SpecOperation,
        what: &str,
        answer: &Exchange,
    ) {
        let label = format!("{} {} ({what})", op.method, op.path);
        if !(200..300).contains(&answer.status) {
            self.problems.push(format!(
                "{label}: HTTP {} {}",
                answer.status,
                String::from_utf8_lossy(&answer.body)
            ));
            return;
        }
        match &op.success {
            Success::Json(schema) => {
                self.json_answers += 1;
                if !answer.content_type.starts_with("application/json") {
                    self.problems
                        .push(format!("{label}: content type {:?}", answer.content_type));
                    return;
                }
                let json: Value = match serde_json::from_slice(&answer.body) {
                    Ok(json) => json,
                    Err(e) => {
                        self.problems.push(format!("{label}: not JSON: {e}"));
                        return;
                    }
                };
                let found = check(map, schema, &json);
                if found.is_empty() {
                    self.json_conform += 1;
                }
                for violation in found {
                    self.problems
                        .push(format!("{label} vs {schema}: {violation}"));
                }
            }
            Success::File(media) => {
                self.file_answers += 1;
                let magic: &[u8] = match media.as_str() {
                    "application/pdf" => b"%PDF-",
                    "application/zip" => b"PK\x03\x04",
                    other => panic!("{label}: no file magic known for {other}"),
                };
                if answer.content_type != *media || !answer.body.starts_with(magic) {
                    self.problems.push(format!(
                        "{label}: expected a {media} file, got {:?} starting {:?}",
                        answer.content_type,
                        String::from_utf8_lossy(&answer.body[..answer.body.len().min(8)])
                    ));
                }
            }
            Success::Empty => {
                self.empty_answers += 1;
                if !answer.body.is_empty() {
                    self.problems.push(format!(
                        "{label}: the spec declares no body, got {} bytes of {:?}",
                        answer.body.len(),
                        answer.content_type
                    ));
                }
            }
        }
    }

    /// `answer` must be an error answer with `expected_code`, conforming to
    /// `PlaidError` (and to the operation's own error schema, where it
    /// declares another one).
    pub fn error(
        &mut self,
        map: &ValidatorMap,
        label: &str,
        expected_code: Option<&str>,
        extra_schema: Option<&str>,
        answer: &Exchange,
    ) {
        self.error_answers += 1;
        let label = format!("{label} [{}]", answer.path);
        if answer.status < 400 {
            self.problems.push(format!(
                "{label}: expected an error, got HTTP {}",
                answer.status
            ));
            return;
        }
        if !answer.content_type.starts_with("application/json") {
            self.problems
                .push(format!("{label}: content type {:?}", answer.content_type));
            return;
        }
        let json: Value = match serde_json::from_slice(&answer.body) {
            Ok(json @ Value::Object(_)) => json,
            _ => {
                self.problems.push(format!(
                    "{label}: not a JSON object: {}",
                    String::from_utf8_lossy(&answer.body)
                ));
                return;
            }
        };
        let code = json["error_code"].as_str().unwrap_or("?").to_owned();
        if expected_code.is_some_and(|expected| expected != code) {
            self.problems
                .push(format!("{label}: expected {expected_code:?}, got {code}"));
        }
        *self.error_codes.entry(code).or_default() += 1;
        let mut found = check(map, "PlaidError", &json);
        if let Some(schema) = extra_schema {
            found.extend(
                check(map, schema, &json)
                    .into_iter()
                    .map(|v| format!("vs {schema}: {v}")),
            );
        }
        if found.is_empty() {
            self.error_conform += 1;
        }
        for violation in found {
            self.problems
                .push(format!("{label} vs PlaidError: {violation}"));
        }
    }
}
