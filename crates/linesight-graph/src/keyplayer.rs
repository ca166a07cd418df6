//! Key players (Borgatti 2006, *Comput. Math. Organ. Theory* 12:21–34).
//!
//! - **KPP-Neg**: the set of `k` nodes whose removal most fragments the network. Two measures on
//!   the residual graph of `n'` nodes (so removed nodes are not counted as isolates):
//!   - fragmentation `F = 1 − Σ_c s_c(s_c − 1) / (n'(n' − 1))` over components `c` of size `s_c`
//!     (0 = still connected, 1 = all isolates);
//!   - distance-weighted fragmentation `DF = 1 − Σ_{i≠j} (1/d_ij) / (n'(n' − 1))` with
//!     `1/∞ = 0`, i.e. one minus the global efficiency of the residual graph; it also rewards
//!     lengthening paths, not only cutting them.
//! - **KPP-Pos**: the set of `k` nodes that reaches most others:
//!   - `m`-reach: share of the `n − k` outsiders within `m` steps of some member;
//!   - distance-weighted reach `DR = Σ_{j∉S} 1/d(S, j) / (n − k)`.
//!
//! Search follows Borgatti: a greedy start (add the best node `k` times) improved by swaps
//! (exchange a member for an outsider while the score rises), plus `restarts` random starting
//! sets improved the same way; the best set wins. The candidate order in swaps comes from the
//! seed, so a seed fixes the result. Graphs are used undirected and unweighted (hops).
//!
//! # Complexity
//! One evaluation costs O(n + m) for F and m-reach, O(n·m) for DF, O(n + m) for DR. Greedy takes
//! `k·n` evaluations and each swap pass `k·(n − k)`; this is meant for case-sized networks
//! (hundreds to a few thousand nodes), not for 100k-node graphs.

use crate::centrality::betweenness::{BetweennessOptions, betweenness};
use crate::centrality::degree::degrees;
use crate::centrality::top_k;
use crate::error::GraphError;
use crate::graph::{Csr, Direction, EdgeLength, Graph, NodeIdx};
use crate::paths::{Sssp, components};
use crate::rng::Rng;

/// What KPP-Neg maximises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NegObjective {
    /// Component-based fragmentation `F`.
    Fragmentation,
    /// Distance-weighted fragmentation `DF`.
    DistanceFragmentation,
}

/// What KPP-Pos maximises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PosObjective {
    /// Share of outsiders within `max_steps` of the set.
    Reach {
        /// The `m` in m-reach.
        max_steps: usize,
    },
    /// Distance-weighted reach `DR`.
    DistanceReach,
}

/// Search settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyPlayerOptions {
    /// Size of the set.
    pub k: usize,
    /// Seed for swap order and random restarts.
    pub seed: u64,
    /// Random starting sets tried in addition to the greedy one.
    pub restarts: usize,
    /// Cap on full swap passes per start.
    pub max_swap_passes: usize,
}

impl Default for KeyPlayerOptions {
    fn default() -> Self {
        Self {
            k: 3,
            seed: 0,
            restarts: 5,
            max_swap_passes: 50,
        }
    }
}

/// A key-player set and its score.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyPlayerSet {
    /// Members, ascending.
    pub nodes: Vec<NodeIdx>,
    /// The objective's value for this set.
    pub score: f64,
    /// How many sets were evaluated (a cost indicator).
    pub evaluations: usize,
}

fn alive_without(n: usize, removed: &[NodeIdx]) -> Vec<bool> {
    let mut alive = vec![true; n];
    removed.iter().for_each(|&r| alive[r] = false);
    alive
}

fn check_nodes(g: &Graph, nodes: &[NodeIdx]) -> Result<(), GraphError> {
    nodes.iter().try_for_each(|&v| g.check(v))
}

/// `F` after removing `removed` (duplicates ignored). 1 when fewer than two nodes remain.
///
/// # Errors
/// [`GraphError::NodeOutOfRange`] for a bad index.
pub fn fragmentation(g: &Graph, removed: &[NodeIdx]) -> Result<f64, GraphError> {
    check_nodes(g, removed)?;
    let alive = alive_without(g.node_count(), removed);
    Ok(frag_alive(g.undirected_csr(), &alive))
}

