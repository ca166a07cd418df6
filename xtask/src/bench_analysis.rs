//! `cargo xtask bench-analysis`: the analysis end to end at several world sizes, and its
//! feature extraction against a named peer, DuckDB, on the same Parquet files in the same run.
//!
//! For each size the task simulates a world (the regional preset with a fixed population;
//! the number of days sets the size), ingests it and runs `linesight analyse --profile`,
//! timing each step and measuring its peak memory (`xtask/measure.py`). The profile gives
//! every plan's SQL, time, rows, result checksums and DataFusion's per-operator metrics.
//! `xtask/duckdb_features.py` then runs the first pass's SQL (the feature extraction) in
//! DuckDB over the same `events` files with the same number of threads, checks that every
//! result agrees (rows, and per column non-null counts and sums), and reports the times.
//!
//! Results go into `OUT/analysis-bench.md` (a table, ready for docs/benchmarks.md) and
//! `OUT/analysis-bench.json`; the profiles into `OUT/profile-SIZE/`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::bench::{bench_python, release_binary};
use crate::root;

/// Background population of every world: the bench-ingest world's, so its 10 M size matches.
const PEOPLE: u32 = 30_000;
/// Events per simulated day at [`PEOPLE`] people: 9,233,284 events in 92 days
/// (`cargo xtask bench-ingest`, docs/benchmarks.md). Sets the days for a wanted size.
const EVENTS_PER_DAY: u64 = 100_362;
const SEED: u64 = 42;

struct Options {
    sizes: Vec<u64>,
    out: PathBuf,
    keep: bool,
    /// Threads for both engines (default: every core).
    threads: Option<u16>,
}

/// `1M`, `500k`, `2500000`.
fn parse_size(s: &str) -> Result<u64> {
    let lower = s.trim().to_ascii_lowercase();
    let (num, mult) = if let Some(n) = lower.strip_suffix('m') {
        (n, 1_000_000.0)
    } else if let Some(n) = lower.strip_suffix('k') {
        (n, 1_000.0)
    } else {
        (lower.as_str(), 1.0)
    };
    let v: f64 = num
        .parse()
        .with_context(|| format!("{s:?} is not a size (try 1M, 500k or 2500000)"))?;
    if v <= 0.0 {
        bail!("size {s:?} must be positive");
    }
    Ok((v * mult).round() as u64)
}

fn parse(args: &[String]) -> Result<Options> {
    let mut o = Options {
        sizes: vec![1_000_000, 10_000_000, 30_000_000],
        out: root().join("bench-out").join("analysis"),
        keep: false,
        threads: None,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--events" => {
                o.sizes = it
                    .next()
                    .context("--events needs sizes, such as 1M,10M,30M")?
                    .split(',')
                    .map(parse_size)
                    .collect::<Result<_>>()?;
            }
            "--out" => o.out = it.next().context("--out needs a folder")?.into(),
            "--keep" => o.keep = true,
            "--threads" => {
                o.threads = Some(it.next().context("--threads needs a number")?.parse()?);
            }
            other => bail!("unknown bench-analysis option {other:?}"),
        }
    }
    Ok(o)
}

/// `1M`, `10M`, `250k`: the label of a wanted size in file names and tables.
fn label(n: u64) -> String {
    if n.is_multiple_of(1_000_000) {
        format!("{}M", n / 1_000_000)
    } else if n.is_multiple_of(1_000) {
        format!("{}k", n / 1_000)
    } else {
        n.to_string()
    }
}

/// Days to simulate for about `events` events.
fn days_for(events: u64) -> u32 {
    u32::try_from(events.div_ceil(EVENTS_PER_DAY).max(1)).unwrap_or(u32::MAX)
}

/// What one measured command took.
struct Measured {
    wall_s: f64,
    max_rss_mib: f64,
    stdout: Vec<u8>,
}

