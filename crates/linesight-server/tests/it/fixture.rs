//! The shared test case: a two-week small world, ingested once per test binary, with
//! hand-written findings about its busiest texter (as a deal line) and its contacts.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use arrow_array::cast::AsArray;
use arrow_array::types::{TimestampMillisecondType, UInt64Type};
use linesight_findings::{
    Evidence, Finding, FindingKind, Findings, Line, LineNumber, Valuation, ValuationCase,
};
use linesight_model::progress::NoProgress;
use linesight_server::Case;
use linesight_sim::{Scale, SimConfig};
use linesight_store::CaseStore;

/// One event as the fixture needs it.
#[derive(Clone, Debug)]
pub(crate) struct Ev {
    pub(crate) a: String,
    pub(crate) b: Option<String>,
    pub(crate) kind: String,
    pub(crate) start: i64,
    pub(crate) a_imei: Option<String>,
    pub(crate) a_cell: Option<String>,
    pub(crate) a_src: Option<(String, u64)>,
}

/// The case and the facts the tests check against.
pub(crate) struct Fixture {
    _dir: Option<tempfile::TempDir>,
    pub(crate) case_dir: PathBuf,
    pub(crate) case: Arc<Case>,
    /// The deal line's number (the case's busiest texter).
    pub(crate) deal: String,
    /// Its events in the case.
    pub(crate) deal_events: usize,
    /// Its top contact, made a (child) runner.
    pub(crate) runner: String,
    /// Another contact, made a cuckooed resident.
    pub(crate) resident: String,
    /// An IMEI the deal line used.
    pub(crate) imei: String,
    /// Cells of the runner's trip.
    pub(crate) trip_cells: Vec<String>,
}

fn read_events(case_dir: &Path) -> Vec<Ev> {
    let store = CaseStore::open_read(case_dir).unwrap();
    let mut out = Vec::new();
    for b in store.read_table("events").unwrap() {
        let s = |n: &str| b.column_by_name(n).unwrap().as_string::<i32>().clone();
        let (a, bn, kind, imei, cell, src) = (
            s("a_number"),
            s("b_number"),
            s("kind"),
            s("a_imei"),
            s("a_first_cell"),
            s("a_src_sha256"),
        );
        let row = b
            .column_by_name("a_src_row")
            .unwrap()
            .as_primitive::<UInt64Type>()
            .clone();
        let start = b
            .column_by_name("start_utc")
            .unwrap()
            .as_primitive::<TimestampMillisecondType>()
            .clone();
        use arrow_array::Array;
        let opt = |c: &arrow_array::StringArray, r: usize| {
            (!c.is_null(r)).then(|| c.value(r).to_string())
        };
        for r in 0..b.num_rows() {
            out.push(Ev {
                a: a.value(r).to_string(),
                b: opt(&bn, r),
                kind: kind.value(r).to_string(),
                start: start.value(r),
                a_imei: opt(&imei, r),
                a_cell: opt(&cell, r),
                a_src: opt(&src, r).map(|s| (s, row.value(r))),
            });
        }
    }
    out
}

fn build() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut f = build_at(dir.path());
    f._dir = Some(dir);
    f
}

