//! What an arrest does to a network, right away: connectivity, efficiency and hub→town flow.
//!
//! All measures use the undirected view (weights of both directions summed):
//! - **largest connected component** (absolute, and as a share of the node count *before*
//!   removal, so shares stay comparable across scenarios and recovery steps);
//! - **number of components**;
//! - **global efficiency** (Latora & Marchiori 2001): mean of `1/d_ij` over ordered pairs of the
//!   nodes present, hop distances, `1/∞ = 0`; **matches** networkx `global_efficiency`. Note
//!   that removing peripheral nodes can *raise* it (fewer, closer pairs), which is one way the
//!   Duijn et al. (2014) "more efficient after disruption" effect shows up;
//! - **hub→town flow** (optional, needs a group attribute): the maximum flow from all nodes of
//!   the source group (e.g. `"hub"`) to all nodes of the sink group (e.g. `"town"`), through
//!   undirected edges, computed with Dinic's algorithm on a super-source/super-sink network.
//!   With [`FlowMeasure::EdgeDisjointPaths`] every edge has capacity 1, so by Menger's theorem
//!   the value is the number of edge-disjoint hub–town paths: how many ties must be cut to sever
//!   supply. With [`FlowMeasure::CallVolume`] the capacity is the call count, a proxy for how
//!   much traffic the line can carry. A node in both groups is treated as a source only.
//!
//! # Complexity
//! Components O(n + m); efficiency O(n·m); flow O(V²E) worst case (Dinic), O(E·√V) for unit
//! capacities.

use crate::error::GraphError;
use crate::graph::{Csr, Graph, NodeIdx};
use crate::keyplayer::efficiency_alive;
use crate::paths::{Sssp, components};

/// How hub→town flow is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowMeasure {
    /// Unit capacities: number of edge-disjoint paths.
    EdgeDisjointPaths,
    /// Capacities are the (undirected, summed) call counts.
    CallVolume,
}

/// Which groups the flow runs between.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowSpec {
    /// Node attribute holding the group, e.g. `"group"`.
    pub group_key: String,
    /// Source group value, e.g. `"hub"`.
    pub source: String,
    /// Sink group value, e.g. `"town"`.
    pub sink: String,
    /// Capacity model.
    pub measure: FlowMeasure,
}

impl FlowSpec {
    /// Edge-disjoint paths from `"hub"` to `"town"` under attribute `group_key`.
    pub fn hub_to_town(group_key: &str) -> Self {
        Self {
            group_key: group_key.to_owned(),
            source: "hub".to_owned(),
            sink: "town".to_owned(),
            measure: FlowMeasure::EdgeDisjointPaths,
        }
    }
}

/// Network-level health measures.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkMetrics {
    /// Nodes present.
    pub nodes: usize,
    /// Undirected edges present.
    pub edges: usize,
    /// Size of the largest connected component.
    pub largest_component: usize,
    /// `largest_component` / node count before any removal.
    pub largest_component_share: f64,
    /// Number of connected components (isolates count).
    pub components: usize,
    /// Latora–Marchiori global efficiency.
    pub global_efficiency: f64,
    /// Hub→town max flow, when a [`FlowSpec`] was given.
    pub flow: Option<f64>,
}

/// A network-level measure to track, where larger means a healthier network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    /// Size of the largest component.
    LargestComponent,
    /// Global efficiency.
    GlobalEfficiency,
    /// Hub→town flow (requires a [`FlowSpec`]).
    Flow,
}

impl Metric {
    /// Short name for tables.
    pub fn name(self) -> &'static str {
        match self {
            Metric::LargestComponent => "largest component",
            Metric::GlobalEfficiency => "global efficiency",
            Metric::Flow => "hub-town flow",
        }
    }
}

impl NetworkMetrics {
    /// The value of `metric`, `None` for flow without a spec.
    pub fn get(&self, metric: Metric) -> Option<f64> {
        match metric {
            Metric::LargestComponent => Some(self.largest_component as f64),
            Metric::GlobalEfficiency => Some(self.global_efficiency),
            Metric::Flow => self.flow,
        }
    }
}

/// Immediate effect of removing a set of nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct RemovalReport {
    /// Metrics of the intact network.
    pub before: NetworkMetrics,
    /// Metrics after removal.
    pub after: NetworkMetrics,
}

/// Global efficiency of the undirected view of `g` (networkx `global_efficiency`).
///
/// # Complexity
/// O(n·m).
pub fn global_efficiency(g: &Graph) -> f64 {
    let alive = vec![true; g.node_count()];
    efficiency_alive(g.undirected_csr(), &alive, &mut Sssp::new(g.node_count()))
}

/// Connected components of the undirected view, largest first (ties by lowest member), each
/// ascending.
///
/// # Complexity
/// O(n + m).
pub fn connected_components(g: &Graph) -> Vec<Vec<NodeIdx>> {
    let (comp, sizes) = components(g.undirected_csr(), None);
    let mut out: Vec<Vec<NodeIdx>> = sizes.iter().map(|&s| Vec::with_capacity(s)).collect();
    for (v, &c) in comp.iter().enumerate() {
        out[c as usize].push(v);
    }
    out.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    out
}

