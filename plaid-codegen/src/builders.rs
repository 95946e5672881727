//! One builder type per operation: which required fields are arguments and
//! which are setters, and the builder's source.
//!
//! The rule for arguments: a client method takes its required fields as
//! arguments only when there are at most two and they differ in type (so
//! two can never be swapped silently). Otherwise it takes the first one (the
//! token or id the call is about) and every other required field is a
//! setter; sending without one fails locally with
//! `LocalError::MissingField`. Paging fields (`count`, `offset`, `cursor`)
//! are never arguments: the pagination helpers set them.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::docs::field_doc_lines;
use crate::model::{Def, Field, Model, StructDef, Ty};
use crate::names::{self, NameSet};
use crate::operation_notes;
use crate::operations::{Answer, Operation};
use crate::paging::{self, Paging, Style};
use crate::render::type_path;

const M: &str = "crate::models::";

/// Methods every builder has; a setter with one of these names gets a
/// `set_` prefix.
const BUILDER_METHODS: &[&str] = &[
    "new",
    "send",
    "customize",
    "into_call",
    "into_paging_call",
    "into_future",
    "into_stream",
    "collect_all",
    "into_sync",
    "clone",
    "fmt",
];

const PAGING_FIELDS: &[&str] = &["count", "offset", "cursor"];

/// How one operation's builder is shaped.
pub struct Plan<'m> {
    /// The request type.
    pub request: &'m StructDef,
    /// The builder type's name, e.g. `TransferCreate`.
    pub builder: String,
    /// Required fields taken as arguments.
    pub positional: Vec<&'m Field>,
    /// Required fields set with setters.
    pub required_setters: Vec<&'m Field>,
    /// How it pages.
    pub paging: Option<Paging<'m>>,
}

/// The setter's name for a field.
pub fn setter_name(ident: &str) -> String {
    if BUILDER_METHODS.contains(&ident) {
        format!("set_{ident}")
    } else {
        ident.to_owned()
    }
}

/// Builder names: the path's literal segments in PascalCase, or the
/// operation id where two paths would give the same name.
pub fn builder_names(operations: &[Operation]) -> Vec<String> {
    let from_path = |op: &Operation| -> String {
        op.namespaces
            .iter()
            .chain(std::iter::once(&op.method_name))
            .map(|s| names::pascal(s))
            .collect()
    };
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for op in operations {
        *seen.entry(from_path(op)).or_default() += 1;
    }
    operations
        .iter()
        .map(|op| {
            let name = from_path(op);
            if seen[&name] > 1 {
                names::pascal(&op.operation_id)
            } else {
                name
            }
        })
        .collect()
}

/// The plan of `op`, whose builder is called `builder`.
pub fn plan<'m>(
    model: &'m Model,
    op: &Operation,
    builder: &str,
    max_counts: &BTreeMap<String, i64>,
) -> Result<Plan<'m>, String> {
    let Some(Def::Struct(request)) = model.defs.get(&op.request) else {
        return Err(format!(
            "{}: request {} is not a struct",
            op.path, op.request
        ));
    };
    let required: Vec<&Field> = request.fields.iter().filter(|f| f.required).collect();
    let candidates: Vec<&Field> = required
        .iter()
        .copied()
        .filter(|f| !PAGING_FIELDS.contains(&f.wire.as_str()))
        .collect();
    let distinct = match candidates.as_slice() {
        [a, b] => a.ty != b.ty,
        _ => true,
    };
    let positional: Vec<&Field> = if candidates.len() <= 2 && distinct {
        candidates
    } else {
        candidates.into_iter().take(1).collect()
    };
    let required_setters = required
        .into_iter()
        .filter(|f| !positional.iter().any(|p| p.wire == f.wire))
        .collect();
    Ok(Plan {
        request,
        builder: builder.to_owned(),
        positional,
        required_setters,
        paging: paging::detect(model, op, max_counts),
    })
}

