//! Build times: plaid-core next to the `plaid` crate from crates.io (the
//! other generated Rust client for Plaid), both built the same way.
//!
//! Each crate is built as its own package with default features in the
//! `dev` profile: *cold* in an empty target directory (dependencies
//! included), then *incremental* after touching its `src/lib.rs`.

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Cold and incremental build times of one crate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BuildTimes {
    /// Empty target directory, dependencies included.
    pub cold: Duration,
    /// After touching `src/lib.rs`.
    pub incremental: Duration,
}

fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR");
    command
}

fn run(command: &mut Command) -> io::Result<Duration> {
    let started = Instant::now();
    let status = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()?;
    if !status.success() {
        return Err(io::Error::other(format!("{command:?} failed: {status}")));
    }
    Ok(started.elapsed())
}

/// Times `cargo build` of the package whose manifest is `manifest`, cold in
/// `target_dir` (emptied first), then after touching `lib_rs`.
pub fn build_times(
    manifest: &Path,
    package: Option<&str>,
    lib_rs: &Path,
    target_dir: &Path,
) -> io::Result<BuildTimes> {
    if target_dir.exists() {
        std::fs::remove_dir_all(target_dir)?;
    }
    let build = || {
        let mut command = cargo();
        command
            .arg("build")
            .arg("--manifest-path")
            .arg(manifest)
            .arg("--target-dir")
            .arg(target_dir);
        if let Some(package) = package {
            command.args(["-p", package]);
        }
        command
    };
    let cold = run(&mut build())?;
    touch(lib_rs)?;
    let incremental = run(&mut build())?;
    Ok(BuildTimes { cold, incremental })
}

fn touch(path: &Path) -> io::Result<()> {
    std::fs::File::options()
        .append(true)
        .open(path)?
        .set_modified(std::time::SystemTime::now())
}

/// Fetches the newest `plaid` crate from crates.io into `scratch` and
/// returns its version and the path of its unpacked sources (a copy, so
/// that it builds as a package of its own and `src/lib.rs` can be touched).
pub fn fetch_crates_io_plaid(scratch: &Path) -> io::Result<(String, PathBuf)> {
    let probe = scratch.join("probe");
    std::fs::create_dir_all(probe.join("src"))?;
    std::fs::write(
        probe.join("Cargo.toml"),
        "[package]\nname = \"probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
         [dependencies]\nplaid = \"*\"\n\n[workspace]\n",
    )?;
    std::fs::write(probe.join("src/lib.rs"), "")?;
    let output = cargo()
        .args(["metadata", "--format-version", "1", "--manifest-path"])
        .arg(probe.join("Cargo.toml"))
        .stderr(Stdio::inherit())
        .output()?;
    if !output.status.success() {
        return Err(io::Error::other(
            "cargo metadata for the plaid crate failed",
        ));
    }
    let metadata: Value = serde_json::from_slice(&output.stdout).map_err(io::Error::other)?;
    let package = metadata["packages"]
        .as_array()
        .and_then(|packages| packages.iter().find(|p| p["name"] == "plaid"))
        .ok_or_else(|| io::Error::other("crates.io has no plaid crate"))?;
    let version = package["version"].as_str().unwrap_or_default().to_owned();
    let manifest = PathBuf::from(package["manifest_path"].as_str().unwrap_or_default());
    let source = manifest
        .parent()
        .ok_or_else(|| io::Error::other("plaid's manifest has no directory"))?;
    let copy = scratch.join(format!("plaid-{version}"));
    if copy.exists() {
        std::fs::remove_dir_all(&copy)?;
    }
    copy_dir(source, &copy)?;
    // A package of its own, not part of any workspace above it.
    let manifest = copy.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest)?;
    if !text.contains("[workspace]") {
        text.push_str("\n[workspace]\n");
        std::fs::write(&manifest, text)?;
    }
    Ok((version, copy))
}

fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}
