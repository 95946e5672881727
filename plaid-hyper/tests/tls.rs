//! `HyperTransport` over TLS to local servers with a test certificate: HTTP/2
//! when ALPN agrees on it (every request on one connection), HTTP/1.1
//! otherwise, and an untrusted certificate refused.

#![cfg(any(feature = "webpki-roots", feature = "native-roots"))]

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use plaid_core::transport::{HttpTransport, TransportErrorKind};
use plaid_hyper::rustls;
use plaid_hyper::HyperTransport;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::TcpListener;

const LIMIT: Duration = Duration::from_secs(20);

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A self-signed certificate for `localhost` and its key.
fn certificate() -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
    let key = rcgen::KeyPair::generate().expect("key");
    let cert = rcgen::CertificateParams::new(vec!["localhost".to_owned()])
        .expect("params")
        .self_signed(&key)
        .expect("certificate");
    (
        cert.der().clone(),
        PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
    )
}

/// A TLS server on 127.0.0.1 offering `alpn`, answering `{}`; returns its
/// port and how many connections it accepted.
async fn tls_server(
    cert: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
    alpn: &[&[u8]],
) -> (u16, Arc<AtomicUsize>) {
    let mut config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .expect("server config");
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            counter.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2");
                let service = service_fn(|_request| async {
                    tokio::time::sleep(Duration::from_millis(2)).await;
                    Ok::<_, Infallible>(http::Response::new(Full::new(Bytes::from_static(b"{}"))))
                });
                let io = TokioIo::new(tls);
                if h2 {
                    let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                        .serve_connection(io, service)
                        .await;
                } else {
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service)
                        .await;
                }
            });
        }
    });
    (port, accepted)
}

fn trusting(cert: &CertificateDer<'static>, max_connections: usize) -> HyperTransport {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert.clone()).expect("root");
    let config = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    HyperTransport::builder()
        .tls_config(config)
        .max_connections_per_host(max_connections)
        .build()
        .expect("transport")
}

fn post(port: u16) -> http::Request<Bytes> {
    http::Request::post(format!("https://localhost:{port}/accounts/get"))
        .header("content-type", "application/json")
        .body(Bytes::from_static(b"{}"))
        .expect("request")
}

/// Sends `count` requests at once and returns the HTTP versions answered.
async fn burst(transport: &HyperTransport, port: u16, count: usize) -> Vec<http::Version> {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..count {
        let transport = transport.clone();
        tasks.spawn(async move { transport.send(post(port)).await });
    }
    let mut versions = Vec::new();
    tokio::time::timeout(LIMIT, async {
        while let Some(done) = tasks.join_next().await {
            let answer = done.expect("no panic").expect("answer");
            assert_eq!(answer.status(), 200);
            assert_eq!(answer.body(), "{}");
            versions.push(answer.version());
        }
    })
    .await
    .expect("in time");
    versions
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http2_multiplexes_every_request_over_one_connection() {
    let (cert, key) = certificate();
    let (port, accepted) = tls_server(cert.clone(), key, &[b"h2", b"http/1.1"]).await;
    let transport = trusting(&cert, 4);

    let first = burst(&transport, port, 1).await;
    assert_eq!(first, [http::Version::HTTP_2]);
    assert_eq!(accepted.load(Ordering::SeqCst), 1);

    // 200 at once: far more than the bound of 4, none waits for a slot, and
    // all share the one connection.
    let versions = burst(&transport, port, 200).await;
    assert!(versions.iter().all(|v| *v == http::Version::HTTP_2));
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http1_over_tls_keeps_to_the_bound() {
    let (cert, key) = certificate();
    let (port, accepted) = tls_server(cert.clone(), key, &[b"http/1.1"]).await;
    let transport = trusting(&cert, 3);
    let versions = burst(&transport, port, 60).await;
    assert!(versions.iter().all(|v| *v == http::Version::HTTP_11));
    let opened = accepted.load(Ordering::SeqCst);
    assert!(
        (1..=3).contains(&opened),
        "{opened} connections for a bound of 3"
    );
}

#[tokio::test]
async fn an_untrusted_certificate_is_a_connect_error() {
    let (cert, key) = certificate();
    let (port, accepted) = tls_server(cert, key, &[b"h2"]).await;
    let (other, _) = certificate();
    let transport = trusting(&other, 4);
    let err = tokio::time::timeout(LIMIT, transport.send(post(port)))
        .await
        .expect("in time")
        .expect_err("an unknown issuer is refused");
    assert_eq!(err.kind(), TransportErrorKind::Connect, "{err}");
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}
