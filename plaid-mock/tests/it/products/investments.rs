//! Investments and Liabilities answer from the item's own accounts: the
//! ids `/accounts/get` returns, `account_ids` honoured, holdings and
//! securities that agree, investment transactions in the date range and
//! paged by count/offset.

use crate::support;
use crate::support::scenarios;

use std::collections::BTreeSet;

use crate::support::{code, Linked};
use plaid_core::Client;
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

/// The item's accounts as `/accounts/get` gives them.
async fn accounts(client: &Client, linked: &Linked) -> Vec<Value> {
    client
        .send_raw(
            "/accounts/get",
            json!({"access_token": linked.access_token}),
        )
        .await
        .expect("accounts")["accounts"]
        .as_array()
        .expect("a list")
        .clone()
}

fn ids(list: &Value, field: &str) -> BTreeSet<String> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|v| v[field].as_str().expect("an id").to_owned())
        .collect()
}

fn account_of<'a>(accounts: &'a [Value], subtype: &str) -> &'a Value {
    accounts
        .iter()
        .find(|a| a["subtype"] == subtype)
        .unwrap_or_else(|| panic!("no {subtype} account"))
}

async fn investment_transactions(client: &Client, body: Value) -> Result<Value, plaid_core::Error> {
    client.send_raw("/investments/transactions/get", body).await
}