fn param(field: &Field) -> (String, &'static str) {
    if field.ty == Ty::String {
        ("impl Into<String>".to_owned(), "value.into()")
    } else {
        (type_path(&field.ty, M), "value")
    }
}

fn field_type(model: &Model, owner: &StructDef, field: &Field) -> String {
    let ty = type_path(&field.ty, M);
    if model.is_optional(owner, field) {
        format!("Option<{ty}>")
    } else {
        ty
    }
}

fn wrap_if(optional: bool, value: &str) -> String {
    if optional {
        format!("Some({value})")
    } else {
        value.to_owned()
    }
}

fn setter(
    out: &mut String,
    model: &Model,
    name: &str,
    target: &str,
    field: &Field,
    label: &str,
    value: &str,
) {
    let (param_ty, _) = param(field);
    for line in field_doc_lines(model, field, label) {
        writeln!(out, "    /// {line}").ok();
    }
    writeln!(
        out,
        "    pub fn {name}(mut self, value: {param_ty}) -> Self {{\n        {target} = {value};\n        self\n    }}\n"
    )
    .ok();
}

/// The response type's path.
pub fn response_type(op: &Operation) -> String {
    match &op.answer {
        Answer::Json(name) => format!("{M}{name}"),
        Answer::Binary => "crate::Binary".into(),
    }
}

