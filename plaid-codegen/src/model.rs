//! From OpenAPI schemas to Rust type definitions.
//!
//! Every component schema becomes a definition: objects (and `allOf`
//! compositions, flattened) become structs, string enums become open enums,
//! anything else (a string, an array, a map) becomes a type alias. Inline
//! objects and enums inside properties become structs and enums named after
//! their parent and field.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml::{Mapping, Value};

use crate::names::{self, NameSet};

use builder::Builder;

mod builder;
#[cfg(test)]
mod tests;

/// A Rust type, as a field or argument uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// `String`.
    String,
    /// `time::Date` (`format: date`).
    Date,
    /// `time::OffsetDateTime` (`format: date-time`).
    DateTime,
    /// `i64`.
    Int,
    /// `f64`.
    Float,
    /// `bool`.
    Bool,
    /// `serde_json::Value`: anything.
    Json,
    /// `serde_json::Map<String, serde_json::Value>`: a free-form object.
    JsonMap,
    /// A generated struct or enum.
    Named(String),
    /// `Vec<T>`.
    List(Box<Ty>),
    /// `HashMap<String, T>`.
    Map(Box<Ty>),
}

/// A field of a generated struct.
#[derive(Debug, Clone)]
pub struct Field {
    /// The name on the wire.
    pub wire: String,
    /// The Rust field name.
    pub ident: String,
    /// Its type, before the optionality rule is applied.
    pub ty: Ty,
    /// Listed in the schema's `required`.
    pub required: bool,
    /// `nullable: true` on the property or the schema it refers to.
    pub nullable: bool,
    /// `deprecated: true` on the property.
    pub deprecated: bool,
    /// The property's `example`, if any.
    pub example: Option<serde_json::Value>,
    /// What else the spec says about it, for its doc comment.
    pub facts: Facts,
}