/// `/investments/auth/get`: the holdings of `/investments/holdings/get`,
/// the owners `/identity/get` names, ACATS numbers for investment
/// accounts; `/investments/refresh` works on an item that has
/// investments; the processor endpoint answers for its account.
async fn investments_auth_scenario(client: &Client) {
    let linked = support::link(client, "ins_109508").await;
    let accounts = accounts(client, &linked).await;
    let ira = account_of(&accounts, "ira")["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = json!({"access_token": linked.access_token});
    let auth = client
        .send_raw("/investments/auth/get", body.clone())
        .await
        .expect("investments auth");
    let holdings = client
        .send_raw("/investments/holdings/get", body.clone())
        .await
        .expect("holdings");
    assert_eq!(auth["holdings"], holdings["holdings"]);
    assert_eq!(auth["securities"], holdings["securities"]);
    let acats = auth["numbers"]["acats"].as_array().expect("ACATS numbers");
    let numbered = ids(&auth["numbers"]["acats"], "account_id");
    let investment: BTreeSet<String> = accounts
        .iter()
        .filter(|a| a["type"] == "investment")
        .map(|a| a["account_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(numbered, investment);
    assert!(acats
        .iter()
        .all(|n| n["account"].as_str().unwrap().starts_with("TR")));
    let identity = client
        .send_raw("/identity/get", body.clone())
        .await
        .expect("identity");
    let owner = &auth["owners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["account_id"] == ira.as_str())
        .expect("the IRA's owners")["names"];
    let ira_identity = identity["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["account_id"] == ira.as_str())
        .unwrap();
    assert_eq!(*owner, ira_identity["owners"][0]["names"]);
    let unknown = client
        .send_raw(
            "/investments/auth/get",
            json!({"access_token": linked.access_token, "options": {"account_ids": ["nope"]}}),
        )
        .await;
    assert_eq!(code(unknown, "unknown account"), "INVALID_ACCOUNT_ID");

    client
        .send_raw("/investments/refresh", body.clone())
        .await
        .expect("refreshed");
    let uk = support::link(client, "ins_117650").await;
    let refused = client
        .send_raw(
            "/investments/refresh",
            json!({"access_token": uk.access_token}),
        )
        .await;
    assert_eq!(code(refused, "a UK bank"), "PRODUCTS_NOT_SUPPORTED");

    let processor = support::processor_token(client, &linked.access_token, &ira).await;
    let partner = client
        .send_raw(
            "/processor/investments/auth/get",
            json!({ "processor_token": processor }),
        )
        .await
        .expect("the partner's view");
    assert_eq!(partner["account"]["account_id"], ira.as_str());
    assert!(partner["holdings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["account_id"] == ira.as_str()));
}

scenarios! {
    investments_auth(MockPlaid::builder().seed(9).build()) |fake| {
        investments_auth_scenario(fake.client()).await
    }
    the_test_user_has_investment_and_loan_accounts(MockPlaid::builder().seed(3).build()) in_process |fake| {
        let client = fake.client().clone();
        let linked = support::link(&client, "ins_109508").await;
        let accounts = accounts(&client, &linked).await;
        let masks: Vec<&str> = accounts
            .iter()
            .map(|a| a["mask"].as_str().unwrap())
            .collect();
        assert_eq!(
            masks,
            ["0000", "1111", "2222", "3333", "4444", "5555", "6666", "7777", "8888"]
        );
        assert_eq!(account_of(&accounts, "ira")["type"], "investment");
        assert_eq!(account_of(&accounts, "401k")["type"], "investment");
        assert_eq!(account_of(&accounts, "student")["type"], "loan");
        assert_eq!(account_of(&accounts, "mortgage")["type"], "loan");
    }
    holdings_belong_to_the_items_investment_accounts_and_name_the_securities_sent(MockPlaid::builder().seed(4).build()) in_process |fake| {
        let client = fake.client().clone();
        let linked = support::link(&client, "ins_109508").await;
        let accounts = accounts(&client, &linked).await;
        let answer = client
            .send_raw(
                "/investments/holdings/get",
                json!({"access_token": linked.access_token}),
            )
            .await
            .expect("holdings");
        assert_eq!(
            ids(&answer["accounts"], "account_id"),
            ids(&Value::Array(accounts.clone()), "account_id")
        );
        let holdings = answer["holdings"].as_array().expect("holdings");
        assert!(!holdings.is_empty());
        for subtype in ["ira", "401k"] {
            let account = account_of(&accounts, subtype);
            let worth: f64 = holdings
                .iter()
                .filter(|h| h["account_id"] == account["account_id"])
                .map(|h| h["institution_value"].as_f64().unwrap())
                .sum();
            let balance = account["balances"]["current"].as_f64().unwrap();
            assert!(
                (worth - balance).abs() < 0.01,
                "{subtype}: holdings {worth}, balance {balance}"
            );
        }
        let investment: BTreeSet<&str> = accounts
            .iter()
            .filter(|a| a["type"] == "investment")
            .map(|a| a["account_id"].as_str().unwrap())
            .collect();
        for holding in holdings {
            assert!(investment.contains(holding["account_id"].as_str().unwrap()));
            let value =
                holding["quantity"].as_f64().unwrap() * holding["institution_price"].as_f64().unwrap();
            assert!((value - holding["institution_value"].as_f64().unwrap()).abs() < 1e-6);
        }
        assert_eq!(
            ids(&answer["securities"], "security_id"),
            ids(&answer["holdings"], "security_id"),
            "every holding's security is sent, and no other"
        );
    }
    holdings_of_chosen_accounts_only(MockPlaid::builder().seed(5).build()) in_process |fake| {
        let client = fake.client().clone();
        let linked = support::link(&client, "ins_109508").await;
        let accounts = accounts(&client, &linked).await;
        let ira = account_of(&accounts, "ira")["account_id"].clone();
        let answer = client
            .send_raw(
                "/investments/holdings/get",
                json!({"access_token": linked.access_token, "options": {"account_ids": [ira]}}),
            )
            .await
            .expect("holdings");
        assert_eq!(answer["accounts"].as_array().unwrap().len(), 1);
        assert_eq!(answer["accounts"][0]["account_id"], ira);
        assert_eq!(
            ids(&answer["holdings"], "account_id"),
            BTreeSet::from([ira.as_str().unwrap().to_owned()])
        );
        assert_eq!(
            ids(&answer["securities"], "security_id"),
            ids(&answer["holdings"], "security_id")
        );
        assert_eq!(answer["securities"].as_array().unwrap().len(), 2);
    }
    investment_transactions_fall_in_the_range_and_page_by_count_and_offset(MockPlaid::builder().seed(6).build()) in_process |fake| {
        let client = fake.client().clone();
        let linked = support::link(&client, "ins_109508").await;
        let (start, end) = ("2000-01-01", "2100-01-01");
        let whole = investment_transactions(
            &client,
            json!({"access_token": linked.access_token, "start_date": start, "end_date": end,
                   "options": {"count": 500}}),
        )
        .await
        .expect("transactions");
        let total = whole["total_investment_transactions"].as_u64().unwrap() as usize;
        let all = whole["investment_transactions"].as_array().unwrap().clone();
        assert_eq!(all.len(), total);
        assert!(total > 20, "two years of monthly activity, got {total}");
        let dates: Vec<&str> = all.iter().map(|t| t["date"].as_str().unwrap()).collect();
        assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
        assert_eq!(
            ids(&whole["securities"], "security_id"),
            ids(&whole["investment_transactions"], "security_id")
        );

        let mut paged = Vec::new();
        let mut offset = 0;
        while offset < total {
            let page = investment_transactions(
                &client,
                json!({"access_token": linked.access_token, "start_date": start, "end_date": end,
                       "options": {"count": 7, "offset": offset}}),
            )
            .await
            .expect("a page");
            assert_eq!(page["total_investment_transactions"], total);
            let items = page["investment_transactions"].as_array().unwrap();
            assert!(items.len() <= 7 && !items.is_empty());
            offset += items.len();
            paged.extend(items.iter().cloned());
        }
        assert_eq!(
            paged, all,
            "the pages together are the whole list, in order"
        );

        // A narrower range: only what falls inside it, both ends included.
        let (from, to) = (dates[dates.len() / 2], dates[0]);
        let ranged = investment_transactions(
            &client,
            json!({"access_token": linked.access_token, "start_date": from, "end_date": to,
                   "options": {"count": 500}}),
        )
        .await
        .expect("transactions");
        let expected = dates.iter().filter(|d| **d >= from && **d <= to).count();
        assert_eq!(ranged["total_investment_transactions"], expected);
        assert!(expected < total);
    }
    investment_transactions_of_chosen_accounts_and_bad_ranges(MockPlaid::builder().seed(7).build()) in_process |fake| {
        let client = fake.client().clone();
        let linked = support::link(&client, "ins_109508").await;
        let accounts = accounts(&client, &linked).await;
        let ira = account_of(&accounts, "ira")["account_id"].clone();
        let answer = investment_transactions(
            &client,
            json!({"access_token": linked.access_token, "start_date": "2000-01-01",
                   "end_date": "2100-01-01", "options": {"account_ids": [ira], "count": 500}}),
        )
        .await
        .expect("transactions");
        let only = BTreeSet::from([ira.as_str().unwrap().to_owned()]);
        assert_eq!(ids(&answer["investment_transactions"], "account_id"), only);
        assert_eq!(ids(&answer["accounts"], "account_id"), only);
        assert_eq!(
            answer["total_investment_transactions"].as_u64().unwrap() as usize,
            answer["investment_transactions"].as_array().unwrap().len()
        );

        let backwards = investment_transactions(
            &client,
            json!({"access_token": linked.access_token, "start_date": "2024-02-01",
                   "end_date": "2024-01-01"}),
        )
        .await;
        assert_eq!(code(backwards, "start after end"), "INVALID_FIELD");
    }
    liabilities_describe_the_items_credit_card_and_loans(MockPlaid::builder().seed(8).build()) in_process |fake| {
        let client = fake.client().clone();
        let linked = support::link(&client, "ins_109508").await;
        let accounts = accounts(&client, &linked).await;
        let answer = client
            .send_raw(
                "/liabilities/get",
                json!({"access_token": linked.access_token}),
            )
            .await
            .expect("liabilities");
        let liabilities = &answer["liabilities"];
        let card = account_of(&accounts, "credit card");
        assert_eq!(liabilities["credit"].as_array().unwrap().len(), 1);
        assert_eq!(liabilities["credit"][0]["account_id"], card["account_id"]);
        assert_eq!(
            liabilities["credit"][0]["last_statement_balance"],
            card["balances"]["current"]
        );
        let student = account_of(&accounts, "student");
        assert_eq!(
            liabilities["student"][0]["account_id"],
            student["account_id"]
        );
        assert!(liabilities["student"][0]["account_number"]
            .as_str()
            .unwrap()
            .ends_with("7777"));
        let mortgage = account_of(&accounts, "mortgage");
        assert_eq!(
            liabilities["mortgage"][0]["account_id"],
            mortgage["account_id"]
        );
        assert_eq!(answer["accounts"].as_array().unwrap().len(), accounts.len());

        let only_mortgage = client
            .send_raw(
                "/liabilities/get",
                json!({"access_token": linked.access_token,
                       "options": {"account_ids": [mortgage["account_id"]]}}),
            )
            .await
            .expect("liabilities");
        assert_eq!(only_mortgage["liabilities"]["credit"], json!([]));
        assert_eq!(only_mortgage["liabilities"]["student"], json!([]));
        assert_eq!(
            only_mortgage["liabilities"]["mortgage"][0]["account_id"],
            mortgage["account_id"]
        );
        assert_eq!(only_mortgage["accounts"].as_array().unwrap().len(), 1);
    }
    misuse_fails_as_plaid_fails_it(MockPlaid::builder().seed(9).build()) in_process |fake| {
        let client = fake.client().clone();
        // UK institutions offer neither product.
        let uk = support::link(&client, "ins_117650").await;
        for path in ["/investments/holdings/get", "/liabilities/get"] {
            let answer = client
                .send_raw(path, json!({"access_token": uk.access_token}))
                .await;
            assert_eq!(code(answer, path), "PRODUCTS_NOT_SUPPORTED");
        }
        let linked = support::link(&client, "ins_109508").await;
        client
            .send_raw(
                "/sandbox/item/reset_login",
                json!({"access_token": linked.access_token}),
            )
            .await
            .expect("reset");
        let answer = client
            .send_raw(
                "/liabilities/get",
                json!({"access_token": linked.access_token}),
            )
            .await;
        assert_eq!(code(answer, "login required"), "ITEM_LOGIN_REQUIRED");
        client
            .send_raw("/item/remove", json!({"access_token": linked.access_token}))
            .await
            .expect("removed");
        let answer = client
            .send_raw(
                "/investments/holdings/get",
                json!({"access_token": linked.access_token}),
            )
            .await;
        assert_eq!(code(answer, "removed item"), "ITEM_NOT_FOUND");
    }
}
