//! Bad input: quarantined rows (with file, row, field and reason) and refused files.

use linesight_ingest::{IngestError, ingest};
use linesight_model::progress::NoProgress;
use linesight_model::schema::table;

use crate::*;

#[test]
fn bad_rows_are_quarantined_with_row_field_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    let good = alba(
        1,
        "VOICE",
        "MO",
        "+447700900001",
        "+447700900002",
        "2026-09-01T08:15:02Z",
        60,
    );
    let rows = vec![
        good.clone(),
        alba(
            2,
            "VOICE",
            "MO",
            "+44770090000x",
            "+447700900002",
            "2026-09-01T08:16:00Z",
            60,
        ),
        alba(
            3,
            "FAX",
            "MO",
            "+447700900001",
            "+447700900002",
            "2026-09-01T08:17:00Z",
            60,
        ),
        alba(
            4,
            "VOICE",
            "MO",
            "+447700900001",
            "+447700900002",
            "2026-02-30T08:17:00Z",
            60,
        ),
        "5,VOICE,MO,+447700900001".to_owned(),
        alba(
            6,
            "VOICE",
            "MO",
            "+447700900001",
            "+447700900002",
            "2026-09-01T08:18:00Z",
            60,
        )
        .replace(",60,", ",1:00,"),
        alba(
            7,
            "VOICE",
            "MO",
            "+447700900001",
            "+447700900002",
            "2026-09-01T08:19:00Z",
            60,
        )
        .replace("234-81-4521-12345", "234-81-x-1"),
        alba(
            8,
            "VOICE",
            "MO",
            "+447700900001",
            "+447700900002",
            "2026-09-01T08:20:00Z",
            60,
        )
        .replace("234810000000001", "23481ABC"),
        alba(
            9,
            "VOICE",
            "MO",
            "+447700900001",
            "",
            "2026-09-01T08:21:00Z",
            60,
        ),
        alba(
            10,
            "VOICE",
            "XX",
            "+447700900001",
            "+447700900002",
            "2026-09-01T08:22:00Z",
            60,
        ),
    ];
    let mut path = write(dir.path(), "alba.csv", ALBA_HEADER, &rows);
    // A row with invalid UTF-8, then a truncated last row without newline.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(
        b"11,VOICE,MO,+447700900001,+44770\xff0900002,,,2026-09-01T08:23:00Z,1,,\n",
    );
    bytes.extend_from_slice(b"12,VOICE,MO,+4477009");
    path = dir.path().join("alba2.csv");
    std::fs::write(&path, &bytes).unwrap();
    let case = dir.path().join("case");
    let s = run(&case, &[path], "r1");
    assert_eq!(
        (s.rows_read, s.records_stored, s.rows_quarantined),
        (12, 1, 11)
    );
    assert_eq!(s.files[0].quarantined, 11);
    let q = table(&case, table::QUARANTINE);
    let field = text(&q, "field");
    let reason = text(&q, "reason");
    let rows = u64s(&q, "src_row");
    let expect: [(u64, Option<&str>, &str); 11] = [
        (2, Some("served"), "not digits"),
        (3, Some("event_type"), "unknown event type \"FAX\""),
        (4, Some("start"), "not a valid date"),
        (5, None, "4 fields but the header has 11"),
        (6, Some("duration"), "whole seconds"),
        (7, Some("first_cell"), "LAC/TAC is not a number"),
        (8, Some("imsi"), "not digits"),
        (9, Some("other"), "other party is empty"),
        (10, Some("direction"), "unknown direction \"XX\""),
        (11, None, "not valid UTF-8"),
        (12, None, "fields but the header has 11"),
    ];
    for (i, (row, f, why)) in expect.iter().enumerate() {
        assert_eq!(rows[i], Some(*row));
        assert_eq!(field[i].as_deref(), *f, "row {row}");
        assert!(
            reason[i].as_deref().unwrap().contains(why),
            "row {row}: {:?}",
            reason[i]
        );
    }
    assert_eq!(
        text(&q, "raw")[3].as_deref(),
        Some("5,VOICE,MO,+447700900001")
    );
    assert!(
        text(&q, "src_path")[0]
            .as_deref()
            .unwrap()
            .ends_with("alba2.csv")
    );
    assert_eq!(text(&q, "run_id")[0].as_deref(), Some("r1"));
}

#[test]
fn unreadable_files_are_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    let refuse = |name: &str, bytes: &[u8]| -> String {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let e = ingest(&case, &[p], &opts("r"), &NoProgress).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains(name), "{msg}");
        msg
    };
    assert!(refuse("empty.csv", b"").contains("empty"));
    let mut utf16 = vec![0xFF, 0xFE];
    for c in ALBA_HEADER.encode_utf16() {
        utf16.extend_from_slice(&c.to_le_bytes());
    }
    assert!(refuse("utf16.csv", &utf16).contains("iconv -f UTF-16"));
    assert!(refuse("latin1.csv", b"caf\xe9,x\n1,2\n").contains("iconv -f WINDOWS-1252"));
    let msg = refuse(
        "missing.csv",
        b"record_id,event_type,direction,served_msisdn\n1,VOICE,MO,+447700900001\n",
    );
    for name in [
        "alba-cdr-v1",
        "brig-cdr-v1",
        "corv-cdr-v1",
        "cells-v1",
        "subscribers-v1",
    ] {
        assert!(msg.contains(name), "{msg}");
    }
    assert!(
        msg.contains("\"start_time_utc\"") && msg.contains("\"Call Date\""),
        "{msg}"
    );
    let e = ingest(
        &case,
        &[dir.path().join("nope.csv")],
        &opts("r"),
        &NoProgress,
    )
    .unwrap_err();
    assert!(matches!(e, IngestError::Input { .. }) && e.to_string().contains("nope.csv"));
    // Nothing was ever committed.
    assert!(
        !case.join("manifest.json").exists()
            || CaseStore::open_read(&case)
                .unwrap()
                .manifest()
                .runs
                .is_empty()
    );
}

