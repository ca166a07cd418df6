//! The web app's build and browser tests: `cargo xtask web-build` and `cargo xtask web-test`.
//!
//! `web-build` runs `npm ci` (when `node_modules` is missing or older than the lockfile) and
//! `npm run build`, which type-checks and writes `web/dist/`, the folder the server embeds.
//! `web-test` also makes sure Debian's Chromium is installed, builds the `linesight` binary,
//! generates and analyses a small case in `target/web-test/`, and runs
//! `web/tests/browser.mjs` against `linesight serve` in headless Chromium; screenshots and
//! timings land in `web/test-results/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::{root, run};

const CHROMIUM: &str = "/usr/bin/chromium";

fn web_dir() -> PathBuf {
    root().join("web")
}

fn npm(args: &[&str]) -> Result<()> {
    run(Command::new("npm").args(["--prefix", "web"]).args(args))
}

/// `npm ci` unless `node_modules` is newer than `package-lock.json`.
fn npm_ci() -> Result<()> {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let lock = modified(&web_dir().join("package-lock.json"));
    let installed = modified(&web_dir().join("node_modules/.package-lock.json"));
    match (lock, installed) {
        (Some(l), Some(i)) if i >= l => Ok(()),
        _ => npm(&["ci", "--no-audit", "--no-fund"]),
    }
}

/// Installs the front end's dependencies and builds `web/dist/`.
pub(crate) fn build() -> Result<()> {
    npm_ci()?;
    npm(&["run", "build"])
}

fn ensure_chromium() -> Result<()> {
    if Path::new(CHROMIUM).exists() {
        return Ok(());
    }
    eprintln!("{CHROMIUM} is missing: installing Debian's chromium (needs root)");
    // CI has no terminal: apt must never stop to ask.
    run(Command::new("apt-get")
        .env("DEBIAN_FRONTEND", "noninteractive")
        .args(["update", "-q"]))?;
    run(Command::new("apt-get")
        .env("DEBIAN_FRONTEND", "noninteractive")
        .args(["install", "-y", "-q", "--no-install-recommends", "chromium"]))
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

/// Fails when `web/dist` differs from what the sources build: the server embeds `web/dist`,
/// so a stale one ships an app that the browser tests never saw.
fn check_dist_committed() -> Result<()> {
    let out = Command::new("git")
        .args(["status", "--porcelain", "--", "web/dist"])
        .current_dir(root())
        .output()
        .context("could not run git status")?;
    if !out.status.success() {
        // Not a git checkout (a source archive): nothing to compare with.
        return Ok(());
    }
    let changed = String::from_utf8_lossy(&out.stdout);
    if !changed.trim().is_empty() {
        bail!(
            "web/dist is stale: the build changed it. Run `cargo xtask web-build` and commit web/dist.\n{changed}"
        );
    }
    Ok(())
}

/// Builds the app and the binary, makes an analysed small case, and runs the browser tests.
/// With `require_fresh_dist` (CI), a `web/dist` that the build changed is an error.
pub(crate) fn test(require_fresh_dist: bool) -> Result<()> {
    ensure_chromium()?;
    build()?;
    if require_fresh_dist {
        check_dist_committed()?;
    }
    // The same selection as `cargo test --workspace`, so features unify the same way and
    // CI reuses the test build instead of compiling DataFusion a second time.
    run(Command::new("cargo").args(["build", "--workspace", "--all-targets"]))?;
    let bin = target_dir().join("debug/linesight");
    if !bin.exists() {
        bail!("{} was not built", bin.display());
    }
    let work = target_dir().join("web-test");
    if work.exists() {
        std::fs::remove_dir_all(&work)
            .with_context(|| format!("cannot clear {}", work.display()))?;
    }
    let (world, case) = (work.join("world"), work.join("case"));
    let lin = |args: &[&str]| {
        let mut c = Command::new(&bin);
        c.arg("--quiet").args(args);
        run(&mut c)
    };
    let (world_s, case_s) = (world.to_string_lossy(), case.to_string_lossy());
    lin(&[
        "simulate", "--seed", "7", "--scale", "small", "--out", &world_s,
    ])?;
    lin(&[
        "ingest",
        "--case",
        &case_s,
        &format!("{world_s}/exports"),
        &format!("{world_s}/cells.csv"),
        &format!("{world_s}/subscribers.csv"),
    ])?;
    // The simulator's intelligence file names some lines, so the list shows brands.
    let line_names = world.join("intel/line-names.csv");
    lin(&[
        "analyse",
        "--case",
        &case_s,
        "--line-names",
        &line_names.to_string_lossy(),
    ])?;

    let mut node = Command::new("node");
    node.arg("web/tests/browser.mjs")
        .env("LINESIGHT_BIN", &bin)
        .env("LINESIGHT_CASE", &case)
        .env("LINESIGHT_LINE_NAMES", &line_names)
        .env("CHROMIUM", CHROMIUM)
        .env("REPORT_DIR", web_dir().join("test-results"));
    // The shared UK boundaries, when this checkout sits beside them; never committed.
    let boundaries = root().join("../shared/datasets/uk-boundaries/gb_lad_2013.geojson");
    if boundaries.exists() {
        node.env("LINESIGHT_BOUNDARIES", boundaries);
    } else {
        eprintln!(
            "web-test: ../shared/datasets/uk-boundaries is absent: the map runs without boundaries"
        );
    }
    run(&mut node)
}
