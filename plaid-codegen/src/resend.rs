//! Which operations are safe to send again after a failure that leaves the
//! outcome unknown (a broken connection, a gateway error), as a generated
//! fact per operation instead of a guess made at run time.
//!
//! The spec does not mark idempotency, so the rule is decided here, from
//! what each operation does:
//!
//! - an HTTP `GET` (the three FDX reads);
//! - a `POST` whose last path segment only reads: `get`, `get_…`
//!   (`/institutions/get_by_id`), `list`, `search`, `sync` (a cursor read
//!   the caller keeps), or `download` (`/statements/download`).
//!
//! Everything else — creating, exchanging, updating, removing, simulating —
//! may act twice when repeated.

use std::fmt::Write as _;

use crate::operations::Operation;
use crate::render::{string_literal, HEADER};

/// Where the table goes.
pub const RESEND_TABLE: &str = "plaid-core/src/generated/safe_to_resend.rs";

/// Whether sending `op` twice has the effect of sending it once.
pub fn safe_to_resend(op: &Operation) -> bool {
    if op.method == "get" {
        return true;
    }
    let last = op.path.rsplit('/').next().unwrap_or_default();
    matches!(last, "get" | "list" | "search" | "sync" | "download") || last.starts_with("get_")
}

/// Renders the sorted list of the paths that are safe to resend.
pub fn render_resend_table(operations: &[Operation]) -> String {
    let mut paths: Vec<&str> = operations
        .iter()
        .filter(|op| safe_to_resend(op))
        .map(|op| op.path.as_str())
        .collect();
    paths.sort_unstable();
    paths.dedup();
    let mut out = String::from(HEADER);
    writeln!(
        out,
        "\n//! The path templates of the operations that are safe to send again\n//! (see `plaid-codegen/src/resend.rs` for the rule), sorted for binary search.\n"
    )
    .ok();
    writeln!(out, "/// {} of the spec's operations, sorted.", paths.len()).ok();
    writeln!(out, "pub(crate) static SAFE_TO_RESEND: &[&str] = &[").ok();
    for path in paths {
        writeln!(out, "    {},", string_literal(path)).ok();
    }
    writeln!(out, "];").ok();
    out
}