/// The spec's data about a property beyond its type, for doc comments
/// (never its prose). Read from the property and, where the property does
/// not say, from the plain schema it refers to (a `$ref` to a string alias
/// such as `RequestID`, or a lone `allOf`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// The Rust name of the struct the field belongs to.
    pub owner: String,
    /// The JSON type (`string`, `integer`, `array`, …), if the spec names one.
    pub json_type: Option<String>,
    /// `format` (`date`, `date-time`, `double`, …), of the items for an array.
    pub format: Option<String>,
    /// `minimum`, and whether it is exclusive.
    pub minimum: Option<(String, bool)>,
    /// `maximum`, and whether it is exclusive.
    pub maximum: Option<(String, bool)>,
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems: true`.
    pub unique_items: bool,
    /// `pattern`.
    pub pattern: Option<String>,
    /// `default`.
    pub default: Option<serde_json::Value>,
    /// `example`, here or on the schema referred to.
    pub example: Option<serde_json::Value>,
}

impl Facts {
    /// Reads the facts of `schema`, filling only what is still unknown.
    fn fill_from(&mut self, schema: &Value) {
        let text = |key: &str| get(schema, key).and_then(Value::as_str).map(str::to_owned);
        let count = |key: &str| get(schema, key).and_then(Value::as_u64);
        let bound = |key: &str, exclusive: &str| {
            let value = match get(schema, key)? {
                Value::Number(n) => n.to_string(),
                _ => return None,
            };
            Some((value, flag(schema, exclusive)))
        };
        fn keep<T>(slot: &mut Option<T>, value: Option<T>) {
            if slot.is_none() {
                *slot = value;
            }
        }
        keep(&mut self.json_type, text("type"));
        keep(&mut self.format, text("format"));
        keep(&mut self.minimum, bound("minimum", "exclusiveMinimum"));
        keep(&mut self.maximum, bound("maximum", "exclusiveMaximum"));
        keep(&mut self.min_length, count("minLength"));
        keep(&mut self.max_length, count("maxLength"));
        keep(&mut self.min_items, count("minItems"));
        keep(&mut self.max_items, count("maxItems"));
        keep(&mut self.pattern, text("pattern"));
        keep(&mut self.default, get(schema, "default").map(to_json));
        keep(&mut self.example, get(schema, "example").map(to_json));
        self.unique_items |= flag(schema, "uniqueItems");
        if self.format.is_none() {
            if let Some(items) = get(schema, "items") {
                keep(
                    &mut self.format,
                    get(items, "format")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                );
            }
        }
    }
}

/// A generated struct.
#[derive(Debug, Clone)]
pub struct StructDef {
    /// The Rust type name.
    pub name: String,
    /// Where it comes from, e.g. `AccountBase` or `TransactionsGetRequest.options`.
    pub source: String,
    /// Its fields, in spec order.
    pub fields: Vec<Field>,
    /// Whether unknown fields are kept in an `extra` map: always, unless
    /// the spec says `additionalProperties: false`.
    pub keeps_extra: bool,
    /// Whether Plaid may send it (reachable from an answer or a webhook, or
    /// from nothing at all): then it decodes tolerantly. Types only ever
    /// sent to Plaid follow the spec exactly.
    pub tolerant: bool,
    /// Whether `Default` can be derived.
    pub default: bool,
    /// Whether a missing or `null` value of this struct can decode as its
    /// empty value (see [`Model::has_empty_value`]).
    pub empty: bool,
}

/// A generated open enum.
#[derive(Debug, Clone)]
pub struct EnumDef {
    /// The Rust type name.
    pub name: String,
    /// Where it comes from.
    pub source: String,
    /// The wire values, in spec order, without `null`.
    pub values: Vec<String>,
}

/// A type alias for a schema that is neither object nor enum.
#[derive(Debug, Clone)]
pub struct AliasDef {
    /// The Rust type name.
    pub name: String,
    /// The schema name.
    pub source: String,
    /// What it stands for.
    pub ty: Ty,
}

/// One generated type.
#[derive(Debug, Clone)]
pub enum Def {
    /// A struct.
    Struct(StructDef),
    /// An open enum.
    Enum(EnumDef),
    /// A type alias.
    Alias(AliasDef),
}

impl Def {
    /// The Rust type name.
    pub fn name(&self) -> &str {
        match self {
            Def::Struct(s) => &s.name,
            Def::Enum(e) => &e.name,
            Def::Alias(a) => &a.name,
        }
    }
}

/// All generated types, by Rust name.
#[derive(Debug, Default)]
pub struct Model {
    /// Definitions by Rust name.
    pub defs: BTreeMap<String, Def>,
    /// Rust name of each component schema.
    pub schema_names: BTreeMap<String, String>,
}

/// Fields that carry credentials in the body in older clients. They are left
/// out of every generated type: credentials travel in headers, and a secret
/// must never sit in a `Debug`-printable struct.
pub const CREDENTIAL_FIELDS: &[&str] = &["client_id", "secret"];

/// Reads `schemas` (the spec's `components.schemas`).
pub fn build(schemas: &Mapping) -> Result<Model, String> {
    let mut builder = Builder {
        schemas,
        model: Model::default(),
        taken: NameSet::default(),
    };
    for key in schemas.keys() {
        let name = key.as_str().ok_or("a schema name is not a string")?;
        let rust = builder.taken.claim(&names::type_name(name));
        builder.model.schema_names.insert(name.to_owned(), rust);
    }
    for (key, schema) in schemas {
        let name = key.as_str().unwrap_or_default();
        let rust = builder.model.schema_names[name].clone();
        builder.define_component(name, &rust, schema)?;
    }
    Ok(builder.model)
}

/// Field `key` of a schema, if the schema is a mapping that has it.
fn get<'v>(schema: &'v Value, key: &str) -> Option<&'v Value> {
    schema.as_mapping()?.get(key)
}

/// Whether boolean field `key` of a schema is `true`.
fn flag(schema: &Value, key: &str) -> bool {
    get(schema, key).and_then(Value::as_bool).unwrap_or(false)
}

/// Converts a YAML value to JSON (for examples).
pub fn to_json(value: &Value) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

impl Model {
    /// The named types `ty` mentions.
    fn named_in(ty: &Ty, out: &mut Vec<String>) {
        match ty {
            Ty::Named(n) => out.push(n.clone()),
            Ty::List(inner) | Ty::Map(inner) => Self::named_in(inner, out),
            _ => {}
        }
    }

    /// Every type reachable from `roots`, the roots included.
    pub fn reachable(&self, roots: impl IntoIterator<Item = String>) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<String> = roots.into_iter().collect();
        while let Some(name) = stack.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            let mut next = Vec::new();
            match self.defs.get(&name) {
                Some(Def::Struct(s)) => s
                    .fields
                    .iter()
                    .for_each(|f| Self::named_in(&f.ty, &mut next)),
                Some(Def::Alias(a)) => Self::named_in(&a.ty, &mut next),
                _ => {}
            }
            stack.extend(next);
        }
        seen
    }

    /// Marks the types only ever sent to Plaid (reachable from
    /// `request_roots` but not from `answer_roots`) as strict, then works out
    /// by fixpoint which structs can derive `Default` and which have an
    /// empty value.
    pub fn settle(&mut self, request_roots: &[String], answer_roots: &[String]) {
        let sent = self.reachable(request_roots.iter().cloned());
        let received = self.reachable(answer_roots.iter().cloned());
        for def in self.defs.values_mut() {
            if let Def::Struct(s) = def {
                s.tolerant = !sent.contains(&s.name) || received.contains(&s.name);
            }
        }
        loop {
            let mut changed = false;
            let names: Vec<String> = self.defs.keys().cloned().collect();
            for name in names {
                let Some(Def::Struct(s)) = self.defs.get(&name) else {
                    continue;
                };
                let default = s.default
                    || s.fields
                        .iter()
                        .all(|f| self.is_optional(s, f) || self.has_default(&f.ty));
                let empty = s.empty
                    || s.fields
                        .iter()
                        .all(|f| self.is_optional(s, f) || self.has_empty_value(&f.ty));
                if let Some(Def::Struct(s)) = self.defs.get_mut(&name) {
                    if (default, empty) != (s.default, s.empty) {
                        (s.default, s.empty) = (default, empty);
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// Whether `ty` has a `Default` (as far as is known so far).
    pub fn has_default(&self, ty: &Ty) -> bool {
        match ty {
            Ty::String | Ty::Int | Ty::Float | Ty::Bool | Ty::Json | Ty::JsonMap => true,
            Ty::List(_) | Ty::Map(_) => true,
            Ty::Date | Ty::DateTime => false,
            Ty::Named(name) => match self.defs.get(name) {
                Some(Def::Struct(s)) => s.default,
                Some(Def::Enum(_)) => true,
                Some(Def::Alias(a)) => self.has_default(&a.ty),
                None => false,
            },
        }
    }

    /// Whether `ty` has an empty value that a missing or `null` field can
    /// stand for without making data up: strings, lists, maps, free-form
    /// JSON, enums (`Unknown("")`), and objects whose required fields all
    /// have one. Numbers, booleans and dates do not.
    pub fn has_empty_value(&self, ty: &Ty) -> bool {
        match ty {
            Ty::String | Ty::Json | Ty::JsonMap | Ty::List(_) | Ty::Map(_) => true,
            Ty::Int | Ty::Float | Ty::Bool | Ty::Date | Ty::DateTime => false,
            Ty::Named(name) => match self.defs.get(name) {
                Some(Def::Struct(s)) => s.empty,
                Some(Def::Enum(_)) => true,
                Some(Def::Alias(a)) => self.has_empty_value(&a.ty),
                None => false,
            },
        }
    }

    /// The decoding rule: whether `field` of `owner` is an `Option`.
    ///
    /// Optional and nullable fields are. In types Plaid sends, so are
    /// required fields without an empty value (numbers, booleans, dates):
    /// Plaid has been seen to omit or null them, and a stand-in would be
    /// made-up data.
    pub fn is_optional(&self, owner: &StructDef, field: &Field) -> bool {
        !field.required || field.nullable || (owner.tolerant && !self.has_empty_value(&field.ty))
    }

    /// The other half of the rule: a required field of a type Plaid sends
    /// that is a string, list, map, object or enum decodes `null` or absence
    /// as its empty value.
    pub fn tolerates_null(&self, owner: &StructDef, field: &Field) -> bool {
        owner.tolerant && !self.is_optional(owner, field)
    }
}
