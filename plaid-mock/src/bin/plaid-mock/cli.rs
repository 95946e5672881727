//! The command line: subcommands, options and the environment variables
//! they also read (clap, derived).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::parser::ValueSource;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use time::OffsetDateTime;

/// The environment variable of the control token.
pub(crate) const TOKEN_VARIABLE: &str = "PLAID_MOCK_CONTROL_TOKEN";

/// A fake Plaid over HTTP (the default, with no subcommand), and sessions
/// with Plaid's sandbox recorded, replayed and compared with the fake.
#[derive(Debug, Parser)]
#[command(name = "plaid-mock", version, args_conflicts_with_subcommands = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
    #[command(flatten)]
    pub(crate) serve: ServeArgs,
    /// Same as `check-health URL` (kept for older health checks).
    #[arg(long, value_name = "URL", hide = true)]
    pub(crate) check_health: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Serve the fake (what plaid-mock does with no subcommand).
    Serve(ServeArgs),
    /// Forward each request to an upstream and record the exchange in a
    /// cassette (JSON Lines), without credentials.
    Record(RecordArgs),
    /// Answer each request from a cassette, with no network.
    Replay(ReplayArgs),
    /// Send a cassette's requests to a fresh fake and report how its answers
    /// differ in shape; exit 0 when nothing differs, 1 otherwise.
    Diff(DiffArgs),
    /// Exit 0 if the plaid-mock at URL answers GET /_mock/health, 1
    /// otherwise (a container's health check).
    CheckHealth(CheckHealthArgs),
}

#[derive(Debug, Clone, Args)]
pub(crate) struct ServeArgs {
    /// Seed for every generated id, account and transaction [default: 42].
    #[arg(long, value_name = "N")]
    pub(crate) seed: Option<u64>,
    /// Transactions per new item [default: 50].
    #[arg(long, value_name = "N")]
    pub(crate) transactions: Option<usize>,
    /// Client id the fake accepts [default: mock-client-id].
    #[arg(long, value_name = "ID", requires = "secret")]
    pub(crate) client_id: Option<String>,
    /// Secret the fake accepts [default: mock-secret].
    #[arg(long, value_name = "S", requires = "client_id")]
    pub(crate) secret: Option<String>,
    /// Freeze the clock at this time [default: follow the wall clock].
    #[arg(long, value_name = "RFC3339", value_parser = parse_time, conflicts_with = "frozen_clock")]
    pub(crate) now: Option<OffsetDateTime>,
    /// Freeze the clock at the start time.
    #[arg(long)]
    pub(crate) frozen_clock: bool,
    /// Load the state from FILE at start (if it exists); save it there on
    /// SIGTERM/SIGINT and on POST /_mock/snapshot.
    #[arg(long, value_name = "FILE", env = "PLAID_MOCK_STATE")]
    pub(crate) state: Option<PathBuf>,
    /// The control API (/_mock/...) needs `Authorization: Bearer T`;
    /// without it the API is open on a loopback address and off on any
    /// other.
    #[arg(long, value_name = "T", env = TOKEN_VARIABLE, hide_env_values = true)]
    pub(crate) control_token: Option<String>,
    /// Turn the control API off.
    #[arg(long)]
    pub(crate) no_control: bool,
    /// Apply the rule for a non-loopback address even on loopback (tests).
    #[arg(long)]
    pub(crate) assume_non_loopback: bool,
    #[command(flatten)]
    pub(crate) listening: Listening,
    /// Whether the control token came from the environment (not an option).
    #[arg(skip)]
    pub(crate) token_from_env: bool,
}

/// Where a server subcommand listens, and where it says so.
#[derive(Debug, Clone, Args)]
pub(crate) struct Listening {
    /// Address to listen on (port 0 picks a free port).
    #[arg(
        long,
        value_name = "ADDR",
        env = "PLAID_MOCK_LISTEN",
        default_value = "127.0.0.1:8080"
    )]
    pub(crate) listen: SocketAddr,
    #[command(flatten)]
    pub(crate) addr_file: AddrFile,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct AddrFile {
    /// Write the URL served (http://HOST:PORT) to FILE once listening;
    /// `check-health` with no URL reads it.
    #[arg(long, value_name = "FILE", env = "PLAID_MOCK_ADDR_FILE")]
    pub(crate) addr_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct RecordArgs {
    /// Base URL to forward to: https://sandbox.plaid.com, or another fake.
    #[arg(long, value_name = "URL", env = "PLAID_MOCK_UPSTREAM")]
    pub(crate) upstream: String,
    /// The cassette to write (replaced if it exists).
    #[arg(long, value_name = "FILE")]
    pub(crate) cassette: PathBuf,
    /// A field whose values are replaced by stand-ins (the same value always
    /// by the same one); repeat it or separate with commas.
    #[arg(long, value_name = "FIELD", value_delimiter = ',')]
    pub(crate) redact: Vec<String>,
    #[command(flatten)]
    pub(crate) listening: Listening,
}

#[derive(Debug, Args)]
pub(crate) struct ReplayArgs {
    /// The cassette to answer from.
    #[arg(long, value_name = "FILE", env = "PLAID_MOCK_CASSETTE")]
    pub(crate) cassette: PathBuf,
    /// Who answers a request with no recording [default: a NO_RECORDING error].
    #[arg(long, value_name = "WHO")]
    pub(crate) fallback: Option<Fallback>,
    #[command(flatten)]
    pub(crate) listening: Listening,
}

/// Who answers what was not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Fallback {
    /// The stateful fake (default settings).
    Fake,
}

#[derive(Debug, Args)]
pub(crate) struct DiffArgs {
    /// The cassette whose requests are sent again.
    #[arg(long, value_name = "FILE", env = "PLAID_MOCK_CASSETTE")]
    pub(crate) cassette: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct CheckHealthArgs {
    /// The plaid-mock to ask [default: the URL in --addr-file, or
    /// http://127.0.0.1:8080].
    pub(crate) url: Option<String>,
    #[command(flatten)]
    pub(crate) addr_file: AddrFile,
}

fn parse_time(text: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map_err(|_| format!("{text:?} is not an RFC 3339 time like 2024-06-30T12:00:00Z"))
}

/// Parses the command line; notes where the control token came from.
pub(crate) fn parse(args: impl IntoIterator<Item = String>) -> Result<Cli, clap::Error> {
    let matches = Cli::command().try_get_matches_from(args)?;
    let mut cli = Cli::from_arg_matches(&matches)?;
    let from_env =
        |m: &clap::ArgMatches| m.value_source("control_token") == Some(ValueSource::EnvVariable);
    cli.serve.token_from_env = from_env(&matches);
    if let (Some(Command::Serve(serve)), Some(m)) =
        (&mut cli.command, matches.subcommand_matches("serve"))
    {
        serve.token_from_env = from_env(m);
    }
    Ok(cli)
}
