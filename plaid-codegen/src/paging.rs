//! Which operations page, and how, found from the spec's shapes:
//!
//! - **count/offset**: the request has `count` and `offset`, both at the top
//!   or both in `options`, and the answer has a list;
//! - **cursor**: the request has `cursor` and the answer `next_cursor` (or,
//!   as `/item/activity/list`, `cursor`) of the same type, and a list;
//! - **sync**: a cursor operation whose answer has `added` and `has_more`
//!   (`/transactions/sync`, `/processor/transactions/sync`).
//!
//! The list is the one a `total_<list>` field counts, or else the answer's
//! first list (`added` for sync). Also renders the `Paginated` impl of each paged request.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_yaml::Value;

use crate::model::{Def, Field, Model, StructDef, Ty};
use crate::operations::{Answer, Operation};
use crate::render::type_path;

/// How an operation pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `count` and `offset`.
    CountOffset,
    /// `cursor` / `next_cursor`.
    Cursor,
    /// A cursor over changes, run by `TransactionsSync`.
    Sync,
}

impl Style {
    /// The `plaid_core::pagination::PageStyle` variant.
    pub fn variant(self) -> &'static str {
        match self {
            Style::CountOffset => "CountOffset",
            Style::Cursor => "Cursor",
            Style::Sync => "Sync",
        }
    }
}

/// A request field, at the top of the request or inside its `options`.
#[derive(Debug, Clone)]
pub struct Place<'m> {
    /// The field.
    pub field: &'m Field,
    /// The `options` field holding it, if it is nested.
    pub options: Option<&'m Field>,
    /// Whether the field's Rust type is an `Option`.
    pub optional: bool,
}

