//! Benchmarks for plaid-rs.
//!
//! `cargo bench -p plaid-bench` measures the library and, in the same run,
//! the least work each job needs (the *floor*), and prints one table of
//! medians and ratios. Ratios rather than absolute times, because the
//! machines this runs on are shared and noisy.
//!
//! The pieces:
//!
//! - [`samples`]: repeated measurements and their medians;
//! - [`report`]: the table;
//! - [`alloc`]: a counting allocator for peak-memory figures;
//! - [`child`]: servers run in a child process (the bench binary re-runs
//!   itself), so that their allocations and CPU stay out of the client's;
//! - [`floor`]: the raw hyper client that every HTTP figure is compared to;
//! - [`load`]: a keep-alive load generator for server throughput;
//! - [`compile`]: cold and incremental build times.
//!
//! `examples/in_process_calls.rs` is a profiling target for the in-process
//! figure (run it under `valgrind --tool=callgrind`).

pub mod alloc;
pub mod child;
pub mod compile;
pub mod floor;
pub mod load;
pub mod report;
pub mod samples;
