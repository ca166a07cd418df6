//! The graph: labelled nodes, directed weighted edges, node attributes, and the compact CSR
//! adjacency every algorithm runs on.
//!
//! A [`Graph`] is immutable once built. It keeps three things:
//! - the **labels** (string ids such as phone numbers or nominal names) mapped to dense indices
//!   `0..n` in insertion order, so results are plain `Vec<f64>` indexed by node;
//! - the **edge records** as given (source, target, weight, optional timestamp), so that a
//!   time window can be cut and re-aggregated later;
//! - three **CSR** adjacencies built from the aggregated records: out-arcs, in-arcs and the
//!   undirected view. Parallel records between the same ordered pair are summed (weights count
//!   calls/texts), and in the undirected view `w(u,v) + w(v,u)` is summed as well.
//!
//! Self-loops (a handset calling itself, or a misparsed record) are kept in the records but
//! excluded from the adjacency: no algorithm here gives them a meaning.
//!
//! `--unweighted` analysis is [`Graph::unweighted`]: every aggregated arc gets weight 1.

use std::collections::{BTreeMap, HashMap};

use crate::error::GraphError;

/// Dense node index, `0..graph.node_count()`.
pub type NodeIdx = usize;

/// Which adjacency an algorithm should follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Follow arcs from source to target. On an undirected graph this is the same as
    /// [`Direction::Undirected`].
    Directed,
    /// Ignore direction; an undirected edge's weight is the sum of both arcs' weights.
    Undirected,
}

/// How path-based measures (betweenness, closeness) turn an edge into a length.
///
/// networkx's convention is followed: weights are used as distances only when the caller says
/// so; the default is hop count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum EdgeLength {
    /// Every edge has length 1 (networkx `weight=None`).
    #[default]
    Hops,
    /// The weight itself is the length (networkx `weight="weight"`). Rarely right for call
    /// counts, where more calls means *closer*; provided for parity with networkx.
    Weight,
    /// Length = 1 / weight, so frequently-called contacts are close (networkx with a
    /// precomputed `1/weight` edge attribute).
    InverseWeight,
}

impl EdgeLength {
    #[inline]
    pub(crate) fn length(self, w: f64) -> f64 {
        match self {
            EdgeLength::Hops => 1.0,
            EdgeLength::Weight => w,
            EdgeLength::InverseWeight => 1.0 / w,
        }
    }
}

/// Compressed sparse row adjacency: the neighbours of `u` are
/// `targets[offsets[u]..offsets[u + 1]]`, sorted ascending and unique, with matching weights.
#[derive(Debug, Clone, PartialEq)]
pub struct Csr {
    offsets: Vec<usize>,
    targets: Vec<u32>,
    weights: Vec<f64>,
}

