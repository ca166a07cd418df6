//! Row parsing: one pass over a file, line by line, straight into Arrow builders. Every
//! row either becomes a stored row or a quarantine row with the field and reason; nothing
//! is dropped. Lines are split by hand (the formats never quote); a line containing a
//! quote goes through the `csv` crate instead.

use std::fmt::Write as _;
use std::io::BufRead;
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Float64Builder, StringBuilder, TimestampMillisecondBuilder,
    UInt16Builder, UInt32Builder, UInt64Builder,
};
use arrow_array::{ArrayRef, RecordBatch};
use linesight_model::progress::Progress;
use linesight_model::schema::{self, table};
use linesight_model::{Direction, EventKind, GlobalCellId, Msisdn, TimeNote};

use crate::IngestError;
use crate::detect::Layout;
use crate::duration::parse_duration;
use crate::merge::{LegSet, LegText};
use crate::profile::{Profile, ProfileKind};
use crate::timeparse::{Clock, DtParser, parse_date};

const BATCH: usize = 64 * 1024;
const PROGRESS_STEP: u64 = 4 << 20;

/// Receives finished batches for a table.
pub(crate) trait Sink {
    fn put(&mut self, table: &'static str, batch: RecordBatch) -> Result<(), IngestError>;
}

/// Identity of the file being parsed, stamped on every row.
pub(crate) struct FileCtx<'a> {
    pub(crate) path: &'a str,
    pub(crate) sha: &'a str,
    pub(crate) run: &'a str,
}

/// Counts from one file.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    pub(crate) rows_read: u64,
    pub(crate) stored: u64,
    pub(crate) quarantined: u64,
    pub(crate) folds: u64,
    pub(crate) legs: LegSet,
}

struct RowErr {
    field: Option<&'static str>,
    reason: String,
}

fn err(field: &'static str, reason: String) -> RowErr {
    RowErr {
        field: Some(field),
        reason,
    }
}

/// Parses a whole file (header line included; `layout` was detected from it).
pub(crate) fn parse_file<R: BufRead>(
    mut reader: R,
    layout: &Layout<'_>,
    ctx: &FileCtx<'_>,
    sink: &mut dyn Sink,
    progress: &dyn Progress,
) -> Result<Outcome, IngestError> {
    let p = layout.profile;
    let mut kind = match p.kind {
        ProfileKind::Events => KindParser::Events(Box::new(EventsParser::new(layout, ctx))),
        ProfileKind::Cells => KindParser::Cells(Box::new(CellsParser::new(layout))),
        ProfileKind::Subscribers => KindParser::Subs(Box::new(SubsParser::new(layout))),
    };
    let mut quarantine = QuarantineBuilder::default();
    let mut out = Outcome::default();
    let mut line = Vec::with_capacity(512);
    let mut ranges: Vec<(usize, usize)> = Vec::with_capacity(32);
    let mut unquoted = String::new();
    let mut row = 0u64;
    let mut unreported = 0u64;
    let io = |source| IngestError::Read {
        path: ctx.path.to_owned(),
        source,
    };
    // The header (detection already read it).
    unreported += reader.read_until(b'\n', &mut line).map_err(io)? as u64;
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line).map_err(io)?;
        if n == 0 {
            break;
        }
        unreported += n as u64;
        if unreported >= PROGRESS_STEP {
            progress.advance(unreported);
            unreported = 0;
        }
        row += 1;
        let mut body = line.as_slice();
        if let Some(b) = body.strip_suffix(b"\n") {
            body = b;
        }
        if let Some(b) = body.strip_suffix(b"\r") {
            body = b;
        }
        // Blank lines carry no data (a trailing one is common); they keep their row number.
        if body.is_empty() {
            continue;
        }
        out.rows_read += 1;
        let result = match std::str::from_utf8(body) {
            Err(e) => Err(RowErr {
                field: None,
                reason: format!(
                    "row is not valid UTF-8 (bad byte at column {}); re-export the file as UTF-8",
                    e.valid_up_to() + 1
                ),
            }),
            Ok(text) => split(text, p.delimiter, &mut ranges, &mut unquoted).and_then(|base| {
                if ranges.len() != layout.width {
                    return Err(RowErr {
                        field: None,
                        reason: format!(
                            "row has {} fields but the header has {} (truncated or malformed row)",
                            ranges.len(),
                            layout.width
                        ),
                    });
                }
                let fields = Fields {
                    base,
                    ranges: &ranges,
                };
                kind.row(&fields, row)
            }),
        };
        match result {
            Ok(()) => {
                out.stored += 1;
                if kind.len() >= BATCH {
                    kind.flush(sink, ctx)?;
                }
            }
            Err(e) => {
                out.quarantined += 1;
                quarantine.push(ctx, row, e.field, &e.reason, &String::from_utf8_lossy(body));
                if quarantine.len >= BATCH {
                    sink.put(table::QUARANTINE, quarantine.finish(ctx)?)?;
                }
            }
        }
    }
    progress.advance(unreported);
    kind.flush(sink, ctx)?;
    if quarantine.len > 0 {
        sink.put(table::QUARANTINE, quarantine.finish(ctx)?)?;
    }
    if let KindParser::Events(e) = kind {
        out.folds = e.folds;
        out.legs = e.legs;
    }
    Ok(out)
}

