//! Where the people around a line were, from the cells that served their phones: each
//! line's town (the area of its customers' night-time cells), runners' trips into the town
//! and back, and cuckooed places (where runners' phones spend their nights next to a
//! customer's phone that is in personal contact with them).
//!
//! A cell is an area served by one mast sector, from a few hundred metres to several
//! kilometres across; distances here are between masts, never between people. Every
//! finding says so.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::features::Evidence;
use crate::line_plans::{CellObs, CellSite, Contact, NightCell};
use crate::thresholds::{
    CUCKOO_ARRIVAL_HOURS, CUCKOO_MAX_KM, CUCKOO_MIN_NIGHTS, CUCKOO_ORDER_LINK_MIN,
    NIGHT_OBS_END_HOUR_UTC, TOWN_MARGIN_KM, TOWN_MIN_RADIUS_KM, TRIP_MIN_HOURS, TRIP_RETURN_OBS,
};
use crate::{Finding, FindingKind};

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 86_400_000;

/// Mast positions by cell id.
pub(crate) struct Sites<'a>(HashMap<&'a str, (f64, f64)>);

impl<'a> Sites<'a> {
    pub(crate) fn new(cells: &'a [CellSite]) -> Self {
        Self(
            cells
                .iter()
                .map(|c| (c.cell.as_str(), (c.lat, c.lon)))
                .collect(),
        )
    }

    fn get(&self, cell: &str) -> Option<(f64, f64)> {
        self.0.get(cell).copied()
    }
}

/// Distance in km between two positions (equirectangular; fine within a region).
pub(crate) fn dist_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let north = (b.0 - a.0) * 111.2;
    let east = (b.1 - a.1) * 111.2 * a.0.to_radians().cos();
    (north * north + east * east).sqrt()
}

/// The area a line sells in: around the median of its customers' night-time masts.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Area {
    pub(crate) lat: f64,
    pub(crate) lon: f64,
    pub(crate) radius_km: f64,
}

impl Area {
    fn contains(&self, p: (f64, f64)) -> bool {
        dist_km((self.lat, self.lon), p) <= self.radius_km
    }

    /// The area in words, for explanations.
    pub(crate) fn describe(&self) -> String {
        format!(
            "the area within {:.1} km of {:.3}, {:.3}",
            self.radius_km, self.lat, self.lon
        )
    }
}

/// Each number's usual night-time cell: the one it was seen on most at night.
pub(crate) fn home_cells(nights: &[NightCell]) -> HashMap<&str, &str> {
    let mut best: HashMap<&str, (&str, i64)> = HashMap::new();
    for n in nights {
        let e = best
            .entry(n.number.as_str())
            .or_insert((n.cell.as_str(), 0));
        if n.n > e.1 || (n.n == e.1 && n.cell.as_str() < e.0) {
            *e = (n.cell.as_str(), n.n);
        }
    }
    best.into_iter().map(|(k, (c, _))| (k, c)).collect()
}

