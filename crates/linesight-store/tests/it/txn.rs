//! Run transactions: append and replace, rollback by drop, sweeping after a kill, locks.

use linesight_model::{FileHash, RunId, schema::table};
use linesight_store::{CaseStore, FileEntry, RunMeta, StoreError};

use crate::{quarantine_batch, snapshot};

fn meta() -> RunMeta {
    RunMeta {
        started: "2026-01-01T00:00:00Z".into(),
        finished: "2026-01-01T00:00:01Z".into(),
    }
}

fn entry(sha: &str) -> FileEntry {
    FileEntry {
        path: "in.csv".into(),
        sha256: sha.into(),
        bytes: 1,
        profile: "p".into(),
        kind: "events".into(),
        rows_read: 1,
        records: 0,
        quarantined: 1,
    }
}

fn commit_run(store: &mut CaseStore, run: &str, table: &str, rows: usize, replace: bool) {
    let mut txn = store.begin_run(RunId(run.into())).unwrap();
    let mut w = txn.writer(table).unwrap();
    w.write(&quarantine_batch(rows, run)).unwrap();
    assert_eq!(w.finish().unwrap(), rows as u64);
    if replace {
        txn.replace_table(table).unwrap();
    }
    txn.record_file(entry(&format!("{:0>64}", run.len())));
    txn.commit(meta()).unwrap();
}

#[test]
fn append_then_replace() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = CaseStore::create_or_open(dir.path()).unwrap();
    commit_run(&mut s, "r1", table::QUARANTINE, 3, false);
    commit_run(&mut s, "r22", table::QUARANTINE, 2, false);
    assert_eq!(s.table_files(table::QUARANTINE).len(), 2);
    assert_eq!(s.table_rows(table::QUARANTINE).unwrap(), 5);
    let old = s.table_files(table::QUARANTINE);
    commit_run(&mut s, "r333", table::QUARANTINE, 4, true);
    let files = s.table_files(table::QUARANTINE);
    assert_eq!(files.len(), 1);
    assert!(files[0].is_absolute());
    for f in old {
        assert!(
            !f.exists(),
            "replaced file {} should be deleted",
            f.display()
        );
    }
    let batches = s.read_table(table::QUARANTINE).unwrap();
    assert_eq!(batches.iter().map(|b| b.num_rows()).sum::<usize>(), 4);
    let scanned: usize = s
        .scan_table(table::QUARANTINE)
        .unwrap()
        .map(|b| b.unwrap().num_rows())
        .sum();
    assert_eq!(scanned, 4);
    assert_eq!(s.manifest().runs.len(), 3);
    assert!(s.has_file(&FileHash::from_hex(&format!("{:0>64}", 3)).unwrap()));
    assert!(!s.has_file(&FileHash([9; 32])));
    drop(s);
    let r = CaseStore::open_read(dir.path()).unwrap();
    assert_eq!(r.table_rows(table::QUARANTINE).unwrap(), 4);
    assert!(!dir.path().join(".staging").exists());
    assert!(!dir.path().join(".lock").exists());
}

#[test]
fn dropping_a_run_leaves_the_case_byte_for_byte_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = CaseStore::create_or_open(dir.path()).unwrap();
    commit_run(&mut s, "r1", table::QUARANTINE, 3, false);
    drop(s);
    let before = snapshot(dir.path());
    let mut s = CaseStore::create_or_open(dir.path()).unwrap();
    {
        let mut txn = s.begin_run(RunId("r2".into())).unwrap();
        let mut w = txn.writer(table::QUARANTINE).unwrap();
        w.write(&quarantine_batch(5, "x")).unwrap();
        w.finish().unwrap();
        txn.replace_table(table::QUARANTINE).unwrap();
        // Dropped without commit.
    }
    drop(s);
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn leftovers_of_a_killed_writer_are_invisible_and_swept() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = CaseStore::create_or_open(dir.path()).unwrap();
    commit_run(&mut s, "r1", table::QUARANTINE, 3, false);
    drop(s);
    let before = snapshot(dir.path());
    // What a kill can leave: a staged run, a moved-in but unlisted run folder, a half
    // written manifest, and a lock held by a dead process.
    let staged = dir.path().join(".staging/r2/tables/quarantine/r2");
    std::fs::create_dir_all(&staged).unwrap();
    std::fs::write(staged.join("part-0.parquet"), b"partial").unwrap();
    let moved = dir.path().join("tables/quarantine/r2");
    std::fs::create_dir_all(&moved).unwrap();
    std::fs::write(moved.join("part-0.parquet"), b"unlisted").unwrap();
    std::fs::write(dir.path().join("manifest.json.tmp"), b"{").unwrap();
    std::fs::write(dir.path().join(".lock"), "4294967290").unwrap();

    let r = CaseStore::open_read(dir.path()).unwrap();
    assert_eq!(r.table_files(table::QUARANTINE).len(), 1);
    assert_eq!(r.table_rows(table::QUARANTINE).unwrap(), 3);

    let mut s = CaseStore::create_or_open(dir.path()).unwrap();
    drop(s);
    assert_eq!(snapshot(dir.path()), before);
    s = CaseStore::create_or_open(dir.path()).unwrap();
    commit_run(&mut s, "r2", table::QUARANTINE, 1, false);
    assert_eq!(s.table_rows(table::QUARANTINE).unwrap(), 4);
}

#[test]
fn a_live_writer_lock_is_refused_with_advice() {
    let dir = tempfile::tempdir().unwrap();
    let _s = CaseStore::create_or_open(dir.path()).unwrap();
    let err = CaseStore::create_or_open(dir.path()).unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }));
    let msg = err.to_string();
    assert!(msg.contains(".lock") && msg.contains("stale"), "{msg}");
    // Readers are never blocked.
    CaseStore::open_read(dir.path()).unwrap();
}

#[test]
fn unfinished_writer_blocks_commit() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = CaseStore::create_or_open(dir.path()).unwrap();
    let txn = s.begin_run(RunId("r1".into())).unwrap();
    let w = txn.writer(table::QUARANTINE).unwrap();
    let err = txn.commit(meta()).unwrap_err();
    assert!(matches!(err, StoreError::WriterNotFinished { .. }), "{err}");
    drop(w);
    assert!(s.manifest().runs.is_empty());
    assert!(!dir.path().join(".staging").exists());
}

#[test]
fn empty_parts_are_not_listed_and_run_ids_are_unique() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = CaseStore::create_or_open(dir.path()).unwrap();
    let txn = s.begin_run(RunId("r1".into())).unwrap();
    let w = txn.writer(table::QUARANTINE).unwrap();
    assert_eq!(w.finish().unwrap(), 0);
    txn.commit(meta()).unwrap();
    assert!(s.table_files(table::QUARANTINE).is_empty());
    assert!(matches!(
        s.begin_run(RunId("r1".into())),
        Err(StoreError::RunExists { .. })
    ));
}
