//! Repeated measurements and their medians.

use std::future::Future;
use std::time::{Duration, Instant};

/// The values of one figure over several runs.
#[derive(Debug, Clone, Default)]
pub struct Samples {
    values: Vec<f64>,
}

impl Samples {
    /// No values yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one run's value.
    pub fn push(&mut self, value: f64) {
        self.values.push(value);
    }

    /// How many runs were recorded.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True before the first run.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The median (the mean of the middle two for an even count); `NaN`
    /// when empty.
    pub fn median(&self) -> f64 {
        let mut sorted = self.values.clone();
        sorted.sort_by(f64::total_cmp);
        match sorted.len() {
            0 => f64::NAN,
            n if n % 2 == 1 => sorted[n / 2],
            n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
        }
    }
}

/// Runs `work` and returns how long it took with its output.
pub async fn timed<T>(work: impl Future<Output = T>) -> (Duration, T) {
    let started = Instant::now();
    let output = work.await;
    (started.elapsed(), output)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        let mut s = Samples::new();
        assert!(s.median().is_nan());
        for v in [5.0, 1.0, 3.0] {
            s.push(v);
        }
        assert_eq!(s.median(), 3.0);
        s.push(10.0);
        assert_eq!(s.median(), 4.0);
        assert_eq!(s.len(), 4);
    }
}
