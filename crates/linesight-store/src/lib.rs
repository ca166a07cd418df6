//! The linesight case store: a case is a folder of Parquet tables under a manifest.
//!
//! ```text
//! <case>/manifest.json                         what is live (the only thing readers trust)
//! <case>/tables/<table>/<run>/part-N.parquet   table data, one folder per run
//! <case>/.staging/<run>/…                      a run being written (never read)
//! <case>/.lock                                 the writer's pid while a writer is open
//! ```
//!
//! A run ([`RunTxn`]) writes into `.staging/<run>/`, fsyncs its files, renames its folders
//! into `tables/`, and only then replaces `manifest.json` (write `manifest.json.tmp`, fsync,
//! rename, fsync the folder). A process killed at any point leaves the previous manifest in
//! force; the files it left behind are not listed there, so no reader sees them, and the
//! next writer sweeps them away. Files replaced by a commit (the rebuilt `events` table)
//! are deleted only after the new manifest is durable.
//!
//! This crate knows nothing of CSV or profiles: it stores Arrow record batches under the
//! schemas of [`linesight_model::schema`].

mod lock;
mod manifest;

use std::collections::{BTreeSet, HashMap};
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use linesight_model::{FileHash, RunId, schema};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::Compression;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::schema::types::ColumnPath;

pub use manifest::{FORMAT_VERSION, FileEntry, Manifest, RunEntry, RunMeta};

use crate::lock::WriterLock;

/// Parquet settings for every table.
///
/// Min/max statistics are kept only for time and numeric columns, where they let a scan skip
/// row groups by period; on text columns (numbers, IMEIs, hashes) they cost a byte
/// comparison per value on write and prune nothing. Dictionary encoding stays on: those
/// columns repeat heavily (a number appears in every event of its owner).
fn writer_properties(schema: &arrow_schema::Schema) -> WriterProperties {
    let mut b = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .set_statistics_enabled(EnabledStatistics::None);
    for field in schema.fields() {
        if !matches!(field.data_type(), arrow_schema::DataType::Utf8) {
            b = b.set_column_statistics_enabled(
                ColumnPath::from(field.name().as_str()),
                EnabledStatistics::Page,
            );
        }
    }
    b.build()
}

/// Rows per Parquet row group: large enough for good compression and scan speed, small
/// enough that a writer buffers only a few tens of megabytes.
pub const ROW_GROUP_ROWS: usize = 128 * 1024;

const MANIFEST: &str = "manifest.json";
const MANIFEST_TMP: &str = "manifest.json.tmp";
const STAGING: &str = ".staging";
const TABLES: &str = "tables";

/// Everything that can go wrong in the store. Each message names the path involved and
/// says what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file-system operation failed.
    #[error("could not {action} {}: {source}", path.display())]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// What was being done.
        action: &'static str,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// Another writer holds the case.
    #[error(
        "the case is locked by another writer (process {holder}) through {}; wait for that ingest to finish. \
         If no linesight process is running, the lock is stale: delete {} and retry",
        path.display(),
        path.display()
    )]
    Locked {
        /// The lock file.
        path: PathBuf,
        /// What the lock file says (the holder's pid).
        holder: String,
    },
    /// The folder has no manifest.
    #[error("{} is not a linesight case (no manifest.json); check the path, or ingest into it to create it", path.display())]
    NotACase {
        /// The folder.
        path: PathBuf,
    },
    /// The manifest could not be parsed.
    #[error("the case manifest {} is unreadable ({source}); it is only ever replaced atomically, so restore it from a backup", path.display())]
    BadManifest {
        /// The manifest file.
        path: PathBuf,
        /// The parse error.
        #[source]
        source: serde_json::Error,
    },
    /// The manifest was written by a newer linesight.
    #[error("the case manifest {} has format version {found}, but this linesight reads up to {supported}; upgrade linesight", path.display())]
    NewerFormat {
        /// The manifest file.
        path: PathBuf,
        /// Version found.
        found: u32,
        /// Highest version supported.
        supported: u32,
    },
    /// A write was attempted on a store opened with [`CaseStore::open_read`].
    #[error("the case at {} was opened read-only; open it with CaseStore::create_or_open to write", path.display())]
    ReadOnly {
        /// The case folder.
        path: PathBuf,
    },
    /// A table name that is not in [`linesight_model::schema`].
    #[error("unknown table {table:?} (expected records, events, quarantine, cells or subscribers)")]
    UnknownTable {
        /// The name given.
        table: String,
    },
    /// The run id is already in the manifest.
    #[error("run {run} already exists in case {}; use a new run id", path.display())]
    RunExists {
        /// The run id.
        run: String,
        /// The case folder.
        path: PathBuf,
    },
    /// The run id cannot be used as a folder name.
    #[error(
        "run id {run:?} is not usable as a folder name; use letters, digits, '.', '_' and '-' only, not starting with '.'"
    )]
    BadRunId {
        /// The run id.
        run: String,
    },
    /// Parquet could not read or write a file.
    #[error("could not {action} Parquet file {}: {source}", path.display())]
    Parquet {
        /// The Parquet file.
        path: PathBuf,
        /// What was being done.
        action: &'static str,
        /// The underlying error.
        #[source]
        source: parquet::errors::ParquetError,
    },
    /// A commit found a table writer that was never finished.
    #[error("table writer for {} was not finished before commit; call TableWriter::finish on every writer", path.display())]
    WriterNotFinished {
        /// The part file.
        path: PathBuf,
    },
}

