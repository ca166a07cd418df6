//! The case in memory: every `events` row in a compact form, sorted by time, with indexes
//! from each number, IMEI and IMSI to its events, plus cells, subscribers and findings.
//!
//! Built once at startup so that requests never scan Parquet: a line page or a search is a
//! few slice lookups. Strings are interned into `u32`s (a regional case has a few hundred
//! thousand distinct identifiers for millions of events), which keeps an event at 96 bytes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float64Type, TimestampMillisecondType, UInt16Type};
use arrow_array::types::{UInt8Type, UInt32Type, UInt64Type};
use arrow_array::{Array, RecordBatch, StringArray};
use linesight_findings::{FINDINGS_DIR, FINDINGS_JSON, Finding, FindingKind, Findings};
use linesight_model::progress::{Progress, Unit};
use linesight_model::schema::table;
use linesight_store::CaseStore;

use crate::ServerError;
use crate::lines::LineView;

/// No string (a null column value).
pub(crate) const NONE: u32 = u32::MAX;

/// Interned strings: id → text and text → id.
#[derive(Default)]
pub(crate) struct Interner {
    texts: Vec<Box<str>>,
    ids: HashMap<Box<str>, u32>,
}

impl Interner {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = u32::try_from(self.texts.len()).expect("fewer than 4 billion identifiers");
        self.texts.push(s.into());
        self.ids.insert(s.into(), id);
        id
    }

    fn intern_opt(&mut self, col: &StringArray, row: usize) -> u32 {
        if col.is_null(row) {
            NONE
        } else {
            self.intern(col.value(row))
        }
    }

    /// The id of a text, if any event or table mentions it.
    pub(crate) fn get(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }

    /// The text of an id; `""` for [`NONE`].
    pub(crate) fn text(&self, id: u32) -> &str {
        self.texts.get(id as usize).map_or("", |s| s)
    }

    /// The text of an id, `None` for [`NONE`].
    pub(crate) fn opt(&self, id: u32) -> Option<&str> {
        (id != NONE).then(|| self.text(id))
    }

    fn len(&self) -> usize {
        self.texts.len()
    }
}

/// One party's leg of an event, as its operator reported it.
#[derive(Clone, Copy)]
pub(crate) struct Leg {
    pub(crate) imsi: u32,
    pub(crate) imei: u32,
    pub(crate) cell: u32,
    pub(crate) src: u32,
    pub(crate) row: u64,
}

/// One `events` row, with every text interned.
#[derive(Clone, Copy)]
pub(crate) struct Ev {
    pub(crate) start: i64,
    pub(crate) event_id: u64,
    pub(crate) a: u32,
    pub(crate) b: u32,
    pub(crate) kind: u32,
    pub(crate) duration_s: u32,
    pub(crate) legs: u8,
    pub(crate) a_leg: Leg,
    pub(crate) b_leg: Leg,
}

impl Ev {
    /// The other party, seen from `n` (`NONE` when `n` is not a party or there is no B).
    pub(crate) fn other(&self, n: u32) -> u32 {
        if self.a == n {
            self.b
        } else if self.b == n {
            self.a
        } else {
            NONE
        }
    }

    /// The leg reported for party `n`.
    pub(crate) fn leg_of(&self, n: u32) -> Option<&Leg> {
        if self.a == n {
            Some(&self.a_leg)
        } else if self.b == n {
            Some(&self.b_leg)
        } else {
            None
        }
    }
}

/// Event indices grouped by an interned id (compressed sparse rows). Within a group the
/// indices ascend, so they are in time order.
#[derive(Default)]
pub(crate) struct Postings {
    offsets: Vec<u32>,
    events: Vec<u32>,
}

impl Postings {
    fn build(ids: usize, pairs: impl Fn(&mut dyn FnMut(u32, u32))) -> Self {
        let mut counts = vec![0u32; ids + 1];
        pairs(&mut |id, _| counts[id as usize + 1] += 1);
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let mut next = counts.clone();
        let mut events = vec![0u32; *counts.last().unwrap_or(&0) as usize];
        pairs(&mut |id, ev| {
            let slot = &mut next[id as usize];
            events[*slot as usize] = ev;
            *slot += 1;
        });
        Self {
            offsets: counts,
            events,
        }
    }

