//! The largest response types, decoded as the client decodes them, from
//! arbitrary bytes and from mutations of real answers.

use super::*;

/// Every field named [`UNKNOWN_PREFIX`]… in `value`, with its path.
pub fn unknown_fields(value: &Value, path: &mut Vec<Seg>, out: &mut Vec<(Vec<Seg>, Value)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                path.push(Seg::Key(key.clone()));
                if key.starts_with(UNKNOWN_PREFIX) {
                    out.push((path.clone(), child.clone()));
                }
                unknown_fields(child, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                unknown_fields(child, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Decodes `body` as the client does. Whatever the bytes, it does not
/// panic and gives a value or a `DecodeFailure`; a value
/// re-encodes, decodes again to an equal value, and keeps every unknown
/// field it was sent.
pub fn check_decoder<T>(body: &[u8]) -> Result<(), TestCaseError>
where
    T: FromResponseBody + Serialize + PartialEq + Debug,
{
    let value = match T::from_response_body(&Bytes::copy_from_slice(body)) {
        Ok(value) => value,
        Err(failure) => {
            // The path may be empty (a field named ""); the message never is.
            prop_assert!(!failure.source.to_string().is_empty());
            return Ok(());
        }
    };
    let encoded = serde_json::to_vec(&value)
        .map_err(|e| TestCaseError::fail(format!("a decoded value does not encode again: {e}")))?;
    let again = T::from_response_body(&Bytes::from(encoded.clone())).map_err(|f| {
        TestCaseError::fail(format!(
            "a re-encoded value does not decode at {}: {}",
            f.path, f.source
        ))
    })?;
    prop_assert_eq!(&again, &value);

    let sent: Value = serde_json::from_slice(body)
        .map_err(|e| TestCaseError::fail(format!("decoded, yet not JSON: {e}")))?;
    let written: Value = serde_json::from_slice(&encoded).unwrap();
    let mut unknown = Vec::new();
    unknown_fields(&sent, &mut Vec::new(), &mut unknown);
    for (path, field) in unknown {
        prop_assert_eq!(
            node(&written, &path),
            Some(&field),
            "unknown field at {:?} lost",
            path
        );
    }
    Ok(())
}

#[test]
fn transactions_get_response_survives_hostile_bodies() {
    let seed = seeds().transactions_get.clone();
    check_decoder::<TransactionsGetResponse>(&serde_json::to_vec(&seed).unwrap()).unwrap();
    run("TransactionsGetResponse", response_bodies(seed), |body| {
        check_decoder::<TransactionsGetResponse>(&body.0)
    });
}

#[test]
fn transactions_sync_response_survives_hostile_bodies() {
    let seed = seeds().transactions_sync.clone();
    run("TransactionsSyncResponse", response_bodies(seed), |body| {
        check_decoder::<TransactionsSyncResponse>(&body.0)
    });
}

#[test]
fn accounts_get_response_survives_hostile_bodies() {
    let seed = seeds().accounts_get.clone();
    run("AccountsGetResponse", response_bodies(seed), |body| {
        check_decoder::<AccountsGetResponse>(&body.0)
    });
}

#[test]
fn auth_get_response_survives_hostile_bodies() {
    let seed = seeds().auth_get.clone();
    run("AuthGetResponse", response_bodies(seed), |body| {
        check_decoder::<AuthGetResponse>(&body.0)
    });
}

#[test]
fn item_get_response_survives_hostile_bodies() {
    let seed = seeds().item_get.clone();
    run("ItemGetResponse", response_bodies(seed), |body| {
        check_decoder::<ItemGetResponse>(&body.0)
    });
}

/// The enriched real answers decode into their types with nothing left
/// over, so the mutations start from documents the types fully understand.
#[test]
fn the_seeds_decode_and_every_field_is_known() {
    fn known<T: FromResponseBody + Serialize + Debug>(doc: &Value, extra: impl Fn(&T) -> usize) {
        let value = T::from_response_body(&Bytes::from(serde_json::to_vec(doc).unwrap()))
            .unwrap_or_else(|f| panic!("{}: {}", f.path, f.source));
        assert_eq!(extra(&value), 0, "{value:?}");
    }
    let s = seeds();
    known::<TransactionsGetResponse>(&s.transactions_get, |v| {
        v.extra.len()
            + v.transactions.iter().map(|t| t.extra.len()).sum::<usize>()
            + v.item.extra.len()
            + v.accounts.iter().map(|a| a.extra.len()).sum::<usize>()
    });
    known::<TransactionsSyncResponse>(&s.transactions_sync, |v| {
        v.extra.len() + v.added.iter().map(|t| t.extra.len()).sum::<usize>()
    });
    known::<AccountsGetResponse>(&s.accounts_get, |v| v.extra.len() + v.item.extra.len());
    known::<AuthGetResponse>(&s.auth_get, |v| v.extra.len() + v.numbers.extra.len());
    known::<ItemGetResponse>(&s.item_get, |v| v.extra.len() + v.item.extra.len());
    let item =
        ItemGetResponse::from_response_body(&Bytes::from(serde_json::to_vec(&s.item_get).unwrap()))
            .unwrap();
    assert_eq!(
        item.item.error.as_ref().map(|e| e.error_code.as_str()),
        Some("ITEM_LOGIN_REQUIRED")
    );
    assert!(item.status.and_then(|s| s.transactions).is_some());
}

/// serde_json's default float parser may round a long decimal to a
/// neighbouring f64, so an amount could change on its way through the
/// client and differ again after being written and read back. plaid-core
/// turns on serde_json's `float_roundtrip`; this input (found by
/// `item_get_response_survives_hostile_bodies`) shows the difference.
#[test]
fn long_decimals_decode_to_the_nearest_f64_and_survive_a_round_trip() {
    let body = br#"{"accounts":[{"balances":{"current":1.7105914567755405e-202,"available":0.30000000000000004,"limit":8.98846567431158e307}}],"item":{},"request_id":"r"}"#;
    let answer = AccountsGetResponse::from_response_body(&Bytes::from_static(body)).unwrap();
    let balances = &answer.accounts[0].balances;
    assert_eq!(balances.current, Some(1.7105914567755405e-202));
    assert_eq!(balances.available, Some(0.30000000000000004));
    assert_eq!(balances.limit, Some(8.98846567431158e307));
    check_decoder::<AccountsGetResponse>(body).unwrap();
}
