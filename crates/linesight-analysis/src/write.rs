//! Writing findings into the case folder, and reading them back.
//!
//! The case store's manifest accepts only the tables of `linesight_model::schema` (its
//! writer refuses other names), so findings live beside the tables, in `CASE/findings/`:
//!
//! ```text
//! CASE/findings/findings.parquet          one row per finding   (schema::FINDINGS)
//! CASE/findings/finding_evidence.parquet  provenance per finding (schema::FINDING_EVIDENCE)
//! CASE/findings/line_numbers.parquet      numbers of each line  (schema::LINE_NUMBERS)
//! CASE/findings/findings.json             the same, as one JSON document
//! CASE/findings/analysis.json             counts, timings and per-sender measurements
//! ```
//!
//! The writer holds the case's writer lock, writes everything into
//! `CASE/.findings-staging/`, fsyncs it, and then swaps the folder into place, so a
//! reader sees the old findings or the new ones, never half of each (a crash between the
//! two renames leaves no `findings/`, and re-running `analyse` restores it).

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{
    ArrayRef, Float64Array, RecordBatch, StringArray, TimestampMillisecondArray, UInt32Array,
    UInt64Array,
};
use linesight_store::CaseStore;
use parquet::arrow::ArrowWriter;

use crate::{
    ANALYSIS_JSON, AnalysisError, AnalysisSummary, FINDINGS_DIR, FINDINGS_JSON, Findings, schema,
};

const STAGING: &str = ".findings-staging";
const OLD: &str = ".findings-old";

fn io_err(path: &Path, action: &'static str) -> impl FnOnce(std::io::Error) -> AnalysisError {
    let path = path.to_owned();
    move |e| AnalysisError::Findings {
        path,
        action,
        detail: e.to_string(),
    }
}

/// Reads `CASE/findings/findings.json`.
pub fn read_findings(case_dir: &Path) -> Result<Findings, AnalysisError> {
    let path = case_dir.join(FINDINGS_DIR).join(FINDINGS_JSON);
    let text =
        fs::read_to_string(&path).map_err(io_err(&path, "read (run `linesight analyse` first)"))?;
    serde_json::from_str(&text).map_err(|e| AnalysisError::Findings {
        path,
        action: "parse",
        detail: e.to_string(),
    })
}

pub(crate) fn write(
    store: &mut CaseStore,
    findings: &Findings,
    summary: &AnalysisSummary,
) -> Result<(), AnalysisError> {
    let root = store.root().to_owned();
    let staging = root.join(STAGING);
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(io_err(&staging, "remove"))?;
    }
    fs::create_dir_all(&staging).map_err(io_err(&staging, "create"))?;

    write_parquet(&staging.join("findings.parquet"), findings_batch(findings)?)?;
    write_parquet(
        &staging.join("finding_evidence.parquet"),
        evidence_batch(findings)?,
    )?;
    write_parquet(
        &staging.join("line_numbers.parquet"),
        lines_batch(findings)?,
    )?;
    write_json(&staging.join(FINDINGS_JSON), findings)?;
    write_json(&staging.join(ANALYSIS_JSON), summary)?;

    let live = root.join(FINDINGS_DIR);
    let old = root.join(OLD);
    if old.exists() {
        fs::remove_dir_all(&old).map_err(io_err(&old, "remove"))?;
    }
    if live.exists() {
        fs::rename(&live, &old).map_err(io_err(&live, "move aside"))?;
    }
    fs::rename(&staging, &live).map_err(io_err(&live, "move into place"))?;
    if let Ok(dir) = File::open(&root) {
        let _ = dir.sync_all();
    }
    if old.exists() {
        fs::remove_dir_all(&old).map_err(io_err(&old, "remove"))?;
    }
    Ok(())
}

fn write_json<T: serde::Serialize>(path: &PathBuf, value: &T) -> Result<(), AnalysisError> {
    let mut text = serde_json::to_vec_pretty(value).map_err(|e| AnalysisError::Findings {
        path: path.clone(),
        action: "serialise",
        detail: e.to_string(),
    })?;
    text.push(b'\n');
    let mut f = File::create(path).map_err(io_err(path, "create"))?;
    f.write_all(&text).map_err(io_err(path, "write"))?;
    f.sync_all().map_err(io_err(path, "fsync"))
}

