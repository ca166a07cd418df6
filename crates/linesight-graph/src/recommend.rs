//! Ranking arrest options by **lasting** damage: what is still broken after the network has had
//! time to rewire, not just what breaks on the day.
//!
//! For each candidate set the planner gets a reasoning record:
//! - *immediate damage* = `(before − after_removal) / before` on the chosen [`Metric`];
//! - for each recovery model, over `runs` seeded runs: the mean *recovered share*
//!   (see [`crate::recovery`]) and the mean *lasting damage*
//!   `(before − after_recovery) / before`;
//! - the candidate's lasting damage is the **minimum** over models, i.e. the network is assumed
//!   to use whichever repair mechanism works best for it, and the record names that model.
//!
//! Candidates are ranked by lasting damage (then immediate damage, then name). All candidates
//! use the same run seeds (common random numbers), so differences between them are not seed
//! noise. Negative damage means the network ended up *better* on that metric.
//!
//! # Complexity
//! `candidates × models × runs` recovery simulations (see [`crate::recovery`]).

use crate::centrality::betweenness::{BetweennessOptions, betweenness};
use crate::centrality::top_k;
use crate::disruption::{FlowSpec, Metric, simulate_removal};
use crate::error::GraphError;
use crate::graph::{Direction, Graph, NodeIdx};
use crate::keyplayer::{KeyPlayerOptions, NegObjective, kpp_neg};
use crate::recovery::{RecoveryModel, RecoveryOptions, simulate_recovery};
use crate::rng::Rng;

/// Where a candidate arrest set came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CandidateSource {
    /// Borgatti KPP-Neg (fragmentation).
    KppNeg,
    /// Top-k by betweenness (undirected, hops).
    TopBetweenness,
    /// Top-k by degree (undirected view).
    TopDegree,
    /// Top-k by degree among nodes with attribute `key == value`.
    TopRole {
        /// Attribute name, e.g. `"role"`.
        key: String,
        /// Attribute value, e.g. `"line_holder"`.
        value: String,
    },
    /// Given by the user.
    User,
}

/// A named arrest set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Display name, e.g. `"top-3 betweenness"`.
    pub name: String,
    /// Origin.
    pub source: CandidateSource,
    /// Nodes to remove, ascending.
    pub nodes: Vec<NodeIdx>,
}

impl Candidate {
    /// A user-given set.
    pub fn user(name: &str, mut nodes: Vec<NodeIdx>) -> Self {
        nodes.sort_unstable();
        nodes.dedup();
        Self {
            name: name.to_owned(),
            source: CandidateSource::User,
            nodes,
        }
    }
}

/// The standard candidates of size `k`: KPP-Neg, top betweenness, top degree, and top degree
/// within each `(key, value)` role in `roles` (skipped when no node has that role).
///
/// # Errors
/// As [`kpp_neg`] (e.g. `k >= n`).
pub fn standard_candidates(
    g: &Graph,
    k: usize,
    seed: u64,
    roles: &[(&str, &str)],
) -> Result<Vec<Candidate>, GraphError> {
    let kpp = kpp_neg(
        g,
        NegObjective::Fragmentation,
        &KeyPlayerOptions {
            k,
            seed,
            ..Default::default()
        },
    )?;
    let und = g.undirected_csr();
    let degree: Vec<f64> = (0..g.node_count()).map(|v| und.degree(v) as f64).collect();
    let bc = betweenness(
        g,
        &BetweennessOptions {
            direction: Direction::Undirected,
            ..Default::default()
        },
    );
    let sorted = |mut v: Vec<NodeIdx>| {
        v.sort_unstable();
        v
    };
    let mut out = vec![
        Candidate {
            name: format!("KPP-Neg k={k}"),
            source: CandidateSource::KppNeg,
            nodes: kpp.nodes,
        },
        Candidate {
            name: format!("top-{k} betweenness"),
            source: CandidateSource::TopBetweenness,
            nodes: sorted(top_k(&bc, k)),
        },
        Candidate {
            name: format!("top-{k} degree"),
            source: CandidateSource::TopDegree,
            nodes: sorted(top_k(&degree, k)),
        },
    ];
    for &(key, value) in roles {
        let members = g.nodes_with_attr(key, value);
        if members.is_empty() {
            continue;
        }
        let scores: Vec<f64> = members.iter().map(|&v| degree[v]).collect();
        let nodes = sorted(top_k(&scores, k).into_iter().map(|i| members[i]).collect());
        out.push(Candidate {
            name: format!("top-{k} {key}={value}"),
            source: CandidateSource::TopRole {
                key: key.to_owned(),
                value: value.to_owned(),
            },
            nodes,
        });
    }
    Ok(out)
}

