//! `plaid-mock`: a fake Plaid over HTTP, for clients in any language.
//!
//! ```text
//! plaid-mock [--listen ADDR] [--seed N] [--transactions N] [--client-id ID --secret S]
//! ```
//!
//! Prints `plaid-mock listening on http://ADDR (client id: ..., secret: ...)`
//! and serves until killed.

use std::net::SocketAddr;
use std::process::ExitCode;

use plaid_mock::MockPlaid;

const USAGE: &str = "\
usage: plaid-mock [--listen ADDR] [--seed N] [--transactions N] [--client-id ID --secret S]

  --listen ADDR       address to listen on (default 127.0.0.1:8080; port 0 picks a free port)
  --seed N            seed for every generated id, account and transaction (default 42)
  --transactions N    transactions per new item (default 50)
  --client-id ID      client id the fake accepts (default mock-client-id; needs --secret)
  --secret S          secret the fake accepts (default mock-secret; needs --client-id)
  -h, --help          show this help";

/// The command line, parsed.
#[derive(Debug, PartialEq)]
struct Options {
    listen: SocketAddr,
    seed: Option<u64>,
    transactions: Option<usize>,
    credentials: Option<(String, String)>,
}

/// What the command line asks for.
#[derive(Debug, PartialEq)]
enum Command {
    Serve(Options),
    Help,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut listen = SocketAddr::from(([127, 0, 0, 1], 8080));
    let mut seed = None;
    let mut transactions = None;
    let mut client_id = None;
    let mut secret = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => {
                (name.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        if name == "-h" || name == "--help" {
            return Ok(Command::Help);
        }
        if !matches!(
            name.as_str(),
            "--listen" | "--seed" | "--transactions" | "--client-id" | "--secret"
        ) {
            return Err(format!("unknown argument {arg:?}"));
        }
        let value = match inline.or_else(|| args.next()) {
            Some(value) => value,
            None => return Err(format!("{name} needs a value")),
        };
        match name.as_str() {
            "--listen" => {
                listen = value.parse().map_err(|_| {
                    format!("--listen: {value:?} is not an address like 127.0.0.1:8080")
                })?;
            }
            "--seed" => {
                seed = Some(
                    value
                        .parse()
                        .map_err(|_| format!("--seed: {value:?} is not a non-negative integer"))?,
                );
            }
            "--transactions" => {
                transactions = Some(value.parse().map_err(|_| {
                    format!("--transactions: {value:?} is not a non-negative integer")
                })?);
            }
            "--client-id" => client_id = Some(value),
            _ => secret = Some(value),
        }
    }
    let credentials = match (client_id, secret) {
        (Some(id), Some(secret)) => Some((id, secret)),
        (None, None) => None,
        _ => return Err("--client-id and --secret go together".to_owned()),
    };
    Ok(Command::Serve(Options {
        listen,
        seed,
        transactions,
        credentials,
    }))
}

fn build_mock(options: &Options) -> MockPlaid {
    let mut builder = MockPlaid::builder();
    if let Some(seed) = options.seed {
        builder = builder.seed(seed);
    }
    if let Some(count) = options.transactions {
        builder = builder.transactions_per_item(count);
    }
    if let Some((id, secret)) = &options.credentials {
        builder = builder.credentials(id.clone(), secret.clone());
    }
    builder.build()
}

async fn run(options: Options) -> Result<(), String> {
    let mock = build_mock(&options);
    let listener = tokio::net::TcpListener::bind(options.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", options.listen))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    println!(
        "plaid-mock listening on http://{addr} (client id: {}, secret: {})",
        mock.client_id(),
        mock.secret()
    );
    plaid_mock::server::serve(mock, listener)
        .await
        .map_err(|e| format!("serving failed: {e}"))
}

fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Serve(options)) => options,
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("plaid-mock: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    // Warnings (such as a refused webhook URL) go to stderr.
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("plaid-mock: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("plaid-mock: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, String> {
        parse_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn defaults() {
        assert_eq!(
            parse(&[]),
            Ok(Command::Serve(Options {
                listen: "127.0.0.1:8080".parse().unwrap(),
                seed: None,
                transactions: None,
                credentials: None,
            }))
        );
    }

    #[test]
    fn every_option() {
        assert_eq!(
            parse(&[
                "--listen",
                "127.0.0.1:0",
                "--seed=7",
                "--transactions",
                "3",
                "--client-id",
                "id",
                "--secret",
                "s"
            ]),
            Ok(Command::Serve(Options {
                listen: "127.0.0.1:0".parse().unwrap(),
                seed: Some(7),
                transactions: Some(3),
                credentials: Some(("id".into(), "s".into())),
            }))
        );
        assert_eq!(parse(&["--help"]), Ok(Command::Help));
    }

    #[test]
    fn bad_arguments() {
        for bad in [
            &["--listen", "nonsense"][..],
            &["--listen"],
            &["--seed", "-1"],
            &["--transactions", "many"],
            &["--client-id", "id"],
            &["--secret", "s"],
            &["--verbose"],
            &["serve"],
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