    /// The events of an id, in time order.
    pub(crate) fn of(&self, id: u32) -> &[u32] {
        let i = id as usize;
        if id == NONE || i + 1 >= self.offsets.len() {
            return &[];
        }
        &self.events[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }
}

/// A cell from the cell list: an area served by a mast sector, never a point.
#[derive(Clone, Debug, serde::Serialize)]
pub(crate) struct CellInfo {
    pub(crate) cell_id: String,
    pub(crate) operator: String,
    pub(crate) lat: f64,
    pub(crate) lon: f64,
    pub(crate) azimuth_deg: u16,
    pub(crate) beamwidth_deg: u16,
}

/// A subscriber check on a number.
#[derive(Clone, Debug, serde::Serialize)]
pub(crate) struct SubscriberInfo {
    pub(crate) number: String,
    pub(crate) operator: String,
    pub(crate) pay_as_you_go: bool,
    pub(crate) activation_date: Option<String>,
    pub(crate) registered_name: Option<String>,
    pub(crate) registered_address: Option<String>,
    pub(crate) date_of_birth: Option<String>,
}

/// An open case with its indexes. Immutable once loaded; shared by every request.
pub struct Case {
    pub(crate) root: PathBuf,
    pub(crate) case_id: String,
    pub(crate) strings: Interner,
    pub(crate) events: Vec<Ev>,
    pub(crate) by_number: Postings,
    pub(crate) by_imei: Postings,
    pub(crate) by_imsi: Postings,
    pub(crate) cells: Vec<CellInfo>,
    pub(crate) cell_index: HashMap<String, usize>,
    pub(crate) subscribers: HashMap<String, SubscriberInfo>,
    pub(crate) findings: Findings,
    pub(crate) table_rows: Vec<(String, u64)>,
    pub(crate) runs: usize,
    pub(crate) load_ms: u64,
    pub(crate) lines: Vec<LineView>,
    pub(crate) line_index: HashMap<String, usize>,
    /// Each number's role for colouring: `deal_line`, `controller`, `runner`,
    /// `cuckooed_resident` or `customer` (the first that applies, in that order).
    pub(crate) roles: HashMap<String, &'static str>,
}

impl std::fmt::Debug for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Case")
            .field("root", &self.root)
            .field("events", &self.events.len())
            .finish_non_exhaustive()
    }
}

fn strings<'a>(b: &'a RecordBatch, name: &str) -> Result<&'a StringArray, ServerError> {
    b.column_by_name(name)
        .and_then(|c| c.as_string_opt::<i32>())
        .ok_or_else(|| ServerError::Corrupt(format!("column {name} is missing or not text")))
}

fn column<'a>(b: &'a RecordBatch, name: &str) -> Result<&'a dyn Array, ServerError> {
    b.column_by_name(name)
        .map(|c| c.as_ref())
        .ok_or_else(|| ServerError::Corrupt(format!("column {name} is missing")))
}

fn date(days: i32) -> String {
    crate::time::day_string(i64::from(days) * 86_400_000)
}

impl Case {
    /// Opens the case at `dir`, reads its tables and findings and builds the indexes,
    /// reporting each stage to `progress`.
    ///
    /// # Errors
    /// [`ServerError`] when the folder is not a case, a table cannot be read, or
    /// `findings.json` does not parse. A case not yet analysed loads with no findings.
    pub fn load(dir: &Path, progress: &dyn Progress) -> Result<Self, ServerError> {
        let began = std::time::Instant::now();
        let store = CaseStore::open_read(dir)?;
        let mut table_rows = Vec::new();
        for t in [
            table::EVENTS,
            table::RECORDS,
            table::QUARANTINE,
            table::CELLS,
            table::SUBSCRIBERS,
        ] {
            table_rows.push((t.to_string(), store.table_rows(t)?));
        }
        let total_events = table_rows[0].1;

        progress.stage("reading events", Some(total_events), Unit::Rows);
        let mut strings = Interner::default();
        let mut events = Vec::with_capacity(usize::try_from(total_events).unwrap_or(0));
        for batch in store.scan_table(table::EVENTS)? {
            let batch = batch?;
            read_events(&batch, &mut strings, &mut events)?;
            progress.advance(batch.num_rows() as u64);
        }

        progress.stage("indexing events", None, Unit::Items);
        events.sort_unstable_by_key(|e| (e.start, e.event_id));
        let n = strings.len();
        let by_number = Postings::build(n, |push| {
            for (i, e) in events.iter().enumerate() {
                push(e.a, i as u32);
                if e.b != NONE && e.b != e.a {
                    push(e.b, i as u32);
                }
            }
        });
        let by_device = |pick: fn(&Leg) -> u32| {
            Postings::build(n, |push| {
                for (i, e) in events.iter().enumerate() {
                    let (a, b) = (pick(&e.a_leg), pick(&e.b_leg));
                    if a != NONE {
                        push(a, i as u32);
                    }
                    if b != NONE && b != a {
                        push(b, i as u32);
                    }
                }
            })
        };
        let by_imei = by_device(|l| l.imei);
        let by_imsi = by_device(|l| l.imsi);

        progress.stage("reading cells and subscribers", None, Unit::Items);
        let (cells, cell_index) = read_cells(&store)?;
        let subscribers = read_subscribers(&store)?;

        progress.stage("reading findings", None, Unit::Items);
        let findings_path = store.root().join(FINDINGS_DIR).join(FINDINGS_JSON);
        let findings = match std::fs::read(&findings_path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| ServerError::Findings(format!("{}: {e}", findings_path.display())))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Findings::default(),
            Err(e) => {
                return Err(ServerError::Findings(format!(
                    "{}: {e}",
                    findings_path.display()
                )));
            }
        };