/// Splits a line into field ranges; returns the text the ranges index (the line itself,
/// or its unquoted form when it contains quotes).
fn split<'a>(
    text: &'a str,
    delim: u8,
    ranges: &mut Vec<(usize, usize)>,
    unquoted: &'a mut String,
) -> Result<&'a str, RowErr> {
    ranges.clear();
    if !text.as_bytes().contains(&b'"') {
        let mut start = 0;
        for (i, &b) in text.as_bytes().iter().enumerate() {
            if b == delim {
                ranges.push((start, i));
                start = i + 1;
            }
        }
        ranges.push((start, text.len()));
        return Ok(text);
    }
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rec = csv::StringRecord::new();
    let bad = |e: String| RowErr {
        field: None,
        reason: format!("row has malformed quoting ({e})"),
    };
    match rdr.read_record(&mut rec) {
        Ok(true) => {}
        Ok(false) => return Err(bad("no fields".into())),
        Err(e) => return Err(bad(e.to_string())),
    }
    if rdr
        .read_record(&mut csv::StringRecord::new())
        .map_err(|e| bad(e.to_string()))?
    {
        return Err(bad(
            "a quoted field spans lines, which this format does not allow".into(),
        ));
    }
    unquoted.clear();
    for f in rec.iter() {
        let s = unquoted.len();
        unquoted.push_str(f);
        ranges.push((s, unquoted.len()));
    }
    Ok(unquoted)
}

struct Fields<'a> {
    base: &'a str,
    ranges: &'a [(usize, usize)],
}

impl<'a> Fields<'a> {
    fn get(&self, i: usize) -> &'a str {
        let (s, e) = self.ranges[i];
        self.base[s..e].trim()
    }
    fn opt(&self, i: Option<usize>) -> Option<&'a str> {
        i.map(|i| self.get(i)).filter(|s| !s.is_empty())
    }
}