/// The builder type of `op`: struct, setters, sending, paging, `IntoFuture`.
pub fn render_builder(model: &Model, op: &Operation, plan: &Plan<'_>) -> String {
    let request = plan.request;
    let name = &plan.builder;
    let group = &op.group;
    let mut out = String::new();

    // The docs page: what it sends, what it needs, how it pages.
    writeln!(
        out,
        "/// `{} {}`: the request builder.",
        op.method.to_uppercase(),
        op.path
    )
    .ok();
    writeln!(
        out,
        "///\n/// Sends [`{}`]({M}{}) and answers with [`{}`]({}).",
        op.request,
        op.request,
        response_type(op)
            .trim_start_matches(M)
            .trim_start_matches("crate::"),
        response_type(op)
    )
    .ok();
    writeln!(
        out,
        "/// Await it (or call [`send`](Self::send)) to send it.\n///"
    )
    .ok();
    let args: Vec<String> = plan
        .positional
        .iter()
        .map(|f| format!("`{}`", f.wire))
        .collect();
    if !args.is_empty() {
        writeln!(
            out,
            "/// Required, as arguments of the client method: {}.",
            args.join(", ")
        )
        .ok();
    }
    if !plan.required_setters.is_empty() {
        let setters: Vec<String> = plan
            .required_setters
            .iter()
            .map(|f| format!("[`{}`](Self::{})", f.wire, setter_name(&f.ident)))
            .collect();
        writeln!(
            out,
            "/// Required, as setters: {}. Sending without one fails with\n/// [`LocalError::MissingField`](crate::LocalError::MissingField) before anything is sent.",
            setters.join(", ")
        )
        .ok();
    }
    if args.is_empty() && plan.required_setters.is_empty() {
        writeln!(out, "/// No field is required.").ok();
    }
    match plan.paging.as_ref().map(|p| p.style) {
        Some(Style::CountOffset) => {
            writeln!(out, "///\n/// Pages by count and offset: [`collect_all`](Self::collect_all) fetches every\n/// page, [`into_stream`](Self::into_stream) streams them.").ok();
        }
        Some(Style::Cursor) => {
            writeln!(out, "///\n/// Pages by cursor: [`collect_all`](Self::collect_all) fetches every page,\n/// [`into_stream`](Self::into_stream) streams them.").ok();
        }
        Some(Style::Sync) => {
            writeln!(out, "///\n/// Syncs by cursor: [`into_sync`](Self::into_sync) runs it to the end with\n/// [`TransactionsSync`](crate::transactions_sync::TransactionsSync).").ok();
        }
        None => {}
    }
    writeln!(out, "///\n/// Cargo feature: `{group}`.").ok();
    if op.deprecated {
        writeln!(out, "///\n/// Plaid marks this operation deprecated.").ok();
    }
    out.push_str(&operation_notes::doc_lines(
        operation_notes::note_for(&op.path),
        "",
    ));
    if let Some(url) = &op.docs_url {
        writeln!(out, "///\n/// [Plaid docs]({url})").ok();
    }
    writeln!(
        out,
        "#[cfg_attr(docsrs, doc(cfg(feature = \"{group}\")))]\n#[derive(Debug, Clone)]\n#[must_use = \"a request does nothing until it is awaited or sent\"]\npub struct {name} {{\n    client_: Client,"
    )
    .ok();
    if !op.headers.is_empty() {
        writeln!(out, "    headers_: Vec<(&'static str, String)>,").ok();
    }
    let is_positional = |f: &Field| plan.positional.iter().any(|p| p.wire == f.wire);
    for field in &request.fields {
        let ty = field_type(model, request, field);
        if field.required && !is_positional(field) {
            writeln!(out, "    {}: Option<{ty}>,", field.ident).ok();
        } else {
            writeln!(out, "    {}: {ty},", field.ident).ok();
        }
    }
    writeln!(out, "}}\n").ok();

    writeln!(out, "impl {name} {{").ok();
    // Constructor.
    let params: Vec<String> = plan
        .positional
        .iter()
        .map(|f| format!("{}: {}", f.ident, param(f).0))
        .collect();
    let inits: Vec<String> = request
        .fields
        .iter()
        .map(|f| {
            if is_positional(f) {
                let value = if f.ty == Ty::String {
                    format!("{}.into()", f.ident)
                } else {
                    f.ident.clone()
                };
                let value = wrap_if(model.is_optional(request, f), &value);
                if value == f.ident {
                    value
                } else {
                    format!("{}: {value}", f.ident)
                }
            } else {
                format!("{}: None", f.ident)
            }
        })
        .collect();
    writeln!(
        out,
        "    pub(crate) fn new(client: &Client{}) -> Self {{\n        Self {{ client_: client.clone(), {}{} }}\n    }}\n",
        params.iter().map(|p| format!(", {p}")).collect::<String>(),
        if op.headers.is_empty() { "" } else { "headers_: Vec::new(), " },
        inits.join(", ")
    )
    .ok();

    // Setters.
    let mut taken = NameSet::default();
    for field in &request.fields {
        taken.claim(&field.ident);
    }
    for field in &request.fields {
        if is_positional(field) {
            continue;
        }
        let (_, conv) = param(field);
        let optional = model.is_optional(request, field);
        let value = if field.required {
            format!("Some({})", wrap_if(optional, conv))
        } else {
            wrap_if(optional, conv)
        };
        setter(
            &mut out,
            model,
            &setter_name(&field.ident),
            &format!("self.{}", field.ident),
            field,
            &field.wire,
            &value,
        );
        if field.wire != "options" || field.required {
            continue;
        }
        let Ty::Named(options) = &field.ty else {
            continue;
        };
        let Some(Def::Struct(inner)) = model.defs.get(options) else {
            continue;
        };
        if !(inner.default && inner.fields.iter().all(|f| !f.required)) {
            continue;
        }
        for sub in &inner.fields {
            if taken.contains(&sub.ident) || BUILDER_METHODS.contains(&sub.ident.as_str()) {
                continue;
            }
            taken.claim(&sub.ident);
            let (_, conv) = param(sub);
            setter(
                &mut out,
                model,
                &sub.ident,
                &format!(
                    "self.{}.get_or_insert_with(Default::default).{}",
                    field.ident, sub.ident
                ),
                sub,
                &format!("{}.{}", field.wire, sub.wire),
                &wrap_if(model.is_optional(inner, sub), conv),
            );
        }
    }
    for header in &op.headers {
        let setter = setter_name(&header.ident);
        writeln!(
            out,
            "    /// Sends the `{}` header.\n    pub fn {setter}(mut self, value: {}) -> Self {{\n        self.headers_.push(({:?}, value.to_string()));\n        self\n    }}\n",
            header.name,
            type_path(&header.ty, M),
            header.name
        )
        .ok();
    }

    // Per-call options: one shared wrapper, `CustomizedCall`.
    out.push_str(
        "    /// This call with its own headers, timeout or retry policy; see\n    /// [`CustomizedCall`](crate::request::CustomizedCall).\n    pub fn customize(self) -> crate::request::CustomizedCall<Self> {\n        crate::request::CustomizedCall::new(self)\n    }\n\n",
    );

    // The complete request.
    let fields: Vec<String> = request
        .fields
        .iter()
        .map(|f| {
            if f.required && !is_positional(f) {
                format!(
                    "{}: self.{}.ok_or(crate::LocalError::MissingField {{ path: {:?}, field: {:?}, setter: {:?} }})?",
                    f.ident,
                    f.ident,
                    op.path,
                    f.wire,
                    setter_name(&f.ident)
                )
            } else {
                format!("{}: self.{}", f.ident, f.ident)
            }
        })
        .chain(request.keeps_extra.then(|| "extra: serde_json::Map::new()".to_owned()))
        .collect();
    let call = if op.headers.is_empty() {
        "Ok(Call::from_parts(self.client_, request))".to_owned()
    } else {
        "let mut call = Call::from_parts(self.client_, request);\n        for (name, value) in self.headers_ {\n            call = call.header(name, value);\n        }\n        Ok(call)".to_owned()
    };
    writeln!(
        out,
        "    /// The complete request as a [`Call`], or the required field that is\n    /// missing.\n    pub fn into_call(self) -> Result<Call<{M}{}>, crate::Error> {{\n        let request = {M}{} {{ {} }};\n        {call}\n    }}\n",
        op.request,
        op.request,
        fields.join(", ")
    )
    .ok();
    writeln!(
        out,
        "    /// Sends the request; the same as awaiting the builder.\n    pub async fn send(self) -> Result<{}, crate::Error> {{\n        self.into_call()?.send().await\n    }}",
        response_type(op)
    )
    .ok();

    let fill = plan.paging.as_ref().map(paging_fill).unwrap_or_default();
    if let Some(paging) = &plan.paging {
        render_paging_methods(&mut out, op, paging);
    }
    writeln!(out, "}}\n").ok();

    let paging_call = if fill.is_empty() {
        String::new()
    } else {
        format!("\n\n    fn into_paging_call(mut self) -> Result<Call<Self::Request>, crate::Error> {{\n{fill}        self.into_call()\n    }}")
    };
    writeln!(
        out,
        "impl crate::request::IntoCall for {name} {{\n    type Request = {M}{};\n\n    fn into_call(self) -> Result<Call<Self::Request>, crate::Error> {{\n        self.into_call()\n    }}{paging_call}\n}}\n",
        op.request
    )
    .ok();

    writeln!(
        out,
        "#[cfg_attr(docsrs, doc(cfg(feature = \"{group}\")))]\nimpl std::future::IntoFuture for {name} {{\n    type Output = Result<{}, crate::Error>;\n    type IntoFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Self::Output> + Send>>;\n\n    fn into_future(self) -> Self::IntoFuture {{\n        Box::pin(self.send())\n    }}\n}}\n",
        response_type(op)
    )
    .ok();
    out
}

