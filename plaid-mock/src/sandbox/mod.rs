//! The fake's state and the sandbox flows that change it.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use time::{Duration, OffsetDateTime};

use crate::kernel::clock::FakeClock;
use crate::kernel::errors::{self, ErrorAnswer};
use crate::kernel::rng::Rng;
use crate::kernel::time::rfc3339;
use crate::kernel::webhook_signing::SigningKeys;
use data::{Account, Institution, Transaction};
use events::{Event, Hook};
use store::ProductStore;

pub(crate) mod data;
pub(crate) mod events;
pub(crate) mod institutions;
pub(crate) mod investments;
pub(crate) mod refusals;
pub(crate) mod store;
mod transactions;
pub(crate) mod users;

/// How long a public token lives.
const PUBLIC_TOKEN_LIFETIME: Duration = Duration::minutes(30);

/// One change to an item's transactions, in order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) enum Change {
    Added(String),
    Modified(String),
    /// A removed transaction: its id and its account's id.
    Removed(String, String),
}

/// A linked item.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Item {
    pub item_id: String,
    pub institution_id: String,
    pub webhook: Option<String>,
    pub products: Vec<String>,
    pub accounts: Vec<Account>,
    /// Current transactions, newest first.
    pub transactions: Vec<Transaction>,
    /// Every change since the item was created; sync cursors index into it.
    pub changes: Vec<Change>,
    /// Sync cursors handed out with `has_more`, and the number of changes
    /// there were when the pagination they belong to began.
    pub paginations: BTreeMap<usize, usize>,
    pub login_required: bool,
    pub transactions_ready: bool,
    /// Investment transactions of the item's investment accounts, newest
    /// first.
    #[serde(default)]
    pub investment_transactions: Vec<investments::InvestmentTransaction>,
    /// When the item was linked (`None` in state saved before it was kept).
    #[serde(default)]
    pub created_at: Option<OffsetDateTime>,
    /// When the item's transactions were last pulled: at linking, then at
    /// each `/transactions/refresh`.
    #[serde(default)]
    pub transactions_updated: Option<OffsetDateTime>,
    /// The sandbox test user the item was linked with
    /// (`options.override_username`; `None` is `user_good`).
    #[serde(default)]
    pub username: Option<String>,
    /// The code of the last webhook sent to the item's URL, and when.
    #[serde(default)]
    pub last_webhook: Option<(String, OffsetDateTime)>,
    /// `accounts` encoded as a JSON array, made on first use (accounts do
    /// not change once the item exists).
    #[serde(skip)]
    pub accounts_encoded: Option<Vec<u8>>,
    /// [`item_json`] encoded, with the mutable fields it was made from.
    #[serde(skip)]
    pub item_encoded: Option<EncodedItem>,
}

/// An item's JSON, encoded, and what it depends on that can change.
#[derive(Debug)]
pub(crate) struct EncodedItem {
    webhook: Option<String>,
    login_required: bool,
    bytes: Vec<u8>,
}

impl Item {
    /// [`item_json`], encoded; made again only when the item changed.
    fn encoded(&mut self) -> &[u8] {
        let fresh = self
            .item_encoded
            .as_ref()
            .is_some_and(|e| e.webhook == self.webhook && e.login_required == self.login_required);
        if !fresh {
            self.item_encoded = Some(EncodedItem {
                webhook: self.webhook.clone(),
                login_required: self.login_required,
                bytes: encode(&item_json(self)),
            });
        }
        self.item_encoded.as_ref().map_or(b"{}", |e| &e.bytes)
    }
}

/// A webhook waiting to be delivered: the item's URL and the JSON body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct PendingWebhook {
    pub item_id: String,
    pub url: Option<String>,
    pub body: Value,
}

