//! `cargo xtask bench-ingest`: ingest throughput against a named peer, DuckDB, on the same
//! simulated files in the same run.
//!
//! The peer does `read_csv` (all columns as text, so it cannot drop leading zeros) and
//! `COPY … TO … (FORMAT parquet)` of the same three operator exports. That is the floor of
//! what any loader must do; linesight also normalises numbers, converts local times, parses
//! durations and cells, quarantines bad rows, merges duplicate reports and writes two tables.

use std::fs;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::{root, run};

struct Options {
    people: u32,
    days: u32,
    keep: bool,
}

fn parse(args: &[String]) -> Result<Options> {
    let mut o = Options {
        people: 30_000,
        days: 92,
        keep: false,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--people" => o.people = it.next().context("--people needs a number")?.parse()?,
            "--days" => o.days = it.next().context("--days needs a number")?.parse()?,
            "--keep" => o.keep = true,
            other => bail!("unknown bench-ingest option {other:?}"),
        }
    }
    Ok(o)
}

pub(crate) fn ingest(args: &[String]) -> Result<()> {
    let o = parse(args)?;
    let root = root();
    let out = root.join("bench-out");
    let world = out.join("world");
    let case = out.join("case");
    fs::create_dir_all(&out)?;

    let bin = release_binary()?;

    let stamp = format!("people={} days={}", o.people, o.days);
    let stamp_file = world.join(".bench-params");
    if !(o.keep && fs::read_to_string(&stamp_file).is_ok_and(|s| s == stamp)) {
        let _ = fs::remove_dir_all(&world);
        run(Command::new(&bin)
            .args([
                "simulate", "--quiet", "--scale", "regional", "--seed", "42", "--noise", "0",
            ])
            .args([
                "--people",
                &o.people.to_string(),
                "--days",
                &o.days.to_string(),
                "--out",
            ])
            .arg(&world))?;
        fs::write(&stamp_file, &stamp)?;
    }
    let truth_path = world.join("truth/summary.json");
    let truth: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(&truth_path)
            .with_context(|| format!("reading {}", truth_path.display()))?,
    )?;
    let count = |key: &str| truth[key].as_u64().unwrap_or(0);
    let exports = world.join("exports");
    let files: Vec<_> = ["alba_cdr.csv", "brig_cdr.csv", "corv_cdr.tsv"]
        .iter()
        .map(|f| exports.join(f))
        .collect();
    let bytes: u64 = files
        .iter()
        .map(|f| fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .sum();

    // linesight.
    let _ = fs::remove_dir_all(&case);
    let t = Instant::now();
    let output = Command::new(&bin)
        .args(["ingest", "--quiet", "--json", "--case"])
        .arg(&case)
        .arg(&exports)
        .output()
        .context("running linesight ingest")?;
    let ours = t.elapsed().as_secs_f64();
    if !output.status.success() {
        bail!(
            "linesight ingest failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // Where the time went, from the run's own stage clock.
    let ingest: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    let stages = ingest["stage_ms"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| {
                    let secs = s[1].as_f64().unwrap_or(0.0) / 1000.0;
                    format!("{} {secs:.1} s", s[0].as_str().unwrap_or("?"))
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();

    let python = bench_python()?;
    let parquet_out = out.join("duckdb-parquet");
    let _ = fs::remove_dir_all(&parquet_out);
    fs::create_dir_all(&parquet_out)?;
    let output = Command::new(&python)
        .arg(root.join("xtask").join("duckdb_baseline.py"))
        .arg(&parquet_out)
        .args(&files)
        .output()
        .context("running the DuckDB baseline")?;
    if !output.status.success() {
        bail!(
            "DuckDB baseline failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let theirs: f64 = String::from_utf8(output.stdout)?
        .trim()
        .parse()
        .context("DuckDB baseline printed no time")?;

    let events = count("events") as f64;
    let report = format!(
        "ingest benchmark: {} events ({} rows, {:.0} MiB of CSV, {} people x {} days, seed 42)\n\
         linesight ingest : {ours:7.2} s  {:>12.0} events/s\n\
         DuckDB read_csv + Parquet: {theirs:7.2} s  {:>12.0} events/s\n\
         ratio (DuckDB time / linesight time): {:.2}  (above 1 means linesight is faster)\n\n\
         linesight stages: {stages}\n",
        count("events"),
        count("records"),
        bytes as f64 / (1024.0 * 1024.0),
        o.people,
        o.days,
        events / ours,
        events / theirs,
        theirs / ours
    );
    print!("{report}");
    fs::write(out.join("ingest-bench.txt"), &report)?;
    if !o.keep {
        let _ = fs::remove_dir_all(&case);
        let _ = fs::remove_dir_all(&parquet_out);
    }
    Ok(())
}

/// The Cargo target folder (`CARGO_TARGET_DIR`, or `target/` in the workspace).
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), Into::into)
}

/// Builds the release CLI and returns the path of the `linesight` binary.
pub(crate) fn release_binary() -> Result<PathBuf> {
    run(Command::new("cargo").args(["build", "--release", "-p", "linesight-cli"]))?;
    Ok(target_dir().join("release").join("linesight"))
}

/// The Python of the benchmarks' virtualenv (`TARGET/bench-venv`), with the peers of
/// `xtask/requirements-bench.txt` (DuckDB from PyPI) installed, so nothing is installed
/// system-wide. Reinstalled when the requirements file changes.
pub(crate) fn bench_python() -> Result<PathBuf> {
    let requirements = root().join("xtask").join("requirements-bench.txt");
    let wanted = fs::read_to_string(&requirements)
        .with_context(|| format!("reading {}", requirements.display()))?;
    let venv = target_dir().join("bench-venv");
    let python = venv.join("bin").join("python");
    let stamp = venv.join(".requirements");
    if !(python.exists() && fs::read_to_string(&stamp).is_ok_and(|s| s == wanted)) {
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
        run(Command::new(venv.join("bin").join("pip"))
            .args(["install", "--quiet", "-r"])
            .arg(&requirements))?;
        fs::write(&stamp, &wanted)?;
    }
    Ok(python)
}
