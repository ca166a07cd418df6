//! Lossless, explainable, atomic ingest of operator exports, cell lists and subscriber
//! checks into a linesight case store.
//!
//! - **Lossless**: every data row is either stored (normalised, with file hash and row) or
//!   quarantined with the field and the reason; nothing is dropped.
//! - **Explainable**: profiles are declarative TOML ([`profile`]); detection, refusals
//!   and quarantine reasons say what was expected.
//! - **Atomic**: a run commits through [`linesight_store`]'s manifest swap, or not at all.
//! - **Idempotent**: files are identified by the SHA-256 of their bytes; a file already in
//!   the case is skipped.
//!
//! See `docs/ingest.md` for the rules in full.

mod detect;
pub mod duration;
pub mod fuzzing;
mod merge;
mod parse;
pub mod profile;
mod timeparse;

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use arrow_array::RecordBatch;
use linesight_model::progress::{Progress, Unit};
use linesight_model::schema::table;
use linesight_model::{FileHash, RunId};
use linesight_store::{CaseStore, FileEntry, RunMeta, RunTxn, StoreError, TableWriter};
use sha2::{Digest, Sha256};

pub use merge::MERGE_TOLERANCE_S;
pub use profile::{
    NumberFormat, Profile, ProfileError, ProfileKind, builtin_profiles, load_profiles,
};
pub use timeparse::FOLD_LOOKBACK_S;

use crate::detect::{DetectError, Layout, detect};
use crate::merge::LegSet;
use crate::parse::{FileCtx, Outcome, Sink};

/// Options for [`ingest`].
#[derive(Clone, Debug, Default)]
pub struct IngestOptions {
    /// Folders (or single files) of extra profiles, added to the built-in ones.
    pub extra_profile_dirs: Vec<PathBuf>,
    /// The run's id; generated from the clock when `None`.
    pub run_id: Option<RunId>,
    /// Test hook: sleep after all data is staged and before the manifest swap, so a test
    /// can kill the process mid-run.
    pub pause_before_commit: Option<Duration>,
    /// Worker threads for hashing and parsing (0 = all cores).
    pub threads: usize,
}

/// What happened to one input file.
#[derive(Clone, Debug, serde::Serialize)]
pub struct FileSummary {
    /// The path as given.
    pub path: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// Profile that read it.
    pub profile: String,
    /// `events`, `cells` or `subscribers`.
    pub kind: String,
    /// Data rows read.
    pub rows_read: u64,
    /// Rows stored (records, cells or subscribers).
    pub records_stored: u64,
    /// Rows quarantined.
    pub quarantined: u64,
    /// Why the file was skipped, if it was (already ingested, or repeated in this run).
    pub skipped_reason: Option<String>,
}

/// The outcome of a run.
#[derive(Clone, Debug, serde::Serialize)]
pub struct IngestSummary {
    /// The run id (recorded in the manifest only when something new was ingested).
    pub run_id: String,
    /// Every input file, in input order.
    pub files: Vec<FileSummary>,
    /// Data rows read in this run.
    pub rows_read: u64,
    /// Records stored in this run.
    pub records_stored: u64,
    /// Events live in the case after the run.
    pub events_stored: u64,
    /// Events of those made of two merged reports.
    pub duplicates_merged: u64,
    /// Rows quarantined in this run.
    pub rows_quarantined: u64,
    /// Input files skipped.
    pub files_skipped: u64,
    /// Cells stored in this run.
    pub cells_stored: u64,
    /// Subscriber rows stored in this run.
    pub subscribers_stored: u64,
    /// Records of this run whose local time fell in a clock-change overlap and was
    /// resolved by file order.
    pub dst_fold_resolved: u64,
    /// Wall time of the run.
    pub elapsed_ms: u64,
    /// Wall time of each stage in milliseconds (`hash`, `parse`, `merge`, `commit`), to
    /// show where the time goes.
    pub stage_ms: Vec<(String, u64)>,
}

