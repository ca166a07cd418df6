//! The linesight analysis engine: finds flares, deal lines and the continuity of lines
//! (handset swaps, SIM swaps, successor numbers) in a case store.
//!
//! Two halves, deliberately apart:
//!
//! - **Scans and aggregations** run on Apache DataFusion over the case store's Parquet
//!   files ([`engine`], [`features`]): plain SQL with built-in functions only, so the same
//!   plans can later run on a DataFusion Ballista cluster unchanged.
//! - **Reasoning** runs in plain Rust over the reduced results ([`detect`]): who knows whom
//!   among a number's contacts, whose customers a new number texts, which numbers form one
//!   line.
//!
//! Every finding carries a score, the rule that fired (in words an analyst can put in a
//! statement), a specific explanation with the figures, and evidence: provenance pairs
//! (`src_sha256`, `src_row`) of rows of the case's `events` table. Every default threshold
//! is a documented constant in [`thresholds`]. No detector reads the simulator's ground
//! truth. This crate does no HTTP, has no database driver, and prints nothing.

mod detect;
mod engine;
mod features;
pub mod schema;
pub mod thresholds;
mod write;

use std::path::{Path, PathBuf};

use linesight_model::progress::{Progress, Unit};
use linesight_store::{CaseStore, StoreError};

pub use detect::{
    DEAL_LINE_RULE, FLARE_RULE, HANDSET_RULE, SIM_RULE, SUCCESSOR_RULE, SenderFeatures,
};
pub use features::Evidence;
pub use write::{ANALYSIS_JSON, FINDINGS_DIR, FINDINGS_JSON, read_findings};

/// Everything that can go wrong in analysis. Messages say what failed and what to do.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    /// The case store could not be opened or locked.
    #[error("could not open the case store: {0}")]
    Store(#[from] StoreError),
    /// The async runtime that drives DataFusion could not start.
    #[error("could not start the query runtime: {source}")]
    Runtime {
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A table could not be registered with the engine.
    #[error(
        "could not register table `{table}` with the query engine ({source}); the case's Parquet files may be damaged: re-ingest into a new case"
    )]
    Register {
        /// The table.
        table: &'static str,
        /// The engine's error.
        #[source]
        source: datafusion::error::DataFusionError,
    },
    /// A plan failed.
    #[error("the {what} query failed: {source}")]
    Query {
        /// Which plan.
        what: &'static str,
        /// The engine's error.
        #[source]
        source: datafusion::error::DataFusionError,
    },
    /// A result could not be decoded.
    #[error("could not decode the {what} result: {source}")]
    Decode {
        /// Which plan.
        what: &'static str,
        /// The Arrow error.
        #[source]
        source: arrow_schema::ArrowError,
    },
    /// Writing or reading the findings failed.
    #[error("could not {action} {}: {detail}", path.display())]
    Findings {
        /// The file or folder.
        path: PathBuf,
        /// What was being done.
        action: &'static str,
        /// What went wrong.
        detail: String,
    },
}

/// What kind of thing a finding reports.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A burst of texts from a deal line to many recipients within minutes.
    #[default]
    Flare,
    /// A number used as a deal line.
    DealLine,
    /// A number that took over a line from an older number (`old` → `new`).
    Successor,
    /// Same SIM in a new handset on a deal line (`old` → `new` IMEI).
    HandsetSwap,
    /// Same handset with a new SIM on a deal line (`old` → `new` IMSI).
    SimSwap,
}

impl FindingKind {
    /// The name used in the findings table and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Flare => "flare",
            Self::DealLine => "deal_line",
            Self::Successor => "successor",
            Self::HandsetSwap => "handset_swap",
            Self::SimSwap => "sim_swap",
        }
    }
}

