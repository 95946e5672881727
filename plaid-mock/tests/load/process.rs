//! The `plaid-mock` binary as a child process, and what it uses (memory, CPU).

use std::io::BufRead;
use std::net::SocketAddr;

use super::*;

/// Kills the child process when dropped, so a failing test leaves nothing behind.
pub(crate) struct KillOnDrop(pub(crate) std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary on a free port; returns the child and its address.
pub(crate) async fn start_binary() -> (KillOnDrop, SocketAddr) {
    let mut child = KillOnDrop(
        std::process::Command::new(env!("CARGO_BIN_EXE_plaid-mock"))
            .args([
                "--listen",
                "127.0.0.1:0",
                "--seed",
                "3",
                "--transactions",
                &TRANSACTIONS_PER_ITEM.to_string(),
                "--client-id",
                CLIENT_ID,
                "--secret",
                SECRET,
            ])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the binary starts"),
    );
    let stdout = child.0.stdout.take().expect("stdout");
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        let _ = std::io::BufReader::new(stdout).read_line(&mut line);
        line
    });
    let line = tokio::time::timeout(STEP, line)
        .await
        .expect("the binary printed its address in time")
        .expect("reader");
    let addr = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .parse()
        .expect("an address");
    (child, addr)
}

/// `VmHWM` (peak resident set) and `VmRSS` of `pid`, in KiB.
#[cfg(target_os = "linux")]
pub(crate) fn memory_kib(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))?
            .split_whitespace()
            .next()?
            .parse()
            .ok()
    };
    Some((field("VmHWM:")?, field("VmRSS:")?))
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn memory_kib(_pid: u32) -> Option<(u64, u64)> {
    None
}

/// CPU time (user + system) used so far by `pid` (`"self"` for this
/// process), in seconds, assuming the usual 100 clock ticks per second.
#[cfg(target_os = "linux")]
pub(crate) fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn cpu_seconds(_pid: &str) -> Option<f64> {
    None
}