/// An open case. Opened for writing ([`CaseStore::create_or_open`]) it holds the case's
/// writer lock until dropped; opened for reading it takes no lock.
#[derive(Debug)]
pub struct CaseStore {
    root: PathBuf,
    manifest: Manifest,
    lock: Option<WriterLock>,
}

impl CaseStore {
    /// Opens a case for writing, creating the folder and an empty manifest if needed.
    /// Takes the writer lock and sweeps away anything a killed writer left behind
    /// (staging folders, data files the manifest does not list).
    pub fn create_or_open(path: &Path) -> Result<Self, StoreError> {
        fs::create_dir_all(path).map_err(|source| StoreError::Io {
            path: path.to_owned(),
            action: "create the case folder",
            source,
        })?;
        let root = fs::canonicalize(path).map_err(|source| StoreError::Io {
            path: path.to_owned(),
            action: "resolve the case folder",
            source,
        })?;
        let lock = WriterLock::acquire(&root)?;
        let manifest_path = root.join(MANIFEST);
        let manifest = if manifest_path.exists() {
            load_manifest(&root)?
        } else {
            let case_id = root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "case".into());
            let m = Manifest::new(case_id);
            write_manifest(&root, &m)?;
            m
        };
        let store = Self {
            root,
            manifest,
            lock: Some(lock),
        };
        store.sweep()?;
        Ok(store)
    }

    /// Opens an existing case for reading. Takes no lock: a reader sees the manifest as
    /// it was at open time.
    pub fn open_read(path: &Path) -> Result<Self, StoreError> {
        let root = fs::canonicalize(path).map_err(|_| StoreError::NotACase {
            path: path.to_owned(),
        })?;
        let manifest = load_manifest(&root)?;
        Ok(Self {
            root,
            manifest,
            lock: None,
        })
    }

    /// The case folder (absolute).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The manifest in force.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Whether a source file with this content hash was ingested by a committed run.
    pub fn has_file(&self, hash: &FileHash) -> bool {
        let hex = hash.to_hex();
        self.manifest.files().any(|(_, f)| f.sha256 == hex)
    }

    /// The live Parquet files of a table, as absolute paths (empty for a table never
    /// written). This is what an engine should scan.
    pub fn table_files(&self, table: &str) -> Vec<PathBuf> {
        self.manifest
            .tables
            .get(table)
            .map(|files| files.iter().map(|rel| self.root.join(rel)).collect())
            .unwrap_or_default()
    }

    /// Reads a whole table into memory. For large tables prefer [`CaseStore::table_files`]
    /// and a streaming reader.
    pub fn read_table(&self, table: &str) -> Result<Vec<RecordBatch>, StoreError> {
        table_schema(table)?;
        let mut out = Vec::new();
        for path in self.table_files(table) {
            let perr = |action, source| StoreError::Parquet {
                path: path.clone(),
                action,
                source,
            };
            let file = File::open(&path).map_err(|source| StoreError::Io {
                path: path.clone(),
                action: "open table file",
                source,
            })?;
            let reader = ParquetRecordBatchReaderBuilder::try_new(file)
                .map_err(|e| perr("open", e))?
                .with_batch_size(64 * 1024)
                .build()
                .map_err(|e| perr("open", e))?;
            for batch in reader {
                out.push(batch.map_err(|e| perr("read", e.into()))?);
            }
        }
        Ok(out)
    }

    /// Streams a table batch by batch, file after file, without loading it whole.
    pub fn scan_table(&self, table: &str) -> Result<TableScan, StoreError> {
        table_schema(table)?;
        Ok(TableScan {
            files: self.table_files(table).into_iter(),
            current: None,
            current_path: PathBuf::new(),
        })
    }

    /// Number of rows in a table, from the Parquet footers (reads no data pages).
    pub fn table_rows(&self, table: &str) -> Result<u64, StoreError> {
        let mut n = 0u64;
        for path in self.table_files(table) {
            let file = File::open(&path).map_err(|source| StoreError::Io {
                path: path.clone(),
                action: "open table file",
                source,
            })?;
            let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|source| {
                StoreError::Parquet {
                    path: path.clone(),
                    action: "open",
                    source,
                }
            })?;
            n += u64::try_from(builder.metadata().file_metadata().num_rows()).unwrap_or(0);
        }
        Ok(n)
    }

    /// Starts a run. Nothing it writes is visible until [`RunTxn::commit`]; dropping the
    /// transaction removes what it staged.
    pub fn begin_run(&mut self, run: RunId) -> Result<RunTxn<'_>, StoreError> {
        if self.lock.is_none() {
            return Err(StoreError::ReadOnly {
                path: self.root.clone(),
            });
        }
        let ok = !run.0.is_empty()
            && !run.0.starts_with('.')
            && run
                .0
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
        if !ok {
            return Err(StoreError::BadRunId { run: run.0 });
        }
        if self.manifest.runs.iter().any(|r| r.run_id == run.0) {
            return Err(StoreError::RunExists {
                run: run.0,
                path: self.root.clone(),
            });
        }
        let staging = self.root.join(STAGING).join(&run.0);
        if staging.exists() {
            remove_dir_all(&staging)?;
        }
        create_dir(&staging)?;
        Ok(RunTxn {
            store: self,
            run,
            staging,
            registry: Arc::new(Mutex::new(Registry::default())),
            replace: BTreeSet::new(),
            files: Vec::new(),
            committed: false,
        })
    }

    /// Removes staging folders and any file under `tables/` that the manifest does not
    /// list: the leftovers of a writer killed before its manifest swap.
    fn sweep(&self) -> Result<(), StoreError> {
        let staging = self.root.join(STAGING);
        if staging.exists() {
            remove_dir_all(&staging)?;
        }
        let tmp = self.root.join(MANIFEST_TMP);
        if tmp.exists() {
            fs::remove_file(&tmp).map_err(|source| StoreError::Io {
                path: tmp,
                action: "remove",
                source,
            })?;
        }
        let live: BTreeSet<PathBuf> = self
            .manifest
            .tables
            .values()
            .flatten()
            .map(|rel| self.root.join(rel))
            .collect();
        let tables = self.root.join(TABLES);
        if tables.exists() {
            sweep_dir(&tables, &live)?;
        }
        Ok(())
    }
}

