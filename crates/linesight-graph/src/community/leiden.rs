//! The Leiden algorithm (Traag, Waltman & van Eck 2019, *Sci. Rep.* 9:5233) for modularity with
//! a resolution parameter.
//!
//! Each iteration has the paper's three phases, repeated on ever coarser graphs:
//! 1. **fast local moving**: nodes are visited from a queue (random initial order) and moved to
//!    the neighbouring community with the largest modularity gain
//!    `k_{v,C} − γ K_v Σ_C / 2m`; only neighbours of a moved node are re-queued;
//! 2. **refinement**: inside each community `S`, starting from singletons, a still-singleton node
//!    that is well connected to `S` may merge into a well-connected refined sub-community, chosen
//!    at random with probability ∝ `exp(ΔH/θ)` among non-negative gains `ΔH`. This is what
//!    guarantees connected communities (Louvain can produce disconnected ones);
//! 3. **aggregation** on the *refined* partition, with the unrefined partition as the starting
//!    point on the aggregate graph.
//!
//! Iterations repeat from the previous partition until modularity stops improving. As a final
//! safety net any community that is not connected is split into its components (which can only
//! raise modularity, since there are no edges between the parts).
//!
//! The graph is used undirected (weights of both directions summed). All randomness comes from
//! the seeded [`Rng`], so a seed fixes the result.
//!
//! No networkx counterpart (networkx has Louvain); quality is checked against Louvain and the
//! known optimum on Zachary's karate club (0.4198).
//!
//! # Complexity
//! Each local-moving pass is O(m) amortised per queue sweep; an iteration is typically
//! O(m log n) overall. Memory O(n + m).

use std::collections::VecDeque;

use super::dense_ids;
use super::modularity::undirected_modularity;
use crate::graph::{Csr, Graph};
use crate::rng::Rng;

/// Options for [`leiden`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeidenOptions {
    /// Resolution `γ`: higher gives more, smaller communities. 1 is classic modularity.
    pub resolution: f64,
    /// Seed for node orders and refinement choices.
    pub seed: u64,
    /// Use edge weights (`true`) or 1 per undirected edge.
    pub weighted: bool,
    /// Randomness of refinement (θ in the paper, in units of edge weight); small is greedier.
    pub theta: f64,
    /// Upper bound on full Leiden iterations.
    pub max_iterations: usize,
}

impl Default for LeidenOptions {
    fn default() -> Self {
        Self {
            resolution: 1.0,
            seed: 0,
            weighted: true,
            theta: 0.01,
            max_iterations: 50,
        }
    }
}

/// A partition of the nodes into communities.
#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    /// Community of each node, numbered `0..community_count` by lowest member index.
    pub membership: Vec<usize>,
    /// Number of communities.
    pub community_count: usize,
    /// Modularity of the partition at the resolution used (undirected, as optimised).
    pub modularity: f64,
}

impl Partition {
    /// Members of each community, ascending.
    pub fn communities(&self) -> Vec<Vec<usize>> {
        super::communities(&self.membership)
    }
}

/// Runs Leiden on the undirected view of `g`.
pub fn leiden(g: &Graph, opts: &LeidenOptions) -> Partition {
    let und = g.undirected_csr();
    let base = if opts.weighted {
        und.clone()
    } else {
        und.unit_weights()
    };
    let n = base.node_count();
    let k0: Vec<f64> = (0..n).map(|v| base.strength(v)).collect();
    let m2: f64 = k0.iter().sum();
    let gamma = opts.resolution;
    let mut membership: Vec<usize> = (0..n).collect();
    if m2 > 0.0 {
        let mut rng = Rng::new(opts.seed);
        let mut best = undirected_modularity(&base, &membership, n, gamma);
        for _ in 0..opts.max_iterations.max(1) {
            let next = iteration(&base, &k0, m2, gamma, opts.theta, &membership, &mut rng);
            let (next, k) = dense_ids(&next);
            let q = undirected_modularity(&base, &next, k, gamma);
            if q > best + 1e-12 {
                best = q;
                membership = next;
            } else {
                break;
            }
        }
    }
    let (membership, k) = dense_ids(&split_disconnected(&base, &membership));
    let modularity = undirected_modularity(&base, &membership, k, gamma);
    Partition {
        membership,
        community_count: k,
        modularity,
    }
}

