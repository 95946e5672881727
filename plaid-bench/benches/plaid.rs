//! `cargo bench -p plaid-bench`: every performance figure of plaid-rs next
//! to its floor, measured in the same run; prints one table.
//!
//! Options (after `--`): `--quick` (fewer runs, for a smoke test),
//! `--runs N` (runs per figure, default 7), `--skip-compile` (leave out the
//! build-time figures, which take several minutes), `--only-compile` (just
//! the build-time figures), `--compile-runs N` (default 3), `--workspace DIR`
//! (time the plaid-core of another checkout, e.g. the commit before a change).

use std::error::Error;
use std::time::Duration;

use bytes::Bytes;
use plaid_bench::alloc::{self, CountingAlloc};
use plaid_bench::child::{self, ChildServer, Server, CLIENT_ID, SECRET};
use plaid_bench::compile;
use plaid_bench::floor::RawClient;
use plaid_bench::load;
use plaid_bench::report::{self, Goal, Row};
use plaid_bench::samples::{timed, Samples};
use plaid_core::models::TransactionsGetResponse;
use plaid_core::test_util::CountingTransport;
use plaid_core::{Client, FromResponseBody, HttpTransport};
use plaid_hyper::HyperTransport;
use serde_json::{json, Value};
use time::macros::date;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// Every transaction of the fake's items lies in this range.
const START: time::Date = date!(2000 - 01 - 01);
const END: time::Date = date!(2100 - 01 - 01);
const TRANSACTIONS: usize = 10_000;

#[derive(Debug, Clone)]
struct Options {
    runs: usize,
    quick: bool,
    compile: bool,
    only_compile: bool,
    compile_runs: usize,
    workspace: Option<std::path::PathBuf>,
}

impl Options {
    fn from_args() -> Result<Self> {
        let mut options = Options {
            runs: 7,
            quick: false,
            compile: true,
            only_compile: false,
            compile_runs: 3,
            workspace: None,
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--quick" => {
                    options.quick = true;
                    options.runs = 3;
                    options.compile_runs = 1;
                }
                "--runs" => options.runs = args.next().ok_or("--runs N")?.parse()?,
                "--skip-compile" => options.compile = false,
                "--only-compile" => options.only_compile = true,
                "--workspace" => {
                    options.workspace = Some(args.next().ok_or("--workspace DIR")?.into())
                }
                "--compile-runs" => {
                    options.compile_runs = args.next().ok_or("--compile-runs N")?.parse()?
                }
                _ => {} // `cargo bench` adds `--bench`
            }
        }
        Ok(options)
    }
}