enum KindParser<'p> {
    Events(Box<EventsParser<'p>>),
    Cells(Box<CellsParser<'p>>),
    Subs(Box<SubsParser<'p>>),
}

impl KindParser<'_> {
    fn row(&mut self, f: &Fields<'_>, row: u64) -> Result<(), RowErr> {
        match self {
            Self::Events(p) => p.row(f, row),
            Self::Cells(p) => p.row(f, row),
            Self::Subs(p) => p.row(f, row),
        }
    }
    fn len(&self) -> usize {
        match self {
            Self::Events(p) => p.b.len,
            Self::Cells(p) => p.len,
            Self::Subs(p) => p.len,
        }
    }
    fn flush(&mut self, sink: &mut dyn Sink, ctx: &FileCtx<'_>) -> Result<(), IngestError> {
        if self.len() == 0 {
            return Ok(());
        }
        match self {
            Self::Events(p) => sink.put(table::RECORDS, p.b.finish(ctx)?),
            Self::Cells(p) => sink.put(table::CELLS, p.finish(ctx)?),
            Self::Subs(p) => sink.put(table::SUBSCRIBERS, p.finish(ctx)?),
        }
    }
}

fn batch(
    schema: &arrow_schema::SchemaRef,
    cols: Vec<ArrayRef>,
) -> Result<RecordBatch, IngestError> {
    RecordBatch::try_new(schema.clone(), cols).map_err(|e| IngestError::Internal {
        detail: format!("building a batch: {e}"),
    })
}

/// Provenance columns shared by every table: filled at flush, all rows of a batch come
/// from one file and run.
fn provenance(ctx: &FileCtx<'_>, rows: &mut UInt64Builder, n: usize, cols: &mut Vec<ArrayRef>) {
    let mut sha = StringBuilder::with_capacity(n, n * 64);
    let mut run = StringBuilder::with_capacity(n, n * ctx.run.len());
    for _ in 0..n {
        sha.append_value(ctx.sha);
        run.append_value(ctx.run);
    }
    cols.push(Arc::new(sha.finish()));
    cols.push(Arc::new(rows.finish()));
    cols.push(Arc::new(run.finish()));
}

fn col(layout: &Layout<'_>, name: &str) -> Option<usize> {
    layout.index.get(name).copied()
}

enum CellCols {
    None,
    Full(usize),
    LacCi(usize, usize),
}

impl CellCols {
    fn new(layout: &Layout<'_>, end: &str) -> Self {
        match (
            col(layout, &format!("{end}_cell")),
            col(layout, &format!("{end}_lac")),
            col(layout, &format!("{end}_ci")),
        ) {
            (Some(c), _, _) => Self::Full(c),
            (None, Some(l), Some(c)) => Self::LacCi(l, c),
            _ => Self::None,
        }
    }
}

struct EventsParser<'p> {
    p: &'p Profile,
    event_type: usize,
    direction: Option<usize>,
    served: usize,
    other: Option<usize>,
    imsi: Option<usize>,
    imei: Option<usize>,
    start: usize,
    start_time: Option<usize>,
    duration: usize,
    cells: [CellCols; 2],
    dt: DtParser,
    clock: Clock,
    joined: String,
    cell_text: [String; 2],
    src: u32,
    folds: u64,
    legs: LegSet,
    b: RecordsBuilder,
}

impl<'p> EventsParser<'p> {
    fn new(layout: &Layout<'p>, ctx: &FileCtx<'_>) -> Self {
        let p = layout.profile;
        let need = |c| col(layout, c).expect("validated profile maps its required columns");
        let (start, start_time) = match col(layout, "start") {
            Some(s) => (s, None),
            None => (need("start_date"), col(layout, "start_time")),
        };
        let mut legs = LegSet::default();
        let operator = p.operator.clone().unwrap_or_default();
        let src = legs.add_source(ctx.sha, ctx.run, &operator);
        Self {
            p,
            event_type: need("event_type"),
            direction: col(layout, "direction"),
            served: need("served"),
            other: col(layout, "other"),
            imsi: col(layout, "imsi"),
            imei: col(layout, "imei"),
            start,
            start_time,
            duration: need("duration"),
            cells: [
                CellCols::new(layout, "first"),
                CellCols::new(layout, "last"),
            ],
            dt: DtParser::new(p.datetime_format.as_deref().unwrap_or("%Y-%m-%dT%H:%M:%SZ")),
            clock: Clock::new(p.timezone),
            joined: String::new(),
            cell_text: [String::new(), String::new()],
            src,
            folds: 0,
            legs,
            b: RecordsBuilder::new(operator),
        }
    }

