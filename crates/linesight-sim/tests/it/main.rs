//! Integration tests: generate small worlds and check the files against docs/formats.md,
//! the summary, and the ground truth.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Europe::London;
use linesight_model::Msisdn;
use linesight_model::progress::NoProgress;
use linesight_sim::{Scale, SimConfig, TruthSummary, simulate};

const FILES: [&str; 3] = [
    "exports/alba_cdr.csv",
    "exports/brig_cdr.csv",
    "exports/corv_cdr.tsv",
];

struct World {
    _dir: tempfile::TempDir,
    path: PathBuf,
    summary: TruthSummary,
}

fn small(seed: u64, noise: f64) -> World {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = SimConfig::for_scale(Scale::Small, seed);
    cfg.noise = noise;
    let summary = simulate(&cfg, dir.path(), &NoProgress).unwrap();
    World {
        path: dir.path().to_path_buf(),
        _dir: dir,
        summary,
    }
}

/// One shared world with plenty of noise, for the read-only checks.
fn shared() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| small(2026, 0.01))
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

fn csv(p: &Path) -> Vec<Vec<String>> {
    read(p)
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

/// A leg as ingest would normalise it.
#[derive(Clone, Debug)]
struct Row {
    served: String,
    other: Option<String>,
    kind: String,
    outgoing: bool,
    start: i64,
    dur: u32,
    cell: String,
}

fn num(s: &str) -> Option<String> {
    Msisdn::normalise(s).ok().map(|m| m.to_string())
}

fn local_candidates(naive: NaiveDateTime) -> Vec<i64> {
    London
        .from_local_datetime(&naive)
        .earliest()
        .into_iter()
        .chain(London.from_local_datetime(&naive).latest())
        .map(|d| d.timestamp())
        .collect()
}

/// Parses an export as a sane ingest would: valid rows, and the number of rejected ones.
/// Local times are resolved with the fold rule of docs/formats.md.
fn parse_export(w: &World, i: usize) -> (Vec<Row>, u64) {
    let text = read(&w.path.join(FILES[i]));
    let sep = [',', ';', '\t'][i];
    let want = [11, 12, 10][i];
    let mut rows = Vec::new();
    let mut bad = 0;
    let mut prev: Option<i64> = None;
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(sep).collect();
        if f.len() != want {
            bad += 1;
            continue;
        }
        let parsed = (|| -> Option<Row> {
            let (kind, outgoing, served, other, start, dur, cell) = match i {
                0 => {
                    let kind = match f[1] {
                        "VOICE" => "voice",
                        "SMS" => "sms",
                        "MMS" => "mms",
                        "DATA" => "data",
                        _ => return None,
                    };
                    let out = match f[2] {
                        "MO" => true,
                        "MT" => false,
                        _ => return None,
                    };
                    let t = NaiveDateTime::parse_from_str(f[7], "%Y-%m-%dT%H:%M:%SZ")
                        .ok()?
                        .and_utc()
                        .timestamp();
                    (
                        kind,
                        out,
                        f[3],
                        f[4],
                        vec![t],
                        f[8].parse::<u32>().ok()?,
                        f[9].to_string(),
                    )
                }
                1 => {
                    let (kind, out) = match f[2] {
                        "MOC" => ("voice", true),
                        "MTC" => ("voice", false),
                        "SMSMO" => ("sms", true),
                        "SMSMT" => ("sms", false),
                        "MMSMO" => ("mms", true),
                        "MMSMT" => ("mms", false),
                        "GPRS" => ("data", true),
                        _ => return None,
                    };
                    let naive = NaiveDateTime::parse_from_str(
                        &format!("{} {}", f[0], f[1]),
                        "%d/%m/%Y %H:%M:%S",
                    )
                    .ok()?;
                    let d: Vec<u32> = f[7]
                        .split(':')
                        .map(|x| x.parse().ok())
                        .collect::<Option<_>>()?;
                    if d.len() != 3 {
                        return None;
                    }
                    (
                        kind,
                        out,
                        f[3],
                        f[4],
                        local_candidates(naive),
                        d[0] * 3600 + d[1] * 60 + d[2],
                        format!("234-82-{}-{}", f[8], f[9]),
                    )
                }
                _ => {
                    let kind = match f[2] {
                        "Voice" => "voice",
                        "SMS" => "sms",
                        "MMS" => "mms",
                        "Data" => "data",
                        _ => return None,
                    };
                    let out = match f[3] {
                        "Outgoing" => true,
                        "Incoming" => false,
                        _ => return None,
                    };
                    let naive = NaiveDateTime::parse_from_str(f[4], "%Y-%m-%d %H:%M:%S").ok()?;
                    let (m, s) = f[5].split_once(':')?;
                    (
                        kind,
                        out,
                        f[0],
                        f[1],
                        local_candidates(naive),
                        m.parse::<u32>().ok()? * 60 + s.parse::<u32>().ok()?,
                        format!("234-83-{}", f[8]),
                    )
                }
            };
            if start.is_empty() {
                return None;
            }
            // Corvid writes every number as international digits without `+`.
            let norm = |x: &str| {
                if i == 2 && x.bytes().all(|b| b.is_ascii_digit()) {
                    num(&format!("+{x}"))
                } else {
                    num(x)
                }
            };
            let served = norm(served)?;
            let other = if other.is_empty() {
                None
            } else {
                Some(norm(other)?)
            };
            let t = match (start.len(), prev) {
                (1, _) | (_, None) => start[0],
                (_, Some(p)) => *start
                    .iter()
                    .find(|&&c| c >= p - 600)
                    .unwrap_or(start.last().unwrap()),
            };
            Some(Row {
                served,
                other,
                kind: kind.to_string(),
                outgoing,
                start: t,
                dur,
                cell,
            })
        })();
        match parsed {
            Some(r) => {
                prev = Some(r.start);
                rows.push(r);
            }
            None => bad += 1,
        }
    }
    (rows, bad)
}