/// Deletes files not in `live` below `dir`, then folders left empty. Returns whether
/// `dir` is now empty.
fn sweep_dir(dir: &Path, live: &BTreeSet<PathBuf>) -> Result<bool, StoreError> {
    let io = |path: &Path, action, source| StoreError::Io {
        path: path.to_owned(),
        action,
        source,
    };
    let mut empty = true;
    for entry in fs::read_dir(dir).map_err(|e| io(dir, "list", e))? {
        let path = entry.map_err(|e| io(dir, "list", e))?.path();
        if path.is_dir() {
            if sweep_dir(&path, live)? {
                fs::remove_dir(&path).map_err(|e| io(&path, "remove unreferenced folder", e))?;
            } else {
                empty = false;
            }
        } else if live.contains(&path) {
            empty = false;
        } else {
            fs::remove_file(&path).map_err(|e| io(&path, "remove unreferenced file", e))?;
        }
    }
    Ok(empty)
}

fn table_schema(table: &str) -> Result<SchemaRef, StoreError> {
    schema::for_table(table).ok_or_else(|| StoreError::UnknownTable {
        table: table.to_owned(),
    })
}

fn load_manifest(root: &Path) -> Result<Manifest, StoreError> {
    let path = root.join(MANIFEST);
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(StoreError::NotACase {
                path: root.to_owned(),
            });
        }
        Err(source) => {
            return Err(StoreError::Io {
                path,
                action: "read",
                source,
            });
        }
    };
    // Check the version before the layout so a newer case gets the right message.
    #[derive(serde::Deserialize)]
    struct Version {
        format_version: u32,
    }
    let v: Version = serde_json::from_str(&text).map_err(|source| StoreError::BadManifest {
        path: path.clone(),
        source,
    })?;
    if v.format_version > FORMAT_VERSION {
        return Err(StoreError::NewerFormat {
            path,
            found: v.format_version,
            supported: FORMAT_VERSION,
        });
    }
    serde_json::from_str(&text).map_err(|source| StoreError::BadManifest { path, source })
}

