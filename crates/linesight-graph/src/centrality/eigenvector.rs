//! Eigenvector centrality by power iteration.
//!
//! **Definition.** The Perron eigenvector `x` of the adjacency matrix, `λx_v = Σ_u A_uv x_u`,
//! scaled to unit Euclidean norm. Iteration uses `A + I` (same eigenvectors, no oscillation on
//! bipartite graphs), starts from the uniform vector, and stops when `Σ|x - x_prev| < n·tol`.
//! On a directed graph the sum runs over in-arcs (being called by central callers counts).
//!
//! **Matches** networkx `eigenvector_centrality(G, max_iter, tol, weight)` step for step on
//! undirected graphs; `weighted = false` is `weight=None`.
//!
//! # Complexity
//! O(iterations · m) time, O(n) memory.

use crate::error::GraphError;
use crate::graph::{Direction, Graph};

/// Options for [`eigenvector`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EigenvectorOptions {
    /// Adjacency to use.
    pub direction: Direction,
    /// Use edge weights (`true`) or 1 per edge.
    pub weighted: bool,
    /// Maximum iterations (networkx default 100).
    pub max_iter: usize,
    /// Per-node tolerance (networkx default 1e-6).
    pub tol: f64,
}

impl Default for EigenvectorOptions {
    fn default() -> Self {
        Self {
            direction: Direction::Undirected,
            weighted: false,
            max_iter: 1000,
            tol: 1e-10,
        }
    }
}

/// Eigenvector centrality of every node.
///
/// # Errors
/// [`GraphError::NotConverged`] after `max_iter` iterations without convergence (e.g. a directed
/// graph without a strongly connected core).
pub fn eigenvector(g: &Graph, opts: &EigenvectorOptions) -> Result<Vec<f64>, GraphError> {
    let n = g.node_count();
    if n == 0 {
        return Ok(Vec::new());
    }
    let csr = g.csr(opts.direction);
    let mut x = vec![1.0 / n as f64; n];
    let mut next = vec![0.0; n];
    for _ in 0..opts.max_iter {
        next.copy_from_slice(&x);
        for (u, &xu) in x.iter().enumerate() {
            for (v, w) in csr.arcs(u) {
                next[v] += xu * if opts.weighted { w } else { 1.0 };
            }
        }
        let norm = next.iter().map(|v| v * v).sum::<f64>().sqrt();
        let norm = if norm == 0.0 { 1.0 } else { norm };
        next.iter_mut().for_each(|v| *v /= norm);
        let err: f64 = next.iter().zip(&x).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut x, &mut next);
        if err < n as f64 * opts.tol {
            return Ok(x);
        }
    }
    Err(GraphError::NotConverged {
        algorithm: "eigenvector centrality",
        iterations: opts.max_iter,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_centre_dominates_and_norm_is_one() {
        let g =
            Graph::from_edges(false, [("c", "a", 1.0), ("c", "b", 1.0), ("c", "d", 1.0)]).unwrap();
        let x = eigenvector(&g, &EigenvectorOptions::default()).unwrap();
        // Star K_{1,3}: centre = 1/sqrt(2), leaves = 1/sqrt(6).
        assert!((x[0] - 0.5f64.sqrt()).abs() < 1e-8);
        assert!((x[1] - (1.0f64 / 6.0).sqrt()).abs() < 1e-8);
        assert!((x.iter().map(|v| v * v).sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn reports_non_convergence() {
        let g = Graph::from_edges(false, [("a", "b", 1.0), ("b", "c", 1.0)]).unwrap();
        let opts = EigenvectorOptions {
            max_iter: 1,
            tol: 1e-15,
            ..Default::default()
        };
        assert!(matches!(
            eigenvector(&g, &opts),
            Err(GraphError::NotConverged { .. })
        ));
    }
}
