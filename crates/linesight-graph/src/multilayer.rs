//! Two-mode (person–event) projection and multi-layer graphs.
//!
//! **Two-mode projection.** Attendance of people at events (meetings, co-presence at a cell
//! site, co-arrest) becomes a person–person graph: two people are tied if they attended a common
//! event. [`ProjectionWeight::SharedEvents`] weights a tie by the number of shared events
//! (networkx `bipartite.weighted_projected_graph`); [`ProjectionWeight::Newman`] by
//! `Σ_e 1/(k_e − 1)` over shared events with `k_e` attendees, so large gatherings count less
//! (networkx `bipartite.collaboration_weighted_projected_graph`). People at single-person events
//! are kept as isolated nodes.
//!
//! **Multi-layer.** Several edge types over one node set (e.g. `calls` and `meetings`, which
//! Calderoni & Superchi 2019 found to reveal different leaders). Every layer is a full
//! [`Graph`] over the *same* labels and indices, so per-layer results line up node by node;
//! [`MultiLayerGraph::flatten`] merges layers with per-layer multipliers.
//!
//! # Complexity
//! Projection O(Σ_e k_e²); building layers O(L·n + r log r); flattening O(L·n + r log r).

use std::collections::BTreeMap;

use crate::error::GraphError;
use crate::graph::{Graph, GraphBuilder};

/// How projected ties are weighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectionWeight {
    /// Number of shared events.
    SharedEvents,
    /// Newman's collaboration weight `Σ 1/(k_e − 1)`.
    Newman,
}

/// Projects `(person, event)` attendance pairs onto an undirected person graph. Repeated pairs
/// count once.
pub fn project_two_mode<'a>(
    attendance: impl IntoIterator<Item = (&'a str, &'a str)>,
    weighting: ProjectionWeight,
) -> Graph {
    let mut b = GraphBuilder::undirected();
    let mut events: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (person, event) in attendance {
        let p = b.add_node(person);
        events.entry(event).or_default().push(p);
    }
    let mut pair_w: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for members in events.values_mut() {
        members.sort_unstable();
        members.dedup();
        let k = members.len();
        if k < 2 {
            continue;
        }
        let w = match weighting {
            ProjectionWeight::SharedEvents => 1.0,
            ProjectionWeight::Newman => 1.0 / (k - 1) as f64,
        };
        for (i, &u) in members.iter().enumerate() {
            for &v in &members[i + 1..] {
                *pair_w.entry((u, v)).or_insert(0.0) += w;
            }
        }
    }
    let labels: Vec<String> = (0..).map_while(|i| b.label(i).map(str::to_owned)).collect();
    for ((u, v), w) in pair_w {
        b.add_edge(&labels[u], &labels[v], w)
            .expect("projected weights are positive and finite");
    }
    b.build()
}

/// `(source, target, weight, time)` as given to [`MultiLayerBuilder::add_edge`].
type LayerEdge = (String, String, f64, Option<i64>);

/// Builds a [`MultiLayerGraph`].
#[derive(Debug, Clone)]
pub struct MultiLayerBuilder {
    nodes: GraphBuilder,
    layers: BTreeMap<String, Vec<LayerEdge>>,
    attrs: Vec<(String, String, String)>,
}

impl MultiLayerBuilder {
    /// A builder whose layers are directed (`true`) or undirected.
    pub fn new(directed: bool) -> Self {
        Self {
            nodes: if directed {
                GraphBuilder::directed()
            } else {
                GraphBuilder::undirected()
            },
            layers: BTreeMap::new(),
            attrs: Vec::new(),
        }
    }

    /// Adds a node to every layer.
    pub fn add_node(&mut self, label: &str) {
        self.nodes.add_node(label);
    }

    /// Adds an edge to `layer`, optionally timed.
    ///
    /// # Errors
    /// [`GraphError::InvalidWeight`] unless `weight` is finite and positive.
    pub fn add_edge(
        &mut self,
        layer: &str,
        source: &str,
        target: &str,
        weight: f64,
        time: Option<i64>,
    ) -> Result<(), GraphError> {
        crate::graph::check_weight(source, target, weight)?;
        self.nodes.add_node(source);
        self.nodes.add_node(target);
        self.layers.entry(layer.to_owned()).or_default().push((
            source.to_owned(),
            target.to_owned(),
            weight,
            time,
        ));
        Ok(())
    }

    /// Sets a node attribute, shared by all layers.
    pub fn set_attr(&mut self, label: &str, key: &str, value: &str) {
        self.nodes.add_node(label);
        self.attrs
            .push((label.to_owned(), key.to_owned(), value.to_owned()));
    }