/// Why a run was refused. Nothing is committed when any of these is returned.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// A profile is invalid.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// The case store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An input path does not exist or cannot be listed.
    #[error("cannot read input {path}: {message}")]
    Input {
        /// The path.
        path: String,
        /// What went wrong and what to do.
        message: String,
    },
    /// Reading a file failed part-way.
    #[error("error reading {path}: {source}; check the disk or copy the file locally and retry")]
    Read {
        /// The file.
        path: String,
        /// Underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The file is empty or has no header line.
    #[error(
        "{path}: the file is empty or has no header line; nothing was ingested. Check that it is the complete export"
    )]
    Empty {
        /// The file.
        path: String,
    },
    /// The file is not UTF-8 text.
    #[error("{path}: row 0 (header): {message}")]
    Encoding {
        /// The file.
        path: String,
        /// What was found and how to convert it.
        message: String,
    },
    /// The header matches no profile.
    #[error(
        "{path}: the header matches no profile; nothing was ingested. Candidates and the columns each expected but did not find:\n  - {}\nFix the header, or add a profile for this layout (see docs/ingest.md)",
        candidates.join("\n  - ")
    )]
    NoProfile {
        /// The file.
        path: String,
        /// One line per profile: its name and the missing columns.
        candidates: Vec<String>,
    },
    /// The records already in the case could not be read back for merging.
    #[error(
        "the case's records table is not as expected ({detail}); the case may have been edited by hand"
    )]
    CorruptStore {
        /// What was wrong.
        detail: String,
    },
    /// An internal invariant failed (a bug): please report it with the input.
    #[error("internal error: {detail}; please report this with the input file")]
    Internal {
        /// What failed.
        detail: String,
    },
}

struct Input {
    path: PathBuf,
    shown: String,
    bytes: u64,
    sha: String,
    header: Vec<u8>,
}

