//! Scores linesight's findings against the simulator's ground truth.
//!
//! This crate is the only code (besides tests) that reads `truth/`. It reads the findings
//! an analysis wrote (`CASE/findings/findings.json`) as plain JSON, so it does not depend
//! on the analysis engine, and compares them with `truth/lines.csv`, `swaps.csv`,
//! `businesses.csv`, `people.csv`, `phones.csv`, `trips.csv` and `cuckooed.csv`
//! (docs/formats.md).
//!
//! Per finding type it counts true positives, false positives and false negatives, and
//! gives precision (share of what was reported that is true), recall (share of what is
//! true that was reported) and F1 (their harmonic mean):
//!
//! - `deal_lines`: deal-line numbers (any number a line used);
//! - `line_grouping`: unordered pairs of numbers reported as one line;
//! - `swaps`: handset and SIM swaps as (kind, old identifier, new identifier);
//! - `successors`: number changes as (old number, new number);
//! - `runners`, `controllers`: the numbers of people with those roles (`phones.csv` of
//!   `people.csv`'s runners and controllers);
//! - `cuckooed`: the numbers of cuckooed residents (`cuckooed.csv`, addresses used as a
//!   base at least once);
//! - `trips`: runners' stays in the town. A reported trip (number, start, end) matches a
//!   true trip of the person holding that number when the two periods overlap by at least
//!   half of their union (intersection over union ≥ 0.5), or, for a true trip with no
//!   return (arrested, or still away at the end), when the starts are within a day. Each
//!   true trip matches at most one reported trip;
//! - `lookalikes_flagged`: numbers of legitimate look-alike businesses reported as deal
//!   lines (must be zero).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// What can go wrong reading findings or truth.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A file could not be read.
    #[error("could not read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A truth CSV could not be parsed.
    #[error("could not parse {}: {source}; is this a simulator truth/ folder?", path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// The parse error.
        #[source]
        source: csv::Error,
    },
    /// The findings JSON could not be parsed.
    #[error("could not parse {}: {source}; re-run `linesight analyse`", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// The parse error.
        #[source]
        source: serde_json::Error,
    },
}

/// Precision, recall and F1 with the counts behind them.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Score {
    /// tp / (tp + fp); 0 when nothing was reported.
    pub precision: f64,
    /// tp / (tp + fn); 0 when there is nothing to find.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Reported and true.
    pub tp: usize,
    /// Reported but not true.
    pub fp: usize,
    /// True but not reported.
    #[serde(rename = "fn")]
    pub fn_: usize,
    /// Why a score is what it is, where that needs saying (a type not detected yet).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Score {
    /// Scores a reported set against a true set.
    pub fn of<T: Ord>(reported: &BTreeSet<T>, truth: &BTreeSet<T>) -> Self {
        let tp = reported.intersection(truth).count();
        Self::from_counts(tp, reported.len() - tp, truth.len() - tp)
    }

    /// Scores from counts.
    pub fn from_counts(tp: usize, fp: usize, fn_: usize) -> Self {
        let div = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let precision = div(tp, tp + fp);
        let recall = div(tp, tp + fn_);
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Self {
            precision,
            recall,
            f1,
            tp,
            fp,
            fn_,
            note: None,
        }
    }
}

/// The evaluation of one case against one truth folder.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Report {
    /// Deal-line numbers.
    pub deal_lines: Score,
    /// Pairs of numbers in the same line.
    pub line_grouping: Score,
    /// Handset and SIM swaps.
    pub swaps: Score,
    /// Number changes (old → new).
    pub successors: Score,
    /// Runners' numbers.
    pub runners: Score,
    /// Controllers' numbers.
    pub controllers: Score,
    /// Cuckooed residents' numbers.
    pub cuckooed: Score,
    /// Runners' trips into the town.
    pub trips: Score,
    /// Numbers of look-alike businesses reported as deal lines.
    pub lookalikes_flagged: usize,
}

