//! Generates `plaid-core`'s models and operations from Plaid's OpenAPI
//! description.
//!
//! [`generate`] turns the spec's text into a set of files (paths relative to
//! the workspace root). The binary writes them, or with `--check` compares
//! them with what is committed.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml::Value;

pub mod builders;
pub mod calls;
pub mod docs;
pub mod mock;
pub mod mock_families;
pub mod mock_schema;
pub mod model;
pub mod names;
pub mod operation_notes;
pub mod operations;
pub mod paging;
pub mod render;
pub mod resend;
pub mod webhooks;

use model::{Def, Model};
use operations::{Answer, Operation};

/// Where the generated library code goes.
pub const OUT_DIR: &str = "plaid-core/src/generated";

/// Where the generated test driver goes.
pub const CALLS_FILE: &str = "plaid-codegen/tests/generated/calls.rs";

/// The manifest whose `[features]` block lists the product groups.
pub const MANIFEST: &str = "plaid-core/Cargo.toml";

/// Product groups compiled by default: the products most apps use, and
/// everything the legacy client's flows need.
pub const DEFAULT_GROUPS: &[&str] = &[
    "accounts",
    "auth",
    "categories",
    "identity",
    "institutions",
    "investments",
    "item",
    "liabilities",
    "link",
    "processor",
    "sandbox",
    "transactions",
    "webhook_verification_key",
];

const FEATURES_BEGIN: &str = "# BEGIN product features (written by plaid-codegen; do not edit)";
const FEATURES_END: &str = "# END product features";

