//! Where an analysis spends its time, plan by plan, for benchmarks and tuning.
//!
//! When an analysis runs with a profile folder ([`crate::RunOptions::profile_dir`]), the
//! engine keeps, for every plan it runs: the SQL, the wall time (planning, execution and
//! collecting the result), the rows returned, DataFusion's per-operator metrics from that
//! same execution (what `EXPLAIN ANALYZE` prints, without running the plan twice), and a
//! checksum of every result column. The checksums let a benchmark compare the result with
//! another engine's run of the equivalent SQL (`cargo xtask bench-analysis`).
//!
//! Written into the folder: `profile.json` (threads, the `events` files scanned, stage
//! times, and per plan name, SQL, time, rows and checksums) and `plans.txt` (the same plans
//! with their metrics, for reading).

use std::path::{Path, PathBuf};

use arrow_array::{Array, Float64Array, Int64Array, RecordBatch, StringArray, UInt64Array};
use arrow_schema::DataType;
use datafusion::arrow::compute::cast;

use crate::AnalysisError;

/// One plan as it ran.
#[derive(Debug, serde::Serialize)]
pub(crate) struct PlanRun {
    /// The plan's name (`SMS bursts`, `orders`…).
    pub(crate) name: &'static str,
    /// The SQL statement.
    pub(crate) sql: String,
    /// Wall milliseconds from SQL text to collected result (fractional).
    pub(crate) ms: f64,
    /// Result rows.
    pub(crate) rows: usize,
    /// One checksum per result column, in column order.
    pub(crate) checks: Vec<ColumnCheck>,
    /// The physical plan with its per-operator metrics from this execution.
    #[serde(skip)]
    pub(crate) metrics: String,
}

/// A result column reduced to numbers another engine can reproduce: non-null count and,
/// for integers the exact sum, for floats the sum (of the values in ascending order, so the
/// same values give the same sum whatever order the plan returned its rows in), for text the
/// sum of byte lengths.
#[derive(Debug, serde::Serialize)]
pub(crate) struct ColumnCheck {
    pub(crate) column: String,
    /// `int`, `float`, `text` or `other` (not summed).
    pub(crate) kind: &'static str,
    pub(crate) nonnull: u64,
    /// Decimal text: integer sums can exceed 64 bits.
    pub(crate) sum: String,
}

/// Checksums of every column of a result.
pub(crate) fn checks(batches: &[RecordBatch]) -> Result<Vec<ColumnCheck>, AnalysisError> {
    let Some(first) = batches.first() else {
        return Ok(Vec::new());
    };
    let schema = first.schema();
    let err = |source| AnalysisError::Decode {
        what: "profile checksums",
        source,
    };
    let mut out = Vec::new();
    for (j, field) in schema.fields().iter().enumerate() {
        let t = field.data_type();
        let kind = if t.is_integer() {
            "int"
        } else if t.is_floating() {
            "float"
        } else if matches!(t, DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8) {
            "text"
        } else {
            "other"
        };
        let (mut nonnull, mut isum, mut floats) = (0u64, 0i128, Vec::new());
        for b in batches {
            let col = b.column(j);
            nonnull += (col.len() - col.null_count()) as u64;
            match kind {
                "int" if t.is_signed_integer() => {
                    let a = cast(col, &DataType::Int64).map_err(err)?;
                    let a = a.as_any().downcast_ref::<Int64Array>().expect("cast");
                    isum += a.iter().flatten().map(i128::from).sum::<i128>();
                }
                "int" => {
                    let a = cast(col, &DataType::UInt64).map_err(err)?;
                    let a = a.as_any().downcast_ref::<UInt64Array>().expect("cast");
                    isum += a.iter().flatten().map(i128::from).sum::<i128>();
                }
                "float" => {
                    let a = cast(col, &DataType::Float64).map_err(err)?;
                    let a = a.as_any().downcast_ref::<Float64Array>().expect("cast");
                    floats.extend(a.iter().flatten());
                }
                "text" => {
                    let a = cast(col, &DataType::Utf8).map_err(err)?;
                    let a = a.as_any().downcast_ref::<StringArray>().expect("cast");
                    isum += a.iter().flatten().map(|s| s.len() as i128).sum::<i128>();
                }
                _ => {}
            }
        }
        floats.sort_by(f64::total_cmp);
        let fsum: f64 = floats.iter().sum();
        out.push(ColumnCheck {
            column: field.name().clone(),
            kind,
            nonnull,
            sum: if kind == "float" {
                format!("{fsum:e}")
            } else {
                isum.to_string()
            },
        });
    }
    Ok(out)
}

/// Writes `profile.json` and `plans.txt` into `dir`.
pub(crate) fn write(
    dir: &Path,
    threads: usize,
    target_partitions: usize,
    events_files: &[PathBuf],
    summary: &crate::AnalysisSummary,
    plans: &[PlanRun],
) -> Result<(), AnalysisError> {
    let fail = |path: PathBuf, action: &'static str| {
        move |e: std::io::Error| AnalysisError::Findings {
            path,
            action,
            detail: e.to_string(),
        }
    };
    std::fs::create_dir_all(dir).map_err(fail(dir.to_owned(), "create"))?;
    let json = serde_json::json!({
        "threads": threads,
        "target_partitions": target_partitions,
        "events": summary.events,
        "events_files": events_files,
        "elapsed_ms": summary.elapsed_ms,
        "stage_ms": summary.stage_ms,
        "plans": plans,
    });
    let path = dir.join("profile.json");
    let text = serde_json::to_string_pretty(&json).expect("plain JSON values");
    std::fs::write(&path, text).map_err(fail(path.clone(), "write"))?;
    let mut text = String::new();
    for p in plans {
        text.push_str(&format!(
            "=== {} — {:.1} ms, {} rows\n\n{}\n\n{}\n",
            p.name, p.ms, p.rows, p.sql, p.metrics
        ));
    }
    let path = dir.join("plans.txt");
    std::fs::write(&path, text).map_err(fail(path.clone(), "write"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{Float64Array, Int64Array, RecordBatch, StringArray};

    #[test]
    fn checksums_sum_ints_exactly_floats_and_text_lengths() {
        let batch = RecordBatch::try_from_iter([
            (
                "t",
                Arc::new(Int64Array::from(vec![Some(i64::MAX), Some(i64::MAX), None])) as _,
            ),
            ("x", Arc::new(Float64Array::from(vec![0.5, 0.25, 1.0])) as _),
            (
                "s",
                Arc::new(StringArray::from(vec![Some("+4477"), None, Some("ab")])) as _,
            ),
        ])
        .unwrap();
        let c = super::checks(&[batch.clone(), batch]).unwrap();
        assert_eq!(c[0].kind, "int");
        assert_eq!(c[0].nonnull, 4);
        assert_eq!(c[0].sum, (4 * i128::from(i64::MAX)).to_string());
        assert_eq!(c[1].kind, "float");
        assert_eq!(c[1].sum.parse::<f64>().unwrap(), 3.5);
        assert_eq!(c[2].kind, "text");
        assert_eq!((c[2].nonnull, c[2].sum.as_str()), (4, "14"));
    }
}