/// Metrics of the intact graph.
pub fn measure(g: &Graph, flow: Option<&FlowSpec>) -> NetworkMetrics {
    let alive = vec![true; g.node_count()];
    let groups = flow.map(|f| FlowGroups::of(g, f));
    measure_csr(g.undirected_csr(), &alive, g.node_count(), groups.as_ref())
}

/// Removes `removed` (arrests) and reports metrics before and after.
///
/// # Errors
/// [`GraphError::NodeOutOfRange`] for a bad index.
pub fn simulate_removal(
    g: &Graph,
    removed: &[NodeIdx],
    flow: Option<&FlowSpec>,
) -> Result<RemovalReport, GraphError> {
    let n = g.node_count();
    let mut alive = vec![true; n];
    let groups = flow.map(|f| FlowGroups::of(g, f));
    let before = measure_csr(g.undirected_csr(), &alive, n, groups.as_ref());
    for &r in removed {
        g.check(r)?;
        alive[r] = false;
    }
    let after = measure_csr(g.undirected_csr(), &alive, n, groups.as_ref());
    Ok(RemovalReport { before, after })
}

/// Source/sink membership per node plus the capacity model.
#[derive(Debug, Clone)]
pub(crate) struct FlowGroups {
    pub(crate) source: Vec<bool>,
    pub(crate) sink: Vec<bool>,
    pub(crate) measure: FlowMeasure,
}

impl FlowGroups {
    pub(crate) fn of(g: &Graph, spec: &FlowSpec) -> Self {
        let n = g.node_count();
        let source: Vec<bool> = (0..n)
            .map(|v| g.attr(v, &spec.group_key) == Some(spec.source.as_str()))
            .collect();
        let sink = (0..n)
            .map(|v| !source[v] && g.attr(v, &spec.group_key) == Some(spec.sink.as_str()))
            .collect();
        Self {
            source,
            sink,
            measure: spec.measure,
        }
    }
}

/// Metrics of the alive part of `csr`; `baseline_nodes` is the denominator of the share.
pub(crate) fn measure_csr(
    csr: &Csr,
    alive: &[bool],
    baseline_nodes: usize,
    flow: Option<&FlowGroups>,
) -> NetworkMetrics {
    let n = alive.iter().filter(|&&a| a).count();
    let edges = (0..csr.node_count())
        .filter(|&u| alive[u])
        .map(|u| {
            csr.neighbors(u)
                .iter()
                .filter(|&&v| alive[v as usize] && (v as usize) > u)
                .count()
        })
        .sum();
    let (_, sizes) = components(csr, Some(alive));
    let largest = sizes.iter().copied().max().unwrap_or(0);
    let mut sp = Sssp::new(csr.node_count());
    NetworkMetrics {
        nodes: n,
        edges,
        largest_component: largest,
        largest_component_share: if baseline_nodes == 0 {
            0.0
        } else {
            largest as f64 / baseline_nodes as f64
        },
        components: sizes.len(),
        global_efficiency: efficiency_alive(csr, alive, &mut sp),
        flow: flow.map(|f| max_flow(csr, alive, f)),
    }
}

/// Dinic max-flow between the alive source and sink groups over undirected edges.
fn max_flow(csr: &Csr, alive: &[bool], groups: &FlowGroups) -> f64 {
    let n = csr.node_count();
    let (s, t) = (n, n + 1);
    let mut net = FlowNet::new(n + 2);
    for u in 0..n {
        if !alive[u] {
            continue;
        }
        for (v, w) in csr.arcs(u) {
            if v > u && alive[v] {
                let cap = match groups.measure {
                    FlowMeasure::EdgeDisjointPaths => 1.0,
                    FlowMeasure::CallVolume => w,
                };
                net.add_undirected(u, v, cap);
            }
        }
        if groups.source[u] {
            net.add_arc(s, u, f64::INFINITY);
        }
        if groups.sink[u] {
            net.add_arc(u, t, f64::INFINITY);
        }
    }
    net.max_flow(s, t)
}

/// Residual network for Dinic; arc `i ^ 1` is the reverse of arc `i`.
struct FlowNet {
    head: Vec<Vec<usize>>,
    to: Vec<usize>,
    cap: Vec<f64>,
}

impl FlowNet {
    fn new(n: usize) -> Self {
        Self {
            head: vec![Vec::new(); n],
            to: Vec::new(),
            cap: Vec::new(),
        }
    }

    fn add_pair(&mut self, u: usize, v: usize, cu: f64, cv: f64) {
        self.head[u].push(self.to.len());
        self.to.push(v);
        self.cap.push(cu);
        self.head[v].push(self.to.len());
        self.to.push(u);
        self.cap.push(cv);
    }

    fn add_arc(&mut self, u: usize, v: usize, c: f64) {
        self.add_pair(u, v, c, 0.0);
    }

