//! The router: one table from every Plaid path the fake models to the
//! handler that answers it, built once from the products' route entries
//! ([`crate::products::PRODUCTS`]). An operation the table does not hold is
//! answered by the table's fallback, chosen here and nowhere else: the
//! generic engine when the operation belongs to one of its resource
//! families, else the spec's example (carrying back the request's values).

use std::collections::HashMap;
use std::sync::OnceLock;

use bytes::Bytes;
use serde_json::{Map, Value};

use crate::engine::{self, ResourceFamilyInfo};
use crate::kernel::errors::ErrorAnswer;
use crate::kernel::journal::AnswerSource;
use crate::kernel::spec::{Canned, OperationSpec};
use crate::kit::route::{Product, Route};
use crate::products::PRODUCTS;
use crate::sandbox::events::Hook;
use crate::sandbox::users::UserState;
use crate::sandbox::State;

/// A one-page PDF, the answer of the operations that return PDF files.
const SAMPLE_PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/// A ZIP archive holding `SAMPLE_PDF` as `document.pdf` (stored, not
/// compressed), the answer of the operations that return ZIP files.
const SAMPLE_ZIP: &[u8] = include_bytes!("sample.zip");

/// What a successful answer carries.
#[derive(Debug)]
pub(crate) enum Reply {
    /// A JSON object; `request_id` is added before it is sent.
    Json(Value),
    /// A JSON object already encoded (without `request_id`).
    EncodedObject(Vec<u8>),
    /// A file of the given media type.
    File(&'static str, Bytes),
    /// No body.
    Empty,
}

/// One entry of the table: the route and the product that owns it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    /// The route entry.
    pub route: &'static Route,
    /// The product that contributed it.
    pub product: &'static Product,
}

/// The table: path → entry.
pub(crate) fn table() -> &'static HashMap<&'static str, Entry> {
    static TABLE: OnceLock<HashMap<&'static str, Entry>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = HashMap::new();
        for product in PRODUCTS {
            for route in product.routes {
                table.insert(route.path, Entry { route, product });
            }
        }
        table
    })
}

/// Installs the products' hooks (and the engine's) on `state`, and makes
/// live every product state a saved run kept. Every new or restored state
/// goes through here before it answers anything.
pub(crate) fn prepare(state: &mut State) {
    static HOOKS: OnceLock<Vec<Hook>> = OnceLock::new();
    state.hooks = HOOKS.get_or_init(|| {
        PRODUCTS
            .iter()
            .filter_map(|p| p.hook)
            .chain([engine::on_event as Hook])
            .collect()
    });
    for keeps in PRODUCTS.iter().filter_map(|p| p.keeps) {
        keeps(&mut state.products);
    }
    state.products.load::<engine::ResourceStore>();
    state.products.load::<UserState>();
}

/// Answers a request already checked against the spec (credentials,
/// fields), and says what answered it.
pub(crate) fn answer(
    state: &mut State,
    spec: &OperationSpec,
    body: &Map<String, Value>,
) -> (Result<Reply, ErrorAnswer>, AnswerSource) {
    let entry = table().get(spec.path);
    if let Some(encoded) = entry
        .and_then(|e| e.route.encoded)
        .and_then(|encoded| encoded(state, body))
    {
        return (
            encoded.map(Reply::EncodedObject),
            AnswerSource::ProductModel,
        );
    }
    let handled = entry.and_then(|e| (e.route.handler)(state, body));
    let source = match entry {
        Some(_) => AnswerSource::ProductModel,
        None if engine::is_engine_path(spec.path) => AnswerSource::ResourceEngine,
        None => AnswerSource::Example,
    };
    let answered = match (handled, spec.answer) {
        (Some(result), _) => result.map(Some),
        (None, Canned::Json(canned)) => fallback(state, spec, body, canned).map(Some),
        (None, _) => Ok(None),
    };
    let reply = answered.map(|answered| match (answered, spec.answer) {
        (Some(mut answer), _) => {
            engine::shape(spec, body, &mut answer);
            Reply::Json(answer)
        }
        (None, Canned::File(media)) => {
            let file = if media == "application/zip" {
                SAMPLE_ZIP
            } else {
                SAMPLE_PDF
            };
            Reply::File(media, Bytes::from_static(file))
        }
        (None, _) => Reply::Empty,
    });
    (reply, source)
}

/// The table's fallback: the generic engine over the spec's example.
fn fallback(
    state: &mut State,
    spec: &OperationSpec,
    body: &Map<String, Value>,
    canned: &str,
) -> Result<Value, ErrorAnswer> {
    let canned: Value = serde_json::from_str(canned)
        .map_err(|e| ErrorAnswer::new(500, "API_ERROR", "INTERNAL_SERVER_ERROR", e.to_string()))?;
    engine::answer(state, spec, body, &canned).unwrap_or(Ok(canned))
}

/// An operation a product model of the fake answers, as its route entry
/// says (see [`modelled_operations`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelledOperation {
    /// The operation's path.
    pub path: &'static str,
    /// The product model that answers it (its module's name).
    pub product: &'static str,
    /// The error code the spec's sample request gets, when the fake refuses
    /// it as Plaid would (its ids name nothing the fake made, or its values
    /// are not usable); `None` when the sample request is answered.
    pub sample_refusal: Option<&'static str>,
}

/// Every operation a product model answers, sorted by path: the fake's
/// route table. Operations not listed are answered by the generic engine
/// ([`crate::resource_families`]) or with the spec's example.
///
/// ```
/// let modelled = plaid_mock::modelled_operations();
/// let refund = modelled.iter().find(|op| op.path == "/transfer/refund/create").unwrap();
/// assert_eq!(refund.product, "transfer_refunds");
/// assert_eq!(refund.sample_refusal, Some("INVALID_FIELD"));
/// ```
pub fn modelled_operations() -> Vec<ModelledOperation> {
    let mut out: Vec<ModelledOperation> = table()
        .values()
        .map(|entry| ModelledOperation {
            path: entry.route.path,
            product: entry.product.name,
            sample_refusal: entry.route.sample_refusal,
        })
        .collect();
    out.sort_by_key(|op| op.path);
    out
}

/// Every resource family the engine keeps state for (families a product
/// lifecycle answers, such as Transfer, are not among them).
///
/// ```
/// let families = plaid_mock::resource_families();
/// let recurring = families.iter().find(|f| f.prefix == "/transfer/recurring").unwrap();
/// assert_eq!(recurring.id_request, "recurring_transfer_id");
/// // Product lifecycles answer their own families (`/transfer`, …).
/// assert!(families.iter().all(|f| f.prefix != "/transfer" && f.prefix != "/transfer/refund"));
/// ```
pub fn resource_families() -> Vec<ResourceFamilyInfo> {
    engine::engine_families(|path| table().contains_key(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crate_docs_name_every_product() {
        let docs = include_str!("../lib.rs");
        let missing: Vec<&str> = PRODUCTS
            .iter()
            .map(|p| p.name)
            .filter(|name| !docs.contains(&format!("`{name}`")))
            .collect();
        assert!(
            missing.is_empty(),
            "not in the crate docs' \"What keeps state\": {missing:?}"
        );
    }

    #[test]
    fn no_path_has_two_route_entries() {
        let entries: usize = PRODUCTS.iter().map(|p| p.routes.len()).sum();
        assert_eq!(table().len(), entries);
    }
}
