//! Graph I/O for linesight: the imperative shell around the pure [`linesight_graph`] crate.
//!
//! In: edge lists and adjacency matrices in the shapes published criminal-network data uses
//! ([`edges`]), and the case store's `events` table ([`case`]). Out: per-node measures and
//! whole-network figures with one set of conventions ([`report`]), and [`output::Table`] printed
//! as aligned text, CSV, Markdown or JSON.
//!
//! ```text
//!  edge list / adjacency ──► edges::EdgeTable ──► Graph ──► report::* ──► output::Table
//!  case store (events)  ──► case::read_case ──┘
//! ```
//!
//! Every error names the file (and row) and says what to do ([`NetIoError`]).

pub mod case;
pub mod edges;
pub mod error;
pub mod output;
pub mod report;

pub use case::{CaseGraphStats, read_case};
pub use edges::{
    EdgeListOptions, EdgeRow, EdgeTable, GraphOptions, Merge, parse_adjacency, parse_edge_list,
    read_adjacency, read_edge_list,
};
pub use error::NetIoError;
pub use output::{Table, fmt_value};
pub use report::{MetricOptions, NodeMetric, Summary, node_metric, ranks, summarize};
