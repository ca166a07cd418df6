//! The one error type of this crate. Every message names the file (and row, where there is one)
//! and says what to do, because the person reading it is an analyst with a file in hand.

use std::path::PathBuf;

use thiserror::Error;

/// Why a graph could not be read or written.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum NetIoError {
    /// The file could not be opened or read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The file has no data rows.
    #[error("{} has no data rows; {hint}", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
        /// What to check.
        hint: &'static str,
    },
    /// One row could not be understood.
    #[error("{}, row {row}: {problem}; {hint}", path.display())]
    Row {
        /// The file.
        path: PathBuf,
        /// 1-based line number in the file (the header, if any, is row 1).
        row: usize,
        /// What is wrong with the row.
        problem: String,
        /// What to do about it.
        hint: &'static str,
    },
    /// The case store could not be opened or scanned.
    #[error("cannot read the case store {}: {source}", path.display())]
    Store {
        /// The case folder.
        path: PathBuf,
        /// The store's reason.
        source: linesight_store::StoreError,
    },
    /// A case table lacks a column or has it with another type.
    #[error(
        "case store {}: table {table} column {column} is missing or not {expected}; was the case written by another linesight version?",
        path.display()
    )]
    Column {
        /// The case folder.
        path: PathBuf,
        /// The table.
        table: &'static str,
        /// The column.
        column: &'static str,
        /// The expected Arrow type.
        expected: &'static str,
    },
    /// The graph library refused the data (for example a weight that is not positive).
    #[error("{}: {source}", path.display())]
    Graph {
        /// The input the graph was built from.
        path: PathBuf,
        /// The graph library's reason.
        source: linesight_graph::GraphError,
    },
    /// Writing output failed.
    #[error("cannot write {what}: {source}")]
    Write {
        /// What was being written (a path or "stdout").
        what: String,
        /// The reason.
        source: std::io::Error,
    },
}
