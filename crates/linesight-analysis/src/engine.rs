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

use std::path::PathBuf;
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use datafusion::datasource::MemTable;
use datafusion::datasource::file_format::parquet::ParquetFormat;
use datafusion::datasource::listing::{
    ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl,
};
use datafusion::prelude::{SessionConfig, SessionContext};
use linesight_model::schema;
use linesight_store::CaseStore;

use crate::AnalysisError;

/// A DataFusion session with the case store's tables registered, and the runtime that
/// drives it. Synchronous on the outside: callers need no async.
pub(crate) struct Engine {
    ctx: SessionContext,
    rt: tokio::runtime::Runtime,
}

impl Engine {
    /// Registers `events` and `cells` from `store`.
    pub(crate) fn open(store: &CaseStore) -> Result<Self, AnalysisError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(|source| AnalysisError::Runtime { source })?;
        let config = SessionConfig::new().with_information_schema(false);
        let ctx = SessionContext::new_with_config(config);
        register(
            &ctx,
            schema::table::EVENTS,
            schema::EVENTS.clone(),
            store.table_files(schema::table::EVENTS),
        )?;
        register(
            &ctx,
            schema::table::CELLS,
            schema::CELLS.clone(),
            store.table_files(schema::table::CELLS),
        )?;
        Ok(Self { ctx, rt })
    }

    /// Runs one SQL statement and collects its result. `what` names the plan in errors.
    pub(crate) fn query(
        &self,
        what: &'static str,
        sql: &str,
    ) -> Result<Vec<RecordBatch>, AnalysisError> {
        let err = |source| AnalysisError::Query { what, source };
        self.rt.block_on(async {
            let df = self.ctx.sql(sql).await.map_err(err)?;
            df.collect().await.map_err(err)
        })
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