    fn row(&mut self, f: &Fields<'_>, row: u64) -> Result<(), RowErr> {
        // Time first: the overlap rule needs every resolvable row's instant in file order.
        let time_text = match self.start_time {
            None => f.get(self.start),
            Some(t) => {
                self.joined.clear();
                self.joined.push_str(f.get(self.start));
                self.joined.push(' ');
                self.joined.push_str(f.get(t));
                &self.joined
            }
        };
        let field = if self.start_time.is_some() {
            "start_date"
        } else {
            "start"
        };
        let parsed = self.dt.parse(time_text).map_err(|e| err(field, e))?;
        let (start, note) = self.clock.resolve(parsed).map_err(|e| err(field, e))?;

        let raw_type = f.get(self.event_type);
        let (kind, dir) = lookup(&self.p.event_types, raw_type)
            .copied()
            .ok_or_else(|| {
                let mut known: Vec<&str> = self.p.event_types.keys().map(String::as_str).collect();
                known.sort_unstable();
                err(
                    "event_type",
                    format!(
                        "unknown event type {raw_type:?}; expected one of {}",
                        known.join(", ")
                    ),
                )
            })?;
        let dir = match dir {
            Some(d) => d,
            None => {
                let raw = self.direction.map(|i| f.get(i)).unwrap_or_default();
                *lookup(&self.p.directions, raw).ok_or_else(|| {
                    let mut known: Vec<&str> =
                        self.p.directions.keys().map(String::as_str).collect();
                    known.sort_unstable();
                    err(
                        "direction",
                        format!(
                            "unknown direction {raw:?}; expected one of {}",
                            known.join(", ")
                        ),
                    )
                })?
            }
        };
        let served = self
            .p
            .number_format
            .normalise(f.get(self.served))
            .map_err(|e| err("served", format!("served party: {e}")))?;
        let other = match f.opt(self.other) {
            Some(o) => Some(
                self.p
                    .number_format
                    .normalise(o)
                    .map_err(|e| err("other", format!("other party: {e}")))?,
            ),
            None if kind != EventKind::Data => {
                return Err(err(
                    "other",
                    format!("other party is empty, but a {kind} record needs one"),
                ));
            }
            None => None,
        };
        let imsi = id_digits(f.opt(self.imsi), 6..=15, "imsi", "IMSI")?;
        let imei = id_digits(f.opt(self.imei), 14..=16, "imei", "IMEI")?;
        let duration = parse_duration(f.get(self.duration), self.p.duration_format)
            .map_err(|e| err("duration", e))?;
        let mut has_cell = [false; 2];
        for (i, name) in [(0, "first_cell"), (1, "last_cell")] {
            if let Some(id) = cell(f, &self.cells[i], self.p.network).map_err(|e| err(name, e))? {
                self.cell_text[i].clear();
                id.push_to(&mut self.cell_text[i]);
                has_cell[i] = true;
            }
        }
        let cells = [0, 1].map(|i| has_cell[i].then_some(self.cell_text[i].as_str()));

        if note != TimeNote::Exact {
            self.folds += 1;
        }
        let outgoing = dir == Direction::Outgoing;
        self.b.push(
            kind,
            dir,
            served.as_str(),
            other.as_ref().map(Msisdn::as_str),
            imsi,
            imei,
            start,
            duration,
            cells,
            note,
            row,
        );
        self.legs.push(LegText {
            kind,
            outgoing,
            served: served.as_str(),
            other: other.as_ref().map(Msisdn::as_str),
            imsi,
            imei,
            first_cell: cells[0],
            last_cell: cells[1],
            start,
            duration,
            note,
            src: self.src,
            row,
        });
        Ok(())
    }
}

/// Exact match first, then case-insensitive (operators are inconsistent about case).
fn lookup<'m, V>(map: &'m std::collections::HashMap<String, V>, raw: &str) -> Option<&'m V> {
    map.get(raw).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(raw))
            .map(|(_, v)| v)
    })
}

/// IMSI/IMEI: kept as digit strings; empty means not captured.
fn id_digits<'a>(
    s: Option<&'a str>,
    len: std::ops::RangeInclusive<usize>,
    field: &'static str,
    what: &str,
) -> Result<Option<&'a str>, RowErr> {
    let Some(s) = s else { return Ok(None) };
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err(
            field,
            format!("{what} {s:?} contains characters that are not digits"),
        ));
    }
    if !len.contains(&s.len()) {
        return Err(err(
            field,
            format!(
                "{what} {s:?} has {} digits; expected {} to {}",
                s.len(),
                len.start(),
                len.end()
            ),
        ));
    }
    Ok(Some(s))
}

