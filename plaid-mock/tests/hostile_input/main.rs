//! Hostile input to every decoder that reads bytes from the network, as
//! property tests (proptest):
//!
//! - the Plaid error decoder, met the way a user meets it: a [`Client`] whose
//!   transport answers with a generated status, headers and body;
//! - the largest response types (`/transactions/get`, `/transactions/sync`,
//!   `/accounts/get`, `/auth/get`, `/item/get`), decoded with
//!   [`FromResponseBody`] as the client does, from arbitrary bytes and from
//!   mutations of real answers of the fake;
//! - the webhook verifier, with arbitrary and mutated bodies and
//!   `Plaid-Verification` headers built from a real signed webhook.
//!
//! Every property checks that nothing panics and that the result is the
//! right one. `cargo test` runs [`DEFAULT_CASES`] cases per target;
//! `PROPTEST_CASES` raises that for the long run (README, "Development"):
//!
//! ```text
//! PROPTEST_CASES=100000 cargo test --release -p plaid-mock --test hostile_input -- --nocapture --test-threads 2
//! ```

mod hostile;
use hostile::*;

// The properties themselves are in `hostile/`, one module per decoder.

/// Cases per target in `cargo test`, unless `PROPTEST_CASES` is set.
pub const DEFAULT_CASES: u32 = 256;

/// The fake's seed; its webhook key is `WebhookSigner::from_seed(SEED)`.
pub const SEED: u64 = 7;

/// How many cases each property runs: `PROPTEST_CASES`, or
/// [`DEFAULT_CASES`].
pub fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

/// Runs `test` on `cases()` inputs from `strategy`, panicking with the
/// (shrunk) failing input if one fails, and reports how many inputs ran.
pub fn run<S: Strategy>(
    target: &str,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: Debug,
{
    let config = ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let ran = AtomicUsize::new(0);
    let started = Instant::now();
    let mut runner = TestRunner::new(config);
    let outcome = runner.run(&strategy, |input| {
        ran.fetch_add(1, Ordering::Relaxed);
        test(input)
    });
    if let Err(failure) = outcome {
        panic!("{target}: {failure}");
    }
    let ran = ran.into_inner();
    // Every generated input ran (shrinking only happens on failure).
    assert_eq!(ran, cases() as usize, "{target}");
    eprintln!(
        "hostile input: {target}: {ran} inputs, 0 failures, {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// A single-threaded runtime for the properties that call async code.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}
