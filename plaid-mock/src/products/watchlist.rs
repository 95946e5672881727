//! Watchlist Screening (individuals and entities): a screening keeps the
//! search terms it was made with; a name on the fake's watchlist (the
//! spec's sample sanctioned names) gives a hit to review. Reviews confirm or
//! dismiss hits, and the status follows: `pending_review` while a hit
//! waits, `rejected` once one is confirmed, `cleared` when none is left.
//! Every edit after creation is kept as history, newest first.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::kernel::errors::unknown_id;
use crate::kernel::errors::Refusal;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kernel::time::timestamp;
use crate::kit::example::example;
use crate::kit::fields::text;
use crate::kit::ids::short_id;
use crate::kit::paging::page;
use crate::kit::route::{Handled, Route};
use crate::sandbox::store::Kept;
use crate::sandbox::State;

/// What differs between individual and entity screenings.
struct Kind {
    /// The request field naming a screening.
    id_field: &'static str,
    /// The search term naming the program.
    program_field: &'static str,
    /// Whether it screens entities (else individuals).
    entity: bool,
    /// Its hit list operation, whose example is the shape of its hits.
    hit_list: &'static Route,
    screening_prefix: &'static str,
    hit_prefix: &'static str,
    review_prefix: &'static str,
    hits_field: &'static str,
    reviews_field: &'static str,
    screenings_field: &'static str,
    /// Search terms besides the program and name, `null` when not sent.
    terms: &'static [&'static str],
    /// Names on the fake's watchlist, as the spec's sample hits have them.
    listed: &'static [&'static str],
}

const INDIVIDUAL: Kind = Kind {
    id_field: "watchlist_screening_id",
    program_field: "watchlist_program_id",
    entity: false,
    hit_list: &INDIVIDUAL_HIT_LIST,
    screening_prefix: "scr_",
    hit_prefix: "scrhit_",
    review_prefix: "rev_",
    hits_field: "watchlist_screening_hits",
    reviews_field: "watchlist_screening_reviews",
    screenings_field: "watchlist_screenings",
    terms: &["date_of_birth", "document_number", "country"],
    listed: &["Aleksey Potemkin"],
};

const ENTITY: Kind = Kind {
    id_field: "entity_watchlist_screening_id",
    program_field: "entity_watchlist_program_id",
    entity: true,
    hit_list: &ENTITY_HIT_LIST,
    screening_prefix: "entscr_",
    hit_prefix: "enthit_",
    review_prefix: "entrev_",
    hits_field: "entity_watchlist_screening_hits",
    reviews_field: "entity_watchlist_screening_reviews",
    screenings_field: "entity_watchlist_screenings",
    terms: &[
        "document_number",
        "email_address",
        "country",
        "phone_number",
        "url",
    ],
    listed: &["Al-Qaida", "Al Qaida"],
};

/// One screening with everything found and decided about it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Screening {
    pub entity: bool,
    /// The screening as `…/get` answers it.
    pub json: Value,
    pub hits: Vec<Value>,
    /// Newest first.
    pub reviews: Vec<Value>,
    /// The screening after each edit, newest first.
    pub history: Vec<Value>,
}

/// What Watchlist Screening remembers, in order of creation.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct WatchlistState {
    pub screenings: Vec<Screening>,
}

impl Kept for WatchlistState {
    const KEY: &'static str = "watchlist";
}

/// `/watchlist_screening/individual/hit/list`.
const INDIVIDUAL_HIT_LIST: Route =
    Route::new("/watchlist_screening/individual/hit/list", |s, b| {
        answer(s, &INDIVIDUAL, Verb::HitList, b)
    })
    .refuses_samples("INVALID_FIELD");

/// `/watchlist_screening/entity/hit/list`.
const ENTITY_HIT_LIST: Route = Route::new("/watchlist_screening/entity/hit/list", |s, b| {
    answer(s, &ENTITY, Verb::HitList, b)
})
.refuses_samples("INVALID_FIELD");