/// One finding.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Finding {
    /// `F000001`…, unique within one analysis.
    pub finding_id: String,
    /// What it reports.
    pub kind: FindingKind,
    /// The number it is about (the new number, for a successor).
    pub number: String,
    /// The line the number belongs to, if it is a deal line.
    pub line_id: Option<String>,
    /// Strength of the finding, 0–1.
    pub score: f64,
    /// The rule that fired, in general words.
    pub rule: String,
    /// This finding in words, with its figures.
    pub explanation: String,
    /// When it happened (start of a flare, a swap or a new number), UTC milliseconds.
    pub at_utc: Option<i64>,
    /// The identifier before the change (number, IMEI or IMSI), for changes.
    pub old: Option<String>,
    /// The identifier after the change, for changes.
    pub new: Option<String>,
    /// Events behind the finding, by provenance; every pair is a leg of an `events` row.
    pub evidence: Vec<Evidence>,
}

/// One number of a line.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct LineNumber {
    /// The number.
    pub number: String,
    /// First outgoing contact, UTC milliseconds.
    pub first_utc: i64,
    /// Last outgoing contact, UTC milliseconds.
    pub last_utc: i64,
    /// Why this number belongs to the line.
    pub joined_by: String,
    /// Events behind the link to the previous number.
    pub evidence: Vec<Evidence>,
}

/// A county line as linesight sees it: one id over the history of its numbers.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Line {
    /// `LS0001`…, in order of first use.
    pub line_id: String,
    /// Its numbers in order of use.
    pub numbers: Vec<LineNumber>,
}

/// The findings of one analysis, as written to `findings.json`.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Findings {
    /// The analysis run.
    pub run_id: String,
    /// Every finding.
    pub findings: Vec<Finding>,
    /// The lines, with their numbers.
    pub lines: Vec<Line>,
}

/// Counts and timings of one analysis, as written to `analysis.json`.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct AnalysisSummary {
    /// The analysis run.
    pub run_id: String,
    /// Events in the case.
    pub events: u64,
    /// Bulk senders examined (at least one burst of [`thresholds::FLARE_MIN_RECIPIENTS`]).
    pub bulk_senders: usize,
    /// Findings by kind.
    pub findings_by_kind: std::collections::BTreeMap<String, usize>,
    /// Lines found.
    pub lines: usize,
    /// Deal-line numbers found.
    pub deal_line_numbers: usize,
    /// Where the findings were written.
    pub findings_dir: String,
    /// Milliseconds taken.
    pub elapsed_ms: u64,
    /// What was measured about each bulk sender (deal line or not), for review.
    pub senders: Vec<SenderFeatures>,
}

/// Analyses the case at `case_dir` and writes its findings into `CASE/findings/`.
///
/// Reads the case through its manifest, holds the case's writer lock while writing, and
/// replaces any earlier findings whole.
pub fn analyse(case_dir: &Path, progress: &dyn Progress) -> Result<AnalysisSummary, AnalysisError> {
    let started = std::time::Instant::now();
    let mut store = CaseStore::create_or_open(case_dir)?;
    let events = store.table_rows(linesight_model::schema::table::EVENTS)?;
    progress.stage("analysing", Some(5), Unit::Items);
    let engine = engine::Engine::open(&store)?;
    let extracted = features::extract(&engine, &|_| progress.advance(1))?;
    let detected = detect::detect(&extracted);
    progress.advance(1);

    let run_id = run_id();
    let mut findings = Findings {
        run_id: run_id.clone(),
        findings: detected.findings,
        lines: detected.lines,
    };
    findings
        .findings
        .sort_by(|a, b| (a.kind, &a.number, a.at_utc).cmp(&(b.kind, &b.number, b.at_utc)));
    for (i, f) in findings.findings.iter_mut().enumerate() {
        f.finding_id = format!("F{:06}", i + 1);
    }
    let mut by_kind = std::collections::BTreeMap::new();
    for f in &findings.findings {
        *by_kind.entry(f.kind.as_str().to_owned()).or_insert(0) += 1;
    }
    let summary = AnalysisSummary {
        run_id,
        events,
        bulk_senders: detected.senders.len(),
        deal_line_numbers: by_kind.get("deal_line").copied().unwrap_or(0),
        findings_by_kind: by_kind,
        lines: findings.lines.len(),
        findings_dir: store.root().join(FINDINGS_DIR).display().to_string(),
        elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        senders: detected.senders,
    };
    write::write(&mut store, &findings, &summary)?;
    Ok(summary)
}

fn run_id() -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    format!("analysis-{ms}")
}
