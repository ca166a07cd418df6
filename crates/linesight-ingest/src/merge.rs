//! Merging duplicate reports into events, memory-lean.
//!
//! Each record is reduced to a [`Leg`] of fixed size (about 64 bytes) whose text fields are
//! ids into one string [`Interner`]; matching sorts small keys, never full rows. A record
//! is an A-leg when its direction is `out` (the served party originated it) and a B-leg
//! when `in`. A-legs and B-legs with the same (A number, B number, kind) whose starts
//! differ by at most [`MERGE_TOLERANCE_S`] are paired one-to-one, greedily in time order;
//! the rest stay one-leg events. Data sessions are always one-leg.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use arrow_array::builder::{
    StringBuilder, TimestampMillisecondBuilder, UInt8Builder, UInt32Builder, UInt64Builder,
};
use arrow_array::{
    Array, ArrayRef, RecordBatch, StringArray, TimestampMillisecondArray, UInt32Array, UInt64Array,
};
use linesight_model::{EventKind, FileHash, TimeNote, schema};

use crate::IngestError;

/// Default merge tolerance: the B party's operator may stamp a start up to this many
/// seconds before or after the A party's.
pub const MERGE_TOLERANCE_S: i64 = 2;

/// Marks an absent string id.
pub(crate) const NONE: u32 = u32::MAX;

const BATCH: usize = 64 * 1024;

/// FxHash: a fast non-cryptographic hash, ample for interning (inputs are not adversarial
/// to the point of mattering, and a collision only costs time).
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let v = u64::from_le_bytes(c.try_into().expect("8 bytes"));
            self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type FxBuild = BuildHasherDefault<FxHasher>;

/// Interned strings: each distinct text stored once, referred to by a `u32`.
#[derive(Default, Debug)]
pub(crate) struct Interner {
    map: HashMap<Box<str>, u32, FxBuild>,
    strings: Vec<Box<str>>,
}

impl Interner {
    pub(crate) fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.map.get(s) {
            return id;
        }
        let id = u32::try_from(self.strings.len()).expect("fewer than 4 billion distinct strings");
        self.strings.push(s.into());
        self.map.insert(s.into(), id);
        id
    }

    pub(crate) fn intern_opt(&mut self, s: Option<&str>) -> u32 {
        s.map_or(NONE, |s| self.intern(s))
    }

    pub(crate) fn get(&self, id: u32) -> Option<&str> {
        (id != NONE).then(|| &*self.strings[id as usize])
    }
}

/// Where a leg came from: file hash, run and operator (constant per file).
#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub(crate) sha: String,
    pub(crate) run: String,
    pub(crate) operator: String,
}

/// One record reduced to what merging and the events table need.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Leg {
    pub(crate) start: i64,
    pub(crate) row: u64,
    /// A and B numbers, already oriented (for a B-leg, `a` is the other party).
    pub(crate) a: u32,
    pub(crate) b: u32,
    pub(crate) imsi: u32,
    pub(crate) imei: u32,
    pub(crate) first_cell: u32,
    pub(crate) last_cell: u32,
    pub(crate) duration: u32,
    pub(crate) src: u32,
    /// Index into [`EventKind::ALL`].
    pub(crate) kind: u8,
    /// 0 = A-leg (out), 1 = B-leg (in).
    pub(crate) dir: u8,
    /// 0 exact, 1 fold first, 2 fold second.
    pub(crate) note: u8,
}

/// Legs with the strings and sources they refer to.
#[derive(Default, Debug)]
pub(crate) struct LegSet {
    pub(crate) strings: Interner,
    pub(crate) sources: Vec<Source>,
    pub(crate) legs: Vec<Leg>,
}

/// A leg's fields as text, for [`LegSet::push`].
pub(crate) struct LegText<'a> {
    pub(crate) kind: EventKind,
    pub(crate) outgoing: bool,
    pub(crate) served: &'a str,
    pub(crate) other: Option<&'a str>,
    pub(crate) imsi: Option<&'a str>,
    pub(crate) imei: Option<&'a str>,
    pub(crate) first_cell: Option<&'a str>,
    pub(crate) last_cell: Option<&'a str>,
    pub(crate) start: i64,
    pub(crate) duration: u32,
    pub(crate) note: TimeNote,
    pub(crate) src: u32,
    pub(crate) row: u64,
}

