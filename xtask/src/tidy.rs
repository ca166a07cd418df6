//! Tidy checks: codebase invariants that no compiler enforces, run by `cargo xtask ci`
//! and as a test.
//!
//! - every Rust file opens with a `//!` module doc;
//! - crate folders under `crates/` are named exactly like their crate, with the prefix;
//! - internal path dependencies carry no version;
//! - the functional core (model, graph) depends on no I/O-bound crate.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

/// Crates that must stay free of I/O, and dependencies they must never take.
const PURE_CRATES: &[&str] = &[
    "linesight-model",
    "linesight-graph",
    "linesight-rng",
    "linesight-findings",
    "linesight-ops",
];
const IO_DEPENDENCIES: &[&str] = &[
    "parquet",
    "csv",
    "tokio",
    "axum",
    "sqlx",
    "datafusion",
    "linesight-store",
];

pub(crate) fn check(root: &Path) -> Result<()> {
    let mut problems = Vec::new();
    for file in rust_files(root) {
        let text = fs::read_to_string(&file)?;
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        if !first.starts_with("//!") && !first.starts_with("#![") {
            problems.push(format!(
                "{}: first line must be a `//!` module doc",
                rel(root, &file)
            ));
        }
    }
    for entry in fs::read_dir(root.join("crates"))? {
        let dir = entry?.path();
        let manifest = dir.join("Cargo.toml");
        let Ok(text) = fs::read_to_string(&manifest) else {
            continue;
        };
        let folder = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if !folder.starts_with("linesight-") {
            problems.push(format!(
                "crates/{folder}: crate folders must start with `linesight-`"
            ));
        }
        if !text.contains(&format!("name = \"{folder}\"")) {
            problems.push(format!(
                "crates/{folder}/Cargo.toml: package name must equal the folder name"
            ));
        }
        if PURE_CRATES.contains(&folder.as_str()) {
            for dep in IO_DEPENDENCIES {
                if text.lines().any(|l| {
                    l.trim_start().starts_with(&format!("{dep}."))
                        || l.trim_start().starts_with(&format!("{dep} ="))
                }) {
                    problems.push(format!(
                        "crates/{folder} must do no I/O but depends on {dep}"
                    ));
                }
            }
        }
    }
    let root_manifest = fs::read_to_string(root.join("Cargo.toml"))?;
    for line in root_manifest
        .lines()
        .filter(|l| l.starts_with("linesight-"))
    {
        if line.contains("version") {
            problems.push(format!(
                "Cargo.toml: internal dependency carries a version: {line}"
            ));
        }
    }
    if !problems.is_empty() {
        bail!(
            "tidy found {} problem(s):\n  {}",
            problems.len(),
            problems.join("\n  ")
        );
    }
    Ok(())
}

fn rust_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.join("crates"), root.join("xtask"), root.join("fuzz")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if name == "target" || name.to_string_lossy().starts_with('.') {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).display().to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_tree_is_tidy() {
        super::check(&crate::root()).unwrap();
    }
}