#[test]
fn dst_gap_and_overlap_on_both_local_profiles() {
    let dir = tempfile::tempdir().unwrap();
    let brig_rows = vec![
        brig(
            "29/03/2026",
            "00:59:00",
            "MOC",
            "07700900001",
            "07700900002",
            "00:00:10",
        ),
        brig(
            "29/03/2026",
            "01:30:00",
            "MOC",
            "07700900001",
            "07700900002",
            "00:00:10",
        ),
        brig(
            "25/10/2026",
            "01:50:00",
            "SMSMO",
            "07700900001",
            "07700900002",
            "00:00:00",
        ),
        brig(
            "25/10/2026",
            "01:05:00",
            "SMSMO",
            "07700900001",
            "07700900002",
            "00:00:00",
        ),
    ];
    let corv_rows = vec![
        corv(
            "447700900003",
            "447700900004",
            "Voice",
            "Outgoing",
            "2026-03-29 01:15:00",
            "0:10",
        ),
        corv(
            "447700900003",
            "447700900004",
            "SMS",
            "Outgoing",
            "2026-10-25 01:50:00",
            "0:00",
        ),
        corv(
            "447700900003",
            "447700900004",
            "SMS",
            "Outgoing",
            "2026-10-25 01:05:00",
            "0:00",
        ),
        corv(
            "447700900003",
            "447700900004",
            "Voice",
            "Outgoing",
            "2026-07-01 12:00:00",
            "75:00",
        ),
    ];
    let b = write(dir.path(), "brig.csv", BRIG_HEADER, &brig_rows);
    let c = write(dir.path(), "corv.tsv", CORV_HEADER, &corv_rows);
    let case = dir.path().join("case");
    let s = run(&case, &[b, c], "r1");
    assert_eq!(
        (s.records_stored, s.rows_quarantined, s.dst_fold_resolved),
        (6, 2, 4)
    );
    let q = table(&case, table::QUARANTINE);
    assert_eq!(
        text(&q, "field"),
        vec![Some("start_date".into()), Some("start".into())]
    );
    assert!(
        text(&q, "reason")
            .iter()
            .all(|r| r.as_deref().unwrap().contains("does not exist"))
    );
    let r = table(&case, table::RECORDS);
    let notes = text(&r, "time_note");
    assert_eq!(
        notes
            .iter()
            .filter(|n| n.as_deref() == Some("dst_fold_first"))
            .count(),
        2
    );
    assert_eq!(
        notes
            .iter()
            .filter(|n| n.as_deref() == Some("dst_fold_second"))
            .count(),
        2
    );
    let starts: Vec<i64> = r
        .iter()
        .flat_map(|b| {
            let a = b
                .column_by_name("start_utc")
                .unwrap()
                .as_any()
                .downcast_ref::<arrow_array::TimestampMillisecondArray>()
                .unwrap()
                .clone();
            (0..a.len())
                .map(move |i| a.value(i) / 1000)
                .collect::<Vec<_>>()
        })
        .collect();
    let utc = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp();
    assert!(
        starts.contains(&utc("2026-10-25T00:50:00Z"))
            && starts.contains(&utc("2026-10-25T01:05:00Z"))
    );
    assert!(starts.contains(&utc("2026-07-01T11:00:00Z")));
    assert_eq!(
        u64s(&r, "src_row")
            .iter()
            .filter(|x| **x == Some(4))
            .count(),
        2
    );
}

#[test]
fn cells_and_subscribers_are_stored_with_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join(".hidden.csv"), b"junk").unwrap();
    let cells = write(
        &input,
        "cells.csv",
        "cell_id,operator,lat,lon,azimuth_deg,beamwidth_deg,valid_from,valid_to,site_id,town",
        &[
            "234-81-4521-12345,Alba Mobile,53.4,-2.2,120,65,2025-01-01,,S1,Town".into(),
            "234-81-4521-12346,Alba Mobile,95.0,-2.2,120,65,2025-01-01,,S1,Town".into(),
        ],
    );
    let subs = write(
        &input,
        "subscribers.csv",
        "msisdn,operator,account_type,activation_date,registered_name,registered_address,date_of_birth",
        &[
            "+447700900001,Alba Mobile,PAYG,2025-02-01,,,".into(),
            "+447700900002,Alba Mobile,CONTRACT,2025-02-01,A Person,1 Road,1990-01-01".into(),
            "+447700900003,Alba Mobile,GOLD,2025-02-01,,,".into(),
        ],
    );
    let case = dir.path().join("case");
    let s = run(&case, &[input], "r1");
    assert_eq!(
        (
            s.cells_stored,
            s.subscribers_stored,
            s.rows_quarantined,
            s.events_stored
        ),
        (1, 2, 2, 0)
    );
    let q = table(&case, table::QUARANTINE);
    assert_eq!(
        text(&q, "field"),
        vec![Some("lat".into()), Some("account_type".into())]
    );
    assert_eq!(
        text(&table(&case, table::SUBSCRIBERS), "registered_name"),
        vec![None, Some("A Person".into())]
    );
    let _ = (cells, subs);
}