/// The `[features]` lines for `groups`.
pub fn features_block(groups: &BTreeSet<&str>) -> String {
    let quoted = |names: &mut dyn Iterator<Item = &str>| {
        names
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = format!("{FEATURES_BEGIN}\n");
    out.push_str(&format!(
        "default = [\"tokio\", \"webhook_verification\", {}]\n",
        quoted(&mut DEFAULT_GROUPS.iter().copied())
    ));
    out.push_str(&format!(
        "## Every product group.\nfull = [{}]\n",
        quoted(&mut groups.iter().copied())
    ));
    for group in groups {
        out.push_str(&format!(
            "## Operations under `/{group}/` and the types only they use.\n{group} = []\n"
        ));
    }
    out.push_str(FEATURES_END);
    out
}

/// `manifest` with its product-features block replaced by `block`.
pub fn with_features(manifest: &str, block: &str) -> Result<String, String> {
    let start = manifest
        .find(FEATURES_BEGIN)
        .ok_or_else(|| format!("{MANIFEST} has no line {FEATURES_BEGIN:?}"))?;
    let end = manifest[start..]
        .find(FEATURES_END)
        .map(|i| start + i + FEATURES_END.len())
        .ok_or_else(|| format!("{MANIFEST} has no line {FEATURES_END:?}"))?;
    Ok(format!("{}{block}{}", &manifest[..start], &manifest[end..]))
}

/// The key under which [`generate`] returns the `[features]` block (not a
/// file of its own: it is spliced into [`MANIFEST`]).
pub const FEATURES_KEY: &str = "features";

/// Every generated file, by path relative to the workspace root, not yet
/// formatted.
pub fn generate(spec_text: &str) -> Result<BTreeMap<String, String>, String> {
    let spec: Value = serde_yaml::from_str(spec_text).map_err(|e| format!("spec: {e}"))?;
    let schemas = spec
        .get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_mapping)
        .ok_or("the spec has no components.schemas")?;
    let mut model = model::build(schemas)?;
    let operations = operations::build(&spec, &mut model)?;
    model.settle(
        &operations::request_roots(&operations),
        &operations::answer_roots(&operations, &model),
    );
    let boxed = render::boxed_fields(&model);

    let mut files = BTreeMap::new();
    let placement = place_models(&model, &operations);
    let mut constructors: BTreeSet<String> = operations.iter().map(|o| o.request.clone()).collect();
    for name in model.reachable(operations.iter().map(|o| o.request.clone())) {
        if let Some(Def::Struct(s)) = model.defs.get(&name) {
            if s.fields.iter().any(|f| f.required) {
                constructors.insert(name);
            }
        }
    }
    let usage = docs::Usage::new(&model, &operations);
    let mut models_mod = String::from(render::HEADER);
    models_mod.push_str("\n//! Every schema of Plaid's OpenAPI description as a Rust type, one module\n//! per product group that uses it (`shared` when several do, `other` when no\n//! operation does, such as webhook bodies). All are re-exported here, so\n//! `models::transfer::TransferCreateRequest` and\n//! `models::TransferCreateRequest` name the same type. A group's module is\n//! behind the cargo feature of the same name.\n\n");
    for (file, names) in &placement {
        let (title, feature) = match file.as_str() {
            "shared" => (
                "Types used by several product groups; always compiled.".to_owned(),
                None,
            ),
            "other" => (
                "Types no operation uses directly, such as webhook bodies; always\ncompiled."
                    .to_owned(),
                None,
            ),
            group => (
                format!("Types used only by operations under `/{group}/`.\n\nBehind the cargo feature `{group}` (also part of `full`). Each type is\nre-exported from [`models`](super)."),
                Some(group),
            ),
        };
        let text = render::render_models(
            &model,
            names,
            &constructors,
            &boxed,
            &usage,
            &title,
            feature,
        )?;
        files.insert(format!("{OUT_DIR}/models/{file}.rs"), text);
        let gate = feature.map_or(String::new(), |f| format!("#[cfg(feature = \"{f}\")]\n"));
        let badge = feature.map_or(String::new(), |f| {
            format!("#[cfg_attr(docsrs, doc(cfg(feature = \"{f}\")))]\n")
        });
        models_mod.push_str(&format!(
            "{gate}{badge}pub mod {file};\n{gate}pub use self::{file}::*;\n"
        ));
    }
    files.insert(format!("{OUT_DIR}/models/mod.rs"), models_mod);

    let groups: BTreeSet<&str> = operations.iter().map(|o| o.group.as_str()).collect();
    let max_counts = paging::max_counts(&spec);
    let builder_names = builders::builder_names(&operations);
    let plans = operations
        .iter()
        .zip(&builder_names)
        .map(|(op, name)| builders::plan(&model, op, name, &max_counts))
        .collect::<Result<Vec<_>, _>>()?;
    let mut api_mod = String::from(render::HEADER);
    api_mod.push_str("\n//! Client methods and request builders for every operation, one module\n//! per product group; each group is behind the cargo feature of the same\n//! name (see the crate docs). [`METHODS`] describes every client method.\n\n");
    for group in &groups {
        files.insert(
            format!("{OUT_DIR}/api/{group}.rs"),
            render::render_group(&model, &operations, &plans, group)?,
        );
        api_mod.push_str(&format!(
            "#[cfg(feature = \"{group}\")]\n#[cfg_attr(docsrs, doc(cfg(feature = \"{group}\")))]\npub mod {group};\n"
        ));
    }
    api_mod.push_str("\n/// Every client method, in spec order: its arguments, required setters and\n/// paging. Lists every operation whatever features are on.\npub static METHODS: &[crate::request::MethodInfo] = &[\n");
    for (op, plan) in operations.iter().zip(&plans) {
        api_mod.push_str(&builders::method_info(op, plan));
    }
    api_mod.push_str("];\n");
    files.insert(format!("{OUT_DIR}/api/mod.rs"), api_mod);
    files.insert(
        format!("{OUT_DIR}/operations.rs"),
        render::render_registry(&operations),
    );
    files.insert(
        format!("{OUT_DIR}/mod.rs"),
        format!(
            "{}\n//! Code generated from Plaid's OpenAPI description.\n\n// Generated code reads and writes the fields Plaid deprecates.\n#![allow(deprecated)]\n\npub mod api;\npub mod models;\npub mod operations;\npub(crate) mod safe_to_resend;\npub mod webhooks;\n",
            render::HEADER
        ),
    );
    files.insert(
        CALLS_FILE.to_owned(),
        calls::render_calls(&model, &operations, &plans),
    );
    let type_file: BTreeMap<&str, &str> = placement
        .iter()
        .flat_map(|(file, names)| names.iter().map(move |n| (n.as_str(), file.as_str())))
        .collect();
    let gate = |type_name: &str| -> Option<String> {
        match type_file.get(type_name).copied() {
            Some("shared" | "other") | None => None,
            Some(group) => Some(group.to_owned()),
        }
    };
    let webhook_kinds = webhooks::kinds(schemas, &model);
    files.insert(
        format!("{OUT_DIR}/webhooks.rs"),
        webhooks::render(&model, &webhook_kinds, &gate),
    );
    files.insert(
        mock::MOCK_TABLE.to_owned(),
        mock::render_mock_table(&model, &operations),
    );
    files.insert(
        resend::RESEND_TABLE.to_owned(),
        resend::render_resend_table(&operations),
    );
    let tables = mock_schema::tables(&spec)?;
    files.insert(
        mock_schema::SCHEMA_TABLE.to_owned(),
        mock_schema::render_schema_table(&tables),
    );
    files.insert(
        mock_families::FAMILY_TABLE.to_owned(),
        mock_families::render_family_table(&mock_families::infer(&tables.0, &tables.1)),
    );
    files.insert(
        "plaid-mock/src/kernel/spec/generated/mod.rs".to_owned(),
        format!(
            "{}\n//! The fake's tables, generated from Plaid's OpenAPI description.\n\npub mod families;\npub mod operations;\npub mod schemas;\n",
            render::HEADER
        ),
    );
    files.insert(FEATURES_KEY.to_owned(), features_block(&groups));
    Ok(files)
}

