//! Operator exports: each event becomes one row per leg of a party who is a subscriber of
//! one of the three operators, in that operator's layout (docs/formats.md). Rows are held
//! per file for one day, sorted by their own UTC start, written, and dropped; junk rows
//! are injected after valid ones at the configured rate.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use linesight_model::EventKind;

use crate::SimError;
use crate::clock::{Instant, UkClock, parts, push_date, push_hms, push_iso_utc, push_num};
use crate::traffic::Event;
use crate::world::{OPS, Party, World};
use linesight_rng::Rng;

/// Header lines, exactly as docs/formats.md gives them.
pub(crate) const HEADERS: [&str; 3] = [
    "record_id,event_type,direction,served_msisdn,other_party,served_imsi,served_imei,start_time_utc,duration_s,first_cgi,last_cgi",
    "Call Date;Call Time;Call Type;Target Number;Other Number;IMSI;IMEI;Duration;Start LAC;Start CI;End LAC;End CI",
    "MSISDN\tOTHER_PARTY\tSERVICE\tDIRECTION\tSTART_LOCAL\tDURATION\tIMSI\tIMEI\tCELL_START\tCELL_END",
];
const SEPS: [u8; 3] = [b',', b';', b'\t'];
const FIELDS: [usize; 3] = [11, 12, 10];

/// One operator's report of one party's leg.
#[derive(Clone, Copy, Debug)]
struct Leg {
    t: Instant,
    seq: u64,
    dur: u32,
    kind: EventKind,
    outgoing: bool,
    served: u32,
    other: Option<Party>,
    imsi: u64,
    imei: u64,
    imei_missing: bool,
    c1: u32,
    c2: u32,
}

/// A junk row's defect.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Corrupt {
    None,
    Truncate,
    BadDate,
    Gap(i64),
    LetterInNumber,
    BadDuration,
    BadType,
}

struct FileOut {
    path: PathBuf,
    out: BufWriter<File>,
    rows: u64,
    noise: u64,
    record_id: u64,
    pending: Vec<Leg>,
    rng: Rng,
}

/// Counts the summary needs.
#[derive(Clone, Debug, Default)]
pub(crate) struct Counts {
    pub(crate) events: u64,
    pub(crate) two_leg: u64,
    pub(crate) one_leg: u64,
    pub(crate) by_kind: [u64; 4],
    pub(crate) rows: [u64; 3],
    pub(crate) noise: [u64; 3],
}

