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

struct Builder<'a> {
    schemas: &'a Mapping,
    model: Model,
    taken: NameSet,
}

fn get<'v>(schema: &'v Value, key: &str) -> Option<&'v Value> {
    schema.as_mapping()?.get(key)
}

fn flag(schema: &Value, key: &str) -> bool {
    get(schema, key).and_then(Value::as_bool).unwrap_or(false)
}

fn is_enum(schema: &Value) -> bool {
    get(schema, "enum").is_some()
}

/// Objects with properties, and `allOf` compositions other than a lone `$ref`.
fn is_object_like(schema: &Value) -> bool {
    if get(schema, "properties").is_some() {
        return true;
    }
    match get(schema, "allOf").and_then(Value::as_sequence) {
        Some(parts) => !(parts.len() == 1 && get(&parts[0], "$ref").is_some()),
        None => false,
    }
}

/// A component schema that becomes a struct: object-like, or a plain
/// `type: object` that is not a typed map (an empty struct, possibly keeping
/// extra fields).
fn is_component_struct(schema: &Value) -> bool {
    is_object_like(schema)
        || (get(schema, "type").and_then(Value::as_str) == Some("object")
            && !matches!(get(schema, "additionalProperties"), Some(Value::Mapping(m)) if !m.is_empty()))
}

fn ref_name(reference: &Value) -> Result<&str, String> {
    let text = reference.as_str().ok_or("$ref is not a string")?;
    text.strip_prefix("#/components/schemas/")
        .ok_or_else(|| format!("unsupported $ref {text}"))
}

/// Converts a YAML value to JSON (for examples).
pub fn to_json(value: &Value) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

