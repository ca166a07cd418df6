//! Property tests on random graphs.

use linesight_graph::centrality::betweenness::{
    BetweennessOptions, approximate_betweenness, betweenness,
};
use linesight_graph::centrality::pagerank::{PageRankOptions, pagerank};
use linesight_graph::community::{LeidenOptions, leiden, modularity};
use linesight_graph::disruption::connected_components;
use linesight_graph::{Direction, EdgeLength, Graph, GraphBuilder};
use proptest::prelude::*;

fn arb_graph() -> impl Strategy<Value = Graph> {
    (3usize..25, any::<bool>()).prop_flat_map(|(n, directed)| {
        prop::collection::vec((0..n, 0..n, 1u32..6), 0..(3 * n)).prop_map(move |edges| {
            let mut b = if directed {
                GraphBuilder::directed()
            } else {
                GraphBuilder::undirected()
            };
            for v in 0..n {
                b.add_node(&v.to_string());
            }
            for (u, v, w) in edges {
                b.add_edge(&u.to_string(), &v.to_string(), f64::from(w))
                    .unwrap();
            }
            b.build()
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn sampling_every_node_equals_exact_betweenness(
        g in arb_graph(),
        seed in any::<u64>(),
        undirected in any::<bool>(),
        normalized in any::<bool>(),
        len in prop::sample::select(vec![EdgeLength::Hops, EdgeLength::Weight, EdgeLength::InverseWeight]),
    ) {
        let opts = BetweennessOptions {
            direction: if undirected { Direction::Undirected } else { Direction::Directed },
            length: len,
            normalized,
        };
        let exact = betweenness(&g, &opts);
        let approx = approximate_betweenness(&g, &opts, g.node_count(), seed).unwrap();
        for (a, b) in exact.iter().zip(&approx.values) {
            prop_assert!((a - b).abs() < 1e-9, "{a} vs {b}");
        }
        prop_assert_eq!(approx.error_bound(0.05), 0.0);
    }

    #[test]
    fn all_in_one_partition_has_zero_modularity(g in arb_graph()) {
        let q = modularity(&g, &vec![7; g.node_count()], 1.0).unwrap();
        prop_assert!(q.abs() < 1e-12, "{q}");
    }

    #[test]
    fn pagerank_is_a_distribution(g in arb_graph(), weighted in any::<bool>()) {
        let pr = pagerank(&g, &PageRankOptions { weighted, ..Default::default() }).unwrap();
        prop_assert!((pr.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        prop_assert!(pr.iter().all(|&p| p > 0.0));
    }

    #[test]
    fn leiden_communities_are_connected_and_modularity_is_consistent(g in arb_graph(), seed in any::<u64>()) {
        let p = leiden(&g, &LeidenOptions { seed, ..Default::default() });
        let q = modularity(&g.to_undirected(), &p.membership, 1.0).unwrap();
        prop_assert!((q - p.modularity).abs() < 1e-9);
        prop_assert!(p.modularity >= -1e-12 || g.edge_count() == 0);
        for members in p.communities() {
            let sub = g.induced_subgraph(&members).unwrap();
            prop_assert_eq!(connected_components(&sub).len(), 1);
        }
    }
}

/// Sampled betweenness is meant for whole-network call graphs: 100k nodes, 300k edges.
#[test]
fn approximate_betweenness_handles_100k_nodes() {
    use linesight_graph::rng::Rng;
    let n = 100_000;
    let mut rng = Rng::new(5);
    let mut b = GraphBuilder::undirected();
    for v in 0..n {
        b.add_node(&v.to_string());
    }
    let labels: Vec<String> = (0..n).map(|v| v.to_string()).collect();
    for _ in 0..3 * n {
        let (u, v) = (rng.index(n), rng.index(n));
        b.add_edge(&labels[u], &labels[v], 1.0).unwrap();
    }
    let g = b.build();
    let opts = BetweennessOptions {
        direction: Direction::Undirected,
        ..Default::default()
    };
    let approx = approximate_betweenness(&g, &opts, 16, 1).unwrap();
    assert_eq!(approx.values.len(), n);
    assert!(approx.values.iter().all(|b| b.is_finite() && *b >= 0.0));
    assert!(approx.values.iter().sum::<f64>() > 0.0);
    let eps = approx.error_bound(0.1);
    assert!(eps.is_finite() && eps < 1.0, "{eps}");
}
