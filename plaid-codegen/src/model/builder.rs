//! The walk over the spec's schemas that fills a [`Model`]: one
//! definition per component schema, plus the inline objects and enums
//! its properties need.

use super::*;
use super::{flag, get};

/// The walk's state: the schemas read, the model made so far, and the
/// Rust names already taken.
pub(super) struct Builder<'a> {
    pub(super) schemas: &'a Mapping,
    pub(super) model: Model,
    pub(super) taken: NameSet,
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

impl Builder<'_> {
    fn schema(&self, name: &str) -> Result<&Value, String> {
        self.schemas
            .get(name)
            .ok_or_else(|| format!("$ref to missing schema {name}"))
    }

    pub(super) fn define_component(
        &mut self,
        name: &str,
        rust: &str,
        schema: &Value,
    ) -> Result<(), String> {
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
