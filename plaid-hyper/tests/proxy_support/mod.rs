//! The test doubles for the proxy tests: a TLS (or plain) destination
//! server and a `CONNECT` proxy that records what it saw, both on
//! 127.0.0.1. The proxy resolves every destination to the local server, so
//! a name like `sandbox.plaid.test` is never looked up by the client: a
//! request for it can only have gone through the proxy.

#![allow(dead_code)] // each test binary uses part of it

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use plaid_core::transport::{HttpTransport, TransportError};
use plaid_hyper::rustls;
use plaid_hyper::{HyperTransport, HyperTransportBuilder};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

pub const LIMIT: Duration = Duration::from_secs(20);
pub const DESTINATION: &str = "sandbox.plaid.test";
/// The password used for the proxy; no message may contain it.
pub const PASSWORD: &str = "pr0xy-s3cret";

pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A self-signed certificate for the destination names and its key.
pub fn certificate() -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
    let key = rcgen::KeyPair::generate().expect("key");
    let cert = rcgen::CertificateParams::new(vec![DESTINATION.to_owned(), "localhost".to_owned()])
        .expect("params")
        .self_signed(&key)
        .expect("certificate");
    (
        cert.der().clone(),
        PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
    )
}

/// What the destination server saw of each request.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub proxy_authorization: bool,
}

/// An HTTP/1.1 server on 127.0.0.1 (TLS when `tls` is given) answering
/// `{}` and recording each request.
pub async fn destination(tls: Option<rustls::ServerConfig>) -> (u16, Arc<Mutex<Vec<Seen>>>) {
    let acceptor = tls.map(|config| tokio_rustls::TlsAcceptor::from(Arc::new(config)));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let record = Arc::clone(&record);
            tokio::spawn(async move {
                let service = service_fn(move |request: http::Request<hyper::body::Incoming>| {
                    record.lock().unwrap().push(Seen {
                        path: request.uri().path().to_owned(),
                        proxy_authorization: request.headers().contains_key("proxy-authorization"),
                    });
                    async {
                        Ok::<_, Infallible>(http::Response::new(Full::new(Bytes::from_static(
                            b"{}",
                        ))))
                    }
                });
                let http1 = hyper::server::conn::http1::Builder::new();
                match acceptor {
                    Some(acceptor) => {
                        let Ok(tls) = acceptor.accept(tcp).await else {
                            return;
                        };
                        if tls.get_ref().1.alpn_protocol() == Some(b"h2") {
                            let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                                .serve_connection(TokioIo::new(tls), service)
                                .await;
                        } else {
                            let _ = http1.serve_connection(TokioIo::new(tls), service).await;
                        }
                    }
                    None => {
                        let _ = http1.serve_connection(TokioIo::new(tcp), service).await;
                    }
                }
            });
        }
    });
    (port, seen)
}

pub fn server_tls(
    cert: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
) -> rustls::ServerConfig {
    let mut config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .expect("server config");
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    config
}

/// How the test proxy answers `CONNECT`.
#[derive(Clone)]
pub enum Mode {
    /// Opens the tunnel (when `Proxy-Authorization` is this value, if set).
    Tunnel { required_auth: Option<String> },
    /// Answers this status line and closes.
    Refuse(&'static str),
}

/// What the proxy saw on one connection.
#[derive(Debug, Default, Clone)]
pub struct ProxySaw {
    /// The request head, as received.
    pub head: String,
    /// Every byte the client sent into the tunnel.
    pub tunneled: Vec<u8>,
}

/// A `CONNECT` proxy on 127.0.0.1 that sends every tunnel to
/// `127.0.0.1:upstream`, whatever host was asked for.
pub async fn connect_proxy(mode: Mode, upstream: u16) -> (u16, Arc<Mutex<Vec<ProxySaw>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let saw = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&saw);
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let mode = mode.clone();
            let record = Arc::clone(&record);
            tokio::spawn(proxy_connection(client, mode, upstream, record));
        }
    });
    (port, saw)
}

pub async fn proxy_connection(
    mut client: TcpStream,
    mode: Mode,
    upstream: u16,
    record: Arc<Mutex<Vec<ProxySaw>>>,
) {
    let mut head = Vec::new();
    let mut byte = [0_u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
        match client.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let index = {
        let mut saw = record.lock().unwrap();
        saw.push(ProxySaw {
            head: head.clone(),
            tunneled: Vec::new(),
        });
        saw.len() - 1
    };
    let authorization = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("Proxy-Authorization: ")
                .or_else(|| l.strip_prefix("proxy-authorization: "))
        })
        .map(str::to_owned);
    let required_auth = match mode {
        Mode::Refuse(status) => {
            let _ = client
                .write_all(format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\n\r\n").as_bytes())
                .await;
            return;
        }
        Mode::Tunnel { required_auth } => required_auth,
    };
    if required_auth.is_some() && authorization != required_auth {
        let _ = client
            .write_all(
                b"HTTP/1.1 407 Proxy Authentication Required\r\n\
                  Proxy-Authenticate: Basic realm=\"egress\"\r\nContent-Length: 0\r\n\r\n",
            )
            .await;
        return;
    }
    if !head.starts_with("CONNECT ") {
        let _ = client
            .write_all(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            .await;
        return;
    }
    let Ok(mut server) = TcpStream::connect(("127.0.0.1", upstream)).await else {
        let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n").await;
        return;
    };
    if client
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .await
        .is_err()
    {
        return;
    }
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.split();
    let upload = async {
        let mut buf = [0_u8; 8192];
        loop {
            match client_read.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    record.lock().unwrap()[index]
                        .tunneled
                        .extend_from_slice(&buf[..n]);
                    if server_write.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
            }
        }
        let _ = server_write.shutdown().await;
    };
    let download = async {
        let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
        let _ = client_write.shutdown().await;
    };
    tokio::join!(upload, download);
}

/// A builder trusting `cert`, reading no proxy variables of the process.
pub fn builder(cert: &CertificateDer<'static>) -> HyperTransportBuilder {
    builder_trusting(cert).proxy_env(|_| None)
}

/// A builder trusting `cert`, with the default proxy settings.
pub fn builder_trusting(cert: &CertificateDer<'static>) -> HyperTransportBuilder {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert.clone()).expect("root");
    let config = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    HyperTransport::builder()
        .tls_config(config)
        .connect_timeout(Duration::from_secs(5))
}

pub fn post(url: &str) -> http::Request<Bytes> {
    http::Request::post(url)
        .header("content-type", "application/json")
        .header("plaid-secret", "plaid-secret-value")
        .body(Bytes::from_static(
            b"{\"access_token\":\"access-sandbox-1\"}",
        ))
        .expect("request")
}

pub async fn send(
    transport: &HyperTransport,
    url: &str,
) -> Result<http::Response<Bytes>, TransportError> {
    tokio::time::timeout(LIMIT, transport.send(post(url)))
        .await
        .expect("no hang")
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

pub fn basic(user: &str, password: &str) -> String {
    // RFC 7617 Basic credentials, encoded by hand so the expectation does
    // not come from the code under test.
    pub const TABLE: &[u8; 64] =
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let input = format!("{user}:{password}").into_bytes();
    let mut out = String::from("Basic ");
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
