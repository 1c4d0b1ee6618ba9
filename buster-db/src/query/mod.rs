//! Query builders.