/// The area of the customers' night-time masts: the median position, and the distance
/// that takes in nine in ten of them plus [`TOWN_MARGIN_KM`].
pub(crate) fn town_area<'a>(
    customers: impl Iterator<Item = &'a str>,
    homes: &HashMap<&str, &str>,
    sites: &Sites<'_>,
) -> Option<Area> {
    let pts: Vec<(f64, f64)> = customers
        .filter_map(|c| homes.get(c))
        .filter_map(|cell| sites.get(cell))
        .collect();
    if pts.is_empty() {
        return None;
    }
    let lat = median(pts.iter().map(|p| p.0).collect());
    let lon = median(pts.iter().map(|p| p.1).collect());
    let mut d: Vec<f64> = pts.iter().map(|p| dist_km((lat, lon), *p)).collect();
    d.sort_by(f64::total_cmp);
    let p90 = d[(d.len() * 9 / 10).min(d.len() - 1)];
    Some(Area {
        lat,
        lon,
        radius_km: (p90 + TOWN_MARGIN_KM).max(TOWN_MIN_RADIUS_KM),
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// A stay of a phone in a line's town.
#[derive(Clone, Debug)]
pub(crate) struct Trip {
    pub(crate) number: String,
    pub(crate) line: usize,
    pub(crate) start: i64,
    pub(crate) end: i64,
    /// Whether the phone was seen outside the town after the stay (it went back).
    pub(crate) returned: bool,
    /// Cells of the stay, most used first.
    pub(crate) cells: Vec<String>,
    /// The cell the phone used most at night, and on how many nights.
    pub(crate) night_cell: Option<(String, usize)>,
    pub(crate) observations: usize,
    pub(crate) evidence: Vec<Evidence>,
}

/// A runner's stays in the town: runs of observations inside the town's area lasting at
/// least [`TRIP_MIN_HOURS`], ended by [`TRIP_RETURN_OBS`] observations in a row outside it.
/// `obs` is one number's observations in time order.
pub(crate) fn trips(
    number: &str,
    line: usize,
    obs: &[&CellObs],
    area: &Area,
    sites: &Sites<'_>,
) -> Vec<Trip> {
    let mut out = Vec::new();
    let mut cur: Option<Vec<&CellObs>> = None;
    let mut outside = 0usize;
    let close = |stay: Vec<&CellObs>, returned: bool, out: &mut Vec<Trip>| {
        let (Some(first), Some(last)) = (stay.first(), stay.last()) else {
            return;
        };
        if last.t - first.t < TRIP_MIN_HOURS * HOUR_MS {
            return;
        }
        let mut by_cell: BTreeMap<&str, usize> = BTreeMap::new();
        let mut nights: BTreeMap<&str, BTreeSet<i64>> = BTreeMap::new();
        for o in &stay {
            *by_cell.entry(o.cell.as_str()).or_default() += 1;
            if (o.t / HOUR_MS) % 24 < NIGHT_OBS_END_HOUR_UTC {
                nights
                    .entry(o.cell.as_str())
                    .or_default()
                    .insert(o.t / DAY_MS);
            }
        }
        let mut cells: Vec<(&str, usize)> = by_cell.into_iter().collect();
        cells.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let night_cell = nights
            .into_iter()
            .max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.cmp(a.0)))
            .map(|(c, d)| (c.to_owned(), d.len()));
        let mut evidence: Vec<Evidence> = Vec::new();
        for o in [first, last] {
            if let Some(e) = &o.evidence {
                evidence.push(e.clone());
            }
        }
        out.push(Trip {
            number: number.to_owned(),
            line,
            start: first.t,
            end: last.t,
            returned,
            cells: cells.iter().take(10).map(|c| c.0.to_owned()).collect(),
            night_cell,
            observations: stay.len(),
            evidence,
        });
    };
    for o in obs {
        let Some(site) = sites.get(&o.cell) else {
            continue;
        };
        if area.contains(site) {
            outside = 0;
            cur.get_or_insert_with(Vec::new).push(o);
        } else if cur.is_some() {
            outside += 1;
            if outside >= TRIP_RETURN_OBS {
                close(cur.take().unwrap_or_default(), true, &mut out);
                outside = 0;
            }
        }
    }
    if let Some(stay) = cur {
        close(stay, outside > 0, &mut out);
    }
    out
}

/// The rule behind a trip finding.
pub const TRIP_RULE: &str = "A trip is a stretch of at least twelve hours in which a runner's phone was served only by cells in the area of the line's customers, after and before being served by cells elsewhere. Cell-site data shows which mast served a phone, not where it was: each cell covers an area from a few hundred metres to several kilometres across.";
/// The rule behind a cuckooed-resident finding.
pub const CUCKOO_RULE: &str = "A place is reported as possibly cuckooed when runners' phones from outside the town spend their nights on the same cell as, or a mast next to, the home cell of a local customer's phone, and that customer is in personal contact with the runner during the stay (rings or texts the runner, or is rung by the runner as they arrive); the customer is reported as its likely resident, a possible victim of exploitation. Cell-site data places phones in the same area, not the same address.";

/// Trip findings, in words.
pub(crate) fn trip_findings(
    trips: &[Trip],
    line_ids: &[String],
    area: &[Option<Area>],
) -> Vec<Finding> {
    trips
        .iter()
        .map(|t| {
            let lid = &line_ids[t.line];
            let town = area[t.line].map(|a| a.describe()).unwrap_or_default();
            let hours = (t.end - t.start) / HOUR_MS;
            let mut reasons = vec![format!(
                "{} observations between {} and {} were all on cells in {town} ({} cells)",
                t.observations,
                crate::time(t.start),
                crate::time(t.end),
                t.cells.len()
            )];
            if t.returned {
                reasons
                    .push("afterwards it was served by cells outside that area again".to_owned());
            } else {
                reasons.push(
                    "it was still in the area when the data ends, or fell silent there".to_owned(),
                );
            }
            if let Some((cell, nights)) = &t.night_cell {
                reasons.push(format!("it spent {nights} night(s) on cell {cell}"));
            }
            Finding {
                kind: FindingKind::Trip,
                number: t.number.clone(),
                line_id: Some(lid.clone()),
                score: (0.5 + 0.02 * hours as f64).min(0.95),
                rule: TRIP_RULE.to_owned(),
                explanation: format!(
                    "{} was in the area of line {lid}'s town for about {hours} hours: {}.",
                    t.number,
                    reasons.join("; ")
                ),
                reasons,
                at_utc: Some(t.start),
                until_utc: Some(t.end),
                place: t.night_cell.as_ref().map(|c| c.0.clone()),
                cells: t.cells.clone(),
                evidence: t.evidence.clone(),
                ..Finding::default()
            }
        })
        .collect()
}

/// The network part (MCC-MNC) of a global cell id (`234-81-4001-11005` → `234-81`).
fn network(cell: &str) -> &str {
    match cell.match_indices('-').nth(1) {
        Some((i, _)) => &cell[..i],
        None => cell,
    }
}

/// One night-time stay of a runner's phone on a cell.
struct Stay<'a> {
    trip: &'a Trip,
    cell: &'a str,
    nights: usize,
}

