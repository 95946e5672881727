//! Driving the fake over HTTP as a client in another language would: plain
//! HTTP/1.1 requests with JSON bodies, to an in-process server or to the
//! `plaid-mock` binary.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use plaid_mock::server::{RunningServer, ServerOptions};
use plaid_mock::MockPlaid;
use serde_json::{json, Value};

/// Generous bound for one step.
const STEP: Duration = Duration::from_secs(20);

/// One request over a fresh connection: `(status, JSON body or null)`.
pub fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: &str,
    headers: &[(&str, &str)],
) -> std::io::Result<(u16, Value)> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(STEP))?;
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes())?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    let text = String::from_utf8_lossy(&answer);
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            format!("no answer: {text:?}"),
        )
    })?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line in {head:?}")))?;
    Ok((status, serde_json::from_str(body).unwrap_or(Value::Null)))
}

/// What both kinds of server offer.
pub trait Target {
    fn addr(&self) -> SocketAddr;
    fn credentials(&self) -> (String, String);

    fn send(
        &self,
        method: &str,
        path: &str,
        body: &str,
        headers: &[(&str, &str)],
    ) -> std::io::Result<(u16, Value)> {
        send(self.addr(), method, path, body, headers)
    }

    fn get(&self, path: &str) -> (u16, Value) {
        self.send("GET", path, "", &[]).unwrap()
    }

    fn delete(&self, path: &str) -> (u16, Value) {
        self.send("DELETE", path, "", &[]).unwrap()
    }

    fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        self.send("POST", path, &body.to_string(), &[]).unwrap()
    }

    /// A Plaid call with the fake's credentials.
    fn try_plaid(&self, path: &str, body: Value) -> std::io::Result<(u16, Value)> {
        let (id, secret) = self.credentials();
        self.send(
            "POST",
            path,
            &body.to_string(),
            &[("plaid-client-id", &id), ("plaid-secret", &secret)],
        )
    }

    fn plaid(&self, path: &str, body: Value) -> (u16, Value) {
        self.try_plaid(path, body).unwrap()
    }

    /// `POST /_mock/items`: `{"access_token", "item_id"}`.
    fn link(&self) -> Value {
        let (status, item) = self.post("/_mock/items", &json!({}));
        assert_eq!(status, 200, "{item}");
        item
    }
}

/// An in-process fake served on 127.0.0.1 by its own runtime.
pub struct Served {
    pub mock: MockPlaid,
    server: Option<RunningServer>,
    runtime: tokio::runtime::Runtime,
}

impl Served {
    pub fn start(mock: MockPlaid, options: ServerOptions) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let server = runtime
            .block_on(plaid_mock::server::start_with(
                mock.clone(),
                "127.0.0.1:0".parse().unwrap(),
                options,
            ))
            .unwrap();
        Self {
            mock,
            server: Some(server),
            runtime,
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _guard = self.runtime.enter();
        self.server.take();
    }
}

impl Target for Served {
    fn addr(&self) -> SocketAddr {
        self.server.as_ref().unwrap().local_addr()
    }

    fn credentials(&self) -> (String, String) {
        (self.mock.client_id().into(), self.mock.secret().into())
    }
}

/// The `plaid-mock` binary on a free loopback port; killed when dropped.
pub struct Binary {
    child: Child,
    addr: SocketAddr,
}

impl Binary {
    /// Starts it with `flags` (plus `--listen 127.0.0.1:0`) and
    /// `PLAID_MOCK_CONTROL_TOKEN` set to `token` when given.
    pub fn start(flags: &[&str], token: Option<&str>) -> Self {
        let args = [&["--listen", "127.0.0.1:0"][..], flags].concat();
        match token {
            Some(token) => Self::launch(&args, &[("PLAID_MOCK_CONTROL_TOKEN", token)]),
            None => Self::launch(&args, &[]),
        }
    }

    /// Starts it with exactly `args` (which must choose a free port, e.g.
    /// `--listen 127.0.0.1:0`) and the environment variables `env`; waits
    /// for the first line it prints, which names the address.
    pub fn launch(args: &[&str], env: &[(&str, &str)]) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_plaid-mock"));
        command
            .args(args)
            .env_remove("PLAID_MOCK_CONTROL_TOKEN")
            .env_remove("PLAID_MOCK_LISTEN")
            .env_remove("PLAID_MOCK_ADDR_FILE")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = command.spawn().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?} ({args:?})"));
        Self { child, addr }
    }

    /// Its base URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Sends SIGTERM and waits for a clean exit.
    pub fn stop(mut self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = Instant::now() + STEP;
        loop {
            if let Some(exit) = self.child.try_wait().unwrap() {
                assert!(exit.success(), "plaid-mock exited with {exit}");
                return;
            }
            assert!(
                Instant::now() < deadline,
                "plaid-mock did not stop on SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Target for Binary {
    fn addr(&self) -> SocketAddr {
        self.addr
    }

    fn credentials(&self) -> (String, String) {
        ("mock-client-id".into(), "mock-secret".into())
    }
}

/// The `iat` claim of a `Plaid-Verification` JWT.
pub fn iat(jwt: &str) -> i64 {
    let payload = jwt.split('.').nth(1).expect("a JWT has three parts");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    let claims: Value = serde_json::from_slice(&bytes).unwrap();
    claims["iat"].as_i64().expect("an iat claim")
}

/// A fresh empty folder for one test, removed with what it holds when the
/// test ends (the value is dropped), whether it passed or not.
pub fn temp_dir(name: &str) -> TempDir {
    let dir = std::env::temp_dir().join(format!("plaid-mock-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}

/// A folder [`temp_dir`] made; reads as its `Path`.
pub struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = std::path::Path;

    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Polls `check` until it gives a value.
pub fn eventually<T>(mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + STEP;
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Accepts one HTTP request on `listener`, answers `status`, returns the
/// request's text.
pub fn answer_once(listener: &TcpListener, status: u16) -> String {
    let (mut stream, _) = listener.accept().unwrap();
    stream.set_read_timeout(Some(STEP)).unwrap();
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let n = stream.read(&mut buffer).unwrap();
        seen.extend_from_slice(&buffer[..n]);
        let text = String::from_utf8_lossy(&seen);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())
                        .flatten()
                })
                .unwrap_or(0);
            if body.len() >= length {
                break;
            }
        }
        if n == 0 {
            break;
        }
    }
    stream
        .write_all(
            format!("HTTP/1.1 {status} OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                .as_bytes(),
        )
        .unwrap();
    String::from_utf8_lossy(&seen).into_owned()
}
