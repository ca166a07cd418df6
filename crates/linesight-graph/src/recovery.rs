//! How a network repairs itself after arrests: seeded rewiring models run step by step.
//!
//! Research says the immediate hit is not the whole story: networks rewire around removed
//! actors and can come out more efficient (Duijn, Kashirin & Sloot 2014), decentralise under
//! pressure (Morselli & Petit 2007, CAVIAR), and recovery mechanisms matter more than the
//! immediate impact (Diviák 2023). Three mechanisms are modelled, each on the undirected view,
//! each stepped synchronously and driven only by the seed:
//!
//! - [`RecoveryModel::TriadicClosure`]: the *affected* survivors (former contacts of an
//!   arrested person) close triads among themselves. Each step every non-adjacent affected pair
//!   with `c > 0` shared contacts (alive common neighbours, plus arrested people both used to
//!   talk to, the introduction that was lost) links with probability `1 − (1 − p)^c`.
//! - [`RecoveryModel::PreferentialAttachment`]: each *orphan* (a survivor that lost `l` ties)
//!   may form up to `l` new ties in total, at most one per step with probability `p`, to a
//!   non-adjacent survivor chosen with probability proportional to its current degree.
//! - [`RecoveryModel::RoleReplacement`]: each step, each not-yet-replaced arrested person with
//!   role `R` is replaced with probability `p` by a surviving member with role `R` (uniformly
//!   chosen) or, if none survives and new recruits are allowed, by a new node (label
//!   `"<label>~replacement"`, same role and group). The replacement inherits the arrested
//!   person's ties to survivors, with their weights.
//!
//! New ties from the first two models have weight 1. The first two only add edges among a fixed
//! node set, so largest component, efficiency and flow never decrease step to step.
//!
//! "Share of damage undone" after `N` steps is
//! `(metric_after_recovery − metric_after_removal) / (metric_before − metric_after_removal)`:
//! 0 = no recovery, 1 = fully recovered, above 1 = stronger than before (the Duijn effect);
//! undefined (`None`) when the removal did no damage on that metric.
//!
//! # Complexity
//! Per step: triadic closure O(a² · d) for `a` affected nodes of degree `d`; preferential
//! attachment O(o · n) for `o` orphans; role replacement O(r · n). Every step also re-measures
//! the network (see [`crate::disruption`], dominated by O(n·m) efficiency).

use crate::disruption::{FlowGroups, FlowSpec, Metric, NetworkMetrics, measure_csr};
use crate::error::GraphError;
use crate::graph::{Csr, Graph, NodeIdx};
use crate::rng::Rng;

/// A rewiring mechanism and its parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum RecoveryModel {
    /// Former contacts of arrested people connect through shared contacts.
    TriadicClosure {
        /// Per-shared-contact probability of a new tie per step.
        probability: f64,
    },
    /// Orphaned survivors attach to high-degree survivors.
    PreferentialAttachment {
        /// Probability per step that an orphan with lost ties left forms a new tie.
        probability: f64,
    },
    /// Arrested people are replaced by a same-role survivor or a new recruit.
    RoleReplacement {
        /// Node attribute holding the role, e.g. `"role"`.
        role_key: String,
        /// Probability per step that a pending arrest is replaced.
        probability: f64,
        /// Whether a new node may be recruited when no same-role member survives.
        allow_new_nodes: bool,
    },
}

impl RecoveryModel {
    /// Short description with parameters, for tables.
    pub fn name(&self) -> String {
        match self {
            RecoveryModel::TriadicClosure { probability } => {
                format!("triadic closure (p={probability})")
            }
            RecoveryModel::PreferentialAttachment { probability } => {
                format!("preferential attachment (p={probability})")
            }
            RecoveryModel::RoleReplacement {
                role_key,
                probability,
                allow_new_nodes,
            } => format!(
                "role replacement ({role_key}, p={probability}{})",
                if *allow_new_nodes { ", recruits" } else { "" }
            ),
        }
    }

    fn probability(&self) -> f64 {
        match self {
            RecoveryModel::TriadicClosure { probability }
            | RecoveryModel::PreferentialAttachment { probability }
            | RecoveryModel::RoleReplacement { probability, .. } => *probability,
        }
    }
}

/// Simulation settings.
#[derive(Debug, Clone, PartialEq)]
pub struct RecoveryOptions {
    /// Number of recovery steps after the removal.
    pub steps: usize,
    /// Seed for the model's random choices.
    pub seed: u64,
    /// Hub→town flow to track, if groups are known.
    pub flow: Option<FlowSpec>,
}

