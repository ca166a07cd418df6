//! Degree and strength (weighted degree).
//!
//! - **degree**: number of distinct neighbours along arcs (in, out) and their sum (total). For a
//!   directed graph `total = in + out`, so a reciprocated tie counts twice, exactly like
//!   networkx `G.degree` on a `DiGraph`. For an undirected graph in = out = total.
//! - **strength**: the same sums over weights (calls/texts), networkx
//!   `G.degree(weight="weight")`.
//! - **normalised** degree centrality divides by `n - 1`, matching networkx
//!   `degree_centrality`, `in_degree_centrality` and `out_degree_centrality`.
//!
//! # Complexity
//! O(n) from the CSR offsets, plus O(m) for strengths.

use crate::graph::Graph;

/// Degrees and strengths of every node.
#[derive(Debug, Clone, PartialEq)]
pub struct Degrees {
    /// Distinct in-neighbours.
    pub in_degree: Vec<usize>,
    /// Distinct out-neighbours.
    pub out_degree: Vec<usize>,
    /// `in + out` for directed graphs, the degree for undirected ones.
    pub total: Vec<usize>,
    /// Sum of incoming weights.
    pub in_strength: Vec<f64>,
    /// Sum of outgoing weights.
    pub out_strength: Vec<f64>,
    /// `in + out` strength for directed graphs, the strength for undirected ones.
    pub total_strength: Vec<f64>,
}

impl Degrees {
    /// `total / (n - 1)` (networkx `degree_centrality`); all zeros when `n <= 1`.
    pub fn centrality(&self) -> Vec<f64> {
        normalise(&self.total)
    }

    /// `in / (n - 1)` (networkx `in_degree_centrality`).
    pub fn in_centrality(&self) -> Vec<f64> {
        normalise(&self.in_degree)
    }

    /// `out / (n - 1)` (networkx `out_degree_centrality`).
    pub fn out_centrality(&self) -> Vec<f64> {
        normalise(&self.out_degree)
    }
}

fn normalise(d: &[usize]) -> Vec<f64> {
    let s = if d.len() > 1 {
        1.0 / (d.len() - 1) as f64
    } else {
        0.0
    };
    d.iter().map(|&x| x as f64 * s).collect()
}

/// Degrees and strengths of all nodes.
///
/// # Complexity
/// O(n + m).
pub fn degrees(g: &Graph) -> Degrees {
    let n = g.node_count();
    let out = g.out_csr();
    let inc = g.in_csr();
    let in_degree: Vec<usize> = (0..n).map(|v| inc.degree(v)).collect();
    let out_degree: Vec<usize> = (0..n).map(|v| out.degree(v)).collect();
    let in_strength: Vec<f64> = (0..n).map(|v| inc.strength(v)).collect();
    let out_strength: Vec<f64> = (0..n).map(|v| out.strength(v)).collect();
    let (total, total_strength) = if g.is_directed() {
        (
            (0..n).map(|v| in_degree[v] + out_degree[v]).collect(),
            (0..n).map(|v| in_strength[v] + out_strength[v]).collect(),
        )
    } else {
        (out_degree.clone(), out_strength.clone())
    };
    Degrees {
        in_degree,
        out_degree,
        total,
        in_strength,
        out_strength,
        total_strength,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directed_counts_reciprocal_tie_twice() {
        let g =
            Graph::from_edges(true, [("a", "b", 2.0), ("b", "a", 1.0), ("a", "c", 5.0)]).unwrap();
        let d = degrees(&g);
        assert_eq!(d.out_degree, vec![2, 1, 0]);
        assert_eq!(d.in_degree, vec![1, 1, 1]);
        assert_eq!(d.total, vec![3, 2, 1]);
        assert_eq!(d.out_strength, vec![7.0, 1.0, 0.0]);
        assert_eq!(d.total_strength, vec![8.0, 3.0, 5.0]);
        assert_eq!(d.centrality(), vec![1.5, 1.0, 0.5]);
    }
}