/// `DF` after removing `removed`. 1 when fewer than two nodes remain.
///
/// # Errors
/// [`GraphError::NodeOutOfRange`] for a bad index.
pub fn distance_fragmentation(g: &Graph, removed: &[NodeIdx]) -> Result<f64, GraphError> {
    check_nodes(g, removed)?;
    let alive = alive_without(g.node_count(), removed);
    let mut sp = Sssp::new(g.node_count());
    Ok(dist_frag_alive(g.undirected_csr(), &alive, &mut sp))
}

/// m-reach of `set`: share of the nodes outside the set within `max_steps` hops of it.
///
/// # Errors
/// [`GraphError::NodeOutOfRange`] for a bad index.
pub fn reach(g: &Graph, set: &[NodeIdx], max_steps: usize) -> Result<f64, GraphError> {
    check_nodes(g, set)?;
    Ok(reach_eval(g.undirected_csr(), set, Some(max_steps)))
}

/// Distance-weighted reach of `set`.
///
/// # Errors
/// [`GraphError::NodeOutOfRange`] for a bad index.
pub fn distance_reach(g: &Graph, set: &[NodeIdx]) -> Result<f64, GraphError> {
    check_nodes(g, set)?;
    Ok(reach_eval(g.undirected_csr(), set, None))
}

pub(crate) fn frag_alive(csr: &Csr, alive: &[bool]) -> f64 {
    let n = alive.iter().filter(|&&a| a).count();
    if n < 2 {
        return 1.0;
    }
    let (_, sizes) = components(csr, Some(alive));
    let pairs: f64 = sizes.iter().map(|&s| (s * (s - 1)) as f64).sum();
    1.0 - pairs / (n * (n - 1)) as f64
}

/// Global efficiency of the alive part (0 when fewer than two nodes are alive).
pub(crate) fn efficiency_alive(csr: &Csr, alive: &[bool], sp: &mut Sssp) -> f64 {
    let n = alive.iter().filter(|&&a| a).count();
    if n < 2 {
        return 0.0;
    }
    let mut total = 0.0;
    for s in (0..csr.node_count()).filter(|&s| alive[s]) {
        sp.run(csr, s, EdgeLength::Hops, Some(alive));
        total += sp
            .order
            .iter()
            .skip(1)
            .map(|&v| 1.0 / sp.dist[v as usize])
            .sum::<f64>();
    }
    total / (n * (n - 1)) as f64
}

fn dist_frag_alive(csr: &Csr, alive: &[bool], sp: &mut Sssp) -> f64 {
    if alive.iter().filter(|&&a| a).count() < 2 {
        return 1.0;
    }
    1.0 - efficiency_alive(csr, alive, sp)
}

/// Multi-source BFS from `set`; `Some(m)` gives m-reach, `None` distance-weighted reach.
fn reach_eval(csr: &Csr, set: &[NodeIdx], max_steps: Option<usize>) -> f64 {
    let n = csr.node_count();
    let mut dist = vec![usize::MAX; n];
    let mut queue = Vec::with_capacity(n);
    for &s in set {
        if dist[s] == usize::MAX {
            dist[s] = 0;
            queue.push(s);
        }
    }
    let k = queue.len();
    if n == k {
        return 0.0;
    }
    let mut head = 0;
    let mut score = 0.0;
    while head < queue.len() {
        let v = queue[head];
        head += 1;
        if max_steps.is_some_and(|m| dist[v] >= m) {
            continue;
        }
        for &u in csr.neighbors(v) {
            let u = u as usize;
            if dist[u] == usize::MAX {
                dist[u] = dist[v] + 1;
                queue.push(u);
                score += if max_steps.is_some() {
                    1.0
                } else {
                    1.0 / dist[u] as f64
                };
            }
        }
    }
    score / (n - k) as f64
}

fn validate(g: &Graph, opts: &KeyPlayerOptions) -> Result<(), GraphError> {
    if opts.k == 0 || opts.k >= g.node_count() {
        return Err(GraphError::InvalidParameter {
            name: "k",
            reason: format!(
                "must be in 1..{} for a graph of {} nodes, got {}",
                g.node_count(),
                g.node_count(),
                opts.k
            ),
        });
    }
    Ok(())
}