fn write_parquet(path: &Path, batch: RecordBatch) -> Result<(), AnalysisError> {
    let perr = |e: parquet::errors::ParquetError| AnalysisError::Findings {
        path: path.to_owned(),
        action: "write",
        detail: e.to_string(),
    };
    let file = File::create(path).map_err(io_err(path, "create"))?;
    let sync = file.try_clone().map_err(io_err(path, "open"))?;
    let mut w = ArrowWriter::try_new(file, batch.schema(), None).map_err(perr)?;
    w.write(&batch).map_err(perr)?;
    w.close().map_err(perr)?;
    sync.sync_all().map_err(io_err(path, "fsync"))
}

fn batch(
    schema: &arrow_schema::SchemaRef,
    cols: Vec<ArrayRef>,
) -> Result<RecordBatch, AnalysisError> {
    RecordBatch::try_new(schema.clone(), cols).map_err(|e| AnalysisError::Decode {
        what: "findings",
        source: e,
    })
}

fn utc(values: Vec<Option<i64>>) -> ArrayRef {
    Arc::new(TimestampMillisecondArray::from(values).with_timezone("UTC"))
}

fn findings_batch(f: &Findings) -> Result<RecordBatch, AnalysisError> {
    let x = &f.findings;
    let s = |g: &dyn Fn(&crate::Finding) -> Option<String>| -> ArrayRef {
        Arc::new(StringArray::from(x.iter().map(g).collect::<Vec<_>>()))
    };
    batch(
        &schema::FINDINGS,
        vec![
            s(&|f| Some(f.finding_id.clone())),
            s(&|f| Some(f.kind.as_str().to_owned())),
            s(&|f| Some(f.number.clone())),
            s(&|f| f.line_id.clone()),
            Arc::new(Float64Array::from(
                x.iter().map(|f| f.score).collect::<Vec<_>>(),
            )),
            s(&|f| Some(f.rule.clone())),
            s(&|f| Some(f.explanation.clone())),
            utc(x.iter().map(|f| f.at_utc).collect()),
            s(&|f| f.old.clone()),
            s(&|f| f.new.clone()),
            utc(x.iter().map(|f| f.until_utc).collect()),
            s(&|f| f.place.clone()),
            s(&|f| (!f.reasons.is_empty()).then(|| f.reasons.join("; "))),
            s(&|f| f.safeguarding.clone()),
            s(&|_| Some(f.run_id.clone())),
        ],
    )
}

fn evidence_batch(f: &Findings) -> Result<RecordBatch, AnalysisError> {
    let mut id = Vec::new();
    let mut sha = Vec::new();
    let mut row = Vec::new();
    for fd in &f.findings {
        for e in &fd.evidence {
            id.push(fd.finding_id.clone());
            sha.push(e.src_sha256.clone());
            row.push(e.src_row);
        }
    }
    batch(
        &schema::FINDING_EVIDENCE,
        vec![
            Arc::new(StringArray::from(id)),
            Arc::new(StringArray::from(sha)),
            Arc::new(UInt64Array::from(row)),
        ],
    )
}

fn lines_batch(f: &Findings) -> Result<RecordBatch, AnalysisError> {
    let mut line = Vec::new();
    let mut pos = Vec::new();
    let mut number = Vec::new();
    let mut first = Vec::new();
    let mut last = Vec::new();
    let mut how = Vec::new();
    for l in &f.lines {
        for (i, n) in l.numbers.iter().enumerate() {
            line.push(l.line_id.clone());
            pos.push(u32::try_from(i).unwrap_or(u32::MAX));
            number.push(n.number.clone());
            first.push(Some(n.first_utc));
            last.push(Some(n.last_utc));
            how.push(n.joined_by.clone());
        }
    }
    batch(
        &schema::LINE_NUMBERS,
        vec![
            Arc::new(StringArray::from(line)),
            Arc::new(UInt32Array::from(pos)),
            Arc::new(StringArray::from(number)),
            utc(first),
            utc(last),
            Arc::new(StringArray::from(how)),
        ],
    )
}