/// Runs `cmd` under `measure.py`, failing with its stderr if it fails.
fn measured(python: &Path, what: &str, scratch: &Path, cmd: &mut Command) -> Result<Measured> {
    let report = scratch.join(format!(".measure-{}.json", what.replace(' ', "-")));
    let mut wrapped = Command::new(python);
    wrapped
        .arg(root().join("xtask").join("measure.py"))
        .arg(&report)
        .arg(cmd.get_program())
        .args(cmd.get_args());
    eprintln!("$ [{what}] {}", crate::describe(cmd));
    let output = wrapped
        .output()
        .with_context(|| format!("could not start {what}"))?;
    if !output.status.success() {
        bail!(
            "{what} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let m: Value = serde_json::from_str(&fs::read_to_string(&report)?)?;
    let _ = fs::remove_file(&report);
    Ok(Measured {
        wall_s: m["wall_s"].as_f64().unwrap_or(f64::NAN),
        max_rss_mib: m["max_rss_kib"].as_f64().unwrap_or(f64::NAN) / 1024.0,
        stdout: output.stdout,
    })
}

/// One size's results.
struct Row {
    label: String,
    days: u32,
    events: u64,
    simulate: Option<Measured>,
    ingest: Measured,
    analyse: Measured,
    stages: String,
    /// DataFusion's threads, and the feature plans' total seconds for it and DuckDB.
    threads: u64,
    datafusion_s: f64,
    duckdb_s: f64,
    duckdb: Measured,
    agree: bool,
    problems: Vec<String>,
    /// Per plan: name, DataFusion s, DuckDB s.
    plans: Vec<(String, f64, f64)>,
}

pub(crate) fn run(args: &[String]) -> Result<()> {
    let o = parse(args)?;
    fs::create_dir_all(&o.out)?;
    let out = o
        .out
        .canonicalize()
        .with_context(|| format!("resolving {}", o.out.display()))?;
    let bin = release_binary()?;
    let python = bench_python()?;
    let mut rows = Vec::new();
    for &size in &o.sizes {
        rows.push(one_size(&o, &out, &bin, &python, size)?);
        // Written after every size, so a long run that is stopped keeps what it measured.
        write_report(&out, &rows)?;
    }
    print!("{}", fs::read_to_string(out.join("analysis-bench.md"))?);
    Ok(())
}

fn one_size(o: &Options, out: &Path, bin: &Path, python: &Path, size: u64) -> Result<Row> {
    let label = label(size);
    let days = days_for(size);
    let world = out.join(format!("world-{label}"));
    let case = out.join(format!("case-{label}"));
    let profile = out.join(format!("profile-{label}"));

    let stamp = format!("people={PEOPLE} days={days} seed={SEED}");
    let stamp_file = world.join(".bench-params");
    let simulate = if o.keep && fs::read_to_string(&stamp_file).is_ok_and(|s| s == stamp) {
        eprintln!("reusing {} ({stamp})", world.display());
        None
    } else {
        let _ = fs::remove_dir_all(&world);
        let m = measured(
            python,
            &format!("simulate {label}"),
            out,
            Command::new(bin)
                .args([
                    "simulate", "--quiet", "--scale", "regional", "--noise", "0", "--seed",
                ])
                .arg(SEED.to_string())
                .args(["--people", &PEOPLE.to_string(), "--days", &days.to_string()])
                .arg("--out")
                .arg(&world),
        )?;
        fs::write(&stamp_file, &stamp)?;
        Some(m)
    };

    let _ = fs::remove_dir_all(&case);
    let ingest = measured(
        python,
        &format!("ingest {label}"),
        out,
        Command::new(bin)
            .args(["ingest", "--quiet", "--json", "--case"])
            .arg(&case)
            .arg(world.join("exports"))
            .arg(world.join("cells.csv"))
            .arg(world.join("subscribers.csv")),
    )?;

    let _ = fs::remove_dir_all(&profile);
    let mut cmd = Command::new(bin);
    cmd.args(["analyse", "--quiet", "--json", "--case"])
        .arg(&case)
        .arg("--profile")
        .arg(&profile);
    if let Some(n) = o.threads {
        cmd.args(["--threads", &n.to_string()]);
    }
    let analyse = measured(python, &format!("analyse {label}"), out, &mut cmd)?;
    let summary: Value =
        serde_json::from_slice(&analyse.stdout).context("analyse --json printed no summary")?;
    let events = summary["events"].as_u64().unwrap_or(0);
    let stages = summary["stage_ms"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k} {:.1} s", v.as_f64().unwrap_or(0.0) / 1000.0))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    let profile_json: Value =
        serde_json::from_str(&fs::read_to_string(profile.join("profile.json"))?)?;
    let threads = profile_json["threads"].as_u64().unwrap_or(1);

    // DuckDB with as many threads as DataFusion's runtime had.
    let peer = out.join(format!("duckdb-{label}.json"));
    let duckdb = measured(
        python,
        &format!("duckdb {label}"),
        out,
        Command::new(python)
            .arg(root().join("xtask").join("duckdb_features.py"))
            .arg(profile.join("profile.json"))
            .arg(threads.to_string())
            .arg(&peer),
    )?;
    let peer: Value = serde_json::from_str(&fs::read_to_string(&peer)?)?;
    let mut plans = Vec::new();
    let mut problems = Vec::new();
    let mut agree = true;
    for p in peer["plans"]
        .as_array()
        .context("no plans in DuckDB's report")?
    {
        let name = p["name"].as_str().unwrap_or("?").to_owned();
        let ours = p["datafusion_ms"].as_f64().unwrap_or(f64::NAN) / 1000.0;
        let theirs = p["duckdb_ms"].as_f64().unwrap_or(f64::NAN) / 1000.0;
        agree &= p["agree"].as_bool().unwrap_or(false);
        for problem in p["problems"].as_array().into_iter().flatten() {
            problems.push(format!("{name}: {}", problem.as_str().unwrap_or("?")));
        }
        plans.push((name, ours, theirs));
    }
    let datafusion_s = plans.iter().map(|p| p.1).sum();
    let duckdb_s = plans.iter().map(|p| p.2).sum();
    if !o.keep {
        let _ = fs::remove_dir_all(&world);
        let _ = fs::remove_dir_all(&case);
    }
    Ok(Row {
        label,
        days,
        events,
        simulate,
        ingest,
        analyse,
        stages,
        threads,
        datafusion_s,
        duckdb_s,
        duckdb,
        agree,
        problems,
        plans,
    })
}

fn write_report(out: &Path, rows: &[Row]) -> Result<()> {
    let mut md = String::from(
        "| events | days | simulate s | ingest s | analyse s | analyse peak RSS | feature plans, DataFusion s | same SQL, DuckDB s | ratio DataFusion / DuckDB | threads | results agree |\n\
         |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    for r in rows {
        md.push_str(&format!(
            "| {} | {} | {} | {:.1} | {:.1} | {:.0} MiB | {:.2} | {:.2} | {:.2} | {} | {} |\n",
            thousands(r.events),
            r.days,
            r.simulate
                .as_ref()
                .map_or("reused".to_owned(), |m| format!("{:.1}", m.wall_s)),
            r.ingest.wall_s,
            r.analyse.wall_s,
            r.analyse.max_rss_mib,
            r.datafusion_s,
            r.duckdb_s,
            r.datafusion_s / r.duckdb_s,
            r.threads,
            if r.agree { "yes" } else { "**no**" },
        ));
    }
    if let [first, .., last] = rows {
        md.push_str(&format!(
            "\nGrowth from {} to {} events ({:.1}× the events): analyse {:.1}×, DataFusion feature plans {:.1}×, DuckDB {:.1}×.\n",
            thousands(first.events),
            thousands(last.events),
            last.events as f64 / first.events as f64,
            last.analyse.wall_s / first.analyse.wall_s,
            last.datafusion_s / first.datafusion_s,
            last.duckdb_s / first.duckdb_s,
        ));
    }
    for r in rows {
        md.push_str(&format!(
            "\n{} ({}): ingest peak RSS {:.0} MiB, DuckDB peak RSS {:.0} MiB{}; analyse stages: {}\n",
            r.label,
            thousands(r.events),
            r.ingest.max_rss_mib,
            r.duckdb.max_rss_mib,
            r.simulate
                .as_ref()
                .map_or(String::new(), |m| format!(
                    ", simulate peak RSS {:.0} MiB",
                    m.max_rss_mib
                )),
            r.stages
        ));
        for (name, ours, theirs) in &r.plans {
            md.push_str(&format!(
                "- {name}: DataFusion {ours:.2} s, DuckDB {theirs:.2} s\n"
            ));
        }
        for p in &r.problems {
            md.push_str(&format!("- results differ: {p}\n"));
        }
    }
    fs::write(out.join("analysis-bench.md"), &md)?;
    let json: Vec<Value> = rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "size": r.label, "days": r.days, "events": r.events,
                "simulate_s": r.simulate.as_ref().map(|m| m.wall_s),
                "ingest_s": r.ingest.wall_s, "ingest_rss_mib": r.ingest.max_rss_mib,
                "analyse_s": r.analyse.wall_s, "analyse_rss_mib": r.analyse.max_rss_mib,
                "threads": r.threads, "datafusion_features_s": r.datafusion_s,
                "duckdb_features_s": r.duckdb_s, "duckdb_rss_mib": r.duckdb.max_rss_mib,
                "agree": r.agree, "problems": r.problems, "stages": r.stages,
                "plans": r.plans.iter().map(|(n, a, b)| serde_json::json!({"name": n, "datafusion_s": a, "duckdb_s": b})).collect::<Vec<_>>(),
            })
        })
        .collect();
    fs::write(
        out.join("analysis-bench.json"),
        serde_json::to_string_pretty(&json)?,
    )?;
    Ok(())
}

/// `9233284` → `9,233,284`.
fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_and_labels() {
        assert_eq!(super::parse_size("1M").unwrap(), 1_000_000);
        assert_eq!(super::parse_size("2.5m").unwrap(), 2_500_000);
        assert_eq!(super::parse_size("500k").unwrap(), 500_000);
        assert_eq!(super::parse_size("1234").unwrap(), 1234);
        assert!(super::parse_size("ten").is_err());
        assert_eq!(super::label(30_000_000), "30M");
        assert_eq!(super::label(500_000), "500k");
        assert_eq!(super::thousands(9_233_284), "9,233,284");
        assert_eq!(super::days_for(10_000_000), 100);
        assert_eq!(super::days_for(1), 1);
    }
}