/// Everything the fake remembers.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct State {
    pub rng: Rng,
    /// Read only through [`State::now`].
    pub clock: FakeClock,
    pub transactions_per_item: usize,
    pub items: BTreeMap<String, Item>,
    /// public token → (item id, expiry, used)
    pub public_tokens: BTreeMap<String, (String, OffsetDateTime, bool)>,
    /// access token → item id, for tokens that still work
    pub access_tokens: BTreeMap<String, String>,
    /// Access tokens of items removed with `/item/remove`: Plaid answers
    /// them as an unknown item (`ITEM_NOT_FOUND`), not as an unknown token.
    #[serde(default)]
    pub removed_access_tokens: BTreeSet<String>,
    /// processor token → (item id, account id)
    pub processor_tokens: BTreeMap<String, (String, String)>,
    pub outbox: Vec<PendingWebhook>,
    /// What the products keep, each its own state ([`store::Kept`]).
    #[serde(default)]
    pub products: ProductStore,
    /// The products' reactions to what happens to items and users,
    /// installed by the router.
    #[serde(skip)]
    pub hooks: &'static [Hook],
    /// The webhook signing keys (kept by the fake's controls, which save
    /// them apart from the state).
    #[serde(skip)]
    pub webhook_keys: SigningKeys,
}

/// A string field of a request, or `""` when absent or not a string.
pub(crate) fn field<'a>(body: &'a Map<String, Value>, name: &str) -> &'a str {
    body.get(name).and_then(Value::as_str).unwrap_or_default()
}

impl State {
    pub fn new(seed: u64, transactions_per_item: usize, now: OffsetDateTime) -> Self {
        Self {
            rng: Rng::new(seed),
            clock: FakeClock::frozen(now),
            transactions_per_item,
            items: BTreeMap::new(),
            public_tokens: BTreeMap::new(),
            access_tokens: BTreeMap::new(),
            removed_access_tokens: BTreeSet::new(),
            processor_tokens: BTreeMap::new(),
            outbox: Vec::new(),
            webhook_keys: SigningKeys::default(),
            products: ProductStore::default(),
            hooks: &[],
        }
    }

    /// Tells every installed hook that `event` happened.
    pub(crate) fn emit(&mut self, event: Event<'_>) {
        let hooks = self.hooks;
        for hook in hooks {
            hook(self, &event);
        }
    }

    /// The fake's current time. Read it only through this method: the
    /// clock behind it may follow the wall clock.
    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// The item behind a working access token.
    pub fn item_id_for(&self, access_token: &str) -> Result<String, ErrorAnswer> {
        self.access_tokens
            .get(access_token)
            .cloned()
            .ok_or_else(|| self.token_error(access_token))
    }

    /// Plaid's answer for an access token that does not work: its item
    /// was removed (`ITEM_NOT_FOUND`), or it was never issued, is of
    /// another kind or was rotated away (`INVALID_ACCESS_TOKEN`).
    pub(crate) fn token_error(&self, access_token: &str) -> ErrorAnswer {
        if self.removed_access_tokens.contains(access_token) {
            errors::item_not_found()
        } else {
            errors::access_token_error(access_token)
        }
    }

    fn item_mut(&mut self, access_token: &str) -> Result<&mut Item, ErrorAnswer> {
        // `item_id_for` would borrow all of `self`, not only the tokens.
        let Some(id) = self.access_tokens.get(access_token) else {
            return Err(self.token_error(access_token));
        };
        self.items
            .get_mut(id)
            .ok_or_else(errors::invalid_access_token)
    }

    /// The access token that works for `item_id` now, if any.
    pub(crate) fn access_token_of(&self, item_id: &str) -> Option<String> {
        self.access_tokens
            .iter()
            .find(|(_, id)| **id == item_id)
            .map(|(token, _)| token.clone())
    }

    /// The item for a product call: fails while the item needs a login.
    pub(crate) fn healthy_item(&mut self, access_token: &str) -> Result<&mut Item, ErrorAnswer> {
        let item = self.item_mut(access_token)?;
        if item.login_required {
            return Err(errors::item_login_required());
        }
        Ok(item)
    }

    fn webhook(&mut self, item_id: &str, body: Value) {
        let url = self.items.get(item_id).and_then(|i| i.webhook.clone());
        let now = self.now();
        if let Some(item) = self.items.get_mut(item_id).filter(|_| url.is_some()) {
            let code = body["webhook_code"].as_str().unwrap_or_default().to_owned();
            item.last_webhook = Some((code, now));
        }
        self.outbox.push(PendingWebhook {
            item_id: item_id.to_owned(),
            url,
            body,
        });
    }

    /// `/item/get`: the item and its status.
    pub(crate) fn item_get(&mut self, token: &str) -> Result<Value, ErrorAnswer> {
        self.item_mut(token).map(|item| {
            let mut json = item_json(item);
            if let Some(at) = item.created_at {
                json["created_at"] = Value::from(rfc3339(at));
            }
            json!({"item": json, "status": item_status(item)})
        })
    }

