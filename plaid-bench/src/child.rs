//! Servers in a child process.
//!
//! The benchmark binary re-runs itself with [`CHILD_FLAG`] to serve the fake
//! (or the canned-bytes floor) in its own process: the server's CPU time and
//! allocations then stay out of the figures measured for the client, and
//! both servers run the same way (one thread, one runtime).
//!
//! The child prints `listening <url>` on stdout, answers `connections` on
//! stdin with the number of TCP connections it accepted, and exits when its
//! stdin closes (so it never outlives the benchmark).

use std::convert::Infallible;
use std::io::{self, BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use plaid_mock::MockPlaid;

/// The first argument that makes the benchmark binary a server.
pub const CHILD_FLAG: &str = "--plaid-bench-child";

/// The fake's credentials in every benchmark.
pub const CLIENT_ID: &str = "bench-client";
/// See [`CLIENT_ID`].
pub const SECRET: &str = "bench-secret";

/// What a child process serves.
#[derive(Debug, Clone)]
pub enum Server {
    /// `plaid_mock::server` over a fake whose items have this many
    /// transactions.
    Fake {
        /// Transactions per new item.
        transactions: usize,
    },
    /// A bare hyper server that reads each request and answers the bytes of
    /// this file, serialized once: the floor for a server.
    Canned {
        /// The answer body (JSON).
        body_file: std::path::PathBuf,
    },
}

/// A server running in a child process; killed when dropped.
#[derive(Debug)]
pub struct ChildServer {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    url: String,
}

impl ChildServer {
    /// Starts `server` in a child process and waits until it listens.
    pub fn start(server: &Server) -> io::Result<Self> {
        let mut command = Command::new(std::env::current_exe()?);
        command.arg(CHILD_FLAG);
        match server {
            Server::Fake { transactions } => command.args(["fake", &transactions.to_string()]),
            Server::Canned { body_file } => command.arg("canned").arg(body_file),
        };
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(io::Error::other("child without pipes"));
        };
        let mut stdout = BufReader::new(stdout);
        let mut line = String::new();
        stdout.read_line(&mut line)?;
        let Some(url) = line.trim().strip_prefix("listening ") else {
            let _ = child.kill();
            return Err(io::Error::other(format!("child server said {line:?}")));
        };
        Ok(Self {
            url: url.to_owned(),
            child,
            stdin,
            stdout,
        })
    }

    /// The server's base URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// How many TCP connections the server has accepted so far.
    pub fn connections(&mut self) -> io::Result<u64> {
        writeln!(self.stdin, "connections")?;
        self.stdin.flush()?;
        let mut line = String::new();
        self.stdout.read_line(&mut line)?;
        line.trim()
            .parse()
            .map_err(|_| io::Error::other(format!("child answered {line:?}")))
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// In the child process (first argument [`CHILD_FLAG`]): serves until stdin
/// closes and never returns. Otherwise returns at once.
pub fn serve_if_child() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) != Some(CHILD_FLAG) {
        return;
    }
    let result = match (args.get(1).map(String::as_str), args.get(2)) {
        (Some("fake"), Some(n)) => match n.parse() {
            Ok(transactions) => serve(Server::Fake { transactions }),
            Err(_) => Err(io::Error::other(format!("bad transaction count {n:?}"))),
        },
        (Some("canned"), Some(path)) => serve(Server::Canned {
            body_file: path.into(),
        }),
        _ => Err(io::Error::other(format!("bad child arguments {args:?}"))),
    };
    if let Err(error) = result {
        eprintln!("plaid-bench child: {error}");
        std::process::exit(1);
    }
    std::process::exit(0);
}

fn serve(server: Server) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let addr = SocketAddr::from(([127, 0, 0, 1], 0));
        let connections: Arc<dyn Fn() -> u64 + Send + Sync> = match server {
            Server::Fake { transactions } => {
                let mock = MockPlaid::builder()
                    .seed(7)
                    .credentials(CLIENT_ID, SECRET)
                    .transactions_per_item(transactions)
                    .build();
                let running = plaid_mock::server::start(mock, addr).await?;
                println!("listening {}", running.url());
                let running = Arc::new(running);
                Arc::new(move || running.connections_accepted())
            }
            Server::Canned { body_file } => {
                let (url, counter) = serve_canned(&body_file, addr).await?;
                println!("listening {url}");
                Arc::new(move || counter.load(Ordering::Relaxed))
            }
        };
        io::stdout().flush()?;
        // Stdin is read on a thread of its own; the runtime keeps serving.
        let (done_tx, done_rx) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            for line in io::stdin().lock().lines() {
                let Ok(line) = line else { break };
                if line.trim() == "connections" {
                    println!("{}", connections());
                    let _ = io::stdout().flush();
                }
            }
            let _ = done_tx.send(());
        });
        let _ = done_rx.await;
        Ok(())
    })
}

/// Serves `body_file`'s bytes to every request: the least a server can do.
async fn serve_canned(body_file: &Path, addr: SocketAddr) -> io::Result<(String, Arc<AtomicU64>)> {
    let body = Bytes::from(std::fs::read(body_file)?);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let url = format!("http://{}", listener.local_addr()?);
    let counter = Arc::new(AtomicU64::new(0));
    let accepted = Arc::clone(&counter);
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            accepted.fetch_add(1, Ordering::Relaxed);
            let _ = stream.set_nodelay(true);
            let body = body.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request: http::Request<hyper::body::Incoming>| {
                    let body = body.clone();
                    async move {
                        // Read the request like any server must.
                        let _ = request.into_body().collect().await;
                        let mut response = http::Response::new(Full::new(body));
                        response.headers_mut().insert(
                            http::header::CONTENT_TYPE,
                            http::HeaderValue::from_static("application/json"),
                        );
                        Ok::<_, Infallible>(response)
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok((url, counter))
}
