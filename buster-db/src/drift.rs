//! Drift check.