impl Report {
    /// The finding types in report order, with their scores.
    pub fn rows(&self) -> [(&'static str, &Score); 8] {
        [
            ("deal_lines", &self.deal_lines),
            ("line_grouping", &self.line_grouping),
            ("swaps", &self.swaps),
            ("successors", &self.successors),
            ("runners", &self.runners),
            ("controllers", &self.controllers),
            ("cuckooed", &self.cuckooed),
            ("trips", &self.trips),
        ]
    }
}

#[derive(serde::Deserialize)]
struct FindingsDoc {
    findings: Vec<FindingDoc>,
    lines: Vec<LineDoc>,
}

#[derive(serde::Deserialize)]
struct FindingDoc {
    kind: String,
    number: String,
    old: Option<String>,
    new: Option<String>,
    #[serde(default)]
    at_utc: Option<i64>,
    #[serde(default)]
    until_utc: Option<i64>,
}

#[derive(serde::Deserialize)]
struct LineDoc {
    numbers: Vec<LineNumberDoc>,
}

#[derive(serde::Deserialize)]
struct LineNumberDoc {
    number: String,
}

/// Where `analyse` writes its findings, relative to the case folder.
pub const FINDINGS_PATH: &str = "findings/findings.json";

/// Scores the findings of the case at `case_dir` against the truth folder `truth_dir`.
pub fn evaluate(case_dir: &Path, truth_dir: &Path) -> Result<Report, EvalError> {
    let path = case_dir.join(FINDINGS_PATH);
    let text = std::fs::read_to_string(&path).map_err(|source| EvalError::Io {
        path: path.clone(),
        source,
    })?;
    let doc: FindingsDoc =
        serde_json::from_str(&text).map_err(|source| EvalError::Json { path, source })?;
    let truth = Truth::read(truth_dir)?;
    Ok(score(&doc, &truth))
}

/// The parts of the truth that are scored.
#[derive(Default)]
struct Truth {
    /// line id → its numbers.
    lines: BTreeMap<String, Vec<String>>,
    swaps: BTreeSet<(String, String, String)>,
    successors: BTreeSet<(String, String)>,
    businesses: HashSet<String>,
    runners: BTreeSet<String>,
    controllers: BTreeSet<String>,
    cuckooed: BTreeSet<String>,
    /// number → the person who held it.
    holder: BTreeMap<String, String>,
    trips: Vec<TrueTrip>,
}

/// A runner's trip in the truth: who, when they left the hub and when they were back.
#[derive(Clone, Debug)]
struct TrueTrip {
    person: String,
    depart: i64,
    back: Option<i64>,
}

/// UTC milliseconds of a truth timestamp (`2026-09-01T08:15:02Z`).
fn iso_ms(s: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.timestamp_millis())
}

fn rows(path: &Path) -> Result<Vec<csv::StringRecord>, EvalError> {
    let err = |source| EvalError::Csv {
        path: path.to_owned(),
        source,
    };
    let mut r = csv::Reader::from_path(path).map_err(err)?;
    let header = r.headers().map_err(err)?.clone();
    let mut out = vec![header];
    for row in r.records() {
        out.push(row.map_err(err)?);
    }
    Ok(out)
}

/// The value of column `name` in `row`, given the header.
fn col<'a>(header: &csv::StringRecord, row: &'a csv::StringRecord, name: &str) -> &'a str {
    header
        .iter()
        .position(|h| h == name)
        .and_then(|i| row.get(i))
        .unwrap_or("")
}

impl Truth {
    fn read(dir: &Path) -> Result<Self, EvalError> {
        let mut t = Self::default();
        let lines = rows(&dir.join("lines.csv"))?;
        for r in &lines[1..] {
            t.lines
                .entry(col(&lines[0], r, "line_id").to_owned())
                .or_default()
                .push(col(&lines[0], r, "number").to_owned());
        }
        let swaps = rows(&dir.join("swaps.csv"))?;
        for r in &swaps[1..] {
            let h = &swaps[0];
            let (kind, old, new) = (col(h, r, "kind"), col(h, r, "old"), col(h, r, "new"));
            match kind {
                "number" => {
                    t.successors.insert((old.to_owned(), new.to_owned()));
                }
                _ => {
                    t.swaps
                        .insert((kind.to_owned(), old.to_owned(), new.to_owned()));
                }
            }
        }
        let biz = rows(&dir.join("businesses.csv"))?;
        for r in &biz[1..] {
            t.businesses.insert(col(&biz[0], r, "number").to_owned());
        }
        let people = rows(&dir.join("people.csv"))?;
        let mut role: BTreeMap<String, String> = BTreeMap::new();
        for r in &people[1..] {
            role.insert(
                col(&people[0], r, "person_id").to_owned(),
                col(&people[0], r, "role").to_owned(),
            );
        }
        let phones = rows(&dir.join("phones.csv"))?;
        for r in &phones[1..] {
            let h = &phones[0];
            let number = col(h, r, "number").to_owned();
            let person = col(h, r, "person_id");
            match role.get(person).map(String::as_str) {
                Some("runner") => {
                    t.runners.insert(number.clone());
                }
                Some("controller") => {
                    t.controllers.insert(number.clone());
                }
                _ => {}
            }
            t.holder.insert(number, person.to_owned());
        }
        let cuck = rows(&dir.join("cuckooed.csv"))?;
        for r in &cuck[1..] {
            t.cuckooed
                .insert(col(&cuck[0], r, "resident_number").to_owned());
        }
        let trips = rows(&dir.join("trips.csv"))?;
        for r in &trips[1..] {
            let h = &trips[0];
            if let Some(depart) = iso_ms(col(h, r, "depart")) {
                t.trips.push(TrueTrip {
                    person: col(h, r, "person_id").to_owned(),
                    depart,
                    back: iso_ms(col(h, r, "arrive_back")),
                });
            }
        }
        Ok(t)
    }
}

