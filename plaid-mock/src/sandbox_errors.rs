//! Which misuse gives which error: the fake answers each the way Plaid's
//! sandbox does (Plaid's error reference at <https://plaid.com/docs/errors/>
//! lists the codes; the wording of messages here is the fake's own).
//!
//! Every error body is a `PlaidError` with a `request_id`.
//!
//! The table below is made from the route table: each row is a
//! `Refusal` kept beside the code that refuses (the request checks, the
//! sandbox's token and item checks, paging, then each product in the
//! router's order), and [`table`] gives the same rows to a program. A test
//! fails when this page and the code disagree; run
//! `PLAID_MOCK_BLESS=1 cargo test -p plaid-mock --lib` to
//! write the page again after changing a refusal.
//!
#![doc = include_str!("sandbox_errors.md")]
//!
//! Plaid's error reference names no dedicated code for an unknown
//! Identity Verification id; the fake answers it as an invalid field value,
//! the code Plaid documents for a field whose value it cannot use. The
//! same goes for payment consents: no code in the Payment errors reference
//! covers an unknown, unusable or exceeded consent, so those are invalid
//! field values too.
//!
//! Plaid's Income errors reference gives `INCOME_VERIFICATION_NOT_FOUND`
//! for income data asked for before Link was finished with Income, and
//! `INCOME_VERIFICATION_DOCUMENT_NOT_FOUND` for a document it does not
//! have; it names no code for an item id outside the user's, an unknown
//! precheck id or a sandbox webhook naming an item or user that does not
//! exist, so those are invalid field values.
//!
//! Plaid documents that a second `/user/create` for the same
//! `client_user_id` fails, but not with which code, and names no code for an
//! unknown user token; the fake answers both as an invalid field value.
//!
//! Plaid documents that `/sandbox/transactions/create` works only for
//! items of the `user_transactions_dynamic` test user, at most ten
//! transactions a call, dated today or up to 14 days back, but names no
//! error code for breaking those rules; the fake answers them as invalid
//! field values.
//!
//! Plaid requires a Signal report's `client_transaction_id` to be that of
//! an earlier `/signal/evaluate` and documents no code for one that is
//! not; nor does it name one for `/sandbox/item/set_verification_status`
//! on an account that is not waiting for micro-deposits. The fake answers
//! both as invalid field values.
//!
//! Plaid Check documents `PRODUCT_NOT_READY` for a report read before it is
//! made; for a user no report was ever asked for it documents nothing, and
//! the fake gives the same answer (the report is not there to be read).
//! Plaid documents no code for monitoring subscriptions, registered loans or
//! Cash Flow Report cursors either: those refusals are invalid field values
//! naming the field.

use crate::router;

/// One row of the error table: a misuse and the error the fake answers it
/// with.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SandboxError {
    /// The misuse, in the table's words (Markdown).
    pub misuse: &'static str,
    /// The HTTP status of the answer.
    pub status: u16,
    /// The answer's `error_type`.
    pub error_type: &'static str,
    /// The answer's `error_code`.
    pub error_code: &'static str,
    /// What else the answer says (the field its message names, say).
    pub detail: Option<&'static str>,
}

/// Every row of the error table, in the page's order: what a test of an
/// app's error handling can walk to cover each code the fake gives.
///
/// ```
/// let table = plaid_mock::sandbox_errors::table();
/// assert!(table.iter().any(|row| row.error_code == "INVALID_API_KEYS"));
/// assert!(table.iter().all(|row| row.status >= 400));
/// ```
pub fn table() -> Vec<SandboxError> {
    router::refusals()
        .map(|r| SandboxError {
            misuse: r.misuse,
            status: r.status,
            error_type: r.error_type,
            error_code: r.error_code,
            detail: r.detail,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page's table, as the refusals in the code make it.
    fn markdown() -> String {
        let mut out = String::from(
            "| Misuse | HTTP | `error_type` | `error_code` |\n| --- | --- | --- | --- |\n",
        );
        for refusal in router::refusals() {
            out.push_str(&refusal.markdown_row());
            out.push('\n');
        }
        out
    }

    #[test]
    fn the_page_is_made_from_the_refusals_in_the_code() {
        router::check_page("sandbox_errors.md", &markdown());
    }

    #[test]
    fn every_row_is_a_plaid_error() {
        let rows = table();
        assert!(rows.len() > 80, "{} rows", rows.len());
        for row in rows {
            assert!((400..600).contains(&row.status), "{row:?}");
            for code in [row.error_type, row.error_code] {
                assert!(
                    !code.is_empty() && code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'),
                    "{row:?}"
                );
            }
        }
    }
}
