//! Reference files beside the exports (`cells.csv`, `subscribers.csv`) and the ground
//! truth under `truth/` (docs/formats.md). None of this is on the hot path.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::SimError;
use crate::clock::iso;
use crate::names;
use crate::world::{BizKind, OPS, Party, Role, World, aid, pid};
use linesight_rng::{Rng, splitmix64};

/// Count per role, as `people_by_role` and `numbers_by_role` in `summary.json`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleCounts {
    /// Controllers in the hub.
    pub controller: u64,
    /// Line holders (deal-line numbers count here).
    pub line_holder: u64,
    /// Runners, replacements included.
    pub runner: u64,
    /// Drug customers.
    pub customer: u64,
    /// Vulnerable residents whose homes were cuckooed.
    pub cuckooed_resident: u64,
    /// Everybody else.
    pub background: u64,
    /// Look-alike businesses (their landlines and sender ids count as numbers).
    pub business: u64,
}

impl RoleCounts {
    fn add(&mut self, role: Role, n: u64) {
        let slot = match role {
            Role::Controller => &mut self.controller,
            Role::LineHolder => &mut self.line_holder,
            Role::Runner => &mut self.runner,
            Role::Customer => &mut self.customer,
            Role::CuckooedResident => &mut self.cuckooed_resident,
            Role::Background => &mut self.background,
            Role::Business => &mut self.business,
        };
        *slot += n;
    }
}

/// Events per kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCounts {
    /// Voice calls.
    pub voice: u64,
    /// Text messages.
    pub sms: u64,
    /// Multimedia messages.
    pub mms: u64,
    /// Data sessions.
    pub data: u64,
}

/// The counts an evaluator checks first; mirrors `truth/summary.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TruthSummary {
    /// Seed the world was generated from.
    pub seed: u64,
    /// `small`, `regional` or `national`.
    pub scale: String,
    /// First simulated day, `YYYY-MM-DD`.
    pub start_date: String,
    /// Simulated days.
    pub days: u32,
    /// `linesight-sim <version>`.
    pub generator_version: String,
    /// Communications after merging both operators' reports (what ingest must store).
    pub events: u64,
    /// Valid rows written across all exports.
    pub records: u64,
    /// Valid rows per export file (path relative to the output folder).
    pub records_by_file: BTreeMap<String, u64>,
    /// Events reported by both parties' operators.
    pub two_leg_events: u64,
    /// Events reported once (other party not a subscriber, or a data session).
    pub one_leg_events: u64,
    /// Junk rows injected per export file (what ingest must quarantine).
    pub noise_rows_by_file: BTreeMap<String, u64>,
    /// Events per kind.
    pub events_by_kind: KindCounts,
    /// County lines.
    pub lines: u64,
    /// Deal-line numbers over the whole period.
    pub line_numbers: u64,
    /// People (businesses included) in `people.csv`.
    pub people: u64,
    /// People per role.
    pub people_by_role: RoleCounts,
    /// Numbers per role of their holder.
    pub numbers_by_role: RoleCounts,
    /// Runners under 18.
    pub child_runners: u64,
    /// Rows of `cells.csv`.
    pub cells: u64,
    /// Rows of `subscribers.csv`.
    pub subscribers: u64,
}

impl TruthSummary {
    /// Pretty-printed JSON, as written to `truth/summary.json`.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("plain data always serialises")
    }
}

struct Out<'p> {
    path: &'p Path,
    w: BufWriter<File>,
}