impl Csr {
    /// Builds from arcs `(u, v, w)`; duplicates are summed and self-loops dropped.
    ///
    /// # Complexity
    /// O(n + a log a) for `a` arcs (one sort).
    pub(crate) fn from_arcs(n: usize, mut arcs: Vec<(u32, u32, f64)>) -> Csr {
        arcs.retain(|&(u, v, _)| u != v);
        arcs.sort_unstable_by_key(|&(u, v, _)| (u, v));
        let mut offsets = vec![0usize; n + 1];
        let mut targets = Vec::with_capacity(arcs.len());
        let mut weights: Vec<f64> = Vec::with_capacity(arcs.len());
        let mut prev: Option<(u32, u32)> = None;
        for (u, v, w) in arcs {
            if prev == Some((u, v)) {
                *weights.last_mut().expect("previous arc exists") += w;
                continue;
            }
            prev = Some((u, v));
            offsets[u as usize + 1] += 1;
            targets.push(v);
            weights.push(w);
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        Csr {
            offsets,
            targets,
            weights,
        }
    }

    /// Number of nodes.
    #[inline]
    pub fn node_count(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Number of stored arcs (an undirected edge is stored twice).
    #[inline]
    pub fn arc_count(&self) -> usize {
        self.targets.len()
    }

    /// Sorted neighbours of `u`.
    #[inline]
    pub fn neighbors(&self, u: NodeIdx) -> &[u32] {
        &self.targets[self.offsets[u]..self.offsets[u + 1]]
    }

    /// Weights parallel to [`Csr::neighbors`].
    #[inline]
    pub fn weights(&self, u: NodeIdx) -> &[f64] {
        &self.weights[self.offsets[u]..self.offsets[u + 1]]
    }

    /// `(neighbour, weight)` pairs of `u`.
    #[inline]
    pub fn arcs(&self, u: NodeIdx) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.neighbors(u)
            .iter()
            .zip(self.weights(u))
            .map(|(&v, &w)| (v as usize, w))
    }

    /// Number of neighbours of `u`.
    #[inline]
    pub fn degree(&self, u: NodeIdx) -> usize {
        self.offsets[u + 1] - self.offsets[u]
    }

    /// Sum of the weights of `u`'s arcs.
    #[inline]
    pub fn strength(&self, u: NodeIdx) -> f64 {
        self.weights(u).iter().sum()
    }

    /// Weight of arc `u -> v`, if present (binary search).
    pub fn weight(&self, u: NodeIdx, v: NodeIdx) -> Option<f64> {
        let nb = self.neighbors(u);
        nb.binary_search(&(v as u32))
            .ok()
            .map(|i| self.weights(u)[i])
    }

    /// Same structure with every weight set to 1.
    pub(crate) fn unit_weights(&self) -> Csr {
        Csr {
            offsets: self.offsets.clone(),
            targets: self.targets.clone(),
            weights: vec![1.0; self.targets.len()],
        }
    }
}

/// One edge as given to the builder, before aggregation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EdgeRecord {
    /// Source node.
    pub source: NodeIdx,
    /// Target node.
    pub target: NodeIdx,
    /// Positive weight (e.g. 1 per call, or a pre-aggregated count).
    pub weight: f64,
    /// Optional event time (any i64 scale the caller chooses, e.g. Unix seconds).
    pub time: Option<i64>,
}

/// Accumulates labelled edges and node attributes, then builds a [`Graph`].
#[derive(Debug, Clone)]
pub struct GraphBuilder {
    directed: bool,
    labels: Vec<String>,
    index: HashMap<String, NodeIdx>,
    attrs: BTreeMap<String, Vec<Option<String>>>,
    records: Vec<EdgeRecord>,
}

impl GraphBuilder {
    /// A builder for a directed graph (calls have a caller and a callee).
    pub fn directed() -> Self {
        Self::new(true)
    }

    /// A builder for an undirected graph (meetings, co-offending).
    pub fn undirected() -> Self {
        Self::new(false)
    }

    fn new(directed: bool) -> Self {
        Self {
            directed,
            labels: Vec::new(),
            index: HashMap::new(),
            attrs: BTreeMap::new(),
            records: Vec::new(),
        }
    }

    /// Index of `label`, adding the node if new. Nodes are numbered in first-seen order.
    pub fn add_node(&mut self, label: &str) -> NodeIdx {
        if let Some(&i) = self.index.get(label) {
            return i;
        }
        let i = self.labels.len();
        self.labels.push(label.to_owned());
        self.index.insert(label.to_owned(), i);
        i
    }

    /// Label of node `i`, if it exists yet.
    pub fn label(&self, i: NodeIdx) -> Option<&str> {
        self.labels.get(i).map(String::as_str)
    }

    /// Adds an untimed edge.
    ///
    /// # Errors
    /// [`GraphError::InvalidWeight`] unless `weight` is finite and positive.
    pub fn add_edge(&mut self, source: &str, target: &str, weight: f64) -> Result<(), GraphError> {
        self.push(source, target, weight, None)
    }

