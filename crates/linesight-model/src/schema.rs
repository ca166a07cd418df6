//! Arrow schemas of the case store's tables. Every table carries provenance columns
//! (`src_sha256`, `src_row`, `run_id`, or one set per leg for merged events), so any row
//! can be traced to the file and row it came from.
//!
//! Numbers, IMSIs, IMEIs and cell ids are always `Utf8`: read as integers they lose
//! leading zeros (`07700…`) and their meaning.

use std::sync::{Arc, LazyLock};

use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};

/// Names of the case store's tables (also their folder names).
pub mod table {
    /// Normalised operator rows, one per leg: lossless, never merged.
    pub const RECORDS: &str = "records";
    /// Canonical events after duplicate reports are merged.
    pub const EVENTS: &str = "events";
    /// Rows that could not be read, with the reason.
    pub const QUARANTINE: &str = "quarantine";
    /// Cell lists.
    pub const CELLS: &str = "cells";
    /// Subscriber checks.
    pub const SUBSCRIBERS: &str = "subscribers";
}

/// CDR times have whole seconds, but Parquet has no seconds unit: stored as milliseconds,
/// every Parquet reader (DataFusion, DuckDB, pyarrow) sees a UTC timestamp, not an integer.
fn utc_millis() -> DataType {
    DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()))
}

fn provenance_fields(prefix: &str, nullable: bool) -> [Field; 3] {
    [
        Field::new(format!("{prefix}src_sha256"), DataType::Utf8, nullable),
        Field::new(format!("{prefix}src_row"), DataType::UInt64, nullable),
        Field::new(format!("{prefix}run_id"), DataType::Utf8, nullable),
    ]
}

fn leg_fields(p: &str) -> Vec<Field> {
    let mut f = vec![
        Field::new(format!("{p}imsi"), DataType::Utf8, true),
        Field::new(format!("{p}imei"), DataType::Utf8, true),
        Field::new(format!("{p}first_cell"), DataType::Utf8, true),
        Field::new(format!("{p}last_cell"), DataType::Utf8, true),
        Field::new(format!("{p}operator"), DataType::Utf8, true),
        Field::new(format!("{p}time_note"), DataType::Utf8, true),
    ];
    f.extend(provenance_fields(p, true));
    f
}

/// `records`: one row per operator report of one leg ([`crate::CommRecord`]).
pub static RECORDS: LazyLock<SchemaRef> = LazyLock::new(|| {
    let mut f = vec![
        Field::new("kind", DataType::Utf8, false),
        Field::new("direction", DataType::Utf8, false),
        Field::new("served_number", DataType::Utf8, false),
        Field::new("other_number", DataType::Utf8, true),
        Field::new("imsi", DataType::Utf8, true),
        Field::new("imei", DataType::Utf8, true),
        Field::new("start_utc", utc_millis(), false),
        Field::new("duration_s", DataType::UInt32, false),
        Field::new("first_cell", DataType::Utf8, true),
        Field::new("last_cell", DataType::Utf8, true),
        Field::new("operator", DataType::Utf8, false),
        Field::new("time_note", DataType::Utf8, false),
    ];
    f.extend(provenance_fields("", false));
    Arc::new(Schema::new(f))
});

/// `events`: one row per real communication ([`crate::CommEvent`]); the `a_*` and `b_*`
/// columns hold each party's operator's report, null where that operator's data is absent.
pub static EVENTS: LazyLock<SchemaRef> = LazyLock::new(|| {
    let mut f = vec![
        Field::new("event_id", DataType::UInt64, false),
        Field::new("kind", DataType::Utf8, false),
        Field::new("a_number", DataType::Utf8, false),
        Field::new("b_number", DataType::Utf8, true),
        Field::new("start_utc", utc_millis(), false),
        Field::new("duration_s", DataType::UInt32, false),
        Field::new("legs", DataType::UInt8, false),
    ];
    f.extend(leg_fields("a_"));
    f.extend(leg_fields("b_"));
    Arc::new(Schema::new(f))
});

/// `quarantine`: rows that were read but not stored, with file, row, field and reason.
pub static QUARANTINE: LazyLock<SchemaRef> = LazyLock::new(|| {
    let mut f = vec![
        Field::new("src_path", DataType::Utf8, false),
        Field::new("field", DataType::Utf8, true),
        Field::new("reason", DataType::Utf8, false),
        Field::new("raw", DataType::Utf8, false),
    ];
    f.extend(provenance_fields("", false));
    Arc::new(Schema::new(f))
});

/// `cells`: the cell list ([`crate::Cell`]).
pub static CELLS: LazyLock<SchemaRef> = LazyLock::new(|| {
    let mut f = vec![
        Field::new("cell_id", DataType::Utf8, false),
        Field::new("operator", DataType::Utf8, false),
        Field::new("lat", DataType::Float64, false),
        Field::new("lon", DataType::Float64, false),
        Field::new("azimuth_deg", DataType::UInt16, false),
        Field::new("beamwidth_deg", DataType::UInt16, false),
        Field::new("valid_from", DataType::Date32, false),
        Field::new("valid_to", DataType::Date32, true),
    ];
    f.extend(provenance_fields("", false));
    Arc::new(Schema::new(f))
});

/// `subscribers`: subscriber checks ([`crate::Subscriber`]).
pub static SUBSCRIBERS: LazyLock<SchemaRef> = LazyLock::new(|| {
    let mut f = vec![
        Field::new("number", DataType::Utf8, false),
        Field::new("operator", DataType::Utf8, false),
        Field::new("pay_as_you_go", DataType::Boolean, false),
        Field::new("activation_date", DataType::Date32, true),
        Field::new("registered_name", DataType::Utf8, true),
        Field::new("registered_address", DataType::Utf8, true),
        Field::new("date_of_birth", DataType::Date32, true),
    ];
    f.extend(provenance_fields("", false));
    Arc::new(Schema::new(f))
});

/// The schema of a table by name, for code that walks every table.
pub fn for_table(name: &str) -> Option<SchemaRef> {
    Some(match name {
        table::RECORDS => RECORDS.clone(),
        table::EVENTS => EVENTS.clone(),
        table::QUARANTINE => QUARANTINE.clone(),
        table::CELLS => CELLS.clone(),
        table::SUBSCRIBERS => SUBSCRIBERS.clone(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_text_and_every_table_has_provenance() {
        for name in [
            table::RECORDS,
            table::QUARANTINE,
            table::CELLS,
            table::SUBSCRIBERS,
        ] {
            let s = for_table(name).unwrap();
            for col in ["src_sha256", "src_row", "run_id"] {
                assert!(s.field_with_name(col).is_ok(), "{name} lacks {col}");
            }
        }
        let ev = for_table(table::EVENTS).unwrap();
        for col in ["a_src_sha256", "b_src_row", "a_imei", "b_imsi", "a_number"] {
            assert_eq!(
                ev.field_with_name(col).unwrap().data_type(),
                &match col {
                    "b_src_row" => DataType::UInt64,
                    _ => DataType::Utf8,
                }
            );
        }
    }
}
