//! The router: one table from every Plaid path the fake models to the
//! handler that answers it, built once from the products' route entries
//! ([`crate::products::PRODUCTS`]). An operation the table does not hold is
//! answered by the table's fallback, chosen here and nowhere else: the
//! generic engine when the operation belongs to one of its resource
//! families, else the spec's example (carrying back the request's values).

use std::sync::OnceLock;

use bytes::Bytes;
use serde_json::{Map, Value};

use crate::engine::{self, ResourceFamilyInfo};
use crate::kernel::errors::{self, ErrorAnswer, Refusal};
use crate::kernel::journal::AnswerSource;
use crate::kernel::spec::generated::operations::OPERATIONS;
use crate::kernel::spec::{Canned, OperationSpec};
use crate::kit::paging;
use crate::kit::route::{Product, Route};
use crate::products::PRODUCTS;
use crate::sandbox::events::Hook;
use crate::sandbox::users::UserState;
use crate::sandbox::{self, State};

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

/// The table: one slot per operation of the spec, in the spec tables'
/// order ([`OperationSpec::index`]), holding the entry that answers it.
fn table() -> &'static [Option<Entry>] {
    static TABLE: OnceLock<Vec<Option<Entry>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = vec![None; OPERATIONS.len()];
        for product in PRODUCTS {
            for route in product.routes {
                let operation = ["POST", "GET"]
                    .into_iter()
                    .find_map(|method| OperationSpec::find(method, route.path))
                    .and_then(OperationSpec::index);
                // A route for a path the spec does not have could never be
                // asked for; the tests below refuse one.
                if let Some(slot) = operation.and_then(|i| table.get_mut(i)) {
                    *slot = Some(Entry { route, product });
                }
            }
        }
        table
    })
}

/// The entry that answers `spec`'s operation, if a product models it.
pub(crate) fn entry(spec: &OperationSpec) -> Option<&'static Entry> {
    spec.index()
        .and_then(|i| table().get(i))
        .and_then(Option::as_ref)
}

/// Every entry of the table.
fn entries() -> impl Iterator<Item = &'static Entry> {
    table().iter().flatten()
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
    entry: Option<&Entry>,
    body: &Map<String, Value>,
) -> (Result<Reply, ErrorAnswer>, AnswerSource) {
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

/// Every misuse the fake refuses, in the order the crate's error table
/// ([`crate::sandbox_errors`]) lists them: the request's own, the
/// sandbox's, paging's, then each product's.
pub(crate) fn refusals() -> impl Iterator<Item = &'static Refusal> {
    errors::REFUSALS
        .iter()
        .chain(sandbox::refusals::REFUSALS)
        .chain(paging::REFUSALS)
        .chain(PRODUCTS.iter().flat_map(|p| p.refusals))
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
    let mut out: Vec<ModelledOperation> = entries()
        .map(|entry| ModelledOperation {
            path: entry.route.path,
            product: entry.product.name,
            sample_refusal: entry.route.sample_refusal,
        })
        .collect();
    out.sort_by_key(|op| op.path);
    out
}

/// A product model of the fake, as the route table has it (see
/// [`product_models`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProductModel {
    /// Its name (the name [`ModelledOperation::product`] gives).
    pub name: &'static str,
    /// What it models, in a line.
    pub about: &'static str,
    /// The paths of the operations it answers, in its route entries' order.
    pub operations: Vec<&'static str>,
    /// Whether it keeps a state of its own (saved with the fake's state).
    pub keeps_state: bool,
}

/// Every product model, in the router's order: what the crate docs'
/// "What keeps state" lists.
///
/// ```
/// let models = plaid_mock::product_models();
/// let refunds = models.iter().find(|m| m.name == "transfer_refunds").unwrap();
/// assert!(refunds.operations.contains(&"/transfer/refund/create"));
/// assert!(refunds.keeps_state);
/// ```
pub fn product_models() -> Vec<ProductModel> {
    PRODUCTS
        .iter()
        .map(|p| ProductModel {
            name: p.name,
            about: p.about,
            operations: p.routes.iter().map(|r| r.path).collect(),
            keeps_state: p.keeps.is_some(),
        })
        .collect()
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
    engine::engine_families(|path| entries().any(|e| e.route.path == path))
}

