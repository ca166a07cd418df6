//! `linesight eval`: scores a case's findings against a simulator's ground truth.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

/// `linesight eval`.
#[derive(Debug, Args)]
pub(crate) struct EvalArgs {
    /// Case store folder that `linesight analyse` has run on.
    #[arg(long = "case", value_name = "CASE_DIR")]
    pub(crate) case_dir: PathBuf,
    /// The simulator's ground-truth folder (WORLD/truth).
    #[arg(long, value_name = "DIR")]
    pub(crate) truth: PathBuf,
    /// Print one JSON object: a key per finding type, plus `lookalikes_flagged`.
    #[arg(long)]
    pub(crate) json: bool,
}

pub(crate) fn run(args: EvalArgs) -> Result<()> {
    let report = linesight_eval::evaluate(&args.case_dir, &args.truth).with_context(|| {
        format!(
            "evaluating case {} against {}",
            args.case_dir.display(),
            args.truth.display()
        )
    })?;
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "{:<14} {:>9} {:>7} {:>6} {:>6} {:>6} {:>6}",
        "finding", "precision", "recall", "F1", "tp", "fp", "fn"
    )?;
    for (name, s) in report.rows() {
        writeln!(
            out,
            "{:<14} {:>9.3} {:>7.3} {:>6.3} {:>6} {:>6} {:>6}{}",
            name,
            s.precision,
            s.recall,
            s.f1,
            s.tp,
            s.fp,
            s.fn_,
            if s.note.is_some() {
                "  (not detected yet)"
            } else {
                ""
            }
        )?;
    }
    writeln!(
        out,
        "look-alike businesses flagged as deal lines: {}",
        report.lookalikes_flagged
    )?;
    Ok(())
}
