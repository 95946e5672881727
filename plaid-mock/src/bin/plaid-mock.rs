//! `plaid-mock`: a fake Plaid over HTTP, for clients in any language.
//!
//! ```text
//! plaid-mock [--listen ADDR] [--seed N] [--transactions N] [--client-id ID --secret S]
//!            [--now RFC3339 | --frozen-clock] [--state FILE]
//!            [--control-token T | --no-control] [--assume-non-loopback]
//! ```
//!
//! Prints `plaid-mock listening on http://ADDR (client id: ..., secret: ...)`
//! and serves until SIGTERM or SIGINT (then saves the state to `--state`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use plaid_mock::server::{ControlAccess, ServerOptions};
use plaid_mock::MockPlaid;
use time::OffsetDateTime;

const USAGE: &str = "\
usage: plaid-mock [--listen ADDR] [--seed N] [--transactions N] [--client-id ID --secret S]
                  [--now RFC3339 | --frozen-clock] [--state FILE]
                  [--control-token T | --no-control] [--assume-non-loopback]

  --listen ADDR          address to listen on (default 127.0.0.1:8080; port 0 picks a free port)
  --seed N               seed for every generated id, account and transaction (default 42)
  --transactions N       transactions per new item (default 50)
  --client-id ID         client id the fake accepts (default mock-client-id; needs --secret)
  --secret S             secret the fake accepts (default mock-secret; needs --client-id)
  --now RFC3339          freeze the clock at this time (default: follow the wall clock)
  --frozen-clock         freeze the clock at the start time
  --state FILE           load the state from FILE at start (if it exists); save it there on
                         SIGTERM/SIGINT and on POST /_mock/snapshot
  --control-token T      the control API (/_mock/...) needs `Authorization: Bearer T`
                         (also read from PLAID_MOCK_CONTROL_TOKEN); without it the API is
                         open on a loopback address and off on any other
  --no-control           turn the control API off
  --assume-non-loopback  apply the rule for a non-loopback address even on loopback (tests)
  --check-health URL     exit 0 if the plaid-mock at URL (http://HOST:PORT) answers
                         GET /_mock/health, 1 otherwise (a container health check)
  -h, --help             show this help";

/// The command line, parsed.
#[derive(Debug, PartialEq)]
struct Options {
    listen: SocketAddr,
    seed: Option<u64>,
    transactions: Option<usize>,
    credentials: Option<(String, String)>,
    clock: ClockChoice,
    state: Option<PathBuf>,
    control_token: Option<String>,
    no_control: bool,
    assume_non_loopback: bool,
}

/// How the clock runs.
#[derive(Debug, PartialEq)]
enum ClockChoice {
    /// Not said: the wall clock, or the saved clock of `--state`.
    Default,
    FrozenAtStart,
    FrozenAt(OffsetDateTime),
}

/// What the command line asks for.
#[derive(Debug, PartialEq)]
enum Command {
    Serve(Options),
    CheckHealth(String),
    Help,
}

const VALUED: &[&str] = &[
    "--listen",
    "--seed",
    "--transactions",
    "--client-id",
    "--secret",
    "--now",
    "--state",
    "--control-token",
];
const FLAGS: &[&str] = &["--frozen-clock", "--no-control", "--assume-non-loopback"];

fn parse_args(
    args: impl IntoIterator<Item = String>,
    env_token: Option<String>,
) -> Result<Command, String> {
    let mut listen = SocketAddr::from(([127, 0, 0, 1], 8080));
    let (mut seed, mut transactions, mut client_id, mut secret) = (None, None, None, None);
    let (mut now, mut frozen, mut state, mut control_token) = (None, false, None, None);
    let (mut no_control, mut assume_non_loopback) = (false, false);
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
        if name == "--check-health" {
            return match inline.or_else(|| args.next()) {
                Some(url) => Ok(Command::CheckHealth(url)),
                None => Err("--check-health needs a URL like http://127.0.0.1:8080".into()),
            };
        }
        if FLAGS.contains(&name.as_str()) && inline.is_none() {
            match name.as_str() {
                "--frozen-clock" => frozen = true,
                "--no-control" => no_control = true,
                _ => assume_non_loopback = true,
            }
            continue;
        }
        if !VALUED.contains(&name.as_str()) {
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
            "--now" => {
                now = Some(
                    OffsetDateTime::parse(&value, &time::format_description::well_known::Rfc3339)
                        .map_err(|_| {
                        format!(
                            "--now: {value:?} is not an RFC 3339 time like 2024-06-30T12:00:00Z"
                        )
                    })?,
                );
            }
            "--state" => state = Some(PathBuf::from(value)),
            "--control-token" => control_token = Some(value),
            "--client-id" => client_id = Some(value),
            _ => secret = Some(value),
        }
    }
    let credentials = match (client_id, secret) {
        (Some(id), Some(secret)) => Some((id, secret)),
        (None, None) => None,
        _ => return Err("--client-id and --secret go together".to_owned()),
    };
    let clock = match (now, frozen) {
        (Some(_), true) => return Err("--now and --frozen-clock: give one".to_owned()),
        (Some(at), false) => ClockChoice::FrozenAt(at),
        (None, true) => ClockChoice::FrozenAtStart,
        (None, false) => ClockChoice::Default,
    };
    let control_token = control_token.or(env_token.filter(|t| !t.is_empty()));
    if no_control && control_token.is_some() {
        return Err("--no-control and a control token: give one".to_owned());
    }
    Ok(Command::Serve(Options {
        listen,
        seed,
        transactions,
        credentials,
        clock,
        state,
        control_token,
        no_control,
        assume_non_loopback,
    }))
}