/// Ingests files and folders into the case at `case_dir` (created if needed) as one run.
/// Either the whole run commits or the case is left exactly as it was.
pub fn ingest(
    case_dir: &Path,
    inputs: &[PathBuf],
    opts: &IngestOptions,
    progress: &dyn Progress,
) -> Result<IngestSummary, IngestError> {
    let began = Instant::now();
    let mut stages = StageClock::new();
    let started = now_rfc3339();
    let profiles = load_profiles(&opts.extra_profile_dirs)?;
    let run_id = opts.run_id.clone().unwrap_or_else(generate_run_id);
    let threads = match opts.threads {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    };

    let paths = expand_inputs(inputs)?;
    let total: u64 = paths.iter().map(|(_, b)| *b).sum();
    progress.stage("hashing", Some(total), Unit::Bytes);
    let hashed = parallel_map(&paths, threads, |(p, bytes)| hash_file(p, *bytes, progress))?;
    stages.lap("hash");

    // Refuse unreadable files before touching the case.
    let mut layouts = Vec::with_capacity(hashed.len());
    for input in &hashed {
        let layout = detect(&input.header, &profiles).map_err(|e| match e {
            DetectError::Encoding(message) => IngestError::Encoding {
                path: input.shown.clone(),
                message,
            },
            DetectError::Empty => IngestError::Empty {
                path: input.shown.clone(),
            },
            DetectError::NoMatch(candidates) => IngestError::NoProfile {
                path: input.shown.clone(),
                candidates,
            },
        })?;
        layouts.push(layout);
    }

    let mut store = CaseStore::create_or_open(case_dir)?;
    let mut files: Vec<FileSummary> = Vec::with_capacity(hashed.len());
    let mut todo = Vec::new();
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for (i, (input, layout)) in hashed.iter().zip(&layouts).enumerate() {
        let existing = store
            .manifest()
            .files()
            .find(|(_, f)| f.sha256 == input.sha)
            .map(|(r, f)| (r.run_id.clone(), f.path.clone()));
        let skipped_reason = if let Some((run, path)) = existing {
            Some(format!("already ingested by run {run} (as {path})"))
        } else if let Some(first) = seen.get(input.sha.as_str()) {
            Some(format!("same content as {first}, earlier in this run"))
        } else {
            seen.insert(&input.sha, &input.shown);
            todo.push(i);
            None
        };
        files.push(FileSummary {
            path: input.shown.clone(),
            sha256: input.sha.clone(),
            profile: layout.profile.name.clone(),
            kind: layout.profile.kind.as_str().into(),
            rows_read: 0,
            records_stored: 0,
            quarantined: 0,
            skipped_reason,
        });
    }

    let mut summary = IngestSummary {
        run_id: run_id.0.clone(),
        files_skipped: (hashed.len() - todo.len()) as u64,
        files,
        rows_read: 0,
        records_stored: 0,
        events_stored: store.table_rows(table::EVENTS)?,
        duplicates_merged: 0,
        rows_quarantined: 0,
        cells_stored: 0,
        subscribers_stored: 0,
        dst_fold_resolved: 0,
        elapsed_ms: 0,
        stage_ms: Vec::new(),
    };
    if todo.is_empty() {
        // Nothing new: no run is recorded, so re-ingesting leaves the case untouched.
        summary.duplicates_merged = count_two_leg(&store)?;
        summary.elapsed_ms = began.elapsed().as_millis() as u64;
        return Ok(summary);
    }

    let mut txn = store.begin_run(run_id.clone())?;
    let parse_total: u64 = todo.iter().map(|&i| hashed[i].bytes).sum();
    progress.stage("parsing", Some(parse_total), Unit::Bytes);
    let outcomes = {
        // Open every file's writers up front, in input order, so part files (and so table
        // order in the manifest) do not depend on which thread started first.
        let mut jobs = Vec::with_capacity(todo.len());
        for &i in &todo {
            let main = match layouts[i].profile.kind {
                ProfileKind::Events => table::RECORDS,
                ProfileKind::Cells => table::CELLS,
                ProfileKind::Subscribers => table::SUBSCRIBERS,
            };
            let writers = vec![
                (main, txn.writer(main)?),
                (table::QUARANTINE, txn.writer(table::QUARANTINE)?),
            ];
            jobs.push((i, Mutex::new(Some(writers))));
        }
        let txn_ref = &txn;
        parallel_map(&jobs, threads, |(i, writers)| {
            let writers = writers
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take()
                .unwrap_or_default();
            let sink = StoreSink {
                txn: txn_ref,
                writers,
            };
            parse_one(&hashed[*i], &layouts[*i], sink, &run_id, progress)
        })?
    };

    stages.lap("parse");
    let mut new_legs = LegSet::default();
    let mut any_events = false;
    for (&i, out) in todo.iter().zip(outcomes) {
        let input = &hashed[i];
        let layout = &layouts[i];
        let fs = &mut summary.files[i];
        fs.rows_read = out.rows_read;
        fs.records_stored = out.stored;
        fs.quarantined = out.quarantined;
        summary.rows_read += out.rows_read;
        summary.rows_quarantined += out.quarantined;
        summary.dst_fold_resolved += out.folds;
        match layout.profile.kind {
            ProfileKind::Events => {
                summary.records_stored += out.stored;
                any_events = true;
                new_legs.absorb(out.legs);
            }
            ProfileKind::Cells => summary.cells_stored += out.stored,
            ProfileKind::Subscribers => summary.subscribers_stored += out.stored,
        }
        txn.record_file(FileEntry {
            path: input.shown.clone(),
            sha256: input.sha.clone(),
            bytes: input.bytes,
            profile: layout.profile.name.clone(),
            kind: layout.profile.kind.as_str().into(),
            rows_read: out.rows_read,
            records: out.stored,
            quarantined: out.quarantined,
        });
    }

    if any_events {
        // Rebuild events from every record in the case, so reports of one call ingested
        // in different runs still merge.
        progress.stage("merging", None, Unit::Rows);
        let mut legs = LegSet::default();
        for batch in txn.store().scan_table(table::RECORDS)? {
            legs.add_records_batch(&batch?)?;
        }
        legs.absorb(new_legs);
        let paired = merge::pair_legs(&mut legs, MERGE_TOLERANCE_S);
        // Encoding Parquet dominates this stage: split the time-ordered events into one
        // file per thread. Writers are opened in order so the parts stay in time order.
        // Small cases keep one file; large ones get one part per thread.
        let parts = threads.clamp(1, paired.events.len().div_ceil(EVENTS_PER_PART_MIN).max(1));
        let chunk = paired.events.len().div_ceil(parts).max(1);
        let writers = paired
            .events
            .chunks(chunk)
            .map(|part| Ok((part, txn.writer(table::EVENTS)?)))
            .collect::<Result<Vec<_>, IngestError>>()?;
        let legs = &legs;
        std::thread::scope(|s| {
            let handles: Vec<_> = writers
                .into_iter()
                .map(|(part, mut writer)| {
                    s.spawn(move || {
                        merge::write_events(legs, part, |b| {
                            progress.advance(b.num_rows() as u64);
                            writer.write(&b).map_err(IngestError::from)
                        })?;
                        writer.finish().map_err(IngestError::from)
                    })
                })
                .collect();
            handles.into_iter().try_for_each(|h| {
                h.join()
                    .map_err(|_| IngestError::Internal {
                        detail: "an events writer thread panicked".into(),
                    })?
                    .map(|_| ())
            })
        })?;
        let stats = paired.stats;
        txn.replace_table(table::EVENTS)?;
        summary.events_stored = stats.events;
        summary.duplicates_merged = stats.two_leg;
    } else {
        summary.duplicates_merged = count_two_leg(txn.store())?;
    }

    stages.lap("merge");
    if let Some(pause) = opts.pause_before_commit {
        std::thread::sleep(pause);
    }
    txn.commit(RunMeta {
        started,
        finished: now_rfc3339(),
    })?;
    stages.lap("commit");
    summary.stage_ms = stages.laps;
    summary.elapsed_ms = began.elapsed().as_millis() as u64;
    Ok(summary)
}