/// Checks that the page `file` (under `src/`, included in the docs) is
/// `made`, the page the route table makes; with `PLAID_MOCK_BLESS` set,
/// writes it first.
#[cfg(test)]
pub(crate) fn check_page(file: &str, made: &str) {
    let path = format!("{}/src/{file}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("PLAID_MOCK_BLESS").is_some() {
        std::fs::write(&path, made).expect("write the page");
    }
    let page = std::fs::read_to_string(&path).expect("read the page");
    assert!(
        page == made,
        "src/{file} is not the page the route table makes; run \
         PLAID_MOCK_BLESS=1 cargo test -p plaid-mock --lib\n{made}"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The crate docs' "What keeps state" list, as the table makes it.
    fn what_keeps_state() -> String {
        let mut out = String::new();
        for product in product_models() {
            let operations = match product.operations.len() {
                0 => "no operation of its own".to_owned(),
                1 => "1 operation".to_owned(),
                n => format!("{n} operations"),
            };
            let own = if product.keeps_state {
                ", its own state"
            } else {
                ""
            };
            out.push_str(&format!(
                "- `{}` ({operations}{own}): {}.\n",
                product.name, product.about
            ));
        }
        out
    }

    #[test]
    fn the_crate_docs_list_every_product_as_the_table_has_it() {
        check_page("what_keeps_state.md", &what_keeps_state());
        assert!(
            PRODUCTS.iter().all(|p| !p.about.is_empty()),
            "every product says what it models (`.about`)"
        );
    }

    #[test]
    fn every_route_entry_is_an_operation_of_the_spec_with_one_entry() {
        let routes: Vec<&str> = PRODUCTS
            .iter()
            .flat_map(|p| p.routes)
            .map(|r| r.path)
            .collect();
        let mut in_table: Vec<&str> = entries().map(|e| e.route.path).collect();
        let mut listed = routes.clone();
        listed.sort_unstable();
        in_table.sort_unstable();
        assert_eq!(
            in_table, listed,
            "a path with no operation, or with two entries"
        );
    }

    #[test]
    fn an_operation_finds_its_entry_and_only_its_own() {
        for (i, op) in OPERATIONS.iter().enumerate() {
            assert_eq!(op.index(), Some(i));
            if let Some(entry) = entry(op) {
                assert_eq!(entry.route.path, op.path);
            }
        }
        let transfer = OperationSpec::find("POST", "/transfer/create").unwrap();
        assert_eq!(entry(transfer).map(|e| e.product.name), Some("transfer"));
        let copy = OperationSpec { ..*transfer };
        assert!(copy.index().is_none(), "a copy is not the spec's operation");
    }

    /// Every `.rs` file under `dir`, with its text up to its tests (a
    /// `#[cfg(test)]` line) and without comment lines.
    fn sources(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                if !path.ends_with("generated") {
                    sources(&path, out);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let code: String = text
                    .lines()
                    .take_while(|l| l.trim() != "#[cfg(test)]")
                    .filter(|l| !l.trim_start().starts_with("//"))
                    .map(|l| format!("{l}\n"))
                    .collect();
                out.push((path.display().to_string(), code));
            }
        }
    }

    #[test]
    fn a_plaid_path_is_written_once_in_its_route_entry() {
        let mut files = Vec::new();
        sources(
            std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
            &mut files,
        );
        let mut wrong = Vec::new();
        for op in OPERATIONS {
            let literal = format!("\"{}\"", op.path);
            let mut places = Vec::new();
            for (file, code) in &files {
                for (at, _) in code.match_indices(&literal) {
                    let before = code[..at].trim_end();
                    places.push((file.as_str(), before.ends_with("Route::new(")));
                }
            }
            let in_entry = places.iter().filter(|(_, entry)| *entry).count();
            let modelled = entries().any(|e| e.route.path == op.path);
            if places.len() != usize::from(modelled) || in_entry != places.len() {
                wrong.push(format!("{}: {places:?}", op.path));
            }
        }
        assert!(
            wrong.is_empty(),
            "a Plaid path written outside its route entry (or twice):\n{}",
            wrong.join("\n")
        );
    }
}
