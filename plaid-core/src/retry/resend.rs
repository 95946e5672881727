//! Whether an operation is safe to send again: a fact generated per
//! operation from the spec (see `plaid-codegen/src/resend.rs` for the rule).

use crate::generated::safe_to_resend::SAFE_TO_RESEND;

/// Whether sending the operation at `path` twice has the effect of sending
/// it once, so a failure that leaves the outcome unknown (a broken
/// connection, a gateway's 502) can be retried: reads (`…/get`,
/// `…/get_by_id`, `…/list`, `…/search`, `…/sync`, `…/download`, the FDX
/// `GET`s). Operations that create, exchange, change or remove something
/// are not, and neither is a path the spec does not have.
///
/// ```
/// use plaid_core::retry::is_safe_to_resend;
///
/// assert!(is_safe_to_resend("/accounts/balance/get"));
/// assert!(is_safe_to_resend("/institutions/get_by_id"));
/// assert!(is_safe_to_resend("/transactions/sync"));
/// assert!(is_safe_to_resend("/fdx/recipient/abc"));
/// assert!(!is_safe_to_resend("/item/public_token/exchange"));
/// assert!(!is_safe_to_resend("/transfer/create"));
/// assert!(!is_safe_to_resend("/not/in/the/spec/get"));
/// ```
pub fn is_safe_to_resend(path: &str) -> bool {
    SAFE_TO_RESEND.binary_search(&path).is_ok()
        || SAFE_TO_RESEND
            .iter()
            .filter(|template| template.contains('{'))
            .any(|template| template_matches(template, path))
}

/// Whether `path` fits `template`, where `{name}` stands for one segment.
fn template_matches(template: &str, path: &str) -> bool {
    let mut want = template.split('/');
    let mut have = path.split('/');
    loop {
        match (want.next(), have.next()) {
            (None, None) => return true,
            (Some(w), Some(h)) if w.starts_with('{') && w.ends_with('}') && !h.is_empty() => {}
            (Some(w), Some(h)) if w == h => {}
            _ => return false,
        }
    }
}
