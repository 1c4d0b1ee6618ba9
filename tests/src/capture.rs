//! A `tracing` subscriber that writes every span, field and event into one string, so tests can
//! check what the runtime traces (field names, and that no password or bound value appears)
//! without a subscriber crate.
//!
//! Lines: `span <name> id=<n>` and its fields, `record id=<n>` and the fields recorded on span
//! `n` later, `event <LEVEL> <target>` and its fields; each field as ` name=value` (`Debug`).

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The subscriber; clones share the captured text. Install it with
/// `tracing::subscriber::with_default` around a current-thread runtime, so that it sees
/// everything the runtime does.
#[derive(Clone, Default)]
pub struct Capture {
    text: Arc<Mutex<String>>,
    next_id: Arc<AtomicU64>,
}

impl Capture {
    /// Everything captured so far.
    pub fn text(&self) -> String {
        self.text.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn write(&self, f: impl FnOnce(&mut String)) {
        f(&mut self.text.lock().unwrap_or_else(|e| e.into_inner()));
    }
}

/// The lines of `captured` about the span opened on `span_line` (a `span …` line): its opening
/// and the records made on it.
pub fn span_lines(captured: &str, span_line: &str) -> String {
    let id = span_line
        .split_whitespace()
        .find_map(|word| word.strip_prefix("id="))
        .unwrap_or("?");
    let record = format!("record id={id}");
    captured
        .lines()
        .filter(|l| *l == span_line || l.starts_with(&format!("{record} ")) || *l == record)
        .collect::<Vec<_>>()
        .join("\n")
}

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
        self.0.push_str(&format!(" {}={value:?}", field.name()));
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        self.write(|t| {
            t.push_str(&format!("\nspan {} id={id}", span.metadata().name()));
            span.record(&mut Fields(t));
        });
        tracing::span::Id::from_u64(id)
    }

    fn record(&self, id: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        self.write(|t| {
            t.push_str(&format!("\nrecord id={}", id.into_u64()));
            values.record(&mut Fields(t));
        });
    }

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        self.write(|t| {
            let meta = event.metadata();
            t.push_str(&format!("\nevent {} {}", meta.level(), meta.target()));
            event.record(&mut Fields(t));
        });
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}
