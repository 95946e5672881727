//! `cargo run -p plaid-codegen -- <spec.yml> [--check]`
//!
//! Regenerates `plaid-core/src/generated/` and the generated test driver from
//! Plaid's OpenAPI description. With `--check`, writes nothing and fails when
//! the committed files differ from what the spec produces.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = args.iter().any(|a| a == "--check");
    let Some(spec_path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: plaid-codegen <path/to/openapi.yml> [--check]");
        return ExitCode::from(2);
    };
    match run(Path::new(spec_path), check) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("plaid-codegen: {message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn run(spec_path: &Path, check: bool) -> Result<(), String> {
    let text = std::fs::read_to_string(spec_path)
        .map_err(|e| format!("cannot read {}: {e}", spec_path.display()))?;
    let files = plaid_codegen::generate(&text)?;
    let root = workspace_root();
    let generated_dir = root.join(plaid_codegen::OUT_DIR);
    let mut stale = Vec::new();
    let mut expected = std::collections::BTreeSet::new();
    for (relative, source) in &files {
        let (relative, formatted) = if relative == plaid_codegen::FEATURES_KEY {
            let manifest = std::fs::read_to_string(root.join(plaid_codegen::MANIFEST))
                .map_err(|e| format!("{}: {e}", plaid_codegen::MANIFEST))?;
            (
                plaid_codegen::MANIFEST,
                plaid_codegen::with_features(&manifest, source)?,
            )
        } else {
            (
                relative.as_str(),
                rustfmt(source).map_err(|e| format!("{relative}: {e}"))?,
            )
        };
        let path = root.join(relative);
        expected.insert(path.clone());
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == formatted {
            continue;
        }
        if check {
            stale.push(relative.to_owned());
        } else {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            std::fs::write(&path, formatted).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    // Files left over from an older spec.
    for path in walk(&generated_dir) {
        if !expected.contains(&path) {
            if check {
                stale.push(path.display().to_string());
            } else {
                std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
    }
    if !stale.is_empty() {
        return Err(format!(
            "generated code is out of date with {} ({} files differ: {}); run `cargo run -p plaid-codegen -- {}`",
            spec_path.display(),
            stale.len(),
            stale.join(", "),
            spec_path.display()
        ));
    }
    println!(
        "{} {} ({})",
        if check { "up to date:" } else { "generated" },
        plaid_codegen::OUT_DIR,
        plaid_codegen::summary(&files)
    );
    Ok(())
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Formats `source` with the toolchain's rustfmt, as `cargo fmt` would.
fn rustfmt(source: &str) -> Result<String, String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!("cannot run rustfmt (install it with `rustup component add rustfmt`): {e}")
        })?;
    let mut stdin = child.stdin.take().ok_or("rustfmt has no stdin")?;
    let input = source.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    writer
        .join()
        .map_err(|_| "writing to rustfmt panicked".to_owned())?
        .map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| e.to_string())
}