/// Writes the manifest durably: temp file, fsync, rename over, fsync the folder.
fn write_manifest(root: &Path, m: &Manifest) -> Result<(), StoreError> {
    let tmp = root.join(MANIFEST_TMP);
    let io = |path: &Path, action, source| StoreError::Io {
        path: path.to_owned(),
        action,
        source,
    };
    let mut text = serde_json::to_vec_pretty(m).expect("a manifest always serialises");
    text.push(b'\n');
    let mut f = File::create(&tmp).map_err(|e| io(&tmp, "create", e))?;
    f.write_all(&text).map_err(|e| io(&tmp, "write", e))?;
    f.sync_all().map_err(|e| io(&tmp, "fsync", e))?;
    drop(f);
    let dst = root.join(MANIFEST);
    fs::rename(&tmp, &dst).map_err(|e| io(&dst, "rename the new manifest over", e))?;
    sync_dir(root)
}

fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|source| StoreError::Io {
            path: dir.to_owned(),
            action: "fsync folder",
            source,
        })
}

fn create_dir(dir: &Path) -> Result<(), StoreError> {
    fs::create_dir_all(dir).map_err(|source| StoreError::Io {
        path: dir.to_owned(),
        action: "create folder",
        source,
    })
}

fn remove_dir_all(dir: &Path) -> Result<(), StoreError> {
    fs::remove_dir_all(dir).map_err(|source| StoreError::Io {
        path: dir.to_owned(),
        action: "remove folder",
        source,
    })
}

#[derive(Debug)]
enum PartState {
    Open,
    Done { rows: u64 },
}

#[derive(Debug)]
struct Part {
    table: String,
    /// Path relative to the case root once committed (`tables/<t>/<run>/part-N.parquet`).
    rel: String,
    staged: PathBuf,
    state: PartState,
}

#[derive(Debug, Default)]
struct Registry {
    parts: Vec<Part>,
    next: HashMap<String, u32>,
}

/// An uncommitted run. Writers may be opened from several threads at once.
#[derive(Debug)]
pub struct RunTxn<'a> {
    store: &'a mut CaseStore,
    run: RunId,
    staging: PathBuf,
    registry: Arc<Mutex<Registry>>,
    replace: BTreeSet<String>,
    files: Vec<FileEntry>,
    committed: bool,
}

