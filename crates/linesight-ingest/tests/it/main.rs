//! Integration tests of ingest: refusals, quarantine, merging, DST, idempotency,
//! atomicity and crash safety, on small fixtures written to temp folders.

mod atomic;
mod fuzz;
mod merge;
mod quality;

use std::path::{Path, PathBuf};

use arrow_array::{Array, RecordBatch, StringArray, UInt64Array};
use linesight_ingest::{IngestOptions, IngestSummary, ingest};
use linesight_model::RunId;
use linesight_model::progress::NoProgress;
use linesight_store::CaseStore;

pub(crate) const ALBA_HEADER: &str = "record_id,event_type,direction,served_msisdn,other_party,served_imsi,served_imei,start_time_utc,duration_s,first_cgi,last_cgi";
pub(crate) const BRIG_HEADER: &str = "Call Date;Call Time;Call Type;Target Number;Other Number;IMSI;IMEI;Duration;Start LAC;Start CI;End LAC;End CI";
pub(crate) const CORV_HEADER: &str = "MSISDN\tOTHER_PARTY\tSERVICE\tDIRECTION\tSTART_LOCAL\tDURATION\tIMSI\tIMEI\tCELL_START\tCELL_END";

/// Writes a file of `header` and `rows` (newline-terminated) and returns its path.
pub(crate) fn write(dir: &Path, name: &str, header: &str, rows: &[String]) -> PathBuf {
    let mut text = format!("{header}\n");
    for r in rows {
        text.push_str(r);
        text.push('\n');
    }
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

pub(crate) fn alba(
    id: u32,
    ty: &str,
    dir: &str,
    served: &str,
    other: &str,
    start: &str,
    dur: u32,
) -> String {
    format!(
        "{id},{ty},{dir},{served},{other},234810000000001,356789012345678,{start},{dur},234-81-4521-12345,234-81-4521-12346"
    )
}

pub(crate) fn brig(
    date: &str,
    time: &str,
    ty: &str,
    target: &str,
    other: &str,
    dur: &str,
) -> String {
    format!(
        "{date};{time};{ty};{target};{other};234820000000002;356789012345679;{dur};4521;777;4521;778"
    )
}

pub(crate) fn corv(
    served: &str,
    other: &str,
    svc: &str,
    dir: &str,
    start: &str,
    dur: &str,
) -> String {
    format!(
        "{served}\t{other}\t{svc}\t{dir}\t{start}\t{dur}\t234830000000003\t356789012345670\t4521-12345\t4521-12346"
    )
}

pub(crate) fn opts(run: &str) -> IngestOptions {
    IngestOptions {
        run_id: Some(RunId(run.into())),
        threads: 2,
        ..IngestOptions::default()
    }
}

pub(crate) fn run(case: &Path, inputs: &[PathBuf], run_id: &str) -> IngestSummary {
    ingest(case, inputs, &opts(run_id), &NoProgress).unwrap()
}

pub(crate) fn table(case: &Path, name: &str) -> Vec<RecordBatch> {
    CaseStore::open_read(case)
        .unwrap()
        .read_table(name)
        .unwrap()
}

/// A text column of a table, nulls as `None`.
pub(crate) fn text(batches: &[RecordBatch], col: &str) -> Vec<Option<String>> {
    batches
        .iter()
        .flat_map(|b| {
            let a = b
                .column_by_name(col)
                .unwrap()
                .as_any()
                .downcast_ref::<StringArray>()
                .unwrap()
                .clone();
            (0..a.len())
                .map(move |i| (!a.is_null(i)).then(|| a.value(i).to_owned()))
                .collect::<Vec<_>>()
        })
        .collect()
}

pub(crate) fn u64s(batches: &[RecordBatch], col: &str) -> Vec<Option<u64>> {
    batches
        .iter()
        .flat_map(|b| {
            let a = b
                .column_by_name(col)
                .unwrap()
                .as_any()
                .downcast_ref::<UInt64Array>()
                .unwrap()
                .clone();
            (0..a.len())
                .map(move |i| (!a.is_null(i)).then(|| a.value(i)))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Every file under `dir` with its bytes (the lock file excluded: it only exists while
/// a writer runs).
pub(crate) fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut std::collections::BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
            if p.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(base, &p, out);
            } else {
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}
