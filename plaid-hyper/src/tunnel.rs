//! The HTTP `CONNECT` handshake that turns a connection to a proxy into a
//! tunnel to the destination.
//!
//! hyper-util 0.1 has a tunnel connector (`connect::proxy::Tunnel`), but its
//! error type is not exported (a 407 cannot be told from other failures
//! except by its message) and it drops the status of a refused `CONNECT`;
//! both are what [`ProxyError`](crate::ProxyError) exists to report, so the
//! few lines of the handshake live here.

use std::io;

use http::HeaderValue;
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};

/// The most bytes of a proxy's answer head accepted.
const MAX_HEAD: usize = 16 * 1024;

/// Why a proxy did not open the tunnel.
#[derive(Debug)]
pub(crate) enum TunnelFailure {
    /// Writing the request or reading the answer failed.
    Io(io::Error),
    /// The proxy closed the connection before a complete answer.
    Closed,
    /// The answer was not an HTTP/1.x status line, or its head was too long.
    Malformed,
    /// A status other than 2xx (407: proxy authentication required).
    Status(u16),
}

impl From<io::Error> for TunnelFailure {
    fn from(err: io::Error) -> Self {
        Self::Io(err)
    }
}

/// Sends `CONNECT authority` (with `Proxy-Authorization` when given) over
/// `io` and waits for a 2xx answer; `io` is then the tunnel.
///
/// The answer's head is read byte by byte so that nothing after it (the
/// destination's first bytes) is consumed: a few dozen reads, once per
/// connection.
pub(crate) async fn establish<S>(
    mut io: S,
    authority: &str,
    authorization: Option<&HeaderValue>,
) -> Result<S, TunnelFailure>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut request = format!("CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n").into_bytes();
    if let Some(value) = authorization {
        request.extend_from_slice(b"Proxy-Authorization: ");
        request.extend_from_slice(value.as_bytes());
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"\r\n");
    io.write_all(&request).await?;
    io.flush().await?;

    let mut head = Vec::with_capacity(128);
    let mut byte = [0_u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() >= MAX_HEAD {
            return Err(TunnelFailure::Malformed);
        }
        if io.read(&mut byte).await? == 0 {
            return Err(TunnelFailure::Closed);
        }
        head.push(byte[0]);
    }
    match status(&head) {
        Some(code) if (200..300).contains(&code) => Ok(io),
        Some(code) => Err(TunnelFailure::Status(code)),
        None => Err(TunnelFailure::Malformed),
    }
}

/// The status code of an `HTTP/1.x NNN reason` line.
fn status(head: &[u8]) -> Option<u16> {
    let line = head.split(|&b| b == b'\r').next()?;
    let line = std::str::from_utf8(line).ok()?;
    let mut parts = line.split(' ');
    if !parts.next()?.starts_with("HTTP/1.") {
        return None;
    }
    let code = parts.next()?;
    if code.len() != 3 {
        return None;
    }
    code.parse().ok().filter(|c| (100..600).contains(c))
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    use super::*;

    /// Runs the handshake against a peer that answers `answer` and returns
    /// the outcome, the request the peer read, and what the caller reads
    /// from the tunnel afterwards.
    async fn handshake(
        answer: &'static [u8],
        auth: Option<&str>,
    ) -> (Result<Vec<u8>, TunnelFailure>, String) {
        let (client, mut proxy) = tokio::io::duplex(64 * 1024);
        let peer = tokio::spawn(async move {
            let mut request = Vec::new();
            let mut byte = [0_u8; 1];
            while !request.ends_with(b"\r\n\r\n") {
                if proxy.read(&mut byte).await.unwrap() == 0 {
                    break;
                }
                request.push(byte[0]);
            }
            proxy.write_all(answer).await.unwrap();
            drop(proxy);
            String::from_utf8(request).unwrap()
        });
        let auth = auth.map(|a| HeaderValue::from_str(a).unwrap());
        let outcome = establish(client, "sandbox.plaid.com:443", auth.as_ref()).await;
        let outcome = match outcome {
            Ok(mut tunnel) => {
                let mut rest = Vec::new();
                tunnel.read_to_end(&mut rest).await.unwrap();
                Ok(rest)
            }
            Err(failure) => Err(failure),
        };
        (outcome, peer.await.unwrap())
    }

    #[tokio::test]
    async fn a_2xx_opens_the_tunnel_and_keeps_what_follows() {
        let (outcome, request) =
            handshake(b"HTTP/1.1 200 Connection established\r\n\r\n\x16\x03", None).await;
        assert_eq!(outcome.unwrap(), b"\x16\x03");
        assert_eq!(
            request,
            "CONNECT sandbox.plaid.com:443 HTTP/1.1\r\nHost: sandbox.plaid.com:443\r\n\r\n"
        );
    }

    #[tokio::test]
    async fn credentials_go_in_proxy_authorization() {
        let (outcome, request) =
            handshake(b"HTTP/1.0 200 OK\r\nVia: test\r\n\r\n", Some("Basic dTpw")).await;
        assert!(outcome.is_ok());
        assert!(
            request.contains("\r\nProxy-Authorization: Basic dTpw\r\n"),
            "{request}"
        );
    }

    #[tokio::test]
    async fn other_statuses_closes_and_garbage_are_failures() {
        let (outcome, _) =
            handshake(b"HTTP/1.1 407 Proxy Authentication Required\r\n\r\n", None).await;
        assert!(matches!(outcome, Err(TunnelFailure::Status(407))));
        let (outcome, _) = handshake(b"HTTP/1.1 403 Forbidden\r\n\r\n", None).await;
        assert!(matches!(outcome, Err(TunnelFailure::Status(403))));
        let (outcome, _) = handshake(b"HTTP/1.1 200 OK\r\n", None).await;
        assert!(matches!(outcome, Err(TunnelFailure::Closed)));
        let (outcome, _) = handshake(b"SSH-2.0-OpenSSH\r\n\r\n", None).await;
        assert!(matches!(outcome, Err(TunnelFailure::Malformed)));
        let (outcome, _) = handshake(b"HTTP/1.1 2000 OK\r\n\r\n", None).await;
        assert!(matches!(outcome, Err(TunnelFailure::Malformed)));
    }
}