    /// Adds an edge that happened at `time`.
    ///
    /// # Errors
    /// [`GraphError::InvalidWeight`] unless `weight` is finite and positive.
    pub fn add_timed_edge(
        &mut self,
        source: &str,
        target: &str,
        weight: f64,
        time: i64,
    ) -> Result<(), GraphError> {
        self.push(source, target, weight, Some(time))
    }

    fn push(
        &mut self,
        source: &str,
        target: &str,
        weight: f64,
        time: Option<i64>,
    ) -> Result<(), GraphError> {
        check_weight(source, target, weight)?;
        let s = self.add_node(source);
        let t = self.add_node(target);
        self.records.push(EdgeRecord {
            source: s,
            target: t,
            weight,
            time,
        });
        Ok(())
    }

    /// Sets attribute `key` of node `label` (adding the node if new), e.g. `("role", "runner")`
    /// or `("group", "hub")`.
    pub fn set_attr(&mut self, label: &str, key: &str, value: &str) {
        let i = self.add_node(label);
        let col = self.attrs.entry(key.to_owned()).or_default();
        if col.len() <= i {
            col.resize(i + 1, None);
        }
        col[i] = Some(value.to_owned());
    }

    /// Aggregates the records into CSR adjacencies.
    ///
    /// # Complexity
    /// O(n + r log r) for `r` records.
    pub fn build(self) -> Graph {
        let n = self.labels.len();
        let mut attrs = self.attrs;
        for col in attrs.values_mut() {
            col.resize(n, None);
        }
        Graph::assemble(self.directed, self.labels, self.index, attrs, self.records)
    }
}

/// An immutable labelled graph with CSR adjacencies. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct Graph {
    directed: bool,
    labels: Vec<String>,
    index: HashMap<String, NodeIdx>,
    attrs: BTreeMap<String, Vec<Option<String>>>,
    records: Vec<EdgeRecord>,
    out: Csr,
    inc: Csr,
    und: Csr,
}

impl Graph {
    fn assemble(
        directed: bool,
        labels: Vec<String>,
        index: HashMap<String, NodeIdx>,
        attrs: BTreeMap<String, Vec<Option<String>>>,
        records: Vec<EdgeRecord>,
    ) -> Graph {
        let n = labels.len();
        let fwd: Vec<(u32, u32, f64)> = records
            .iter()
            .map(|r| (r.source as u32, r.target as u32, r.weight))
            .collect();
        let both: Vec<(u32, u32, f64)> = fwd
            .iter()
            .flat_map(|&(u, v, w)| [(u, v, w), (v, u, w)])
            .collect();
        let und = Csr::from_arcs(n, both);
        let (out, inc) = if directed {
            let rev = fwd.iter().map(|&(u, v, w)| (v, u, w)).collect();
            (Csr::from_arcs(n, fwd), Csr::from_arcs(n, rev))
        } else {
            (und.clone(), und.clone())
        };
        Graph {
            directed,
            labels,
            index,
            attrs,
            records,
            out,
            inc,
            und,
        }
    }