/// What this product refuses, for the crate's error table.
pub(crate) const REFUSALS: &[Refusal] = &[
    Refusal::new(
        "a `watchlist_screening_id` (or `entity_watchlist_screening_id`) never created, or of the other kind",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "a watchlist review naming a hit the screening does not have, or a hit both confirmed and dismissed",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
    Refusal::new(
        "a watchlist screening update changing `search_terms` and `status` at once",
        400,
        "INVALID_REQUEST",
        "INVALID_FIELD",
    ),
];

/// The operations this product answers.
pub(crate) const ROUTES: &[Route] = &[
    Route::new("/watchlist_screening/individual/create", |s, b| {
        answer(s, &INDIVIDUAL, Verb::Create, b)
    }),
    Route::new("/watchlist_screening/individual/get", |s, b| {
        answer(s, &INDIVIDUAL, Verb::Get, b)
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/watchlist_screening/individual/list", |s, b| {
        answer(s, &INDIVIDUAL, Verb::List, b)
    }),
    Route::new("/watchlist_screening/individual/update", |s, b| {
        answer(s, &INDIVIDUAL, Verb::Update, b)
    })
    .refuses_samples("INVALID_FIELD"),
    INDIVIDUAL_HIT_LIST,
    Route::new("/watchlist_screening/individual/review/create", |s, b| {
        answer(s, &INDIVIDUAL, Verb::ReviewCreate, b)
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/watchlist_screening/individual/review/list", |s, b| {
        answer(s, &INDIVIDUAL, Verb::ReviewList, b)
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/watchlist_screening/individual/history/list", |s, b| {
        answer(s, &INDIVIDUAL, Verb::HistoryList, b)
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/watchlist_screening/entity/create", |s, b| {
        answer(s, &ENTITY, Verb::Create, b)
    }),
    Route::new("/watchlist_screening/entity/get", |s, b| {
        answer(s, &ENTITY, Verb::Get, b)
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/watchlist_screening/entity/list", |s, b| {
        answer(s, &ENTITY, Verb::List, b)
    }),
    Route::new("/watchlist_screening/entity/update", |s, b| {
        answer(s, &ENTITY, Verb::Update, b)
    })
    .refuses_samples("INVALID_FIELD"),
    ENTITY_HIT_LIST,
    Route::new("/watchlist_screening/entity/review/create", |s, b| {
        answer(s, &ENTITY, Verb::ReviewCreate, b)
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/watchlist_screening/entity/review/list", |s, b| {
        answer(s, &ENTITY, Verb::ReviewList, b)
    })
    .refuses_samples("INVALID_FIELD"),
    Route::new("/watchlist_screening/entity/history/list", |s, b| {
        answer(s, &ENTITY, Verb::HistoryList, b)
    })
    .refuses_samples("INVALID_FIELD"),
];

/// What a watchlist operation does, the same for both kinds.
#[derive(Debug, Clone, Copy)]
enum Verb {
    Create,
    Get,
    List,
    Update,
    HitList,
    ReviewCreate,
    ReviewList,
    HistoryList,
}

/// Answers `verb` for `kind`.
fn answer(state: &mut State, kind: &Kind, verb: Verb, body: &Map<String, Value>) -> Handled {
    let id = text(body, kind.id_field);
    Some(match verb {
        Verb::Create => Ok(create(state, kind, body)),
        Verb::Get => find(state, kind, id).map(|s| s.json.clone()),
        Verb::List => list(state, kind, body),
        Verb::Update => update(state, kind, id, body),
        Verb::HitList => find(state, kind, id)
            .map(|s| s.hits.clone())
            .and_then(|items| paged(kind.hits_field, items, body)),
        Verb::ReviewCreate => review(state, kind, id, body),
        Verb::ReviewList => find(state, kind, id)
            .map(|s| s.reviews.clone())
            .and_then(|items| paged(kind.reviews_field, items, body)),
        Verb::HistoryList => find(state, kind, id)
            .map(|s| s.history.clone())
            .and_then(|items| paged(kind.screenings_field, items, body)),
    })
}

fn paged(field: &str, items: Vec<Value>, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let (items, next) = page(items, body)?;
    Ok(json!({ field: items, "next_cursor": next }))
}

fn find<'s>(state: &'s State, kind: &Kind, id: &str) -> Result<&'s Screening, ErrorAnswer> {
    state
        .products
        .get::<WatchlistState>()
        .screenings
        .iter()
        .find(|s| s.entity == kind.entity && s.json["id"] == id)
        .ok_or_else(|| unknown_id(kind.id_field, id))
}