/// Builds the case under `root` (`world/`, `case/`).
pub(crate) fn build_at(root: &Path) -> Fixture {
    let world = root.join("world");
    let case_dir = root.join("case");
    let mut config = SimConfig::for_scale(Scale::Small, 11);
    config.days = 7;
    linesight_sim::simulate(&config, &world, &NoProgress).unwrap();
    linesight_ingest::ingest(
        &case_dir,
        &[
            world.join("exports"),
            world.join("cells.csv"),
            world.join("subscribers.csv"),
        ],
        &linesight_ingest::IngestOptions::default(),
        &NoProgress,
    )
    .unwrap();

    let events = read_events(&case_dir);
    // The deal line: the mobile that texts the most distinct numbers who also contact it
    // (customers answer flares; a look-alike's recipients mostly do not).
    type Set<'a> = std::collections::HashSet<&'a str>;
    let mut texted: HashMap<&str, Set<'_>> = HashMap::new();
    let mut heard_from: HashMap<&str, Set<'_>> = HashMap::new();
    for e in &events {
        if let Some(b) = &e.b {
            if e.kind == "sms" && e.a.starts_with("+447") {
                texted.entry(&e.a).or_default().insert(b);
            }
            heard_from.entry(b).or_default().insert(&e.a);
        }
    }
    let deal = texted
        .iter()
        .map(|(n, r)| {
            (
                heard_from.get(n).map_or(0, |h| r.intersection(h).count()),
                *n,
            )
        })
        .max()
        .map(|(_, n)| n.to_string())
        .unwrap();
    let mine: Vec<&Ev> = events
        .iter()
        .filter(|e| e.a == deal || e.b.as_deref() == Some(&deal))
        .collect();
    let mut contacts: HashMap<String, usize> = HashMap::new();
    for e in &mine {
        let other = if e.a == deal {
            e.b.clone()
        } else {
            Some(e.a.clone())
        };
        if let Some(o) = other.filter(|o| o.starts_with("+447")) {
            *contacts.entry(o).or_default() += 1;
        }
    }
    let mut ranked: Vec<(String, usize)> = contacts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let runner = ranked[0].0.clone();
    let resident = ranked[1].0.clone();

    let first_sms = mine
        .iter()
        .find(|e| e.a == deal && e.kind == "sms" && e.a_src.is_some())
        .unwrap();
    let imei = mine
        .iter()
        .find_map(|e| (e.a == deal).then(|| e.a_imei.clone()).flatten())
        .unwrap();
    let mut trip_cells: Vec<String> = Vec::new();
    for e in events.iter().filter(|e| e.a == runner) {
        if let Some(c) = &e.a_cell
            && trip_cells.last() != Some(c)
        {
            trip_cells.push(c.clone());
        }
        if trip_cells.len() == 3 {
            break;
        }
    }
    let t0 = mine.first().unwrap().start;
    let t1 = mine.last().unwrap().start;
    let (src, row) = first_sms.a_src.clone().unwrap();

    let finding = |id: &str, kind: FindingKind, number: &str| Finding {
        finding_id: id.into(),
        kind,
        number: number.into(),
        line_id: Some("LS0001".into()),
        score: 0.9,
        rule: "test rule".into(),
        explanation: format!("{} in the test case", kind.as_str()),
        at_utc: Some(t0),
        ..Finding::default()
    };
    let findings = Findings {
        run_id: "test-run".into(),
        findings: vec![
            finding("F000001", FindingKind::DealLine, &deal),
            Finding {
                at_utc: Some(first_sms.start),
                evidence: vec![Evidence {
                    src_sha256: src.clone(),
                    src_row: row,
                }],
                ..finding("F000002", FindingKind::Flare, &deal)
            },
            Finding {
                reasons: vec![
                    "Texted by the line's phone daily".into(),
                    "Subscriber is a child (15)".into(),
                ],
                ..finding("F000003", FindingKind::Runner, &runner)
            },
            Finding {
                until_utc: Some(t1),
                cells: trip_cells.clone(),
                ..finding("F000004", FindingKind::Trip, &runner)
            },
            Finding {
                place: trip_cells.first().cloned(),
                related: vec![runner.clone()],
                reasons: vec!["Runners' phones stay overnight in this cell".into()],
                ..finding("F000005", FindingKind::CuckooedResident, &resident)
            },
            Finding {
                old: Some("350000000000000".into()),
                new: Some(imei.clone()),
                ..finding("F000006", FindingKind::HandsetSwap, &deal)
            },
        ],
        lines: vec![Line {
            line_id: "LS0001".into(),
            numbers: vec![LineNumber {
                number: deal.clone(),
                first_utc: t0,
                last_utc: t1,
                joined_by: "first number of the line".into(),
                evidence: vec![],
            }],
            brand: Some("Bando".into()),
            brand_source: Some("intelligence report IR-00042".into()),
            town: Some("Testham".into()),
            customers: 0,
            runners: vec![runner.clone()],
            ..Line::default()
        }],
        valuations: vec![Valuation {
            line_id: "LS0001".into(),
            assumptions_version: "test-1".into(),
            assumptions_sha256: "0".repeat(64),
            potential_transactions: 100,
            confirmed_transactions: 40,
            active_days: 7,
            cases: vec![
                ValuationCase {
                    label: "low".into(),
                    deal_value_gbp: 10.0,
                    potential_conversion: 0.3,
                    value_gbp: 400.0,
                },
                ValuationCase {
                    label: "central".into(),
                    deal_value_gbp: 15.0,
                    potential_conversion: 0.5,
                    value_gbp: 900.0,
                },
            ],
            explanation: "confirmed transactions times the average deal".into(),
        }],
    };
    let fdir = case_dir.join(linesight_findings::FINDINGS_DIR);
    std::fs::create_dir_all(&fdir).unwrap();
    std::fs::write(
        fdir.join(linesight_findings::FINDINGS_JSON),
        serde_json::to_vec(&findings).unwrap(),
    )
    .unwrap();

    let case = Arc::new(Case::load(&case_dir, &NoProgress).unwrap());
    Fixture {
        case_dir,
        case,
        deal_events: mine.len(),
        deal,
        runner,
        resident,
        imei,
        trip_cells,
        _dir: None,
    }
}

/// The shared fixture, built on first use.
pub(crate) fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(build)
}
