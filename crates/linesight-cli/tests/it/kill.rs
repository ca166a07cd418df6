//! Killing ingest halfway leaves the case store exactly as it was, and readable.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use linesight_store::CaseStore;

use crate::{ingest_json, linesight, simulate_small};

/// Every file under `dir` with its bytes, except the lock file and staging area, which a
/// killed writer may leave behind by design.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let p = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().display().to_string(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

fn staged_anything(case: &Path) -> bool {
    let staging = case.join(".staging");
    let mut stack = vec![staging];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                return true;
            }
        }
    }
    false
}

#[test]
fn sigkill_mid_ingest_leaves_the_store_unchanged_and_readable() {
    let dir = tempfile::tempdir().unwrap();
    let world = dir.path().join("world");
    let case = dir.path().join("case");
    let truth = simulate_small(11, &world);
    // A first, committed run: the state that must survive.
    ingest_json(&case, &[world.join("exports/alba_cdr.csv")]);
    let before = snapshot(&case);
    let events_before = CaseStore::open_read(&case)
        .unwrap()
        .read_table("events")
        .unwrap();

    // A second run, held after staging its data and before the manifest swap, then killed.
    let mut child = linesight()
        .env("LINESIGHT_TEST_PAUSE_BEFORE_COMMIT_MS", "60000")
        .args(["ingest", "--quiet", "--case"])
        .arg(&case)
        .arg(world.join("exports"))
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !staged_anything(&case) {
        assert!(Instant::now() < deadline, "ingest never staged any data");
        assert!(
            child.try_wait().unwrap().is_none(),
            "ingest finished before it could be killed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    child.kill().unwrap(); // SIGKILL: no destructors, no cleanup.
    child.wait().unwrap();

    assert_eq!(
        snapshot(&case),
        before,
        "a killed run changed the committed case store"
    );
    let store = CaseStore::open_read(&case).unwrap();
    assert_eq!(
        store.read_table("events").unwrap(),
        events_before,
        "events differ after the kill"
    );

    // The next run sweeps the debris and completes.
    let summary = ingest_json(&case, &[world.join("exports")]);
    assert_eq!(summary["events_stored"].as_u64(), truth["events"].as_u64());
}
