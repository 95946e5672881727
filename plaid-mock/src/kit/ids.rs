//! Short object ids (`prefix` and 14 characters), as Plaid makes for
//! screenings, hits, reviews and Beacon objects.

use crate::sandbox::State;

/// `prefix` and 14 base62 characters, as Plaid's `idv_…`, `scr_…` ids.
pub(crate) fn short_id(state: &mut State, prefix: &str) -> String {
    let id = state.rng.id();
    format!("{prefix}{}", &id[..14])
}