fn build_mock(options: &Options) -> Result<MockPlaid, String> {
    let mut builder = MockPlaid::builder().wall_clock();
    if let Some(seed) = options.seed {
        builder = builder.seed(seed);
    }
    if let Some(count) = options.transactions {
        builder = builder.transactions_per_item(count);
    }
    if let Some((id, secret)) = &options.credentials {
        builder = builder.credentials(id.clone(), secret.clone());
    }
    let mock = builder.build();
    if let Some(file) = &options.state {
        if plaid_mock::persist::load(&mock, file)? {
            eprintln!("plaid-mock: state loaded from {}", file.display());
        }
    }
    match options.clock {
        ClockChoice::Default => {}
        ClockChoice::FrozenAtStart => mock.freeze_clock(),
        ClockChoice::FrozenAt(at) => {
            mock.freeze_clock();
            mock.set_clock(at);
        }
    }
    Ok(mock)
}

/// Who may use the control API, by the rule of [`ControlAccess::for_address`].
fn control_access(options: &Options) -> ControlAccess {
    let judged = if options.assume_non_loopback {
        SocketAddr::from(([0, 0, 0, 0], options.listen.port()))
    } else {
        options.listen
    };
    ControlAccess::for_address(judged, options.control_token.clone(), options.no_control)
}

/// `GET /_mock/health` on `url` (`http://HOST:PORT`): whether it answered 200.
fn check_health(url: &str) -> Result<(), String> {
    use std::io::{Read, Write};
    let authority = url
        .strip_prefix("http://")
        .map(|rest| rest.trim_end_matches('/'))
        .filter(|a| !a.contains('/'))
        .ok_or_else(|| format!("--check-health: {url:?} is not like http://127.0.0.1:8080"))?;
    let timeout = std::time::Duration::from_secs(3);
    let addr = std::net::ToSocketAddrs::to_socket_addrs(authority)
        .map_err(|e| format!("{authority}: {e}"))?
        .next()
        .ok_or_else(|| format!("{authority}: no address"))?;
    let mut stream = std::net::TcpStream::connect_timeout(&addr, timeout)
        .map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    stream
        .set_read_timeout(Some(timeout))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET /_mock/health HTTP/1.1\r\nhost: {authority}\r\nconnection: close\r\n\r\n"
    )
    .map_err(|e| format!("sending: {e}"))?;
    let mut answer = Vec::new();
    let _ = stream.take(64 * 1024).read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    if answer.starts_with("HTTP/1.1 200") {
        Ok(())
    } else {
        Err(format!(
            "unhealthy: {:?}",
            answer.lines().next().unwrap_or("no answer")
        ))
    }
}

/// Resolves when SIGTERM or SIGINT arrives.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