#[test]
fn same_seed_same_bytes_other_seed_other_world() {
    let a = small(7, 0.001);
    let b = small(7, 0.001);
    let c = small(8, 0.001);
    for f in FILES.iter().copied().chain([
        "cells.csv",
        "subscribers.csv",
        "truth/summary.json",
        "truth/lines.csv",
        "truth/phones.csv",
        "truth/trips.csv",
    ]) {
        assert_eq!(
            std::fs::read(a.path.join(f)).unwrap(),
            std::fs::read(b.path.join(f)).unwrap(),
            "{f}"
        );
    }
    assert_ne!(
        std::fs::read(a.path.join(FILES[0])).unwrap(),
        std::fs::read(c.path.join(FILES[0])).unwrap()
    );
    assert_ne!(
        read(&a.path.join("truth/lines.csv")),
        read(&c.path.join("truth/lines.csv"))
    );
}

#[test]
fn headers_are_exactly_as_documented() {
    let w = shared();
    let first = |f: &str| read(&w.path.join(f)).lines().next().unwrap().to_string();
    assert_eq!(
        first(FILES[0]),
        "record_id,event_type,direction,served_msisdn,other_party,served_imsi,served_imei,start_time_utc,duration_s,first_cgi,last_cgi"
    );
    assert_eq!(
        first(FILES[1]),
        "Call Date;Call Time;Call Type;Target Number;Other Number;IMSI;IMEI;Duration;Start LAC;Start CI;End LAC;End CI"
    );
    assert_eq!(
        first(FILES[2]),
        "MSISDN\tOTHER_PARTY\tSERVICE\tDIRECTION\tSTART_LOCAL\tDURATION\tIMSI\tIMEI\tCELL_START\tCELL_END"
    );
    assert_eq!(
        first("cells.csv"),
        "cell_id,operator,lat,lon,azimuth_deg,beamwidth_deg,valid_from,valid_to,site_id,town"
    );
    assert_eq!(
        first("subscribers.csv"),
        "msisdn,operator,account_type,activation_date,registered_name,registered_address,date_of_birth"
    );
    for (f, h) in [
        (
            "truth/lines.csv",
            "line_id,brand,town,force,number,from,to,reason_ended",
        ),
        (
            "truth/people.csv",
            "person_id,role,line_id,is_child,home_town,age",
        ),
        ("truth/phones.csv", "person_id,number,imsi,imei,from,to"),
        ("truth/swaps.csv", "line_id,person_id,kind,old,new,at"),
        (
            "truth/trips.csv",
            "person_id,line_id,from_town,to_town,depart,arrive_back,stay_address_id",
        ),
        (
            "truth/cuckooed.csv",
            "address_id,line_id,town,cell_id,resident_person_id,resident_number,from,to",
        ),
        ("truth/disruptions.csv", "line_id,at,kind,detail"),
        ("truth/businesses.csv", "person_id,kind,number,town"),
    ] {
        assert_eq!(first(f), h);
    }
}

