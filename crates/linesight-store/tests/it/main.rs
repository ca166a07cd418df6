//! Integration tests of the case store: commits, replace semantics, crash safety, locking.

mod txn;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray, UInt64Array};
use linesight_model::schema;

/// Every file under `dir` with its bytes, for byte-for-byte comparisons.
pub(crate) fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
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
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// A quarantine batch of `n` rows tagged with `tag`.
pub(crate) fn quarantine_batch(n: usize, tag: &str) -> RecordBatch {
    let s = |v: &str| Arc::new(StringArray::from(vec![v; n])) as ArrayRef;
    RecordBatch::try_new(
        schema::QUARANTINE.clone(),
        vec![
            s("in.csv"),
            Arc::new(StringArray::from(vec![Some("served"); n])),
            s("bad number"),
            s(tag),
            s("ab"),
            Arc::new(UInt64Array::from_iter_values(1..=n as u64)),
            s("r"),
        ],
    )
    .unwrap()
}