    /// Convenience: builds from `(source, target, weight)` triples.
    ///
    /// # Errors
    /// [`GraphError::InvalidWeight`] for a non-positive or non-finite weight.
    pub fn from_edges<'a>(
        directed: bool,
        edges: impl IntoIterator<Item = (&'a str, &'a str, f64)>,
    ) -> Result<Graph, GraphError> {
        let mut b = if directed {
            GraphBuilder::directed()
        } else {
            GraphBuilder::undirected()
        };
        for (s, t, w) in edges {
            b.add_edge(s, t, w)?;
        }
        Ok(b.build())
    }

    /// Whether edges have a direction.
    pub fn is_directed(&self) -> bool {
        self.directed
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.labels.len()
    }

    /// Number of distinct edges after aggregation: ordered pairs for a directed graph,
    /// unordered pairs for an undirected one (self-loops excluded).
    pub fn edge_count(&self) -> usize {
        if self.directed {
            self.out.arc_count()
        } else {
            self.und.arc_count() / 2
        }
    }

    /// Label of node `i`.
    pub fn label(&self, i: NodeIdx) -> &str {
        &self.labels[i]
    }

    /// All labels, indexed by node.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Index of the node labelled `label`.
    pub fn index_of(&self, label: &str) -> Option<NodeIdx> {
        self.index.get(label).copied()
    }

    /// Indices of the given labels.
    ///
    /// # Errors
    /// [`GraphError::UnknownNode`] for the first label not in the graph.
    pub fn indices_of<S: AsRef<str>>(&self, labels: &[S]) -> Result<Vec<NodeIdx>, GraphError> {
        labels
            .iter()
            .map(|l| {
                self.index_of(l.as_ref())
                    .ok_or_else(|| GraphError::UnknownNode(l.as_ref().to_owned()))
            })
            .collect()
    }

    /// Attribute `key` of node `i`, if set.
    pub fn attr(&self, i: NodeIdx, key: &str) -> Option<&str> {
        self.attrs.get(key).and_then(|c| c[i].as_deref())
    }

    /// Names of all attributes any node has.
    pub fn attr_keys(&self) -> impl Iterator<Item = &str> {
        self.attrs.keys().map(String::as_str)
    }

    /// Nodes whose attribute `key` equals `value`, ascending.
    pub fn nodes_with_attr(&self, key: &str, value: &str) -> Vec<NodeIdx> {
        match self.attrs.get(key) {
            None => Vec::new(),
            Some(col) => col
                .iter()
                .enumerate()
                .filter(|(_, v)| v.as_deref() == Some(value))
                .map(|(i, _)| i)
                .collect(),
        }
    }

    /// Sets attribute `key` of node `i` (e.g. after the graph was built from call records and
    /// roles come from intelligence).
    ///
    /// # Errors
    /// [`GraphError::NodeOutOfRange`] for a bad index.
    pub fn set_attr(&mut self, i: NodeIdx, key: &str, value: &str) -> Result<(), GraphError> {
        self.check(i)?;
        let n = self.node_count();
        let col = self
            .attrs
            .entry(key.to_owned())
            .or_insert_with(|| vec![None; n]);
        col[i] = Some(value.to_owned());
        Ok(())
    }

    /// The edge records as given, including timestamps and self-loops.
    pub fn records(&self) -> &[EdgeRecord] {
        &self.records
    }

    /// Out-arcs (for an undirected graph, the undirected adjacency).
    pub fn out_csr(&self) -> &Csr {
        &self.out
    }

    /// In-arcs: `in_csr().neighbors(v)` are the nodes with an arc into `v`.
    pub fn in_csr(&self) -> &Csr {
        &self.inc
    }

    /// Undirected view with summed weights `w(u,v) + w(v,u)`.
    pub fn undirected_csr(&self) -> &Csr {
        &self.und
    }

    /// The adjacency for `dir`.
    pub fn csr(&self, dir: Direction) -> &Csr {
        match dir {
            Direction::Directed => &self.out,
            Direction::Undirected => &self.und,
        }
    }

    /// Aggregated edges `(u, v, weight)`; for an undirected graph each edge once with `u < v`.
    pub fn edges(&self) -> Vec<(NodeIdx, NodeIdx, f64)> {
        let mut e = Vec::with_capacity(self.edge_count());
        for u in 0..self.node_count() {
            for (v, w) in self.out.arcs(u) {
                if self.directed || u < v {
                    e.push((u, v, w));
                }
            }
        }
        e
    }

    /// The same graph with every aggregated edge of weight 1 (the `--unweighted` view).
    /// Records are replaced by one untimed record per aggregated edge.
    pub fn unweighted(&self) -> Graph {
        let mut g = self.clone();
        g.out = self.out.unit_weights();
        g.inc = self.inc.unit_weights();
        // The undirected view of a unit-weight directed graph counts 1 per direction, like
        // networkx's mutual weight with `weight=None`.
        g.records = self
            .edges()
            .into_iter()
            .map(|(s, t, _)| EdgeRecord {
                source: s,
                target: t,
                weight: 1.0,
                time: None,
            })
            .collect();
        let both = g
            .records
            .iter()
            .flat_map(|r| {
                [
                    (r.source as u32, r.target as u32, 1.0),
                    (r.target as u32, r.source as u32, 1.0),
                ]
            })
            .collect();
        g.und = Csr::from_arcs(self.node_count(), both);
        g
    }

    /// Undirected copy; an edge's weight is the sum over both directions.
    pub fn to_undirected(&self) -> Graph {
        Graph::assemble(
            false,
            self.labels.clone(),
            self.index.clone(),
            self.attrs.clone(),
            self.records.clone(),
        )
    }

    /// Subgraph induced by `nodes` (in the given order, duplicates ignored): labels, attributes
    /// and the records between kept nodes survive.
    ///
    /// # Errors
    /// [`GraphError::NodeOutOfRange`] for a bad index.
    ///
    /// # Complexity
    /// O(n + r log r).
    pub fn induced_subgraph(&self, nodes: &[NodeIdx]) -> Result<Graph, GraphError> {
        let mut map = vec![usize::MAX; self.node_count()];
        let mut kept = Vec::with_capacity(nodes.len());
        for &i in nodes {
            self.check(i)?;
            if map[i] == usize::MAX {
                map[i] = kept.len();
                kept.push(i);
            }
        }
        let labels: Vec<String> = kept.iter().map(|&i| self.labels[i].clone()).collect();
        let index = labels
            .iter()
            .enumerate()
            .map(|(i, l)| (l.clone(), i))
            .collect();
        let attrs = self
            .attrs
            .iter()
            .map(|(k, col)| (k.clone(), kept.iter().map(|&i| col[i].clone()).collect()))
            .collect();
        let records = self
            .records
            .iter()
            .filter(|r| map[r.source] != usize::MAX && map[r.target] != usize::MAX)
            .map(|r| EdgeRecord {
                source: map[r.source],
                target: map[r.target],
                ..*r
            })
            .collect();
        Ok(Graph::assemble(
            self.directed,
            labels,
            index,
            attrs,
            records,
        ))
    }

    /// The graph without `removed` (an arrest scenario), re-indexed densely; the surviving
    /// nodes keep their relative order.
    ///
    /// # Errors
    /// [`GraphError::NodeOutOfRange`] for a bad index.
    pub fn without_nodes(&self, removed: &[NodeIdx]) -> Result<Graph, GraphError> {
        let mut drop = vec![false; self.node_count()];
        for &i in removed {
            self.check(i)?;
            drop[i] = true;
        }
        let keep: Vec<NodeIdx> = (0..self.node_count()).filter(|&i| !drop[i]).collect();
        self.induced_subgraph(&keep)
    }

    /// The graph of the records with `start <= time < end`, re-aggregated. All nodes are kept
    /// (so indices stay comparable between windows); untimed records are excluded.
    ///
    /// # Complexity
    /// O(n + r log r).
    pub fn time_window(&self, start: i64, end: i64) -> Graph {
        let records = self
            .records
            .iter()
            .filter(|r| matches!(r.time, Some(t) if t >= start && t < end))
            .copied()
            .collect();
        Graph::assemble(
            self.directed,
            self.labels.clone(),
            self.index.clone(),
            self.attrs.clone(),
            records,
        )
    }

    /// Earliest and latest record time, if any record is timed.
    pub fn time_span(&self) -> Option<(i64, i64)> {
        let mut it = self.records.iter().filter_map(|r| r.time);
        let first = it.next()?;
        Some(it.fold((first, first), |(lo, hi), t| (lo.min(t), hi.max(t))))
    }

    pub(crate) fn check(&self, i: NodeIdx) -> Result<(), GraphError> {
        if i < self.node_count() {
            Ok(())
        } else {
            Err(GraphError::NodeOutOfRange {
                index: i,
                node_count: self.node_count(),
            })
        }
    }
}