/// KPP-Neg: the `k` nodes whose removal maximises `objective`.
///
/// # Errors
/// [`GraphError::InvalidParameter`] unless `1 <= k < n`.
pub fn kpp_neg(
    g: &Graph,
    objective: NegObjective,
    opts: &KeyPlayerOptions,
) -> Result<KeyPlayerSet, GraphError> {
    validate(g, opts)?;
    let csr = g.undirected_csr();
    let n = g.node_count();
    let mut alive = vec![true; n];
    let mut sp = Sssp::new(n);
    let eval = |set: &[NodeIdx]| {
        set.iter().for_each(|&v| alive[v] = false);
        let s = match objective {
            NegObjective::Fragmentation => frag_alive(csr, &alive),
            NegObjective::DistanceFragmentation => dist_frag_alive(csr, &alive, &mut sp),
        };
        set.iter().for_each(|&v| alive[v] = true);
        s
    };
    Ok(search(n, opts, eval))
}

/// KPP-Pos: the `k` nodes that maximise `objective`.
///
/// # Errors
/// [`GraphError::InvalidParameter`] unless `1 <= k < n`.
pub fn kpp_pos(
    g: &Graph,
    objective: PosObjective,
    opts: &KeyPlayerOptions,
) -> Result<KeyPlayerSet, GraphError> {
    validate(g, opts)?;
    let csr = g.undirected_csr();
    let eval = |set: &[NodeIdx]| match objective {
        PosObjective::Reach { max_steps } => reach_eval(csr, set, Some(max_steps)),
        PosObjective::DistanceReach => reach_eval(csr, set, None),
    };
    Ok(search(g.node_count(), opts, eval))
}

/// Greedy + swap search with random restarts, maximising `eval`.
fn search(
    n: usize,
    opts: &KeyPlayerOptions,
    mut eval: impl FnMut(&[NodeIdx]) -> f64,
) -> KeyPlayerSet {
    let k = opts.k;
    let mut rng = Rng::new(opts.seed);
    let mut evaluations = 0usize;
    let mut in_set = vec![false; n];
    // Greedy start.
    let mut set: Vec<NodeIdx> = Vec::with_capacity(k);
    for _ in 0..k {
        let mut best = (f64::NEG_INFINITY, usize::MAX);
        for (c, _) in in_set.iter().enumerate().filter(|(_, inside)| !**inside) {
            set.push(c);
            let s = eval(&set);
            evaluations += 1;
            set.pop();
            if s > best.0 {
                best = (s, c);
            }
        }
        in_set[best.1] = true;
        set.push(best.1);
    }
    let mut best_score = swap_improve(&mut set, n, opts, &mut rng, &mut eval, &mut evaluations);
    let mut best_set = set;
    for _ in 0..opts.restarts {
        let mut all: Vec<NodeIdx> = (0..n).collect();
        rng.shuffle(&mut all);
        let mut start: Vec<NodeIdx> = all[..k].to_vec();
        let s = swap_improve(&mut start, n, opts, &mut rng, &mut eval, &mut evaluations);
        if s > best_score + 1e-12 {
            best_score = s;
            best_set = start;
        }
    }
    best_set.sort_unstable();
    KeyPlayerSet {
        nodes: best_set,
        score: best_score,
        evaluations,
    }
}

fn swap_improve(
    set: &mut [NodeIdx],
    n: usize,
    opts: &KeyPlayerOptions,
    rng: &mut Rng,
    eval: &mut impl FnMut(&[NodeIdx]) -> f64,
    evaluations: &mut usize,
) -> f64 {
    let mut current = eval(set);
    *evaluations += 1;
    let mut in_set = vec![false; n];
    set.iter().for_each(|&v| in_set[v] = true);
    let mut outsiders: Vec<NodeIdx> = Vec::with_capacity(n);
    for _ in 0..opts.max_swap_passes {
        let mut improved = false;
        for pos in 0..set.len() {
            outsiders.clear();
            outsiders.extend((0..n).filter(|&v| !in_set[v]));
            rng.shuffle(&mut outsiders);
            for &c in &outsiders {
                let old = set[pos];
                set[pos] = c;
                let s = eval(set);
                *evaluations += 1;
                if s > current + 1e-12 {
                    current = s;
                    in_set[old] = false;
                    in_set[c] = true;
                    improved = true;
                    break;
                }
                set[pos] = old;
            }
        }
        if !improved {
            break;
        }
    }
    current
}