async fn run(options: Options) -> Result<(), String> {
    let mock = build_mock(&options)?;
    let access = control_access(&options);
    let listener = tokio::net::TcpListener::bind(options.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", options.listen))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    let control = match &access {
        ControlAccess::Open => "open",
        ControlAccess::Token(_) => "needs the control token",
        ControlAccess::Off => "off",
    };
    if access == ControlAccess::Off && !options.no_control {
        eprintln!(
            "plaid-mock: the control API is off on a non-loopback address without --control-token"
        );
    }
    println!(
        "plaid-mock listening on http://{addr} (client id: {}, secret: {}; control API: {control})",
        mock.client_id(),
        mock.secret()
    );
    let mut server_options = ServerOptions::new().control(access);
    if let Some(file) = &options.state {
        server_options = server_options.state_file(file.clone());
    }
    tokio::select! {
        served = plaid_mock::server::serve_with(mock.clone(), listener, server_options) => {
            served.map_err(|e| format!("serving failed: {e}"))
        }
        () = stop_signal() => {
            if let Some(file) = &options.state {
                plaid_mock::persist::save(&mock, file)?;
                eprintln!("plaid-mock: state saved to {}", file.display());
            }
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    let env_token = std::env::var("PLAID_MOCK_CONTROL_TOKEN").ok();
    let options = match parse_args(std::env::args().skip(1), env_token) {
        Ok(Command::Serve(options)) => options,
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Command::CheckHealth(url)) => {
            return match check_health(&url) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("plaid-mock: {message}");
                    ExitCode::FAILURE
                }
            };
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
        parse_args(args.iter().map(|s| s.to_string()), None)
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
                clock: ClockChoice::Default,
                state: None,
                control_token: None,
                no_control: false,
                assume_non_loopback: false,
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
                clock: ClockChoice::Default,
                state: None,
                control_token: None,
                no_control: false,
                assume_non_loopback: false,
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
            &["--now", "yesterday"],
            &["--now", "2024-06-30T12:00:00Z", "--frozen-clock"],
            &["--no-control", "--control-token", "t"],
            &["--frozen-clock=yes"],
            &["--state"],
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    /// The flags of the Docker image's CMD (plaid-mock/Dockerfile) with the
    /// token from its environment variable.
    #[test]
    fn the_image_command_line() {
        let Ok(Command::Serve(options)) = parse_args(
            ["--listen", "0.0.0.0:8080", "--state", "/data/state.json"]
                .iter()
                .map(|s| s.to_string()),
            Some("from-env".into()),
        ) else {
            panic!("the image's command line must parse");
        };
        assert_eq!(options.listen, "0.0.0.0:8080".parse().unwrap());
        assert_eq!(options.state, Some(PathBuf::from("/data/state.json")));
        assert_eq!(
            control_access(&options),
            ControlAccess::Token("from-env".into())
        );
        let Ok(Command::Serve(no_token)) = parse_args(
            ["--listen", "0.0.0.0:8080"].iter().map(|s| s.to_string()),
            Some(String::new()),
        ) else {
            panic!("must parse");
        };
        assert_eq!(control_access(&no_token), ControlAccess::Off);
    }

    #[test]
    fn clock_and_control_flags() {
        let Ok(Command::Serve(options)) = parse(&[
            "--now=2024-06-30T12:00:00Z",
            "--control-token",
            "t",
            "--assume-non-loopback",
        ]) else {
            panic!("must parse");
        };
        assert_eq!(
            options.clock,
            ClockChoice::FrozenAt(time::macros::datetime!(2024-06-30 12:00 UTC))
        );
        assert_eq!(control_access(&options), ControlAccess::Token("t".into()));
        let Ok(Command::Serve(options)) = parse(&["--frozen-clock", "--assume-non-loopback"])
        else {
            panic!("must parse");
        };
        assert_eq!(options.clock, ClockChoice::FrozenAtStart);
        assert_eq!(control_access(&options), ControlAccess::Off);
        let Ok(Command::Serve(options)) = parse(&["--no-control"]) else {
            panic!("must parse");
        };
        assert_eq!(control_access(&options), ControlAccess::Off);
        let Ok(Command::Serve(options)) = parse(&[]) else {
            panic!("must parse");
        };
        assert_eq!(control_access(&options), ControlAccess::Open);
    }
}