pub(crate) fn kind_index(k: EventKind) -> u8 {
    EventKind::ALL
        .iter()
        .position(|&x| x == k)
        .expect("kind in ALL") as u8
}

fn note_index(n: TimeNote) -> u8 {
    match n {
        TimeNote::Exact => 0,
        TimeNote::FoldFirst => 1,
        TimeNote::FoldSecond => 2,
    }
}

const NOTES: [TimeNote; 3] = [TimeNote::Exact, TimeNote::FoldFirst, TimeNote::FoldSecond];

impl LegSet {
    pub(crate) fn add_source(&mut self, sha: &str, run: &str, operator: &str) -> u32 {
        if let Some(i) = self
            .sources
            .iter()
            .position(|s| s.sha == sha && s.run == run && s.operator == operator)
        {
            return i as u32;
        }
        self.sources.push(Source {
            sha: sha.to_owned(),
            run: run.to_owned(),
            operator: operator.to_owned(),
        });
        (self.sources.len() - 1) as u32
    }

    pub(crate) fn push(&mut self, t: LegText<'_>) {
        let served = self.strings.intern(t.served);
        let other = self.strings.intern_opt(t.other);
        // Data sessions are oriented from the served party whatever the direction says.
        let out = t.outgoing || t.kind == EventKind::Data;
        let (a, b) = if out {
            (served, other)
        } else {
            (other, served)
        };
        let leg = Leg {
            start: t.start,
            row: t.row,
            a: if a == NONE { served } else { a },
            b,
            imsi: self.strings.intern_opt(t.imsi),
            imei: self.strings.intern_opt(t.imei),
            first_cell: self.strings.intern_opt(t.first_cell),
            last_cell: self.strings.intern_opt(t.last_cell),
            duration: t.duration,
            src: t.src,
            kind: kind_index(t.kind),
            dir: u8::from(!out),
            note: note_index(t.note),
        };
        self.legs.push(leg);
    }

    /// Moves another set's legs into this one, re-mapping its string and source ids.
    pub(crate) fn absorb(&mut self, other: LegSet) {
        let map: Vec<u32> = other
            .strings
            .strings
            .iter()
            .map(|s| self.strings.intern(s))
            .collect();
        let srcs: Vec<u32> = other
            .sources
            .iter()
            .map(|s| self.add_source(&s.sha, &s.run, &s.operator))
            .collect();
        let m = |id: u32| if id == NONE { NONE } else { map[id as usize] };
        self.legs.reserve(other.legs.len());
        for l in other.legs {
            self.legs.push(Leg {
                a: m(l.a),
                b: m(l.b),
                imsi: m(l.imsi),
                imei: m(l.imei),
                first_cell: m(l.first_cell),
                last_cell: m(l.last_cell),
                src: srcs[l.src as usize],
                ..l
            });
        }
    }