fn find_mut<'s>(
    state: &'s mut State,
    kind: &Kind,
    id: &str,
) -> Result<&'s mut Screening, ErrorAnswer> {
    state
        .products
        .get_mut::<WatchlistState>()
        .screenings
        .iter_mut()
        .find(|s| s.entity == kind.entity && s.json["id"] == id)
        .ok_or_else(|| unknown_id(kind.id_field, id))
}

fn audit_trail(state: &State) -> Value {
    json!({"source": "api", "dashboard_user_id": null, "timestamp": timestamp(state.now())})
}

/// `terms` as stored: the program, the name, every other term (`null`
/// when not sent) and the version.
fn search_terms(kind: &Kind, terms: &Map<String, Value>, version: i64) -> Value {
    let mut out = Map::new();
    for name in [kind.program_field, "legal_name"].iter().chain(kind.terms) {
        out.insert(
            (*name).to_owned(),
            terms.get(*name).cloned().unwrap_or(Value::Null),
        );
    }
    out.insert("version".to_owned(), version.into());
    Value::Object(out)
}

/// The hits the fake's watchlist gives for `terms`.
fn screen(state: &mut State, kind: &Kind, terms: &Value) -> Vec<Value> {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let name = squash(terms["legal_name"].as_str().unwrap_or_default());
    let listed = kind
        .listed
        .iter()
        .any(|l| !name.is_empty() && squash(l) == name);
    if !listed {
        return Vec::new();
    }
    let template = example(kind.hit_list.path)[kind.hits_field][0].clone();
    let mut hit = template;
    hit["id"] = short_id(state, kind.hit_prefix).into();
    hit["review_status"] = "pending_review".into();
    hit["analysis"]["search_terms_version"] = terms["version"].clone();
    vec![hit]
}

/// `pending_review` while a hit waits, `rejected` once one is confirmed,
/// else `cleared`.
fn status_of(hits: &[Value]) -> &'static str {
    if hits.iter().any(|h| h["review_status"] == "confirmed") {
        "rejected"
    } else if hits.iter().any(|h| h["review_status"] == "pending_review") {
        "pending_review"
    } else {
        "cleared"
    }
}

fn create(state: &mut State, kind: &Kind, body: &Map<String, Value>) -> Value {
    let sent = body
        .get("search_terms")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let terms = search_terms(kind, &sent, 1);
    let hits = screen(state, kind, &terms);
    let json = json!({
        "id": short_id(state, kind.screening_prefix),
        "search_terms": terms,
        "assignee": null,
        "status": status_of(&hits),
        "client_user_id": body.get("client_user_id").cloned().unwrap_or(Value::Null),
        "audit_trail": audit_trail(state),
    });
    state
        .products
        .get_mut::<WatchlistState>()
        .screenings
        .push(Screening {
            entity: kind.entity,
            json: json.clone(),
            hits,
            reviews: Vec::new(),
            history: Vec::new(),
        });
    json
}

