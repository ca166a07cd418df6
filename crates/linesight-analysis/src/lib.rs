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

mod burner;
mod detect;
mod engine;
mod features;
mod line_plans;
mod movement;
mod names;
mod pass2;
mod profile;
mod roles;
pub mod schema;
pub mod thresholds;
pub mod valuation;
mod write;

use std::path::{Path, PathBuf};

use linesight_model::progress::{Progress, Unit};
use linesight_store::{CaseStore, StoreError};

pub use burner::BURNER_RULE;
pub use detect::{DEAL_LINE_RULE, FLARE_RULE, HANDSET_RULE, SIM_RULE, SUCCESSOR_RULE};
pub use linesight_findings::{
    ANALYSIS_JSON, AnalysisSummary, Evidence, FINDINGS_DIR, FINDINGS_JSON, Finding, FindingKind,
    Findings, Line, LineNumber, SenderFeatures, Valuation, ValuationCase,
};
pub use movement::{CUCKOO_RULE, TRIP_RULE};
pub use names::{LineNames, LineNamesError};
pub use roles::{CONTROLLER_RULE, CUSTOMER_RULE, HANDLER_RULE, RUNNER_RULE};
pub use valuation::Assumptions;
pub use write::read_findings;

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

/// Analyses the case at `case_dir` with the built-in valuation assumptions, and writes its
/// findings into `CASE/findings/`.
pub fn analyse(case_dir: &Path, progress: &dyn Progress) -> Result<AnalysisSummary, AnalysisError> {
    analyse_with(
        case_dir,
        &Assumptions::builtin(),
        &LineNames::default(),
        progress,
    )
}

/// Analyses the case at `case_dir` and writes its findings into `CASE/findings/`. Lines
/// whose numbers `line_names` lists take the name intelligence gives them.
///
/// Reads the case through its manifest, holds the case's writer lock while writing, and
/// replaces any earlier findings whole.
pub fn analyse_with(
    case_dir: &Path,
    assumptions: &Assumptions,
    line_names: &LineNames,
    progress: &dyn Progress,
) -> Result<AnalysisSummary, AnalysisError> {
    analyse_with_options(
        case_dir,
        assumptions,
        line_names,
        &RunOptions::default(),
        progress,
    )
}

/// How an analysis runs (not what it finds: no option changes a finding).
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// Write a profile of every plan (SQL, time, rows, result checksums, DataFusion's
    /// per-operator metrics) into this folder: `profile.json` and `plans.txt`.
    pub profile_dir: Option<PathBuf>,
    /// Threads for the query engine (default: every core the process may use).
    pub threads: Option<usize>,
}

/// [`analyse_with`], with [`RunOptions`].
pub fn analyse_with_options(
    case_dir: &Path,
    assumptions: &Assumptions,
    line_names: &LineNames,
    options: &RunOptions,
    progress: &dyn Progress,
) -> Result<AnalysisSummary, AnalysisError> {
    let started = std::time::Instant::now();
    let mut stage_ms = std::collections::BTreeMap::new();
    let mut lap = std::time::Instant::now();
    let mut mark = |name: &str| {
        let ms = u64::try_from(lap.elapsed().as_millis()).unwrap_or(u64::MAX);
        stage_ms.insert(name.to_owned(), ms);
        lap = std::time::Instant::now();
    };
    let mut store = CaseStore::create_or_open(case_dir)?;
    let events = store.table_rows(linesight_model::schema::table::EVENTS)?;
    progress.stage("analysing", Some(9), Unit::Items);
    let engine = engine::Engine::open(&store, options.threads, options.profile_dir.is_some())?;
    let extracted = features::extract(&engine, &|_| progress.advance(1))?;
    mark("first-pass plans");
    let detected = detect::detect(&extracted);
    progress.advance(1);
    mark("lines");
    let mut lines = detected.lines;
    line_names.apply(&mut lines);
    let added = pass2::run(
        &engine,
        &mut lines,
        &extracted.pairs,
        &detected.flares,
        assumptions,
        &|_| progress.advance(1),
    )?;
    mark("roles, trips, valuation");

    let run_id = run_id();
    let mut all = detected.findings;
    all.extend(added.findings);
    let line_numbers: std::collections::HashSet<&str> = lines
        .iter()
        .flat_map(|l| l.numbers.iter().map(|n| n.number.as_str()))
        .collect();
    all.extend(burner::find(
        &extracted.pairs,
        &extracted.devices,
        &line_numbers,
    ));
    mark("burner rotation");
    let mut findings = Findings {
        run_id: run_id.clone(),
        findings: all,
        lines,
        valuations: added.valuations,
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
    let value_gbp = findings
        .valuations
        .iter()
        .flat_map(|v| v.cases.iter().filter(|c| c.label == "central"))
        .map(|c| c.value_gbp)
        .sum();
    let mut summary = AnalysisSummary {
        run_id,
        events,
        bulk_senders: detected.senders.len(),
        deal_line_numbers: by_kind.get("deal_line").copied().unwrap_or(0),
        findings_by_kind: by_kind,
        lines: findings.lines.len(),
        findings_dir: store.root().join(FINDINGS_DIR).display().to_string(),
        elapsed_ms: 0,
        stage_ms: Default::default(),
        value_gbp,
        senders: detected.senders,
    };
    write::write(&mut store, &findings, &summary)?;
    mark("write");
    summary.stage_ms = stage_ms;
    summary.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    if let Some(dir) = &options.profile_dir {
        profile::write(
            dir,
            engine.threads,
            engine.target_partitions(),
            &engine.events_files,
            &summary,
            &engine.take_profile(),
        )?;
    }
    Ok(summary)
}

/// `YYYY-MM-DD` of a UTC millisecond time (for explanations).
pub(crate) fn day(ms: i64) -> String {
    utc(ms).format("%Y-%m-%d").to_string()
}

/// `YYYY-MM-DD HH:MM UTC` of a UTC millisecond time (for explanations).
pub(crate) fn time(ms: i64) -> String {
    utc(ms).format("%Y-%m-%d %H:%M UTC").to_string()
}

/// A UTC millisecond time as a date-time (times beyond chrono's range, which no record
/// holds, read as the epoch).
fn utc(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

fn run_id() -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    format!("analysis-{ms}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_civil_utc() {
        assert_eq!(super::day(0), "1970-01-01");
        // 2026-10-25 01:30 UTC, the night the clocks go back.
        assert_eq!(super::time(1_792_891_800_000), "2026-10-25 01:30 UTC");
        assert_eq!(super::day(951_782_400_000), "2000-02-29");
    }
}