impl Builder<'_> {
    fn schema(&self, name: &str) -> Result<&Value, String> {
        self.schemas
            .get(name)
            .ok_or_else(|| format!("$ref to missing schema {name}"))
    }

    fn define_component(&mut self, name: &str, rust: &str, schema: &Value) -> Result<(), String> {
        if is_enum(schema) {
            self.define_enum(rust, name, schema);
        } else if is_component_struct(schema) {
            self.define_struct(rust, name, schema)?;
        } else {
            let ty = self.resolve(schema, rust)?;
            self.model.defs.insert(
                rust.to_owned(),
                Def::Alias(AliasDef {
                    name: rust.to_owned(),
                    source: name.to_owned(),
                    ty,
                }),
            );
        }
        Ok(())
    }

    fn define_enum(&mut self, rust: &str, source: &str, schema: &Value) {
        let values = get(schema, "enum")
            .and_then(Value::as_sequence)
            .map(|values| {
                values
                    .iter()
                    .filter_map(|v| match v {
                        Value::String(s) => Some(s.clone()),
                        Value::Number(n) => Some(n.to_string()),
                        Value::Bool(b) => Some(b.to_string()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        self.model.defs.insert(
            rust.to_owned(),
            Def::Enum(EnumDef {
                name: rust.to_owned(),
                source: source.to_owned(),
                values,
            }),
        );
    }

    /// Collects the properties and `required` list of `schema`, flattening `allOf`.
    fn flatten(
        &self,
        schema: &Value,
        props: &mut Vec<(String, Value)>,
        required: &mut BTreeSet<String>,
        extra: &mut bool,
    ) -> Result<(), String> {
        if let Some(reference) = get(schema, "$ref") {
            let target = self.schema(ref_name(reference)?)?;
            return self.flatten(target, props, required, extra);
        }
        if let Some(parts) = get(schema, "allOf").and_then(Value::as_sequence) {
            for part in parts {
                self.flatten(part, props, required, extra)?;
            }
        }
        if get(schema, "additionalProperties").and_then(Value::as_bool) == Some(false) {
            *extra = false;
        }
        if let Some(map) = get(schema, "properties").and_then(Value::as_mapping) {
            for (key, value) in map {
                let key = key.as_str().ok_or("a property name is not a string")?;
                if let Some(slot) = props.iter_mut().find(|(k, _)| k == key) {
                    slot.1 = value.clone();
                } else {
                    props.push((key.to_owned(), value.clone()));
                }
            }
        }
        if let Some(list) = get(schema, "required").and_then(Value::as_sequence) {
            required.extend(list.iter().filter_map(Value::as_str).map(str::to_owned));
        }
        Ok(())
    }

    fn define_struct(&mut self, rust: &str, source: &str, schema: &Value) -> Result<(), String> {
        // Reserve the name before recursing so self-references resolve.
        self.model.defs.insert(
            rust.to_owned(),
            Def::Struct(StructDef {
                name: rust.to_owned(),
                source: source.to_owned(),
                fields: Vec::new(),
                keeps_extra: false,
                tolerant: true,
                default: false,
                empty: false,
            }),
        );
        let mut props = Vec::new();
        let mut required = BTreeSet::new();
        let mut keeps_extra = true;
        self.flatten(schema, &mut props, &mut required, &mut keeps_extra)?;
        let mut idents = NameSet::default();
        let mut fields = Vec::new();
        for (wire, prop) in props {
            if CREDENTIAL_FIELDS.contains(&wire.as_str()) {
                continue;
            }
            let hint = format!("{rust}{}", names::pascal(&wire));
            let ty = self.resolve(&prop, &hint)?;
            let ident = idents.claim(&names::snake(&wire));
            let facts = self.facts(rust, &prop)?;
            fields.push(Field {
                facts,
                required: required.contains(&wire),
                nullable: self.is_nullable(&prop)?,
                deprecated: flag(&prop, "deprecated"),
                example: get(&prop, "example").map(to_json),
                wire,
                ident,
                ty,
            });
        }
        if keeps_extra && idents.contains("extra") {
            return Err(format!("{source} has a property named extra"));
        }
        if let Some(Def::Struct(def)) = self.model.defs.get_mut(rust) {
            def.fields = fields;
            def.keeps_extra = keeps_extra;
        }
        Ok(())
    }

    /// The facts of property `prop` of struct `owner`.
    fn facts(&self, owner: &str, prop: &Value) -> Result<Facts, String> {
        let mut facts = Facts {
            owner: owner.to_owned(),
            ..Facts::default()
        };
        let mut schema = prop;
        // Follow references to plain schemas (not structs or enums, which
        // are documented on their own type), at most a few levels deep.
        for _ in 0..4 {
            facts.fill_from(schema);
            let next = match get(schema, "$ref") {
                Some(reference) => self.schema(ref_name(reference)?)?,
                None => match get(schema, "allOf").and_then(Value::as_sequence) {
                    Some(parts) if parts.len() == 1 => &parts[0],
                    _ => break,
                },
            };
            if get(next, "$ref").is_none() && (is_enum(next) || is_component_struct(next)) {
                break;
            }
            schema = next;
        }
        Ok(facts)
    }

    /// Whether a property may be `null`: `nullable` on it, on the schema it
    /// refers to, or `null` among its enum values.
    fn is_nullable(&self, prop: &Value) -> Result<bool, String> {
        if flag(prop, "nullable") {
            return Ok(true);
        }
        if let Some(values) = get(prop, "enum").and_then(Value::as_sequence) {
            if values.iter().any(Value::is_null) {
                return Ok(true);
            }
        }
        if let Some(reference) = get(prop, "$ref") {
            return self.is_nullable(self.schema(ref_name(reference)?)?);
        }
        if let Some(parts) = get(prop, "allOf").and_then(Value::as_sequence) {
            if let [only] = parts.as_slice() {
                return self.is_nullable(only);
            }
        }
        Ok(false)
    }

    /// The type of `schema`, defining inline structs and enums as `hint`.
    fn resolve(&mut self, schema: &Value, hint: &str) -> Result<Ty, String> {
        if let Some(reference) = get(schema, "$ref") {
            let name = ref_name(reference)?;
            let target = self.schema(name)?.clone();
            if is_enum(&target) || is_component_struct(&target) {
                return Ok(Ty::Named(self.model.schema_names[name].clone()));
            }
            return self.resolve(&target, hint);
        }
        if let Some(parts) = get(schema, "allOf").and_then(Value::as_sequence) {
            if let [only] = parts.as_slice() {
                if get(schema, "properties").is_none() {
                    return self.resolve(only, hint);
                }
            }
        }
        if is_enum(schema) {
            let name = self.taken.claim(hint);
            self.define_enum(&name, hint, schema);
            return Ok(Ty::Named(name));
        }
        if is_object_like(schema) {
            let name = self.taken.claim(hint);
            self.define_struct(&name, hint, schema)?;
            return Ok(Ty::Named(name));
        }
        let kind = get(schema, "type").and_then(Value::as_str);
        let format = get(schema, "format").and_then(Value::as_str);
        Ok(match (kind, format) {
            (Some("string"), Some("date")) => Ty::Date,
            (Some("string"), Some("date-time")) => Ty::DateTime,
            (Some("string"), _) => Ty::String,
            (Some("integer"), _) => Ty::Int,
            (Some("number"), _) => Ty::Float,
            (Some("boolean"), _) => Ty::Bool,
            (Some("array"), _) => {
                let items = get(schema, "items").cloned().unwrap_or(Value::Null);
                if items.as_mapping().is_none_or(Mapping::is_empty) {
                    Ty::List(Box::new(Ty::Json))
                } else {
                    Ty::List(Box::new(self.resolve(&items, &format!("{hint}Item"))?))
                }
            }
            (Some("object"), _) | (None, _) => match get(schema, "additionalProperties") {
                Some(ap @ Value::Mapping(m)) if !m.is_empty() => {
                    Ty::Map(Box::new(self.resolve(ap, &format!("{hint}Value"))?))
                }
                _ if kind == Some("object") => Ty::JsonMap,
                _ => Ty::Json,
            },
            (Some(other), _) => return Err(format!("{hint}: unsupported type {other}")),
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn model(yaml: &str) -> Model {
        let schemas: Mapping = serde_yaml::from_str(yaml).unwrap();
        build(&schemas).unwrap()
    }

    fn fields(m: &Model, name: &str) -> Vec<(String, Ty, bool, bool)> {
        let Some(Def::Struct(s)) = m.defs.get(name) else {
            panic!("{name} is not a struct")
        };
        s.fields
            .iter()
            .map(|f| (f.ident.clone(), f.ty.clone(), f.required, f.nullable))
            .collect()
    }

    #[test]
    fn all_of_is_flattened_with_required_merged() {
        let m = model(
            r#"
Base:
  type: object
  properties:
    id: {type: string}
  required: [id]
Child:
  allOf:
    - $ref: '#/components/schemas/Base'
    - type: object
      properties:
        amount: {type: number}
      required: [amount]
"#,
        );
        assert_eq!(
            fields(&m, "Child"),
            [
                ("id".into(), Ty::String, true, false),
                ("amount".into(), Ty::Float, true, false)
            ]
        );
    }

    #[test]
    fn nullable_comes_from_the_property_or_the_referenced_schema() {
        let m = model(
            r#"
Kind:
  type: string
  nullable: true
  enum: [a, b, null]
Holder:
  type: object
  properties:
    kind: {$ref: '#/components/schemas/Kind'}
    note: {type: string, nullable: true}
    wrapped:
      allOf: [{$ref: '#/components/schemas/Kind'}]
"#,
        );
        let f = fields(&m, "Holder");
        assert!(f.iter().all(|(_, _, _, nullable)| *nullable), "{f:?}");
        let Some(Def::Enum(e)) = m.defs.get("Kind") else {
            panic!()
        };
        assert_eq!(e.values, ["a", "b"]);
    }

    #[test]
    fn inline_enums_objects_and_nested_arrays_get_named_types() {
        let m = model(
            r#"
Report:
  type: object
  properties:
    status: {type: string, enum: [ok, failed]}
    pages:
      type: array
      items:
        type: array
        items:
          type: object
          properties:
            n: {type: integer}
    day: {type: string, format: date}
    at: {type: string, format: date-time}
    labels:
      type: object
      additionalProperties: {type: string}
"#,
        );
        let f = fields(&m, "Report");
        assert_eq!(f[0].1, Ty::Named("ReportStatus".into()));
        assert_eq!(
            f[1].1,
            Ty::List(Box::new(Ty::List(Box::new(Ty::Named(
                "ReportPagesItemItem".into()
            )))))
        );
        assert_eq!(f[2].1, Ty::Date);
        assert_eq!(f[3].1, Ty::DateTime);
        assert_eq!(f[4].1, Ty::Map(Box::new(Ty::String)));
        assert!(matches!(m.defs.get("ReportStatus"), Some(Def::Enum(_))));
        assert!(matches!(
            m.defs.get("ReportPagesItemItem"),
            Some(Def::Struct(_))
        ));
    }

    #[test]
    fn keyword_and_credential_properties() {
        let m = model(
            r#"
Req:
  type: object
  properties:
    client_id: {type: string}
    secret: {type: string}
    type: {type: string}
    match: {type: boolean}
"#,
        );
        let idents: Vec<_> = fields(&m, "Req").into_iter().map(|f| f.0).collect();
        assert_eq!(idents, ["type_", "match_"]);
    }

    #[test]
    fn decoding_rule_depends_on_who_sends_the_type() {
        let mut m = model(
            r#"
Answer:
  type: object
  properties:
    id: {type: string}
    amount: {type: number}
    when: {type: string, format: date}
    nested: {$ref: '#/components/schemas/Nested'}
    kind: {type: string, enum: [a]}
    note: {type: string, nullable: true}
  required: [id, amount, when, nested, kind, note]
Nested:
  type: object
  properties:
    x: {type: integer}
  required: [x]
Ask:
  type: object
  properties:
    amount: {type: number}
    when: {type: string, format: date}
    id: {type: string}
  required: [amount, when, id]
"#,
        );
        m.settle(&["Ask".into()], &["Answer".into()]);
        let (Some(Def::Struct(answer)), Some(Def::Struct(ask))) =
            (m.defs.get("Answer"), m.defs.get("Ask"))
        else {
            panic!()
        };
        let rule: Vec<(&str, bool, bool)> = answer
            .fields
            .iter()
            .map(|f| {
                (
                    f.ident.as_str(),
                    m.is_optional(answer, f),
                    m.tolerates_null(answer, f),
                )
            })
            .collect();
        assert_eq!(
            rule,
            [
                ("id", false, true),
                ("amount", true, false),
                ("when", true, false),
                ("nested", false, true),
                ("kind", false, true),
                ("note", true, false),
            ]
        );
        assert!(answer.tolerant && answer.default && answer.empty);
        // Request-only types follow the spec exactly.
        assert!(!ask.tolerant && !ask.default);
        assert!(ask
            .fields
            .iter()
            .all(|f| !m.is_optional(ask, f) && !m.tolerates_null(ask, f)));
    }

    #[test]
    fn unknown_fields_are_kept_unless_the_spec_forbids_them() {
        let m = model(
            r#"
Open:
  type: object
  properties:
    a: {type: string}
Closed:
  type: object
  additionalProperties: false
  properties:
    a: {type: string}
"#,
        );
        let keeps = |name: &str| match m.defs.get(name) {
            Some(Def::Struct(s)) => s.keeps_extra,
            _ => panic!(),
        };
        assert!(keeps("Open"));
        assert!(!keeps("Closed"));
    }
}
