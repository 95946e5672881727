//! Institutions: the sandbox's banks, listed, found by id and searched.

use serde_json::{Map, Value};

use crate::kernel::errors::ErrorAnswer;
use crate::kit::options::institution_metadata;
use crate::kit::route::{Handled, Route};
use crate::sandbox::institutions::{
    institution_by_id, institutions_get, institutions_search, UNKNOWN_INSTITUTION,
};

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    Route::new("/institutions/get", |_, body| {
        shaped(body, Ok(institutions_get(body)))
    }),
    Route::new("/institutions/get_by_id", |_, body| {
        shaped(body, institution_by_id(body))
    })
    .field_errors(UNKNOWN_INSTITUTION),
    Route::new("/institutions/search", |_, body| {
        shaped(body, Ok(institutions_search(body)))
    }),
];

/// The answer with the optional metadata the request did not ask for left
/// out.
fn shaped(body: &Map<String, Value>, answer: Result<Value, ErrorAnswer>) -> Handled {
    Some(answer.map(|mut answer| {
        institution_metadata(body, &mut answer);
        answer
    }))
}