    /// An undirected edge is one arc pair with capacity `c` both ways.
    fn add_undirected(&mut self, u: usize, v: usize, c: f64) {
        self.add_pair(u, v, c, c);
    }

    fn max_flow(&mut self, s: usize, t: usize) -> f64 {
        let n = self.head.len();
        let mut total = 0.0;
        let mut level = vec![usize::MAX; n];
        let mut it = vec![0usize; n];
        let mut queue = Vec::with_capacity(n);
        loop {
            level.iter_mut().for_each(|l| *l = usize::MAX);
            level[s] = 0;
            queue.clear();
            queue.push(s);
            let mut h = 0;
            while h < queue.len() {
                let u = queue[h];
                h += 1;
                for &a in &self.head[u] {
                    let v = self.to[a];
                    if self.cap[a] > 1e-12 && level[v] == usize::MAX {
                        level[v] = level[u] + 1;
                        queue.push(v);
                    }
                }
            }
            if level[t] == usize::MAX {
                return total;
            }
            it.iter_mut().for_each(|i| *i = 0);
            loop {
                let f = self.augment(s, t, f64::INFINITY, &level, &mut it);
                if f <= 1e-12 {
                    break;
                }
                // Sources and sinks are disjoint and every inner edge is finite, so every
                // augmenting path has a finite bottleneck.
                debug_assert!(f.is_finite());
                total += f;
            }
        }
    }

    /// Recursive DFS along the level graph; the depth is bounded by the BFS level of `t`.
    fn augment(
        &mut self,
        u: usize,
        t: usize,
        limit: f64,
        level: &[usize],
        it: &mut [usize],
    ) -> f64 {
        if u == t {
            return limit;
        }
        while it[u] < self.head[u].len() {
            let a = self.head[u][it[u]];
            let v = self.to[a];
            if self.cap[a] > 1e-12 && level[v] == level[u] + 1 {
                let f = self.augment(v, t, limit.min(self.cap[a]), level, it);
                if f > 1e-12 {
                    self.cap[a] -= f;
                    self.cap[a ^ 1] += f;
                    return f;
                }
            }
            it[u] += 1;
        }
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::GraphBuilder;

    /// Two triangles joined through bridge node `x`.
    fn bowtie() -> Graph {
        let mut b = GraphBuilder::undirected();
        for (u, v) in [
            ("a", "b"),
            ("b", "c"),
            ("c", "a"),
            ("c", "x"),
            ("x", "d"),
            ("d", "e"),
            ("e", "f"),
            ("f", "d"),
        ] {
            b.add_edge(u, v, 2.0).unwrap();
        }
        for v in ["a", "b", "c"] {
            b.set_attr(v, "group", "hub");
        }
        for v in ["d", "e", "f"] {
            b.set_attr(v, "group", "town");
        }
        b.build()
    }

    #[test]
    fn removing_the_bridge_splits_and_cuts_flow() {
        let g = bowtie();
        let x = g.index_of("x").unwrap();
        let spec = FlowSpec::hub_to_town("group");
        let r = simulate_removal(&g, &[x], Some(&spec)).unwrap();
        assert_eq!(r.before.components, 1);
        assert_eq!(r.before.largest_component, 7);
        assert_eq!(r.before.flow, Some(1.0));
        assert_eq!(r.after.components, 2);
        assert_eq!(r.after.largest_component, 3);
        assert!((r.after.largest_component_share - 3.0 / 7.0).abs() < 1e-12);
        assert_eq!(r.after.flow, Some(0.0));
        assert_eq!(r.after.nodes, 6);
        assert_eq!(r.after.edges, 6);
        // Two triangles: 12 ordered pairs at distance 1 among 30.
        assert!((r.after.global_efficiency - 12.0 / 30.0).abs() < 1e-12);
    }

    #[test]
    fn flow_counts_edge_disjoint_paths_and_volume() {
        // Hub h connects to town t via two disjoint two-step routes.
        let mut b = GraphBuilder::undirected();
        for (u, v, w) in [
            ("h", "p", 3.0),
            ("p", "t", 5.0),
            ("h", "q", 4.0),
            ("q", "t", 1.0),
        ] {
            b.add_edge(u, v, w).unwrap();
        }
        b.set_attr("h", "group", "hub");
        b.set_attr("t", "group", "town");
        let g = b.build();
        let mut spec = FlowSpec::hub_to_town("group");
        assert_eq!(measure(&g, Some(&spec)).flow, Some(2.0));
        spec.measure = FlowMeasure::CallVolume;
        assert_eq!(measure(&g, Some(&spec)).flow, Some(4.0));
    }

    #[test]
    fn components_are_sorted_largest_first() {
        let mut b = GraphBuilder::undirected();
        b.add_node("lonely");
        b.add_edge("a", "b", 1.0).unwrap();
        b.add_edge("b", "c", 1.0).unwrap();
        let cc = connected_components(&b.build());
        assert_eq!(cc, vec![vec![1, 2, 3], vec![0]]);
    }
}