/// Assigns each definition to a models file: the one product group whose
/// operations reach it, `shared` when several do, `other` when none does.
fn place_models(model: &Model, operations: &[Operation]) -> BTreeMap<String, Vec<String>> {
    let mut reached: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let groups: BTreeSet<&str> = operations.iter().map(|o| o.group.as_str()).collect();
    for group in groups {
        let roots = operations
            .iter()
            .filter(|o| o.group == group)
            .flat_map(|o| {
                let mut roots = vec![o.request.clone()];
                if let Answer::Json(name) = &o.answer {
                    roots.push(name.clone());
                }
                roots
            });
        for name in model.reachable(roots) {
            reached.entry(name).or_default().insert(group.to_owned());
        }
    }
    // Types reached from no operation (webhook bodies…) are always compiled,
    // so whatever they use must be too.
    let orphans: Vec<String> = model
        .defs
        .keys()
        .filter(|name| !reached.contains_key(*name))
        .cloned()
        .collect();
    for name in model.reachable(orphans) {
        if let Some(groups) = reached.get_mut(&name) {
            groups.insert("other".to_owned());
        }
    }
    let mut placement: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for name in model.defs.keys() {
        let file = match reached.get(name) {
            Some(groups) if groups.len() == 1 => groups.iter().next().cloned().unwrap_or_default(),
            Some(_) => "shared".to_owned(),
            None => "other".to_owned(),
        };
        placement.entry(file).or_default().push(name.clone());
    }
    placement
}

