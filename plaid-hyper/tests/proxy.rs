//! `HyperTransport` through an HTTP `CONNECT` proxy written for the tests
//! (`proxy_support`): HTTPS with TLS end to end to the destination (the
//! proxy sees only the `CONNECT`), plain HTTP through the tunnel, proxy
//! credentials, `NO_PROXY`, proxies from injected environment variables,
//! and every proxy failure as a typed error without credentials. The
//! process environment itself is tested in `proxy_env.rs`.

#![cfg(any(feature = "webpki-roots", feature = "native-roots"))]

mod proxy_support;

use std::collections::HashMap;

use plaid_core::transport::{TransportError, TransportErrorKind};
use plaid_hyper::{ProxyError, ProxyErrorKind};
use tokio::net::TcpListener;

use proxy_support::*;

fn proxy_error(err: &TransportError) -> &ProxyError {
    ProxyError::find(err).unwrap_or_else(|| panic!("no ProxyError in {err:?}"))
}

#[tokio::test]
async fn https_goes_through_a_connect_tunnel_with_tls_to_the_destination() {
    let (cert, key) = certificate();
    let (server, seen) = destination(Some(server_tls(cert.clone(), key))).await;
    let (proxy, saw) = connect_proxy(
        Mode::Tunnel {
            required_auth: None,
        },
        server,
    )
    .await;
    let transport = builder(&cert)
        .proxy(format!("http://127.0.0.1:{proxy}"))
        .build()
        .expect("transport");

    for _ in 0..2 {
        let response = send(&transport, &format!("https://{DESTINATION}/accounts/get"))
            .await
            .expect("through the proxy");
        assert_eq!(response.status(), 200);
        assert_eq!(&response.body()[..], b"{}");
        // ALPN with the destination, inside the tunnel, agreed on HTTP/2.
        assert_eq!(response.version(), http::Version::HTTP_2);
    }

    let saw = saw.lock().unwrap().clone();
    assert_eq!(saw.len(), 1, "the tunnel is pooled and reused: {saw:?}");
    assert!(
        saw[0].head.starts_with(&format!(
            "CONNECT {DESTINATION}:443 HTTP/1.1\r\nHost: {DESTINATION}:443\r\n"
        )),
        "{}",
        saw[0].head
    );
    assert!(!saw[0]
        .head
        .to_ascii_lowercase()
        .contains("proxy-authorization"));
    // Inside the tunnel: a TLS handshake record first, and none of the
    // request in clear.
    assert_eq!(saw[0].tunneled.first(), Some(&0x16), "TLS handshake first");
    for secret in [
        &b"/accounts/get"[..],
        b"plaid-secret-value",
        b"access-sandbox-1",
    ] {
        assert!(
            !contains(&saw[0].tunneled, secret),
            "the proxy saw {:?}",
            String::from_utf8_lossy(secret)
        );
    }
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    assert!(seen
        .iter()
        .all(|s| s.path == "/accounts/get" && !s.proxy_authorization));
}

#[tokio::test]
async fn proxy_credentials_go_to_the_proxy_only() {
    let (cert, key) = certificate();
    let (server, seen) = destination(Some(server_tls(cert.clone(), key))).await;
    // The user name and password are percent-encoded in the URL.
    let required = basic("egress@corp", PASSWORD);
    let (proxy, saw) = connect_proxy(
        Mode::Tunnel {
            required_auth: Some(required.clone()),
        },
        server,
    )
    .await;
    let transport = builder(&cert)
        .proxy(format!("http://egress%40corp:{PASSWORD}@127.0.0.1:{proxy}"))
        .build()
        .expect("transport");

    let response = send(&transport, &format!("https://{DESTINATION}/item/get"))
        .await
        .expect("authenticated");
    assert_eq!(response.status(), 200);
    assert!(saw.lock().unwrap()[0]
        .head
        .contains(&format!("\r\nProxy-Authorization: {required}\r\n")));
    assert!(!seen.lock().unwrap()[0].proxy_authorization);
    let debug = format!("{transport:?}");
    assert!(debug.contains(&format!("127.0.0.1:{proxy}")), "{debug}");
    assert!(
        !debug.contains(PASSWORD) && !debug.contains("egress"),
        "{debug}"
    );
}

