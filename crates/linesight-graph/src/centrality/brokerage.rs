//! Brokerage: Burt's structural-hole measures and Gould–Fernandez brokerage roles.
//!
//! **Burt (1992).** Ties are undirected with *mutual weight* `a_uv = w(u,v) + w(v,u)`; with
//! `p_uv = a_uv / Σ_k a_uk` (share of `u`'s ties invested in `v`) and
//! `m_uv = a_uv / max_k a_uk`:
//! - constraint `c(u) = Σ_{v∈N(u)} (p_uv + Σ_{w∈N(u)} p_uw p_wv)²` (high = embedded in a
//!   closed clique, low = spans structural holes);
//! - effective size `E(u) = Σ_{v∈N(u)} (1 − Σ_{w∈N(u)} p_uw m_vw)` (non-redundant contacts;
//!   for unweighted undirected graphs this is `deg − 2t/deg`, `t` = ties among neighbours).
//!
//! Both are NaN for isolated nodes. The unweighted case uses 1 per arc, so a reciprocated
//! directed tie weighs 2, exactly like networkx with `weight=None`. **Matches** networkx
//! `constraint` and `effective_size`, with one deliberate difference: on a directed graph
//! networkx returns NaN for any node without *out*-arcs (it tests `len(G[v])`), whereas here
//! such a node (e.g. a phone that only receives calls) gets its value from its in-ties.
//!
//! **Gould & Fernandez (1989).** For a directed two-step path `a → b → c` with no arc `a → c`,
//! broker `b` plays one of five roles by the groups of `a`, `b`, `c`: coordinator (all same),
//! itinerant/consultant (`a`, `c` same, `b` other), representative (`a`, `b` same, `c` other),
//! gatekeeper (`b`, `c` same, `a` other), liaison (all different). Nodes without a group take
//! part in no classified path. Not in networkx; verified by hand in the tests.
//!
//! # Complexity
//! Burt: O(Σ_u deg(u)² log d_max). Gould–Fernandez: O(Σ_b in(b)·out(b)·log d_max).

use crate::error::GraphError;
use crate::graph::{Csr, Graph};

/// Burt's constraint of every node (NaN for isolates).
pub fn constraint(g: &Graph, weighted: bool) -> Vec<f64> {
    let view = mutual_view(g, weighted);
    let csr = view.undirected_csr();
    let sums = strengths(csr);
    let n = csr.node_count();
    (0..n)
        .map(|u| {
            if csr.degree(u) == 0 {
                return f64::NAN;
            }
            csr.arcs(u)
                .map(|(v, a_uv)| {
                    let direct = a_uv / sums[u];
                    let indirect: f64 = csr
                        .arcs(u)
                        .map(|(w, a_uw)| a_uw / sums[u] * p(csr, &sums, w, v))
                        .sum();
                    (direct + indirect).powi(2)
                })
                .sum()
        })
        .collect()
}

/// Burt's effective size of every node (NaN for isolates).
pub fn effective_size(g: &Graph, weighted: bool) -> Vec<f64> {
    let view = mutual_view(g, weighted);
    let csr = view.undirected_csr();
    let sums = strengths(csr);
    let maxes: Vec<f64> = (0..csr.node_count())
        .map(|u| csr.weights(u).iter().copied().fold(0.0, f64::max))
        .collect();
    (0..csr.node_count())
        .map(|u| {
            if csr.degree(u) == 0 {
                return f64::NAN;
            }
            csr.arcs(u)
                .map(|(v, _)| {
                    let redundancy: f64 = csr
                        .arcs(u)
                        .map(|(w, a_uw)| {
                            let m_vw = csr.weight(v, w).map_or(0.0, |a| a / maxes[v]);
                            a_uw / sums[u] * m_vw
                        })
                        .sum();
                    1.0 - redundancy
                })
                .sum()
        })
        .collect()
}

fn mutual_view(g: &Graph, weighted: bool) -> std::borrow::Cow<'_, Graph> {
    if weighted {
        std::borrow::Cow::Borrowed(g)
    } else {
        std::borrow::Cow::Owned(g.unweighted())
    }
}

fn strengths(csr: &Csr) -> Vec<f64> {
    (0..csr.node_count()).map(|u| csr.strength(u)).collect()
}

#[inline]
fn p(csr: &Csr, sums: &[f64], u: usize, v: usize) -> f64 {
    csr.weight(u, v).map_or(0.0, |a| a / sums[u])
}

/// Gould–Fernandez role counts of one broker.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BrokerageRoles {
    /// `a`, `b`, `c` all in one group.
    pub coordinator: usize,
    /// `a` and `c` share a group, the broker is outside it.
    pub itinerant: usize,
    /// Broker in the source's group, target outside it.
    pub representative: usize,
    /// Broker in the target's group, source outside it.
    pub gatekeeper: usize,
    /// All three groups differ.
    pub liaison: usize,
}