/// Metrics after one recovery step.
#[derive(Debug, Clone, PartialEq)]
pub struct StepReport {
    /// Network metrics at the end of the step.
    pub metrics: NetworkMetrics,
    /// Ties created or strengthened in this step.
    pub ties_added: usize,
    /// New recruits created in this step.
    pub nodes_added: usize,
}

/// Who replaced whom (role replacement only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    /// Label of the arrested person.
    pub removed: String,
    /// Label of the replacement.
    pub replacement: String,
    /// Whether the replacement is a new recruit.
    pub recruited: bool,
    /// Step (1-based) at which it happened.
    pub step: usize,
}

/// The full course of one simulated recovery.
#[derive(Debug, Clone, PartialEq)]
pub struct RecoveryTrace {
    /// [`RecoveryModel::name`] of the model used.
    pub model: String,
    /// Intact network.
    pub before: NetworkMetrics,
    /// Right after the removal.
    pub after_removal: NetworkMetrics,
    /// One entry per recovery step.
    pub steps: Vec<StepReport>,
    /// Replacements made (role replacement only).
    pub replacements: Vec<Replacement>,
}

impl RecoveryTrace {
    /// Metrics after the last step (after removal if there were no steps).
    pub fn final_metrics(&self) -> &NetworkMetrics {
        self.steps
            .last()
            .map_or(&self.after_removal, |s| &s.metrics)
    }

    /// Share of the damage on `metric` undone after `step` steps (`0` = right after removal).
    /// `None` if the metric is unavailable, `step` is out of range, or there was no damage.
    pub fn damage_undone(&self, metric: Metric, step: usize) -> Option<f64> {
        let at = if step == 0 {
            &self.after_removal
        } else {
            &self.steps.get(step - 1)?.metrics
        };
        damage_undone(
            self.before.get(metric)?,
            self.after_removal.get(metric)?,
            at.get(metric)?,
        )
    }
}

/// `(after_recovery − after_removal) / (before − after_removal)`, `None` when the removal did
/// no damage (denominator within 1e-12 of zero).
pub fn damage_undone(before: f64, after_removal: f64, after_recovery: f64) -> Option<f64> {
    let damage = before - after_removal;
    if damage.abs() < 1e-12 {
        None
    } else {
        Some((after_recovery - after_removal) / damage)
    }
}

/// Mutable undirected network used during simulation.
struct Net {
    adj: Vec<Vec<(u32, f64)>>,
    alive: Vec<bool>,
    labels: Vec<String>,
    roles: Vec<Option<String>>,
    flow: Option<FlowGroups>,
}

impl Net {
    fn new(g: &Graph, role_key: Option<&str>, flow: Option<&FlowSpec>) -> Self {
        let csr = g.undirected_csr();
        let n = g.node_count();
        Net {
            adj: (0..n)
                .map(|u| csr.arcs(u).map(|(v, w)| (v as u32, w)).collect())
                .collect(),
            alive: vec![true; n],
            labels: g.labels().to_vec(),
            roles: (0..n)
                .map(|v| role_key.and_then(|k| g.attr(v, k)).map(str::to_owned))
                .collect(),
            flow: flow.map(|f| FlowGroups::of(g, f)),
        }
    }

    fn has_edge(&self, u: usize, v: usize) -> bool {
        self.adj[u]
            .binary_search_by_key(&(v as u32), |e| e.0)
            .is_ok()
    }

    fn add_weight(&mut self, u: usize, v: usize, w: f64) {
        for (a, b) in [(u, v), (v, u)] {
            match self.adj[a].binary_search_by_key(&(b as u32), |e| e.0) {
                Ok(i) => self.adj[a][i].1 += w,
                Err(i) => self.adj[a].insert(i, (b as u32, w)),
            }
        }
    }

    /// Removes `r` and returns its former ties.
    fn remove(&mut self, r: usize) -> Vec<(u32, f64)> {
        let ties = std::mem::take(&mut self.adj[r]);
        for &(v, _) in &ties {
            let list = &mut self.adj[v as usize];
            if let Ok(i) = list.binary_search_by_key(&(r as u32), |e| e.0) {
                list.remove(i);
            }
        }
        self.alive[r] = false;
        ties
    }

    fn push_node(&mut self, label: String, role: Option<String>, like: usize) -> usize {
        self.adj.push(Vec::new());
        self.alive.push(true);
        self.labels.push(label);
        self.roles.push(role);
        if let Some(f) = &mut self.flow {
            f.source.push(f.source[like]);
            f.sink.push(f.sink[like]);
        }
        self.adj.len() - 1
    }

