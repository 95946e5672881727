//! The health probe of a running server (`plaid-mock check-health`, the
//! container's health check): `GET /_mock/health` over a plain socket, so
//! that it needs no runtime and no curl.

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

/// How long connecting, and then reading the answer, may take.
const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// The base URL clients use for a server bound to `addr`: an unspecified
/// address (`0.0.0.0`, `[::]`) is reached on the loopback address of its
/// family.
///
/// ```
/// let url = plaid_mock::server::url_for("0.0.0.0:8080".parse().unwrap());
/// assert_eq!(url, "http://127.0.0.1:8080");
/// ```
pub fn url_for(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, addr.port()))
}

/// Asks the plaid-mock at `url` (`http://HOST:PORT`) for `GET
/// /_mock/health`.
///
/// # Errors
///
/// When `url` is not like `http://127.0.0.1:8080`, the server cannot be
/// reached, or it does not answer `200`; the message says which.
pub fn check_health(url: &str) -> Result<(), String> {
    let authority = url
        .trim()
        .strip_prefix("http://")
        .map(|rest| rest.trim_end_matches('/'))
        .filter(|a| !a.contains('/'))
        .ok_or_else(|| format!("check-health: {url:?} is not like http://127.0.0.1:8080"))?;
    let addr = std::net::ToSocketAddrs::to_socket_addrs(authority)
        .map_err(|e| format!("{authority}: {e}"))?
        .next()
        .ok_or_else(|| format!("{authority}: no address"))?;
    let mut stream = std::net::TcpStream::connect_timeout(&addr, PROBE_TIMEOUT)
        .map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    stream
        .set_read_timeout(Some(PROBE_TIMEOUT))
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