impl BrokerageRoles {
    /// Sum over the five roles.
    pub fn total(&self) -> usize {
        self.coordinator + self.itinerant + self.representative + self.gatekeeper + self.liaison
    }
}

/// Gould–Fernandez brokerage roles of every node, using node attribute `group_key` (e.g.
/// `"group"` with values `"hub"`/`"town"`).
///
/// # Errors
/// [`GraphError::InvalidParameter`] if the graph is undirected (roles need a direction of flow).
pub fn gould_fernandez(g: &Graph, group_key: &str) -> Result<Vec<BrokerageRoles>, GraphError> {
    if !g.is_directed() {
        return Err(GraphError::InvalidParameter {
            name: "graph",
            reason: "Gould–Fernandez brokerage needs a directed graph".into(),
        });
    }
    let n = g.node_count();
    let out = g.out_csr();
    let inc = g.in_csr();
    let group: Vec<Option<&str>> = (0..n).map(|v| g.attr(v, group_key)).collect();
    let mut roles = vec![BrokerageRoles::default(); n];
    for (b, r) in roles.iter_mut().enumerate() {
        let Some(gb) = group[b] else { continue };
        for &a in inc.neighbors(b) {
            let a = a as usize;
            let Some(ga) = group[a] else { continue };
            for &c in out.neighbors(b) {
                let c = c as usize;
                if c == a || out.weight(a, c).is_some() {
                    continue;
                }
                let Some(gc) = group[c] else { continue };
                match (ga == gb, gb == gc, ga == gc) {
                    (true, true, _) => r.coordinator += 1,
                    (false, false, true) => r.itinerant += 1,
                    (true, false, _) => r.representative += 1,
                    (false, true, _) => r.gatekeeper += 1,
                    (false, false, false) => r.liaison += 1,
                }
            }
        }
    }
    Ok(roles)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::GraphBuilder;

    #[test]
    fn star_centre_is_unconstrained_and_fully_effective() {
        let g =
            Graph::from_edges(false, [("c", "a", 1.0), ("c", "b", 1.0), ("c", "d", 1.0)]).unwrap();
        let con = constraint(&g, false);
        // Centre: three contacts with p = 1/3 and no indirect paths => 3 * (1/3)^2.
        assert!((con[0] - 1.0 / 3.0).abs() < 1e-12);
        // Leaf: a single contact => 1.
        assert!((con[1] - 1.0).abs() < 1e-12);
        let es = effective_size(&g, false);
        assert!((es[0] - 3.0).abs() < 1e-12);
        assert!((es[1] - 1.0).abs() < 1e-12);
    }

    #[test]
    fn triangle_effective_size_matches_borgatti_shortcut() {
        let g =
            Graph::from_edges(false, [("a", "b", 1.0), ("b", "c", 1.0), ("c", "a", 1.0)]).unwrap();
        // deg 2, t = 1 tie among neighbours: 2 - 2*1/2 = 1.
        assert!(
            effective_size(&g, false)
                .iter()
                .all(|&e| (e - 1.0).abs() < 1e-12)
        );
        let mut b = GraphBuilder::undirected();
        b.add_node("lonely");
        assert!(constraint(&b.build(), false)[0].is_nan());
    }

    #[test]
    fn gould_fernandez_roles_by_hand() {
        let mut b = GraphBuilder::directed();
        // hub supplier h1 -> runner r (town) -> user u (town): r is a gatekeeper.
        b.add_edge("h1", "r", 1.0).unwrap();
        b.add_edge("r", "u", 1.0).unwrap();
        // h1 -> h2 -> r: h2 is a representative (same group as source, target elsewhere).
        b.add_edge("h1", "h2", 1.0).unwrap();
        b.add_edge("h2", "r", 1.0).unwrap();
        for (v, grp) in [("h1", "hub"), ("h2", "hub"), ("r", "town"), ("u", "town")] {
            b.set_attr(v, "group", grp);
        }
        let g = b.build();
        let roles = gould_fernandez(&g, "group").unwrap();
        let r = g.index_of("r").unwrap();
        let h2 = g.index_of("h2").unwrap();
        // Paths through r: h1->r->u (h1->u absent) gatekeeper; h2->r->u gatekeeper.
        assert_eq!(roles[r].gatekeeper, 2);
        assert_eq!(roles[r].total(), 2);
        // h1->h2->r is skipped because h1->r exists.
        assert_eq!(roles[h2].total(), 0);
        assert!(gould_fernandez(&g.to_undirected(), "group").is_err());
    }
}
