//! Record, replay and diff: capture a session with Plaid's sandbox (or any
//! upstream) in a cassette, answer from it offline, and measure the fake
//! against it.
//!
//! * [`Recorder`] forwards each request to an upstream and appends the
//!   exchange to a cassette; `plaid-mock record --upstream URL --cassette
//!   FILE` serves one over HTTP ([`serve`]).
//! * [`Replayer`] answers each request from the cassette, with no network
//!   and no credentials; `plaid-mock replay --cassette FILE` serves one.
//! * [`diff`] sends the recorded requests to a fresh fake and reports how
//!   its answers differ in shape ([`DiffReport`]); `plaid-mock diff`.
//!
//! # The cassette
//!
//! A versioned JSON Lines file ([`Cassette`]): a header line, then one
//! [`Exchange`] a line — method, path, request body, status, answer body,
//! the headers that matter (`content-type`, `plaid-version`), and when. It
//! is meant to be committed and reviewed.
//!
//! What never reaches the file: the `client_id` and `secret` body fields,
//! the `PLAID-CLIENT-ID` and `PLAID-SECRET` headers, `Authorization` and
//! `Proxy-Authorization` (no header outside the kept ones is written), and
//! the secret's value wherever else it appears. The values of the fields
//! named to the recorder (`--redact access_token`) are replaced by
//! stand-ins, the same value always by the same one
//! (`redacted-access_token-1`), so a token still links the calls that use it.
//!
//! # Matching
//!
//! A request is answered by the recording with the same method, path and
//! body, where the body is compared without the credentials and without the
//! redacted fields (at any depth). Identical requests are answered in the
//! order they were recorded; once all have answered, the last answers again.
//! What matches nothing gets a `400` with `error_code` [`NO_RECORDING`],
//! whose message names the closest recording and how it differs, unless a
//! fallback fake answers ([`Replayer::fallback`]).

mod diff;
mod format;
mod matching;
mod record;
mod redact;
mod replay;
mod serve;
mod shape;

pub use diff::{diff, DiffReport, OperationReport};
pub use format::{Cassette, CassetteError, CassetteHeader, Exchange, CASSETTE_VERSION};
pub use record::Recorder;
pub use replay::{Replayer, NO_RECORDING};
pub use serve::serve;
pub use shape::{Difference, DifferenceKind};
