//! Closeness centrality with the Wasserman–Faust correction for disconnected graphs.
//!
//! **Definition.** For node `u` with `r(u)` nodes (itself included) that can reach it and total
//! distance `D(u)` from them: `C(u) = (r-1)/D · (r-1)/(n-1)`, and 0 when nothing reaches `u`.
//! For a directed graph distances are measured **towards** `u` (incoming paths), as networkx
//! does by reversing the graph.
//!
//! **Matches** networkx `closeness_centrality(G, distance=…, wf_improved=True)`;
//! [`EdgeLength::Hops`] is `distance=None`.
//!
//! # Complexity
//! O(n·m) unweighted, O(n·m log n) weighted; O(n) extra memory.

use crate::graph::{Direction, EdgeLength, Graph};
use crate::paths::Sssp;

/// Closeness of every node.
pub fn closeness(g: &Graph, direction: Direction, length: EdgeLength) -> Vec<f64> {
    let n = g.node_count();
    // Distances *to* u are distances from u in the reversed graph, i.e. along in-arcs.
    let csr = match direction {
        Direction::Directed => g.in_csr(),
        Direction::Undirected => g.undirected_csr(),
    };
    let mut sp = Sssp::new(n);
    let mut out = vec![0.0; n];
    for (u, c) in out.iter_mut().enumerate() {
        sp.run(csr, u, length, None);
        let total: f64 = sp.order.iter().map(|&v| sp.dist[v as usize]).sum();
        let reached = sp.order.len() as f64;
        if total > 0.0 && n > 1 {
            *c = (reached - 1.0) / total * ((reached - 1.0) / (n - 1) as f64);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_and_isolated_node() {
        let mut b = crate::graph::GraphBuilder::undirected();
        for leaf in ["b", "c", "d"] {
            b.add_edge("a", leaf, 1.0).unwrap();
        }
        b.add_node("z");
        let g = b.build();
        let c = closeness(&g, Direction::Undirected, EdgeLength::Hops);
        // Centre: 3 reachable at distance 1 => (3/3) * (3/4).
        assert!((c[0] - 0.75).abs() < 1e-12);
        // Leaf: distances 1,2,2 => (3/5)*(3/4).
        assert!((c[1] - 0.45).abs() < 1e-12);
        assert_eq!(c[4], 0.0);
    }

    #[test]
    fn directed_uses_incoming_distances() {
        let g = Graph::from_edges(true, [("a", "b", 1.0), ("b", "c", 1.0)]).unwrap();
        let c = closeness(&g, Direction::Directed, EdgeLength::Hops);
        assert_eq!(c[0], 0.0);
        // c is reached by b (1) and a (2): (2/3)*(2/2).
        assert!((c[2] - 2.0 / 3.0).abs() < 1e-12);
    }
}
