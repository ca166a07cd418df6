//! `analyse` and `eval` end to end: a small simulated world is ingested and analysed, the
//! evaluation has the promised shape, every finding's evidence is a record of the case's
//! `events` table, and no look-alike business is reported as a deal line.

use std::collections::HashSet;
use std::path::Path;

use arrow_array::{Array, StringArray, UInt64Array};
use linesight_store::CaseStore;

use crate::{ingest_json, linesight, ok, simulate_small};

/// Simulates, ingests and analyses a small world; returns the analysis summary.
fn analysed(seed: u64, dir: &Path) -> serde_json::Value {
    let world = dir.join("world");
    let case = dir.join("case");
    simulate_small(seed, &world);
    ingest_json(
        &case,
        &[
            world.join("exports"),
            world.join("cells.csv"),
            world.join("subscribers.csv"),
        ],
    );
    let out = ok(linesight()
        .args(["analyse", "--quiet", "--json", "--case"])
        .arg(&case));
    serde_json::from_slice(&out.stdout).expect("analyse --json prints one JSON object")
}

fn eval_json(dir: &Path) -> serde_json::Value {
    let out = ok(linesight()
        .args(["eval", "--json", "--case"])
        .arg(dir.join("case"))
        .arg("--truth")
        .arg(dir.join("world/truth")));
    serde_json::from_slice(&out.stdout).expect("eval --json prints one JSON object")
}

#[test]
fn eval_json_has_a_score_per_finding_type_and_no_lookalike_is_flagged() {
    let tmp = tempfile::tempdir().unwrap();
    let summary = analysed(5, tmp.path());
    assert!(summary["findings_by_kind"]["deal_line"].as_u64().unwrap() > 0);
    let report = eval_json(tmp.path());
    for key in [
        "deal_lines",
        "line_grouping",
        "swaps",
        "successors",
        "runners",
        "controllers",
        "cuckooed",
        "trips",
    ] {
        for field in ["precision", "recall", "f1", "tp", "fp", "fn"] {
            assert!(
                report[key][field].is_number(),
                "eval --json lacks {key}.{field}:\n{report:#}"
            );
        }
    }
    assert_eq!(report["lookalikes_flagged"], 0, "{report:#}");
    // Deal lines are found well even in a two-week world.
    assert!(
        report["deal_lines"]["precision"].as_f64().unwrap() >= 0.9,
        "{report:#}"
    );
    assert!(
        report["deal_lines"]["recall"].as_f64().unwrap() >= 0.8,
        "{report:#}"
    );

    // The second pass finds the people around the lines and their trips.
    for key in ["runners", "controllers", "trips"] {
        assert!(
            report[key]["tp"].as_u64().unwrap() > 0
                && report[key]["precision"].as_f64().unwrap() >= 0.8,
            "{key}: {report:#}"
        );
    }
    let findings: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(tmp.path().join("case/findings/findings.json")).unwrap(),
    )
    .unwrap();
    let lines = findings["lines"].as_array().unwrap();
    let valuations = findings["valuations"].as_array().unwrap();
    assert_eq!(valuations.len(), lines.len());
    for v in valuations {
        assert_eq!(v["assumptions_version"], "2026-11-idmu-v1");
        let central = v["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["label"] == "central")
            .unwrap();
        let expected = v["confirmed_transactions"].as_f64().unwrap() * 20.0
            + v["potential_transactions"].as_f64().unwrap() * 0.5 * 20.0;
        assert!(
            (central["value_gbp"].as_f64().unwrap() - expected).abs() < 1e-6,
            "{v:#}"
        );
    }
    for f in findings["findings"].as_array().unwrap() {
        if f["kind"] == "runner" || f["kind"] == "cuckooed_resident" {
            assert!(
                f["safeguarding"].is_string(),
                "victim wording missing: {f:#}"
            );
        }
    }

    let text = String::from_utf8(
        ok(linesight()
            .args(["eval", "--case"])
            .arg(tmp.path().join("case"))
            .arg("--truth")
            .arg(tmp.path().join("world/truth")))
        .stdout,
    )
    .unwrap();
    assert!(
        text.contains("deal_lines") && text.contains("precision"),
        "{text}"
    );
}

#[test]
fn every_finding_cites_events_that_exist_in_the_case_store() {
    let tmp = tempfile::tempdir().unwrap();
    analysed(9, tmp.path());
    let case = tmp.path().join("case");
    let store = CaseStore::open_read(&case).unwrap();
    let mut provenance: HashSet<(String, u64)> = HashSet::new();
    for batch in store.read_table("events").unwrap() {
        for leg in ["a_", "b_"] {
            let sha = batch
                .column_by_name(&format!("{leg}src_sha256"))
                .unwrap()
                .as_any()
                .downcast_ref::<StringArray>()
                .unwrap()
                .clone();
            let row = batch
                .column_by_name(&format!("{leg}src_row"))
                .unwrap()
                .as_any()
                .downcast_ref::<UInt64Array>()
                .unwrap()
                .clone();
            for i in 0..batch.num_rows() {
                if sha.is_valid(i) && row.is_valid(i) {
                    provenance.insert((sha.value(i).to_owned(), row.value(i)));
                }
            }
        }
    }
    let text = std::fs::read_to_string(case.join("findings/findings.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        let evidence = f["evidence"].as_array().unwrap();
        assert!(!evidence.is_empty(), "finding without evidence: {f:#}");
        assert!(!f["rule"].as_str().unwrap().is_empty());
        assert!(f["score"].as_f64().unwrap() > 0.0);
        for e in evidence {
            let key = (
                e["src_sha256"].as_str().unwrap().to_owned(),
                e["src_row"].as_u64().unwrap(),
            );
            assert!(
                provenance.contains(&key),
                "finding {} cites {key:?}, which is no record of the case:\n{f:#}",
                f["finding_id"]
            );
        }
    }
    for table in ["findings", "finding_evidence", "line_numbers"] {
        assert!(case.join(format!("findings/{table}.parquet")).is_file());
    }
    assert!(case.join("findings/analysis.json").is_file());

    // Re-running replaces the findings whole.
    ok(linesight()
        .args(["analyse", "--quiet", "--case"])
        .arg(&case));
    assert!(case.join("findings/findings.json").is_file());
    assert!(!case.join(".findings-staging").exists());
}

#[test]
fn analyse_and_eval_help_explain_their_terms() {
    let a = String::from_utf8(ok(linesight().args(["analyse", "--help"])).stdout).unwrap();
    for term in [
        "flare",
        "deal line",
        "call-back",
        "handset swap",
        "SIM swap",
        "successor",
    ] {
        assert!(a.contains(term), "analyse --help lacks {term:?}");
    }
    let e = String::from_utf8(ok(linesight().args(["eval", "--help"])).stdout).unwrap();
    for term in ["precision", "recall", "lookalikes_flagged", "--truth"] {
        assert!(e.contains(term), "eval --help lacks {term:?}");
    }
}

#[test]
fn a_bad_assumptions_file_is_refused_with_the_field_named() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.toml");
    std::fs::write(
        &bad,
        "version = \"x\"\nflare_response_hours = 24\norder_session_gap_minutes = 30\n\
         [deal_value_gbp]\nlow = 50.0\ncentral = 20.0\nhigh = 35.0\n\
         [conversion]\nlow = 0.0\ncentral = 0.5\nhigh = 1.0\n",
    )
    .unwrap();
    let out = linesight()
        .args(["analyse", "--quiet", "--case"])
        .arg(tmp.path().join("case"))
        .arg("--assumptions")
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("deal_value_gbp"), "{err}");
}
