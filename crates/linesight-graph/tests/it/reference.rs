//! networkx 3.6.1 parity on the committed fixtures (see `tests/reference/gen_reference.py`).

use linesight_graph::centrality::betweenness::{BetweennessOptions, betweenness};
use linesight_graph::centrality::brokerage::{constraint, effective_size};
use linesight_graph::centrality::closeness::closeness;
use linesight_graph::centrality::degree::degrees;
use linesight_graph::centrality::eigenvector::{EigenvectorOptions, eigenvector};
use linesight_graph::centrality::pagerank::{PageRankOptions, pagerank};
use linesight_graph::community::modularity;
use linesight_graph::disruption::global_efficiency;
use linesight_graph::{Direction, EdgeLength};

use crate::common::{assert_close, fixture, graph_of, values};

/// Exact algorithms: agreement to rounding.
const EXACT: f64 = 1e-9;
/// Iterative algorithms (power iteration): agreement to the stated 1e-6 and in practice better.
const ITERATIVE: f64 = 1e-8;

const FIXTURES: [&str; 4] = ["karate", "florentine", "directed_calls", "random200"];

#[test]
fn degree_betweenness_closeness_match_networkx() {
    for name in FIXTURES {
        let fx = fixture(name);
        let g = graph_of(&fx);
        assert_close(
            &format!("{name} degree"),
            &degrees(&g).centrality(),
            &values(&fx, "degree_centrality"),
            EXACT,
        );
        for (key, length, normalized) in [
            ("betweenness", EdgeLength::Hops, true),
            ("betweenness_unnormalized", EdgeLength::Hops, false),
            ("betweenness_weight", EdgeLength::Weight, true),
            (
                "betweenness_inverse_weight",
                EdgeLength::InverseWeight,
                true,
            ),
        ] {
            let opts = BetweennessOptions {
                direction: Direction::Directed,
                length,
                normalized,
            };
            let worst = assert_close(
                &format!("{name} {key}"),
                &betweenness(&g, &opts),
                &values(&fx, key),
                EXACT,
            );
            println!("{name:>15} {key:<28} max |diff| = {worst:.2e}");
        }
        for (key, length) in [
            ("closeness", EdgeLength::Hops),
            ("closeness_inverse_weight", EdgeLength::InverseWeight),
        ] {
            let worst = assert_close(
                &format!("{name} {key}"),
                &closeness(&g, Direction::Directed, length),
                &values(&fx, key),
                EXACT,
            );
            println!("{name:>15} {key:<28} max |diff| = {worst:.2e}");
        }
    }
}

#[test]
fn pagerank_and_eigenvector_match_networkx() {
    for name in FIXTURES {
        let fx = fixture(name);
        let g = graph_of(&fx);
        let pr = pagerank(&g, &PageRankOptions::default()).unwrap();
        let worst = assert_close(
            &format!("{name} pagerank"),
            &pr,
            &values(&fx, "pagerank"),
            ITERATIVE,
        );
        println!("{name:>15} pagerank                     max |diff| = {worst:.2e}");
        if g.is_directed() {
            continue;
        }
        for (key, weighted) in [("eigenvector", false), ("eigenvector_weighted", true)] {
            let opts = EigenvectorOptions {
                weighted,
                tol: 1e-13,
                max_iter: 100_000,
                ..Default::default()
            };
            let worst = assert_close(
                &format!("{name} {key}"),
                &eigenvector(&g, &opts).unwrap(),
                &values(&fx, key),
                ITERATIVE,
            );
            println!("{name:>15} {key:<28} max |diff| = {worst:.2e}");
        }
    }
}

#[test]
fn burt_measures_match_networkx() {
    for name in FIXTURES {
        let fx = fixture(name);
        let g = graph_of(&fx);
        // networkx gives NaN for nodes without *out*-neighbours in a digraph (it tests
        // `len(G[v])`); we define the measures for every non-isolated node, so those entries
        // (null in the fixture) are skipped by assert_close.
        for (key, got) in [
            ("constraint", constraint(&g, false)),
            ("effective_size", effective_size(&g, false)),
            ("constraint_weighted", constraint(&g, true)),
            ("effective_size_weighted", effective_size(&g, true)),
        ] {
            let worst = assert_close(&format!("{name} {key}"), &got, &values(&fx, key), EXACT);
            println!("{name:>15} {key:<28} max |diff| = {worst:.2e}");
        }
    }
}

#[test]
fn global_efficiency_matches_networkx() {
    for name in ["karate", "florentine", "random200"] {
        let fx = fixture(name);
        let g = graph_of(&fx);
        let want = fx["global_efficiency"].as_f64().unwrap();
        let got = global_efficiency(&g);
        assert!((got - want).abs() < EXACT, "{name}: {got} vs {want}");
    }
}

#[test]
fn modularity_matches_networkx() {
    for name in FIXTURES {
        let fx = fixture(name);
        let g = graph_of(&fx);
        let part: Vec<usize> = values(&fx, "partition")
            .iter()
            .map(|&x| x as usize)
            .collect();
        let cases = [
            ("partition_modularity", modularity(&g, &part, 1.0).unwrap()),
            (
                "partition_modularity_unweighted",
                modularity(&g.unweighted(), &part, 1.0).unwrap(),
            ),
            (
                "partition_modularity_resolution_0_5",
                modularity(&g, &part, 0.5).unwrap(),
            ),
        ];
        for (key, got) in cases {
            let want = fx[key].as_f64().unwrap();
            assert!((got - want).abs() < EXACT, "{name} {key}: {got} vs {want}");
        }
        if let Some(louvain) = fx.get("louvain_partition") {
            let part: Vec<usize> = louvain
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap() as usize)
                .collect();
            let want = fx["louvain_modularity"].as_f64().unwrap();
            let got = modularity(&g, &part, 1.0).unwrap();
            assert!(
                (got - want).abs() < EXACT,
                "{name} louvain: {got} vs {want}"
            );
        }
    }
}