impl RunTxn<'_> {
    /// The run's id.
    pub fn run_id(&self) -> &RunId {
        &self.run
    }

    /// The store as it was when the run began (the manifest does not change until commit).
    pub fn store(&self) -> &CaseStore {
        self.store
    }

    /// Opens a new part file of `table` in staging. Every writer must be
    /// [finished](TableWriter::finish) before commit.
    pub fn writer(&self, table: &str) -> Result<TableWriter, StoreError> {
        let schema = table_schema(table)?;
        let (rel, staged, id) = {
            let mut reg = self.registry.lock().unwrap_or_else(|e| e.into_inner());
            let n = reg.next.entry(table.to_owned()).or_insert(0);
            let rel = format!("{TABLES}/{table}/{}/part-{n}.parquet", self.run.0);
            *n += 1;
            let staged = self.staging.join(&rel);
            reg.parts.push(Part {
                table: table.to_owned(),
                rel: rel.clone(),
                staged: staged.clone(),
                state: PartState::Open,
            });
            (rel, staged, reg.parts.len() - 1)
        };
        let _ = rel;
        if let Some(parent) = staged.parent() {
            create_dir(parent)?;
        }
        let file = File::create(&staged).map_err(|source| StoreError::Io {
            path: staged.clone(),
            action: "create",
            source,
        })?;
        let sync = file.try_clone().map_err(|source| StoreError::Io {
            path: staged.clone(),
            action: "open",
            source,
        })?;
        let props = writer_properties(&schema);
        let writer = ArrowWriter::try_new(file, schema, Some(props)).map_err(|source| {
            StoreError::Parquet {
                path: staged.clone(),
                action: "create",
                source,
            }
        })?;
        Ok(TableWriter {
            writer,
            sync,
            path: staged,
            rows: 0,
            registry: Arc::clone(&self.registry),
            id,
        })
    }

    /// Makes this run's files the whole of `table` at commit, instead of adding to it.
    /// The files replaced are deleted once the new manifest is durable.
    pub fn replace_table(&mut self, table: &str) -> Result<(), StoreError> {
        table_schema(table)?;
        self.replace.insert(table.to_owned());
        Ok(())
    }

    /// Records a source file ingested by this run.
    pub fn record_file(&mut self, entry: FileEntry) {
        self.files.push(entry);
    }

    /// Makes the run visible: moves its files into `tables/` and swaps the manifest.
    /// Returns the new manifest.
    pub fn commit(mut self, meta: RunMeta) -> Result<Manifest, StoreError> {
        let parts = {
            let mut reg = self.registry.lock().unwrap_or_else(|e| e.into_inner());
            std::mem::take(&mut reg.parts)
        };
        let mut new_files: Vec<(String, String)> = Vec::new();
        for p in &parts {
            match p.state {
                PartState::Open => {
                    return Err(StoreError::WriterNotFinished {
                        path: p.staged.clone(),
                    });
                }
                PartState::Done { rows: 0 } => {}
                PartState::Done { .. } => new_files.push((p.table.clone(), p.rel.clone())),
            }
        }
        let root = self.store.root.clone();
        // Move each table's run folder into place. Folders, not files, so one rename per
        // table; a leftover of a killed run with the same id is unreferenced and can go.
        let tables: BTreeSet<&str> = new_files.iter().map(|(t, _)| t.as_str()).collect();
        for table in &tables {
            let from = self.staging.join(TABLES).join(table).join(&self.run.0);
            let parent = root.join(TABLES).join(table);
            let to = parent.join(&self.run.0);
            create_dir(&parent)?;
            if to.exists() {
                remove_dir_all(&to)?;
            }
            fs::rename(&from, &to).map_err(|source| StoreError::Io {
                path: to.clone(),
                action: "move staged table folder into place",
                source,
            })?;
            sync_dir(&parent)?;
        }
        if !tables.is_empty() {
            sync_dir(&root.join(TABLES))?;
        }
        let mut manifest = self.store.manifest.clone();
        let mut obsolete = Vec::new();
        for table in &self.replace {
            if let Some(old) = manifest.tables.remove(table) {
                obsolete.extend(old);
            }
            manifest.tables.insert(table.clone(), Vec::new());
        }
        for (table, rel) in new_files {
            manifest.tables.entry(table).or_default().push(rel);
        }
        manifest.tables.retain(|_, files| !files.is_empty());
        manifest.runs.push(RunEntry {
            run_id: self.run.0.clone(),
            started: meta.started,
            finished: meta.finished,
            files: std::mem::take(&mut self.files),
        });
        write_manifest(&root, &manifest)?;
        self.committed = true;
        self.store.manifest = manifest.clone();
        // The new manifest is durable: replaced files are garbage now. Failures here only
        // leave unreferenced files, which the next sweep removes.
        for rel in obsolete {
            let path = root.join(&rel);
            let _ = fs::remove_file(&path);
            if let Some(dir) = path.parent() {
                let _ = fs::remove_dir(dir);
            }
        }
        self.cleanup_staging();
        Ok(manifest)
    }

    fn cleanup_staging(&self) {
        let _ = fs::remove_dir_all(&self.staging);
        // Leave the case as it was: no empty `.staging` behind.
        let _ = fs::remove_dir(self.store.root.join(STAGING));
    }
}

