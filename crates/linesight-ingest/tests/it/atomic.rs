//! Atomicity: a refused run changes nothing; a killed run leaves the case as before,
//! readable, and the next ingest works.

use std::process::Command;
use std::time::{Duration, Instant};

use linesight_ingest::{IngestOptions, ingest};
use linesight_model::progress::NoProgress;
use linesight_model::schema::table;

use crate::*;

fn first_case(dir: &std::path::Path) -> std::path::PathBuf {
    let a = write(
        dir,
        "alba.csv",
        ALBA_HEADER,
        &[alba(
            1,
            "VOICE",
            "MO",
            "+447700900001",
            "+447700900002",
            "2026-09-01T08:15:02Z",
            5,
        )],
    );
    let case = dir.join("case");
    run(&case, &[a], "r1");
    case
}

#[test]
fn a_refused_file_leaves_the_case_byte_for_byte_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let case = first_case(dir.path());
    let before = snapshot(&case);
    let good = write(
        dir.path(),
        "brig.csv",
        BRIG_HEADER,
        &[brig(
            "01/09/2026",
            "09:15:03",
            "MTC",
            "07700900002",
            "07700900001",
            "00:00:04",
        )],
    );
    let bad = write(dir.path(), "zz.csv", "who,what", &["1,2".into()]);
    let e = ingest(&case, &[good.clone(), bad], &opts("r2"), &NoProgress).unwrap_err();
    assert!(e.to_string().contains("zz.csv"));
    assert_eq!(snapshot(&case), before);
    // The good file alone still goes in.
    let s = run(&case, &[good], "r2");
    assert_eq!((s.records_stored, s.duplicates_merged), (1, 1));
}

#[test]
fn leftovers_of_a_crash_are_invisible_and_swept() {
    let dir = tempfile::tempdir().unwrap();
    let case = first_case(dir.path());
    let before = snapshot(&case);
    // A run dropped after staging (as a panic would).
    {
        let mut store = CaseStore::create_or_open(&case).unwrap();
        let txn = store.begin_run(RunId("r-dropped".into())).unwrap();
        let w = txn.writer(table::EVENTS).unwrap();
        w.finish().unwrap();
    }
    assert_eq!(snapshot(&case), before);
    // What a kill leaves: a staged folder and a moved-in but unlisted part.
    std::fs::create_dir_all(case.join(".staging/r-killed/tables/records/r-killed")).unwrap();
    std::fs::write(
        case.join(".staging/r-killed/tables/records/r-killed/part-0.parquet"),
        b"half",
    )
    .unwrap();
    std::fs::create_dir_all(case.join("tables/records/r-killed")).unwrap();
    std::fs::write(case.join("tables/records/r-killed/part-0.parquet"), b"half").unwrap();
    assert_eq!(
        CaseStore::open_read(&case)
            .unwrap()
            .table_rows(table::RECORDS)
            .unwrap(),
        1
    );
    let b = write(
        dir.path(),
        "brig.csv",
        BRIG_HEADER,
        &[brig(
            "01/09/2026",
            "09:15:03",
            "MTC",
            "07700900002",
            "07700900001",
            "00:00:04",
        )],
    );
    let s = run(&case, &[b], "r2");
    assert_eq!((s.events_stored, s.duplicates_merged), (1, 1));
    assert!(!case.join(".staging").exists() && !case.join("tables/records/r-killed").exists());
}

/// Runs only as the child of `a_killed_ingest_leaves_the_case_as_before`.
#[test]
fn child_ingest_then_pause() {
    let (Ok(case), Ok(input)) = (
        std::env::var("LINESIGHT_TEST_CASE"),
        std::env::var("LINESIGHT_TEST_INPUT"),
    ) else {
        return;
    };
    let opts = IngestOptions {
        run_id: Some(RunId("r-child".into())),
        pause_before_commit: Some(Duration::from_secs(60)),
        threads: 1,
        ..IngestOptions::default()
    };
    ingest(case.as_ref(), &[input.into()], &opts, &NoProgress).unwrap();
}

#[test]
fn a_killed_ingest_leaves_the_case_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let case = first_case(dir.path());
    let before = snapshot(&case);
    let b = write(
        dir.path(),
        "brig.csv",
        BRIG_HEADER,
        &[brig(
            "01/09/2026",
            "09:15:03",
            "MTC",
            "07700900002",
            "07700900001",
            "00:00:04",
        )],
    );
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "atomic::child_ingest_then_pause",
            "--test-threads=1",
        ])
        .env("LINESIGHT_TEST_CASE", &case)
        .env("LINESIGHT_TEST_INPUT", &b)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the run has staged its rebuilt events, then kill it (SIGKILL).
    let staged = case.join(".staging/r-child/tables/events/r-child/part-0.parquet");
    let began = Instant::now();
    while !staged.exists() {
        assert!(
            began.elapsed() < Duration::from_secs(30),
            "child never staged its run"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    child.kill().unwrap();
    child.wait().unwrap();
    // The manifest and every listed file are as before; a reader sees the old case.
    let after = snapshot(&case);
    for (k, v) in &before {
        assert_eq!(after.get(k), Some(v), "{k} changed");
    }
    let r = CaseStore::open_read(&case).unwrap();
    assert_eq!(r.manifest().runs.len(), 1);
    assert_eq!(r.table_rows(table::EVENTS).unwrap(), 1);
    // The next writer takes over the dead lock, sweeps, and commits.
    let s = run(&case, &[b], "r2");
    assert_eq!((s.events_stored, s.duplicates_merged), (1, 1));
    assert!(!case.join(".staging").exists());
}