/// Settings for [`recommend`].
#[derive(Debug, Clone, PartialEq)]
pub struct RecommendOptions {
    /// The health measure damage is judged on.
    pub metric: Metric,
    /// Recovery models to test each candidate against.
    pub models: Vec<RecoveryModel>,
    /// Recovery steps per run.
    pub steps: usize,
    /// Seeded runs per model (results are averaged).
    pub runs: usize,
    /// Master seed; run `i` uses the `i`-th seed drawn from it.
    pub seed: u64,
    /// Flow groups (required for [`Metric::Flow`]).
    pub flow: Option<FlowSpec>,
}

/// One model's verdict on one candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelOutcome {
    /// [`RecoveryModel::name`].
    pub model: String,
    /// Mean share of the damage undone; `None` if the removal did no damage.
    pub recovered_share: Option<f64>,
    /// Mean `(before − after_recovery) / before`.
    pub lasting_damage: f64,
}

/// The reasoning record of one candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// The candidate.
    pub candidate: Candidate,
    /// Labels of its nodes.
    pub labels: Vec<String>,
    /// `(before − after_removal) / before`.
    pub immediate_damage: f64,
    /// Minimum over models of the mean lasting damage (equals immediate damage without models).
    pub lasting_damage: f64,
    /// Recovered share under the limiting model.
    pub recovered_share: Option<f64>,
    /// Name of the model that undid most damage (`"none"` without models).
    pub limiting_model: String,
    /// Every model's outcome.
    pub per_model: Vec<ModelOutcome>,
}

/// Candidates ranked best first.
#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation {
    /// Metric used.
    pub metric: Metric,
    /// Its value on the intact network.
    pub baseline: f64,
    /// Assessments, highest lasting damage first.
    pub assessments: Vec<Assessment>,
}

impl Recommendation {
    /// Column headers of [`Recommendation::rows`].
    pub const HEADERS: [&'static str; 7] = [
        "rank",
        "candidate",
        "nodes",
        "immediate damage",
        "recovered share",
        "lasting damage",
        "limiting model",
    ];

    /// One printable row per assessment (percentages with one decimal).
    pub fn rows(&self) -> Vec<[String; 7]> {
        let pct = |x: f64| format!("{:.1}%", 100.0 * x);
        self.assessments
            .iter()
            .enumerate()
            .map(|(i, a)| {
                [
                    (i + 1).to_string(),
                    a.candidate.name.clone(),
                    a.labels.join(", "),
                    pct(a.immediate_damage),
                    a.recovered_share.map_or_else(|| "n/a".to_owned(), pct),
                    pct(a.lasting_damage),
                    a.limiting_model.clone(),
                ]
            })
            .collect()
    }
}

fn relative_damage(before: f64, after: f64) -> f64 {
    if before == 0.0 {
        0.0
    } else {
        (before - after) / before
    }
}

