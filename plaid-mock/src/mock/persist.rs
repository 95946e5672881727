//! Saving and loading the fake's whole state (items, tokens, transactions,
//! the clock, the random generator, the webhook signing keys) as versioned
//! JSON, written atomically. The journal, the webhook log and faults are
//! test controls and are not saved.

use std::path::Path;
use std::sync::atomic::Ordering;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::mock::{lock, MockPlaid, SigningKeyRecord};
use crate::sandbox::State;

/// The `format` field of a state file.
pub const FORMAT: &str = "plaid-mock-state";
/// The version this build writes (and the newest it reads).
pub const VERSION: u64 = 1;

#[derive(Serialize, Deserialize)]
struct SavedKey {
    seed: u64,
    created_at: i64,
    expired_at: Option<i64>,
}

#[derive(Serialize, Deserialize)]
struct Snapshot<S> {
    format: String,
    version: u64,
    seed: u64,
    request_count: u64,
    keys: Vec<SavedKey>,
    state: S,
}

/// Writes `mock`'s state to `path`: to a temporary file beside it, then
/// renamed over it, so a crash never leaves half a file.
pub fn save(mock: &MockPlaid, path: &Path) -> Result<(), String> {
    let shared = &mock.shared;
    let keys = lock(&shared.keys)
        .iter()
        .map(|k| SavedKey {
            seed: k.seed,
            created_at: k.created_at,
            expired_at: k.expired_at,
        })
        .collect();
    let bytes = {
        let state = lock(&shared.state);
        let snapshot = Snapshot {
            format: FORMAT.to_owned(),
            version: VERSION,
            seed: shared.seed.load(Ordering::Relaxed),
            request_count: shared.request_count.load(Ordering::Relaxed),
            keys,
            state: &*state,
        };
        serde_json::to_vec(&snapshot).map_err(|e| format!("cannot encode the state: {e}"))?
    };
    let name = path
        .file_name()
        .ok_or_else(|| format!("{} is not a file name", path.display()))?;
    let mut temporary_name = name.to_owned();
    temporary_name.push(format!(".tmp-{}", std::process::id()));
    let temporary = path.with_file_name(temporary_name);
    let write = || -> std::io::Result<()> {
        use std::io::Write;
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(&bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        format!("cannot write the state to {}: {e}", path.display())
    })
}

/// Loads the state saved at `path` into `mock`. A missing file is not an
/// error (`Ok(false)`: the fake starts fresh and the file is written at the
/// first save); a file that is not a state file, is damaged, or comes from
/// a newer plaid-mock is refused with what to do.
pub fn load(mock: &MockPlaid, path: &Path) -> Result<bool, String> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => {
            return Err(format!(
                "cannot read the state file {}: {e}",
                path.display()
            ))
        }
    };
    let shown = path.display();
    let refuse = |why: String| {
        format!(
            "{shown} {why}; it was left untouched. Move it away (or delete it) to start with a fresh state, or point --state at another file"
        )
    };
    let value: Value =
        serde_json::from_slice(&bytes).map_err(|e| refuse(format!("is not valid JSON ({e})")))?;
    if value.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(refuse(format!(
            "is not a plaid-mock state file (no \"format\": \"{FORMAT}\")"
        )));
    }
    let version = value
        .get("version")
        .and_then(Value::as_u64)
        .ok_or_else(|| refuse("has no version number".into()))?;
    if version > VERSION {
        return Err(format!(
            "{shown} was written by a newer plaid-mock (state version {version}; this one reads up to {VERSION}). Upgrade plaid-mock, or move the file away to start fresh"
        ));
    }
    let snapshot: Snapshot<State> =
        serde_json::from_value(value).map_err(|e| refuse(format!("is damaged ({e})")))?;
    let shared = &mock.shared;
    let mut state = lock(&shared.state);
    let source = state.clock.source();
    *state = snapshot.state;
    state.clock.set_source(source);
    drop(state);
    let keys: Vec<SigningKeyRecord> = snapshot
        .keys
        .iter()
        .map(|k| SigningKeyRecord::new(k.seed, k.created_at, k.expired_at))
        .collect();
    if !keys.is_empty() {
        *lock(&shared.keys) = keys;
    }
    shared.seed.store(snapshot.seed, Ordering::Relaxed);
    shared
        .request_count
        .store(snapshot.request_count, Ordering::Relaxed);
    Ok(true)
}