/// How one operation pages.
#[derive(Debug, Clone)]
pub struct Paging<'m> {
    /// The style.
    pub style: Style,
    /// The largest `count` the spec allows (0 without a `count`).
    pub max_page: i64,
    /// `count`, if the request has it.
    pub count: Option<Place<'m>>,
    /// `offset` (count/offset operations).
    pub offset: Option<Place<'m>>,
    /// `cursor` (cursor operations).
    pub cursor: Option<Place<'m>>,
    /// The answer's list and whether it is an `Option`.
    pub items: (&'m Field, bool),
    /// The answer's total, if any.
    pub total: Option<(&'m Field, bool)>,
    /// The answer's `has_more`, if any.
    pub has_more: Option<(&'m Field, bool)>,
    /// The answer's next cursor (cursor operations).
    pub next_cursor: Option<(&'m Field, bool)>,
}

fn get<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    value.as_mapping()?.get(key)
}

/// The `maximum` of `count` in each operation's request (at the top or in
/// `options`), by path.
pub fn max_counts(spec: &Value) -> BTreeMap<String, i64> {
    let schemas = get(spec, "components").and_then(|c| get(c, "schemas"));
    let resolve = |value: &Value| resolve_ref(schemas, &value.clone());
    let mut out = BTreeMap::new();
    let Some(paths) = get(spec, "paths").and_then(Value::as_mapping) else {
        return out;
    };
    for (path, item) in paths {
        let Some(path) = path.as_str() else { continue };
        for (_, op) in item.as_mapping().into_iter().flatten() {
            let Some(body) = get(op, "requestBody")
                .and_then(|b| get(b, "content"))
                .and_then(|c| get(c, "application/json"))
                .and_then(|j| get(j, "schema"))
                .and_then(resolve)
            else {
                continue;
            };
            let props = get(&body, "properties");
            let options = props.and_then(|p| get(p, "options")).and_then(resolve);
            let count = props
                .and_then(|p| get(p, "count"))
                .or_else(|| options.as_ref()?.get("properties")?.get("count"))
                .and_then(resolve);
            if let Some(max) = count
                .as_ref()
                .and_then(|c| get(c, "maximum"))
                .and_then(Value::as_i64)
            {
                out.insert(path.to_owned(), max);
            }
        }
    }
    out
}

/// `value`, or the schema its `$ref` chain ends at.
fn resolve_ref<'v>(schemas: Option<&'v Value>, mut value: &'v Value) -> Option<Value> {
    for _ in 0..8 {
        match get(value, "$ref").and_then(Value::as_str) {
            Some(r) => value = get(schemas?, r.strip_prefix("#/components/schemas/")?)?,
            None => return Some(value.clone()),
        }
    }
    None
}

fn place<'m>(model: &'m Model, request: &'m StructDef, wire: &str) -> Option<Place<'m>> {
    if let Some(field) = request.fields.iter().find(|f| f.wire == wire) {
        return Some(Place {
            field,
            options: None,
            optional: model.is_optional(request, field),
        });
    }
    let options = request.fields.iter().find(|f| f.wire == "options")?;
    let Ty::Named(name) = &options.ty else {
        return None;
    };
    let Some(Def::Struct(inner)) = model.defs.get(name) else {
        return None;
    };
    // Nested fields are reached through `get_or_insert_with(Default)`.
    if !inner.default {
        return None;
    }
    let field = inner.fields.iter().find(|f| f.wire == wire)?;
    Some(Place {
        field,
        options: Some(options),
        optional: model.is_optional(inner, field),
    })
}

/// How `op` pages, if it does.
pub fn detect<'m>(
    model: &'m Model,
    op: &Operation,
    max_counts: &BTreeMap<String, i64>,
) -> Option<Paging<'m>> {
    let Some(Def::Struct(request)) = model.defs.get(&op.request) else {
        return None;
    };
    let Answer::Json(answer) = &op.answer else {
        return None;
    };
    let Some(Def::Struct(response)) = model.defs.get(answer) else {
        return None;
    };
    let answer_field = |wire: &str| {
        response
            .fields
            .iter()
            .find(|f| f.wire == wire)
            .map(|f| (f, model.is_optional(response, f)))
    };
    let count = place(model, request, "count");
    let offset = place(model, request, "offset");
    let cursor = request
        .fields
        .iter()
        .find(|f| f.wire == "cursor")
        .map(|field| Place {
            field,
            options: None,
            optional: model.is_optional(request, field),
        });
    let next_cursor = answer_field("next_cursor").or_else(|| answer_field("cursor"));
    let style = match (&count, &offset, &cursor, &next_cursor) {
        (_, _, Some(c), Some((next, _))) if c.field.ty == next.ty => {
            if answer_field("added").is_some() && answer_field("has_more").is_some() {
                Style::Sync
            } else {
                Style::Cursor
            }
        }
        (Some(c), Some(o), _, _) if c.options.is_some() == o.options.is_some() => {
            Style::CountOffset
        }
        _ => return None,
    };
    let lists: Vec<&Field> = response
        .fields
        .iter()
        .filter(|f| matches!(f.ty, Ty::List(_)))
        .collect();
    let total = response
        .fields
        .iter()
        .find(|f| f.ty == Ty::Int && (f.wire == "total" || f.wire.starts_with("total_")));
    let counted_list = total
        .and_then(|t| t.wire.strip_prefix("total_"))
        .and_then(|counted| lists.iter().copied().find(|f| f.wire == counted));
    let items = match style {
        Style::Sync => lists.iter().copied().find(|f| f.wire == "added")?,
        _ => counted_list.or_else(|| lists.first().copied())?,
    };
    let counted = |f: &'m Field| (f, model.is_optional(response, f));
    let is_cursor = style != Style::CountOffset;
    Some(Paging {
        style,
        max_page: if count.is_some() {
            max_counts.get(&op.path).copied().unwrap_or(0)
        } else {
            0
        },
        count,
        offset: if is_cursor { None } else { offset },
        cursor: if is_cursor { cursor } else { None },
        items: counted(items),
        total: total.map(counted),
        has_more: answer_field("has_more").filter(|(f, _)| f.ty == Ty::Bool),
        next_cursor: if is_cursor { next_cursor } else { None },
    })
}

/// The place expression for `place` on `self`.
fn target(place: &Place<'_>) -> String {
    match place.options {
        Some(options) => format!(
            "self.{}.get_or_insert_with(Default::default).{}",
            options.ident, place.field.ident
        ),
        None => format!("self.{}", place.field.ident),
    }
}

