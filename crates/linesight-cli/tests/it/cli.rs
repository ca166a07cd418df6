//! The command-line contract: subcommand names and help that teaches the domain.

use crate::{linesight, ok};

#[test]
fn help_explains_the_domain_terms_it_uses() {
    let top = String::from_utf8(ok(linesight().arg("--help")).stdout).unwrap();
    for term in [
        "deal line",
        "flares",
        "runners",
        "cuckooing",
        "IMEI",
        "IMSI",
        "simulate",
        "ingest",
        "demo",
    ] {
        assert!(
            top.contains(term),
            "top-level --help does not explain {term:?}:\n{top}"
        );
    }
    let sim = String::from_utf8(ok(linesight().args(["simulate", "--help"])).stdout).unwrap();
    for term in [
        "--seed",
        "--scale",
        "--out",
        "ground truth",
        "handset",
        "--noise",
        "truth/",
    ] {
        assert!(sim.contains(term), "simulate --help lacks {term:?}");
    }
    let ingest = String::from_utf8(ok(linesight().args(["ingest", "--help"])).stdout).unwrap();
    for term in [
        "--case",
        "--json",
        "quarantine",
        "profile",
        "SHA-256",
        "E.164",
    ] {
        assert!(ingest.contains(term), "ingest --help lacks {term:?}");
    }
}

#[test]
fn errors_say_what_went_wrong_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = linesight()
        .args(["ingest", "--quiet", "--case"])
        .arg(dir.path().join("case"))
        .arg(dir.path().join("no-such-file.csv"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no-such-file.csv"),
        "error does not name the file: {err}"
    );
}
