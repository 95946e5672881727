//! The fake's test controls: faults, the journal, the clock, items set up
//! without Link, reset. These methods are the one implementation: the
//! control API of the HTTP server (`/_mock/…`, see `control_http`) parses
//! its JSON and calls them.

use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::{json, Map, Value};
use time::OffsetDateTime;

use crate::kernel::clock::ClockMode;
use crate::kernel::errors::ErrorAnswer;
#[allow(unused_imports)] // named in doc links
use crate::kernel::journal::RECORD_LIMIT;
use crate::kernel::journal::{DeliveryResult, RecordedRequest, WebhookDelivery};
use crate::kernel::time::rfc3339;
use crate::kernel::webhook_signing::SigningKeyRecord;
use crate::mock::faults::{FaultOutcome, FaultSpec};
use crate::mock::{lock, Controls, MockPlaid};
use crate::sandbox::State;

impl MockPlaid {
    /// Every request received so far (the last [`RECORD_LIMIT`] at most),
    /// oldest first, with the status each was answered with.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.controls).journal.requests(None)
    }

    /// The requests of one path, e.g. `/transactions/sync`.
    pub fn requests_to(&self, path: &str) -> Vec<RecordedRequest> {
        lock(&self.shared.controls).journal.requests(Some(path))
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        lock(&self.shared.controls).journal.clear();
    }

    /// Every webhook sent so far (the last [`RECORD_LIMIT`] at most).
    pub fn webhooks(&self) -> Vec<WebhookDelivery> {
        lock(&self.shared.controls).webhooks.deliveries()
    }

    /// Every webhook sent so far with what became of its POST (over HTTP;
    /// in-process nothing is POSTed and each is [`DeliveryResult::NotSent`]).
    pub fn webhook_results(&self) -> Vec<(WebhookDelivery, DeliveryResult)> {
        lock(&self.shared.controls).webhooks.with_results().to_vec()
    }

    /// Calls `sink` with every webhook from now on (the HTTP server uses this
    /// to POST them).
    pub fn on_webhook(&self, sink: impl Fn(&WebhookDelivery) + Send + Sync + 'static) {
        lock(&self.shared.controls)
            .sinks
            .push(std::sync::Arc::new(sink));
    }

    /// Notes what became of webhook `id`'s POST.
    pub(crate) fn note_delivery(&self, id: u64, result: DeliveryResult) {
        lock(&self.shared.controls).webhooks.delivered(id, result);
    }

    /// Makes the next `times` calls of `path` (`*`: any path) fail with `error`.
    pub fn fail_next(&self, path: &str, times: usize, error: ErrorAnswer) {
        self.add_fault(counted(path, times, None, FaultOutcome::Fail(error)));
    }

    /// Makes the next `times` calls of `path` wait `delay` before answering.
    pub fn delay_next(&self, path: &str, times: usize, delay: Duration) {
        self.add_fault(counted(path, times, Some(delay), FaultOutcome::Answer));
    }

    /// Makes the next `times` calls of `path` get no answer: over HTTP the
    /// connection is closed, in-process the transport fails with
    /// [`TransportErrorKind::Interrupted`](plaid_core::transport::TransportErrorKind::Interrupted).
    pub fn drop_next(&self, path: &str, times: usize) {
        self.add_fault(counted(path, times, None, FaultOutcome::Drop));
    }

    /// Makes each call of `path` fail with `error` with chance `probability`
    /// (0 to 1), until [`MockPlaid::clear_faults`]. The dice are fixed by
    /// the seed: the same calls fail on every run.
    pub fn fail_randomly(&self, path: &str, probability: f64, error: ErrorAnswer) {
        self.add_fault(FaultSpec {
            path: path.to_owned(),
            times: None,
            probability: Some(probability.clamp(0.0, 1.0)),
            latency: None,
            outcome: FaultOutcome::Fail(error),
        });
    }

    /// Adds a fault; returns its id.
    pub(crate) fn add_fault(&self, spec: FaultSpec) -> u64 {
        lock(&self.shared.controls).faults.add(spec)
    }

    /// The faults in force, as JSON (what `GET /_mock/faults` shows).
    pub(crate) fn faults_json(&self) -> Vec<Value> {
        lock(&self.shared.controls).faults.to_json()
    }

    /// Removes every injected fault.
    pub fn clear_faults(&self) {
        lock(&self.shared.controls).faults.clear();
    }

    /// The fake's clock.
    pub fn now(&self) -> OffsetDateTime {
        lock(&self.shared.state).now()
    }

    /// Moves the fake's clock (token expiry, webhook `iat`, "today" for new
    /// transactions); a negative duration moves it back.
    pub fn advance_clock(&self, by: time::Duration) {
        lock(&self.shared.state).clock.advance(by);
    }

    /// Sets the fake's clock; a clock that follows the wall clock goes on
    /// following it from there.
    pub fn set_clock(&self, to: OffsetDateTime) {
        lock(&self.shared.state).clock.set(to);
    }

    /// Stops the fake's clock where it is.
    pub fn freeze_clock(&self) {
        lock(&self.shared.state).clock.freeze();
    }

    /// Makes the fake's clock follow the wall clock (or the source given to
    /// [`MockPlaidBuilder::clock_source`](crate::MockPlaidBuilder::clock_source)),
    /// with no offset.
    pub fn follow_wall_clock(&self) {
        lock(&self.shared.state).clock.follow();
    }

    /// The clock as JSON (what `GET /_mock/clock` shows).
    pub(crate) fn clock_json(&self) -> Value {
        let state = lock(&self.shared.state);
        let now = rfc3339(state.now());
        match state.clock.mode() {
            ClockMode::Frozen { .. } => json!({"now": now, "mode": "frozen"}),
            ClockMode::Following { offset_seconds } => {
                json!({"now": now, "mode": "following_wall_clock", "offset_seconds": offset_seconds})
            }
        }
    }

    /// The `kid` of the key that signs this fake's webhooks now.
    pub fn webhook_key_id(&self) -> String {
        self.current_signer().key_id().to_owned()
    }

    /// Retires the current webhook signing key (its `expired_at` becomes
    /// now) and signs from now on with a new one.
    pub fn retire_webhook_key(&self) {
        let now = self.now().unix_timestamp();
        let mut keys = lock(&self.shared.keys);
        let seed = self.shared.seed.load(Ordering::Relaxed);
        let next_seed = seed.wrapping_add(keys.len() as u64);
        if let Some(current) = keys.last_mut() {
            current.expired_at = Some(now);
        }
        keys.push(SigningKeyRecord::new(next_seed, now, None));
    }

    /// Forgets everything: items, tokens, the journal, webhooks, faults and
    /// retired keys; the clock goes back to how it was built. With `seed`,
    /// the fake starts over from that seed instead of its own.
    pub fn reset(&self, seed: Option<u64>) {
        let seed = seed.unwrap_or_else(|| self.shared.seed.load(Ordering::Relaxed));
        self.shared.seed.store(seed, Ordering::Relaxed);
        let mut state = State::new(
            seed,
            self.shared.transactions_per_item,
            OffsetDateTime::UNIX_EPOCH,
        );
        state.clock = self.shared.start_clock.clone();
        let created_at = state.now().unix_timestamp();
        *lock(&self.shared.keys) = vec![SigningKeyRecord::new(seed, created_at, None)];
        state.webhook_keys = self.shared.keys.clone();
        crate::router::prepare(&mut state);
        *lock(&self.shared.state) = state;
        let mut controls = lock(&self.shared.controls);
        let sinks = std::mem::take(&mut controls.sinks);
        *controls = Controls::new(seed);
        controls.sinks = sinks;
        self.shared.request_count.store(0, Ordering::Relaxed);
    }

    /// The item id behind a working access token.
    pub fn item_id(&self, access_token: &str) -> Option<String> {
        lock(&self.shared.state).item_id_for(access_token).ok()
    }

    /// Links a sandbox item directly (what `/sandbox/public_token/create`
    /// followed by `/item/public_token/exchange` does), for test set-up.
    /// Returns `(access_token, item_id)`.
    pub fn link_item(
        &self,
        institution_id: &str,
        products: &[&str],
    ) -> Result<(String, String), ErrorAnswer> {
        self.link_item_with_webhook(institution_id, products, None)
    }

    /// A processor token for the account `account_id` of the item behind
    /// `access_token` (what `/processor/token/create` makes), for test
    /// set-up of a partner's reads.
    ///
    /// ```
    /// let mock = plaid_mock::MockPlaid::new();
    /// let (token, _) = mock.link_item("ins_109508", &["auth"]).unwrap();
    /// let account = mock.account_ids(&token).unwrap().remove(0);
    /// let processor = mock.processor_token(&token, &account).unwrap();
    /// assert!(processor.starts_with("processor-sandbox-"));
    /// ```
    pub fn processor_token(
        &self,
        access_token: &str,
        account_id: &str,
    ) -> Result<String, ErrorAnswer> {
        crate::products::processor_token(&mut lock(&self.shared.state), access_token, account_id)
    }

    /// The ids of the accounts of the item behind a working access token.
    pub fn account_ids(&self, access_token: &str) -> Result<Vec<String>, ErrorAnswer> {
        let mut state = lock(&self.shared.state);
        let item = state.healthy_item(access_token)?;
        Ok(item.accounts.iter().map(|a| a.account_id.clone()).collect())
    }

    /// [`MockPlaid::link_item`] for an item whose webhooks go to `webhook`.
    pub fn link_item_with_webhook(
        &self,
        institution_id: &str,
        products: &[&str],
        webhook: Option<&str>,
    ) -> Result<(String, String), ErrorAnswer> {
        let mut state = lock(&self.shared.state);
        let mut body = Map::new();
        body.insert("institution_id".into(), Value::from(institution_id));
        body.insert("initial_products".into(), Value::from(products.to_vec()));
        if let Some(url) = webhook {
            body.insert("options".into(), json!({ "webhook": url }));
        }
        let created = state.create_item(&body)?;
        let exchanged = state.exchange(created["public_token"].as_str().unwrap_or_default())?;
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        Ok((
            text(&exchanged["access_token"]),
            text(&exchanged["item_id"]),
        ))
    }

    /// Adds a transaction dated today; a following `/transactions/sync` sees
    /// it in `added`. A credit (negative amount) to an item of a user
    /// subscribed to income webhooks (`/credit/bank_income/webhook/update`)
    /// also sends `BANK_INCOME_REFRESH_UPDATE`. Returns its id.
    pub fn add_transaction(
        &self,
        access_token: &str,
        amount: f64,
        name: &str,
    ) -> Result<String, ErrorAnswer> {
        let mut state = lock(&self.shared.state);
        let id = state.add_transaction(access_token, amount, name)?;
        if amount < 0.0 {
            if let Ok(item_id) = state.item_id_for(access_token) {
                crate::products::income_changed(&mut state, &item_id);
            }
        }
        Ok(id)
    }

    /// Changes a transaction's amount; a following sync sees it in `modified`.
    pub fn modify_transaction(
        &self,
        access_token: &str,
        transaction_id: &str,
        amount: f64,
    ) -> Result<(), ErrorAnswer> {
        lock(&self.shared.state).modify_transaction(access_token, transaction_id, amount)
    }

    /// Removes a transaction; a following sync sees it in `removed`.
    pub fn remove_transaction(
        &self,
        access_token: &str,
        transaction_id: &str,
    ) -> Result<(), ErrorAnswer> {
        lock(&self.shared.state).remove_transaction(access_token, transaction_id)
    }

    /// Transaction calls answer `PRODUCT_NOT_READY` until set back to `true`.
    pub fn set_transactions_ready(
        &self,
        access_token: &str,
        ready: bool,
    ) -> Result<(), ErrorAnswer> {
        lock(&self.shared.state).set_transactions_ready(access_token, ready)
    }

    /// Puts an item in `ITEM_LOGIN_REQUIRED`, as
    /// `/sandbox/item/reset_login` does (with its `ERROR` webhook).
    pub fn reset_login(&self, access_token: &str) -> Result<(), ErrorAnswer> {
        let result = lock(&self.shared.state).reset_login(access_token).map(drop);
        self.flush_webhooks();
        result
    }

    /// Authorises a payment consent (`UNAUTHORISED` → `AUTHORISED`), what
    /// the user approving it in Link does in Plaid's sandbox; afterwards
    /// `/payment_initiation/consent/payment/execute` takes payments on it.
    /// Unknown ids and revoked, rejected or expired consents are refused
    /// (`INVALID_FIELD`). Answers the consent as `/payment_initiation/consent/get` would.
    pub fn authorise_consent(&self, consent_id: &str) -> Result<Value, ErrorAnswer> {
        let result = crate::products::authorise_consent(&mut lock(&self.shared.state), consent_id);
        self.flush_webhooks();
        result
    }

    /// Rejects a payment consent (`UNAUTHORISED` → `REJECTED`), what the
    /// user declining it in Link does: it then takes no payments. Consents
    /// already authorised, revoked or expired are refused (`INVALID_FIELD`).
    /// Answers the consent as `/payment_initiation/consent/get` would.
    pub fn reject_consent(&self, consent_id: &str) -> Result<Value, ErrorAnswer> {
        let result = crate::products::reject_consent(&mut lock(&self.shared.state), consent_id);
        self.flush_webhooks();
        result
    }

    /// The end user finishes Link on `link_token` (from `/link/token/create`)
    /// at `institution_id` (`None`: `ins_109508`): an item is linked with
    /// the token's products and webhook, for the token's `user_token` when
    /// it has one, with Bank, Payroll or Document Income as its
    /// `income_verification` options ask. Afterwards `/link/token/get`
    /// lists the session in `link_sessions` and, for a user,
    /// `/credit/sessions/get` lists it too. Answers
    /// `{"public_token", "link_session_id", "item_id"}` (exchange the
    /// public token as after Link). A token made with an `access_token`
    /// (update mode) repairs that item instead of linking a new one; a
    /// token made with `hosted_link` sends its `SESSION_FINISHED` webhook.
    /// An unknown or expired token is refused with `INVALID_LINK_TOKEN`.
    pub fn complete_link(
        &self,
        link_token: &str,
        institution_id: Option<&str>,
    ) -> Result<Value, ErrorAnswer> {
        let result = crate::products::complete_link(
            &mut lock(&self.shared.state),
            link_token,
            institution_id,
        );
        self.flush_webhooks();
        result
    }

    /// Repairs an item after `/sandbox/item/reset_login`, as Link update mode
    /// would (exchanging a new public token for the item does the same).
    pub fn repair_item(&self, access_token: &str) -> Result<(), ErrorAnswer> {
        let result = lock(&self.shared.state).repair(access_token);
        self.flush_webhooks();
        result
    }
}

fn counted(
    path: &str,
    times: usize,
    latency: Option<Duration>,
    outcome: FaultOutcome,
) -> FaultSpec {
    FaultSpec {
        path: path.to_owned(),
        times: Some(times as u64),
        probability: None,
        latency,
        outcome,
    }
}