        let mut case = Self {
            root: store.root().to_owned(),
            case_id: store.manifest().case_id.clone(),
            runs: store.manifest().runs.len(),
            strings,
            events,
            by_number,
            by_imei,
            by_imsi,
            cells,
            cell_index,
            subscribers,
            findings,
            table_rows,
            load_ms: 0,
            lines: Vec::new(),
            line_index: HashMap::new(),
            roles: HashMap::new(),
        };
        progress.stage("summarising lines", None, Unit::Items);
        case.lines = crate::lines::build(&case);
        case.line_index = (case.lines.iter().enumerate())
            .map(|(i, l)| (l.line.line_id.clone(), i))
            .collect();
        case.roles = roles(&case.findings);
        case.load_ms = began.elapsed().as_millis() as u64;
        Ok(case)
    }

    /// A line by id.
    pub(crate) fn line(&self, id: &str) -> Option<&LineView> {
        self.line_index.get(id).map(|&i| &self.lines[i])
    }

    /// A number's role for display, if the findings give it one.
    pub(crate) fn role(&self, number: &str) -> Option<&'static str> {
        self.roles.get(number).copied()
    }

    /// Number of events held.
    pub fn event_count(&self) -> usize {
        self.events.len()
    }

    /// Milliseconds it took to load and index.
    pub fn load_ms(&self) -> u64 {
        self.load_ms
    }

    /// The events of a number (by text), in time order.
    pub(crate) fn number_events(&self, number: &str) -> &[u32] {
        self.strings
            .get(number)
            .map_or(&[][..], |id| self.by_number.of(id))
    }

    /// Findings of one kind.
    pub(crate) fn findings_of(&self, kind: FindingKind) -> impl Iterator<Item = &Finding> {
        self.findings
            .findings
            .iter()
            .filter(move |f| f.kind == kind)
    }

    /// The events of `idx` whose start lies in `[from, to)` (both optional): a binary
    /// search on the time-ordered list.
    pub(crate) fn window<'a>(
        &self,
        idx: &'a [u32],
        from: Option<i64>,
        to: Option<i64>,
    ) -> &'a [u32] {
        let lo = from.map_or(0, |t| {
            idx.partition_point(|&i| self.events[i as usize].start < t)
        });
        let hi = to.map_or(idx.len(), |t| {
            idx.partition_point(|&i| self.events[i as usize].start < t)
        });
        &idx[lo..hi.max(lo)]
    }
}

/// Role precedence: a number with several roles shows the most serious one.
const ROLE_ORDER: [(FindingKind, &str); 5] = [
    (FindingKind::DealLine, "deal_line"),
    (FindingKind::Controller, "controller"),
    (FindingKind::Runner, "runner"),
    (FindingKind::CuckooedResident, "cuckooed_resident"),
    (FindingKind::Customer, "customer"),
];

fn roles(findings: &Findings) -> HashMap<String, &'static str> {
    let rank = |r: &str| {
        ROLE_ORDER
            .iter()
            .position(|(_, n)| *n == r)
            .unwrap_or(usize::MAX)
    };
    let mut out: HashMap<String, &'static str> = HashMap::new();
    let mut put = |number: &str, role: &'static str| {
        let slot = out.entry(number.to_string()).or_insert(role);
        if rank(role) < rank(slot) {
            *slot = role;
        }
    };
    for l in &findings.lines {
        for n in &l.numbers {
            put(&n.number, "deal_line");
        }
        for n in &l.runners {
            put(n, "runner");
        }
        for n in &l.controllers {
            put(n, "controller");
        }
    }
    for f in &findings.findings {
        if let Some((_, role)) = ROLE_ORDER.iter().find(|(k, _)| *k == f.kind) {
            put(&f.number, role);
        }
    }
    out
}