#[tokio::test]
async fn plain_http_goes_through_the_tunnel() {
    let (cert, _) = certificate();
    let (server, seen) = destination(None).await;
    let (proxy, saw) = connect_proxy(
        Mode::Tunnel {
            required_auth: None,
        },
        server,
    )
    .await;
    let transport = builder(&cert)
        .proxy(format!("127.0.0.1:{proxy}")) // no scheme: http
        .allow_insecure_http(true)
        .build()
        .expect("transport");

    let response = send(&transport, &format!("http://{DESTINATION}/categories/get"))
        .await
        .expect("through the proxy");
    assert_eq!(response.status(), 200);
    let saw = saw.lock().unwrap().clone();
    assert!(
        saw[0]
            .head
            .starts_with(&format!("CONNECT {DESTINATION}:80 HTTP/1.1\r\n")),
        "{}",
        saw[0].head
    );
    // Origin-form inside the tunnel, as to the server itself.
    assert!(contains(
        &saw[0].tunneled,
        b"POST /categories/get HTTP/1.1\r\n"
    ));
    assert_eq!(seen.lock().unwrap()[0].path, "/categories/get");
}

#[tokio::test]
async fn no_proxy_hosts_go_direct() {
    let (cert, key) = certificate();
    let (server, seen) = destination(Some(server_tls(cert.clone(), key))).await;
    let (proxy, saw) = connect_proxy(
        Mode::Tunnel {
            required_auth: None,
        },
        server,
    )
    .await;
    let transport = builder(&cert)
        .proxy(format!("http://127.0.0.1:{proxy}"))
        .no_proxy("example.org, localhost")
        .build()
        .expect("transport");

    let response = send(&transport, &format!("https://localhost:{server}/auth/get"))
        .await
        .expect("direct");
    assert_eq!(response.status(), 200);
    assert!(saw.lock().unwrap().is_empty(), "the proxy was used");
    assert_eq!(seen.lock().unwrap().len(), 1);

    // Without the exemption, an explicit proxy is used for loopback too.
    let proxied = builder(&cert)
        .proxy(format!("http://127.0.0.1:{proxy}"))
        .no_proxy("example.org")
        .build()
        .expect("transport");
    send(&proxied, &format!("https://localhost:{server}/auth/get"))
        .await
        .expect("through the proxy");
    assert!(saw.lock().unwrap()[0]
        .head
        .starts_with(&format!("CONNECT localhost:{server} HTTP/1.1")));
}

#[tokio::test]
async fn environment_variables_are_used_unless_switched_off() {
    let (cert, key) = certificate();
    let (server, _) = destination(Some(server_tls(cert.clone(), key))).await;
    let (proxy, saw) = connect_proxy(
        Mode::Tunnel {
            required_auth: None,
        },
        server,
    )
    .await;
    let vars = HashMap::from([
        (
            "https_proxy".to_owned(),
            format!("http://user:{PASSWORD}@127.0.0.1:{proxy}"),
        ),
        ("NO_PROXY".to_owned(), "internal.example".to_owned()),
    ]);
    let lookup = |name: &str| vars.get(name).cloned();

    // Picked up: the request reaches a name only the proxy can resolve.
    let transport = builder(&cert).proxy_env(lookup).build().expect("transport");
    send(&transport, &format!("https://{DESTINATION}/accounts/get"))
        .await
        .expect("through the proxy from https_proxy");
    assert_eq!(saw.lock().unwrap().len(), 1);
    let debug = format!("{transport:?}");
    assert!(debug.contains("https_proxy"), "{debug}");
    assert!(!debug.contains(PASSWORD), "{debug}");

    // Loopback destinations never use a proxy from the environment.
    send(
        &transport,
        &format!("https://localhost:{server}/accounts/get"),
    )
    .await
    .expect("direct");
    assert_eq!(saw.lock().unwrap().len(), 1);

    // Switched off: the proxy is not asked.
    let off = builder(&cert)
        .proxy_env(lookup)
        .proxy_from_env(false)
        .build()
        .expect("transport");
    send(&off, &format!("https://localhost:{server}/accounts/get"))
        .await
        .expect("direct");
    assert_eq!(
        saw.lock().unwrap().len(),
        1,
        "the proxy was used while switched off"
    );
    let debug = format!("{off:?}");
    assert!(debug.contains("proxy: None"), "{debug}");
}