/// The required paging fields left unset, filled with a placeholder the
/// pager overwrites on every page (statements of `into_paging_call`).
fn paging_fill(paging: &Paging<'_>) -> String {
    let mut fill = String::new();
    for place in [&paging.count, &paging.offset, &paging.cursor]
        .into_iter()
        .flatten()
    {
        if place.options.is_none() && place.field.required {
            let zero = match place.field.ty {
                Ty::Int => "0",
                _ => "Default::default()",
            };
            writeln!(
                fill,
                "        self.{}.get_or_insert({zero});",
                place.field.ident
            )
            .ok();
        }
    }
    fill
}

fn render_paging_methods(out: &mut String, op: &Operation, paging: &Paging<'_>) {
    match paging.style {
        Style::CountOffset | Style::Cursor => {
            let Ty::List(item) = &paging.items.0.ty else {
                return;
            };
            writeln!(
                out,
                "\n    /// Every item of every page, as a stream that fetches pages lazily\n    /// with the largest page size.\n    pub fn into_stream(self) -> crate::pagination::Pages<{M}{}> {{\n        self.customize().into_stream()\n    }}\n\n    /// Every item of every page, fetched in order with the largest page size.\n    pub async fn collect_all(self) -> Result<Vec<{}>, crate::Error> {{\n        self.into_stream().collect_all().await\n    }}",
                op.request,
                type_path(item, M)
            )
            .ok();
        }
        Style::Sync => {
            writeln!(
                out,
                "\n    /// Runs the sync from this request's cursor to the end; see\n    /// [`TransactionsSync`](crate::transactions_sync::TransactionsSync).\n    pub fn into_sync(self) -> crate::transactions_sync::TransactionsSync<{M}{}> {{\n        self.customize().into_sync()\n    }}",
                op.request
            )
            .ok();
        }
    }
}

