//! PageRank.
//!
//! **Definition.** The stationary distribution of a random surfer who, with probability `α`
//! (damping, 0.85) follows an out-arc chosen in proportion to its weight, and otherwise jumps to
//! a uniformly random node. A node with no out-arcs (dangling) sends its mass to all nodes
//! uniformly. Undirected edges are followed both ways. Values sum to 1.
//!
//! **Matches** networkx `pagerank(G, alpha, weight="weight")` (its pure-Python
//! `_pagerank_python` iteration, identical fixed point to the SciPy one), with dangling mass
//! spread like its default `dangling=None`. Convergence: `Σ|x - x_prev| < n·tol`.
//!
//! # Complexity
//! O(iterations · m) time, O(n) memory.

use crate::error::GraphError;
use crate::graph::{Direction, Graph};

/// Options for [`pagerank`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageRankOptions {
    /// Damping factor `α` (0.85).
    pub damping: f64,
    /// Follow arc direction or not.
    pub direction: Direction,
    /// Split a node's rank in proportion to edge weights (`true`, networkx default) or equally.
    pub weighted: bool,
    /// Maximum iterations.
    pub max_iter: usize,
    /// Per-node tolerance.
    pub tol: f64,
}

impl Default for PageRankOptions {
    fn default() -> Self {
        Self {
            damping: 0.85,
            direction: Direction::Directed,
            weighted: true,
            max_iter: 1000,
            tol: 1e-12,
        }
    }
}

/// PageRank of every node.
///
/// # Errors
/// [`GraphError::InvalidParameter`] for a damping outside `[0, 1)`,
/// [`GraphError::NotConverged`] after `max_iter` iterations.
pub fn pagerank(g: &Graph, opts: &PageRankOptions) -> Result<Vec<f64>, GraphError> {
    if !(0.0..1.0).contains(&opts.damping) {
        return Err(GraphError::InvalidParameter {
            name: "damping",
            reason: format!("must be in [0, 1), got {}", opts.damping),
        });
    }
    let n = g.node_count();
    if n == 0 {
        return Ok(Vec::new());
    }
    let csr = g.csr(opts.direction);
    let a = opts.damping;
    let nf = n as f64;
    // Out-strength per node; 0 marks a dangling node.
    let out_sum: Vec<f64> = (0..n)
        .map(|u| {
            if opts.weighted {
                csr.strength(u)
            } else {
                csr.degree(u) as f64
            }
        })
        .collect();
    let mut x = vec![1.0 / nf; n];
    let mut next = vec![0.0; n];
    for _ in 0..opts.max_iter {
        let dangling: f64 = (0..n).filter(|&u| out_sum[u] == 0.0).map(|u| x[u]).sum();
        let base = a * dangling / nf + (1.0 - a) / nf;
        next.iter_mut().for_each(|v| *v = base);
        for u in 0..n {
            if out_sum[u] == 0.0 {
                continue;
            }
            let share = a * x[u] / out_sum[u];
            for (v, w) in csr.arcs(u) {
                next[v] += share * if opts.weighted { w } else { 1.0 };
            }
        }
        let err: f64 = next.iter().zip(&x).map(|(p, q)| (p - q).abs()).sum();
        std::mem::swap(&mut x, &mut next);
        if err < nf * opts.tol {
            return Ok(x);
        }
    }
    Err(GraphError::NotConverged {
        algorithm: "PageRank",
        iterations: opts.max_iter,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangling_chain_sums_to_one_and_sink_ranks_highest() {
        let g = Graph::from_edges(true, [("a", "b", 1.0), ("b", "c", 3.0)]).unwrap();
        let pr = pagerank(&g, &PageRankOptions::default()).unwrap();
        assert!((pr.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(pr[2] > pr[1] && pr[1] > pr[0]);
    }

    #[test]
    fn symmetric_cycle_is_uniform() {
        let g =
            Graph::from_edges(false, [("a", "b", 1.0), ("b", "c", 1.0), ("c", "a", 1.0)]).unwrap();
        let pr = pagerank(&g, &PageRankOptions::default()).unwrap();
        assert!(pr.iter().all(|p| (p - 1.0 / 3.0).abs() < 1e-12));
        let bad = PageRankOptions {
            damping: 1.0,
            ..Default::default()
        };
        assert!(pagerank(&g, &bad).is_err());
    }
}
