//! Per-node measures and whole-network figures, computed with one set of conventions so the CLI,
//! the evaluation and the tests agree on what "betweenness" means for a call graph.
//!
//! Conventions (weighted unless the caller asks for the unweighted view):
//! - `degree`: distinct neighbours / (n − 1) (networkx `degree_centrality`; in + out on a
//!   directed graph); `strength`: the same over weights (calls and texts);
//! - `betweenness`, `closeness`: shortest paths along the graph's direction, each tie of length
//!   1/weight (frequent contacts are close), or 1 per tie when unweighted; normalised as networkx;
//! - `pagerank`: along the graph's direction, weighted, α = 0.85;
//! - `eigenvector`: on the undirected view (a directed call graph rarely has the strongly
//!   connected core a directed eigenvector needs), weighted;
//! - `constraint`: Burt's constraint (low = a broker spanning structural holes);
//! - `community`: Leiden membership (seeded).

use linesight_graph::centrality::betweenness::{BetweennessOptions, betweenness};
use linesight_graph::centrality::brokerage::constraint;
use linesight_graph::centrality::closeness::closeness;
use linesight_graph::centrality::degree::degrees;
use linesight_graph::centrality::eigenvector::{EigenvectorOptions, eigenvector};
use linesight_graph::centrality::pagerank::{PageRankOptions, pagerank};
use linesight_graph::community::leiden::{LeidenOptions, Partition, leiden};
use linesight_graph::disruption::{connected_components, global_efficiency};
use linesight_graph::{Direction, EdgeLength, Graph, GraphError};

/// A per-node measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeMetric {
    /// Degree centrality.
    Degree,
    /// Weighted degree (number of calls and texts).
    Strength,
    /// Betweenness centrality (brokerage on shortest paths).
    Betweenness,
    /// PageRank.
    Pagerank,
    /// Eigenvector centrality.
    Eigenvector,
    /// Closeness centrality.
    Closeness,
    /// Leiden community id.
    Community,
    /// Burt's constraint.
    Constraint,
}

impl NodeMetric {
    /// Every metric, in display order.
    pub const ALL: [NodeMetric; 8] = [
        NodeMetric::Degree,
        NodeMetric::Strength,
        NodeMetric::Betweenness,
        NodeMetric::Pagerank,
        NodeMetric::Eigenvector,
        NodeMetric::Closeness,
        NodeMetric::Community,
        NodeMetric::Constraint,
    ];

    /// The name used on the command line and as the JSON field.
    pub fn name(self) -> &'static str {
        match self {
            NodeMetric::Degree => "degree",
            NodeMetric::Strength => "strength",
            NodeMetric::Betweenness => "betweenness",
            NodeMetric::Pagerank => "pagerank",
            NodeMetric::Eigenvector => "eigenvector",
            NodeMetric::Closeness => "closeness",
            NodeMetric::Community => "community",
            NodeMetric::Constraint => "constraint",
        }
    }

    /// Parses a name (case-insensitive).
    pub fn parse(s: &str) -> Option<NodeMetric> {
        Self::ALL
            .into_iter()
            .find(|m| m.name().eq_ignore_ascii_case(s.trim()))
    }

    /// Whether a higher value means a more important node (false for constraint and community).
    pub fn higher_is_central(self) -> bool {
        !matches!(self, NodeMetric::Constraint | NodeMetric::Community)
    }
}

/// Settings shared by the measures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MetricOptions {
    /// Use weights (call counts); false treats every tie as weight 1.
    pub weighted: bool,
    /// Leiden seed.
    pub seed: u64,
    /// Leiden resolution.
    pub resolution: f64,
}

impl Default for MetricOptions {
    fn default() -> Self {
        Self {
            weighted: true,
            seed: 1,
            resolution: 1.0,
        }
    }
}

/// Leiden on `g` with `opts`.
pub fn communities(g: &Graph, opts: &MetricOptions) -> Partition {
    leiden(
        g,
        &LeidenOptions {
            resolution: opts.resolution,
            seed: opts.seed,
            weighted: opts.weighted,
            ..Default::default()
        },
    )
}

