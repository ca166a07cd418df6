//! Lines as the web app shows them, summarised once at startup: each line's events, its
//! daily orders, call-backs, flares and customers, its score, value and people.

use std::collections::{HashMap, HashSet};

use linesight_findings::{Finding, FindingKind, Line, Valuation};

use crate::case::{Case, NONE};
use crate::time::DAY_MS;

/// A call-back counts if the line (or a runner) rings the customer back within this many
/// minutes of the order (docs/analysis.md, `CALLBACK_WINDOW_MIN`).
const CALLBACK_WINDOW_MS: i64 = 15 * 60_000;

/// One UTC day of a line.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub(crate) struct DayStat {
    /// `YYYY-MM-DD`.
    pub(crate) day: String,
    /// Inbound calls and texts from numbers outside the line (orders and enquiries).
    pub(crate) orders: u32,
    /// Outbound calls to a number that contacted the line within the call-back window.
    pub(crate) callbacks: u32,
    /// Flares sent.
    pub(crate) flares: u32,
    /// Distinct customers in contact that day.
    pub(crate) customers: u32,
    /// Distinct customers so far.
    pub(crate) customers_total: u32,
}

/// A line with everything the overview and the line page need.
pub(crate) struct LineView {
    pub(crate) line: Line,
    pub(crate) score: f64,
    pub(crate) first_utc: Option<i64>,
    pub(crate) last_utc: Option<i64>,
    pub(crate) value_gbp: Option<f64>,
    /// Every event of the line's numbers, in time order, once each.
    pub(crate) events: Vec<u32>,
    pub(crate) days: Vec<DayStat>,
    pub(crate) runners: Vec<String>,
    pub(crate) controllers: Vec<String>,
    /// The line page's JSON, built on first request.
    pub(crate) page: std::sync::OnceLock<axum::body::Bytes>,
}

impl LineView {
    /// The number now in use (the last of its history).
    pub(crate) fn current_number(&self) -> Option<&str> {
        self.line.numbers.last().map(|n| n.number.as_str())
    }

    /// The sparkline: the analysis' daily contacts where it wrote them, else the daily
    /// distinct customers counted here.
    pub(crate) fn sparkline(&self) -> (Option<String>, Vec<u32>) {
        if !self.line.daily_contacts.is_empty() {
            return (
                self.line.first_day.clone(),
                self.line.daily_contacts.clone(),
            );
        }
        (
            self.days.first().map(|d| d.day.clone()),
            self.days.iter().map(|d| d.customers).collect(),
        )
    }

    /// Distinct customers: the analysis' count where it wrote one, else counted here.
    pub(crate) fn customers(&self) -> usize {
        if self.line.customers > 0 {
            return self.line.customers;
        }
        self.days.last().map_or(0, |d| d.customers_total as usize)
    }
}

/// Whether a finding belongs to a line: by id, or by being about one of its numbers.
pub(crate) fn belongs(f: &Finding, line: &Line) -> bool {
    match &f.line_id {
        Some(id) => id == &line.line_id,
        None => line.numbers.iter().any(|n| n.number == f.number),
    }
}

/// The numbers of the line's people with a role, from findings and the line's own lists.
fn people_of(case: &Case, line: &Line, kind: FindingKind, listed: &[String]) -> Vec<String> {
    let mut out: Vec<String> = listed.to_vec();
    for f in case.findings_of(kind) {
        if belongs(f, line) && !out.contains(&f.number) {
            out.push(f.number.clone());
        }
    }
    out
}

/// Summarises every line of the findings.
pub(crate) fn build(case: &Case) -> Vec<LineView> {
    let valuations: HashMap<&str, &Valuation> = case
        .findings
        .valuations
        .iter()
        .map(|v| (v.line_id.as_str(), v))
        .collect();
    case.findings
        .lines
        .iter()
        .map(|line| summarise(case, line, valuations.get(line.line_id.as_str()).copied()))
        .collect()
}

fn summarise(case: &Case, line: &Line, valuation: Option<&Valuation>) -> LineView {
    let ids: HashSet<u32> = line
        .numbers
        .iter()
        .filter_map(|n| case.strings.get(&n.number))
        .collect();
    let mut events: Vec<u32> = ids
        .iter()
        .flat_map(|&id| case.by_number.of(id))
        .copied()
        .collect();
    events.sort_unstable();
    events.dedup();

    let score = case
        .findings
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::DealLine && belongs(f, line))
        .map(|f| f.score)
        .fold(None, |m: Option<f64>, s| Some(m.map_or(s, |m| m.max(s))));
    let first_utc = events.first().map(|&i| case.events[i as usize].start);
    let last_utc = events.last().map(|&i| case.events[i as usize].start);

    let mut days: Vec<DayStat> = Vec::new();
    if let (Some(first), Some(last)) = (first_utc, last_utc) {
        let day0 = first.div_euclid(DAY_MS);
        let n_days = (last.div_euclid(DAY_MS) - day0 + 1) as usize;
        days = (0..n_days)
            .map(|d| DayStat {
                day: crate::time::day_string((day0 + d as i64) * DAY_MS),
                ..DayStat::default()
            })
            .collect();
        let mut last_order: HashMap<u32, i64> = HashMap::new();
        let mut seen_today: HashSet<u32> = HashSet::new();
        let mut seen_ever: HashSet<u32> = HashSet::new();
        let mut current_day = usize::MAX;
        for &i in &events {
            let e = &case.events[i as usize];
            let d = (e.start.div_euclid(DAY_MS) - day0) as usize;
            if d != current_day {
                if current_day != usize::MAX {
                    days[current_day].customers = seen_today.len() as u32;
                }
                seen_today.clear();
                current_day = d;
            }
            let (a_in, b_in) = (ids.contains(&e.a), e.b != NONE && ids.contains(&e.b));
            if b_in && !a_in {
                days[d].orders += 1;
                last_order.insert(e.a, e.start);
                seen_today.insert(e.a);
                seen_ever.insert(e.a);
            } else if a_in && !b_in && e.b != NONE && case.strings.text(e.kind) == "voice" {
                let recent = last_order
                    .get(&e.b)
                    .is_some_and(|&t| e.start - t <= CALLBACK_WINDOW_MS);
                if recent {
                    days[d].callbacks += 1;
                }
            }
            days[d].customers_total = seen_ever.len() as u32;
        }
        if current_day != usize::MAX {
            days[current_day].customers = seen_today.len() as u32;
        }
        // Carry the running total over days without events.
        for d in 1..days.len() {
            days[d].customers_total = days[d].customers_total.max(days[d - 1].customers_total);
        }
        for f in case.findings_of(FindingKind::Flare) {
            if let Some(at) = f.at_utc
                && belongs(f, line)
            {
                let d = at.div_euclid(DAY_MS) - day0;
                if let Some(slot) = usize::try_from(d).ok().and_then(|d| days.get_mut(d)) {
                    slot.flares += 1;
                }
            }
        }
    }

    let value_gbp = valuation.and_then(|v| {
        v.cases
            .iter()
            .find(|c| c.label == "central")
            .or(v.cases.first())
            .map(|c| c.value_gbp)
    });
    LineView {
        runners: people_of(case, line, FindingKind::Runner, &line.runners),
        controllers: people_of(case, line, FindingKind::Controller, &line.controllers),
        line: line.clone(),
        score: score.unwrap_or(0.0),
        first_utc,
        last_utc,
        value_gbp,
        events,
        days,
        page: std::sync::OnceLock::new(),
    }
}
