//! Arrow schemas of the findings tables that `analyse` writes beside the case store's
//! tables (see [`crate::write`] for where and why).
//!
//! Identifiers are `Utf8` as everywhere in linesight; times are UTC milliseconds.

use std::sync::{Arc, LazyLock};

use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};

fn utc_millis() -> DataType {
    DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()))
}

/// `findings`: one row per finding (flare, deal line, successor, swap, role, trip,
/// cuckooed resident); `reasons` joins a finding's reasons with `; `.
pub static FINDINGS: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        Field::new("finding_id", DataType::Utf8, false),
        Field::new("kind", DataType::Utf8, false),
        Field::new("number", DataType::Utf8, false),
        Field::new("line_id", DataType::Utf8, true),
        Field::new("score", DataType::Float64, false),
        Field::new("rule", DataType::Utf8, false),
        Field::new("explanation", DataType::Utf8, false),
        Field::new("at_utc", utc_millis(), true),
        Field::new("old", DataType::Utf8, true),
        Field::new("new", DataType::Utf8, true),
        Field::new("until_utc", utc_millis(), true),
        Field::new("place", DataType::Utf8, true),
        Field::new("reasons", DataType::Utf8, true),
        Field::new("safeguarding", DataType::Utf8, true),
        Field::new("run_id", DataType::Utf8, false),
    ]))
});

/// `finding_evidence`: the events behind each finding, by provenance (the `src_sha256` and
/// `src_row` of a leg of an `events` row).
pub static FINDING_EVIDENCE: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        Field::new("finding_id", DataType::Utf8, false),
        Field::new("src_sha256", DataType::Utf8, false),
        Field::new("src_row", DataType::UInt64, false),
    ]))
});

/// `line_numbers`: each line's numbers in order, with first and last use and how each
/// number joined the line.
pub static LINE_NUMBERS: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        Field::new("line_id", DataType::Utf8, false),
        Field::new("position", DataType::UInt32, false),
        Field::new("number", DataType::Utf8, false),
        Field::new("first_utc", utc_millis(), false),
        Field::new("last_utc", utc_millis(), false),
        Field::new("joined_by", DataType::Utf8, false),
    ]))
});
