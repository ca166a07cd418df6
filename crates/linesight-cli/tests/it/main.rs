//! End-to-end tests of the `linesight` binary: the CLI contract, the simulator-to-ingest
//! round trip, provenance back to file and row, and a kill in the middle of an ingest.

mod analyse;
mod cli;
mod kill;
mod network;
mod ops;
mod roundtrip;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The built `linesight` binary.
pub(crate) fn linesight() -> Command {
    Command::new(env!("CARGO_BIN_EXE_linesight"))
}

/// Runs the binary and fails the test with its stderr if it fails.
pub(crate) fn ok(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("run linesight");
    assert!(
        out.status.success(),
        "linesight failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Simulates a small world with `seed` into `dir` and returns its truth summary.
pub(crate) fn simulate_small(seed: u64, dir: &Path) -> serde_json::Value {
    ok(linesight()
        .args([
            "simulate",
            "--quiet",
            "--scale",
            "small",
            "--seed",
            &seed.to_string(),
            "--out",
        ])
        .arg(dir));
    let text = std::fs::read_to_string(dir.join("truth/summary.json")).expect("truth/summary.json");
    serde_json::from_str(&text).expect("summary.json is JSON")
}

/// Ingests `paths` into `case` with `--json` and returns the summary.
pub(crate) fn ingest_json(case: &Path, paths: &[PathBuf]) -> serde_json::Value {
    let out = ok(linesight()
        .args(["ingest", "--quiet", "--json", "--case"])
        .arg(case)
        .args(paths));
    serde_json::from_slice(&out.stdout).expect("ingest --json prints one JSON object")
}