/// Counts for the closing report: operations, types, lines.
pub fn summary(files: &BTreeMap<String, String>) -> String {
    let lines: usize = files.values().map(|t| t.lines().count()).sum();
    format!("{} files, {lines} lines", files.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"
openapi: 3.0.0
paths:
  /widget/thing/create:
    post:
      operationId: widgetThingCreate
      externalDocs: {url: "https://plaid.com/docs/api/widget/"}
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/WidgetThingCreateRequest'}
      responses:
        '200':
          content:
            application/json:
              schema: {$ref: '#/components/schemas/WidgetThingCreateResponse'}
  /widget/report/pdf/get:
    post:
      operationId: widgetReportPdfGet
      deprecated: true
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/WidgetThingCreateRequest'}
      responses:
        '200':
          content:
            application/pdf:
              schema: {type: string, format: binary}
  /gadget/{gadgetId}:
    get:
      operationId: getGadget
      security: []
      parameters:
        - {in: path, name: gadgetId, required: true, schema: {type: string}}
      responses:
        '200':
          content:
            application/json:
              schema: {$ref: '#/components/schemas/WidgetThingCreateResponse'}
components:
  schemas:
    WidgetThingCreateRequest:
      type: object
      properties:
        client_id: {type: string}
        secret: {type: string}
        name: {type: string}
        options:
          type: object
          properties:
            count: {type: integer}
      required: [name]
    WidgetThingCreateResponse:
      type: object
      additionalProperties: true
      properties:
        size: {type: number}
        request_id: {type: string}
      required: [size, request_id]
"#;

    #[test]
    fn a_small_spec_generates_models_methods_registry_and_features() {
        let files = generate(SPEC).unwrap();
        let file = |path: &str| {
            files
                .get(path)
                .unwrap_or_else(|| panic!("{path} not generated; got {:?}", files.keys()))
        };
        let shared = file("plaid-core/src/generated/models/widget.rs");
        assert!(shared.starts_with(render::HEADER));
        assert!(
            shared.contains("pub struct WidgetThingCreateRequest {"),
            "{shared}"
        );
        assert!(
            !shared.contains("pub secret"),
            "credentials never become fields"
        );
        assert!(
            shared.contains("pub fn new(name: impl Into<String>) -> Self"),
            "{shared}"
        );
        let answer = file("plaid-core/src/generated/models/shared.rs");
        assert!(answer.contains("pub size: Option<f64>,"), "{answer}");
        assert!(answer.contains("pub extra: serde_json::Map<String, serde_json::Value>,"));

        let api = file("plaid-core/src/generated/api/widget.rs");
        assert!(
            api.contains("pub fn widget(&self) -> WidgetApi<'_>"),
            "{api}"
        );
        assert!(
            api.contains("pub fn thing(self) -> WidgetThingApi<'a>"),
            "{api}"
        );
        assert!(
            api.contains("pub fn create(self, name: impl Into<String>) -> WidgetThingCreate {"),
            "{api}"
        );
        assert!(
            api.contains("/// [Plaid docs](https://plaid.com/docs/api/widget/)"),
            "{api}"
        );
        assert!(api.contains("#[deprecated("), "{api}");
        assert!(api.contains("type Response = crate::Binary;"), "{api}");
        assert!(
            api.contains("pub fn count(mut self, value: i64) -> Self"),
            "options are flattened into setters: {api}"
        );

        let gadget = file("plaid-core/src/generated/api/gadget.rs");
        assert!(
            gadget.contains("crate::request::encode_path_segment(&self.gadget_id)"),
            "{gadget}"
        );
        assert!(gadget.contains("http::Method::GET"), "{gadget}");
        assert!(
            gadget.contains("fn requires_credentials(&self) -> bool {\n        false"),
            "{gadget}"
        );

        let registry = file("plaid-core/src/generated/operations.rs");
        assert_eq!(registry.matches("OperationInfo {").count(), 3, "{registry}");
        assert!(
            registry.contains("client_method: \"widget().thing().create(..)\""),
            "{registry}"
        );

        let features = file(FEATURES_KEY);
        assert!(
            features.contains("full = [\"gadget\", \"widget\"]"),
            "{features}"
        );
        assert!(features.contains("\nwidget = []"), "{features}");
        let mods = file("plaid-core/src/generated/api/mod.rs");
        assert!(
            mods.contains("#[cfg(feature = \"widget\")]\n#[cfg_attr(docsrs, doc(cfg(feature = \"widget\")))]\npub mod widget;"),
            "{mods}"
        );
    }

    #[test]
    fn the_features_block_is_spliced_between_its_markers() {
        let manifest = format!("[features]\ntokio = []\n{FEATURES_BEGIN}\nold = []\n{FEATURES_END}\n\n[dependencies]\n");
        let spliced = with_features(&manifest, "NEW").unwrap();
        assert_eq!(spliced, "[features]\ntokio = []\nNEW\n\n[dependencies]\n");
        assert!(with_features("[features]\n", "NEW").is_err());
    }
}
