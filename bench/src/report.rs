//! Medians, the Markdown table and the SVG chart.

use std::fmt::Write;
use std::time::Duration;

use crate::bulk::Strategy;
use crate::{Target, Who};

/// One bulk strategy's wall-clock and CPU times, in microseconds per load.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BulkStats {
    pub(crate) strategy: Strategy,
    pub(crate) wall: Stats,
    pub(crate) cpu: Stats,
}

/// Median and quartiles of one client's samples, in microseconds per operation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stats {
    pub(crate) median: f64,
    pub(crate) p25: f64,
    pub(crate) p75: f64,
    pub(crate) samples: usize,
}

impl Stats {
    pub(crate) fn of(mut v: Vec<f64>) -> Stats {
        v.sort_by(f64::total_cmp);
        let q = |p: f64| -> f64 {
            if v.is_empty() {
                return f64::NAN;
            }
            let pos = p * (v.len() - 1) as f64;
            let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
            v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
        };
        Stats {
            median: q(0.5),
            p25: q(0.25),
            p75: q(0.75),
            samples: v.len(),
        }
    }

    /// Interquartile range relative to the median.
    fn spread(&self) -> f64 {
        (self.p75 - self.p25) / self.median
    }
}

/// One workload's results.
pub(crate) struct Measured {
    pub(crate) name: String,
    pub(crate) target: Option<Target>,
    pub(crate) stats: Vec<(Who, Stats)>,
    /// CPU time of the whole benchmark process per operation (library, driver, runtime).
    pub(crate) cpu: Vec<(Who, Stats)>,
}

impl Measured {
    fn get(&self, who: Who) -> Option<Stats> {
        self.stats.iter().find(|(w, _)| *w == who).map(|(_, s)| *s)
    }

    /// The faster of the two hand-written floors (collecting, streaming) that ran.
    fn best_floor(&self) -> Option<Who> {
        [Who::Floor, Who::FloorStream]
            .into_iter()
            .filter_map(|w| Some((w, self.get(w)?.median)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(w, _)| w)
    }

    /// `who`'s median over `vs`'s; [`Who::Floor`] stands for the faster floor.
    fn ratio(&self, who: Who, vs: Who) -> Option<f64> {
        let vs = if vs == Who::Floor {
            self.best_floor()?
        } else {
            vs
        };
        Some(self.get(who)?.median / self.get(vs)?.median)
    }

    fn cpu(&self, who: Who) -> Option<Stats> {
        self.cpu.iter().find(|(w, _)| *w == who).map(|(_, s)| *s)
    }
}

/// Where and how the figures were taken.
pub(crate) struct Machine {
    pub(crate) server: String,
    pub(crate) quick: bool,
    pub(crate) elapsed: Duration,
    pub(crate) load_before: String,
    pub(crate) load_after: String,
    pub(crate) peers: bool,
    pub(crate) current_thread: bool,
}

/// The 1-, 5- and 15-minute load averages.
pub(crate) fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned())
}

pub(crate) fn time(us: f64) -> String {
    if us < 1_000.0 {
        format!("{us:.1} µs")
    } else if us < 1_000_000.0 {
        format!("{:.2} ms", us / 1_000.0)
    } else {
        format!("{:.2} s", us / 1_000_000.0)
    }
}

/// One line per workload for the progress log.
pub(crate) fn summary(m: &Measured) -> String {
    m.stats
        .iter()
        .filter_map(|(w, s)| {
            let r = m.ratio(*w, Who::Floor)?;
            Some(format!("{}={} ({r:.2}×)", short(*w), time(s.median)))
        })
        .collect::<Vec<_>>()
        .join("  ")
}

pub(crate) fn short(who: Who) -> &'static str {
    match who {
        Who::Floor => "pg",
        Who::FloorStream => "pg-stream",
        Who::Deadpool => "deadpool",
        Who::Buster => "buster",
        Who::BusterConn => "buster-conn",
        #[cfg(feature = "peers")]
        Who::Sqlx => "sqlx",
        #[cfg(feature = "peers")]
        Who::Diesel => "diesel",
    }
}

fn verdict(ratio: f64, max: f64) -> &'static str {
    if ratio <= max { "met" } else { "**missed**" }
}

