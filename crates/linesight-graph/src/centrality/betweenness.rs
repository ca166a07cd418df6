//! Shortest-path betweenness: exact (Brandes 2001) and sampled (Brandes & Pich 2007 pivots,
//! with a Hoeffding error bound).
//!
//! **Definition.** `b(v) = Σ_{s≠v≠t} σ_st(v) / σ_st`, where `σ_st` counts shortest `s`–`t` paths
//! and `σ_st(v)` those through `v`. Endpoints are not counted.
//!
//! **Edge lengths** follow networkx: hops by default ([`EdgeLength::Hops`], `weight=None`); the
//! weight as length ([`EdgeLength::Weight`], `weight="weight"`); or `1/weight`
//! ([`EdgeLength::InverseWeight`]), the sensible choice for call counts.
//!
//! **Normalisation** is networkx's `betweenness_centrality(normalized=True)`: divide by
//! `(n-1)(n-2)` for both directed and undirected graphs (for undirected graphs the ordered-pair
//! sum double counts, which cancels the usual `2/((n-1)(n-2))`). Unnormalised undirected values
//! are halved, as in networkx.
//!
//! **Matches** networkx `betweenness_centrality(G, normalized=…, weight=…)`, including its exact
//! float tie rule for weighted paths; the sampled version uses networkx 3.6's scaling for
//! `k` pivots (pivots are scaled by `1/(k-1)`, other nodes by `1/k`), so `k = n` is exact.
//!
//! # Complexity
//! Exact: O(n·m) unweighted, O(n·m log n) weighted; O(n + m) memory (successor checks on the
//! CSR replace Brandes' predecessor lists, so nothing is allocated per source).
//! Sampled: O(k·m) / O(k·m log n), which is what makes 100k-node graphs tractable.

use crate::error::GraphError;
use crate::graph::{Csr, Direction, EdgeLength, Graph};
use crate::paths::Sssp;
use crate::rng::Rng;

/// Options for betweenness.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BetweennessOptions {
    /// Follow arc direction or not.
    pub direction: Direction,
    /// How an edge becomes a length.
    pub length: EdgeLength,
    /// Scale like networkx `normalized=True`.
    pub normalized: bool,
}

impl Default for BetweennessOptions {
    /// Directed (if the graph is), hop counts, normalised: networkx's defaults.
    fn default() -> Self {
        Self {
            direction: Direction::Directed,
            length: EdgeLength::Hops,
            normalized: true,
        }
    }
}

/// Sampled betweenness with its error bound.
#[derive(Debug, Clone, PartialEq)]
pub struct ApproxBetweenness {
    /// Estimated betweenness per node, scaled as the exact function would be.
    pub values: Vec<f64>,
    /// The pivot (source) nodes used.
    pub pivots: Vec<usize>,
    node_count: usize,
}

impl ApproxBetweenness {
    /// Half-width `ε` such that, with probability at least `1 - delta`, **every** node's
    /// *normalised* estimate is within `ε` of its exact normalised betweenness.
    ///
    /// Each pivot `s` contributes `δ_s(v)/(n-2) ∈ [0, 1]` and the normalised betweenness is the
    /// mean of that over sources `s ≠ v`; pivots are drawn without replacement, for which
    /// Hoeffding's inequality still holds. With at least `k-1` usable pivots per node and a
    /// union bound over `n` nodes: `ε = sqrt(ln(2n/δ) / (2(k-1)))`. Returns 0 when every node was
    /// a pivot (the result is exact) and infinity when `k < 2`.
    pub fn error_bound(&self, delta: f64) -> f64 {
        let k = self.pivots.len();
        let n = self.node_count;
        if k >= n {
            return 0.0;
        }
        if k < 2 {
            return f64::INFINITY;
        }
        ((2.0 * n as f64 / delta).ln() / (2.0 * (k - 1) as f64)).sqrt()
    }
}

/// Pivots needed so that [`ApproxBetweenness::error_bound`]`(delta) <= epsilon` on an
/// `n`-node graph (capped at `n`).
pub fn pivots_for_error(n: usize, epsilon: f64, delta: f64) -> usize {
    if n == 0 {
        return 0;
    }
    let k = ((2.0 * n as f64 / delta).ln() / (2.0 * epsilon * epsilon)).ceil() as usize + 1;
    k.min(n)
}

/// Exact betweenness of every node.
///
/// # Complexity
/// See the [module docs](self).
pub fn betweenness(g: &Graph, opts: &BetweennessOptions) -> Vec<f64> {
    let n = g.node_count();
    let csr = g.csr(opts.direction);
    let raw = accumulate(csr, 0..n, opts.length);
    let directed = g.is_directed() && opts.direction == Direction::Directed;
    rescale(raw, n, opts.normalized, directed, None)
}

/// Betweenness estimated from `pivots` source nodes drawn uniformly without replacement using
/// `seed`.
///
/// # Errors
/// [`GraphError::InvalidParameter`] if `pivots` is 0 or exceeds the node count.
///
/// # Complexity
/// O(pivots · m) unweighted, O(pivots · m log n) weighted; O(n + m) memory.
pub fn approximate_betweenness(
    g: &Graph,
    opts: &BetweennessOptions,
    pivots: usize,
    seed: u64,
) -> Result<ApproxBetweenness, GraphError> {
    let n = g.node_count();
    if pivots == 0 || pivots > n {
        return Err(GraphError::InvalidParameter {
            name: "pivots",
            reason: format!("must be in 1..={n}, got {pivots}"),
        });
    }
    // Partial Fisher–Yates: the first `pivots` slots become a uniform sample.
    let mut rng = Rng::new(seed);
    let mut idx: Vec<usize> = (0..n).collect();
    for i in 0..pivots {
        let j = i + rng.index(n - i);
        idx.swap(i, j);
    }
    idx.truncate(pivots);
    let csr = g.csr(opts.direction);
    let raw = accumulate(csr, idx.iter().copied(), opts.length);
    let directed = g.is_directed() && opts.direction == Direction::Directed;
    let values = rescale(raw, n, opts.normalized, directed, Some(&idx));
    Ok(ApproxBetweenness {
        values,
        pivots: idx,
        node_count: n,
    })
}