    fn metrics(&self, baseline: usize) -> NetworkMetrics {
        let arcs = self
            .adj
            .iter()
            .enumerate()
            .flat_map(|(u, l)| l.iter().map(move |&(v, w)| (u as u32, v, w)))
            .collect();
        let csr = Csr::from_arcs(self.adj.len(), arcs);
        measure_csr(&csr, &self.alive, baseline, self.flow.as_ref())
    }
}

fn common(a: &[(u32, f64)], b: &[(u32, f64)]) -> usize {
    let (mut i, mut j, mut c) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                c += 1;
                i += 1;
                j += 1;
            }
        }
    }
    c
}

/// Removes `removed` from `g`, then runs `model` for `opts.steps` steps.
///
/// # Errors
/// [`GraphError::NodeOutOfRange`] for a bad index, [`GraphError::InvalidParameter`] for a
/// probability outside `[0, 1]`.
pub fn simulate_recovery(
    g: &Graph,
    removed: &[NodeIdx],
    model: &RecoveryModel,
    opts: &RecoveryOptions,
) -> Result<RecoveryTrace, GraphError> {
    let p = model.probability();
    if !(0.0..=1.0).contains(&p) {
        return Err(GraphError::InvalidParameter {
            name: "probability",
            reason: format!("must be in [0, 1], got {p}"),
        });
    }
    let mut removed_sorted: Vec<NodeIdx> = removed.to_vec();
    removed_sorted.sort_unstable();
    removed_sorted.dedup();
    for &r in &removed_sorted {
        g.check(r)?;
    }
    let role_key = match model {
        RecoveryModel::RoleReplacement { role_key, .. } => Some(role_key.as_str()),
        _ => None,
    };
    let baseline = g.node_count();
    let mut net = Net::new(g, role_key, opts.flow.as_ref());
    let before = net.metrics(baseline);

    // removed_nbrs[u]: arrested people u was tied to (sorted, with dummy weights) = lost ties.
    let mut removed_nbrs: Vec<Vec<(u32, f64)>> = vec![Vec::new(); baseline];
    let mut lost_ties: Vec<Vec<(u32, f64)>> = Vec::with_capacity(removed_sorted.len());
    for &r in &removed_sorted {
        let ties = net.remove(r);
        lost_ties.push(ties);
    }
    for (ties, &r) in lost_ties.iter().zip(&removed_sorted) {
        for &(v, _) in ties {
            if net.alive[v as usize] {
                removed_nbrs[v as usize].push((r as u32, 1.0));
            }
        }
    }
    let affected: Vec<usize> = (0..baseline)
        .filter(|&v| !removed_nbrs[v].is_empty())
        .collect();
    let after_removal = net.metrics(baseline);

    let mut rng = Rng::new(opts.seed);
    let mut budget: Vec<usize> = removed_nbrs.iter().map(Vec::len).collect();
    let mut pending: Vec<bool> = vec![true; removed_sorted.len()];
    let mut steps = Vec::with_capacity(opts.steps);
    let mut replacements = Vec::new();
    let mut to_add: Vec<(usize, usize)> = Vec::new();
    let mut weights: Vec<f64> = Vec::new();
    for step in 1..=opts.steps {
        let mut ties_added = 0;
        let mut nodes_added = 0;
        match model {
            RecoveryModel::TriadicClosure { probability } => {
                to_add.clear();
                for (i, &u) in affected.iter().enumerate() {
                    for &v in &affected[i + 1..] {
                        if net.has_edge(u, v) {
                            continue;
                        }
                        let c = common(&net.adj[u], &net.adj[v])
                            + common(&removed_nbrs[u], &removed_nbrs[v]);
                        if c > 0 && rng.chance(1.0 - (1.0 - probability).powi(c as i32)) {
                            to_add.push((u, v));
                        }
                    }
                }
                for &(u, v) in &to_add {
                    net.add_weight(u, v, 1.0);
                }
                ties_added = to_add.len();
            }
            RecoveryModel::PreferentialAttachment { probability } => {
                for &u in &affected {
                    if budget[u] == 0 || !rng.chance(*probability) {
                        continue;
                    }
                    weights.clear();
                    weights.extend((0..net.adj.len()).map(|v| {
                        if v == u || !net.alive[v] || net.has_edge(u, v) {
                            0.0
                        } else {
                            net.adj[v].len() as f64
                        }
                    }));
                    if let Some(v) = rng.weighted_index(&weights) {
                        net.add_weight(u, v, 1.0);
                        budget[u] -= 1;
                        ties_added += 1;
                    }
                }
            }
            RecoveryModel::RoleReplacement {
                probability,
                allow_new_nodes,
                ..
            } => {
                for (i, &r) in removed_sorted.iter().enumerate() {
                    if !pending[i] || !rng.chance(*probability) {
                        continue;
                    }
                    let role = net.roles[r].clone();
                    let members: Vec<usize> = match &role {
                        Some(role) => (0..net.adj.len())
                            .filter(|&v| net.alive[v] && net.roles[v].as_deref() == Some(role))
                            .collect(),
                        None => Vec::new(),
                    };
                    let (rep, recruited) = if !members.is_empty() {
                        (members[rng.index(members.len())], false)
                    } else if *allow_new_nodes {
                        let label = format!("{}~replacement", net.labels[r]);
                        nodes_added += 1;
                        (net.push_node(label, role, r), true)
                    } else {
                        continue;
                    };
                    for &(v, w) in &lost_ties[i] {
                        let v = v as usize;
                        if v != rep && net.alive[v] {
                            net.add_weight(rep, v, w);
                            ties_added += 1;
                        }
                    }
                    pending[i] = false;
                    replacements.push(Replacement {
                        removed: net.labels[r].clone(),
                        replacement: net.labels[rep].clone(),
                        recruited,
                        step,
                    });
                }
            }
        }
        steps.push(StepReport {
            metrics: net.metrics(baseline),
            ties_added,
            nodes_added,
        });
    }
    Ok(RecoveryTrace {
        model: model.name(),
        before,
        after_removal,
        steps,
        replacements,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::GraphBuilder;

    /// Star around `boss` with a ring of lieutenants: arresting the boss splits the leaves.
    fn star() -> Graph {
        let mut b = GraphBuilder::undirected();
        for leaf in ["a", "b", "c", "d"] {
            b.add_edge("boss", leaf, 1.0).unwrap();
        }
        b.add_edge("a", "b", 1.0).unwrap();
        b.set_attr("boss", "role", "line_holder");
        b.set_attr("c", "role", "line_holder");
        b.build()
    }

    fn opts(steps: usize, seed: u64) -> RecoveryOptions {
        RecoveryOptions {
            steps,
            seed,
            flow: None,
        }
    }

    #[test]
    fn triadic_closure_with_certainty_reconnects_all_former_contacts() {
        let g = star();
        let m = RecoveryModel::TriadicClosure { probability: 1.0 };
        let t = simulate_recovery(&g, &[0], &m, &opts(1, 1)).unwrap();
        assert_eq!(t.after_removal.largest_component, 2);
        assert_eq!(t.after_removal.components, 3);
        // Every pair of the 4 leaves shared the boss: all 5 missing pairs close.
        assert_eq!(t.steps[0].ties_added, 5);
        assert_eq!(t.final_metrics().largest_component, 4);
        assert_eq!(
            t.damage_undone(Metric::LargestComponent, 1),
            Some(2.0 / 3.0)
        );
    }

    #[test]
    fn role_replacement_prefers_surviving_member_then_recruits() {
        let g = star();
        let m = RecoveryModel::RoleReplacement {
            role_key: "role".into(),
            probability: 1.0,
            allow_new_nodes: true,
        };
        let t = simulate_recovery(&g, &[0], &m, &opts(2, 3)).unwrap();
        assert_eq!(t.replacements.len(), 1);
        assert_eq!(t.replacements[0].replacement, "c");
        assert!(!t.replacements[0].recruited);
        assert_eq!(t.final_metrics().largest_component, 4);
        // Arrest both line holders: the boss has no surviving peer, so a recruit appears, and
        // the recruit (now the only line holder) also takes over c's ties.
        let t = simulate_recovery(&g, &[0, 3], &m, &opts(1, 3)).unwrap();
        assert_eq!(t.replacements.len(), 2);
        assert!(t.replacements[0].recruited);
        assert_eq!(t.replacements[1].replacement, "boss~replacement");
        assert_eq!(t.steps[0].nodes_added, 1);
        assert_eq!(t.final_metrics().largest_component, 4);
    }

    #[test]
    fn zero_probability_recovers_nothing_and_bad_probability_is_rejected() {
        let g = star();
        let m = RecoveryModel::PreferentialAttachment { probability: 0.0 };
        let t = simulate_recovery(&g, &[0], &m, &opts(3, 1)).unwrap();
        assert_eq!(t.final_metrics(), &t.after_removal);
        assert_eq!(t.damage_undone(Metric::LargestComponent, 3), Some(0.0));
        let bad = RecoveryModel::TriadicClosure { probability: 1.5 };
        assert!(simulate_recovery(&g, &[0], &bad, &opts(1, 1)).is_err());
        assert_eq!(damage_undone(1.0, 1.0, 1.0), None);
    }
}