/// The values of `metric` for every node (community ids as whole numbers).
///
/// # Errors
/// [`GraphError::NotConverged`] if PageRank or eigenvector centrality does not converge.
pub fn node_metric(
    g: &Graph,
    metric: NodeMetric,
    opts: &MetricOptions,
) -> Result<Vec<f64>, GraphError> {
    let direction = if g.is_directed() {
        Direction::Directed
    } else {
        Direction::Undirected
    };
    let length = if opts.weighted {
        EdgeLength::InverseWeight
    } else {
        EdgeLength::Hops
    };
    let plain;
    let gw = if opts.weighted {
        g
    } else {
        plain = g.unweighted();
        &plain
    };
    Ok(match metric {
        NodeMetric::Degree => degrees(g).centrality(),
        NodeMetric::Strength => degrees(gw).total_strength,
        NodeMetric::Betweenness => betweenness(
            g,
            &BetweennessOptions {
                direction,
                length,
                normalized: true,
            },
        ),
        NodeMetric::Closeness => closeness(g, direction, length),
        NodeMetric::Pagerank => pagerank(
            g,
            &PageRankOptions {
                direction,
                weighted: opts.weighted,
                ..Default::default()
            },
        )?,
        NodeMetric::Eigenvector => eigenvector(
            g,
            &EigenvectorOptions {
                direction: Direction::Undirected,
                weighted: opts.weighted,
                ..Default::default()
            },
        )?,
        NodeMetric::Constraint => constraint(g, opts.weighted),
        NodeMetric::Community => communities(g, opts)
            .membership
            .into_iter()
            .map(|c| c as f64)
            .collect(),
    })
}

/// 1-based ranks, highest value first; tied values share the best rank (competition ranking).
/// NaN ranks last.
pub fn ranks(values: &[f64]) -> Vec<usize> {
    let key = |x: f64| if x.is_nan() { f64::NEG_INFINITY } else { x };
    values
        .iter()
        .map(|&v| 1 + values.iter().filter(|&&w| key(w) > key(v)).count())
        .collect()
}

/// Whole-network figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Nodes.
    pub nodes: usize,
    /// Undirected ties (a reciprocated pair of arcs is one tie).
    pub ties: usize,
    /// Arcs (equal to `ties` for an undirected graph).
    pub arcs: usize,
    /// Whether the graph is directed.
    pub directed: bool,
    /// Sum of weights over ties.
    pub total_weight: f64,
    /// Ties / possible ties, on the undirected view.
    pub density: f64,
    /// Connected components (isolates count).
    pub components: usize,
    /// Nodes in the largest connected component.
    pub largest_component: usize,
    /// Latora–Marchiori global efficiency (undirected, hops).
    pub efficiency: f64,
    /// Freeman degree centralisation of the undirected view: 1 for a star, 0 when all degrees
    /// are equal.
    pub centralisation: f64,
}

/// Figures for `g`.
pub fn summarize(g: &Graph) -> Summary {
    let und = g.undirected_csr();
    let n = g.node_count();
    let ties = und.arc_count() / 2;
    let total_weight = (0..n).map(|v| und.strength(v)).sum::<f64>() / 2.0;
    let deg: Vec<usize> = (0..n).map(|v| und.degree(v)).collect();
    let max = deg.iter().copied().max().unwrap_or(0);
    let centralisation = if n > 2 {
        deg.iter().map(|&d| (max - d) as f64).sum::<f64>() / ((n - 1) * (n - 2)) as f64
    } else {
        0.0
    };
    let comps = connected_components(g);
    Summary {
        nodes: n,
        ties,
        arcs: g.out_csr().arc_count() / if g.is_directed() { 1 } else { 2 },
        directed: g.is_directed(),
        total_weight,
        density: if n > 1 {
            ties as f64 / (n * (n - 1) / 2) as f64
        } else {
            0.0
        },
        components: comps.len(),
        largest_component: comps.first().map_or(0, Vec::len),
        efficiency: global_efficiency(g),
        centralisation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_share_ties() {
        assert_eq!(ranks(&[1.0, 3.0, 3.0, 2.0, f64::NAN]), [4, 1, 1, 3, 5]);
    }

    #[test]
    fn star_summary() {
        let g =
            Graph::from_edges(false, [("h", "a", 2.0), ("h", "b", 1.0), ("h", "c", 1.0)]).unwrap();
        let s = summarize(&g);
        assert_eq!((s.nodes, s.ties, s.arcs, s.components), (4, 3, 3, 1));
        assert!((s.centralisation - 1.0).abs() < 1e-12);
        assert!((s.density - 0.5).abs() < 1e-12);
        assert_eq!(s.total_weight, 4.0);
        let d = node_metric(&g, NodeMetric::Strength, &MetricOptions::default()).unwrap();
        assert_eq!(d[0], 4.0);
        let u = node_metric(
            &g,
            NodeMetric::Strength,
            &MetricOptions {
                weighted: false,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(u[0], 3.0);
    }
}
