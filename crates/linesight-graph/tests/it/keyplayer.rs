//! Key players: the heuristic against brute force, and against naive rankings.

use linesight_graph::keyplayer::{
    KeyPlayerOptions, NegObjective, PosObjective, compare_with_naive, distance_fragmentation,
    distance_reach, fragmentation, kpp_neg, kpp_pos, reach,
};
use linesight_graph::{Graph, NodeIdx};

use crate::common::{fixture, graph_of};

/// All `k`-subsets of `0..n`, lexicographic.
fn subsets(n: usize, k: usize) -> Vec<Vec<NodeIdx>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    fn rec(start: usize, n: usize, k: usize, cur: &mut Vec<NodeIdx>, out: &mut Vec<Vec<NodeIdx>>) {
        if cur.len() == k {
            out.push(cur.clone());
            return;
        }
        for v in start..n {
            cur.push(v);
            rec(v + 1, n, k, cur, out);
            cur.pop();
        }
    }
    rec(0, n, k, &mut cur, &mut out);
    out
}

fn best_by(n: usize, k: usize, f: impl Fn(&[NodeIdx]) -> f64) -> f64 {
    subsets(n, k).iter().map(|s| f(s)).fold(f64::MIN, f64::max)
}

/// Two dense cliques and a star, linked through a few brokers: greedy-by-degree is misled.
fn trap_graph() -> Graph {
    let mut e: Vec<(String, String)> = Vec::new();
    for side in ["a", "b"] {
        for i in 0..4 {
            for j in i + 1..4 {
                e.push((format!("{side}{i}"), format!("{side}{j}")));
            }
        }
    }
    for leaf in 0..3 {
        e.push(("s".into(), format!("leaf{leaf}")));
    }
    e.push(("a0".into(), "x".into()));
    e.push(("x".into(), "b0".into()));
    e.push(("b1".into(), "y".into()));
    e.push(("y".into(), "s".into()));
    Graph::from_edges(false, e.iter().map(|(u, v)| (u.as_str(), v.as_str(), 1.0))).unwrap()
}

#[test]
fn kpp_neg_finds_brute_force_optimum() {
    for g in [graph_of(&fixture("florentine")), trap_graph()] {
        let n = g.node_count();
        for k in 1..=3 {
            let opts = KeyPlayerOptions {
                k,
                seed: 11,
                ..Default::default()
            };
            let got = kpp_neg(&g, NegObjective::Fragmentation, &opts).unwrap();
            let want = best_by(n, k, |s| fragmentation(&g, s).unwrap());
            assert!(
                (got.score - want).abs() < 1e-12,
                "F k={k}: {} vs {want}",
                got.score
            );
            assert!((fragmentation(&g, &got.nodes).unwrap() - got.score).abs() < 1e-12);
            let got = kpp_neg(&g, NegObjective::DistanceFragmentation, &opts).unwrap();
            let want = best_by(n, k, |s| distance_fragmentation(&g, s).unwrap());
            assert!(
                (got.score - want).abs() < 1e-12,
                "DF k={k}: {} vs {want}",
                got.score
            );
        }
    }
}

#[test]
fn kpp_pos_finds_brute_force_optimum() {
    let g = graph_of(&fixture("florentine"));
    let n = g.node_count();
    for k in 1..=3 {
        let opts = KeyPlayerOptions {
            k,
            seed: 5,
            ..Default::default()
        };
        let got = kpp_pos(&g, PosObjective::Reach { max_steps: 1 }, &opts).unwrap();
        let want = best_by(n, k, |s| reach(&g, s, 1).unwrap());
        assert!((got.score - want).abs() < 1e-12, "reach k={k}");
        let got = kpp_pos(&g, PosObjective::DistanceReach, &opts).unwrap();
        let want = best_by(n, k, |s| distance_reach(&g, s).unwrap());
        assert!((got.score - want).abs() < 1e-12, "DR k={k}");
    }
}

#[test]
fn kpp_neg_is_seed_deterministic_and_beats_naive_rankings() {
    let g = graph_of(&fixture("karate"));
    let opts = KeyPlayerOptions {
        k: 3,
        seed: 2,
        ..Default::default()
    };
    assert_eq!(
        kpp_neg(&g, NegObjective::Fragmentation, &opts).unwrap(),
        kpp_neg(&g, NegObjective::Fragmentation, &opts).unwrap()
    );
    let cmp = compare_with_naive(&g, NegObjective::Fragmentation, &opts).unwrap();
    assert_eq!(cmp.len(), 3);
    assert_eq!(cmp[0].strategy, "kpp-neg");
    for s in &cmp {
        println!(
            "karate k=3 {:<16} {:?} F={:.4} DF={:.4}",
            s.strategy, s.nodes, s.fragmentation, s.distance_fragmentation
        );
        assert!(cmp[0].fragmentation >= s.fragmentation - 1e-12);
    }
    // On the trap graph the top-degree set is inside the cliques and fragments less.
    let trap = trap_graph();
    let cmp = compare_with_naive(
        &trap,
        NegObjective::Fragmentation,
        &KeyPlayerOptions {
            k: 2,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        cmp[0].fragmentation > cmp[1].fragmentation + 0.05,
        "{cmp:?}"
    );
}