/// Writes the three exports.
pub(crate) struct Exporter {
    files: Vec<FileOut>,
    seq: u64,
    noise: f64,
    gaps: Vec<i64>,
    line: Vec<u8>,
    pub(crate) counts: Counts,
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> SimError + '_ {
    move |source| SimError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Exporter {
    /// Creates the files under `out_dir/exports` and writes their headers.
    pub(crate) fn create(
        out_dir: &Path,
        noise: f64,
        seed: u64,
        clock: &UkClock,
    ) -> Result<Self, SimError> {
        let mut files = Vec::with_capacity(3);
        for (i, op) in OPS.iter().enumerate() {
            let path = out_dir.join(op.file);
            let f = File::create(&path).map_err(io_err(&path))?;
            let mut out = BufWriter::with_capacity(1 << 20, f);
            out.write_all(HEADERS[i].as_bytes())
                .map_err(io_err(&path))?;
            out.write_all(b"\n").map_err(io_err(&path))?;
            files.push(FileOut {
                path,
                out,
                rows: 0,
                noise: 0,
                record_id: 0,
                pending: Vec::new(),
                rng: Rng::derive(seed, 0x4E01_5E00, i as u64),
            });
        }
        Ok(Self {
            files,
            seq: 0,
            noise,
            gaps: clock.gaps(),
            line: Vec::with_capacity(256),
            counts: Counts::default(),
        })
    }

    /// Turns an event into legs (none for parties nobody simulated serves).
    pub(crate) fn add(&mut self, w: &World, e: &Event, rng: &mut Rng) {
        let mut legs = 0;
        if let Party::Sub(a) = e.a {
            self.push_leg(w, a, true, e.t, e.dur, e, e.b, rng);
            legs += 1;
        }
        if let Some(Party::Sub(b)) = e.b {
            // The B side's network stamps up to 1 s later and up to 1 s shorter.
            let late = i64::from(rng.chance(0.3));
            let short = u32::from(e.kind == EventKind::Voice && e.dur > 1 && rng.chance(0.3));
            self.push_leg(w, b, false, e.t + late, e.dur - short, e, Some(e.a), rng);
            legs += 1;
        }
        if legs > 0 {
            self.counts.events += 1;
            self.counts.by_kind[e.kind as usize] += 1;
            if legs == 2 {
                self.counts.two_leg += 1;
            } else {
                self.counts.one_leg += 1;
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push_leg(
        &mut self,
        w: &World,
        sub: u32,
        outgoing: bool,
        t: Instant,
        dur: u32,
        e: &Event,
        other: Option<Party>,
        rng: &mut Rng,
    ) {
        let s = &w.subs[sub as usize];
        let ep = s.epoch_at(t);
        let c1 = w.cell_at(sub, t, rng);
        let moving = match e.kind {
            EventKind::Voice => dur > 120 && rng.chance(0.25),
            EventKind::Data => dur > 600 && rng.chance(0.2),
            _ => false,
        };
        let c2 = if moving {
            w.cell_at(sub, t + i64::from(dur), rng)
        } else {
            c1
        };
        // Corvid's SMS centre sometimes does not capture the handset on delivery.
        let imei_missing = s.op == 2 && !outgoing && e.kind == EventKind::Sms && rng.chance(0.01);
        self.seq += 1;
        self.files[s.op as usize].pending.push(Leg {
            t,
            seq: self.seq,
            dur,
            kind: e.kind,
            outgoing,
            served: sub,
            other,
            imsi: ep.imsi,
            imei: ep.imei,
            imei_missing,
            c1,
            c2,
        });
    }

    /// Writes every pending row that starts before `boundary` (all when `None`), in order.
    pub(crate) fn flush(&mut self, w: &World, boundary: Option<Instant>) -> Result<(), SimError> {
        for op in 0..3 {
            let mut pending = std::mem::take(&mut self.files[op].pending);
            pending.sort_unstable_by_key(|l| (l.t, l.seq));
            let cut = boundary.map_or(pending.len(), |b| pending.partition_point(|l| l.t < b));
            for leg in &pending[..cut] {
                self.write_row(w, op, leg, Corrupt::None)?;
                if self.noise > 0.0 && self.files[op].rng.chance(self.noise) {
                    let c = self.pick_corruption(op);
                    self.write_row(w, op, leg, c)?;
                }
            }
            pending.drain(..cut);
            self.files[op].pending = pending;
        }
        Ok(())
    }

    fn pick_corruption(&mut self, op: usize) -> Corrupt {
        let f = &mut self.files[op];
        let local = op > 0;
        let n = if local && !self.gaps.is_empty() { 6 } else { 5 };
        match f.rng.below(n) {
            0 => Corrupt::Truncate,
            1 => Corrupt::BadDate,
            2 => Corrupt::LetterInNumber,
            3 => Corrupt::BadDuration,
            4 => Corrupt::BadType,
            _ => {
                let g = self.gaps[f.rng.index(self.gaps.len())];
                Corrupt::Gap(g + f.rng.range(0, 3599))
            }
        }
    }

    fn write_row(&mut self, w: &World, op: usize, leg: &Leg, c: Corrupt) -> Result<(), SimError> {
        let mut line = std::mem::take(&mut self.line);
        line.clear();
        let f = &mut self.files[op];
        f.record_id += 1;
        match op {
            0 => alba(&mut line, w, leg, f.record_id, c),
            1 => brig(&mut line, w, leg, c),
            _ => corv(&mut line, w, leg, c),
        }
        if c == Corrupt::Truncate {
            // Keep between 2 and all-but-3 fields: a row with too few fields.
            let keep = 2 + f.rng.index(FIELDS[op] - 4);
            let mut seen = 0;
            if let Some(pos) = line.iter().position(|&b| {
                if b == SEPS[op] {
                    seen += 1;
                }
                seen == keep
            }) {
                line.truncate(pos);
            }
        }
        line.push(b'\n');
        f.out.write_all(&line).map_err(io_err(&f.path))?;
        if c == Corrupt::None {
            f.rows += 1;
            self.counts.rows[op] += 1;
        } else {
            f.noise += 1;
            self.counts.noise[op] += 1;
        }
        self.line = line;
        Ok(())
    }

    /// Flushes everything and closes the files.
    pub(crate) fn finish(mut self, w: &World) -> Result<Counts, SimError> {
        self.flush(w, None)?;
        for f in &mut self.files {
            f.out.flush().map_err(io_err(&f.path))?;
        }
        Ok(self.counts)
    }
}

/// The served number with a letter among its digits, for junk rows.
fn push_served(buf: &mut Vec<u8>, prefix: &[u8], nsn: u64, c: Corrupt) {
    buf.extend_from_slice(prefix);
    let start = buf.len();
    push_num(buf, nsn, 10);
    if c == Corrupt::LetterInNumber {
        buf[start + 4] = b'X';
    }
}

/// The other party in an operator's number format: E.164 (`+44…`, `+CC…`), national
/// (`0…`, `00CC…`) or international digits (`44…`, `CC…`); sender ids as they are.
fn push_other(buf: &mut Vec<u8>, w: &World, other: Option<Party>, op: usize) {
    let (uk, intl): (&[u8], &[u8]) = match op {
        0 => (b"+44", b"+"),
        1 => (b"0", b"00"),
        _ => (b"44", b""),
    };
    match other {
        None => {}
        Some(Party::Sub(s)) => {
            buf.extend_from_slice(uk);
            push_num(buf, w.subs[s as usize].nsn, 10);
        }
        Some(Party::Uk(n)) => {
            buf.extend_from_slice(uk);
            push_num(buf, n, 10);
        }
        Some(Party::Foreign(d)) => {
            buf.extend_from_slice(intl);
            push_num(buf, d, 1);
        }
        Some(Party::Sender(i)) => buf.extend_from_slice(w.senders[i as usize].as_bytes()),
    }
}

fn push_ids(buf: &mut Vec<u8>, leg: &Leg, sep: u8) {
    push_num(buf, leg.imsi, 15);
    buf.push(sep);
    if !leg.imei_missing {
        push_num(buf, leg.imei, 15);
    }
    buf.push(sep);
}

fn alba(buf: &mut Vec<u8>, w: &World, leg: &Leg, record_id: u64, c: Corrupt) {
    push_num(buf, record_id, 1);
    buf.push(b',');
    buf.extend_from_slice(if c == Corrupt::BadType {
        b"FAX"
    } else {
        match leg.kind {
            EventKind::Voice => b"VOICE",
            EventKind::Sms => b"SMS",
            EventKind::Mms => b"MMS",
            EventKind::Data => b"DATA",
        }
    });
    buf.push(b',');
    buf.extend_from_slice(if leg.outgoing { b"MO" } else { b"MT" });
    buf.push(b',');
    push_served(buf, b"+44", w.subs[leg.served as usize].nsn, c);
    buf.push(b',');
    push_other(buf, w, leg.other, 0);
    buf.push(b',');
    push_ids(buf, leg, b',');
    if c == Corrupt::BadDate {
        // Month 13.
        let (y, _, d, h, mi, s) = parts(leg.t);
        push_num(buf, y as u64, 4);
        buf.extend_from_slice(b"-13-");
        push_num(buf, u64::from(d), 2);
        buf.push(b'T');
        push_hms(buf, h, mi, s);
        buf.push(b'Z');
    } else {
        push_iso_utc(buf, leg.t);
    }
    buf.push(b',');
    if c == Corrupt::BadDuration {
        buf.extend_from_slice(b"-5");
    } else {
        push_num(buf, u64::from(leg.dur), 1);
    }
    for cell in [leg.c1, leg.c2] {
        buf.push(b',');
        let cs = &w.cells.cells[cell as usize];
        buf.extend_from_slice(b"234-");
        push_num(buf, u64::from(OPS[0].mnc), 2);
        buf.push(b'-');
        push_num(buf, u64::from(cs.lac), 1);
        buf.push(b'-');
        push_num(buf, u64::from(cs.ci), 1);
    }
}

/// Local wall-clock seconds of the row: the real instant's, or a gap time for junk.
fn local_secs(w: &World, leg: &Leg, c: Corrupt) -> i64 {
    match c {
        Corrupt::Gap(l) => l,
        _ => w.clock.local(leg.t),
    }
}

fn brig(buf: &mut Vec<u8>, w: &World, leg: &Leg, c: Corrupt) {
    let (y, mo, d, h, mi, s) = parts(local_secs(w, leg, c));
    let (mo, d) = if c == Corrupt::BadDate {
        (2, 31)
    } else {
        (mo, d)
    };
    push_num(buf, u64::from(d), 2);
    buf.push(b'/');
    push_num(buf, u64::from(mo), 2);
    buf.push(b'/');
    push_num(buf, y as u64, 4);
    buf.push(b';');
    push_hms(buf, h, mi, s);
    buf.push(b';');
    buf.extend_from_slice(if c == Corrupt::BadType {
        b"USSD"
    } else {
        match (leg.kind, leg.outgoing) {
            (EventKind::Voice, true) => b"MOC",
            (EventKind::Voice, false) => b"MTC",
            (EventKind::Sms, true) => b"SMSMO",
            (EventKind::Sms, false) => b"SMSMT",
            (EventKind::Mms, true) => b"MMSMO",
            (EventKind::Mms, false) => b"MMSMT",
            (EventKind::Data, _) => b"GPRS",
        }
    });
    buf.push(b';');
    push_served(buf, b"0", w.subs[leg.served as usize].nsn, c);
    buf.push(b';');
    push_other(buf, w, leg.other, 1);
    buf.push(b';');
    push_ids(buf, leg, b';');
    if c == Corrupt::BadDuration {
        buf.extend_from_slice(b"ab:cd:ef");
    } else {
        let dd = leg.dur;
        push_hms(buf, dd / 3600, dd / 60 % 60, dd % 60);
    }
    for cell in [leg.c1, leg.c2] {
        let cs = &w.cells.cells[cell as usize];
        buf.push(b';');
        push_num(buf, u64::from(cs.lac), 1);
        buf.push(b';');
        push_num(buf, u64::from(cs.ci), 1);
    }
}

fn corv(buf: &mut Vec<u8>, w: &World, leg: &Leg, c: Corrupt) {
    push_served(buf, b"44", w.subs[leg.served as usize].nsn, c);
    buf.push(b'\t');
    push_other(buf, w, leg.other, 2);
    buf.push(b'\t');
    buf.extend_from_slice(if c == Corrupt::BadType {
        b"Telex"
    } else {
        match leg.kind {
            EventKind::Voice => b"Voice",
            EventKind::Sms => b"SMS",
            EventKind::Mms => b"MMS",
            EventKind::Data => b"Data",
        }
    });
    buf.push(b'\t');
    buf.extend_from_slice(if leg.outgoing {
        b"Outgoing"
    } else {
        b"Incoming"
    });
    buf.push(b'\t');
    let (y, mo, d, h, mi, s) = parts(local_secs(w, leg, c));
    let (mo, d) = if c == Corrupt::BadDate {
        (2, 30)
    } else {
        (mo, d)
    };
    push_date(buf, y, mo, d);
    buf.push(b' ');
    push_hms(buf, h, mi, s);
    buf.push(b'\t');
    if c == Corrupt::BadDuration {
        buf.extend_from_slice(b"ab:cd");
    } else {
        push_num(buf, u64::from(leg.dur / 60), 1);
        buf.push(b':');
        push_num(buf, u64::from(leg.dur % 60), 2);
    }
    buf.push(b'\t');
    push_ids(buf, leg, b'\t');
    for (i, cell) in [leg.c1, leg.c2].into_iter().enumerate() {
        if i > 0 {
            buf.push(b'\t');
        }
        let cs = &w.cells.cells[cell as usize];
        push_num(buf, u64::from(cs.lac), 1);
        buf.push(b'-');
        push_num(buf, u64::from(cs.ci), 1);
    }
}