/// Raw Brandes dependency sums over the given sources (ordered pairs, endpoints excluded).
pub(crate) fn accumulate(
    csr: &Csr,
    sources: impl Iterator<Item = usize>,
    len: EdgeLength,
) -> Vec<f64> {
    let n = csr.node_count();
    let mut bc = vec![0.0; n];
    let mut delta = vec![0.0; n];
    let mut sp = Sssp::new(n);
    for s in sources {
        sp.run(csr, s, len, None);
        for &w in &sp.order {
            delta[w as usize] = 0.0;
        }
        // Reverse settle order: every successor x of w (dist[x] = dist[w] + len(w,x)) is
        // finished before w. The equality test is the one the forward pass used for sigma.
        for &w in sp.order.iter().rev() {
            let w = w as usize;
            let dw = sp.dist[w];
            let sw = sp.sigma[w];
            let mut acc = 0.0;
            for (x, wt) in csr.arcs(w) {
                if sp.dist[x] == dw + len.length(wt) {
                    acc += sw / sp.sigma[x] * (1.0 + delta[x]);
                }
            }
            delta[w] = acc;
            if w != s {
                bc[w] += acc;
            }
        }
    }
    bc
}

/// networkx 3.6 `_rescale` with `endpoints=False`.
fn rescale(
    mut bc: Vec<f64>,
    n: usize,
    normalized: bool,
    directed: bool,
    sampled: Option<&[usize]>,
) -> Vec<f64> {
    if n < 3 {
        return bc;
    }
    let big_n = (n - 1) as f64;
    let correction = if directed { 1.0 } else { 2.0 };
    match sampled {
        None => {
            let scale = if normalized {
                1.0 / (big_n * (big_n - 1.0))
            } else {
                1.0 / correction
            };
            bc.iter_mut().for_each(|b| *b *= scale);
        }
        Some(piv) => {
            let k = piv.len() as f64;
            let (src, non) = if normalized {
                (1.0 / ((k - 1.0) * (big_n - 1.0)), 1.0 / (k * (big_n - 1.0)))
            } else {
                (big_n / ((k - 1.0) * correction), big_n / (k * correction))
            };
            let mut is_pivot = vec![false; n];
            piv.iter().for_each(|&p| is_pivot[p] = true);
            for (v, b) in bc.iter_mut().enumerate() {
                // A single pivot says nothing about itself (0/0), like networkx's NaN.
                *b *= if is_pivot[v] {
                    if piv.len() > 1 { src } else { f64::NAN }
                } else {
                    non
                };
            }
        }
    }
    bc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path5() -> Graph {
        Graph::from_edges(
            false,
            [
                ("a", "b", 1.0),
                ("b", "c", 1.0),
                ("c", "d", 1.0),
                ("d", "e", 1.0),
            ],
        )
        .unwrap()
    }

    #[test]
    fn path_graph_by_hand() {
        // Unnormalised: b(c) = pairs {a,b}x{d,e} + ... = 4; b(b) = 3 (a with c,d,e).
        let g = path5();
        let opts = BetweennessOptions {
            normalized: false,
            ..Default::default()
        };
        assert_eq!(betweenness(&g, &opts), vec![0.0, 3.0, 4.0, 3.0, 0.0]);
        let norm = betweenness(&g, &BetweennessOptions::default());
        // networkx: 4 / ((4*3)/2) = 0.6666…
        assert!((norm[2] - 4.0 / 6.0).abs() < 1e-12);
    }

    #[test]
    fn weighted_length_reroutes() {
        // a-b-c cheap, a-c expensive as a distance: b is on the a–c shortest path only when the
        // weight is a length.
        let g =
            Graph::from_edges(false, [("a", "b", 1.0), ("b", "c", 1.0), ("a", "c", 5.0)]).unwrap();
        let mut opts = BetweennessOptions {
            normalized: false,
            ..Default::default()
        };
        assert_eq!(betweenness(&g, &opts)[1], 0.0);
        opts.length = EdgeLength::Weight;
        assert_eq!(betweenness(&g, &opts)[1], 1.0);
        opts.length = EdgeLength::InverseWeight;
        assert_eq!(betweenness(&g, &opts)[1], 0.0);
    }

    #[test]
    fn sampled_with_all_pivots_is_exact_and_bound_shrinks() {
        let g = path5();
        let opts = BetweennessOptions::default();
        let exact = betweenness(&g, &opts);
        let approx = approximate_betweenness(&g, &opts, 5, 9).unwrap();
        for (a, b) in exact.iter().zip(&approx.values) {
            assert!((a - b).abs() < 1e-12);
        }
        assert_eq!(approx.error_bound(0.05), 0.0);
        assert!(pivots_for_error(10_000, 0.05, 0.1) < pivots_for_error(10_000, 0.01, 0.1));
        assert!(approximate_betweenness(&g, &opts, 0, 1).is_err());
    }
}
