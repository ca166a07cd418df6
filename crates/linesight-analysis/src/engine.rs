//! The scan side: DataFusion over the case store's Parquet files.
//!
//! Every table is registered from the files the manifest lists ([`CaseStore::table_files`]),
//! never by listing a folder, and always with the explicit schema of
//! [`linesight_model::schema`]: inference would read numbers and IMEIs as integers.
//!
//! The plans are plain SQL with built-in functions only (no UDFs, no in-memory tables
//! built from Rust values): a Ballista `SessionContext` accepts the same statements
//! unchanged, so the heavy scans can later move to a cluster while the reduced results
//! come back to the plain-Rust detectors in [`crate::detect`].

use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use datafusion::datasource::MemTable;
use datafusion::datasource::file_format::parquet::ParquetFormat;
use datafusion::datasource::listing::{
    ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl,
};
use datafusion::physical_plan::collect;
use datafusion::physical_plan::display::DisplayableExecutionPlan;
use datafusion::prelude::{SessionConfig, SessionContext};
use linesight_model::schema;
use linesight_store::CaseStore;

use crate::AnalysisError;
use crate::profile::{self, PlanRun};

/// A DataFusion session with the case store's tables registered, and the runtime that
/// drives it. Synchronous on the outside: callers need no async.
pub(crate) struct Engine {
    ctx: SessionContext,
    rt: tokio::runtime::Runtime,
    /// Threads that run the plans' work (the runtime's workers).
    pub(crate) threads: usize,
    /// The `events` files scanned.
    pub(crate) events_files: Vec<PathBuf>,
    /// Every plan run so far, when profiling ([`crate::profile`]).
    profile: Option<RefCell<Vec<PlanRun>>>,
}

impl Engine {
    /// Registers `events` and `cells` from `store`. The plans run on `threads` worker
    /// threads (default: every core), each plan split into as many partitions; `profile`
    /// keeps every plan's time, metrics and result checksums.
    pub(crate) fn open(
        store: &CaseStore,
        threads: Option<usize>,
        profile: bool,
    ) -> Result<Self, AnalysisError> {
        let threads = threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .max(1);
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .thread_name("linesight-analysis")
            .build()
            .map_err(|source| AnalysisError::Runtime { source })?;
        let config = SessionConfig::new()
            .with_information_schema(false)
            .with_target_partitions(threads);
        let ctx = SessionContext::new_with_config(config);
        let events_files = store.table_files(schema::table::EVENTS);
        register(
            &ctx,
            schema::table::EVENTS,
            schema::EVENTS.clone(),
            events_files.clone(),
        )?;
        register(
            &ctx,
            schema::table::CELLS,
            schema::CELLS.clone(),
            store.table_files(schema::table::CELLS),
        )?;
        Ok(Self {
            ctx,
            rt,
            threads,
            events_files,
            profile: profile.then(|| RefCell::new(Vec::new())),
        })
    }

    /// Partitions DataFusion splits each plan into.
    pub(crate) fn target_partitions(&self) -> usize {
        self.ctx.state().config().target_partitions()
    }

    /// The plans run so far, when profiling.
    pub(crate) fn take_profile(&self) -> Vec<PlanRun> {
        self.profile
            .as_ref()
            .map(|p| std::mem::take(&mut *p.borrow_mut()))
            .unwrap_or_default()
    }

    /// Runs one SQL statement and collects its result. `what` names the plan in errors.
    pub(crate) fn query(
        &self,
        what: &'static str,
        sql: &str,
    ) -> Result<Vec<RecordBatch>, AnalysisError> {
        let err = |source| AnalysisError::Query { what, source };
        let started = Instant::now();
        // What `DataFrame::collect` does, keeping the physical plan for its metrics.
        let (plan, batches) = self.rt.block_on(async {
            let df = self.ctx.sql(sql).await.map_err(err)?;
            let task = Arc::new(df.task_ctx());
            let plan = df.create_physical_plan().await.map_err(err)?;
            let batches = collect(plan.clone(), task).await.map_err(err)?;
            Ok::<_, AnalysisError>((plan, batches))
        })?;
        if let Some(runs) = &self.profile {
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            runs.borrow_mut().push(PlanRun {
                name: what,
                sql: sql.to_owned(),
                ms,
                rows: batches.iter().map(RecordBatch::num_rows).sum(),
                checks: profile::checks(&batches)?,
                metrics: DisplayableExecutionPlan::with_metrics(plan.as_ref())
                    .indent(true)
                    .to_string(),
            });
        }
        Ok(batches)
    }
}

/// Registers `files` as table `name` with `schema`; an empty table when there are none,
/// so every plan runs (and returns nothing) on an empty case.
fn register(
    ctx: &SessionContext,
    name: &'static str,
    schema: SchemaRef,
    files: Vec<PathBuf>,
) -> Result<(), AnalysisError> {
    let err = |source| AnalysisError::Register {
        table: name,
        source,
    };
    if files.is_empty() {
        let empty = MemTable::try_new(schema, vec![vec![]]).map_err(err)?;
        ctx.register_table(name, Arc::new(empty)).map_err(err)?;
        return Ok(());
    }
    let urls = files
        .iter()
        .map(|p| ListingTableUrl::parse(p.to_string_lossy()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(err)?;
    let options =
        ListingOptions::new(Arc::new(ParquetFormat::default())).with_file_extension(".parquet");
    let config = ListingTableConfig::new_with_multi_paths(urls)
        .with_listing_options(options)
        .with_schema(schema);
    let table = ListingTable::try_new(config).map_err(err)?;
    ctx.register_table(name, Arc::new(table)).map_err(err)?;
    Ok(())
}
