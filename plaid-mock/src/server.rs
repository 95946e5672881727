//! The fake over HTTP (being written).
