//! Per-test databases.
