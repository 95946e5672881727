//! Which misuse gives which error: the fake answers each the way Plaid's
//! sandbox does (Plaid's error reference at <https://plaid.com/docs/errors/>
//! lists the codes; the wording of messages here is the fake's own).
//!
//! Every error body is a `PlaidError` with a `request_id`.
//!
//! | Misuse | HTTP | `error_type` | `error_code` |
//! | --- | --- | --- | --- |
//! | wrong or missing `client_id`/`secret` | 400 | `INVALID_INPUT` | `INVALID_API_KEYS` |
//! | a required field missing or `null` | 400 | `INVALID_REQUEST` | `MISSING_FIELDS` |
//! | a field the operation does not know | 400 | `INVALID_REQUEST` | `UNKNOWN_FIELDS` |
//! | a field of the wrong JSON type, a bad date, a count out of range | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | a body that is not a JSON object, or not `application/json` | 400 | `INVALID_REQUEST` | `INVALID_BODY` |
//! | an unknown `Plaid-Version` | 400 | `INVALID_REQUEST` | `INVALID_HEADERS` |
//! | a path that is no Plaid operation | 404 | `INVALID_REQUEST` | `NOT_FOUND` |
//! | an access token never issued or rotated away (`/item/access_token/invalidate`); one of an item removed with `/item/remove` is 400 `ITEM_ERROR` `ITEM_NOT_FOUND` | 400 | `INVALID_INPUT` | `INVALID_ACCESS_TOKEN` |
//! | a token of another kind where an access token goes (a public, link or processor token) | 400 | `INVALID_INPUT` | `INVALID_ACCESS_TOKEN`, the message naming the kind sent |
//! | a public token unknown, expired (30 minutes) or already exchanged | 400 | `INVALID_INPUT` | `INVALID_PUBLIC_TOKEN` |
//! | a token of another kind where a public token goes (a link or access token) | 400 | `INVALID_INPUT` | `INVALID_PUBLIC_TOKEN`, the message naming the kind sent |
//! | a processor token never issued, of a removed item, or a token of another kind (the message names it) on a `/processor/…` read | 400 | `INVALID_INPUT` | `INVALID_PROCESSOR_TOKEN` |
//! | an institution id the sandbox does not have | 400 | `INVALID_INPUT` | `INVALID_INSTITUTION` |
//! | an `account_id` that is not the item's | 400 | `INVALID_INPUT` | `INVALID_ACCOUNT_ID` |
//! | a product call on an item after `/sandbox/item/reset_login` | 400 | `ITEM_ERROR` | `ITEM_LOGIN_REQUIRED` |
//! | transactions asked for before the first pull is done | 400 | `ITEM_ERROR` | `PRODUCT_NOT_READY` |
//! | a sync page asked for after the data changed mid-pagination | 400 | `TRANSACTIONS_ERROR` | `TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION` |
//! | an unknown webhook verification `key_id` | 400 | `INVALID_INPUT` | `INVALID_WEBHOOK_VERIFICATION_KEY_ID` |
//! | an `identity_verification_id` never created | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | `/identity_verification/retry` for a user and template with no verification, `infer` on a verification still `active`, `steps` without the `custom` strategy (or `custom` without `steps`) | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | a `cursor` no list call handed out | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | Investments or Liabilities for an item whose institution does not offer them (the UK ones) | 400 | `ITEM_ERROR` | `PRODUCTS_NOT_SUPPORTED` |
//! | `/investments/transactions/get` with `start_date` after `end_date` | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | `/asset_report/create` for an item linked without the `assets` product | 400 | `ASSET_REPORT_ERROR` | `PRODUCT_NOT_ENABLED` |
//! | an Asset Report (or its PDF, or an audit copy of it) read within 5 seconds of the fake's clock after it was made | 400 | `ASSET_REPORT_ERROR` | `PRODUCT_NOT_READY` |
//! | a `watchlist_screening_id` (or `entity_watchlist_screening_id`) never created, or of the other kind | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | a watchlist review naming a hit the screening does not have, or a hit both confirmed and dismissed | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | a watchlist screening update changing `search_terms` and `status` at once | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | `/statements/download` with a `statement_id` that `/statements/list` does not give for the item | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | `/statements/refresh` with `start_date` after `end_date` | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | an `asset_report_token` or `audit_copy_token` never issued or removed (removing a report removes its audit copies; removing an item does not remove its reports) | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | a `recipient_id` never created, on `/payment_initiation/payment/create` or `/payment_initiation/consent/create` | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | a `consent_id` never created, on consent get, revoke or payment execute | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | a consent payment executed on a consent that is not `AUTHORISED` (not yet authorised, revoked, rejected, or expired past `valid_date_time.to`) or before `valid_date_time.from` | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | a consent payment above `max_payment_amount`, one taking the current period past a `periodic_amounts` limit, or in another currency than the consent's | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | a `user_token` or `user_id` never issued or of a removed user (`/user/…`, `/credit/…`, `/sandbox/public_token/create`, a completed link token's `user_token`) | 400 | `INVALID_REQUEST` | `INVALID_FIELD`, the message naming the field |
//! | a user operation naming neither `user_token` nor `user_id` | 400 | `INVALID_REQUEST` | `MISSING_FIELDS` |
//! | `/user/create` with a `client_user_id` that already has a user | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | `/user/items/associate` or `/user/items/remove` naming an item that does not exist, or (remove) an item of another user | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | Bank Income (`get`, `pdf/get`, `refresh`) for a user no item was linked for yet | 400 | `INCOME_VERIFICATION_ERROR` | `INCOME_VERIFICATION_NOT_FOUND` |
//! | a `ledger_id` (or `from_ledger_id`/`to_ledger_id`) other than the default ledger's, or `/transfer/ledger/distribute` between one ledger and itself | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | a ledger `sweep_id` never made, or a deposit's id on the withdrawal simulation (and the other way round) | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | a ledger sweep simulation its status does not allow (`pending` takes `posted`/`failed`, `posted` takes `settled`/`returned`, `settled` takes `returned`) | 400 | `SANDBOX_ERROR` | `SANDBOX_TRANSFER_EVENT_TRANSITION_INVALID` |
//! | `/transfer/authorization/cancel` on an authorization a transfer was made from or already cancelled, or a transfer made from a cancelled one | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | a refund of a transfer never made or of a credit, or for more than is left of the transfer; a `refund_id` never made | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | `/transfer/refund/cancel` on a refund no longer pending | 400 | `TRANSFER_ERROR` | `TRANSFER_NOT_CANCELLABLE` |
//! | a refund simulation its status does not allow, or `refund.posted` before the refunded transfer settled | 400 | `SANDBOX_ERROR` | `SANDBOX_TRANSFER_EVENT_TRANSITION_INVALID` |
//! | a consent authorised or rejected through the control API after the user already decided (rejected, authorised, revoked or expired) | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | a `wallet_id` never made, a wallet `transaction_id` never made, or a transaction list `cursor` the list never gave | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | a wallet payout in another currency than the wallet's, or of no positive amount | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | a wallet payout above the wallet's available balance | 400 | `TRANSACTION_ERROR` | `TRANSACTION_INSUFFICIENT_FUNDS` |
//! | a processor partner read of a product the client took off the token with `/processor/token/permissions/set` | 400 | `INVALID_INPUT` | `INVALID_PRODUCT` |
//! | a `beacon_user_id`, `beacon_report_id`, `beacon_report_syndication_id` or `beacon_duplicate_id` never made | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | `/beacon/user/create` whose `user` has neither `date_of_birth` nor `depository_accounts` | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | `/beacon/report/create` for a Beacon user that already has a report (one at a time) | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | `/beacon/user/review` to `rejected` for a user with no report, or to `cleared` for a user with one | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | `/beacon/user/account_insights/get` with an access token whose item is not linked to the Beacon user | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | `/beacon/account_risk/v1/evaluate` without an `access_token` | 400 | `INVALID_REQUEST` | `MISSING_FIELDS` |
//! | `/user/third_party_token/create` with an `expiration_time` past 24 hours from now (or not after now); `/user/third_party_token/remove` of a token never made, removed or expired | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | `/payment_initiation/payment/token/create` for a `payment_id` never made | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | `/identity_verification/autofill/create` for an `identity_verification_id` never made | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | `/payment_initiation/payment/reverse` on a payment that is not settled, was not paid into a virtual account, or for more than is left to refund | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | `/identity/match` with an `options.account_ids` entry, or `/transactions/recurring/get` with an `account_ids` entry, that is not the item's | 400 | `INVALID_INPUT` | `INVALID_ACCOUNT_ID` |
//! | `/transactions/recurring/get` before the item's transactions are ready | 400 | `ITEM_ERROR` | `PRODUCT_NOT_READY` |
//! | `/sandbox/transactions/create` on an item not linked with the `user_transactions_dynamic` test user | 400 | `INVALID_REQUEST` | `INVALID_FIELD`, the message naming `access_token` |
//! | `/sandbox/transactions/create` with no or more than 10 transactions, or a `date_transacted`/`date_posted` in the future or more than 14 days back | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | `/signal/decision/report` or `/signal/return/report` (or their `/processor/…` forms) with a `client_transaction_id` no `/signal/evaluate` used, whose item was removed, or (processor) of another account than the token's | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | `/signal/schedule` with an `amount` not above 0 | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | `/sandbox/item/set_verification_status` with a status other than `automatically_verified`/`verification_expired`, or for an account not `pending_automatic_verification` (every account the fake links is verified already) | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | `/investments/auth/get` or `/identity/documents/uploads/get` with an `options.account_ids` entry that is not the item's | 400 | `INVALID_INPUT` | `INVALID_ACCOUNT_ID` |
//! | an access token of an item ended by `/item/products/terminate` | 400 | `INVALID_INPUT` | `INVALID_ACCESS_TOKEN` |
//! | `/sandbox/user/reset_login` with an `item_ids` entry that is not one of the user's items | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | a Consumer Report `…/get` (or its PDFs) within 5 seconds of the fake's clock after `/cra/check_report/create`, or for a user no report was asked for | 400 | `CONSUMER_REPORT_ERROR` | `PRODUCT_NOT_READY` |
//! | a Consumer Report `…/get` (or its PDFs) 24 hours or more after it was made | 400 | `CONSUMER_REPORT_ERROR` | `CONSUMER_REPORT_EXPIRED` |
//! | a Consumer Report `…/get` (or its PDFs) of a user who had no live items when the report was made, or one of whose items needed its login repaired (`/sandbox/item/reset_login`) | 400 | `CHECK_REPORT_ERROR` | `DATA_UNAVAILABLE` |
//! | `/cra/monitoring_insights/get` or `/sandbox/cra/cashflow_updates/update` for a user with no subscription (never subscribed, or unsubscribed); `/cra/monitoring_insights/subscribe` naming an `item_id` that is not the user's; `/cra/monitoring_insights/unsubscribe` with a `subscription_id` never issued or already ended | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | `/cra/loans/register` with a `loan_id` already registered, or any loan or application whose `user_token` names no user; `/cra/loans/update` or `/cra/loans/unregister` with a `loan_id` never registered or already unregistered (the whole batch is refused) | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | `/cra/loans/update` or `/cra/loans/unregister` with a loan lacking `loan_id` | 400 | `INVALID_REQUEST` | `MISSING_FIELDS` |
//! | `/cashflow_report/…` with `days_requested` outside 1..=730, `count` outside 1..=500, a `cursor` the report never handed out (a refresh voids the old ones), or an `options.account_ids` entry that is not the item's | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | Bank Income (`get`, `pdf/get`, `refresh`) or Bank Employment (`/beta/credit/v1/bank_employment/get`) for a user no item with Bank Income was linked for yet | 400 | `INCOME_VERIFICATION_ERROR` | `INCOME_VERIFICATION_NOT_FOUND` |
//! | Payroll Income, Employment, risk signals, parsing config or bank statement uploads (`/credit/payroll_income/…`, `/credit/employment/get`, `/credit/bank_statements/uploads/get`) for a user with no finished payroll or document Link session | 400 | `INCOME_VERIFICATION_ERROR` | `INCOME_VERIFICATION_NOT_FOUND` |
//! | `options.item_ids` (or `item_id`) of a payroll call naming an item that is not one of the user's payroll items | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | `/income/verification/paystubs/get`, `taxforms/get`, `documents/download` with an `income_verification_id` never created, or for a verification or item with no payroll data; `/employment/verification/get` for an item with no payroll data | 400 | `INCOME_VERIFICATION_ERROR` | `INCOME_VERIFICATION_NOT_FOUND` |
//! | those reads naming neither `income_verification_id` nor `access_token` | 400 | `INVALID_REQUEST` | `MISSING_FIELDS` |
//! | `/income/verification/documents/download` with a `document_id` the verification does not have | 400 | `INCOME_VERIFICATION_ERROR` | `INCOME_VERIFICATION_DOCUMENT_NOT_FOUND` |
//! | `/income/verification/create` with a `precheck_id` no precheck handed out | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | `/sandbox/income/fire_webhook` for an item that does not exist (or a `user_id` never issued); `/sandbox/bank_income/fire_webhook` for a `webhook_fields.user_id` never issued; either with a webhook code it does not fire | 400 | `INVALID_REQUEST` | `INVALID_FIELD` |
//! | `MockPlaid::complete_link` / `POST /_mock/link/complete` on a link token that is unknown or expired | 400 | `INVALID_INPUT` | `INVALID_LINK_TOKEN` |
//!
//! Plaid's error reference names no dedicated code for an unknown
//! Identity Verification id; the fake answers it as an invalid field value,
//! the code Plaid documents for a field whose value it cannot use. The
//! same goes for payment consents: no code in the Payment errors reference
//! covers an unknown, unusable or exceeded consent, so those are invalid
//! field values too.
//!
//! Plaid's Income errors reference gives `INCOME_VERIFICATION_NOT_FOUND`
//! for income data asked for before Link was finished with Income, and
//! `INCOME_VERIFICATION_DOCUMENT_NOT_FOUND` for a document it does not
//! have; it names no code for an item id outside the user's, an unknown
//! precheck id or a sandbox webhook naming an item or user that does not
//! exist, so those are invalid field values.
//!
//! Plaid documents that a second `/user/create` for the same
//! `client_user_id` fails, but not with which code, and names no code for an
//! unknown user token; the fake answers both as an invalid field value.
//!
//! Plaid documents that `/sandbox/transactions/create` works only for
//! items of the `user_transactions_dynamic` test user, at most ten
//! transactions a call, dated today or up to 14 days back, but names no
//! error code for breaking those rules; the fake answers them as invalid
//! field values.
//!
//! Plaid requires a Signal report's `client_transaction_id` to be that of
//! an earlier `/signal/evaluate` and documents no code for one that is
//! not; nor does it name one for `/sandbox/item/set_verification_status`
//! on an account that is not waiting for micro-deposits. The fake answers
//! both as invalid field values.
//!
//! Plaid Check documents `PRODUCT_NOT_READY` for a report read before it is
//! made; for a user no report was ever asked for it documents nothing, and
//! the fake gives the same answer (the report is not there to be read).
//! Plaid documents no code for monitoring subscriptions, registered loans or
//! Cash Flow Report cursors either: those refusals are invalid field values
//! naming the field.
