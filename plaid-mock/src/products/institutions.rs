//! Institutions: the sandbox's banks, listed, found by id and searched.

use crate::kit::route::Route;
use crate::sandbox::institutions::{institution_by_id, institutions_get, institutions_search};

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    Route::new("/institutions/get", |_, body| {
        Some(Ok(institutions_get(body)))
    }),
    Route::new("/institutions/get_by_id", |_, body| {
        Some(institution_by_id(body))
    }),
    Route::new("/institutions/search", |_, body| {
        Some(Ok(institutions_search(body)))
    }),
];