impl Drop for RunTxn<'_> {
    fn drop(&mut self) {
        if !self.committed {
            self.cleanup_staging();
        }
    }
}

/// Streams record batches into one staged Parquet part (snappy, row groups of
/// [`ROW_GROUP_ROWS`]). `Send`, so each worker thread can own one.
pub struct TableWriter {
    writer: ArrowWriter<File>,
    sync: File,
    path: PathBuf,
    rows: u64,
    registry: Arc<Mutex<Registry>>,
    id: usize,
}

impl std::fmt::Debug for TableWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableWriter")
            .field("path", &self.path)
            .field("rows", &self.rows)
            .finish()
    }
}

impl TableWriter {
    /// Appends a batch (its schema must be the table's).
    pub fn write(&mut self, batch: &RecordBatch) -> Result<(), StoreError> {
        self.writer
            .write(batch)
            .map_err(|source| StoreError::Parquet {
                path: self.path.clone(),
                action: "write",
                source,
            })?;
        self.rows += batch.num_rows() as u64;
        Ok(())
    }

    /// Rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Closes and fsyncs the part. A part with no rows is deleted and not listed.
    pub fn finish(self) -> Result<u64, StoreError> {
        let Self {
            writer,
            sync,
            path,
            rows,
            registry,
            id,
        } = self;
        writer.close().map_err(|source| StoreError::Parquet {
            path: path.clone(),
            action: "finish",
            source,
        })?;
        if rows == 0 {
            fs::remove_file(&path).map_err(|source| StoreError::Io {
                path: path.clone(),
                action: "remove empty part",
                source,
            })?;
        } else {
            sync.sync_all().map_err(|source| StoreError::Io {
                path: path.clone(),
                action: "fsync",
                source,
            })?;
            if let Some(dir) = path.parent() {
                sync_dir(dir)?;
            }
        }
        let mut reg = registry.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(p) = reg.parts.get_mut(id) {
            p.state = PartState::Done { rows };
        }
        Ok(rows)
    }
}

/// Iterator over a table's batches, from [`CaseStore::scan_table`].
pub struct TableScan {
    files: std::vec::IntoIter<PathBuf>,
    current: Option<parquet::arrow::arrow_reader::ParquetRecordBatchReader>,
    current_path: PathBuf,
}

impl std::fmt::Debug for TableScan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableScan")
            .field("current", &self.current_path)
            .finish()
    }
}

impl Iterator for TableScan {
    type Item = Result<RecordBatch, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(reader) = &mut self.current {
                match reader.next() {
                    Some(Ok(b)) => return Some(Ok(b)),
                    Some(Err(e)) => {
                        self.current = None;
                        return Some(Err(StoreError::Parquet {
                            path: self.current_path.clone(),
                            action: "read",
                            source: e.into(),
                        }));
                    }
                    None => self.current = None,
                }
            }
            let path = self.files.next()?;
            let opened = File::open(&path)
                .map_err(|source| StoreError::Io {
                    path: path.clone(),
                    action: "open table file",
                    source,
                })
                .and_then(|f| {
                    ParquetRecordBatchReaderBuilder::try_new(f)
                        .and_then(|b| b.with_batch_size(64 * 1024).build())
                        .map_err(|source| StoreError::Parquet {
                            path: path.clone(),
                            action: "open",
                            source,
                        })
                });
            self.current_path = path;
            match opened {
                Ok(r) => self.current = Some(r),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_store_refuses_runs() {
        let dir = tempfile::tempdir().unwrap();
        drop(CaseStore::create_or_open(dir.path()).unwrap());
        let mut r = CaseStore::open_read(dir.path()).unwrap();
        assert!(matches!(
            r.begin_run(RunId("r".into())),
            Err(StoreError::ReadOnly { .. })
        ));
        assert!(matches!(
            CaseStore::open_read(&dir.path().join("nope")),
            Err(StoreError::NotACase { .. })
        ));
    }

    #[test]
    fn bad_run_ids_and_tables_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = CaseStore::create_or_open(dir.path()).unwrap();
        assert!(matches!(
            s.begin_run(RunId("../x".into())),
            Err(StoreError::BadRunId { .. })
        ));
        let txn = s.begin_run(RunId("r1".into())).unwrap();
        assert!(matches!(
            txn.writer("nope"),
            Err(StoreError::UnknownTable { .. })
        ));
    }
}