    /// Builds every layer over the common node set (layers in name order).
    pub fn build(self) -> MultiLayerGraph {
        let mut layers = Vec::with_capacity(self.layers.len());
        for (name, edges) in &self.layers {
            let mut b = self.nodes.clone();
            for (s, t, w, time) in edges {
                // Weights were validated in add_edge.
                let r = match time {
                    Some(t0) => b.add_timed_edge(s, t, *w, *t0),
                    None => b.add_edge(s, t, *w),
                };
                r.expect("weight validated on insertion");
            }
            for (l, k, v) in &self.attrs {
                b.set_attr(l, k, v);
            }
            layers.push((name.clone(), b.build()));
        }
        let mut empty = self.nodes;
        for (l, k, v) in &self.attrs {
            empty.set_attr(l, k, v);
        }
        MultiLayerGraph {
            empty: empty.build(),
            layers,
        }
    }
}

/// Layers of edges over one shared, identically indexed node set.
#[derive(Debug, Clone)]
pub struct MultiLayerGraph {
    empty: Graph,
    layers: Vec<(String, Graph)>,
}

impl MultiLayerGraph {
    /// Number of nodes (the same in every layer).
    pub fn node_count(&self) -> usize {
        self.empty.node_count()
    }

    /// Layer names, sorted.
    pub fn layer_names(&self) -> impl Iterator<Item = &str> {
        self.layers.iter().map(|(n, _)| n.as_str())
    }

    /// One layer as a graph.
    pub fn layer(&self, name: &str) -> Option<&Graph> {
        self.layers.iter().find(|(n, _)| n == name).map(|(_, g)| g)
    }

    /// All layers merged; each layer's weights are multiplied by `multiplier(name)` and layers
    /// with a multiplier of 0 are left out. Records keep their timestamps.
    ///
    /// # Errors
    /// [`GraphError::InvalidParameter`] for a negative or non-finite multiplier.
    pub fn flatten(&self, multiplier: impl Fn(&str) -> f64) -> Result<Graph, GraphError> {
        let mut b = if self.empty.is_directed() {
            GraphBuilder::directed()
        } else {
            GraphBuilder::undirected()
        };
        for l in self.empty.labels() {
            b.add_node(l);
        }
        for (name, g) in &self.layers {
            let m = multiplier(name);
            if !(m.is_finite() && m >= 0.0) {
                return Err(GraphError::InvalidParameter {
                    name: "multiplier",
                    reason: format!("layer {name:?} has multiplier {m}"),
                });
            }
            if m == 0.0 {
                continue;
            }
            for r in g.records() {
                let (s, t) = (g.label(r.source), g.label(r.target));
                match r.time {
                    Some(time) => b.add_timed_edge(s, t, r.weight * m, time)?,
                    None => b.add_edge(s, t, r.weight * m)?,
                }
            }
        }
        for key in self.empty.attr_keys() {
            for v in 0..self.node_count() {
                if let Some(val) = self.empty.attr(v, key) {
                    b.set_attr(self.empty.label(v), key, val);
                }
            }
        }
        Ok(b.build())
    }

    /// All layers merged with equal weight.
    pub fn flatten_all(&self) -> Graph {
        self.flatten(|_| 1.0).expect("unit multipliers are valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_weights_shared_events_and_newman() {
        let att = [
            ("a", "m1"),
            ("b", "m1"),
            ("c", "m1"),
            ("a", "m2"),
            ("b", "m2"),
            ("d", "m3"),
        ];
        let g = project_two_mode(att, ProjectionWeight::SharedEvents);
        assert_eq!(g.node_count(), 4);
        let (a, b, c) = (0, 1, 2);
        assert_eq!(g.out_csr().weight(a, b), Some(2.0));
        assert_eq!(g.out_csr().weight(a, c), Some(1.0));
        assert_eq!(g.out_csr().degree(3), 0);
        let n = project_two_mode(att, ProjectionWeight::Newman);
        // m1 has 3 attendees (1/2 each), m2 has 2 (1 each).
        assert_eq!(n.out_csr().weight(a, b), Some(1.5));
        assert_eq!(n.out_csr().weight(b, c), Some(0.5));
    }

    #[test]
    fn layers_share_indices_and_flatten_scales() {
        let mut b = MultiLayerBuilder::new(false);
        b.add_edge("calls", "a", "b", 3.0, Some(5)).unwrap();
        b.add_edge("meetings", "b", "c", 1.0, None).unwrap();
        b.set_attr("c", "role", "hub");
        let ml = b.build();
        assert_eq!(ml.layer_names().collect::<Vec<_>>(), ["calls", "meetings"]);
        let calls = ml.layer("calls").unwrap();
        let meet = ml.layer("meetings").unwrap();
        assert_eq!(calls.node_count(), 3);
        assert_eq!(calls.index_of("c"), meet.index_of("c"));
        assert_eq!(meet.attr(2, "role"), Some("hub"));
        let flat = ml
            .flatten(|l| if l == "meetings" { 10.0 } else { 1.0 })
            .unwrap();
        assert_eq!(flat.out_csr().weight(1, 2), Some(10.0));
        assert_eq!(flat.out_csr().weight(0, 1), Some(3.0));
        assert_eq!(flat.time_span(), Some((5, 5)));
        assert_eq!(flat.attr(2, "role"), Some("hub"));
        assert!(ml.flatten(|_| -1.0).is_err());
        assert_eq!(ml.flatten_all().edge_count(), 2);
    }
}
