//! Proxies from the real process environment. The variables are
//! process-wide, so this binary holds a single test that sets them, and
//! nothing else runs beside it.

#![cfg(feature = "webpki-roots")]

mod proxy_support;

use plaid_core::transport::TransportErrorKind;
use plaid_hyper::HyperTransport;

use proxy_support::*;

const VARS: [&str; 9] = [
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    "REQUEST_METHOD",
];

#[tokio::test]
async fn proxy_variables_of_the_process_are_read_at_build() {
    for name in VARS {
        std::env::remove_var(name);
    }
    let (cert, key) = certificate();
    let (server, _) = destination(Some(server_tls(cert.clone(), key))).await;
    let (proxy, saw) = connect_proxy(
        Mode::Tunnel {
            required_auth: Some(basic("egress", PASSWORD)),
        },
        server,
    )
    .await;
    let url = format!("https://{DESTINATION}/accounts/get");

    // Lower case, with credentials, as many deployments set it.
    std::env::set_var(
        "https_proxy",
        format!("http://egress:{PASSWORD}@127.0.0.1:{proxy}"),
    );
    let transport = builder_trusting(&cert).build().expect("transport");
    send(&transport, &url).await.expect("through the proxy");
    assert_eq!(saw.lock().unwrap().len(), 1);
    assert!(!format!("{transport:?}").contains(PASSWORD));

    // The upper-case variable wins; as CGI (REQUEST_METHOD set) none is used.
    std::env::set_var("HTTPS_PROXY", "http://127.0.0.1:9");
    let upper = format!("{:?}", builder_trusting(&cert).build().expect("transport"));
    assert!(
        upper.contains("http://127.0.0.1:9 (from HTTPS_PROXY)"),
        "{upper}"
    );
    std::env::set_var("REQUEST_METHOD", "GET");
    let cgi = format!("{:?}", builder_trusting(&cert).build().expect("transport"));
    assert!(cgi.contains("proxy: None"), "{cgi}");
    std::env::remove_var("REQUEST_METHOD");
    std::env::remove_var("HTTPS_PROXY");

    // Switched off: not read at all.
    let off = builder_trusting(&cert)
        .proxy_from_env(false)
        .build()
        .expect("transport");
    assert!(format!("{off:?}").contains("proxy: None"));

    // HyperTransport::new() reads them too; an unusable value makes every
    // request fail, saying which variable, instead of going around it.
    let default = HyperTransport::new();
    assert!(format!("{default:?}").contains(&format!("127.0.0.1:{proxy}")));
    std::env::set_var(
        "https_proxy",
        format!("socks5://egress:{PASSWORD}@127.0.0.1:1"),
    );
    let unusable = HyperTransport::new();
    let err = send(&unusable, &url).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Refused);
    let text = format!("{err} {err:?}");
    assert!(
        text.contains("https_proxy") && text.contains("SOCKS"),
        "{text}"
    );
    assert!(!text.contains(PASSWORD), "{text}");

    for name in VARS {
        std::env::remove_var(name);
    }
}