#[test]
fn summary_matches_the_files() {
    let w = shared();
    let s = &w.summary;
    let on_disk: TruthSummary =
        serde_json::from_str(&read(&w.path.join("truth/summary.json"))).unwrap();
    assert_eq!(&on_disk, s);
    let mut total = 0;
    for (i, f) in FILES.iter().enumerate() {
        let (rows, bad) = parse_export(w, i);
        assert_eq!(rows.len() as u64, s.records_by_file[*f], "{f} valid rows");
        assert_eq!(bad, s.noise_rows_by_file[*f], "{f} junk rows");
        assert!(bad > 0, "noise 1% must inject junk into {f}");
        total += rows.len() as u64;
    }
    assert_eq!(total, s.records);
    assert_eq!(s.events, s.two_leg_events + s.one_leg_events);
    assert_eq!(s.records, 2 * s.two_leg_events + s.one_leg_events);
    let k = &s.events_by_kind;
    assert_eq!(k.voice + k.sms + k.mms + k.data, s.events);
    assert!(k.voice > 0 && k.sms > 0 && k.mms > 0 && k.data > 0);
    for i in 0..3 {
        for r in parse_export(w, i).0 {
            // Messages have duration 0; calls and sessions last.
            assert_eq!(r.dur == 0, r.kind == "sms" || r.kind == "mms", "{r:?}");
        }
    }
    assert_eq!(s.cells, csv(&w.path.join("cells.csv")).len() as u64);
    assert_eq!(
        s.subscribers,
        csv(&w.path.join("subscribers.csv")).len() as u64
    );
    assert_eq!(s.people, csv(&w.path.join("truth/people.csv")).len() as u64);
    assert_eq!(
        s.line_numbers,
        csv(&w.path.join("truth/lines.csv")).len() as u64
    );
    assert!(s.records < 60_000, "small must stay small: {}", s.records);
    assert!(s.child_runners > 0);
}

/// Pairs A-legs and B-legs as ingest does (same parties and kind, start within 2 s,
/// one-to-one): the merged count must be the summary's events.
#[test]
fn merged_events_match_summary() {
    let w = shared();
    let mut a_legs: HashMap<(String, String, String), Vec<i64>> = HashMap::new();
    let mut b_legs: HashMap<(String, String, String), Vec<i64>> = HashMap::new();
    let mut n = 0u64;
    for i in 0..3 {
        for r in parse_export(w, i).0 {
            n += 1;
            let Some(o) = r.other.clone() else { continue };
            if r.outgoing {
                a_legs
                    .entry((r.served, o, r.kind))
                    .or_default()
                    .push(r.start);
            } else {
                b_legs
                    .entry((o, r.served, r.kind))
                    .or_default()
                    .push(r.start);
            }
        }
    }
    let mut pairs = 0u64;
    for (k, mut bs) in b_legs {
        let Some(mut as_) = a_legs.remove(&k) else {
            continue;
        };
        as_.sort_unstable();
        bs.sort_unstable();
        let mut j = 0;
        for a in as_ {
            while j < bs.len() && bs[j] < a {
                j += 1;
            }
            if j < bs.len() && bs[j] - a <= 2 {
                pairs += 1;
                j += 1;
            }
        }
    }
    assert_eq!(pairs, w.summary.two_leg_events);
    assert_eq!(n - pairs, w.summary.events);
}