fn pairs_of<'a>(groups: impl Iterator<Item = Vec<&'a str>>) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for mut g in groups {
        g.sort_unstable();
        g.dedup();
        for i in 0..g.len() {
            for j in i + 1..g.len() {
                out.insert((g[i].to_owned(), g[j].to_owned()));
            }
        }
    }
    out
}

const DAY_MS: i64 = 86_400_000;

/// Whether a reported trip `[start, end]` matches a true one (see the module docs).
fn trip_matches(start: i64, end: i64, t: &TrueTrip) -> bool {
    match t.back {
        Some(back) => {
            let inter = end.min(back) - start.max(t.depart);
            let union = end.max(back) - start.min(t.depart);
            union > 0 && inter as f64 >= 0.5 * union as f64
        }
        None => (start - t.depart).abs() <= DAY_MS,
    }
}

/// Matches reported trips to true ones, each true trip at most once, best overlap first.
fn score_trips(doc: &FindingsDoc, t: &Truth) -> Score {
    let reported: Vec<(&str, i64, i64)> = doc
        .findings
        .iter()
        .filter(|f| f.kind == "trip")
        .filter_map(|f| Some((f.number.as_str(), f.at_utc?, f.until_utc.or(f.at_utc)?)))
        .collect();
    let mut used = vec![false; t.trips.len()];
    let mut tp = 0;
    for (number, start, end) in &reported {
        let Some(person) = t.holder.get(*number) else {
            continue;
        };
        let hit = t
            .trips
            .iter()
            .enumerate()
            .filter(|(i, tr)| !used[*i] && &tr.person == person)
            .find(|(_, tr)| trip_matches(*start, *end, tr));
        if let Some((i, _)) = hit {
            used[i] = true;
            tp += 1;
        }
    }
    Score::from_counts(tp, reported.len() - tp, t.trips.len() - tp)
}