fn list(state: &State, kind: &Kind, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
    let program = text(body, kind.program_field);
    let matches = |s: &&Screening| {
        s.entity == kind.entity
            && s.json["search_terms"][kind.program_field] == program
            && ["client_user_id", "status", "assignee"]
                .iter()
                .all(|f| body.get(*f).is_none_or(|v| v.is_null() || s.json[*f] == *v))
    };
    let items: Vec<Value> = state
        .products
        .get::<WatchlistState>()
        .screenings
        .iter()
        .rev()
        .filter(matches)
        .map(|s| s.json.clone())
        .collect();
    paged(kind.screenings_field, items, body)
}

fn update(
    state: &mut State,
    kind: &Kind,
    id: &str,
    body: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    if body.contains_key("search_terms") && body.contains_key("status") {
        return Err(errors::invalid_field(
            "search_terms and status cannot be changed in the same update",
        ));
    }
    let trail = audit_trail(state);
    let mut screening = find(state, kind, id)?.clone();
    if let Some(sent) = body.get("search_terms").and_then(Value::as_object) {
        let mut terms = screening.json["search_terms"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        terms.extend(sent.iter().map(|(k, v)| (k.clone(), v.clone())));
        let version = screening.json["search_terms"]["version"]
            .as_i64()
            .unwrap_or(1)
            + 1;
        let terms = search_terms(kind, &terms, version);
        // Reviewed hits keep their decision; pending ones are screened again.
        screening
            .hits
            .retain(|h| h["review_status"] != "pending_review");
        let fresh = screen(state, kind, &terms);
        screening.hits.extend(fresh);
        screening.json["search_terms"] = terms;
        screening.json["status"] = status_of(&screening.hits).into();
    }
    for field in ["assignee", "client_user_id", "status"] {
        if let Some(value) = body.get(field) {
            screening.json[field] = value.clone();
        }
    }
    for field in body
        .get("reset_fields")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(name) = field.as_str() {
            screening.json[name] = Value::Null;
        }
    }
    screening.json["audit_trail"] = trail;
    screening.history.insert(0, screening.json.clone());
    let answer = screening.json.clone();
    *find_mut(state, kind, id)? = screening;
    Ok(answer)
}

fn review(
    state: &mut State,
    kind: &Kind,
    id: &str,
    body: &Map<String, Value>,
) -> Result<Value, ErrorAnswer> {
    let ids = |name: &str| -> Vec<String> {
        body.get(name)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    };
    let (confirmed, dismissed) = (ids("confirmed_hits"), ids("dismissed_hits"));
    let trail = audit_trail(state);
    let review_id = short_id(state, kind.review_prefix);
    let screening = find_mut(state, kind, id)?;
    for hit in confirmed.iter().chain(&dismissed) {
        if !screening.hits.iter().any(|h| h["id"] == hit.as_str()) {
            return Err(errors::invalid_field(format!(
                "hit {hit:?} is not a hit of screening {id}"
            )));
        }
        if confirmed.contains(hit) && dismissed.contains(hit) {
            return Err(errors::invalid_field(format!(
                "hit {hit:?} cannot be both confirmed and dismissed"
            )));
        }
    }
    for hit in &mut screening.hits {
        let hit_id = hit["id"].as_str().unwrap_or_default().to_owned();
        if confirmed.contains(&hit_id) {
            hit["review_status"] = "confirmed".into();
        } else if dismissed.contains(&hit_id) {
            hit["review_status"] = "dismissed".into();
        }
    }
    let review = json!({
        "id": review_id,
        "confirmed_hits": confirmed,
        "dismissed_hits": dismissed,
        "comment": body.get("comment").cloned().unwrap_or(Value::Null),
        "audit_trail": trail,
    });
    screening.reviews.insert(0, review.clone());
    let status = status_of(&screening.hits);
    if screening.json["status"] != status {
        screening.json["status"] = status.into();
        screening.json["audit_trail"] = trail;
        screening.history.insert(0, screening.json.clone());
    }
    Ok(review)
}
