//! Newman–Girvan modularity with a resolution parameter.
//!
//! **Definition.** Undirected: `Q = Σ_c [ L_c/m − γ (K_c / 2m)² ]`, with `L_c` the weight inside
//! community `c`, `K_c` its total strength and `m` the total weight. Directed (Leicht–Newman):
//! `Q = Σ_c [ L_c/m − γ K_c^out K_c^in / m² ]`. Self-loops are not part of the adjacency (see
//! [`crate::graph`]). The all-in-one partition has `Q = 0` at `γ = 1`.
//!
//! **Matches** networkx `community.modularity(G, communities, weight="weight", resolution=γ)`;
//! pass [`Graph::unweighted`] for `weight=None` and [`Graph::to_undirected`] to ignore direction.
//!
//! # Complexity
//! O(n + m) (plus O(n log n) to compress community ids).

use crate::error::GraphError;
use crate::graph::{Csr, Graph};

/// Modularity of `membership` on `g` (directed formula if `g` is directed).
///
/// # Errors
/// [`GraphError::PartitionSize`] unless `membership.len() == g.node_count()`.
pub fn modularity(g: &Graph, membership: &[usize], resolution: f64) -> Result<f64, GraphError> {
    if membership.len() != g.node_count() {
        return Err(GraphError::PartitionSize {
            expected: g.node_count(),
            got: membership.len(),
        });
    }
    let (m, k) = super::dense_ids(membership);
    if g.is_directed() {
        let out = g.out_csr();
        let mut inside = vec![0.0; k];
        let mut kout = vec![0.0; k];
        let mut kin = vec![0.0; k];
        let mut total = 0.0;
        for u in 0..g.node_count() {
            for (v, w) in out.arcs(u) {
                total += w;
                kout[m[u]] += w;
                kin[m[v]] += w;
                if m[u] == m[v] {
                    inside[m[u]] += w;
                }
            }
        }
        if total == 0.0 {
            return Ok(0.0);
        }
        Ok((0..k)
            .map(|c| inside[c] / total - resolution * kout[c] * kin[c] / (total * total))
            .sum())
    } else {
        Ok(undirected_modularity(g.undirected_csr(), &m, k, resolution))
    }
}

/// Undirected modularity on a CSR whose weights are stored in both directions; `m` holds dense
/// ids `< k`.
pub(crate) fn undirected_modularity(csr: &Csr, m: &[usize], k: usize, resolution: f64) -> f64 {
    let mut inside2 = vec![0.0; k];
    let mut deg = vec![0.0; k];
    let mut two_m = 0.0;
    for u in 0..csr.node_count() {
        for (v, w) in csr.arcs(u) {
            two_m += w;
            deg[m[u]] += w;
            if m[u] == m[v] {
                inside2[m[u]] += w;
            }
        }
    }
    if two_m == 0.0 {
        return 0.0;
    }
    (0..k)
        .map(|c| inside2[c] / two_m - resolution * (deg[c] / two_m).powi(2))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_triangles_joined_by_a_bridge() {
        let g = Graph::from_edges(
            false,
            [
                ("a", "b", 1.0),
                ("b", "c", 1.0),
                ("c", "a", 1.0),
                ("d", "e", 1.0),
                ("e", "f", 1.0),
                ("f", "d", 1.0),
                ("c", "d", 1.0),
            ],
        )
        .unwrap();
        // m = 7; each side: L = 3, K = 7 => 2 * (3/7 - (7/14)^2) = 6/7 - 1/2.
        let q = modularity(&g, &[0, 0, 0, 1, 1, 1], 1.0).unwrap();
        assert!((q - (6.0 / 7.0 - 0.5)).abs() < 1e-12);
        assert!(modularity(&g, &[5; 6], 1.0).unwrap().abs() < 1e-12);
        assert!(modularity(&g, &[0; 5], 1.0).is_err());
    }
}
