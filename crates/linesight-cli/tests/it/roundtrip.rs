//! Simulator → ingest round trip: the case store holds exactly the truth's events after
//! duplicate reports are merged, quarantines exactly the junk rows, and every stored event
//! traces back to the file and row it came from.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use arrow_array::{Array, RecordBatch, StringArray, UInt64Array};
use linesight_model::Msisdn;
use linesight_store::CaseStore;
use serde_json::Value;

use crate::{ingest_json, simulate_small};

fn world_inputs(world: &Path) -> Vec<PathBuf> {
    vec![
        world.join("exports"),
        world.join("cells.csv"),
        world.join("subscribers.csv"),
    ]
}

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

fn strings<'a>(batch: &'a RecordBatch, name: &str) -> &'a StringArray {
    batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("no column {name}"))
        .as_any()
        .downcast_ref()
        .unwrap()
}

fn u64s<'a>(batch: &'a RecordBatch, name: &str) -> &'a UInt64Array {
    batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("no column {name}"))
        .as_any()
        .downcast_ref()
        .unwrap()
}

/// Column of the served party's number in each simulated export layout.
fn served_column(path: &str) -> (u8, usize) {
    if path.ends_with("alba_cdr.csv") {
        (b',', 3)
    } else if path.ends_with("brig_cdr.csv") {
        (b';', 3)
    } else {
        (b'\t', 0)
    }
}

#[test]
fn round_trip_is_exact_for_several_seeds() {
    for seed in [1, 7, 2026] {
        let dir = tempfile::tempdir().unwrap();
        let world = dir.path().join("world");
        let case = dir.path().join("case");
        let truth = simulate_small(seed, &world);
        let summary = ingest_json(&case, &world_inputs(&world));

        assert_eq!(
            u(&summary["events_stored"]),
            u(&truth["events"]),
            "seed {seed}: stored events != truth events"
        );
        assert_eq!(
            u(&summary["duplicates_merged"]),
            u(&truth["two_leg_events"]),
            "seed {seed}: merged pairs"
        );
        assert_eq!(
            u(&summary["records_stored"]),
            u(&truth["records"]),
            "seed {seed}: records"
        );
        let noise: u64 = truth["noise_rows_by_file"]
            .as_object()
            .unwrap()
            .values()
            .map(u)
            .sum();
        assert_eq!(
            u(&summary["rows_quarantined"]),
            noise,
            "seed {seed}: quarantined rows != injected junk rows"
        );
        let mut per_file_checked = 0;
        for f in summary["files"].as_array().unwrap() {
            let path = f["path"].as_str().unwrap();
            let rel = Path::new(path)
                .strip_prefix(&world)
                .map(|p| p.to_string_lossy().into_owned());
            if let Ok(rel) = rel
                && let Some(want) = truth["records_by_file"].get(&rel)
            {
                assert_eq!(u(&f["records_stored"]), u(want), "seed {seed}: {rel}");
                assert_eq!(
                    u(&f["quarantined"]),
                    u(&truth["noise_rows_by_file"][&rel]),
                    "seed {seed}: {rel}"
                );
                per_file_checked += 1;
            }
        }
        assert_eq!(
            per_file_checked, 3,
            "seed {seed}: all three operator exports are checked"
        );
        assert_eq!(u(&summary["cells_stored"]), u(&truth["cells"]));
        assert_eq!(u(&summary["subscribers_stored"]), u(&truth["subscribers"]));
        events_trace_back_to_their_rows(&case, &summary);
    }
}

/// Every stored event names a file (by SHA-256) and row whose served number is that
/// event's A or B party.
fn events_trace_back_to_their_rows(case: &Path, summary: &Value) {
    let by_hash: HashMap<String, String> = summary["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["sha256"].as_str().unwrap().to_owned(),
                f["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut lines: HashMap<String, Vec<String>> = HashMap::new();
    let store = CaseStore::open_read(case).expect("case store opens");
    let batches = store.read_table("events").expect("events table reads");
    let mut checked = 0u64;
    for batch in &batches {
        for (party, number_col) in [("a_", "a_number"), ("b_", "b_number")] {
            let sha = strings(batch, &format!("{party}src_sha256"));
            let row = u64s(batch, &format!("{party}src_row"));
            let number = strings(batch, number_col);
            for i in 0..batch.num_rows() {
                if sha.is_null(i) {
                    continue;
                }
                let path = by_hash
                    .get(sha.value(i))
                    .unwrap_or_else(|| panic!("unknown source {}", sha.value(i)));
                let file = lines.entry(path.clone()).or_insert_with(|| {
                    std::fs::read_to_string(path)
                        .unwrap()
                        .lines()
                        .map(str::to_owned)
                        .collect()
                });
                let line = &file[usize::try_from(row.value(i)).unwrap()]; // row 1 = first line after the header
                let (sep, col) = served_column(path);
                let served = line.split(sep as char).nth(col).unwrap();
                assert_eq!(
                    Msisdn::normalise(served).unwrap().as_str(),
                    number.value(i),
                    "{path} row {} does not hold this event's {number_col}",
                    row.value(i)
                );
                checked += 1;
            }
        }
    }
    let stored: usize = batches.iter().map(RecordBatch::num_rows).sum();
    assert!(
        checked >= stored as u64,
        "every event has at least one leg with provenance"
    );
}

#[test]
fn re_ingesting_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let world = dir.path().join("world");
    let case = dir.path().join("case");
    simulate_small(3, &world);
    let first = ingest_json(&case, &world_inputs(&world));
    let manifest = std::fs::read(case.join("manifest.json")).unwrap();
    let second = ingest_json(&case, &world_inputs(&world));
    assert_eq!(u(&second["records_stored"]), 0);
    assert_eq!(
        u(&second["files_skipped"]),
        first["files"].as_array().unwrap().len() as u64
    );
    assert_eq!(u(&second["events_stored"]), u(&first["events_stored"]));
    assert_eq!(
        std::fs::read(case.join("manifest.json")).unwrap(),
        manifest,
        "manifest changed"
    );
}
