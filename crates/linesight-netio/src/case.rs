//! The case store as a graph: who called or texted whom, weighted by how often.
//!
//! Each event of the `events` table with a known other party (`b_number` not null) and a kind
//! other than `data` is one arc `a_number → b_number`; arcs between the same ordered pair are
//! counted, so the weight is the number of calls and texts. Data sessions have no other party
//! and are skipped, as are events outside the optional `[from, to)` window.
//!
//! The table is scanned batch by batch and aggregated on the fly, so memory grows with the number
//! of distinct pairs, not of events.

use std::collections::HashMap;
use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::TimestampMillisecondType;
use arrow_array::{Array, RecordBatch};
use linesight_model::schema::table;
use linesight_store::CaseStore;

use crate::edges::{EdgeRow, EdgeTable};
use crate::error::NetIoError;

/// How many events were read and what became of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CaseGraphStats {
    /// Events in the table.
    pub events: u64,
    /// Events that became (part of) an arc.
    pub used: u64,
    /// Data sessions or events without a known other party.
    pub no_other_party: u64,
    /// Events outside the time window.
    pub outside_window: u64,
}

/// Reads the case's events into a directed, call-count-weighted [`EdgeTable`].
///
/// `window` is `[from, to)` in Unix milliseconds (UTC); either end may be open.
///
/// # Errors
/// [`NetIoError::Store`] if the case cannot be opened or scanned, [`NetIoError::Column`] if the
/// events table lacks a column, [`NetIoError::Empty`] if no event is left.
pub fn read_case(
    dir: &Path,
    window: (Option<i64>, Option<i64>),
) -> Result<(EdgeTable, CaseGraphStats), NetIoError> {
    let store_err = |source| NetIoError::Store {
        path: dir.to_owned(),
        source,
    };
    let store = CaseStore::open_read(dir).map_err(store_err)?;
    let mut stats = CaseGraphStats::default();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    let mut rows: Vec<EdgeRow> = Vec::new();
    for batch in store.scan_table(table::EVENTS).map_err(store_err)? {
        let batch = batch.map_err(store_err)?;
        add_batch(dir, &batch, window, &mut stats, &mut index, &mut rows)?;
    }
    if rows.is_empty() {
        return Err(NetIoError::Empty {
            path: dir.to_owned(),
            hint: "the case has no calls or texts between two known parties in that window; ingest CDRs first or widen --from/--to",
        });
    }
    let mut nodes = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for r in &rows {
        for l in [&r.source, &r.target] {
            if seen.insert(l.as_str()) {
                nodes.push(l.clone());
            }
        }
    }
    Ok((
        EdgeTable {
            path: dir.to_owned(),
            nodes,
            rows,
            directed: true,
        },
        stats,
    ))
}

fn add_batch(
    dir: &Path,
    batch: &RecordBatch,
    (from, to): (Option<i64>, Option<i64>),
    stats: &mut CaseGraphStats,
    index: &mut HashMap<(String, String), usize>,
    rows: &mut Vec<EdgeRow>,
) -> Result<(), NetIoError> {
    let col = |column: &'static str, expected: &'static str| NetIoError::Column {
        path: dir.to_owned(),
        table: table::EVENTS,
        column,
        expected,
    };
    let a = batch
        .column_by_name("a_number")
        .and_then(|c| c.as_string_opt::<i32>())
        .ok_or_else(|| col("a_number", "Utf8"))?;
    let b = batch
        .column_by_name("b_number")
        .and_then(|c| c.as_string_opt::<i32>())
        .ok_or_else(|| col("b_number", "Utf8"))?;
    let kind = batch
        .column_by_name("kind")
        .and_then(|c| c.as_string_opt::<i32>())
        .ok_or_else(|| col("kind", "Utf8"))?;
    let start = batch
        .column_by_name("start_utc")
        .and_then(|c| c.as_primitive_opt::<TimestampMillisecondType>())
        .ok_or_else(|| col("start_utc", "Timestamp(ms, UTC)"))?;
    for i in 0..batch.num_rows() {
        stats.events += 1;
        if b.is_null(i) || kind.value(i) == "data" || a.is_null(i) {
            stats.no_other_party += 1;
            continue;
        }
        let t = start.value(i);
        if from.is_some_and(|f| t < f) || to.is_some_and(|e| t >= e) {
            stats.outside_window += 1;
            continue;
        }
        stats.used += 1;
        let key = (a.value(i).to_owned(), b.value(i).to_owned());
        match index.get(&key) {
            Some(&j) => rows[j].weight += 1.0,
            None => {
                index.insert(key.clone(), rows.len());
                rows.push(EdgeRow {
                    source: key.0,
                    target: key.1,
                    weight: 1.0,
                    time_ms: None,
                });
            }
        }
    }
    Ok(())
}