fn cell(
    f: &Fields<'_>,
    c: &CellCols,
    network: Option<(u16, u16)>,
) -> Result<Option<GlobalCellId>, String> {
    let num = |s: &str, what: &str| {
        s.parse::<u32>()
            .map_err(|_| format!("{what} {s:?} is not a number"))
    };
    match c {
        CellCols::None => Ok(None),
        CellCols::Full(i) => {
            let s = f.get(*i);
            if s.is_empty() {
                return Ok(None);
            }
            let parts = s.split(['-', '/', ':', '.']).count();
            if parts == 2 {
                let (mcc, mnc) = network.ok_or_else(|| {
                    format!("cell {s:?} has no MCC-MNC and the profile sets no network")
                })?;
                let (lac, ci) = s.split_once(['-', '/', ':', '.']).expect("two parts");
                return Ok(Some(GlobalCellId::local(
                    mcc,
                    mnc,
                    num(lac, "LAC")?,
                    num(ci, "CI")?,
                )));
            }
            s.parse::<GlobalCellId>()
                .map(Some)
                .map_err(|e| e.to_string())
        }
        CellCols::LacCi(l, ci) => match (f.get(*l), f.get(*ci)) {
            ("", "") => Ok(None),
            ("", _) | (_, "") => Err("one of LAC and CI is empty; give both or neither".into()),
            (l, ci) => {
                let (mcc, mnc) = network.ok_or("the profile sets no network for LAC/CI cells")?;
                Ok(Some(GlobalCellId::local(
                    mcc,
                    mnc,
                    num(l, "LAC")?,
                    num(ci, "CI")?,
                )))
            }
        },
    }
}

struct RecordsBuilder {
    len: usize,
    operator: String,
    kind: StringBuilder,
    direction: StringBuilder,
    served: StringBuilder,
    other: StringBuilder,
    imsi: StringBuilder,
    imei: StringBuilder,
    start: TimestampMillisecondBuilder,
    duration: UInt32Builder,
    first_cell: StringBuilder,
    last_cell: StringBuilder,
    note: StringBuilder,
    rows: UInt64Builder,
}

impl RecordsBuilder {
    fn new(operator: String) -> Self {
        Self {
            len: 0,
            operator,
            kind: StringBuilder::new(),
            direction: StringBuilder::new(),
            served: StringBuilder::new(),
            other: StringBuilder::new(),
            imsi: StringBuilder::new(),
            imei: StringBuilder::new(),
            start: TimestampMillisecondBuilder::new(),
            duration: UInt32Builder::new(),
            first_cell: StringBuilder::new(),
            last_cell: StringBuilder::new(),
            note: StringBuilder::new(),
            rows: UInt64Builder::new(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: EventKind,
        dir: Direction,
        served: &str,
        other: Option<&str>,
        imsi: Option<&str>,
        imei: Option<&str>,
        start: i64,
        duration: u32,
        cells: [Option<&str>; 2],
        note: TimeNote,
        row: u64,
    ) {
        self.kind.append_value(kind.as_str());
        self.direction.append_value(dir.as_str());
        self.served.append_value(served);
        self.other.append_option(other);
        self.imsi.append_option(imsi);
        self.imei.append_option(imei);
        self.start.append_value(start * 1000);
        self.duration.append_value(duration);
        self.first_cell.append_option(cells[0]);
        self.last_cell.append_option(cells[1]);
        self.note.append_value(note.as_str());
        self.rows.append_value(row);
        self.len += 1;
    }

    fn finish(&mut self, ctx: &FileCtx<'_>) -> Result<RecordBatch, IngestError> {
        let n = self.len;
        let mut op = StringBuilder::with_capacity(n, n * self.operator.len());
        for _ in 0..n {
            op.append_value(&self.operator);
        }
        let mut cols: Vec<ArrayRef> = vec![
            Arc::new(self.kind.finish()),
            Arc::new(self.direction.finish()),
            Arc::new(self.served.finish()),
            Arc::new(self.other.finish()),
            Arc::new(self.imsi.finish()),
            Arc::new(self.imei.finish()),
            Arc::new(self.start.finish().with_timezone("UTC")),
            Arc::new(self.duration.finish()),
            Arc::new(self.first_cell.finish()),
            Arc::new(self.last_cell.finish()),
            Arc::new(op.finish()),
            Arc::new(self.note.finish()),
        ];
        provenance(ctx, &mut self.rows, n, &mut cols);
        self.len = 0;
        batch(&schema::RECORDS, cols)
    }
}

#[derive(Default)]
struct QuarantineBuilder {
    len: usize,
    path: StringBuilder,
    field: StringBuilder,
    reason: StringBuilder,
    raw: StringBuilder,
    rows: UInt64Builder,
}

impl QuarantineBuilder {
    fn push(&mut self, ctx: &FileCtx<'_>, row: u64, field: Option<&str>, reason: &str, raw: &str) {
        self.path.append_value(ctx.path);
        self.field.append_option(field);
        self.reason.append_value(reason);
        self.raw.append_value(raw);
        self.rows.append_value(row);
        self.len += 1;
    }

    fn finish(&mut self, ctx: &FileCtx<'_>) -> Result<RecordBatch, IngestError> {
        let n = self.len;
        let mut cols: Vec<ArrayRef> = vec![
            Arc::new(self.path.finish()),
            Arc::new(self.field.finish()),
            Arc::new(self.reason.finish()),
            Arc::new(self.raw.finish()),
        ];
        provenance(ctx, &mut self.rows, n, &mut cols);
        self.len = 0;
        batch(&schema::QUARANTINE, cols)
    }
}

struct CellsParser<'p> {
    p: &'p Profile,
    len: usize,
    idx: [Option<usize>; 8],
    id_text: String,
    cell_id: StringBuilder,
    operator: StringBuilder,
    lat: Float64Builder,
    lon: Float64Builder,
    azimuth: UInt16Builder,
    beamwidth: UInt16Builder,
    valid_from: Date32Builder,
    valid_to: Date32Builder,
    rows: UInt64Builder,
}

const CELL_COLS: [&str; 8] = [
    "cell_id",
    "operator",
    "lat",
    "lon",
    "azimuth",
    "beamwidth",
    "valid_from",
    "valid_to",
];

impl<'p> CellsParser<'p> {
    fn new(layout: &Layout<'p>) -> Self {
        Self {
            p: layout.profile,
            len: 0,
            idx: CELL_COLS.map(|c| col(layout, c)),
            id_text: String::new(),
            cell_id: StringBuilder::new(),
            operator: StringBuilder::new(),
            lat: Float64Builder::new(),
            lon: Float64Builder::new(),
            azimuth: UInt16Builder::new(),
            beamwidth: UInt16Builder::new(),
            valid_from: Date32Builder::new(),
            valid_to: Date32Builder::new(),
            rows: UInt64Builder::new(),
        }
    }