#[test]
fn rows_are_in_time_order_across_the_october_change() {
    let w = shared();
    let change = NaiveDate::from_ymd_opt(2026, 10, 25)
        .unwrap()
        .and_hms_opt(1, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp();
    for (i, file) in FILES.iter().enumerate() {
        let (rows, _) = parse_export(w, i);
        assert!(
            rows.windows(2).all(|p| p[0].start <= p[1].start),
            "{file} out of order"
        );
        // Both passes of the repeated hour are present and resolved.
        let first = rows
            .iter()
            .filter(|r| (change - 3600..change).contains(&r.start))
            .count();
        let second = rows
            .iter()
            .filter(|r| (change..change + 3600).contains(&r.start))
            .count();
        assert!(first > 0 && second > 0, "{file}: {first} {second}");
    }
}

#[test]
fn truth_is_consistent_with_exports() {
    let w = shared();
    let mut numbers = HashSet::new();
    for i in 0..3 {
        for r in parse_export(w, i).0 {
            numbers.insert(r.served);
        }
    }
    for l in csv(&w.path.join("truth/lines.csv")) {
        assert!(
            numbers.contains(&l[4]),
            "line number {} never appears",
            l[4]
        );
        assert!(["replaced", "blocked", "end_of_period"].contains(&l[7].as_str()));
    }
    let phones = csv(&w.path.join("truth/phones.csv"));
    let by_imei: HashMap<&str, Vec<&Vec<String>>> =
        phones.iter().fold(HashMap::new(), |mut m, p| {
            m.entry(p[3].as_str()).or_default().push(p);
            m
        });
    let by_imsi: HashMap<&str, Vec<&Vec<String>>> =
        phones.iter().fold(HashMap::new(), |mut m, p| {
            m.entry(p[2].as_str()).or_default().push(p);
            m
        });
    let swaps = csv(&w.path.join("truth/swaps.csv"));
    let mut kinds = BTreeMap::new();
    for s in &swaps {
        *kinds.entry(s[2].clone()).or_insert(0) += 1;
        match s[2].as_str() {
            "handset" => {
                let old = &by_imei[s[3].as_str()];
                let new = &by_imei[s[4].as_str()];
                assert!(
                    old.iter()
                        .any(|o| new.iter().any(|n| n[2] == o[2] && n[1] == o[1])),
                    "handset swap keeps IMSI and number"
                );
            }
            "sim" => {
                let old = &by_imsi[s[3].as_str()];
                let new = &by_imsi[s[4].as_str()];
                assert!(
                    old.iter()
                        .any(|o| new.iter().any(|n| n[3] == o[3] && n[1] == o[1])),
                    "SIM swap keeps IMEI and number"
                );
            }
            "number" => assert_ne!(s[3], s[4]),
            k => panic!("unknown swap kind {k}"),
        }
    }
    assert!(
        kinds.len() == 3,
        "small world shows every swap kind: {kinds:?}"
    );
    let dis = csv(&w.path.join("truth/disruptions.csv"));
    assert!(
        dis.iter()
            .all(|d| ["arrest", "ddtro_block", "reemerged"].contains(&d[2].as_str()))
    );
    let cuck = csv(&w.path.join("truth/cuckooed.csv"));
    assert!(!cuck.is_empty());
    let addr: HashSet<&str> = cuck.iter().map(|c| c[0].as_str()).collect();
    for t in csv(&w.path.join("truth/trips.csv")) {
        assert!(
            addr.contains(t[6].as_str()),
            "trip stays at a listed address"
        );
    }
}

#[test]
fn look_alike_businesses_are_busy() {
    let w = shared();
    let biz = csv(&w.path.join("truth/businesses.csv"));
    let kinds: HashSet<&str> = biz.iter().map(|b| b[1].as_str()).collect();
    for k in ["taxi", "takeaway", "gp_surgery", "delivery"] {
        assert!(kinds.contains(k), "{k} missing");
    }
    let mut inbound: HashMap<String, HashSet<String>> = HashMap::new();
    for i in 0..3 {
        for r in parse_export(w, i).0 {
            if let (Some(o), true) = (r.other, r.outgoing) {
                inbound.entry(o).or_default().insert(r.served);
            }
        }
    }
    for b in biz.iter().filter(|b| b[1] == "taxi") {
        assert!(
            b[2].starts_with("+441") || b[2].starts_with("+4420"),
            "taxi on a landline: {}",
            b[2]
        );
        let callers = inbound.get(&b[2]).map_or(0, HashSet::len);
        assert!(
            callers >= 50,
            "taxi {} has only {callers} distinct callers",
            b[2]
        );
    }
}

#[test]
fn runners_move_from_hub_to_town() {
    let w = shared();
    let town_of: HashMap<String, String> = csv(&w.path.join("cells.csv"))
        .into_iter()
        .map(|c| (c[0].clone(), c[9].clone()))
        .collect();
    let number_of: HashMap<String, String> = csv(&w.path.join("truth/phones.csv"))
        .into_iter()
        .map(|p| (p[0].clone(), p[1].clone()))
        .collect();
    let mut rows: Vec<Row> = (0..3).flat_map(|i| parse_export(w, i).0).collect();
    rows.sort_by_key(|r| r.start);
    let iso = |s: &str| {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%SZ")
            .unwrap()
            .and_utc()
            .timestamp()
    };
    let mut checked = 0;
    for t in csv(&w.path.join("truth/trips.csv")) {
        let number = &number_of[&t[0]];
        let depart = iso(&t[4]);
        let mine: Vec<&Row> = rows.iter().filter(|r| &r.served == number).collect();
        let before: Vec<&str> = mine
            .iter()
            .filter(|r| r.start < depart)
            .map(|r| town_of[&r.cell].as_str())
            .collect();
        let during: Vec<&str> = mine
            .iter()
            .filter(|r| {
                r.start > depart + 4 * 3600 && (t[5].is_empty() || r.start < iso(&t[5]) - 4 * 3600)
            })
            .map(|r| town_of[&r.cell].as_str())
            .collect();
        assert!(
            before.iter().all(|&c| c == t[2]),
            "before the trip the runner is in {}",
            t[2]
        );
        if !during.is_empty() {
            assert!(
                during.iter().filter(|&&c| c == t[3]).count() * 10 >= during.len() * 8,
                "during the trip the runner is in {}",
                t[3]
            );
            checked += 1;
        }
    }
    assert!(checked > 0);
}

#[test]
fn bad_config_is_refused_and_io_errors_name_the_path() {
    let mut cfg = SimConfig::for_scale(Scale::Small, 1);
    cfg.days = 0;
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        simulate(&cfg, dir.path(), &NoProgress),
        Err(linesight_sim::SimError::Config(_))
    ));
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let err = simulate(&SimConfig::for_scale(Scale::Small, 1), &file, &NoProgress).unwrap_err();
    assert!(err.to_string().contains("not-a-dir"), "{err}");
}
