//! A keep-alive load generator: many HTTP/1.1 connections, each sending one
//! request after another for a fixed time.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;

/// What a load run achieved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Load {
    /// Answers with status 200.
    pub ok: u64,
    /// Failed exchanges and non-200 answers.
    pub errors: u64,
    /// How long the run took.
    pub elapsed: Duration,
}

impl Load {
    /// Successful answers per second.
    pub fn per_second(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64()
    }
}

/// Sends `request` (with `body`) over `connections` keep-alive connections
/// to `addr` for `duration`, each connection one request at a time.
pub async fn keep_alive(
    addr: SocketAddr,
    connections: usize,
    duration: Duration,
    request: http::request::Parts,
    body: Bytes,
) -> std::io::Result<Load> {
    let mut senders = Vec::with_capacity(connections);
    for _ in 0..connections {
        let stream = tokio::net::TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(std::io::Error::other)?;
        tokio::spawn(connection);
        senders.push(sender);
    }
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = tokio::task::JoinSet::new();
    for mut sender in senders {
        let parts = request.clone();
        let body = body.clone();
        tasks.spawn(async move {
            let (mut ok, mut errors) = (0u64, 0u64);
            while Instant::now() < deadline {
                let request = http::Request::from_parts(parts.clone(), Full::new(body.clone()));
                let answered = match sender.send_request(request).await {
                    Ok(response) => {
                        let status = response.status();
                        match response.into_body().collect().await {
                            Ok(_) => status == http::StatusCode::OK,
                            Err(_) => false,
                        }
                    }
                    Err(_) => false,
                };
                if answered {
                    ok += 1;
                } else {
                    errors += 1;
                    if sender.ready().await.is_err() {
                        break;
                    }
                }
            }
            (ok, errors)
        });
    }
    let mut load = Load {
        ok: 0,
        errors: 0,
        elapsed: Duration::ZERO,
    };
    while let Some(result) = tasks.join_next().await {
        let (ok, errors) = result.map_err(std::io::Error::other)?;
        load.ok += ok;
        load.errors += errors;
    }
    load.elapsed = started.elapsed();
    Ok(load)
}