/// Fewest events worth a Parquet file (and a thread) of their own when writing events.
const EVENTS_PER_PART_MIN: usize = 1 << 20;

/// Wall time between successive points of a run.
struct StageClock {
    last: Instant,
    laps: Vec<(String, u64)>,
}

impl StageClock {
    fn new() -> Self {
        Self {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, name: &str) {
        let now = Instant::now();
        let ms = now.duration_since(self.last).as_millis() as u64;
        self.laps.push((name.to_owned(), ms));
        self.last = now;
    }
}

/// Two-leg events currently live (for a summary when events were not rebuilt).
fn count_two_leg(store: &CaseStore) -> Result<u64, IngestError> {
    let mut n = 0;
    for batch in store.scan_table(table::EVENTS)? {
        let batch = batch?;
        if let Some(legs) = batch
            .column_by_name("legs")
            .and_then(|c| c.as_any().downcast_ref::<arrow_array::UInt8Array>())
        {
            n += legs.iter().filter(|l| *l == Some(2)).count() as u64;
        }
    }
    Ok(n)
}

/// Writes a file's batches to lazily opened table writers of the run.
struct StoreSink<'t, 'a> {
    txn: &'t RunTxn<'a>,
    writers: Vec<(&'static str, TableWriter)>,
}

impl Sink for StoreSink<'_, '_> {
    fn put(&mut self, table: &'static str, batch: RecordBatch) -> Result<(), IngestError> {
        let pos = match self.writers.iter().position(|(t, _)| *t == table) {
            Some(p) => p,
            None => {
                self.writers.push((table, self.txn.writer(table)?));
                self.writers.len() - 1
            }
        };
        self.writers[pos].1.write(&batch)?;
        Ok(())
    }
}

fn parse_one(
    input: &Input,
    layout: &Layout<'_>,
    mut sink: StoreSink<'_, '_>,
    run: &RunId,
    progress: &dyn Progress,
) -> Result<Outcome, IngestError> {
    let file = File::open(&input.path).map_err(|source| IngestError::Read {
        path: input.shown.clone(),
        source,
    })?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    // Skip a UTF-8 byte-order mark so it is not part of the header line.
    if reader
        .fill_buf()
        .map_err(|source| IngestError::Read {
            path: input.shown.clone(),
            source,
        })?
        .starts_with(b"\xEF\xBB\xBF")
    {
        reader.consume(3);
    }
    let ctx = FileCtx {
        path: &input.shown,
        sha: &input.sha,
        run: &run.0,
    };
    let out = parse::parse_file(reader, layout, &ctx, &mut sink, progress)?;
    for (_, w) in sink.writers {
        w.finish()?;
    }
    Ok(out)
}

/// Runs `f` over `items` on up to `threads` threads, results in input order; the first
/// error wins.
fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> Result<R, IngestError> + Sync,
) -> Result<Vec<R>, IngestError> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<R, IngestError>>>> =
        Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..threads.clamp(1, items.len().max(1)) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= items.len() {
                        break;
                    }
                    let r = f(&items[i]);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|| {
                Err(IngestError::Internal {
                    detail: "a worker did not finish".into(),
                })
            })
        })
        .collect()
}