    /// Adds the legs of a batch of the `records` table (read back from the store).
    pub(crate) fn add_records_batch(&mut self, batch: &RecordBatch) -> Result<(), IngestError> {
        let col = |name: &str| -> Result<&ArrayRef, IngestError> {
            batch
                .column_by_name(name)
                .ok_or_else(|| IngestError::CorruptStore {
                    detail: format!("records table lacks column {name}"),
                })
        };
        let s = |name: &str| -> Result<&StringArray, IngestError> {
            col(name)?
                .as_any()
                .downcast_ref::<StringArray>()
                .ok_or_else(|| IngestError::CorruptStore {
                    detail: format!("records column {name} is not text"),
                })
        };
        let (kind, dir, served, other) = (
            s("kind")?,
            s("direction")?,
            s("served_number")?,
            s("other_number")?,
        );
        let (imsi, imei, fc, lc) = (s("imsi")?, s("imei")?, s("first_cell")?, s("last_cell")?);
        let (op, note, sha, run) = (
            s("operator")?,
            s("time_note")?,
            s("src_sha256")?,
            s("run_id")?,
        );
        let start = col("start_utc")?
            .as_any()
            .downcast_ref::<TimestampMillisecondArray>();
        let dur = col("duration_s")?.as_any().downcast_ref::<UInt32Array>();
        let row = col("src_row")?.as_any().downcast_ref::<UInt64Array>();
        let (Some(start), Some(dur), Some(row)) = (start, dur, row) else {
            return Err(IngestError::CorruptStore {
                detail: "records columns have unexpected types".into(),
            });
        };
        for i in 0..batch.num_rows() {
            let k: EventKind = kind
                .value(i)
                .parse()
                .map_err(|e| IngestError::CorruptStore { detail: e })?;
            let src = self.add_source(sha.value(i), run.value(i), op.value(i));
            self.push(LegText {
                kind: k,
                outgoing: dir.value(i) == "out",
                served: served.value(i),
                other: opt(other, i),
                imsi: opt(imsi, i),
                imei: opt(imei, i),
                first_cell: opt(fc, i),
                last_cell: opt(lc, i),
                start: start.value(i).div_euclid(1000),
                duration: dur.value(i),
                note: note.value(i).parse().unwrap_or_default(),
                src,
                row: row.value(i),
            });
        }
        Ok(())
    }
}

fn opt(a: &StringArray, i: usize) -> Option<&str> {
    (!a.is_null(i)).then(|| a.value(i))
}

/// Counts from building the events table.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MergeStats {
    pub(crate) events: u64,
    pub(crate) two_leg: u64,
}