fn wrap(optional: bool, value: &str) -> String {
    if optional {
        format!("Some({value})")
    } else {
        value.to_owned()
    }
}

/// `impl Paginated for <request>` of a count/offset or cursor operation.
pub fn render_paginated(op: &Operation, paging: &Paging<'_>) -> String {
    const M: &str = "crate::models::";
    let (items, items_optional) = paging.items;
    let Ty::List(item) = &items.ty else {
        return String::new();
    };
    let cursor_ty = match &paging.cursor {
        Some(c) => type_path(&c.field.ty, M),
        None => "()".to_owned(),
    };
    let mut out = String::new();
    writeln!(
        out,
        "impl crate::pagination::Paginated for {M}{} {{\n    type Item = {};\n    type Cursor = {cursor_ty};\n    const STYLE: crate::pagination::PageStyle = crate::pagination::PageStyle::{};\n    const MAX_PAGE: i64 = {};\n",
        op.request,
        type_path(item, M),
        paging.style.variant(),
        paging.max_page
    )
    .ok();
    let start = match &paging.cursor {
        Some(c) if c.optional => format!("Cursor(self.{}.clone())", c.field.ident),
        Some(c) => format!("Cursor(Some(self.{}.clone()))", c.field.ident),
        None => "Offset(0)".to_owned(),
    };
    writeln!(
        out,
        "    fn start(&self) -> crate::pagination::PagePosition<Self::Cursor> {{\n        crate::pagination::PagePosition::{start}\n    }}\n"
    )
    .ok();
    let mut set = String::new();
    match (&paging.count, paging.max_page) {
        (Some(count), max) if max > 0 => {
            writeln!(
                set,
                "        {} = {};",
                target(count),
                wrap(count.optional, "count")
            )
            .ok();
        }
        _ => {
            writeln!(set, "        let _ = count;").ok();
        }
    }
    if let Some(offset) = &paging.offset {
        writeln!(
            set,
            "        if let crate::pagination::PagePosition::Offset(offset) = at {{\n            {} = {};\n        }}",
            target(offset),
            wrap(offset.optional, "*offset")
        )
        .ok();
    }
    if let Some(cursor) = &paging.cursor {
        if cursor.optional {
            writeln!(
                set,
                "        if let crate::pagination::PagePosition::Cursor(cursor) = at {{\n            self.{} = cursor.clone();\n        }}",
                cursor.field.ident
            )
            .ok();
        } else {
            writeln!(
                set,
                "        if let crate::pagination::PagePosition::Cursor(Some(cursor)) = at {{\n            self.{} = cursor.clone();\n        }}",
                cursor.field.ident
            )
            .ok();
        }
    }
    if paging.offset.is_none() && paging.cursor.is_none() {
        writeln!(set, "        let _ = at;").ok();
    }
    writeln!(
        out,
        "    fn set_page(&mut self, count: i64, at: &crate::pagination::PagePosition<Self::Cursor>) {{\n{set}    }}\n"
    )
    .ok();
    let items_expr = if items_optional {
        format!("response.{}.unwrap_or_default()", items.ident)
    } else {
        format!("response.{}", items.ident)
    };
    let scalar = |field: Option<(&Field, bool)>| match field {
        Some((f, true)) => format!("response.{}", f.ident),
        Some((f, false)) => format!("Some(response.{})", f.ident),
        None => "None".to_owned(),
    };
    let next = match paging.next_cursor {
        Some((f, optional)) => {
            let base = scalar(Some((f, optional)));
            if f.ty == Ty::String {
                format!("{base}.filter(|c| !c.is_empty())")
            } else {
                base
            }
        }
        None => "None".to_owned(),
    };
    writeln!(
        out,
        "    fn page(response: Self::Response) -> crate::pagination::Page<Self::Item, Self::Cursor> {{\n        crate::pagination::Page {{\n            items: {items_expr},\n            total: {},\n            has_more: {},\n            next_cursor: {next},\n        }}\n    }}\n}}\n",
        scalar(paging.total),
        scalar(paging.has_more),
    )
    .ok();
    out
}