/// How one way of choosing `k` arrests scores on the KPP-Neg measures.
#[derive(Debug, Clone, PartialEq)]
pub struct StrategyScore {
    /// `"kpp-neg"`, `"top-degree"` or `"top-betweenness"`.
    pub strategy: &'static str,
    /// The chosen nodes, ascending.
    pub nodes: Vec<NodeIdx>,
    /// Fragmentation `F` after removal.
    pub fragmentation: f64,
    /// Distance-weighted fragmentation `DF` after removal.
    pub distance_fragmentation: f64,
}

/// Compares KPP-Neg (optimising `objective`) with the naive top-`k` by degree and by
/// betweenness (undirected, hops), scoring each on both `F` and `DF`.
///
/// # Errors
/// As [`kpp_neg`].
pub fn compare_with_naive(
    g: &Graph,
    objective: NegObjective,
    opts: &KeyPlayerOptions,
) -> Result<Vec<StrategyScore>, GraphError> {
    let kpp = kpp_neg(g, objective, opts)?;
    let und = g.to_undirected();
    let deg: Vec<f64> = degrees(&und).total.iter().map(|&d| d as f64).collect();
    let bc = betweenness(
        &und,
        &BetweennessOptions {
            direction: Direction::Undirected,
            ..Default::default()
        },
    );
    let mut out = Vec::new();
    for (strategy, mut nodes) in [
        ("kpp-neg", kpp.nodes),
        ("top-degree", top_k(&deg, opts.k)),
        ("top-betweenness", top_k(&bc, opts.k)),
    ] {
        nodes.sort_unstable();
        out.push(StrategyScore {
            strategy,
            fragmentation: fragmentation(g, &nodes)?,
            distance_fragmentation: distance_fragmentation(g, &nodes)?,
            nodes,
        });
    }
    Ok(out)
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
    fn fragmentation_by_hand() {
        let g = path5();
        // Remove c: components {a,b},{d,e}; n' = 4: 1 - (2 + 2)/12 = 2/3.
        assert!((fragmentation(&g, &[2]).unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(fragmentation(&g, &[]).unwrap(), 0.0);
        // DF after removing c: reachable pairs (a,b),(d,e) both ways at distance 1 => 4/12.
        assert!((distance_fragmentation(&g, &[2]).unwrap() - 2.0 / 3.0).abs() < 1e-12);
        // Unbroken path: efficiency = 2*(4*1 + 3/2 + 2/3 + 1/4)/20.
        let eff = 2.0 * (4.0 + 1.5 + 2.0 / 3.0 + 0.25) / 20.0;
        assert!((distance_fragmentation(&g, &[]).unwrap() - (1.0 - eff)).abs() < 1e-12);
    }

    #[test]
    fn reach_by_hand() {
        let g = path5();
        assert_eq!(reach(&g, &[2], 1).unwrap(), 0.5);
        assert_eq!(reach(&g, &[2], 2).unwrap(), 1.0);
        assert!(
            (distance_reach(&g, &[0]).unwrap() - (1.0 + 0.5 + 1.0 / 3.0 + 0.25) / 4.0).abs()
                < 1e-12
        );
    }

    #[test]
    fn kpp_neg_picks_centre_of_path_and_pos_picks_centre() {
        let g = path5();
        let opts = KeyPlayerOptions {
            k: 1,
            ..Default::default()
        };
        assert_eq!(
            kpp_neg(&g, NegObjective::Fragmentation, &opts)
                .unwrap()
                .nodes,
            vec![2]
        );
        let pos = kpp_pos(&g, PosObjective::Reach { max_steps: 2 }, &opts).unwrap();
        assert_eq!(pos.nodes, vec![2]);
        assert_eq!(pos.score, 1.0);
        let bad = KeyPlayerOptions {
            k: 5,
            ..Default::default()
        };
        assert!(kpp_neg(&g, NegObjective::Fragmentation, &bad).is_err());
    }
}