/// Files and folders → files (folders recursed, sorted, hidden entries skipped), with sizes.
fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<(PathBuf, u64)>, IngestError> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, u64)>) -> Result<(), IngestError> {
        let bad = |e: std::io::Error| IngestError::Input {
            path: dir.display().to_string(),
            message: e.to_string(),
        };
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(bad)?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .map_err(bad)?;
        entries.sort();
        for p in entries {
            if p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                continue;
            }
            if p.is_dir() {
                walk(&p, out)?;
            } else {
                let len = p.metadata().map_err(bad)?.len();
                out.push((p, len));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for p in inputs {
        let meta = std::fs::metadata(p).map_err(|e| IngestError::Input {
            path: p.display().to_string(),
            message: format!("{e}; check the path"),
        })?;
        if meta.is_dir() {
            walk(p, &mut out)?;
        } else {
            out.push((p.clone(), meta.len()));
        }
    }
    if out.is_empty() {
        return Err(IngestError::Input {
            path: inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            message: "no files found".into(),
        });
    }
    Ok(out)
}

/// Hashes a file and keeps its first line for detection.
fn hash_file(path: &Path, bytes: u64, progress: &dyn Progress) -> Result<Input, IngestError> {
    let shown = path.display().to_string();
    let io = |source| IngestError::Read {
        path: shown.clone(),
        source,
    };
    let mut f = File::open(path).map_err(io)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut header = Vec::new();
    let mut header_done = false;
    loop {
        let n = f.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        if !header_done {
            match buf[..n].iter().position(|&b| b == b'\n') {
                Some(p) => {
                    header.extend_from_slice(&buf[..=p]);
                    header_done = true;
                }
                None if header.len() < (1 << 20) => header.extend_from_slice(&buf[..n]),
                None => header_done = true,
            }
        }
        progress.advance(n as u64);
    }
    let sha = FileHash(hasher.finalize().into()).to_hex();
    Ok(Input {
        path: path.to_owned(),
        shown,
        bytes,
        sha,
        header,
    })
}

fn now_rfc3339() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// `run-YYYYMMDDTHHMMSSZ-xxxx`, the suffix from the clock's nanoseconds and the pid.
fn generate_run_id() -> RunId {
    let now = chrono::Utc::now();
    let salt = (now.timestamp_subsec_nanos() ^ std::process::id().rotate_left(16)) & 0xffff;
    RunId(format!("run-{}-{salt:04x}", now.format("%Y%m%dT%H%M%SZ")))
}