#[tokio::test]
async fn a_407_says_authentication_is_required_and_how_to_fix_it() {
    let (cert, key) = certificate();
    let (server, seen) = destination(Some(server_tls(cert.clone(), key))).await;
    let required = Some(basic("egress", "right"));
    let (proxy, _) = connect_proxy(
        Mode::Tunnel {
            required_auth: required,
        },
        server,
    )
    .await;
    let url = format!("https://{DESTINATION}/accounts/get");

    let without = builder(&cert)
        .proxy(format!("http://127.0.0.1:{proxy}"))
        .build()
        .expect("transport");
    let err = send(&without, &url).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Connect);
    let proxy_err = proxy_error(&err);
    assert_eq!(proxy_err.kind(), ProxyErrorKind::AuthenticationRequired);
    assert!(
        proxy_err.proxy().contains(&format!("127.0.0.1:{proxy}")),
        "{}",
        proxy_err.proxy()
    );
    let text = err.to_string();
    assert!(
        text.contains("407") && text.contains("http://user:password@host:port"),
        "{text}"
    );

    let wrong = builder(&cert)
        .proxy(format!("http://egress:{PASSWORD}@127.0.0.1:{proxy}"))
        .build()
        .expect("transport");
    let err = send(&wrong, &url).await.unwrap_err();
    assert_eq!(
        proxy_error(&err).kind(),
        ProxyErrorKind::AuthenticationRequired
    );
    let text = format!("{err} {err:?} {:?}", proxy_error(&err));
    assert!(text.contains("rejected the credentials"), "{text}");
    assert!(
        !text.contains(PASSWORD) && !text.contains("egress:"),
        "{text}"
    );
    assert!(seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_refused_connect_names_the_status() {
    let (cert, _) = certificate();
    let (proxy, _) = connect_proxy(Mode::Refuse("403 Forbidden"), 9).await;
    let transport = builder(&cert)
        .proxy(format!("http://127.0.0.1:{proxy}"))
        .build()
        .expect("transport");
    let err = send(&transport, &format!("https://{DESTINATION}/accounts/get"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Connect);
    assert_eq!(proxy_error(&err).kind(), ProxyErrorKind::TunnelRefused);
    let text = err.to_string();
    assert!(
        text.contains("403") && text.contains(&format!("{DESTINATION}:443")),
        "{text}"
    );
}

#[tokio::test]
async fn an_unreachable_proxy_is_named_without_its_credentials() {
    let (cert, _) = certificate();
    let closed = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let transport = builder(&cert)
        .proxy(format!("http://egress:{PASSWORD}@127.0.0.1:{port}"))
        .build()
        .expect("transport");
    let err = send(&transport, &format!("https://{DESTINATION}/accounts/get"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Connect);
    assert!(err.is_connect());
    let proxy_err = proxy_error(&err);
    assert_eq!(proxy_err.kind(), ProxyErrorKind::Unreachable);
    let text = format!("{err} {err:?} {proxy_err:?}");
    assert!(text.contains(&format!("http://127.0.0.1:{port}")), "{text}");
    assert!(
        !text.contains(PASSWORD) && !text.contains("egress"),
        "{text}"
    );
}

#[tokio::test]
async fn an_unusable_proxy_url_fails_the_build_without_credentials() {
    let (cert, _) = certificate();
    let err = builder(&cert)
        .proxy(format!("socks5://egress:{PASSWORD}@127.0.0.1:1080"))
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), plaid_hyper::BuildErrorKind::Proxy);
    let text = format!("{err} {err:?}");
    assert!(text.contains("SOCKS"), "{text}");
    assert!(!text.contains(PASSWORD), "{text}");

    let vars = HashMap::from([("HTTPS_PROXY", format!("http://egress:{PASSWORD}@[::1"))]);
    let err = builder(&cert)
        .proxy_env(|name| vars.get(name).cloned())
        .build()
        .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(text.contains("HTTPS_PROXY"), "{text}");
    assert!(!text.contains(PASSWORD), "{text}");
}