    fn row(&mut self, f: &Fields<'_>, row: u64) -> Result<(), RowErr> {
        let get = |i: usize| self.idx[i].map(|c| f.get(c)).unwrap_or_default();
        let id = cell(
            f,
            &CellCols::Full(self.idx[0].expect("required")),
            self.p.network,
        )
        .map_err(|e| err("cell_id", e))?
        .ok_or_else(|| err("cell_id", "cell id is empty".into()))?;
        let operator = match get(1) {
            "" => self
                .p
                .operator
                .as_deref()
                .ok_or_else(|| err("operator", "operator is empty".into()))?,
            o => o,
        };
        let float = |i: usize,
                     name: &'static str,
                     range: std::ops::RangeInclusive<f64>|
         -> Result<f64, RowErr> {
            let s = get(i);
            match s.parse::<f64>() {
                Ok(v) if range.contains(&v) => Ok(v),
                _ => Err(err(
                    name,
                    format!(
                        "{name} {s:?} is not a number in {} to {}",
                        range.start(),
                        range.end()
                    ),
                )),
            }
        };
        let lat = float(2, "lat", -90.0..=90.0)?;
        let lon = float(3, "lon", -180.0..=180.0)?;
        let deg = |i: usize, name: &'static str, lo: u16| -> Result<u16, RowErr> {
            let s = get(i);
            match s.parse::<u16>() {
                Ok(v) if (lo..=360).contains(&v) => Ok(v),
                _ => Err(err(
                    name,
                    format!("{name} {s:?} is not a whole number of degrees in {lo} to 360"),
                )),
            }
        };
        let azimuth = deg(4, "azimuth", 0)?;
        let beamwidth = deg(5, "beamwidth", 1)?;
        let fmt = &self.p.date_format;
        let valid_from = parse_date(get(6), fmt).map_err(|e| err("valid_from", e))?;
        let valid_to = match get(7) {
            "" => None,
            s => Some(parse_date(s, fmt).map_err(|e| err("valid_to", e))?),
        };
        self.id_text.clear();
        let _ = write!(self.id_text, "{id}");
        self.cell_id.append_value(&self.id_text);
        self.operator.append_value(operator);
        self.lat.append_value(lat);
        self.lon.append_value(lon);
        self.azimuth.append_value(azimuth);
        self.beamwidth.append_value(beamwidth);
        self.valid_from.append_value(valid_from);
        self.valid_to.append_option(valid_to);
        self.rows.append_value(row);
        self.len += 1;
        Ok(())
    }