/// What the stays that voted for one resident add up to.
#[derive(Default)]
struct Votes<'a> {
    nights: usize,
    stays: usize,
    runners: BTreeSet<&'a str>,
    cells: BTreeSet<&'a str>,
    from: Option<i64>,
    to: Option<i64>,
    initiated: usize,
    arrivals: usize,
    contact_evidence: Vec<Evidence>,
    stay_evidence: Vec<Evidence>,
}

/// Calls and messages between a runner (first) and another number (second).
pub(crate) type ContactIndex<'a> = HashMap<(&'a str, &'a str), Vec<&'a Contact>>;

/// Indexes `contacts` by (runner, other party), for the runners in `runners`.
pub(crate) fn contact_index<'a>(
    contacts: &'a [Contact],
    runners: &BTreeSet<&str>,
) -> ContactIndex<'a> {
    let mut idx: ContactIndex<'a> = HashMap::new();
    for c in contacts {
        if runners.contains(c.a.as_str()) {
            idx.entry((c.a.as_str(), c.b.as_str())).or_default().push(c);
        }
        if runners.contains(c.b.as_str()) {
            idx.entry((c.b.as_str(), c.a.as_str())).or_default().push(c);
        }
    }
    idx
}

/// The contacts during one stay that show a personal link between the runner and `other`:
/// those `other` started, and the runner's own calls within [`CUCKOO_ARRIVAL_HOURS`] of
/// arriving. Contacts within [`CUCKOO_ORDER_LINK_MIN`] after one of `other`'s orders
/// (`orders`, sorted) belong to that order: call-backs and "outside" texts are what runners
/// do for every customer, so they do not count. Returns (started by `other`, at arrival,
/// records).
fn personal_contacts<'a>(
    trip: &Trip,
    other: &str,
    orders: &[i64],
    contacts: &ContactIndex<'a>,
) -> (usize, usize, Vec<&'a Contact>) {
    let arrival = CUCKOO_ARRIVAL_HOURS * HOUR_MS;
    let link = CUCKOO_ORDER_LINK_MIN * 60_000;
    let Some(all) = contacts.get(&(trip.number.as_str(), other)) else {
        return (0, 0, Vec::new());
    };
    let (mut initiated, mut arrivals, mut records) = (0, 0, Vec::new());
    for c in all {
        if c.t < trip.start - arrival || c.t > trip.end {
            continue;
        }
        // The latest order at or before the contact.
        let before = orders.partition_point(|&o| o <= c.t);
        if before > 0 && c.t - orders[before - 1] <= link {
            continue;
        }
        if c.a == other {
            initiated += 1;
            records.push(*c);
        } else if (c.t - trip.start).abs() <= arrival {
            arrivals += 1;
            records.push(*c);
        }
    }
    (initiated, arrivals, records)
}

