//! Route entries: how a product tells the router which Plaid operations it
//! answers. A product module lists its entries in a `ROUTES` constant; the
//! router ([`crate::router`]) gathers them into one table.

use serde_json::{Map, Value};

use crate::kernel::errors::{ErrorAnswer, Refusal};
pub(crate) use crate::kernel::spec::FieldError;
use crate::sandbox::events::Hook;
use crate::sandbox::store::{Kept, ProductStore};
use crate::sandbox::State;

/// What a handler gives back: an answer, or `None` to let the table's
/// fallback answer (the spec's example, or its file) after the handler's
/// checks passed.
pub(crate) type Handled = Option<Result<Value, ErrorAnswer>>;

/// Answers one operation from the request body and the fake's state.
pub(crate) type Handler = fn(&mut State, &Map<String, Value>) -> Handled;

/// Answers one operation straight to encoded JSON, for the busiest reads;
/// `None` to use the route's [`Handler`] for this request.
pub(crate) type EncodedHandler =
    fn(&mut State, &Map<String, Value>) -> Option<Result<Vec<u8>, ErrorAnswer>>;

/// One operation a product answers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Route {
    /// The operation's path, as Plaid's spec writes it.
    pub path: &'static str,
    /// What answers it.
    pub handler: Handler,
    /// The error code the operation's sample request gets (its ids name
    /// nothing the fake made, or its values are not usable), if it is
    /// refused.
    pub sample_refusal: Option<&'static str>,
    /// A faster way to the same answer, already encoded.
    pub encoded: Option<EncodedHandler>,
    /// Request fields whose bad value gets a product error rather than
    /// `INVALID_FIELD`.
    pub field_errors: &'static [FieldError],
}

impl Route {
    /// An entry whose sample request is answered.
    pub const fn new(path: &'static str, handler: Handler) -> Self {
        Route {
            path,
            handler,
            sample_refusal: None,
            encoded: None,
            field_errors: &[],
        }
    }

    /// The same entry, answering a bad value of each of `field_errors`'
    /// fields with that product error.
    pub const fn field_errors(self, field_errors: &'static [FieldError]) -> Self {
        Route {
            field_errors,
            ..self
        }
    }

    /// The same entry, answering through `encoded` where it can.
    pub const fn encoded(self, encoded: EncodedHandler) -> Self {
        Route {
            encoded: Some(encoded),
            ..self
        }
    }

    /// The same entry, refusing the spec's sample request with `code`.
    pub const fn refuses_samples(self, code: &'static str) -> Self {
        Route {
            sample_refusal: Some(code),
            ..self
        }
    }
}

/// A product model: its name and the operations it answers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Product {
    /// The product's name (its module's).
    pub name: &'static str,
    /// What it models, in a line of the crate docs' "What keeps state".
    pub about: &'static str,
    /// Its route entries.
    pub routes: &'static [Route],
    /// Its reaction to what happens to items and users.
    pub hook: Option<Hook>,
    /// Makes its state live once a saved run was read.
    pub keeps: Option<fn(&mut ProductStore)>,
    /// The misuses it refuses beyond the request and sandbox checks.
    pub refusals: &'static [Refusal],
}

impl Product {
    /// A product named `name` answering `routes`.
    pub const fn new(name: &'static str, routes: &'static [Route]) -> Self {
        Product {
            name,
            about: "",
            routes,
            hook: None,
            keeps: None,
            refusals: &[],
        }
    }

    /// The same product, listing the misuses it refuses (for the crate's
    /// error table, [`crate::sandbox_errors`]).
    pub const fn refuses(self, refusals: &'static [Refusal]) -> Self {
        Product { refusals, ..self }
    }

    /// The same product, described by `about` in the crate docs.
    pub const fn about(self, about: &'static str) -> Self {
        Product { about, ..self }
    }

    /// The same product, reacting to events with `hook`.
    pub const fn reacts(self, hook: Hook) -> Self {
        Product {
            hook: Some(hook),
            ..self
        }
    }

    /// The same product, keeping a state of type `T`.
    pub const fn keeps<T: Kept>(self) -> Self {
        Product {
            keeps: Some(ProductStore::load::<T>),
            ..self
        }
    }
}
