//! `plaid-mock`: a fake Plaid over HTTP, for clients in any language; and
//! the recorder, replayer and differ of sessions with Plaid's sandbox
//! (`plaid_mock::cassette`). `plaid-mock --help` lists it all.
//!
//! Serving prints `plaid-mock listening on http://ADDR (client id: ...,
//! secret: ...)` and runs until SIGTERM or SIGINT (then saves the state to
//! `--state`).

use std::net::SocketAddr;
use std::process::ExitCode;

use plaid_mock::cassette::{Cassette, Recorder, Replayer};
use plaid_mock::server::{check_health, url_for, ControlAccess, ServerOptions};
use plaid_mock::MockPlaid;

mod cli;

use cli::{
    parse, CheckHealthArgs, Command, DiffArgs, Fallback, Listening, RecordArgs, ReplayArgs,
    ServeArgs, TOKEN_VARIABLE,
};

fn build_mock(options: &ServeArgs) -> Result<MockPlaid, String> {
    let mut builder = MockPlaid::builder().wall_clock();
    if let Some(seed) = options.seed {
        builder = builder.seed(seed);
    }
    if let Some(count) = options.transactions {
        builder = builder.transactions_per_item(count);
    }
    if let (Some(id), Some(secret)) = (&options.client_id, &options.secret) {
        builder = builder.credentials(id.clone(), secret.clone());
    }
    let mock = builder.build();
    if let Some(file) = &options.state {
        if plaid_mock::persist::load(&mock, file)? {
            eprintln!("plaid-mock: state loaded from {}", file.display());
        }
    }
    if options.frozen_clock {
        mock.freeze_clock();
    } else if let Some(at) = options.now {
        mock.freeze_clock();
        mock.set_clock(at);
    }
    Ok(mock)
}

/// The control token (an empty one counts as none).
fn control_token(options: &ServeArgs) -> Option<String> {
    options.control_token.clone().filter(|t| !t.is_empty())
}

/// Who may use the control API, by the rule of [`ControlAccess::for_address`].
fn control_access(options: &ServeArgs) -> ControlAccess {
    let judged = if options.assume_non_loopback {
        SocketAddr::from(([0, 0, 0, 0], options.listening.listen.port()))
    } else {
        options.listening.listen
    };
    ControlAccess::for_address(judged, control_token(options), options.no_control)
}

/// Binds the address to listen on; writes the URL to the address file
/// when asked.
async fn bind(listening: &Listening) -> Result<(tokio::net::TcpListener, SocketAddr), String> {
    let addr = listening.listen;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let bound = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    if let Some(path) = &listening.addr_file.addr_file {
        std::fs::write(path, url_for(bound))
            .map_err(|e| format!("--addr-file: cannot write {}: {e}", path.display()))?;
    }
    Ok((listener, bound))
}