impl<'p> Out<'p> {
    fn create(path: &'p Path, header: &str) -> Result<Self, SimError> {
        let f = File::create(path).map_err(|source| SimError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let mut o = Self {
            path,
            w: BufWriter::new(f),
        };
        o.line(header)?;
        Ok(o)
    }

    fn line(&mut self, s: &str) -> Result<(), SimError> {
        self.w
            .write_all(s.as_bytes())
            .and_then(|()| self.w.write_all(b"\n"))
            .map_err(|source| SimError::Io {
                path: self.path.to_path_buf(),
                source,
            })
    }

    fn done(mut self) -> Result<(), SimError> {
        self.w.flush().map_err(|source| SimError::Io {
            path: self.path.to_path_buf(),
            source,
        })
    }
}

fn e164(nsn: u64) -> String {
    format!("+44{nsn}")
}

fn cell_id(w: &World, cell: u32) -> String {
    let c = &w.cells.cells[cell as usize];
    format!("234-{:02}-{}-{}", OPS[c.op as usize].mnc, c.lac, c.ci)
}

fn party_str(w: &World, p: Party) -> String {
    match p {
        Party::Sub(s) => e164(w.subs[s as usize].nsn),
        Party::Uk(n) => e164(n),
        Party::Foreign(d) => format!("+{d}"),
        Party::Sender(i) => w.senders[i as usize].clone(),
    }
}

/// Writes `cells.csv`; returns the row count.
pub(crate) fn write_cells(w: &World, dir: &Path, seed: u64) -> Result<u64, SimError> {
    let path = dir.join("cells.csv");
    let mut o = Out::create(
        &path,
        "cell_id,operator,lat,lon,azimuth_deg,beamwidth_deg,valid_from,valid_to,site_id,town",
    )?;
    let epoch = chrono::NaiveDate::from_ymd_opt(2016, 1, 1).expect("date");
    for (i, c) in w.cells.cells.iter().enumerate() {
        let mut h = seed ^ u64::from(c.site);
        let from = epoch + chrono::Duration::days((splitmix64(&mut h) % 3000) as i64);
        o.line(&format!(
            "{},{},{:.6},{:.6},{},120,{},,S{:05},{}",
            cell_id(w, i as u32),
            OPS[c.op as usize].name,
            c.pos.lat,
            c.pos.lon,
            c.azimuth,
            from.format("%Y-%m-%d"),
            c.site,
            w.places[c.town as usize].name
        ))?;
    }
    o.done()?;
    Ok(w.cells.cells.len() as u64)
}

/// Writes `subscribers.csv`; returns the row count.
/// Writes `intel/line-names.csv`: what police intelligence says a line is called, for about
/// two lines in three (one of the numbers it used, in UK national format, with a report
/// reference). Not ground truth: an input an analyst would have, which the analysis may use
/// to name the lines it finds. Returns the row count.
pub(crate) fn write_line_names(w: &World, dir: &Path, seed: u64) -> Result<u64, SimError> {
    let d = dir.join("intel");
    std::fs::create_dir_all(&d).map_err(|source| SimError::Io {
        path: d.clone(),
        source,
    })?;
    let path = d.join("line-names.csv");
    let mut o = Out::create(&path, "number,name,source")?;
    let mut rng = Rng::derive(seed, 7, 0);
    let mut n = 0;
    for l in &w.lines {
        if l.deal.is_empty() || !rng.chance(0.65) {
            continue;
        }
        let span = &l.deal[rng.index(l.deal.len())];
        o.line(&format!(
            "0{},{},intelligence report IR-{:05}",
            w.subs[span.sub as usize].nsn,
            l.brand,
            rng.range(1, 99_999)
        ))?;
        n += 1;
    }
    o.done()?;
    Ok(n)
}

pub(crate) fn write_subscribers(w: &World, dir: &Path, seed: u64) -> Result<u64, SimError> {
    let path = dir.join("subscribers.csv");
    let mut o = Out::create(
        &path,
        "msisdn,operator,account_type,activation_date,registered_name,registered_address,date_of_birth",
    )?;
    let mut rng = Rng::derive(seed, 6, 0);
    for s in &w.subs {
        let p = &w.persons[s.owner as usize];
        let (kind, name, address, dob) = if s.contract {
            let town = w.places[p.town as usize].name;
            let address = format!(
                "{} {} {}",
                rng.range(1, 180),
                names::STREETS[rng.index(names::STREETS.len())],
                town
            );
            if p.role == Role::Business {
                let n = names::DELIVERY_NAMES[s.owner as usize % names::DELIVERY_NAMES.len()];
                ("CONTRACT", format!("{n} Ltd"), address, String::new())
            } else {
                let name = format!(
                    "{} {}",
                    names::FIRST[p.name.0 as usize],
                    names::LAST[p.name.1 as usize]
                );
                let dob = chrono::DateTime::from_timestamp(w.start, 0)
                    .expect("in range")
                    .date_naive()
                    - chrono::Duration::days(i64::from(p.age) * 365 + rng.range(0, 364));
                (
                    "CONTRACT",
                    name,
                    address,
                    dob.format("%Y-%m-%d").to_string(),
                )
            }
        } else {
            ("PAYG", String::new(), String::new(), String::new())
        };
        o.line(&format!(
            "{},{},{},{},{},{},{}",
            e164(s.nsn),
            OPS[s.op as usize].name,
            kind,
            s.activation.format("%Y-%m-%d"),
            name,
            address,
            dob
        ))?;
    }
    o.done()?;
    Ok(w.subs.len() as u64)
}

fn lid(l: u32) -> String {
    format!("L{:03}", l + 1)
}

/// Writes the `truth/` CSVs.
pub(crate) fn write_truth(w: &World, dir: &Path) -> Result<(), SimError> {
    let t = dir.join("truth");
    let path = t.join("lines.csv");
    let mut o = Out::create(
        &path,
        "line_id,brand,town,force,number,from,to,reason_ended",
    )?;
    for (li, l) in w.lines.iter().enumerate() {
        let place = &w.places[l.town as usize];
        for d in &l.deal {
            o.line(&format!(
                "{},{},{},{},{},{},{},{}",
                lid(li as u32),
                l.brand,
                place.name,
                place.force,
                e164(w.subs[d.sub as usize].nsn),
                iso(d.from),
                iso(d.to),
                d.reason
            ))?;
        }
    }
    o.done()?;

    let path = t.join("people.csv");
    let mut o = Out::create(&path, "person_id,role,line_id,is_child,home_town,age")?;
    for (i, p) in w.persons.iter().enumerate() {
        let line = if p.line == crate::world::NONE {
            String::new()
        } else {
            lid(p.line)
        };
        let age = if p.role == Role::Business {
            String::new()
        } else {
            p.age.to_string()
        };
        o.line(&format!(
            "{},{},{},{},{},{}",
            pid(i as u32),
            p.role.as_str(),
            line,
            p.role != Role::Business && p.child,
            w.places[p.town as usize].name,
            age
        ))?;
    }
    o.done()?;

    let path = t.join("phones.csv");
    let mut o = Out::create(&path, "person_id,number,imsi,imei,from,to")?;
    for s in &w.subs {
        for e in &s.epochs {
            o.line(&format!(
                "{},{},{:015},{:015},{},{}",
                pid(s.owner),
                e164(s.nsn),
                e.imsi,
                e.imei,
                iso(e.from.max(w.start)),
                iso(e.to.min(w.end))
            ))?;
        }
    }
    o.done()?;

    let path = t.join("swaps.csv");
    let mut o = Out::create(&path, "line_id,person_id,kind,old,new,at")?;
    for s in &w.swaps {
        o.line(&format!(
            "{},{},{},{},{},{}",
            lid(s.line),
            pid(s.person),
            s.kind,
            s.old,
            s.new,
            iso(s.at)
        ))?;
    }
    o.done()?;

    let path = t.join("trips.csv");
    let mut o = Out::create(
        &path,
        "person_id,line_id,from_town,to_town,depart,arrive_back,stay_address_id",
    )?;
    for (li, l) in w.lines.iter().enumerate() {
        for tr in &l.trips {
            let back = if tr.arrested || tr.back >= w.end {
                String::new()
            } else {
                iso(tr.back)
            };
            o.line(&format!(
                "{},{},{},{},{},{},{}",
                pid(tr.runner),
                lid(li as u32),
                w.places[l.hub as usize].name,
                w.places[l.town as usize].name,
                iso(tr.depart),
                back,
                aid(tr.address)
            ))?;
        }
    }
    o.done()?;

    let path = t.join("cuckooed.csv");
    let mut o = Out::create(
        &path,
        "address_id,line_id,town,cell_id,resident_person_id,resident_number,from,to",
    )?;
    for (ai, a) in w.addresses.iter().enumerate() {
        if a.from > a.to {
            continue; // never used as a base
        }
        let res = &w.persons[a.resident as usize];
        let Some(&sub) = res.subs.first() else {
            continue;
        };
        o.line(&format!(
            "{},{},{},{},{},{},{},{}",
            aid(ai as u32),
            lid(a.line),
            w.places[a.town as usize].name,
            cell_id(w, w.subs[sub as usize].home_cell),
            pid(a.resident),
            e164(w.subs[sub as usize].nsn),
            iso(a.from),
            iso(a.to)
        ))?;
    }
    o.done()?;

    let path = t.join("disruptions.csv");
    let mut o = Out::create(&path, "line_id,at,kind,detail")?;
    let mut rows: Vec<_> = w.disruptions.iter().filter(|d| d.at < w.end).collect();
    rows.sort_by_key(|d| (d.at, d.line));
    for d in rows {
        o.line(&format!(
            "{},{},{},{}",
            lid(d.line),
            iso(d.at),
            d.kind,
            d.detail
        ))?;
    }
    o.done()?;

    let path = t.join("businesses.csv");
    let mut o = Out::create(&path, "person_id,kind,number,town")?;
    for b in &w.businesses {
        o.line(&format!(
            "{},{},{},{}",
            pid(b.person),
            b.kind.as_str(),
            party_str(w, b.party),
            w.places[b.town as usize].name
        ))?;
    }
    o.done()
}

/// People and numbers per role, child runners, deal-line numbers.
pub(crate) fn role_counts(w: &World) -> (RoleCounts, RoleCounts, u64, u64) {
    let mut people = RoleCounts::default();
    let mut numbers = RoleCounts::default();
    let mut children = 0;
    for p in &w.persons {
        people.add(p.role, 1);
        if p.role == Role::Runner && p.child {
            children += 1;
        }
    }
    let mut line_numbers = 0;
    for s in &w.subs {
        if s.deal_line {
            line_numbers += 1;
            numbers.add(Role::LineHolder, 1);
        } else {
            numbers.add(w.persons[s.owner as usize].role, 1);
        }
    }
    for b in &w.businesses {
        if !matches!(b.party, Party::Sub(_)) {
            numbers.add(Role::Business, 1);
        }
        debug_assert!(b.kind != BizKind::Delivery || matches!(b.party, Party::Sub(_)));
    }
    (people, numbers, children, line_numbers)
}