/// Edge weights count calls and meetings: they must be finite and positive.
pub(crate) fn check_weight(source: &str, target: &str, weight: f64) -> Result<(), GraphError> {
    if weight.is_finite() && weight > 0.0 {
        return Ok(());
    }
    Err(GraphError::InvalidWeight {
        source_label: source.to_owned(),
        target_label: target.to_owned(),
        weight,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls() -> Graph {
        let mut b = GraphBuilder::directed();
        b.add_timed_edge("a", "b", 1.0, 10).unwrap();
        b.add_timed_edge("a", "b", 1.0, 20).unwrap();
        b.add_timed_edge("b", "a", 1.0, 30).unwrap();
        b.add_timed_edge("b", "c", 2.0, 40).unwrap();
        b.add_edge("c", "c", 1.0).unwrap();
        b.set_attr("a", "role", "line_holder");
        b.build()
    }

    #[test]
    fn aggregates_parallel_records_and_drops_self_loops() {
        let g = calls();
        assert_eq!(g.node_count(), 3);
        assert_eq!(g.edge_count(), 3);
        assert_eq!(g.out_csr().weight(0, 1), Some(2.0));
        assert_eq!(g.in_csr().weight(1, 0), Some(2.0));
        assert_eq!(g.undirected_csr().weight(0, 1), Some(3.0));
        assert_eq!(g.out_csr().weight(2, 2), None);
        assert_eq!(g.records().len(), 5);
    }

    #[test]
    fn rejects_bad_weights() {
        let mut b = GraphBuilder::undirected();
        assert!(b.add_edge("a", "b", 0.0).is_err());
        assert!(b.add_edge("a", "b", f64::NAN).is_err());
        assert!(b.add_edge("a", "b", -1.0).is_err());
    }

    #[test]
    fn unweighted_view_counts_directions() {
        let g = calls().unweighted();
        assert_eq!(g.out_csr().weight(0, 1), Some(1.0));
        assert_eq!(g.undirected_csr().weight(0, 1), Some(2.0));
        assert_eq!(g.undirected_csr().weight(1, 2), Some(1.0));
    }

    #[test]
    fn time_window_reaggregates() {
        let g = calls();
        let w = g.time_window(15, 35);
        assert_eq!(w.node_count(), 3);
        assert_eq!(w.out_csr().weight(0, 1), Some(1.0));
        assert_eq!(w.out_csr().weight(1, 0), Some(1.0));
        assert_eq!(w.out_csr().weight(1, 2), None);
        assert_eq!(g.time_span(), Some((10, 40)));
    }

    #[test]
    fn induced_subgraph_keeps_labels_and_attrs() {
        let g = calls();
        let s = g.induced_subgraph(&[2, 0]).unwrap();
        assert_eq!(s.labels(), &["c".to_owned(), "a".to_owned()]);
        assert_eq!(s.attr(1, "role"), Some("line_holder"));
        assert_eq!(s.edge_count(), 0);
        let t = g.without_nodes(&[2]).unwrap();
        assert_eq!(t.edge_count(), 2);
        assert!(g.induced_subgraph(&[9]).is_err());
    }

    #[test]
    fn undirected_graph_stores_each_edge_once_in_edges() {
        let g = Graph::from_edges(false, [("x", "y", 2.0), ("y", "z", 1.0)]).unwrap();
        assert_eq!(g.edges(), vec![(0, 1, 2.0), (1, 2, 1.0)]);
        assert_eq!(g.out_csr().weight(1, 0), Some(2.0));
    }
}
