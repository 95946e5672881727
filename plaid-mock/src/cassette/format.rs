//! The cassette file: JSON Lines, a header line then one exchange a line.
//!
//! ```text
//! {"cassette":"plaid-mock","version":1,"upstream":"https://sandbox.plaid.com","redacted":["access_token"]}
//! {"seq":1,"at":"2024-06-30T12:00:00Z","method":"POST","path":"/sandbox/public_token/create","request":{…},"status":200,"answer":{…},"request_headers":{…},"answer_headers":{…}}
//! ```
//!
//! Bodies are kept as JSON values (a body that is not JSON, such as a PDF,
//! as `answer_base64`), so a reviewer reads them as they are; keys are
//! written in sorted order.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The value of the header's `cassette` field.
const FORMAT: &str = "plaid-mock";
/// The version this crate writes and reads.
pub const CASSETTE_VERSION: u64 = 1;

/// The first line of a cassette: what it is and how it was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CassetteHeader {
    /// Always `plaid-mock`.
    pub cassette: String,
    /// The format version ([`CASSETTE_VERSION`]).
    pub version: u64,
    /// The base URL the exchanges were recorded from.
    #[serde(default)]
    pub upstream: String,
    /// The fields whose values were replaced by stand-ins (`--redact`).
    #[serde(default)]
    pub redacted: Vec<String>,
}

impl CassetteHeader {
    /// A header for a cassette recorded from `upstream` with `redacted`
    /// fields.
    pub fn new(upstream: impl Into<String>, redacted: Vec<String>) -> Self {
        Self {
            cassette: FORMAT.to_owned(),
            version: CASSETTE_VERSION,
            upstream: upstream.into(),
            redacted,
        }
    }
}

/// One recorded request and its answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    /// Its place in the session, from 1.
    pub seq: u64,
    /// When it was recorded (RFC 3339).
    #[serde(default)]
    pub at: String,
    /// The HTTP method.
    pub method: String,
    /// The path, with the query when there was one.
    pub path: String,
    /// The request body as JSON, without credentials (`null` when empty).
    #[serde(default)]
    pub request: Value,
    /// The answer's HTTP status.
    pub status: u16,
    /// The answer body as JSON (`null` when it is not JSON; see
    /// `answer_base64`).
    #[serde(default)]
    pub answer: Value,
    /// The answer body, base64, when it is not JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_base64: Option<String>,
    /// The request headers that matter to Plaid (`content-type`,
    /// `plaid-version`); never credentials.
    #[serde(default)]
    pub request_headers: BTreeMap<String, String>,
    /// The answer headers that matter (`content-type`).
    #[serde(default)]
    pub answer_headers: BTreeMap<String, String>,
}

impl Exchange {
    /// `METHOD /path`, without the query.
    pub fn operation(&self) -> String {
        let path = self.path.split('?').next().unwrap_or_default();
        format!("{} {path}", self.method)
    }

    /// The answer body as it goes back to a client.
    pub fn answer_bytes(&self) -> Bytes {
        if let Some(encoded) = &self.answer_base64 {
            return base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .map(Bytes::from)
                .unwrap_or_default();
        }
        if self.answer.is_null() {
            return Bytes::new();
        }
        Bytes::from(serde_json::to_vec(&self.answer).unwrap_or_default())
    }

    /// Sets the answer from the bytes an upstream sent.
    pub(crate) fn set_answer(&mut self, body: &[u8]) {
        if body.is_empty() {
            self.answer = Value::Null;
        } else if let Ok(json) = serde_json::from_slice::<Value>(body) {
            self.answer = json;
        } else {
            self.answer = Value::Null;
            self.answer_base64 = Some(base64::engine::general_purpose::STANDARD.encode(body));
        }
    }
}

/// Why a cassette could not be read or written.
#[derive(Debug)]
pub struct CassetteError {
    message: String,
}

impl CassetteError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl std::fmt::Display for CassetteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CassetteError {}

/// A whole cassette, read into memory.
#[derive(Debug, Clone, PartialEq)]
pub struct Cassette {
    /// What it is and how it was made.
    pub header: CassetteHeader,
    /// The exchanges, in the order they were recorded.
    pub exchanges: Vec<Exchange>,
}

impl Cassette {
    /// Reads the cassette at `path`.
    ///
    /// # Errors
    ///
    /// When the file cannot be read, or a line is not a cassette line (the
    /// message names the line).
    pub fn open(path: impl AsRef<Path>) -> Result<Self, CassetteError> {
        let path = path.as_ref();
        let file = std::fs::File::open(path)
            .map_err(|e| CassetteError::new(format!("cannot read {}: {e}", path.display())))?;
        Self::read(std::io::BufReader::new(file))
            .map_err(|e| CassetteError::new(format!("{}: {e}", path.display())))
    }

