//! Every operation once with its sample arguments, the generic engine's
//! families with objects the fake made, and the hand-written stateful
//! flows (items, transactions, institutions).

use super::*;

/// Every operation once, through its client method with sample arguments,
/// and real tokens and ids where the fake keeps state; operations of
/// `crate::support::sample_ids_refused` must refuse them with their code.
pub async fn every_operation_once(
    mock: &MockPlaid,
    map: &ValidatorMap,
    operations: &[SpecOperation],
    report: &mut Report,
) {
    // Keeps a copy of every answer, exactly as the fake sent it.
    let recorder = RecordingTransport::new(mock.clone());
    let client = mock
        .client_builder()
        .transport(recorder.clone())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let refusals = crate::support::sample_ids_refused();
    for op in operations {
        let (access_token, account_id, public_token) = crate::support::fresh_item(&client).await;
        let processor_token =
            crate::support::processor_token(&client, &access_token, &account_id).await;
        let key_id = mock.webhook_key_id();
        let overrides = move |field: &str| match field {
            "access_token" => Some(access_token.clone()),
            "processor_token" => Some(processor_token.clone()),
            "account_id" => Some(account_id.clone()),
            "public_token" => Some(public_token.clone()),
            "institution_id" => Some("ins_109508".to_owned()),
            "key_id" => Some(key_id.clone()),
            _ => None,
        };
        recorder.clear();
        // Whether the answer decodes is `every_operation`'s business; here
        // the raw answer is what counts.
        let _decoded = crate::calls::call(&client, &op.operation_id, &overrides)
            .await
            .expect("a generated call");
        let seen = exchanges(&recorder);
        assert_eq!(
            seen.len(),
            1,
            "{} {}: one request, no retries",
            op.method,
            op.path
        );
        report.operations += 1;
        match crate::support::sample_id_refusal(&refusals, &op.path) {
            Some(code) => report.error(
                map,
                "every operation, sample ids",
                Some(code),
                op.error_schema.as_deref(),
                &seen[0],
            ),
            None => report.success(map, op, "every operation", &seen[0]),
        }
    }
}

/// The generic engine's families with objects the fake made. Their gets
/// and actions refuse the sample ids `every_operation_once` sends (see
/// `crate::support::sample_ids_refused`), so their success answers are checked
/// here: for every family with a create, an object made from the create's
/// sample request, then each other verb with the id that create answered
/// (remove last). Returns how many operations were checked.
pub async fn engine_answers(
    mock: &MockPlaid,
    map: &ValidatorMap,
    operations: &[SpecOperation],
    report: &mut Report,
) -> usize {
    let op = |path: &str| operation(operations, path);
    let (token, account) = linked_account(mock, &["auth"]).await;
    // A sample request, with the item's token and account where it names them.
    let sample = |path: &str| {
        let mut body = plaid_mock::sample_request(path).expect("a sample request");
        if body.get("access_token").is_some() {
            body["access_token"] = json!(token);
        }
        if body.get("account_id").is_some() {
            body["account_id"] = account.clone();
        }
        body
    };
    let mut checked = std::collections::BTreeSet::new();
    for family in plaid_mock::resource_families() {
        let Some((_, create)) = family.verbs.iter().find(|(verb, _)| *verb == "create") else {
            continue;
        };
        let made = post(mock, create, sample(create)).await;
        report.success(map, op(create), "engine, from the sample request", &made);
        checked.insert(*create);
        if family.id_request.is_empty() {
            continue;
        }
        let made = json_of(&made);
        let object = if family.object.is_empty() {
            &made
        } else {
            &made[family.object]
        };
        let id = object[family.id_answer].clone();
        assert!(
            id.is_string(),
            "{create}: no {} in {made}",
            family.id_answer
        );
        let mut rest: Vec<(&str, &str)> = family
            .verbs
            .iter()
            .copied()
            .filter(|(verb, _)| *verb != "create")
            .collect();
        rest.sort_by_key(|(verb, _)| matches!(*verb, "remove" | "delete"));
        for (verb, path) in rest {
            let mut body = sample(path);
            if verb != "list" {
                body[family.id_request] = id.clone();
            }
            let answer = post(mock, path, body).await;
            report.success(map, op(path), "engine, the id create answered", &answer);
            checked.insert(path);
        }
    }
    checked.len()
}

/// Answers of the stateful operations in states one call does not reach:
/// sync pages and changes, pages of transactions and institutions, an item
/// with a webhook and one in error.
pub async fn stateful_answers(
    mock: &MockPlaid,
    map: &ValidatorMap,
    operations: &[SpecOperation],
    report: &mut Report,
) {
    let op = |path: &str| operation(operations, path);
    let (token, _) = mock
        .link_item("ins_109508", &["transactions"])
        .expect("an item");
    let mut cursor = String::new();
    loop {
        let page = post(
            mock,
            "/transactions/sync",
            json!({"access_token": token, "cursor": cursor, "count": 10}),
        )
        .await;
        report.success(map, op("/transactions/sync"), "a page of ten", &page);
        let page = json_of(&page);
        cursor = page["next_cursor"].as_str().expect("a cursor").to_owned();
        if page["has_more"] != Value::Bool(true) {
            break;
        }
    }
    let listed = post(
        mock,
        "/transactions/get",
        json!({"access_token": token, "start_date": "2000-01-01", "end_date": "2100-01-01",
               "options": {"count": 3, "offset": 2}}),
    )
    .await;
    report.success(map, op("/transactions/get"), "a page", &listed);
    let listed = json_of(&listed);
    let transaction = |i: usize, field: &str| {
        listed["transactions"][i][field]
            .as_str()
            .expect("a transaction")
            .to_owned()
    };
    let (modified, removed) = (
        transaction(0, "transaction_id"),
        transaction(1, "transaction_id"),
    );
    mock.add_transaction(&token, 12.5, "Coffee").unwrap();
    mock.modify_transaction(&token, &modified, 99.0).unwrap();
    mock.remove_transaction(&token, &removed).unwrap();
    let changes = post(
        mock,
        "/transactions/sync",
        json!({"access_token": token, "cursor": cursor}),
    )
    .await;
    report.success(
        map,
        op("/transactions/sync"),
        "added, modified, removed",
        &changes,
    );
    assert_eq!(
        json_of(&changes)["removed"],
        json!([{"transaction_id": removed, "account_id": transaction(1, "account_id")}]),
        "a removed transaction names its account"
    );
    let webhook = post(
        mock,
        "/item/webhook/update",
        json!({"access_token": token, "webhook": "https://example.com/hook"}),
    )
    .await;
    report.success(map, op("/item/webhook/update"), "webhook set", &webhook);
    let item = post(mock, "/item/get", json!({"access_token": token})).await;
    report.success(map, op("/item/get"), "with a webhook", &item);
    post(
        mock,
        "/sandbox/item/reset_login",
        json!({"access_token": token}),
    )
    .await;
    let broken = post(mock, "/item/get", json!({"access_token": token})).await;
    report.success(map, op("/item/get"), "item in error", &broken);
    assert_eq!(
        json_of(&broken)["item"]["error"]["error_code"],
        "ITEM_LOGIN_REQUIRED"
    );
    let institutions = post(
        mock,
        "/institutions/get",
        json!({"count": 5, "offset": 1, "country_codes": ["US"]}),
    )
    .await;
    report.success(map, op("/institutions/get"), "a page", &institutions);
    let search = post(
        mock,
        "/institutions/search",
        json!({"query": "Bank", "country_codes": ["US"]}),
    )
    .await;
    report.success(map, op("/institutions/search"), "a query", &search);
}