/// The results as Markdown: machine, ratio table, bulk table.
pub(crate) fn markdown(machine: &Machine, results: &[Measured], bulk: &[BulkStats]) -> String {
    let who = Who::all();
    let mut out = String::new();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let _ = writeln!(
        out,
        "Run: `cargo run --release -p buster-db-bench{}{}` — {} cores ({}), PostgreSQL {} on \
         loopback, one {} tokio runtime; load average {} before, {} after; {:.0} s.\n",
        if machine.peers {
            " --features peers"
        } else {
            ""
        },
        match (machine.quick, machine.current_thread) {
            (false, false) => "",
            (true, false) => " -- --quick",
            (false, true) => " -- --current-thread",
            (true, true) => " -- --quick --current-thread",
        },
        cores,
        cpu_model(),
        machine.server,
        if machine.current_thread {
            "current-thread".to_owned()
        } else {
            format!("multi-thread ({cores} workers)")
        },
        machine.load_before,
        machine.load_after,
        machine.elapsed.as_secs_f64()
    );
    let _ = writeln!(
        out,
        "Median time per operation; in parentheses the ratio to the floor: the faster of the two \
         hand-written tokio-postgres clients on that workload (collecting the rows with `query` \
         then decoding them, or decoding each row as it arrives with `query_raw`). \"spread\" \
         is that floor's interquartile range over its median.\n"
    );
    out.push_str("| workload |");
    for w in &who {
        let _ = write!(out, " {} |", w.label());
    }
    out.push_str(" spread | buster-db target |\n|---|");
    for _ in &who {
        out.push_str("---:|");
    }
    out.push_str("---:|---|\n");
    for m in results {
        let _ = write!(out, "| {} |", m.name);
        for w in &who {
            match (m.get(*w), m.ratio(*w, Who::Floor)) {
                (Some(s), Some(r)) => {
                    let _ = write!(out, " {} ({r:.2}×) |", time(s.median));
                }
                _ => out.push_str(" — |"),
            }
        }
        let spread = m.best_floor().and_then(|f| m.get(f)).map_or_else(
            || "—".to_owned(),
            |s| format!("{:.0} %", s.spread() * 100.0),
        );
        let _ = write!(out, " {spread} |");
        match m.target {
            Some(t) => match m.ratio(Who::Buster, t.vs) {
                Some(r) => {
                    let _ = writeln!(
                        out,
                        " ≤ {:.2}× {}: {r:.2}× {} |",
                        t.max,
                        if t.vs == Who::Floor {
                            "floor".to_owned()
                        } else {
                            t.vs.label().to_owned()
                        },
                        verdict(r, t.max)
                    );
                }
                None => out.push_str(" — |\n"),
            },
            None => out.push_str(" — |\n"),
        }
    }
    let _ = writeln!(
        out,
        "\nCPU time of the benchmark process per operation (client library, driver and \
         runtime; the server is another process), median; in parentheses the difference to \
         the floor's (the faster floor of the table above). Less sensitive to other load on the machine than the wall-clock times.\n"
    );
    out.push_str("| workload |");
    for w in &who {
        let _ = write!(out, " {} |", w.label());
    }
    out.push_str("\n|---|");
    for _ in &who {
        out.push_str("---:|");
    }
    out.push('\n');
    for m in results {
        let _ = write!(out, "| {} |", m.name);
        let best = m.best_floor();
        let floor = best.and_then(|f| m.cpu(f)).map(|s| s.median);
        for w in &who {
            match (m.cpu(*w), floor) {
                (Some(s), _) if Some(*w) == best => {
                    let _ = write!(out, " {} |", time(s.median));
                }
                (Some(s), Some(f)) => {
                    let d = s.median - f;
                    let sign = if d < 0.0 { "−" } else { "+" };
                    let _ = write!(out, " {} ({sign}{}) |", time(s.median), time(d.abs()));
                }
                _ => out.push_str(" — |"),
            }
        }
        out.push('\n');
    }
    #[cfg(feature = "peers")]
    out.push_str(
        "\nsqlx cannot pipeline (a connection is used through `&mut`): its \"8 finds \
         pipelined\" figure is 8 sequential finds on one connection.\n",
    );
    let _ = writeln!(
        out,
        "\nBulk insert of 10,000 two-text-column rows (`bench_bulk(a, b)`, primary key (a, b)); \
         ratio to hand-written UNNEST:\n"
    );
    out.push_str(
        "| strategy | median | ratio | spread | CPU time of the benchmark process |\n\
         |---|---:|---:|---:|---:|\n",
    );
    let find = |s: Strategy| bulk.iter().find(|b| b.strategy == s);
    let base = find(Strategy::Unnest).map(|b| b.wall.median);
    for b in bulk {
        let ratio = base.map_or_else(|| "—".to_owned(), |u| format!("{:.2}×", b.wall.median / u));
        let _ = writeln!(
            out,
            "| {} | {} | {ratio} | {:.0} % | {} |",
            b.strategy.label(),
            time(b.wall.median),
            b.wall.spread() * 100.0,
            time(b.cpu.median)
        );
    }
    if let (Some(u), Some(b)) = (base, find(Strategy::Buster)) {
        let r = b.wall.median / u;
        let _ = writeln!(
            out,
            "\nbuster-db bulk target ≤ 1.05× hand UNNEST: {r:.2}× {}",
            verdict(r, 1.05)
        );
    }
    let copy = find(Strategy::Copy).map(|b| b.wall.median);
    if let (Some(c), Some(b)) = (copy, find(Strategy::BusterCopy)) {
        let r = b.wall.median / c;
        let _ = writeln!(
            out,
            "\nbuster-db copy_in target ≤ 1.05× hand COPY BINARY: {r:.2}× {}",
            verdict(r, 1.05)
        );
    }
    let n = results
        .iter()
        .map(|m| m.stats.first().map_or(0, |(_, s)| s.samples))
        .max();
    let _ = writeln!(
        out,
        "\nSamples per client and workload: up to {}.",
        n.unwrap_or(0)
    );
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn color(who: Who) -> &'static str {
    match who {
        Who::Floor => "#444444",
        Who::FloorStream => "#000000",
        Who::Deadpool => "#8c8c8c",
        Who::Buster => "#d62728",
        Who::BusterConn => "#f29a9a",
        #[cfg(feature = "peers")]
        Who::Sqlx => "#1f77b4",
        #[cfg(feature = "peers")]
        Who::Diesel => "#2ca02c",
    }
}

