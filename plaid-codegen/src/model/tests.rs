//! Unit tests of the schema → type model.

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