/// The URL `check-health` asks: given, or from the address file, or the
/// default port.
fn health_url(args: &CheckHealthArgs) -> Result<String, String> {
    if let Some(url) = &args.url {
        return Ok(url.clone());
    }
    match &args.addr_file.addr_file {
        Some(path) => std::fs::read_to_string(path)
            .map(|url| url.trim().to_owned())
            .map_err(|e| {
                format!(
                    "no URL: cannot read {} ({e}); is plaid-mock running?",
                    path.display()
                )
            }),
        None => Ok("http://127.0.0.1:8080".to_owned()),
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

async fn serve(options: ServeArgs) -> Result<(), String> {
    if options.no_control && control_token(&options).is_some() {
        return Err("--no-control and a control token: give one".to_owned());
    }
    let mock = build_mock(&options)?;
    let access = control_access(&options);
    let (listener, addr) = bind(&options.listening).await?;
    let control = match &access {
        ControlAccess::Open => "open",
        ControlAccess::Token(_) => "needs the control token",
        ControlAccess::Off => "off",
    };
    if access == ControlAccess::Off && !options.no_control {
        eprintln!(
            "plaid-mock: the control API is off on a non-loopback address without a control token (--control-token or {TOKEN_VARIABLE})"
        );
    }
    println!(
        "plaid-mock listening on http://{addr} (client id: {}, secret: {}; control API: {control})",
        mock.client_id(),
        mock.secret()
    );
    let origin = if options.token_from_env {
        format!("the {TOKEN_VARIABLE} environment variable")
    } else {
        "--control-token".to_owned()
    };
    let mut server_options = ServerOptions::new()
        .control(access)
        .control_token_origin(origin);
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

async fn record(args: RecordArgs) -> Result<(), String> {
    let upstream: http::Uri = args
        .upstream
        .parse()
        .map_err(|_| format!("--upstream: {:?} is not a URL", args.upstream))?;
    let plain = match upstream.scheme_str() {
        Some("https") => false,
        Some("http") => true,
        _ => {
            return Err(format!(
                "--upstream: {:?} must start with https:// (Plaid) or http:// (another fake)",
                args.upstream
            ))
        }
    };
    let transport = plaid_hyper::HyperTransport::builder()
        .allow_insecure_http(plain)
        .build()
        .map_err(|e| format!("cannot set up the upstream connection: {e}"))?;
    let recorder = Recorder::create(
        transport,
        args.upstream.clone(),
        &args.cassette,
        &args.redact,
    )
    .map_err(|e| e.to_string())?;
    let (listener, addr) = bind(&args.listening).await?;
    println!(
        "plaid-mock recording on http://{addr} (upstream: {}; cassette: {})",
        recorder.base_url(),
        args.cassette.display()
    );
    tokio::select! {
        served = plaid_mock::cassette::serve(recorder, listener, "record") => {
            served.map_err(|e| format!("serving failed: {e}"))
        }
        () = stop_signal() => Ok(()),
    }
}

async fn replay(args: ReplayArgs) -> Result<(), String> {
    let mut replayer = Replayer::open(&args.cassette).map_err(|e| e.to_string())?;
    if args.fallback == Some(Fallback::Fake) {
        replayer = replayer.fallback(MockPlaid::builder().wall_clock().build());
    }
    let (listener, addr) = bind(&args.listening).await?;
    println!(
        "plaid-mock replaying on http://{addr} (cassette: {}, {} exchanges; unrecorded requests: {})",
        args.cassette.display(),
        replayer.cassette().exchanges.len(),
        if args.fallback.is_some() { "the fake answers" } else { "a NO_RECORDING error" }
    );
    tokio::select! {
        served = plaid_mock::cassette::serve(replayer, listener, "replay") => {
            served.map_err(|e| format!("serving failed: {e}"))
        }
        () = stop_signal() => Ok(()),
    }
}

async fn diff(args: DiffArgs) -> Result<ExitCode, String> {
    let cassette = Cassette::open(&args.cassette).map_err(|e| e.to_string())?;
    let report = plaid_mock::cassette::diff(&cassette, MockPlaid::new()).await;
    if args.json {
        let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        println!("{text}");
    } else {
        print!("{report}");
    }
    Ok(if report.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Runs `task` on a fresh runtime; an error is printed and exits with
/// `failure`.
fn run(task: impl std::future::Future<Output = Result<ExitCode, String>>, failure: u8) -> ExitCode {
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
    match runtime.block_on(task) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("plaid-mock: {message}");
            ExitCode::from(failure)
        }
    }
}

fn served(result: Result<(), String>) -> Result<ExitCode, String> {
    result.map(|()| ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let cli = match parse(std::env::args()) {
        Ok(cli) => cli,
        // A usage error: named as plaid-mock's, exit status 2.
        Err(error) if error.use_stderr() => {
            eprint!("plaid-mock: {}", error.render());
            return ExitCode::from(2);
        }
        // --help, --version: to stdout, exit status 0.
        Err(error) => error.exit(),
    };
    if let Some(url) = &cli.check_health {
        return health_exit(check_health(url));
    }
    match cli.command {
        None => run(async { served(serve(cli.serve).await) }, 1),
        Some(Command::Serve(options)) => run(async { served(serve(options).await) }, 1),
        Some(Command::Record(args)) => run(async { served(record(args).await) }, 1),
        Some(Command::Replay(args)) => run(async { served(replay(args).await) }, 1),
        Some(Command::Diff(args)) => run(diff(args), 2),
        Some(Command::CheckHealth(args)) => {
            health_exit(health_url(&args).and_then(|url| check_health(&url)))
        }
    }
}

fn health_exit(result: Result<(), String>) -> ExitCode {
    match result {
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
    use crate::cli::Cli;

    fn parse_args(args: &[&str]) -> Result<Cli, clap::Error> {
        parse(
            std::iter::once("plaid-mock")
                .chain(args.iter().copied())
                .map(str::to_owned),
        )
    }

    fn serve_args(args: &[&str]) -> ServeArgs {
        let cli = parse_args(args).unwrap_or_else(|e| panic!("{args:?}: {e}"));
        match cli.command {
            None => cli.serve,
            Some(Command::Serve(serve)) => serve,
            Some(other) => panic!("{args:?} is {other:?}"),
        }
    }

    #[test]
    fn defaults() {
        let options = serve_args(&[]);
        assert_eq!(options.listening.listen, "127.0.0.1:8080".parse().unwrap());
        assert_eq!((options.seed, options.transactions), (None, None));
        assert_eq!(control_access(&options), ControlAccess::Open);
    }

    #[test]
    fn every_option_with_or_without_serve() {
        for prefix in [&[][..], &["serve"]] {
            let args: Vec<&str> = prefix
                .iter()
                .copied()
                .chain([
                    "--listen",
                    "127.0.0.1:0",
                    "--seed=7",
                    "--transactions",
                    "3",
                    "--client-id",
                    "id",
                    "--secret",
                    "s",
                ])
                .collect();
            let options = serve_args(&args);
            assert_eq!(options.listening.listen, "127.0.0.1:0".parse().unwrap());
            assert_eq!((options.seed, options.transactions), (Some(7), Some(3)));
            assert_eq!(
                (options.client_id.as_deref(), options.secret.as_deref()),
                (Some("id"), Some("s"))
            );
        }
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
            &["--now", "yesterday"],
            &["--now", "2024-06-30T12:00:00Z", "--frozen-clock"],
            &["--frozen-clock=yes"],
            &["--state"],
            &["--seed", "1", "replay", "--cassette", "c"],
            &["record", "--cassette", "c"],
            &["replay", "--cassette", "c", "--fallback", "sandbox"],
            &["diff"],
        ] {
            assert!(parse_args(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn subcommands() {
        let Some(Command::Record(record)) = parse_args(&[
            "record",
            "--upstream",
            "https://sandbox.plaid.com",
            "--cassette",
            "s.cassette",
            "--redact",
            "access_token,account_id",
            "--redact=item_id",
        ])
        .unwrap()
        .command
        else {
            panic!("record");
        };
        assert_eq!(record.redact, ["access_token", "account_id", "item_id"]);
        let Some(Command::Replay(replay)) =
            parse_args(&["replay", "--cassette", "s.cassette", "--fallback", "fake"])
                .unwrap()
                .command
        else {
            panic!("replay");
        };
        assert_eq!(replay.fallback, Some(Fallback::Fake));
        let Some(Command::Diff(diff)) = parse_args(&["diff", "--cassette", "s", "--json"])
            .unwrap()
            .command
        else {
            panic!("diff");
        };
        assert!(diff.json);
        let Some(Command::CheckHealth(health)) =
            parse_args(&["check-health", "http://127.0.0.1:9"])
                .unwrap()
                .command
        else {
            panic!("check-health");
        };
        assert_eq!(health_url(&health).unwrap(), "http://127.0.0.1:9");
        assert_eq!(
            parse_args(&["--check-health", "http://127.0.0.1:9"])
                .unwrap()
                .check_health
                .as_deref(),
            Some("http://127.0.0.1:9")
        );
    }

    #[test]
    fn clock_and_control_flags() {
        let options = serve_args(&[
            "--now=2024-06-30T12:00:00Z",
            "--control-token",
            "t",
            "--assume-non-loopback",
        ]);
        assert_eq!(
            options.now,
            Some(time::macros::datetime!(2024-06-30 12:00 UTC))
        );
        assert!(!options.token_from_env);
        assert_eq!(control_access(&options), ControlAccess::Token("t".into()));
        let options = serve_args(&["--frozen-clock", "--assume-non-loopback"]);
        assert!(options.frozen_clock);
        assert_eq!(control_access(&options), ControlAccess::Off);
        assert_eq!(
            control_access(&serve_args(&["--no-control"])),
            ControlAccess::Off
        );
        let image = serve_args(&["--listen", "0.0.0.0:8080", "--control-token", ""]);
        assert_eq!(control_access(&image), ControlAccess::Off);
    }
}
