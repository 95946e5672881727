//! Injected faults: a Plaid error, added latency or a dropped connection for
//! the next N calls of a path, or for each call with a probability.

use std::time::Duration;

use serde_json::{json, Value};

use crate::kernel::errors::ErrorAnswer;
use crate::kernel::rng::Rng;

/// What an injected fault does to the call it hits.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FaultOutcome {
    /// The call is answered as usual (after the latency).
    Answer,
    /// The call gets this Plaid error.
    Fail(ErrorAnswer),
    /// No answer: over HTTP the connection is closed, in-process the
    /// transport fails.
    Drop,
}

/// One fault, as asked for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FaultSpec {
    /// The path it applies to, or `*` for every Plaid path.
    pub path: String,
    /// How many calls it may hit (`None`: no limit).
    pub times: Option<u64>,
    /// The chance that it hits a call (`None`: every call).
    pub probability: Option<f64>,
    /// Waited before the outcome.
    pub latency: Option<Duration>,
    pub outcome: FaultOutcome,
}

struct Fault {
    id: u64,
    spec: FaultSpec,
    hits: u64,
}

impl Fault {
    fn spent(&self) -> bool {
        self.spec.times.is_some_and(|times| self.hits >= times)
    }
}

/// What hit a call: wait `latency`, then `outcome`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Hit {
    pub latency: Option<Duration>,
    pub outcome: FaultOutcome,
}

/// The faults in force, in the order they were added.
pub(crate) struct Faults {
    next_id: u64,
    faults: Vec<Fault>,
    /// Rolls the dice for probability faults: fixed by the seed.
    rng: Rng,
}

impl Faults {
    pub fn new(seed: u64) -> Self {
        Self {
            next_id: 0,
            faults: Vec::new(),
            rng: Rng::new(seed ^ 0xfa01_75ee_d000_0000),
        }
    }

    /// Adds a fault; returns its id.
    pub fn add(&mut self, spec: FaultSpec) -> u64 {
        self.next_id += 1;
        self.faults.push(Fault {
            id: self.next_id,
            spec,
            hits: 0,
        });
        self.next_id
    }

    /// The first fault that hits a call of `path`, used up by one.
    pub fn take(&mut self, path: &str) -> Option<Hit> {
        let rng = &mut self.rng;
        let fault = self.faults.iter_mut().find(|f| {
            (f.spec.path == path || f.spec.path == "*")
                && !f.spent()
                && f.spec.probability.is_none_or(|p| {
                    // 53 random bits as a number in [0, 1).
                    let roll = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                    roll < p
                })
        })?;
        fault.hits += 1;
        let hit = Hit {
            latency: fault.spec.latency,
            outcome: fault.spec.outcome.clone(),
        };
        self.faults.retain(|f| !f.spent());
        Some(hit)
    }

    /// Every fault in force, as JSON.
    pub fn to_json(&self) -> Vec<Value> {
        self.faults
            .iter()
            .map(|f| {
                let spec = &f.spec;
                let (error, drop) = match &spec.outcome {
                    FaultOutcome::Answer => (Value::Null, false),
                    FaultOutcome::Fail(e) => (
                        json!({"status": e.status, "error_type": e.error.error_type,
                               "error_code": e.error.error_code, "error_message": e.error.error_message}),
                        false,
                    ),
                    FaultOutcome::Drop => (Value::Null, true),
                };
                json!({
                    "id": f.id,
                    "path": spec.path,
                    "times": spec.times,
                    "remaining": spec.times.map(|t| t.saturating_sub(f.hits)),
                    "probability": spec.probability,
                    "latency_ms": spec.latency.map(|l| l.as_millis() as u64),
                    "error": error,
                    "drop_connection": drop,
                    "hits": f.hits,
                })
            })
            .collect()
    }

    /// Removes every fault.
    pub fn clear(&mut self) {
        self.faults.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(times: Option<u64>, probability: Option<f64>) -> FaultSpec {
        FaultSpec {
            path: "/item/get".into(),
            times,
            probability,
            latency: None,
            outcome: FaultOutcome::Drop,
        }
    }

    #[test]
    fn a_counted_fault_hits_its_path_that_many_times_then_goes() {
        let mut faults = Faults::new(1);
        faults.add(spec(Some(2), None));
        assert_eq!(faults.take("/accounts/get"), None);
        assert!(faults.take("/item/get").is_some());
        assert_eq!(faults.to_json()[0]["remaining"], 1);
        assert!(faults.take("/item/get").is_some());
        assert_eq!(faults.take("/item/get"), None);
        assert!(faults.to_json().is_empty());
    }

    #[test]
    fn a_probability_fault_hits_about_that_share_of_calls() {
        let mut faults = Faults::new(7);
        faults.add(spec(None, Some(0.25)));
        let hits = (0..4000)
            .filter(|_| faults.take("/item/get").is_some())
            .count();
        // Binomial(4000, 0.25): mean 1000, standard deviation about 27.
        assert!((880..=1120).contains(&hits), "{hits} hits");
    }
}
