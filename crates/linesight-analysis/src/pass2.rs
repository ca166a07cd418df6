//! The second pass: once the lines are known, the people around them (roles), where they
//! went (trips, cuckooed places), what the trade was worth, and each line's own figures
//! (town, customers, daily activity).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::engine::Engine;
use crate::features::Pair;
use crate::line_plans::{self, CellObs};
use crate::movement::{self, Sites};
use crate::valuation::{self, Assumptions};
use crate::{AnalysisError, Finding, Line, Valuation, roles};

/// What the second pass adds.
pub(crate) struct Added {
    pub(crate) findings: Vec<Finding>,
    pub(crate) valuations: Vec<Valuation>,
}

/// Runs the second pass over `lines` (which it enriches in place).
pub(crate) fn run(
    engine: &Engine,
    lines: &mut [Line],
    pairs: &[Pair],
    flares: &[(String, i64, Vec<String>)],
    assumptions: &Assumptions,
    step: &dyn Fn(&'static str),
) -> Result<Added, AnalysisError> {
    let numbers: Vec<&String> = lines
        .iter()
        .flat_map(|l| l.numbers.iter().map(|n| &n.number))
        .collect();
    let data = line_plans::extract(engine, &line_plans::in_list(numbers))?;
    step("orders and call-backs");
    let roles = roles::find(lines, &data, pairs);
    let mut findings = roles::findings(lines, &roles);

    // Where the runners and the line's people were, and where customers sleep.
    let mut movers: Vec<&String> = Vec::new();
    for li in 0..lines.len() {
        movers.extend(roles.runners[li].keys());
    }
    let customers: Vec<&String> = roles.customers.iter().flat_map(|c| c.keys()).collect();
    let (obs, nights) = line_plans::extract_cells(
        engine,
        &line_plans::in_list(movers.iter().copied()),
        &line_plans::in_list(customers.iter().copied()),
    )?;
    step("cell observations");
    let sites = Sites::new(&data.cells);
    let homes = movement::home_cells(&nights);
    let areas: Vec<Option<movement::Area>> = roles
        .customers
        .iter()
        .map(|cs| movement::town_area(cs.keys().map(String::as_str), &homes, &sites))
        .collect();
    let mut by_number: HashMap<&str, Vec<&CellObs>> = HashMap::new();
    for o in &obs {
        by_number.entry(o.number.as_str()).or_default().push(o);
    }
    let mut trips = Vec::new();
    for (li, rs) in roles.runners.iter().enumerate() {
        let Some(area) = &areas[li] else { continue };
        for r in rs.keys() {
            if let Some(o) = by_number.get(r.as_str()) {
                trips.extend(movement::trips(r, li, o, area, &sites));
            }
        }
    }
    let line_ids: Vec<String> = lines.iter().map(|l| l.line_id.clone()).collect();
    findings.extend(movement::trip_findings(&trips, &line_ids, &areas));
    // The runners' own calls and messages: who they are in personal contact with.
    let contacts =
        line_plans::extract_contacts(engine, &line_plans::in_list(movers.iter().copied()))?;
    let runner_set: BTreeSet<&str> = movers.iter().map(|m| m.as_str()).collect();
    let contact_idx = movement::contact_index(&contacts, &runner_set);
    step("runners' contacts");
    let mut order_times: HashMap<&str, Vec<i64>> = HashMap::new();
    for o in &data.orders {
        order_times
            .entry(o.customer.as_str())
            .or_default()
            .push(o.t);
    }
    for ts in order_times.values_mut() {
        ts.sort_unstable();
    }
    for (li, line) in lines.iter().enumerate() {
        let line_trips: Vec<&movement::Trip> = trips.iter().filter(|t| t.line == li).collect();
        let custs: BTreeSet<&str> = roles.customers[li].keys().map(String::as_str).collect();
        findings.extend(movement::cuckooed(
            &line.line_id,
            &line_trips,
            &custs,
            &homes,
            &sites,
            &order_times,
            &contact_idx,
        ));
    }

    // Runners: add their trips to the reasons, and treat them as possible victims.
    let mut trips_of: BTreeMap<&str, usize> = BTreeMap::new();
    for t in &trips {
        *trips_of.entry(t.number.as_str()).or_default() += 1;
    }
    for f in &mut findings {
        if f.kind == crate::FindingKind::Runner {
            if let Some(n) = trips_of.get(f.number.as_str()) {
                f.reasons.push(format!(
                    "made {n} trip(s) into the line's town and stayed there"
                ));
                f.score = (f.score + 0.1).min(0.95);
            }
            f.safeguarding = Some(
                "Runners are often children or vulnerable adults exploited by the line: treat the person using this phone as a possible victim (check age, consider a National Referral Mechanism referral).".to_owned(),
            );
        }
    }

    // Each line's own figures, from one pass over the orders.
    let mut orders_to: HashMap<&str, Vec<&line_plans::Order>> = HashMap::new();
    for o in &data.orders {
        orders_to.entry(o.line_number.as_str()).or_default().push(o);
    }
    for (li, line) in lines.iter_mut().enumerate() {
        line.customers = roles.customers[li].len();
        line.runners = roles.runners[li].keys().cloned().collect();
        line.controllers = roles.controllers[li].keys().cloned().collect();
        line.town = areas[li].map(|a| a.describe());
        let mut per_day: BTreeMap<i64, BTreeSet<&str>> = BTreeMap::new();
        let numbers: BTreeSet<&str> = line.numbers.iter().map(|n| n.number.as_str()).collect();
        for o in numbers.iter().filter_map(|n| orders_to.get(n)).flatten() {
            per_day
                .entry(o.t.div_euclid(86_400_000))
                .or_default()
                .insert(o.customer.as_str());
        }
        if let (Some(first), Some(last)) = (per_day.keys().next(), per_day.keys().last()) {
            line.first_day = Some(crate::day(first * 86_400_000));
            line.daily_contacts = (*first..=*last)
                .map(|d| per_day.get(&d).map_or(0, |s| s.len() as u32))
                .collect();
        }
    }
    let runner_sets: Vec<BTreeSet<String>> = roles
        .runners
        .iter()
        .map(|r| r.keys().cloned().collect())
        .collect();
    let valuations = valuation::value(lines, &data, &runner_sets, flares, assumptions);
    step("roles, trips and valuation");
    Ok(Added {
        findings,
        valuations,
    })
}
