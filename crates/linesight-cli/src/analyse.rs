//! `linesight analyse`: runs the detectors over a case and prints a short summary.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use linesight_analysis::AnalysisSummary;

use crate::progress::Bars;

/// `linesight analyse`.
#[derive(Debug, Args)]
pub(crate) struct AnalyseArgs {
    /// Case store folder to analyse (findings are written into CASE_DIR/findings).
    #[arg(long = "case", value_name = "CASE_DIR")]
    pub(crate) case_dir: PathBuf,
    /// Print the analysis summary as one JSON object on stdout.
    #[arg(long)]
    pub(crate) json: bool,
    /// Valuation assumptions (TOML: deal values, conversion, deal sizes, with a version).
    /// Default: the built-in assumptions/valuation.toml. Its version and SHA-256 are
    /// written beside every valuation so both sides can reproduce the figure.
    #[arg(long, value_name = "FILE")]
    pub(crate) assumptions: Option<PathBuf>,
    /// Line names from intelligence (CSV `number,name,source`): each found line whose
    /// numbers include a listed one is shown under that name, citing the source. The
    /// simulator writes one as WORLD/intel/line-names.csv.
    #[arg(long, value_name = "FILE")]
    pub(crate) line_names: Option<PathBuf>,
    /// Write a profile of every query plan into DIR: profile.json (SQL, time, rows and
    /// result checksums per plan) and plans.txt (each plan with DataFusion's per-operator
    /// metrics). For benchmarks and tuning (`cargo xtask bench-analysis`).
    #[arg(long, value_name = "DIR")]
    pub(crate) profile: Option<PathBuf>,
    /// Threads for the query engine (default: every core). The findings do not depend on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub(crate) threads: Option<u16>,
}

pub(crate) fn run(args: AnalyseArgs, bars: &Bars) -> Result<()> {
    let assumptions = match &args.assumptions {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading assumptions file {}", path.display()))?;
            linesight_analysis::Assumptions::parse(&text).map_err(|e| {
                anyhow::anyhow!(
                    "assumptions file {} is not valid: {e}\n(start from assumptions/valuation.toml in the linesight source)",
                    path.display()
                )
            })?
        }
        None => linesight_analysis::Assumptions::builtin(),
    };
    let line_names = match &args.line_names {
        Some(path) => read_line_names(path)?,
        None => linesight_analysis::LineNames::default(),
    };
    let options = linesight_analysis::RunOptions {
        profile_dir: args.profile.clone(),
        threads: args.threads.map(usize::from),
    };
    let summary = analyse_with(&args.case_dir, &assumptions, &line_names, &options, bars)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let mut s = summary;
        s.senders.clear();
        writeln!(out, "{}", serde_json::to_string(&s)?)?;
    } else {
        print_summary(&mut out, &summary)?;
    }
    Ok(())
}

/// Reads a line-names CSV, naming the file in any error.
pub(crate) fn read_line_names(path: &std::path::Path) -> Result<linesight_analysis::LineNames> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading line-names file {}", path.display()))?;
    linesight_analysis::LineNames::parse_csv(&text).with_context(|| {
        format!(
            "line-names file {} is not valid (expected CSV with the header number,name,source)",
            path.display()
        )
    })
}

/// Analyses `case` with the built-in assumptions, the given line names, and progress on
/// `bars`.
pub(crate) fn analyse(
    case: &std::path::Path,
    line_names: &linesight_analysis::LineNames,
    bars: &Bars,
) -> Result<AnalysisSummary> {
    analyse_with(
        case,
        &linesight_analysis::Assumptions::builtin(),
        line_names,
        &linesight_analysis::RunOptions::default(),
        bars,
    )
}

fn analyse_with(
    case: &std::path::Path,
    assumptions: &linesight_analysis::Assumptions,
    line_names: &linesight_analysis::LineNames,
    options: &linesight_analysis::RunOptions,
    bars: &Bars,
) -> Result<AnalysisSummary> {
    let summary =
        linesight_analysis::analyse_with_options(case, assumptions, line_names, options, bars)
            .with_context(|| format!("analysing case {}", case.display()))?;
    bars.finish();
    Ok(summary)
}

/// The short human summary.
pub(crate) fn print_summary(out: &mut impl Write, s: &AnalysisSummary) -> Result<()> {
    let n = |k: &str| s.findings_by_kind.get(k).copied().unwrap_or(0);
    writeln!(
        out,
        "Analysed {} events in {:.1}s (run {})",
        s.events,
        s.elapsed_ms as f64 / 1000.0,
        s.run_id
    )?;
    writeln!(
        out,
        "  {} bulk senders examined; {} deal-line numbers in {} lines; {} flares",
        s.bulk_senders,
        n("deal_line"),
        s.lines,
        n("flare")
    )?;
    writeln!(
        out,
        "  line continuity: {} successor numbers, {} handset swaps, {} SIM swaps",
        n("successor"),
        n("handset_swap"),
        n("sim_swap")
    )?;
    writeln!(
        out,
        "  people: {} runners, {} line holders' phones, {} controllers, {} customers",
        n("runner"),
        n("line_holder"),
        n("controller"),
        n("customer")
    )?;
    writeln!(
        out,
        "  movement: {} runner trips into the towns; {} possibly cuckooed homes (residents are possible victims)",
        n("trip"),
        n("cuckooed_resident")
    )?;
    writeln!(
        out,
        "  value: GBP {:.0} across all lines (central assumptions; see each line's valuation for the range)",
        s.value_gbp
    )?;
    writeln!(
        out,
        "  findings, each with its rule, score and evidence records: {}",
        s.findings_dir
    )?;
    Ok(())
}
