//! Shared set-up for the runnable examples.
