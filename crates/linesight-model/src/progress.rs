//! Progress reporting for long work. Library crates never print: they report through this
//! trait, and the command-line shell draws the bar.

/// Receives progress from long-running work. Implementations must be cheap to call from a
/// hot loop (callers batch their updates, but may call `advance` thousands of times).
pub trait Progress: Sync {
    /// A new stage begins, with a total in `unit`s if it is known.
    fn stage(&self, name: &str, total: Option<u64>, unit: Unit);
    /// `n` more units of the current stage are done.
    fn advance(&self, n: u64);
}

/// What a stage counts, so the shell can label and format it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Bytes read or written.
    Bytes,
    /// Rows or records.
    Rows,
    /// Simulated days.
    Days,
    /// Anything else countable.
    Items,
}

/// Ignores all progress (tests, `--quiet`, JSON output).
#[derive(Clone, Copy, Debug, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn stage(&self, _name: &str, _total: Option<u64>, _unit: Unit) {}
    fn advance(&self, _n: u64) {}
}