    fn finish(&mut self, ctx: &FileCtx<'_>) -> Result<RecordBatch, IngestError> {
        let n = self.len;
        let mut cols: Vec<ArrayRef> = vec![
            Arc::new(self.cell_id.finish()),
            Arc::new(self.operator.finish()),
            Arc::new(self.lat.finish()),
            Arc::new(self.lon.finish()),
            Arc::new(self.azimuth.finish()),
            Arc::new(self.beamwidth.finish()),
            Arc::new(self.valid_from.finish()),
            Arc::new(self.valid_to.finish()),
        ];
        provenance(ctx, &mut self.rows, n, &mut cols);
        self.len = 0;
        batch(&schema::CELLS, cols)
    }
}

struct SubsParser<'p> {
    p: &'p Profile,
    len: usize,
    idx: [Option<usize>; 7],
    number: StringBuilder,
    operator: StringBuilder,
    payg: BooleanBuilder,
    activation: Date32Builder,
    name: StringBuilder,
    address: StringBuilder,
    dob: Date32Builder,
    rows: UInt64Builder,
}

const SUB_COLS: [&str; 7] = [
    "number",
    "operator",
    "account_type",
    "activation_date",
    "registered_name",
    "registered_address",
    "date_of_birth",
];

impl<'p> SubsParser<'p> {
    fn new(layout: &Layout<'p>) -> Self {
        Self {
            p: layout.profile,
            len: 0,
            idx: SUB_COLS.map(|c| col(layout, c)),
            number: StringBuilder::new(),
            operator: StringBuilder::new(),
            payg: BooleanBuilder::new(),
            activation: Date32Builder::new(),
            name: StringBuilder::new(),
            address: StringBuilder::new(),
            dob: Date32Builder::new(),
            rows: UInt64Builder::new(),
        }
    }

    fn row(&mut self, f: &Fields<'_>, row: u64) -> Result<(), RowErr> {
        let get = |i: usize| self.idx[i].map(|c| f.get(c)).unwrap_or_default();
        let number =
            Msisdn::normalise(get(0)).map_err(|e| err("number", format!("number: {e}")))?;
        let operator = match get(1) {
            "" => self
                .p
                .operator
                .as_deref()
                .ok_or_else(|| err("operator", "operator is empty".into()))?,
            o => o,
        };
        let raw_type = get(2);
        let payg = *lookup(&self.p.payg_values, raw_type).ok_or_else(|| {
            let mut known: Vec<&str> = self.p.payg_values.keys().map(String::as_str).collect();
            known.sort_unstable();
            err(
                "account_type",
                format!(
                    "unknown account type {raw_type:?}; expected one of {}",
                    known.join(", ")
                ),
            )
        })?;
        let fmt = &self.p.date_format;
        let date = |i: usize, name: &'static str| -> Result<Option<i32>, RowErr> {
            match get(i) {
                "" => Ok(None),
                s => parse_date(s, fmt).map(Some).map_err(|e| err(name, e)),
            }
        };
        let activation = date(3, "activation_date")?;
        let dob = date(6, "date_of_birth")?;
        let text = |i: usize| Some(get(i)).filter(|s| !s.is_empty());
        self.number.append_value(number.as_str());
        self.operator.append_value(operator);
        self.payg.append_value(payg);
        self.activation.append_option(activation);
        self.name.append_option(text(4));
        self.address.append_option(text(5));
        self.dob.append_option(dob);
        self.rows.append_value(row);
        self.len += 1;
        Ok(())
    }

    fn finish(&mut self, ctx: &FileCtx<'_>) -> Result<RecordBatch, IngestError> {
        let n = self.len;
        let mut cols: Vec<ArrayRef> = vec![
            Arc::new(self.number.finish()),
            Arc::new(self.operator.finish()),
            Arc::new(self.payg.finish()),
            Arc::new(self.activation.finish()),
            Arc::new(self.name.finish()),
            Arc::new(self.address.finish()),
            Arc::new(self.dob.finish()),
        ];
        provenance(ctx, &mut self.rows, n, &mut cols);
        self.len = 0;
        batch(&schema::SUBSCRIBERS, cols)
    }
}
