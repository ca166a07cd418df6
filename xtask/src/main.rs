//! Project automation, run as `cargo xtask <task>`: the same commands locally and in CI.
//!
//! - `ci`: formatting, lints, the whole test suite and the browser tests (what `.ci/run` runs);
//! - `bench-ingest`: ingest throughput against DuckDB on the same simulated files;
//! - `bench-analysis`: the analysis end to end at 1M/10M/30M events, and its feature extraction
//!   against the same SQL in DuckDB on the same Parquet files;
//! - `fuzz`: a longer cargo-fuzz run of the row parser (needs `cargo install cargo-fuzz`);
//! - `eval-networks`: network analysis on real criminal networks into `docs/network-evaluation.md`;
//! - `eval-links`: number linking and dense blocks on ROXANNE and CallMine into
//!   `docs/linking-evaluation.md`.
//! - `web-build`, `web-test`: the web app's build into `web/dist` and its browser tests.

mod bench;
mod bench_analysis;
mod eval_links;
mod eval_networks;
mod tidy;
mod web;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

const HELP: &str = "\
cargo xtask <task>

Tasks:
  ci                       cargo fmt --check, clippy -D warnings, tidy checks, the whole test suite,
                           then the browser tests (web-test) with a check that web/dist is committed
  bench-ingest [OPTIONS]   ingest ~10M simulated events and compare with DuckDB read_csv + Parquet
      --people N           background population of the simulated world (default 30000)
      --days N             simulated days (default 92)
      --keep               keep the generated world in bench-out/ for another run
  bench-analysis [OPTIONS] simulate, ingest and analyse worlds of several sizes (peak memory, stage
                           and per-plan times), and run the feature-extraction SQL in DuckDB on the
                           same Parquet files with the same threads, checking the results agree
      --events LIST        world sizes in events (default 1M,10M,30M)
      --out DIR            results, profiles and worlds (default bench-out/analysis)
      --keep               keep worlds and cases, and reuse a world of the same size next time
      --threads N          threads for DataFusion and DuckDB alike (default: every core)
  fuzz [SECONDS]           run the cargo-fuzz row-parser target (default 60 s)
  web-build                npm ci + vite build of the web app into web/dist (embedded by the server)
  web-test                 browser tests in headless Chromium against `linesight serve` on a small case
  eval-networks            CAVIAR, Montagna and London-gang evaluation from ../shared/datasets
                           into docs/network-evaluation.md (fails if the data is absent)
  eval-links               number linking (ROXANNE police cases) and dense blocks (CallMine)
                           from ../shared/datasets into docs/linking-evaluation.md";

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let task = args.next().unwrap_or_default();
    let rest: Vec<String> = args.collect();
    match task.as_str() {
        "ci" => ci(),
        "bench-ingest" => bench::ingest(&rest),
        "bench-analysis" => bench_analysis::run(&rest),
        "eval-networks" => eval_networks::run(&rest),
        "eval-links" => eval_links::run(&rest),
        "fuzz" => fuzz(rest.first().map(String::as_str).unwrap_or("60")),
        "web-build" => web::build(),
        "web-test" => web::test(false),
        "" | "help" | "--help" | "-h" => {
            println!("{HELP}");
            Ok(())
        }
        other => bail!("unknown task {other:?}\n\n{HELP}"),
    }
}

/// The workspace root (the parent of this crate's folder).
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_owned()
}

/// Runs a command in the workspace root, failing with the command line if it fails.
pub(crate) fn run(cmd: &mut Command) -> Result<()> {
    cmd.current_dir(root());
    eprintln!("$ {}", describe(cmd));
    let status = cmd
        .status()
        .with_context(|| format!("could not start {}", describe(cmd)))?;
    if !status.success() {
        bail!("`{}` failed with {status}", describe(cmd));
    }
    Ok(())
}

pub(crate) fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program().to_string_lossy().into_owned())
        .chain(cmd.get_args().map(|a| a.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn ci() -> Result<()> {
    run(Command::new("cargo").args(["fmt", "--all", "--", "--check"]))?;
    tidy::check(&root())?;
    eprintln!("tidy: ok");
    run(Command::new("cargo").args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    run(Command::new("cargo").args(["test", "--workspace"]))?;
    // Last, the browser suite in headless Chromium (installs Chromium and the npm packages
    // from the lockfile when they are missing, so a fresh clone runs it too).
    web::test(true)
}

fn fuzz(seconds: &str) -> Result<()> {
    let probe = Command::new("cargo").args(["fuzz", "--version"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        bail!(
            "cargo-fuzz is not installed: run `cargo install cargo-fuzz` (needs no nightly: we pass --sanitizer none)"
        );
    }
    run(Command::new("cargo")
        .env("RUSTC_BOOTSTRAP", "1")
        .args([
            "fuzz",
            "run",
            "--fuzz-dir",
            "fuzz",
            "--sanitizer",
            "none",
            "parse_row",
            "--",
        ])
        .arg(format!("-max_total_time={seconds}")))
}