/// One bar: its label, colour and ratio.
type Bar = (String, &'static str, f64);

/// A horizontal bar chart of the ratios to the floor (and of the bulk strategies to hand
/// UNNEST), with a line at 1.0.
pub(crate) fn svg(results: &[Measured], bulk: &[BulkStats]) -> String {
    let who: Vec<Who> = Who::all();
    let (label_w, plot_w, bar_h, gap) = (380.0, 520.0, 9.0, 10.0);
    let bulk_base = bulk
        .iter()
        .find(|b| b.strategy == Strategy::Unnest)
        .map(|b| b.wall.median);
    let mut rows: Vec<(String, Vec<Bar>)> = Vec::new();
    for m in results {
        let bars = who
            .iter()
            .filter_map(|w| Some((w.label().to_owned(), color(*w), m.ratio(*w, Who::Floor)?)))
            .collect();
        rows.push((m.name.clone(), bars));
    }
    if let Some(b) = bulk_base {
        for BulkStats {
            strategy: s,
            wall: st,
            ..
        } in bulk.iter().filter(|b| b.strategy != Strategy::Unnest)
        {
            let c = match s {
                Strategy::Buster => color(Who::Buster),
                Strategy::BusterConn | Strategy::BusterCopyConn => color(Who::BusterConn),
                Strategy::BusterCopy => color(Who::Buster),
                _ => "#9467bd",
            };
            rows.push((
                format!("bulk 10k: {}", s.label()),
                vec![(s.label().to_owned(), c, st.median / b)],
            ));
        }
    }
    let max_ratio = rows
        .iter()
        .flat_map(|(_, b)| b.iter().map(|(_, _, r)| *r))
        .fold(1.0_f64, f64::max);
    let x_max = (max_ratio * 2.0).ceil().clamp(4.0, 8.0) / 2.0;
    let top = 40.0 + 16.0 * ((who.len() + 1) as f64 / 2.0).ceil();
    let height: f64 = top
        + rows
            .iter()
            .map(|(_, b)| b.len() as f64 * bar_h + gap)
            .sum::<f64>()
        + 40.0;
    let width = label_w + plot_w + 60.0;
    let x = |r: f64| label_w + plot_w * (r.min(x_max) / x_max);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"11\">"
    );
    let _ = writeln!(
        s,
        "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"10\" y=\"20\" \
         font-size=\"14\" font-weight=\"bold\">Median time relative to hand-written \
         tokio-postgres (1.0 = the faster of collecting and streaming; bulk rows: relative to hand UNNEST)</text>"
    );
    for (i, w) in who.iter().enumerate() {
        let lx = 10.0 + 260.0 * (i % 2) as f64;
        let ly = 34.0 + 16.0 * (i / 2) as f64;
        let _ = writeln!(
            s,
            "<rect x=\"{lx}\" y=\"{ly}\" width=\"12\" height=\"10\" fill=\"{}\"/><text x=\"{}\" \
             y=\"{}\">{}</text>",
            color(*w),
            lx + 16.0,
            ly + 9.0,
            esc(w.label())
        );
    }
    let plot_bottom = height - 30.0;
    let mut tick = 0.0;
    while tick <= x_max + 1e-9 {
        let tx = x(tick);
        let strong = (tick - 1.0_f64).abs() < 1e-9;
        let _ = writeln!(
            s,
            "<line x1=\"{tx}\" y1=\"{top}\" x2=\"{tx}\" y2=\"{plot_bottom}\" stroke=\"{}\" \
             stroke-width=\"{}\"/><text x=\"{tx}\" y=\"{}\" text-anchor=\"middle\">{tick:.1}×</text>",
            if strong { "#000" } else { "#ddd" },
            if strong { 1.5 } else { 1.0 },
            plot_bottom + 14.0
        );
        tick += 0.5;
    }
    let mut y = top + 4.0;
    for (name, bars) in &rows {
        let group_h = bars.len() as f64 * bar_h;
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            label_w - 8.0,
            y + group_h / 2.0 + 4.0,
            esc(name)
        );
        for (label, c, r) in bars {
            let w = (x(*r) - label_w).max(1.0);
            let _ = writeln!(
                s,
                "<rect x=\"{label_w}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"{c}\"><title>{}: \
                 {r:.2}×</title></rect><text x=\"{:.1}\" y=\"{}\" font-size=\"8\">{r:.2}</text>",
                bar_h - 1.0,
                esc(label),
                label_w + w + 3.0,
                y + bar_h - 2.0
            );
            y += bar_h;
        }
        y += gap;
    }
    s.push_str("</svg>\n");
    s
}