    /// Reads a cassette from its text.
    ///
    /// # Errors
    ///
    /// When a line is not a cassette line, or the header names another
    /// format or a newer version.
    pub fn read(reader: impl BufRead) -> Result<Self, CassetteError> {
        let mut header = None;
        let mut exchanges = Vec::new();
        for (index, line) in reader.lines().enumerate() {
            let number = index + 1;
            let line = line.map_err(|e| CassetteError::new(format!("line {number}: {e}")))?;
            if line.trim().is_empty() {
                continue;
            }
            if header.is_none() {
                let read: CassetteHeader = serde_json::from_str(&line).map_err(|e| {
                    CassetteError::new(format!(
                        "line {number} is not a cassette header ({{\"cassette\":\"plaid-mock\",\"version\":1,…}}): {e}"
                    ))
                })?;
                if read.cassette != FORMAT {
                    return Err(CassetteError::new(format!(
                        "line {number}: not a plaid-mock cassette (\"cassette\": {:?})",
                        read.cassette
                    )));
                }
                if read.version > CASSETTE_VERSION {
                    return Err(CassetteError::new(format!(
                        "version {} is newer than this plaid-mock reads ({CASSETTE_VERSION}); update plaid-mock",
                        read.version
                    )));
                }
                header = Some(read);
                continue;
            }
            let exchange: Exchange = serde_json::from_str(&line).map_err(|e| {
                CassetteError::new(format!("line {number} is not a recorded exchange: {e}"))
            })?;
            exchanges.push(exchange);
        }
        let header = header.ok_or_else(|| CassetteError::new("empty: no cassette header"))?;
        Ok(Self { header, exchanges })
    }

    /// The cassette's text: the header line, then one exchange a line.
    pub fn to_text(&self) -> String {
        let mut text = line(&self.header);
        for exchange in &self.exchanges {
            text.push_str(&line(exchange));
        }
        text
    }
}

/// One JSON line, ending in a newline.
fn line(value: &impl Serialize) -> String {
    // Serializing these types cannot fail: their keys are strings.
    let mut text = serde_json::to_string(value).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes a cassette as the session goes: the header when created, then
/// each exchange, flushed at once, so a stopped recorder leaves a whole file.
#[derive(Debug)]
pub(crate) struct CassetteWriter {
    file: std::fs::File,
    path: PathBuf,
}

impl CassetteWriter {
    /// Creates (or empties) `path` and writes `header`.
    pub fn create(path: &Path, header: &CassetteHeader) -> Result<Self, CassetteError> {
        let mut file = std::fs::File::create(path)
            .map_err(|e| CassetteError::new(format!("cannot create {}: {e}", path.display())))?;
        file.write_all(line(header).as_bytes())
            .map_err(|e| CassetteError::new(format!("cannot write {}: {e}", path.display())))?;
        Ok(Self {
            file,
            path: path.to_owned(),
        })
    }

    /// Appends one exchange.
    pub fn append(&mut self, exchange: &Exchange) -> Result<(), CassetteError> {
        self.file
            .write_all(line(exchange).as_bytes())
            .and_then(|()| self.file.flush())
            .map_err(|e| CassetteError::new(format!("cannot write {}: {e}", self.path.display())))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_cassette_reads_back_what_it_wrote() {
        let mut exchange = Exchange {
            seq: 1,
            at: "2024-06-30T12:00:00Z".into(),
            method: "POST".into(),
            path: "/statements/download".into(),
            request: json!({"access_token": "a"}),
            status: 200,
            answer: Value::Null,
            answer_base64: None,
            request_headers: BTreeMap::new(),
            answer_headers: BTreeMap::from([("content-type".into(), "application/pdf".into())]),
        };
        exchange.set_answer(b"%PDF-1.4 not json");
        let cassette = Cassette {
            header: CassetteHeader::new("https://sandbox.plaid.com", vec![]),
            exchanges: vec![exchange],
        };
        let text = cassette.to_text();
        assert_eq!(text.lines().count(), 2);
        let read = Cassette::read(text.as_bytes()).unwrap();
        assert_eq!(read, cassette);
        assert_eq!(&read.exchanges[0].answer_bytes()[..], b"%PDF-1.4 not json");
        assert_eq!(read.exchanges[0].operation(), "POST /statements/download");
    }

    #[test]
    fn what_is_not_a_cassette_is_refused_with_its_line() {
        for (text, expected) in [
            ("", "empty: no cassette header"),
            ("{\"state\": 1}\n", "line 1 is not a cassette header"),
            (
                "{\"cassette\":\"vcr\",\"version\":1}\n",
                "not a plaid-mock cassette",
            ),
            (
                "{\"cassette\":\"plaid-mock\",\"version\":9}\n",
                "newer than this plaid-mock reads",
            ),
            (
                "{\"cassette\":\"plaid-mock\",\"version\":1}\n\n{\"seq\": 1}\n",
                "line 3 is not a recorded exchange",
            ),
        ] {
            let error = Cassette::read(text.as_bytes()).unwrap_err().to_string();
            assert!(error.contains(expected), "{text:?}: {error}");
        }
    }
}
