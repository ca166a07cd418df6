//! Merging both parties' reports into one event, within and across runs.

use linesight_model::schema::table;

use crate::*;

fn ids(case: &std::path::Path) -> Vec<u64> {
    let mut v: Vec<u64> = u64s(&table(case, table::EVENTS), "event_id")
        .into_iter()
        .flatten()
        .collect();
    v.sort_unstable();
    v
}

#[test]
fn both_reports_of_a_call_become_one_event_even_across_runs() {
    let dir = tempfile::tempdir().unwrap();
    // A call from Alba's +447700900001 to Brigantia's 07700900002 at 08:15:02 UTC (09:15:02
    // BST); Brigantia stamps it 1 s later and 1 s shorter. Two SMSes in the same second
    // between the same parties stay two events, each merged.
    let a = write(
        dir.path(),
        "alba.csv",
        ALBA_HEADER,
        &[
            alba(
                1,
                "VOICE",
                "MO",
                "+447700900001",
                "+447700900002",
                "2026-09-01T08:15:02Z",
                125,
            ),
            alba(
                2,
                "SMS",
                "MO",
                "+447700900001",
                "+447700900002",
                "2026-09-01T08:20:00Z",
                0,
            ),
            alba(
                3,
                "SMS",
                "MO",
                "+447700900001",
                "+447700900002",
                "2026-09-01T08:20:00Z",
                0,
            ),
            alba(
                4,
                "DATA",
                "MO",
                "+447700900001",
                "",
                "2026-09-01T08:30:00Z",
                600,
            ),
            alba(
                5,
                "VOICE",
                "MT",
                "+447700900001",
                "+447700900009",
                "2026-09-01T08:40:00Z",
                5,
            ),
        ],
    );
    let b = write(
        dir.path(),
        "brig.csv",
        BRIG_HEADER,
        &[
            brig(
                "01/09/2026",
                "09:15:03",
                "MTC",
                "07700900002",
                "07700900001",
                "00:02:04",
            ),
            brig(
                "01/09/2026",
                "09:20:00",
                "SMSMT",
                "07700900002",
                "07700900001",
                "00:00:00",
            ),
            brig(
                "01/09/2026",
                "09:20:01",
                "SMSMT",
                "07700900002",
                "07700900001",
                "00:00:00",
            ),
            // 3 s late: outside the tolerance, stays a one-leg event.
            brig(
                "01/09/2026",
                "09:15:05",
                "MTC",
                "07700900002",
                "07700900001",
                "00:02:04",
            ),
        ],
    );
    let both = dir.path().join("both");
    let s = run(&both, &[a.clone(), b.clone()], "r1");
    assert_eq!(
        (s.records_stored, s.events_stored, s.duplicates_merged),
        (9, 6, 3)
    );
    let ev = table(&both, table::EVENTS);
    let legs: Vec<u8> = ev
        .iter()
        .flat_map(|b| {
            b.column_by_name("legs")
                .unwrap()
                .as_any()
                .downcast_ref::<arrow_array::UInt8Array>()
                .unwrap()
                .values()
                .to_vec()
        })
        .collect();
    assert_eq!(legs.iter().filter(|&&l| l == 2).count(), 3);
    let first = ev[0]
        .column_by_name("duration_s")
        .unwrap()
        .as_any()
        .downcast_ref::<arrow_array::UInt32Array>()
        .unwrap()
        .value(0);
    assert_eq!(first, 125, "duration is the longer report");
    assert_eq!(text(&ev, "a_operator")[0].as_deref(), Some("Alba Mobile"));
    assert_eq!(
        text(&ev, "b_operator")[0].as_deref(),
        Some("Brigantia Telecom")
    );
    assert_eq!(
        text(&ev, "b_first_cell")[0].as_deref(),
        Some("234-82-4521-777")
    );
    // The MT leg whose caller is nobody's subscriber: A number from the other party.
    let a_numbers = text(&ev, "a_number");
    assert!(a_numbers.contains(&Some("+447700900009".into())));
    let data_b = text(&ev, "kind")
        .iter()
        .position(|k| k.as_deref() == Some("data"))
        .unwrap();
    assert_eq!(text(&ev, "b_number")[data_b], None);

    // The same files ingested in two runs merge the same way, with the same event ids.
    let split = dir.path().join("split");
    let s1 = run(&split, &[a], "r1");
    assert_eq!((s1.events_stored, s1.duplicates_merged), (5, 0));
    let s2 = run(&split, &[b], "r2");
    assert_eq!(
        (s2.events_stored, s2.duplicates_merged, s2.records_stored),
        (6, 3, 4)
    );
    assert_eq!(ids(&split), ids(&both));
    assert_eq!(
        CaseStore::open_read(&split)
            .unwrap()
            .table_files(table::EVENTS)
            .len(),
        1
    );
}

#[test]
fn reingesting_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let a = write(
        &input,
        "alba.csv",
        ALBA_HEADER,
        &[alba(
            1,
            "VOICE",
            "MO",
            "+447700900001",
            "+447700900002",
            "2026-09-01T08:15:02Z",
            5,
        )],
    );
    std::fs::copy(&a, input.join("alba-copy.csv")).unwrap();
    let case = dir.path().join("case");
    let s = run(&case, std::slice::from_ref(&input), "r1");
    assert_eq!((s.files_skipped, s.records_stored), (1, 1));
    assert!(
        s.files[1]
            .skipped_reason
            .as_deref()
            .unwrap()
            .contains("earlier in this run")
    );
    let before = snapshot(&case);
    let s2 = run(&case, &[input], "r2");
    assert_eq!(
        (s2.files_skipped, s2.records_stored, s2.events_stored),
        (2, 0, 1)
    );
    assert!(
        s2.files[0]
            .skipped_reason
            .as_deref()
            .unwrap()
            .contains("already ingested by run r1")
    );
    assert_eq!(
        snapshot(&case),
        before,
        "a re-ingest leaves the case byte-for-byte unchanged"
    );
}