/// Splits every community that is not connected in `csr` into its connected parts; the result
/// uses fresh ids.
///
/// # Complexity
/// O(n + m).
pub fn split_disconnected(csr: &Csr, membership: &[usize]) -> Vec<usize> {
    let n = csr.node_count();
    let mut out = vec![usize::MAX; n];
    let mut next = 0;
    let mut stack = Vec::new();
    for s in 0..n {
        if out[s] != usize::MAX {
            continue;
        }
        out[s] = next;
        stack.push(s);
        while let Some(v) = stack.pop() {
            for &u in csr.neighbors(v) {
                let u = u as usize;
                if out[u] == usize::MAX && membership[u] == membership[s] {
                    out[u] = next;
                    stack.push(u);
                }
            }
        }
        next += 1;
    }
    out
}

/// One Leiden iteration from `init`; returns the membership of the original nodes.
fn iteration(
    base: &Csr,
    k0: &[f64],
    m2: f64,
    gamma: f64,
    theta: f64,
    init: &[usize],
    rng: &mut Rng,
) -> Vec<usize> {
    let mut csr = base.clone();
    let mut kw = k0.to_vec();
    let mut node_of: Vec<usize> = (0..base.node_count()).collect();
    let (mut part, _) = dense_ids(init);
    loop {
        move_nodes_fast(&csr, &kw, m2, gamma, &mut part, rng);
        let (p, kc) = dense_ids(&part);
        part = p;
        if kc == csr.node_count() {
            break;
        }
        let (refined, rc) = dense_ids(&refine(&csr, &kw, m2, gamma, theta, &part, rng));
        // If refinement merged nothing, aggregating by it would loop forever; fall back to the
        // unrefined partition (Louvain's aggregation), which always shrinks the graph here.
        let (agg, ac) = if rc < csr.node_count() {
            (refined, rc)
        } else {
            (part.clone(), kc)
        };
        let mut arcs = Vec::with_capacity(csr.arc_count());
        let mut new_k = vec![0.0; ac];
        let mut new_part = vec![0; ac];
        for u in 0..csr.node_count() {
            new_k[agg[u]] += kw[u];
            new_part[agg[u]] = part[u];
            for (v, w) in csr.arcs(u) {
                arcs.push((agg[u] as u32, agg[v] as u32, w));
            }
        }
        for x in node_of.iter_mut() {
            *x = agg[*x];
        }
        csr = Csr::from_arcs(ac, arcs);
        kw = new_k;
        part = new_part;
    }
    node_of.into_iter().map(|x| part[x]).collect()
}

/// Queue-based local moving (phase 1). `part` holds dense ids `< n`.
fn move_nodes_fast(csr: &Csr, kw: &[f64], m2: f64, gamma: f64, part: &mut [usize], rng: &mut Rng) {
    let n = csr.node_count();
    let mut sigma = vec![0.0; n];
    let mut count = vec![0usize; n];
    for v in 0..n {
        sigma[part[v]] += kw[v];
        count[part[v]] += 1;
    }
    let mut empty: Vec<usize> = (0..n).filter(|&c| count[c] == 0).collect();
    let mut order: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut order);
    let mut queue: VecDeque<usize> = order.into();
    let mut queued = vec![true; n];
    let mut neigh_w = vec![0.0; n];
    let mut seen = vec![false; n];
    let mut touched: Vec<usize> = Vec::new();
    while let Some(v) = queue.pop_front() {
        queued[v] = false;
        let cv = part[v];
        for (u, w) in csr.arcs(v) {
            let c = part[u];
            if !seen[c] {
                seen[c] = true;
                touched.push(c);
            }
            neigh_w[c] += w;
        }
        sigma[cv] -= kw[v];
        count[cv] -= 1;
        let gain = |c: usize| neigh_w[c] - gamma * kw[v] * sigma[c] / m2;
        let mut best = cv;
        let mut best_gain = gain(cv);
        for &c in &touched {
            let g = gain(c);
            if g > best_gain {
                best = c;
                best_gain = g;
            }
        }
        if best_gain < 0.0 {
            // Being alone (gain 0) beats every community; v's old one is empty only if v was
            // alone, in which case best_gain would have been 0.
            best = empty
                .pop()
                .expect("an empty community exists when v was not alone");
        }
        sigma[best] += kw[v];
        count[best] += 1;
        if best != cv {
            if count[cv] == 0 {
                empty.push(cv);
            }
            part[v] = best;
            for &u in csr.neighbors(v) {
                let u = u as usize;
                if part[u] != best && !queued[u] {
                    queued[u] = true;
                    queue.push_back(u);
                }
            }
        }
        for &c in &touched {
            neigh_w[c] = 0.0;
            seen[c] = false;
        }
        touched.clear();
    }
}