/// Pairs A legs with B legs into events, returned in start order.
///
/// Legs whose local start time fell in the repeated hour when clocks go back
/// ([`TimeNote::FoldFirst`]/[`TimeNote::FoldSecond`]) were resolved from their file's row
/// order alone, which sparse night-time traffic can make wrong. A leg left unpaired is
/// therefore tried again at its other possible instant (one hour later or earlier); if the
/// other party's operator reported the same communication there, the pair is merged and
/// the leg's instant and note are corrected in the events table (the `records` table keeps
/// what the file said).
pub(crate) fn pair_legs(set: &mut LegSet, tolerance: i64) -> Paired {
    // Canonical order of sources (by hash), so tie-breaks do not depend on ingest order.
    let mut by_sha: Vec<u32> = (0..set.sources.len() as u32).collect();
    by_sha.sort_by(|&x, &y| {
        set.sources[x as usize]
            .sha
            .cmp(&set.sources[y as usize].sha)
    });
    let mut rank = vec![0u64; set.sources.len()];
    for (r, &s) in by_sha.iter().enumerate() {
        rank[s as usize] = r as u64;
    }
    let ord = |l: &Leg| (rank[l.src as usize] << 40) | (l.row & ((1 << 40) - 1));

    #[derive(Clone, Copy)]
    struct Key {
        ab: u64,
        start: i64,
        ord: u64,
        idx: u32,
        kind: u8,
        note: u8,
    }
    let data = kind_index(EventKind::Data);
    let mut a_keys = Vec::new();
    let mut b_keys = Vec::new();
    let mut events: Vec<(i64, u64, u32, u32)> = Vec::with_capacity(set.legs.len());
    for (i, l) in set.legs.iter().enumerate() {
        let i = i as u32;
        if l.kind == data {
            events.push((l.start, ord(l), i, NONE));
            continue;
        }
        let k = Key {
            ab: (u64::from(l.a) << 32) | u64::from(l.b),
            start: l.start,
            ord: ord(l),
            idx: i,
            kind: l.kind,
            note: l.note,
        };
        if l.dir == 0 {
            a_keys.push(k)
        } else {
            b_keys.push(k)
        }
    }
    let sort = |v: &mut Vec<Key>| v.sort_unstable_by_key(|k| (k.kind, k.ab, k.start, k.ord));
    std::thread::scope(|s| {
        s.spawn(|| sort(&mut a_keys));
        sort(&mut b_keys);
    });

    // Walk the two sorted lists group by group; within a group, greedy in time order.
    let group = |k: &Key| (k.kind, k.ab);
    let (mut i, mut j) = (0, 0);
    let mut two_leg = 0u64;
    let mut corrections: Vec<(u32, i64, u8)> = Vec::new();
    while i < a_keys.len() || j < b_keys.len() {
        let take_a =
            j >= b_keys.len() || (i < a_keys.len() && group(&a_keys[i]) <= group(&b_keys[j]));
        let g = if take_a {
            group(&a_keys[i])
        } else {
            group(&b_keys[j])
        };
        let a_end = i + a_keys[i..].iter().take_while(|k| group(k) == g).count();
        let b_end = j + b_keys[j..].iter().take_while(|k| group(k) == g).count();
        let (mut lone_a, mut lone_b) = (Vec::new(), Vec::new());
        while i < a_end {
            let a = a_keys[i];
            while j < b_end && b_keys[j].start < a.start - tolerance {
                lone_b.push(b_keys[j]);
                j += 1;
            }
            if j < b_end && b_keys[j].start <= a.start + tolerance {
                events.push((a.start, a.ord, a.idx, b_keys[j].idx));
                two_leg += 1;
                j += 1;
            } else {
                lone_a.push(a);
            }
            i += 1;
        }
        lone_b.extend_from_slice(&b_keys[j..b_end]);
        j = b_end;
        // Second chance for legs in the repeated October hour (see the function docs).
        if lone_a.iter().chain(&lone_b).any(|k| k.note != 0) {
            for a in &mut lone_a {
                let hit = lone_b.iter().position(|b| {
                    b.idx != NONE
                        && (a.note != 0 || b.note != 0)
                        && [
                            (a.start, b.start),
                            (other_fold(a.start, a.note), b.start),
                            (a.start, other_fold(b.start, b.note)),
                        ]
                        .iter()
                        .any(|&(x, y)| (x - y).abs() <= tolerance)
                });
                let Some(p) = hit else { continue };
                let b = &mut lone_b[p];
                let a_alt = other_fold(a.start, a.note);
                if a.note != 0 && (a_alt - b.start).abs() <= tolerance {
                    corrections.push((a.idx, a_alt, 3 - a.note));
                    a.start = a_alt;
                } else {
                    corrections.push((b.idx, other_fold(b.start, b.note), 3 - b.note));
                }
                events.push((a.start, a.ord, a.idx, b.idx));
                two_leg += 1;
                a.idx = NONE;
                b.idx = NONE;
            }
        }
        for k in lone_a.iter().chain(&lone_b).filter(|k| k.idx != NONE) {
            events.push((k.start, k.ord, k.idx, NONE));
        }
    }
    for (idx, start, note) in corrections {
        let leg = &mut set.legs[idx as usize];
        leg.start = start;
        leg.note = note;
    }
    drop((a_keys, b_keys));
    events.sort_unstable_by_key(|e| (e.0, e.1));
    Paired {
        stats: MergeStats {
            events: events.len() as u64,
            two_leg,
        },
        events,
    }
}

/// Events after pairing: (start, order, first leg, second leg or [`NONE`]), in start order.
pub(crate) struct Paired {
    pub(crate) events: Vec<(i64, u64, u32, u32)>,
    pub(crate) stats: MergeStats,
}

/// Writes a run of paired events as events-table batches through `emit`. Disjoint runs
/// can be written by separate threads into separate files.
pub(crate) fn write_events(
    set: &LegSet,
    events: &[(i64, u64, u32, u32)],
    mut emit: impl FnMut(RecordBatch) -> Result<(), IngestError>,
) -> Result<(), IngestError> {
    let hashes: Vec<[u8; 32]> = set
        .sources
        .iter()
        .map(|s| FileHash::from_hex(&s.sha).map_or([0; 32], |h| h.0))
        .collect();
    let mut out = EventsBuilder::default();
    for &(_, _, first, second) in events {
        let f = &set.legs[first as usize];
        let s = (second != NONE).then(|| &set.legs[second as usize]);
        out.push(set, f, s, event_id(&hashes[f.src as usize], f.row));
        if out.len >= BATCH {
            emit(out.finish()?)?;
        }
    }
    if out.len > 0 {
        emit(out.finish()?)?;
    }
    Ok(())
}