    pub(crate) fn create_item(&mut self, body: &Map<String, Value>) -> Result<Value, ErrorAnswer> {
        // An item linked for a user (by its `user_token` or `user_id`).
        let owner = users::link_owner(self, body)?;
        let institution_id = field(body, "institution_id");
        if Institution::find(institution_id).is_none() {
            return Err(ErrorAnswer::new(
                400,
                "INVALID_INPUT",
                "INVALID_INSTITUTION",
                format!("{institution_id:?} is not an institution id (ins_ followed by digits)"),
            ));
        }
        let options = body.get("options").and_then(Value::as_object);
        let webhook = options
            .and_then(|o| o.get("webhook"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let username = options
            .and_then(|o| o.get("override_username"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let products = body
            .get("initial_products")
            .and_then(Value::as_array)
            .map(|p| {
                p.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let accounts = data::default_accounts(&mut self.rng);
        let now = self.now();
        let today = now.date();
        let transactions =
            data::history(&mut self.rng, &accounts, self.transactions_per_item, today);
        let item_id = self.rng.id();
        let investment_transactions = investments::history(&item_id, &accounts, today);
        let changes = transactions
            .iter()
            .rev()
            .map(|t| Change::Added(t.transaction_id.clone()))
            .collect();
        self.items.insert(
            item_id.clone(),
            Item {
                item_id: item_id.clone(),
                institution_id: institution_id.to_owned(),
                webhook,
                products,
                accounts,
                transactions,
                changes,
                paginations: BTreeMap::new(),
                login_required: false,
                transactions_ready: true,
                investment_transactions,
                created_at: Some(now),
                transactions_updated: Some(now),
                username,
                last_webhook: None,
                accounts_encoded: None,
                item_encoded: None,
            },
        );
        let public_token = format!("public-sandbox-{}", self.rng.uuid());
        self.public_tokens.insert(
            public_token.clone(),
            (item_id.clone(), self.now() + PUBLIC_TOKEN_LIFETIME, false),
        );
        self.emit(Event::ItemLinked {
            item_id: &item_id,
            public_token: &public_token,
            owner: owner.as_deref(),
            request: body,
        });
        Ok(json!({"public_token": public_token}))
    }

    /// A public token for an existing item (Link update mode starts here);
    /// exchanging it repairs the item.
    pub(crate) fn public_token_for(&mut self, token: &str) -> Result<Value, ErrorAnswer> {
        let item_id = self.item_id_for(token)?;
        let public_token = format!("public-sandbox-{}", self.rng.uuid());
        let expires = self.now() + PUBLIC_TOKEN_LIFETIME;
        self.public_tokens
            .insert(public_token.clone(), (item_id, expires, false));
        Ok(json!({"public_token": public_token, "expiration": rfc3339(expires)}))
    }

    pub(crate) fn exchange(&mut self, public_token: &str) -> Result<Value, ErrorAnswer> {
        let now = self.now();
        let Some((item_id, expires, used)) = self.public_tokens.get_mut(public_token) else {
            return Err(errors::public_token_error(public_token));
        };
        if *used || *expires <= now {
            return Err(errors::invalid_public_token());
        }
        *used = true;
        let item_id = item_id.clone();
        let repaired = self
            .items
            .get_mut(&item_id)
            .is_some_and(|item| std::mem::replace(&mut item.login_required, false));
        if repaired {
            // Link update mode (a public token for an existing item) repairs it.
            self.webhook(
                &item_id,
                json!({"webhook_type": "ITEM", "webhook_code": "LOGIN_REPAIRED", "item_id": item_id,
                       "environment": "sandbox"}),
            );
        }
        let access_token = match self.access_token_of(&item_id) {
            Some(existing) => existing,
            None => {
                let token = format!("access-sandbox-{}", self.rng.uuid());
                self.access_tokens.insert(token.clone(), item_id.clone());
                token
            }
        };
        Ok(json!({"access_token": access_token, "item_id": item_id}))
    }

    pub(crate) fn remove_item(&mut self, token: &str) -> Result<Value, ErrorAnswer> {
        let item_id = self.item_id_for(token)?;
        let tokens: Vec<String> = self
            .access_tokens
            .iter()
            .filter(|(_, id)| **id == item_id)
            .map(|(token, _)| token.clone())
            .collect();
        self.removed_access_tokens.extend(tokens);
        self.forget_item(&item_id);
        Ok(json!({}))
    }

    /// Removes an item and every token of it.
    pub(crate) fn forget_item(&mut self, item_id: &str) {
        let item_id = item_id.to_owned();
        self.access_tokens.retain(|_, id| *id != item_id);
        self.public_tokens.retain(|_, (id, _, _)| *id != item_id);
        self.processor_tokens.retain(|_, (id, _)| *id != item_id);
        self.items.remove(&item_id);
        self.emit(Event::ItemRemoved { item_id: &item_id });
    }

    pub(crate) fn rotate(&mut self, token: &str) -> Result<Value, ErrorAnswer> {
        let item_id = self.item_id_for(token)?;
        self.access_tokens.remove(token);
        let new_token = format!("access-sandbox-{}", self.rng.uuid());
        self.access_tokens.insert(new_token.clone(), item_id);
        Ok(json!({"new_access_token": new_token}))
    }

    pub(crate) fn update_webhook(
        &mut self,
        token: &str,
        webhook: Option<&Value>,
    ) -> Result<Value, ErrorAnswer> {
        let item = self.item_mut(token)?;
        item.webhook = webhook.and_then(Value::as_str).map(str::to_owned);
        let item_json = item_json(item);
        let item_id = item.item_id.clone();
        self.webhook(
            &item_id,
            json!({"webhook_type": "ITEM", "webhook_code": "WEBHOOK_UPDATE_ACKNOWLEDGED",
                   "item_id": item_id, "new_webhook_url": webhook, "error": null, "environment": "sandbox"}),
        );
        Ok(json!({"item": item_json}))
    }

    /// `{"accounts": [...], "item": {...}}`, encoded.
    pub(crate) fn accounts(&mut self, token: &str) -> Result<Vec<u8>, ErrorAnswer> {
        let item = self.healthy_item(token)?;
        if item.accounts_encoded.is_none() {
            item.accounts_encoded = Some(encode(&accounts_json(item)));
        }
        let accounts = item.accounts_encoded.as_deref().unwrap_or(b"[]");
        let mut out = Vec::with_capacity(accounts.len() + 512);
        out.extend_from_slice(b"{\"accounts\":");
        out.extend_from_slice(accounts);
        out.extend_from_slice(b",\"item\":");
        out.extend_from_slice(item.encoded());
        out.push(b'}');
        Ok(out)
    }

    pub(crate) fn auth(&mut self, token: &str) -> Result<Value, ErrorAnswer> {
        let item = self.healthy_item(token)?;
        let ach: Vec<Value> = item
            .accounts
            .iter()
            .filter(|a| a.has_numbers())
            .enumerate()
            .map(|(i, a)| {
                json!({"account_id": a.account_id, "account": format!("111122223333{}", a.mask),
                       "routing": "011401533", "wire_routing": "021000021",
                       "is_tokenized_account_number": false, "can_transfer_in": true,
                       "can_transfer_out": i == 0})
            })
            .collect();
        Ok(
            json!({"accounts": accounts_json(item), "item": item_json(item),
                  "numbers": {"ach": ach, "eft": [], "international": [], "bacs": []}}),
        )
    }

    pub(crate) fn identity(&mut self, token: &str) -> Result<Value, ErrorAnswer> {
        let item = self.healthy_item(token)?;
        let accounts: Vec<Value> = item
            .accounts
            .iter()
            .map(|a| {
                let mut account = a.to_json();
                account["owners"] = json!([{
                    "names": ["Alberta Bobbeth Charleson"],
                    "phone_numbers": [{"data": "2025550123", "primary": false, "type": "home"}],
                    "emails": [{"data": "accountholder0@example.com", "primary": true, "type": "primary"}],
                    "addresses": [{"data": {"city": "Malakoff", "country": "US", "postal_code": "14236",
                                            "region": "NY", "street": "2992 Cameron Road"}, "primary": true}]
                }]);
                account
            })
            .collect();
        Ok(json!({"accounts": accounts, "item": item_json(item)}))
    }

    pub(crate) fn reset_login(&mut self, token: &str) -> Result<Value, ErrorAnswer> {
        let item = self.item_mut(token)?;
        item.login_required = true;
        let item_id = item.item_id.clone();
        let error = errors::item_login_required().error;
        self.webhook(
            &item_id,
            json!({"webhook_type": "ITEM", "webhook_code": "ERROR", "item_id": item_id,
                   "error": error, "environment": "sandbox"}),
        );
        Ok(json!({"reset_login": true}))
    }

    /// Repairs an item as Link update mode would.
    pub fn repair(&mut self, token: &str) -> Result<(), ErrorAnswer> {
        let item = self.item_mut(token)?;
        item.login_required = false;
        let item_id = item.item_id.clone();
        self.webhook(
            &item_id,
            json!({"webhook_type": "ITEM", "webhook_code": "LOGIN_REPAIRED", "item_id": item_id,
                   "environment": "sandbox"}),
        );
        Ok(())
    }

    pub(crate) fn fire_webhook(
        &mut self,
        token: &str,
        body: &Map<String, Value>,
    ) -> Result<Value, ErrorAnswer> {
        let item_id = self.item_id_for(token)?;
        let code = field(body, "webhook_code");
        let webhook_type = match body.get("webhook_type").and_then(Value::as_str) {
            Some(t) => t.to_owned(),
            None if matches!(
                code,
                "DEFAULT_UPDATE" | "SYNC_UPDATES_AVAILABLE" | "RECURRING_TRANSACTIONS_UPDATE"
            ) =>
            {
                "TRANSACTIONS".to_owned()
            }
            None => "ITEM".to_owned(),
        };
        let mut payload = json!({"webhook_type": webhook_type, "webhook_code": code,
                                 "item_id": item_id, "error": null, "environment": "sandbox"});
        if code == "DEFAULT_UPDATE" {
            payload["new_transactions"] = json!(0);
        }
        self.webhook(&item_id, payload);
        Ok(json!({"webhook_fired": true}))
    }
}

pub(crate) fn parse_date(body: &Map<String, Value>, name: &str) -> Result<time::Date, ErrorAnswer> {
    let text = field(body, name);
    time::Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| errors::invalid_field(format!("{name} must be a YYYY-MM-DD date, got {text:?}")))
}

/// `value` as JSON bytes (encoding a `Value` cannot fail).
fn encode(value: &impl serde::Serialize) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

pub(crate) fn accounts_json(item: &Item) -> Vec<Value> {
    item.accounts.iter().map(Account::to_json).collect()
}

/// The item as Plaid's `Item` schema. It may depend on the item's ids and
/// products, which never change, and on `webhook` and `login_required`:
/// [`Item::encoded`] caches it by those two, so a new mutable input must be
/// added to [`EncodedItem`] too.
pub(crate) fn item_json(item: &Item) -> Value {
    let error = item
        .login_required
        .then(|| errors::item_login_required().error);
    let institution = Institution::find(&item.institution_id);
    // What the institution offers that the item does not have yet.
    let available: Vec<&str> = institution
        .as_ref()
        .map(|i| i.products.clone())
        .unwrap_or_default()
        .into_iter()
        .filter(|p| !item.products.iter().any(|billed| billed == p))
        .collect();
    json!({
        "item_id": item.item_id,
        "institution_id": item.institution_id,
        "institution_name": institution.map(|i| i.name),
        "webhook": item.webhook,
        "error": error,
        "available_products": available,
        "billed_products": item.products,
        "products": item.products,
        "consented_products": item.products,
        "consent_expiration_time": null,
        "update_type": "background",
        "auth_method": null
    })
}

/// The `status` of `/item/get`: when the item's transactions (and
/// investments) were last pulled, for the products it has, and the last
/// webhook sent to it.
fn item_status(item: &Item) -> Value {
    let has = |product: &str| item.products.iter().any(|p| p == product);
    let update = |at: Option<OffsetDateTime>| json!({"last_successful_update": at.map(rfc3339), "last_failed_update": null});
    let mut status = Map::new();
    if has("transactions") {
        let pulled = item
            .transactions_updated
            .filter(|_| item.transactions_ready);
        status.insert("transactions".into(), update(pulled));
    }
    if has("investments") {
        status.insert("investments".into(), update(item.created_at));
    }
    let last_webhook = item
        .last_webhook
        .as_ref()
        .map(|(code, at)| json!({"sent_at": rfc3339(*at), "code_sent": code}));
    status.insert("last_webhook".into(), last_webhook.unwrap_or(Value::Null));
    Value::Object(status)
}