/// Refinement (phase 2): returns refined community ids (`< n`) nested in `part`.
fn refine(
    csr: &Csr,
    kw: &[f64],
    m2: f64,
    gamma: f64,
    theta: f64,
    part: &[usize],
    rng: &mut Rng,
) -> Vec<usize> {
    let n = csr.node_count();
    let mut refined: Vec<usize> = (0..n).collect();
    let mut rk = kw.to_vec();
    let mut size = vec![1usize; n];
    let mut comm_k = vec![0.0; n];
    for v in 0..n {
        comm_k[part[v]] += kw[v];
    }
    // ext[r] = weight between refined community r and the rest of its community S.
    let mut ext: Vec<f64> = (0..n)
        .map(|v| {
            csr.arcs(v)
                .filter(|&(u, _)| part[u] == part[v])
                .map(|(_, w)| w)
                .sum()
        })
        .collect();
    let mut order: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut order);
    let mut neigh_w = vec![0.0; n];
    let mut seen = vec![false; n];
    let mut touched: Vec<usize> = Vec::new();
    let mut cands: Vec<(usize, f64)> = Vec::new();
    let mut probs: Vec<f64> = Vec::new();
    for v in order {
        let rv = refined[v];
        if size[rv] != 1 {
            continue;
        }
        let s = part[v];
        if ext[rv] < gamma * kw[v] * (comm_k[s] - kw[v]) / m2 {
            continue;
        }
        for (u, w) in csr.arcs(v) {
            if part[u] != s {
                continue;
            }
            let c = refined[u];
            if !seen[c] {
                seen[c] = true;
                touched.push(c);
            }
            neigh_w[c] += w;
        }
        cands.clear();
        cands.push((rv, 0.0));
        for &c in &touched {
            if c == rv || ext[c] < gamma * rk[c] * (comm_k[s] - rk[c]) / m2 {
                continue;
            }
            let g = neigh_w[c] - gamma * kw[v] * rk[c] / m2;
            if g >= 0.0 {
                cands.push((c, g));
            }
        }
        let max_gain = cands.iter().map(|c| c.1).fold(f64::MIN, f64::max);
        probs.clear();
        probs.extend(cands.iter().map(|c| ((c.1 - max_gain) / theta).exp()));
        let pick = rng.weighted_index(&probs).map_or(rv, |i| cands[i].0);
        if pick != rv {
            ext[pick] += ext[rv] - 2.0 * neigh_w[pick];
            rk[pick] += kw[v];
            size[pick] += 1;
            size[rv] = 0;
            rk[rv] = 0.0;
            refined[v] = pick;
        }
        for &c in &touched {
            neigh_w[c] = 0.0;
            seen[c] = false;
        }
        touched.clear();
    }
    refined
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_cliques() -> Graph {
        let mut e = Vec::new();
        let names = ["a0", "a1", "a2", "a3", "b0", "b1", "b2", "b3"];
        for side in [0, 4] {
            for i in 0..4 {
                for j in i + 1..4 {
                    e.push((names[side + i], names[side + j], 1.0));
                }
            }
        }
        e.push(("a0", "b0", 1.0));
        Graph::from_edges(false, e).unwrap()
    }

    #[test]
    fn finds_the_two_cliques() {
        let p = leiden(&two_cliques(), &LeidenOptions::default());
        assert_eq!(p.community_count, 2);
        assert_eq!(p.membership, vec![0, 0, 0, 0, 1, 1, 1, 1]);
        // m = 13: 2 * (6/13 - (13/26)^2).
        assert!((p.modularity - (12.0 / 13.0 - 0.5)).abs() < 1e-12);
    }

    #[test]
    fn split_disconnected_separates_parts() {
        let g = Graph::from_edges(false, [("a", "b", 1.0), ("c", "d", 1.0)]).unwrap();
        let s = split_disconnected(g.undirected_csr(), &[0, 0, 0, 0]);
        assert_eq!(s, vec![0, 0, 1, 1]);
    }

    #[test]
    fn edgeless_graph_gives_singletons() {
        let mut b = crate::graph::GraphBuilder::undirected();
        b.add_node("x");
        b.add_node("y");
        let p = leiden(&b.build(), &LeidenOptions::default());
        assert_eq!(p.community_count, 2);
        assert_eq!(p.modularity, 0.0);
    }
}
