//! The one error type of this crate.
//!
//! Algorithms fail only on bad input (unknown node, invalid weight, a partition that does not
//! cover the graph) or on non-convergence of an iterative method; everything else is total.

use thiserror::Error;

/// Why a graph operation failed.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum GraphError {
    /// An edge weight was zero, negative, NaN or infinite. Weights count calls, so they must be
    /// positive and finite; a zero-weight edge is no edge.
    #[error(
        "edge {source_label} -> {target_label} has invalid weight {weight} (must be finite and > 0)"
    )]
    InvalidWeight {
        /// Label of the edge's source.
        source_label: String,
        /// Label of the edge's target.
        target_label: String,
        /// The rejected weight.
        weight: f64,
    },
    /// A node index was out of range for the graph.
    #[error("node index {index} out of range for a graph of {node_count} nodes")]
    NodeOutOfRange {
        /// The offending index.
        index: usize,
        /// Number of nodes in the graph.
        node_count: usize,
    },
    /// A node label was not found.
    #[error("unknown node label {0:?}")]
    UnknownNode(String),
    /// A partition did not assign exactly one community to each node.
    #[error("partition has {got} entries but the graph has {expected} nodes")]
    PartitionSize {
        /// Number of nodes in the graph.
        expected: usize,
        /// Length of the membership vector given.
        got: usize,
    },
    /// An iterative method (eigenvector centrality, PageRank) did not converge.
    #[error("{algorithm} did not converge within {iterations} iterations")]
    NotConverged {
        /// Which algorithm.
        algorithm: &'static str,
        /// Iterations performed.
        iterations: usize,
    },
    /// A parameter was outside its valid range.
    #[error("invalid parameter {name}: {reason}")]
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
        /// What is wrong with it.
        reason: String,
    },
}