/// The client method of `op` on a namespace (receiver `self` or `&self`,
/// client reached as `client`), returning its builder.
pub fn render_method(
    out: &mut String,
    op: &Operation,
    plan: &Plan<'_>,
    receiver: &str,
    client: &str,
) {
    writeln!(
        out,
        "    /// `{} {}`; see [`{}`] for its fields{}.",
        op.method.to_uppercase(),
        op.path,
        plan.builder,
        if plan.paging.is_some() {
            " and paging"
        } else {
            ""
        }
    )
    .ok();
    out.push_str(&operation_notes::doc_lines(
        operation_notes::note_for(&op.path),
        "    ",
    ));
    if let Some(url) = &op.docs_url {
        writeln!(out, "    ///\n    /// [Plaid docs]({url})").ok();
    }
    if op.deprecated {
        writeln!(
            out,
            "    #[deprecated(note = \"Plaid marks this operation deprecated\")]"
        )
        .ok();
    }
    let params: String = plan
        .positional
        .iter()
        .map(|f| format!(", {}: {}", f.ident, param(f).0))
        .collect();
    let args: String = plan
        .positional
        .iter()
        .map(|f| format!(", {}", f.ident))
        .collect();
    writeln!(
        out,
        "    pub fn {}({receiver}{params}) -> {} {{\n        {}::new({client}{args})\n    }}\n",
        op.method_name, plan.builder, plan.builder
    )
    .ok();
}

/// The `METHODS` table entry of `op`.
pub fn method_info(op: &Operation, plan: &Plan<'_>) -> String {
    let list = |fields: &[&Field]| {
        let quoted: Vec<String> = fields.iter().map(|f| format!("{:?}", f.wire)).collect();
        format!("&[{}]", quoted.join(", "))
    };
    format!(
        "    crate::request::MethodInfo {{ path: {:?}, method: {:?}, builder: \"{}::{}\", feature: {:?}, positional: {}, required_setters: {}, paging: {} }},\n",
        op.path,
        op.method.to_uppercase(),
        op.group,
        plan.builder,
        op.group,
        list(&plan.positional),
        list(&plan.required_setters),
        plan.paging
            .as_ref()
            .map_or("None".to_owned(), |p| format!(
                "Some(crate::pagination::PageStyle::{})",
                p.style.variant()
            ))
    )
}