fn score(doc: &FindingsDoc, t: &Truth) -> Report {
    let truth_numbers: BTreeSet<String> = t.lines.values().flatten().cloned().collect();
    let found = |kind: &'static str| doc.findings.iter().filter(move |f| f.kind == kind);
    let deal: BTreeSet<String> = found("deal_line").map(|f| f.number.clone()).collect();
    let numbers_of = |kind: &'static str| -> BTreeSet<String> {
        found(kind).map(|f| f.number.clone()).collect()
    };
    let truth_pairs = pairs_of(
        t.lines
            .values()
            .map(|ns| ns.iter().map(String::as_str).collect()),
    );
    let found_pairs = pairs_of(
        doc.lines
            .iter()
            .map(|l| l.numbers.iter().map(|n| n.number.as_str()).collect()),
    );
    let swap_kind = |k: &str| match k {
        "handset_swap" => "handset",
        _ => "sim",
    };
    let swaps: BTreeSet<(String, String, String)> = doc
        .findings
        .iter()
        .filter(|f| f.kind == "handset_swap" || f.kind == "sim_swap")
        .map(|f| {
            (
                swap_kind(&f.kind).to_owned(),
                f.old.clone().unwrap_or_default(),
                f.new.clone().unwrap_or_default(),
            )
        })
        .collect();
    let successors: BTreeSet<(String, String)> = found("successor")
        .map(|f| {
            (
                f.old.clone().unwrap_or_default(),
                f.new.clone().unwrap_or_default(),
            )
        })
        .collect();
    Report {
        deal_lines: Score::of(&deal, &truth_numbers),
        line_grouping: Score::of(&found_pairs, &truth_pairs),
        swaps: Score::of(&swaps, &t.swaps),
        successors: Score::of(&successors, &t.successors),
        runners: Score::of(&numbers_of("runner"), &t.runners),
        controllers: Score::of(&numbers_of("controller"), &t.controllers),
        cuckooed: Score::of(&numbers_of("cuckooed_resident"), &t.cuckooed),
        trips: score_trips(doc, t),
        lookalikes_flagged: deal.iter().filter(|n| t.businesses.contains(*n)).count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_count_right() {
        let r: BTreeSet<i32> = [1, 2, 3, 4].into();
        let t: BTreeSet<i32> = [2, 3, 4, 5, 6].into();
        let s = Score::of(&r, &t);
        assert_eq!((s.tp, s.fp, s.fn_), (3, 1, 2));
        assert!((s.precision - 0.75).abs() < 1e-12);
        assert!((s.recall - 0.6).abs() < 1e-12);
        assert!((s.f1 - 2.0 * 0.75 * 0.6 / 1.35).abs() < 1e-12);
        let empty = Score::of(&BTreeSet::<i32>::new(), &BTreeSet::new());
        assert_eq!(empty.f1, 0.0);
    }

    #[test]
    fn line_pairs_are_unordered_and_within_groups() {
        let p = pairs_of([vec!["b", "a", "c"], vec!["d"]].into_iter());
        let want: BTreeSet<(String, String)> = [("a", "b"), ("a", "c"), ("b", "c")]
            .iter()
            .map(|(x, y)| ((*x).to_owned(), (*y).to_owned()))
            .collect();
        assert_eq!(p, want);
    }

    #[test]
    fn findings_are_scored_against_truth() {
        let doc: FindingsDoc = serde_json::from_str(
            r#"{"findings":[
                {"kind":"deal_line","number":"+447000000001","old":null,"new":null},
                {"kind":"deal_line","number":"+441000000009","old":null,"new":null},
                {"kind":"successor","number":"+447000000002","old":"+447000000001","new":"+447000000002"},
                {"kind":"handset_swap","number":"+447000000001","old":"111","new":"222"}
               ],
               "lines":[{"numbers":[{"number":"+447000000001"},{"number":"+447000000002"}]}]}"#,
        )
        .unwrap();
        let mut t = Truth::default();
        t.lines.insert(
            "L1".into(),
            vec!["+447000000001".into(), "+447000000002".into()],
        );
        t.successors
            .insert(("+447000000001".into(), "+447000000002".into()));
        t.swaps
            .insert(("handset".into(), "111".into(), "222".into()));
        t.swaps.insert(("sim".into(), "333".into(), "444".into()));
        t.businesses.insert("+441000000009".into());
        t.runners = ["+447000000050".to_owned()].into();
        let r = score(&doc, &t);
        assert_eq!(
            (r.deal_lines.tp, r.deal_lines.fp, r.deal_lines.fn_),
            (1, 1, 1)
        );
        assert_eq!(r.line_grouping.f1, 1.0);
        assert_eq!(r.successors.f1, 1.0);
        assert_eq!((r.swaps.tp, r.swaps.fn_), (1, 1));
        assert_eq!(r.lookalikes_flagged, 1);
        assert_eq!((r.runners.tp, r.runners.fn_), (0, 1));
    }

    #[test]
    fn truth_times_parse_to_utc_millis() {
        assert_eq!(iso_ms("1970-01-02T00:00:01Z"), Some(DAY_MS + 1000));
        assert_eq!(iso_ms("2000-03-01T00:00:00Z"), Some(951_868_800_000));
        assert_eq!(iso_ms(""), None);
    }

    #[test]
    fn trips_match_by_overlap_once_each() {
        let mut t = Truth::default();
        t.holder.insert("+447000000050".into(), "P1".into());
        t.trips.push(TrueTrip {
            person: "P1".into(),
            depart: 0,
            back: Some(10 * DAY_MS),
        });
        t.trips.push(TrueTrip {
            person: "P1".into(),
            depart: 20 * DAY_MS,
            back: None,
        });
        let doc: FindingsDoc = serde_json::from_str(&format!(
            r#"{{"findings":[
                {{"kind":"trip","number":"+447000000050","old":null,"new":null,"at_utc":{},"until_utc":{}}},
                {{"kind":"trip","number":"+447000000050","old":null,"new":null,"at_utc":{},"until_utc":{}}},
                {{"kind":"trip","number":"+447000000050","old":null,"new":null,"at_utc":{},"until_utc":{}}}
               ],"lines":[]}}"#,
            DAY_MS / 2,
            9 * DAY_MS,
            DAY_MS,
            2 * DAY_MS,
            20 * DAY_MS + 3_600_000,
            25 * DAY_MS
        ))
        .unwrap();
        let s = score_trips(&doc, &t);
        // The first matches trip 1, the second overlaps too little, the third matches the
        // open trip by its start.
        assert_eq!((s.tp, s.fp, s.fn_), (2, 1, 0));
    }
}