/// Cuckooed residents of one line. Each runner stay votes for the customer whose home cell
/// is the stay's night-time cell (or a mast next to it) and who is in personal contact
/// with the runner during the stay; customers with at least [`CUCKOO_MIN_NIGHTS`] voted
/// nights are reported.
pub(crate) fn cuckooed(
    line_id: &str,
    trips: &[&Trip],
    customers: &BTreeSet<&str>,
    homes: &HashMap<&str, &str>,
    sites: &Sites<'_>,
    orders: &HashMap<&str, Vec<i64>>,
    contacts: &ContactIndex<'_>,
) -> Vec<Finding> {
    let stays: Vec<Stay<'_>> = trips
        .iter()
        .filter_map(|t| {
            t.night_cell.as_ref().map(|(c, n)| Stay {
                trip: t,
                cell: c.as_str(),
                nights: *n,
            })
        })
        .collect();
    let weight = |home: &str, cell: &str| -> f64 {
        if home == cell {
            return 1.0;
        }
        // Two phones at one address on the same network are served by the same cell: a
        // customer on the runner's network but another cell sleeps elsewhere.
        if network(home) == network(cell) {
            return 0.0;
        }
        match (sites.get(home), sites.get(cell)) {
            (Some(a), Some(b)) => {
                let d = dist_km(a, b);
                (1.0 - d / CUCKOO_MAX_KM).max(0.0)
            }
            _ => 0.0,
        }
    };
    let mut votes: BTreeMap<&str, Votes<'_>> = BTreeMap::new();
    for s in &stays {
        // (customer, (personal contacts, co-location weight), started by them, at arrival,
        // records): personal contact decides, the distance breaks ties.
        type Best<'c> = (&'c str, (usize, f64), usize, usize, Vec<&'c Contact>);
        let mut best: Option<Best<'_>> = None;
        for &cust in customers {
            let Some(home) = homes.get(cust) else {
                continue;
            };
            let w = weight(home, s.cell);
            if w <= 0.0 {
                continue;
            }
            let ords = orders.get(cust).map_or(&[][..], Vec::as_slice);
            let (initiated, arrivals, records) = personal_contacts(s.trip, cust, ords, contacts);
            let score = (initiated + arrivals, w);
            if score.0 > 0
                && best
                    .as_ref()
                    .is_none_or(|b| score.0 > b.1.0 || (score.0 == b.1.0 && score.1 > b.1.1))
            {
                best = Some((cust, score, initiated, arrivals, records));
            }
        }
        let Some((resident, _, initiated, arrivals, records)) = best else {
            continue;
        };
        let v = votes.entry(resident).or_default();
        v.nights += s.nights;
        v.stays += 1;
        v.runners.insert(s.trip.number.as_str());
        v.cells.insert(s.cell);
        v.from = Some(v.from.map_or(s.trip.start, |f| f.min(s.trip.start)));
        v.to = Some(v.to.map_or(s.trip.end, |t| t.max(s.trip.end)));
        v.initiated += initiated;
        v.arrivals += arrivals;
        v.contact_evidence
            .extend(records.iter().filter_map(|c| c.evidence.clone()));
        v.stay_evidence.extend(s.trip.evidence.iter().cloned());
    }
    let mut out = Vec::new();
    for (resident, v) in votes {
        if v.nights < CUCKOO_MIN_NIGHTS {
            continue;
        }
        let (from, to) = (v.from.unwrap_or_default(), v.to.unwrap_or_default());
        let home = homes.get(resident).copied().unwrap_or_default();
        let reasons = vec![
            format!(
                "{} runner phone(s) from outside the town spent {} night(s) over {} stay(s) on cell(s) {} between {} and {}",
                v.runners.len(),
                v.nights,
                v.stays,
                v.cells.iter().copied().collect::<Vec<_>>().join(", "),
                crate::day(from),
                crate::day(to)
            ),
            format!(
                "{resident}, a customer of line {line_id}, is on cell {home} most nights: the same cell or a neighbouring mast"
            ),
            format!(
                "during those stays {resident} rang or texted the runner {} time(s), and the runner rang or texted {resident} {} time(s) around arriving",
                v.initiated, v.arrivals
            ),
        ];
        let related: Vec<String> = v.runners.iter().map(|r| (*r).to_owned()).collect();
        // The contacts are the deciding records, so they come first.
        let mut evidence = v.contact_evidence;
        evidence.truncate(6);
        evidence.extend(v.stay_evidence.into_iter().take(10 - evidence.len()));
        out.push(Finding {
            kind: FindingKind::CuckooedResident,
            number: resident.to_owned(),
            line_id: Some(line_id.to_owned()),
            score: (0.4 + 0.05 * v.nights as f64 + 0.1 * v.stays as f64).min(0.95),
            rule: CUCKOO_RULE.to_owned(),
            explanation: format!(
                "The home of the person using {resident} may have been taken over by line {line_id} (cuckooing): {}.",
                reasons.join("; ")
            ),
            reasons,
            at_utc: Some(from),
            until_utc: Some(to),
            place: Some(home.to_owned()),
            cells: v.cells.iter().map(|c| (*c).to_owned()).collect(),
            related,
            safeguarding: Some(format!(
                "The resident using {resident} may be a vulnerable adult whose home is being used by the line; treat as a possible victim and consider a safeguarding referral."
            )),
            evidence,
            ..Finding::default()
        });
    }
    out
}