fn read_events(b: &RecordBatch, s: &mut Interner, out: &mut Vec<Ev>) -> Result<(), ServerError> {
    let event_id = column(b, "event_id")?.as_primitive::<UInt64Type>();
    let kind = strings(b, "kind")?;
    let a = strings(b, "a_number")?;
    let bn = strings(b, "b_number")?;
    let start = column(b, "start_utc")?.as_primitive::<TimestampMillisecondType>();
    let dur = column(b, "duration_s")?.as_primitive::<UInt32Type>();
    let legs = column(b, "legs")?.as_primitive::<UInt8Type>();
    let leg_cols = |p: &str| -> Result<_, ServerError> {
        Ok((
            strings(b, &format!("{p}imsi"))?,
            strings(b, &format!("{p}imei"))?,
            strings(b, &format!("{p}first_cell"))?,
            strings(b, &format!("{p}src_sha256"))?,
            column(b, &format!("{p}src_row"))?.as_primitive::<UInt64Type>(),
        ))
    };
    let la = leg_cols("a_")?;
    let lb = leg_cols("b_")?;
    for r in 0..b.num_rows() {
        let mut leg = |c: &(
            &StringArray,
            &StringArray,
            &StringArray,
            &StringArray,
            &arrow_array::UInt64Array,
        )| Leg {
            imsi: s.intern_opt(c.0, r),
            imei: s.intern_opt(c.1, r),
            cell: s.intern_opt(c.2, r),
            src: s.intern_opt(c.3, r),
            row: if c.4.is_null(r) { 0 } else { c.4.value(r) },
        };
        let a_leg = leg(&la);
        let b_leg = leg(&lb);
        out.push(Ev {
            start: start.value(r),
            event_id: event_id.value(r),
            a: s.intern(a.value(r)),
            b: s.intern_opt(bn, r),
            kind: s.intern(kind.value(r)),
            duration_s: dur.value(r),
            legs: legs.value(r),
            a_leg,
            b_leg,
        });
    }
    Ok(())
}

type CellTable = (Vec<CellInfo>, HashMap<String, usize>);

fn read_cells(store: &CaseStore) -> Result<CellTable, ServerError> {
    let mut cells = Vec::new();
    let mut index = HashMap::new();
    for batch in store.scan_table(table::CELLS)? {
        let b = batch?;
        let id = strings(&b, "cell_id")?;
        let op = strings(&b, "operator")?;
        let lat = column(&b, "lat")?.as_primitive::<Float64Type>();
        let lon = column(&b, "lon")?.as_primitive::<Float64Type>();
        let az = column(&b, "azimuth_deg")?.as_primitive::<UInt16Type>();
        let bw = column(&b, "beamwidth_deg")?.as_primitive::<UInt16Type>();
        for r in 0..b.num_rows() {
            // A later cell list replaces an earlier entry for the same cell.
            let cell = CellInfo {
                cell_id: id.value(r).to_string(),
                operator: op.value(r).to_string(),
                lat: lat.value(r),
                lon: lon.value(r),
                azimuth_deg: az.value(r),
                beamwidth_deg: bw.value(r),
            };
            match index.get(&cell.cell_id) {
                Some(&i) => cells[i] = cell,
                None => {
                    index.insert(cell.cell_id.clone(), cells.len());
                    cells.push(cell);
                }
            }
        }
    }
    Ok((cells, index))
}

fn read_subscribers(store: &CaseStore) -> Result<HashMap<String, SubscriberInfo>, ServerError> {
    let mut out = HashMap::new();
    for batch in store.scan_table(table::SUBSCRIBERS)? {
        let b = batch?;
        let number = strings(&b, "number")?;
        let op = strings(&b, "operator")?;
        let payg = column(&b, "pay_as_you_go")?.as_boolean();
        let act = column(&b, "activation_date")?.as_primitive::<Date32Type>();
        let name = strings(&b, "registered_name")?;
        let addr = strings(&b, "registered_address")?;
        let dob = column(&b, "date_of_birth")?.as_primitive::<Date32Type>();
        let text = |c: &StringArray, r: usize| (!c.is_null(r)).then(|| c.value(r).to_string());
        for r in 0..b.num_rows() {
            let info = SubscriberInfo {
                number: number.value(r).to_string(),
                operator: op.value(r).to_string(),
                pay_as_you_go: payg.value(r),
                activation_date: (!act.is_null(r)).then(|| date(act.value(r))),
                registered_name: text(name, r),
                registered_address: text(addr, r),
                date_of_birth: (!dob.is_null(r)).then(|| date(dob.value(r))),
            };
            out.insert(info.number.clone(), info);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_group_in_order() {
        let pairs = [(2u32, 0u32), (0, 1), (2, 2), (1, 3)];
        let p = Postings::build(3, |push| {
            for (id, ev) in pairs {
                push(id, ev);
            }
        });
        assert_eq!(p.of(0), &[1]);
        assert_eq!(p.of(1), &[3]);
        assert_eq!(p.of(2), &[0, 2]);
        assert!(p.of(7).is_empty());
        assert!(p.of(NONE).is_empty());
    }
}