/// Assesses and ranks `candidates`.
///
/// # Errors
/// [`GraphError::InvalidParameter`] for [`Metric::Flow`] without a flow spec or `runs == 0`
/// with models; errors of [`simulate_recovery`].
pub fn recommend(
    g: &Graph,
    candidates: Vec<Candidate>,
    opts: &RecommendOptions,
) -> Result<Recommendation, GraphError> {
    if opts.metric == Metric::Flow && opts.flow.is_none() {
        return Err(GraphError::InvalidParameter {
            name: "flow",
            reason: "the flow metric needs a FlowSpec".into(),
        });
    }
    if opts.runs == 0 && !opts.models.is_empty() {
        return Err(GraphError::InvalidParameter {
            name: "runs",
            reason: "must be at least 1".into(),
        });
    }
    let mut master = Rng::new(opts.seed);
    let seeds: Vec<u64> = (0..opts.runs).map(|_| master.fork()).collect();
    let value = |m: &crate::disruption::NetworkMetrics| m.get(opts.metric).unwrap_or(0.0);
    let mut baseline = 0.0;
    let mut assessments = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        let removal = simulate_removal(g, &candidate.nodes, opts.flow.as_ref())?;
        baseline = value(&removal.before);
        let immediate_damage = relative_damage(baseline, value(&removal.after));
        let mut per_model = Vec::with_capacity(opts.models.len());
        for model in &opts.models {
            let (mut lasting, mut share_sum, mut share_n) = (0.0, 0.0, 0usize);
            for &seed in &seeds {
                let trace = simulate_recovery(
                    g,
                    &candidate.nodes,
                    model,
                    &RecoveryOptions {
                        steps: opts.steps,
                        seed,
                        flow: opts.flow.clone(),
                    },
                )?;
                lasting += relative_damage(baseline, value(trace.final_metrics()));
                if let Some(s) = trace.damage_undone(opts.metric, trace.steps.len()) {
                    share_sum += s;
                    share_n += 1;
                }
            }
            per_model.push(ModelOutcome {
                model: model.name(),
                recovered_share: (share_n > 0).then(|| share_sum / share_n as f64),
                lasting_damage: lasting / seeds.len() as f64,
            });
        }
        let limiting = per_model
            .iter()
            .min_by(|a, b| a.lasting_damage.total_cmp(&b.lasting_damage));
        let (lasting_damage, recovered_share, limiting_model) = match limiting {
            Some(m) => (m.lasting_damage, m.recovered_share, m.model.clone()),
            None => (immediate_damage, Some(0.0), "none".to_owned()),
        };
        assessments.push(Assessment {
            labels: candidate
                .nodes
                .iter()
                .map(|&v| g.label(v).to_owned())
                .collect(),
            candidate,
            immediate_damage,
            lasting_damage,
            recovered_share,
            limiting_model,
            per_model,
        });
    }
    assessments.sort_by(|a, b| {
        b.lasting_damage
            .total_cmp(&a.lasting_damage)
            .then(b.immediate_damage.total_cmp(&a.immediate_damage))
            .then(a.candidate.name.cmp(&b.candidate.name))
    });
    Ok(Recommendation {
        metric: opts.metric,
        baseline,
        assessments,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::GraphBuilder;

    #[test]
    fn bridge_beats_leaf_and_table_has_a_row_per_candidate() {
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
            b.add_edge(u, v, 1.0).unwrap();
        }
        let g = b.build();
        let x = g.index_of("x").unwrap();
        let a = g.index_of("a").unwrap();
        let opts = RecommendOptions {
            metric: Metric::LargestComponent,
            models: vec![RecoveryModel::PreferentialAttachment { probability: 0.0 }],
            steps: 2,
            runs: 2,
            seed: 1,
            flow: None,
        };
        let rec = recommend(
            &g,
            vec![
                Candidate::user("leaf", vec![a]),
                Candidate::user("bridge", vec![x]),
            ],
            &opts,
        )
        .unwrap();
        assert_eq!(rec.baseline, 7.0);
        assert_eq!(rec.assessments[0].candidate.name, "bridge");
        assert!((rec.assessments[0].lasting_damage - 4.0 / 7.0).abs() < 1e-12);
        assert_eq!(rec.rows().len(), 2);
        assert_eq!(rec.rows()[0][2], "x");
        let flow_opts = RecommendOptions {
            metric: Metric::Flow,
            ..opts
        };
        assert!(recommend(&g, vec![], &flow_opts).is_err());
    }
}
