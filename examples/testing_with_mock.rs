//! Unit-testing your own code with the fake Plaid: `total_available` is an
//! app function; the tests below run it against `plaid_mock::MockPlaid`
//! in-process, including a broken item. Run them with
//! `cargo test --example testing_with_mock`; `cargo run` runs the function.

use plaid_core::{Client, Error};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let (client, _fake) = match plaid_examples::client_or_fake() {
        Ok(pair) => pair,
        Err(message) => {
            eprintln!("testing_with_mock: {message}");
            return std::process::ExitCode::from(2);
        }
    };
    plaid_examples::run_example("testing_with_mock", async {
        let token = plaid_examples::link_sandbox_item(&client, None).await?;
        let total = total_available(&client, &token).await?;
        println!("available across accounts: {total:.2}");
        client.item().remove(&token).await?;
        Ok(total)
    })
    .await
}

/// The app function under test: the money available across an item's
/// accounts.
pub async fn total_available(client: &Client, access_token: &str) -> Result<f64, Error> {
    let accounts = client.accounts().get(access_token).await?;
    Ok(accounts
        .accounts
        .iter()
        .filter_map(|a| a.balances.available)
        .sum())
}

#[cfg(test)]
mod tests {
    use super::total_available;
    use plaid_examples::link_sandbox_item;
    use plaid_mock::MockPlaid;

    #[tokio::test]
    async fn sums_the_available_balances() {
        let mock = MockPlaid::new();
        let client = mock.client();
        let token = link_sandbox_item(&client, None).await.unwrap();
        // The sandbox item: checking 100, saving 200, money market 43,200; CD and card have none.
        assert_eq!(total_available(&client, &token).await.unwrap(), 43_500.0);
    }

    #[tokio::test]
    async fn a_broken_item_is_an_item_error_the_app_can_match() {
        let mock = MockPlaid::new();
        let client = mock.client();
        let token = link_sandbox_item(&client, None).await.unwrap();
        client.sandbox().item().reset_login(&token).await.unwrap();
        let err = total_available(&client, &token).await.unwrap_err();
        assert_eq!(err.code(), Some("ITEM_LOGIN_REQUIRED"));
        mock.repair_item(&token).unwrap();
        assert!(total_available(&client, &token).await.is_ok());
    }
}
