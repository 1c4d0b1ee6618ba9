//! The Buster schema: one file per table.