fn main() {
    child::serve_if_child();
    if let Err(error) = run() {
        eprintln!("plaid-bench: {error}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let options = Options::from_args()?;
    println!("{}", machine());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut rows = if options.only_compile {
        Vec::new()
    } else {
        runtime.block_on(http_and_in_process(&options))?
    };
    if options.compile || options.only_compile {
        rows.extend(build_times(&options)?);
    }
    println!();
    println!("{}", report::table(&rows));
    Ok(())
}

async fn http_and_in_process(options: &Options) -> Result<Vec<Row>> {
    let fake = ChildServer::start(&Server::Fake {
        transactions: TRANSACTIONS,
    })?;
    let client = http_client(fake.url(), HyperTransport::new())?;
    let token = link(&client).await?;
    let raw = RawClient::new(fake.url(), CLIENT_ID, SECRET);

    let mut rows = Vec::new();
    eprintln!("1/7 pagination over HTTP");
    rows.push(pagination(options, &client, &raw, &token).await?);
    eprintln!("2/7 decoding");
    rows.push(decoding(options, &raw, &token).await?);
    eprintln!("3/7 256 concurrent calls");
    rows.extend(concurrency(options, fake, &token).await?);
    eprintln!("4/7 in-process fake");
    rows.extend(in_process(options).await?);
    eprintln!("5/7 HTTP fake throughput");
    rows.push(fake_throughput(options).await?);
    eprintln!("6/7 peak memory");
    let fake = ChildServer::start(&Server::Fake {
        transactions: TRANSACTIONS,
    })?;
    rows.extend(memory(options, &fake).await?);
    Ok(rows)
}

fn http_client(url: &str, transport: impl HttpTransport + 'static) -> Result<Client> {
    Ok(Client::builder()
        .base_url(url)
        .credentials(CLIENT_ID, SECRET)
        .transport(transport)
        .build()?)
}

/// Links an item on the fake and returns its access token.
async fn link(client: &Client) -> Result<String> {
    let created = client
        .sandbox()
        .public_token()
        .create(
            "ins_109508",
            vec![
                plaid_core::models::Products::Transactions,
                plaid_core::models::Products::Auth,
            ],
        )
        .await?;
    let exchanged = client
        .item()
        .public_token()
        .exchange(&created.public_token)
        .await?;
    Ok(exchanged.access_token)
}

fn seconds(value: f64) -> String {
    if value < 1e-3 {
        format!("{:.1} µs", value * 1e6)
    } else if value < 1.0 {
        format!("{:.2} ms", value * 1e3)
    } else {
        format!("{value:.2} s")
    }
}

fn rate(value: f64, unit: &str) -> String {
    format!("{value:.0} {unit}/s")
}

fn mebibytes(bytes: f64) -> String {
    format!("{:.1} MiB", bytes / (1024.0 * 1024.0))
}

/// Goal 1: every transaction of a 10,000-transaction item, typed, against
/// the raw client decoding into `Value`.
async fn pagination(
    options: &Options,
    client: &Client,
    raw: &RawClient,
    token: &str,
) -> Result<Row> {
    let (start, end) = (START.to_string(), END.to_string());
    let (mut ours, mut floor) = (Samples::new(), Samples::new());
    for run in 0..=options.runs {
        let (took, all) = timed(
            client
                .transactions()
                .get(token)
                .start_date(START)
                .end_date(END)
                .collect_all(),
        )
        .await;
        let count = all?.len();
        check_count(count)?;
        let (took_floor, all) = timed(raw.all_transactions(token, &start, &end)).await;
        check_count(all?.len())?;
        if run > 0 {
            // Run 0 warms both up (connections, caches).
            ours.push(took.as_secs_f64());
            floor.push(took_floor.as_secs_f64());
        }
    }
    Ok(Row {
        figure: "1. fetch all 10,000 transactions, `/transactions/get` pages over loopback HTTP"
            .into(),
        ours: seconds(ours.median()),
        floor: seconds(floor.median()),
        ratio_of: "ours / floor",
        ratio: ours.median() / floor.median(),
        goal: Goal::AtMost(1.10),
    })
}

fn check_count(count: usize) -> Result<()> {
    if count == TRANSACTIONS {
        Ok(())
    } else {
        Err(format!("fetched {count} transactions, expected {TRANSACTIONS}").into())
    }
}

/// Goal 2: decoding one 500-transaction answer, typed, against `Value`.
async fn decoding(options: &Options, raw: &RawClient, token: &str) -> Result<Row> {
    let body = raw
        .post_bytes(
            "/transactions/get",
            &json!({"access_token": token, "start_date": START.to_string(),
                    "end_date": END.to_string(), "options": {"count": 500}}),
        )
        .await?;
    let typed = TransactionsGetResponse::from_response_body(&body)
        .map_err(|e| format!("the page does not decode: {e:?}"))?;
    if typed.transactions.len() != 500 {
        return Err("the page does not hold 500 transactions".into());
    }
    let iterations = if options.quick { 10 } else { 40 };
    let (mut ours, mut floor) = (Samples::new(), Samples::new());
    for _ in 0..options.runs * 2 {
        let (took, ()) = timed(async {
            for _ in 0..iterations {
                let decoded =
                    TransactionsGetResponse::from_response_body(std::hint::black_box(&body));
                std::hint::black_box(decoded.is_ok());
            }
        })
        .await;
        ours.push(took.as_secs_f64() / iterations as f64);
        let (took, ()) = timed(async {
            for _ in 0..iterations {
                let decoded = serde_json::from_slice::<Value>(std::hint::black_box(&body));
                std::hint::black_box(decoded.is_ok());
            }
        })
        .await;
        floor.push(took.as_secs_f64() / iterations as f64);
    }
    Ok(Row {
        figure: format!(
            "2. decode a 500-transaction `/transactions/get` body ({} KiB), typed vs `serde_json::Value`",
            body.len() / 1024
        ),
        ours: seconds(ours.median()),
        floor: seconds(floor.median()),
        ratio_of: "floor / ours",
        ratio: floor.median() / ours.median(),
        goal: Goal::AtLeast(1.0),
    })
}

/// Goal 3: 256 concurrent `/accounts/balance/get` calls through one client.
async fn concurrency(options: &Options, mut fake: ChildServer, token: &str) -> Result<Vec<Row>> {
    const TASKS: usize = 256;
    let per_task = if options.quick { 4 } else { 16 };
    let transport = HyperTransport::new();
    let pool_size = transport.max_connections_per_host();
    let client = http_client(fake.url(), transport)?;
    let raw = RawClient::new(fake.url(), CLIENT_ID, SECRET);
    let (mut ours, mut floor) = (Samples::new(), Samples::new());
    let (mut ours_connections, mut floor_connections) = (0, 0);
    for _ in 0..options.runs {
        let before = fake.connections()?;
        let mut tasks = tokio::task::JoinSet::new();
        let (took, ()) = timed(async {
            for _ in 0..TASKS {
                let client = client.clone();
                let token = token.to_owned();
                tasks.spawn(async move {
                    for _ in 0..per_task {
                        client.accounts().balance().get(&token).await?;
                    }
                    Ok::<_, plaid_core::Error>(())
                });
            }
            while let Some(done) = tasks.join_next().await {
                if let Ok(Err(error)) = done {
                    eprintln!("a balance call failed: {error}");
                }
            }
        })
        .await;
        ours.push((TASKS * per_task) as f64 / took.as_secs_f64());
        ours_connections += fake.connections()? - before;

        let before = fake.connections()?;
        let mut tasks = tokio::task::JoinSet::new();
        let (took, ()) = timed(async {
            for _ in 0..TASKS {
                let raw = raw.clone();
                let body = json!({"access_token": token});
                tasks.spawn(async move {
                    for _ in 0..per_task {
                        raw.post("/accounts/balance/get", &body).await?;
                    }
                    Ok::<_, String>(())
                });
            }
            while let Some(done) = tasks.join_next().await {
                if let Ok(Err(error)) = done {
                    eprintln!("a raw balance call failed: {error}");
                }
            }
        })
        .await;
        floor.push((TASKS * per_task) as f64 / took.as_secs_f64());
        floor_connections += fake.connections()? - before;
    }
    Ok(vec![
        Row {
            figure: "3. 256 concurrent `/accounts/balance/get` calls through one `Client`, throughput"
                .into(),
            ours: rate(ours.median(), "calls"),
            floor: rate(floor.median(), "calls"),
            ratio_of: "ours / floor",
            ratio: ours.median() / floor.median(),
            goal: Goal::AtLeast(0.9),
        },
        Row {
            figure: format!(
                "3. connections opened over {} runs (pool size {pool_size}; floor: hyper-util, unbounded)",
                options.runs
            ),
            ours: format!("{ours_connections} connections"),
            floor: format!("{floor_connections} connections"),
            ratio_of: "ours / pool size",
            ratio: ours_connections as f64 / pool_size as f64,
            goal: Goal::AtMost(1.0),
        },
    ])
}

/// Goal 4: the in-process fake through the full client, against a wiremock
/// stub over HTTP answering the same bytes.
async fn in_process(options: &Options) -> Result<Vec<Row>> {
    let calls = if options.quick { 5_000 } else { 20_000 };
    let stub_calls = if options.quick { 500 } else { 2_000 };
    let mock = plaid_mock::MockPlaid::builder().seed(7).build();
    let client = mock.client();
    let (token, _) = mock
        .link_item("ins_109508", &["transactions"])
        .map_err(|e| e.to_string())?;
    let answer = client
        .send_raw("/accounts/get", json!({"access_token": token}))
        .await?;

    let stub = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .and(wiremock::matchers::path("/accounts/get"))
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .set_body_raw(serde_json::to_vec(&answer)?, "application/json"),
        )
        .mount(&stub)
        .await;
    let stub_client = http_client(&stub.uri(), HyperTransport::new())?;

    let (mut ours, mut floor) = (Samples::new(), Samples::new());
    for run in 0..=options.runs {
        let (took, result) = timed(async {
            for _ in 0..calls {
                client.accounts().get(&token).await?;
            }
            Ok::<_, plaid_core::Error>(())
        })
        .await;
        result?;
        let (took_stub, result) = timed(async {
            for _ in 0..stub_calls {
                stub_client.accounts().get(&token).await?;
            }
            Ok::<_, plaid_core::Error>(())
        })
        .await;
        result?;
        if run > 0 {
            ours.push(calls as f64 / took.as_secs_f64());
            floor.push(stub_calls as f64 / took_stub.as_secs_f64());
        }
    }
    Ok(vec![
        Row {
            figure:
                "4. in-process `MockPlaid`, `/accounts/get` through the full `Client`, one core"
                    .into(),
            ours: rate(ours.median(), "calls"),
            floor: "100000 calls/s (the goal)".into(),
            ratio_of: "ours / 100,000",
            ratio: ours.median() / 100_000.0,
            goal: Goal::AtLeast(1.0),
        },
        Row {
            figure: "4. the same calls: in-process `MockPlaid` vs a wiremock stub over HTTP".into(),
            ours: rate(ours.median(), "calls"),
            floor: rate(floor.median(), "calls"),
            ratio_of: "ours / wiremock",
            ratio: ours.median() / floor.median(),
            goal: Goal::AtLeast(20.0),
        },
    ])
}

/// Goal 5: the HTTP fake against a hyper server answering pre-serialized
/// bytes, both loaded over 64 keep-alive connections.
async fn fake_throughput(options: &Options) -> Result<Row> {
    const CONNECTIONS: usize = 64;
    let duration = Duration::from_millis(if options.quick { 500 } else { 2_000 });
    let fake = ChildServer::start(&Server::Fake { transactions: 50 })?;
    let client = http_client(fake.url(), HyperTransport::new())?;
    let token = link(&client).await?;
    let body = Bytes::from(json!({"access_token": token}).to_string());
    let answer = RawClient::new(fake.url(), CLIENT_ID, SECRET)
        .post_bytes("/accounts/get", &json!({"access_token": token}))
        .await?;
    let body_file = std::env::temp_dir().join(format!("plaid-bench-{}.json", std::process::id()));
    std::fs::write(&body_file, &answer)?;
    let canned = ChildServer::start(&Server::Canned {
        body_file: body_file.clone(),
    })?;

    let parts = |url: &str| -> Result<http::request::Parts> {
        let authority = url.trim_start_matches("http://");
        let (parts, ()) = http::Request::post("/accounts/get")
            .header(http::header::HOST, authority)
            .header(http::header::CONTENT_TYPE, "application/json")
            .header("plaid-client-id", CLIENT_ID)
            .header("plaid-secret", SECRET)
            .header("plaid-version", "2020-09-14")
            .body(())?
            .into_parts();
        Ok(parts)
    };
    let addr = |url: &str| -> Result<std::net::SocketAddr> {
        Ok(url.trim_start_matches("http://").parse()?)
    };
    let (mut ours, mut floor) = (Samples::new(), Samples::new());
    for _ in 0..options.runs {
        let run = load::keep_alive(
            addr(fake.url())?,
            CONNECTIONS,
            duration,
            parts(fake.url())?,
            body.clone(),
        )
        .await?;
        if run.errors > 0 {
            return Err(format!("the fake failed {} requests", run.errors).into());
        }
        ours.push(run.per_second());
        let run = load::keep_alive(
            addr(canned.url())?,
            CONNECTIONS,
            duration,
            parts(canned.url())?,
            body.clone(),
        )
        .await?;
        floor.push(run.per_second());
    }
    let _ = std::fs::remove_file(body_file);
    Ok(Row {
        figure:
            "5. HTTP fake serving `/accounts/get` to 64 keep-alive connections, one server thread"
                .into(),
        ours: rate(ours.median(), "requests"),
        floor: rate(floor.median(), "requests"),
        ratio_of: "ours / floor",
        ratio: ours.median() / floor.median(),
        goal: Goal::AtLeast(0.5),
    })
}

/// Goal 6: peak heap while fetching 10,000 transactions, against the bytes
/// of JSON received.
async fn memory(options: &Options, fake: &ChildServer) -> Result<Vec<Row>> {
    // Counts the body bytes the transport receives.
    let counting = CountingTransport::new(HyperTransport::new());
    let client = http_client(fake.url(), counting.clone())?;
    let token = link(&client).await?;
    let raw = RawClient::new(fake.url(), CLIENT_ID, SECRET);
    let (start, end) = (START.to_string(), END.to_string());
    let (mut ours, mut json_bytes, mut floor) = (Samples::new(), Samples::new(), Samples::new());
    for run in 0..=options.runs.min(5) {
        counting.reset();
        alloc::start_counting();
        let all = client
            .transactions()
            .get(&token)
            .start_date(START)
            .end_date(END)
            .collect_all()
            .await;
        let peak = alloc::stop_counting();
        let all = all?;
        check_count(all.len())?;
        drop(all);
        alloc::start_counting();
        let all = raw.all_transactions(&token, &start, &end).await;
        let floor_peak = alloc::stop_counting();
        let all = all?;
        drop(all);
        if run > 0 {
            ours.push(peak as f64);
            json_bytes.push(counting.bytes_received() as f64);
            floor.push(floor_peak as f64);
        }
    }
    Ok(vec![
        Row {
            figure:
                "6. peak heap while fetching 10,000 transactions (result included) vs JSON received"
                    .into(),
            ours: mebibytes(ours.median()),
            floor: mebibytes(json_bytes.median()),
            ratio_of: "peak / JSON bytes",
            ratio: ours.median() / json_bytes.median(),
            goal: Goal::AtMost(2.0),
        },
        Row {
            figure: "6. for comparison: the raw client's peak holding the same as `Value`s".into(),
            ours: mebibytes(floor.median()),
            floor: mebibytes(json_bytes.median()),
            ratio_of: "peak / JSON bytes",
            ratio: floor.median() / json_bytes.median(),
            goal: Goal::Report,
        },
    ])
}

/// Goal 7: cold and incremental builds of plaid-core and of crates.io's
/// `plaid`.
fn build_times(options: &Options) -> Result<Vec<Row>> {
    eprintln!("7/7 build times (several minutes)");
    let this_workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("no workspace root")?;
    let root = options.workspace.as_deref().unwrap_or(this_workspace);
    eprintln!("timing the plaid-core of {}", root.display());
    let scratch = std::env::temp_dir().join("plaid-bench-compile");
    std::fs::create_dir_all(&scratch)?;
    let (version, plaid_dir) = compile::fetch_crates_io_plaid(&scratch)?;
    let (mut ours_cold, mut ours_warm, mut theirs_cold, mut theirs_warm) = (
        Samples::new(),
        Samples::new(),
        Samples::new(),
        Samples::new(),
    );
    for _ in 0..options.compile_runs {
        let ours = compile::build_times(
            &root.join("Cargo.toml"),
            Some("plaid-core"),
            &root.join("plaid-core/src/lib.rs"),
            &scratch.join("target-plaid-core"),
        )?;
        ours_cold.push(ours.cold.as_secs_f64());
        ours_warm.push(ours.incremental.as_secs_f64());
        let theirs = compile::build_times(
            &plaid_dir.join("Cargo.toml"),
            None,
            &plaid_dir.join("src/lib.rs"),
            &scratch.join("target-plaid"),
        )?;
        theirs_cold.push(theirs.cold.as_secs_f64());
        theirs_warm.push(theirs.incremental.as_secs_f64());
    }
    // Several GiB of build output; nothing else needs it.
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(vec![
        Row {
            figure: format!("7. cold `cargo build` (dependencies included): plaid-core, default features vs `plaid` {version} from crates.io"),
            ours: seconds(ours_cold.median()),
            floor: seconds(theirs_cold.median()),
            ratio_of: "ours / plaid",
            ratio: ours_cold.median() / theirs_cold.median(),
            goal: Goal::Report,
        },
        Row {
            figure: format!("7. incremental `cargo build` after touching `src/lib.rs`: plaid-core vs `plaid` {version}"),
            ours: seconds(ours_warm.median()),
            floor: seconds(theirs_warm.median()),
            ratio_of: "ours / plaid",
            ratio: ours_warm.median() / theirs_warm.median(),
            goal: Goal::Report,
        },
    ])
}

/// One line about the machine: CPU model, cores, memory, compiler.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|l| l.trim().trim_end_matches(" kB").parse::<f64>().ok())
        .map_or("? GiB".into(), |kb| {
            format!("{:.0} GiB", kb / 1024.0 / 1024.0)
        });
    let rustc = std::process::Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("machine: {model}, {cores} cores, {memory}; {rustc}; release build")
}