/// Pairs legs and writes all events through one `emit`, in start order.
pub(crate) fn build_events(
    set: &mut LegSet,
    tolerance: i64,
    emit: impl FnMut(RecordBatch) -> Result<(), IngestError>,
) -> Result<MergeStats, IngestError> {
    let paired = pair_legs(set, tolerance);
    write_events(set, &paired.events, emit)?;
    Ok(paired.stats)
}

/// The other instant a local time in the repeated hour could mean: an hour later for the
/// first (summer-time) reading, an hour earlier for the second; unchanged for exact times.
fn other_fold(start: i64, note: u8) -> i64 {
    match note {
        1 => start + 3600,
        2 => start - 3600,
        _ => start,
    }
}

/// Stable event id: FNV-1a 64 over the first leg's file hash bytes and row (little-endian).
pub(crate) fn event_id(sha: &[u8; 32], row: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in sha.iter().chain(row.to_le_bytes().iter()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[derive(Default)]
struct LegCols {
    imsi: StringBuilder,
    imei: StringBuilder,
    first_cell: StringBuilder,
    last_cell: StringBuilder,
    operator: StringBuilder,
    time_note: StringBuilder,
    sha: StringBuilder,
    row: UInt64Builder,
    run: StringBuilder,
}

impl LegCols {
    fn push(&mut self, set: &LegSet, l: Option<&Leg>) {
        let Some(l) = l else {
            for b in [
                &mut self.imsi,
                &mut self.imei,
                &mut self.first_cell,
                &mut self.last_cell,
                &mut self.operator,
            ] {
                b.append_null();
            }
            self.time_note.append_null();
            self.sha.append_null();
            self.row.append_null();
            self.run.append_null();
            return;
        };
        let s = &set.strings;
        let src = &set.sources[l.src as usize];
        self.imsi.append_option(s.get(l.imsi));
        self.imei.append_option(s.get(l.imei));
        self.first_cell.append_option(s.get(l.first_cell));
        self.last_cell.append_option(s.get(l.last_cell));
        self.operator.append_value(&src.operator);
        self.time_note.append_value(NOTES[l.note as usize].as_str());
        self.sha.append_value(&src.sha);
        self.row.append_value(l.row);
        self.run.append_value(&src.run);
    }

    fn finish(&mut self, out: &mut Vec<ArrayRef>) {
        out.push(Arc::new(self.imsi.finish()));
        out.push(Arc::new(self.imei.finish()));
        out.push(Arc::new(self.first_cell.finish()));
        out.push(Arc::new(self.last_cell.finish()));
        out.push(Arc::new(self.operator.finish()));
        out.push(Arc::new(self.time_note.finish()));
        out.push(Arc::new(self.sha.finish()));
        out.push(Arc::new(self.row.finish()));
        out.push(Arc::new(self.run.finish()));
    }
}

#[derive(Default)]
struct EventsBuilder {
    len: usize,
    id: UInt64Builder,
    kind: StringBuilder,
    a: StringBuilder,
    b: StringBuilder,
    start: TimestampMillisecondBuilder,
    duration: UInt32Builder,
    legs: UInt8Builder,
    a_leg: LegCols,
    b_leg: LegCols,
}

impl EventsBuilder {
    fn push(&mut self, set: &LegSet, first: &Leg, second: Option<&Leg>, id: u64) {
        let s = &set.strings;
        self.id.append_value(id);
        self.kind
            .append_value(EventKind::ALL[first.kind as usize].as_str());
        self.a.append_value(s.get(first.a).unwrap_or_default());
        self.b.append_option(s.get(first.b));
        self.start.append_value(first.start * 1000);
        self.duration
            .append_value(second.map_or(first.duration, |x| x.duration.max(first.duration)));
        self.legs.append_value(1 + u8::from(second.is_some()));
        // A one-leg event from a B-leg has only a B party report.
        let (a_leg, b_leg) = if first.dir == 0 {
            (Some(first), second)
        } else {
            (None, Some(first))
        };
        self.a_leg.push(set, a_leg);
        self.b_leg.push(set, b_leg);
        self.len += 1;
    }

    fn finish(&mut self) -> Result<RecordBatch, IngestError> {
        let mut cols: Vec<ArrayRef> = vec![
            Arc::new(self.id.finish()),
            Arc::new(self.kind.finish()),
            Arc::new(self.a.finish()),
            Arc::new(self.b.finish()),
            Arc::new(self.start.finish().with_timezone("UTC")),
            Arc::new(self.duration.finish()),
            Arc::new(self.legs.finish()),
        ];
        self.a_leg.finish(&mut cols);
        self.b_leg.finish(&mut cols);
        self.len = 0;
        RecordBatch::try_new(schema::EVENTS.clone(), cols).map_err(|e| IngestError::Internal {
            detail: format!("events batch: {e}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leg(set: &mut LegSet, kind: EventKind, out: bool, a: &str, b: &str, start: i64, row: u64) {
        let src = set.add_source(
            &format!("{:064x}", u8::from(out)),
            "r",
            if out { "A" } else { "B" },
        );
        let (served, other) = if out { (a, b) } else { (b, a) };
        set.push(LegText {
            kind,
            outgoing: out,
            served,
            other: Some(other),
            imsi: None,
            imei: None,
            first_cell: None,
            last_cell: None,
            start,
            duration: 10,
            note: TimeNote::Exact,
            src,
            row,
        });
    }

    fn stats(set: &mut LegSet) -> MergeStats {
        build_events(set, MERGE_TOLERANCE_S, |_| Ok(())).unwrap()
    }

    #[test]
    fn pairs_within_tolerance_one_to_one() {
        let mut s = LegSet::default();
        leg(&mut s, EventKind::Voice, true, "+1", "+2", 100, 1);
        leg(&mut s, EventKind::Voice, false, "+1", "+2", 101, 1);
        // Same parties, 3 s apart: not merged.
        leg(&mut s, EventKind::Voice, true, "+1", "+2", 200, 2);
        leg(&mut s, EventKind::Voice, false, "+1", "+2", 203, 2);
        // Two same-second SMSes stay two events, each merged.
        leg(&mut s, EventKind::Sms, true, "+1", "+2", 300, 3);
        leg(&mut s, EventKind::Sms, true, "+1", "+2", 300, 4);
        leg(&mut s, EventKind::Sms, false, "+1", "+2", 300, 3);
        leg(&mut s, EventKind::Sms, false, "+1", "+2", 301, 4);
        // Different kind never merges; B earlier than A by 2 s merges.
        leg(&mut s, EventKind::Mms, false, "+1", "+2", 398, 5);
        leg(&mut s, EventKind::Mms, true, "+1", "+2", 400, 5);
        leg(&mut s, EventKind::Voice, false, "+1", "+2", 400, 6);
        assert_eq!(
            stats(&mut s),
            MergeStats {
                events: 7,
                two_leg: 4
            }
        );
    }

    #[test]
    fn events_batch_matches_schema_and_orients_b_only_events() {
        let mut s = LegSet::default();
        leg(&mut s, EventKind::Voice, false, "+1", "+2", 100, 7);
        let mut batches = Vec::new();
        build_events(&mut s, 2, |b| {
            batches.push(b);
            Ok(())
        })
        .unwrap();
        let b = &batches[0];
        let text = |c: &str| {
            b.column_by_name(c)
                .unwrap()
                .as_any()
                .downcast_ref::<StringArray>()
                .unwrap()
                .clone()
        };
        assert_eq!(text("a_number").value(0), "+1");
        assert_eq!(text("b_number").value(0), "+2");
        assert!(text("a_operator").is_null(0));
        assert_eq!(text("b_operator").value(0), "B");
        assert_eq!(event_id(&[0; 32], 1), event_id(&[0; 32], 1));
        assert_ne!(event_id(&[0; 32], 1), event_id(&[0; 32], 2));
    }
}
