//! networkx 3.6.1 parity on the real criminal networks (CAVIAR phases 1, 6 and 11, Montagna
//! phone calls, the London street gang), read with this crate's readers.
//!
//! The data is not in this repository. The fixtures (`tests/reference/real_*.json`, numbers
//! only, from `gen_real.py`) are compared with what linesight computes when the shared datasets
//! are found at `../shared/datasets` next to the workspace or at `$LINESIGHT_DATASETS`; without
//! them each test prints a note and passes.

use std::path::{Path, PathBuf};

use linesight_graph::centrality::betweenness::{BetweennessOptions, betweenness};
use linesight_graph::centrality::closeness::closeness;
use linesight_graph::centrality::degree::degrees;
use linesight_graph::centrality::eigenvector::{EigenvectorOptions, eigenvector};
use linesight_graph::centrality::pagerank::{PageRankOptions, pagerank};
use linesight_graph::community::modularity;
use linesight_graph::disruption::global_efficiency;
use linesight_graph::keyplayer::fragmentation;
use linesight_graph::{Direction, EdgeLength, Graph};
use linesight_netio::{
    EdgeListOptions, GraphOptions, MetricOptions, NodeMetric, node_metric, read_adjacency,
    read_edge_list,
};
use serde_json::Value;

/// Exact algorithms agree to rounding.
const EXACT: f64 = 1e-9;
/// Iterative algorithms (power iteration) agree to their tolerance.
const ITERATIVE: f64 = 1e-6;

fn datasets_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("LINESIGHT_DATASETS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/datasets"),
        PathBuf::from,
    );
    dir.is_dir().then_some(dir)
}

fn fixture(name: &str) -> Value {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/reference/real_{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("fixture JSON")
}

/// Compares `got` (indexed by node) with a fixture map keyed by label; returns the worst error.
fn check(g: &Graph, name: &str, key: &str, got: &[f64], want: &Value, tol: f64) -> f64 {
    let want = want[key]
        .as_object()
        .unwrap_or_else(|| panic!("{name}: no {key}"));
    assert_eq!(want.len(), g.node_count(), "{name} {key}: node count");
    let mut worst: f64 = 0.0;
    for (label, w) in want {
        let v = g
            .index_of(label)
            .unwrap_or_else(|| panic!("{name}: node {label} missing"));
        let d = (got[v] - w.as_f64().unwrap()).abs();
        assert!(
            d <= tol,
            "{name} {key} node {label}: linesight {} networkx {w}",
            got[v]
        );
        worst = worst.max(d);
    }
    println!("{name:>22} {key:<32} max |diff| = {worst:.2e}");
    worst
}

fn compare(name: &str, g: &Graph) {
    let fx = fixture(name);
    assert_eq!(
        g.is_directed(),
        fx["directed"].as_bool().unwrap(),
        "{name}: direction"
    );
    assert_eq!(
        g.node_count() as u64,
        fx["node_count"].as_u64().unwrap(),
        "{name}: nodes"
    );
    assert_eq!(
        g.edge_count() as u64,
        fx["edge_count"].as_u64().unwrap(),
        "{name}: edges"
    );
    let dir = if g.is_directed() {
        Direction::Directed
    } else {
        Direction::Undirected
    };
    check(
        g,
        name,
        "degree_centrality",
        &degrees(g).centrality(),
        &fx,
        EXACT,
    );
    for (key, length) in [
        ("betweenness", EdgeLength::Hops),
        ("betweenness_inverse_weight", EdgeLength::InverseWeight),
    ] {
        let opts = BetweennessOptions {
            direction: dir,
            length,
            normalized: true,
        };
        check(g, name, key, &betweenness(g, &opts), &fx, EXACT);
    }
    for (key, length) in [
        ("closeness", EdgeLength::Hops),
        ("closeness_inverse_weight", EdgeLength::InverseWeight),
    ] {
        check(g, name, key, &closeness(g, dir, length), &fx, EXACT);
    }
    let pr = pagerank(
        g,
        &PageRankOptions {
            direction: dir,
            weighted: true,
            ..Default::default()
        },
    )
    .unwrap();
    check(g, name, "pagerank", &pr, &fx, ITERATIVE);
    let ev = eigenvector(
        g,
        &EigenvectorOptions {
            direction: Direction::Undirected,
            weighted: true,
            ..Default::default()
        },
    )
    .unwrap();
    check(
        g,
        name,
        "eigenvector_undirected_weighted",
        &ev,
        &fx,
        ITERATIVE,
    );

    // The CLI's conventions are these same functions: weighted paths use length 1/weight.
    let m = MetricOptions::default();
    check(
        g,
        name,
        "betweenness_inverse_weight",
        &node_metric(g, NodeMetric::Betweenness, &m).unwrap(),
        &fx,
        EXACT,
    );
    check(
        g,
        name,
        "pagerank",
        &node_metric(g, NodeMetric::Pagerank, &m).unwrap(),
        &fx,
        ITERATIVE,
    );
    let hops = MetricOptions {
        weighted: false,
        ..m
    };
    check(
        g,
        name,
        "betweenness",
        &node_metric(&g.unweighted(), NodeMetric::Betweenness, &hops).unwrap(),
        &fx,
        EXACT,
    );

    let eff = global_efficiency(g);
    assert!(
        (eff - fx["global_efficiency"].as_f64().unwrap()).abs() <= EXACT,
        "{name}: efficiency {eff}"
    );

    let und = g.to_undirected();
    let part = fx["partition"].as_object().unwrap();
    let membership: Vec<usize> = (0..g.node_count())
        .map(|v| part[g.label(v)].as_u64().unwrap() as usize)
        .collect();
    for (key, graph) in [
        ("partition_modularity", und.clone()),
        ("partition_modularity_unweighted", und.unweighted()),
    ] {
        let q = modularity(&graph, &membership, 1.0).unwrap();
        let want = fx[key].as_f64().unwrap();
        assert!((q - want).abs() <= EXACT, "{name} {key}: {q} vs {want}");
        println!("{name:>22} {key:<32} |diff| = {:.2e}", (q - want).abs());
    }
    // Leiden should find at least as good a partition as networkx's Louvain, give or take.
    let leiden = linesight_netio::report::communities(g, &m);
    let louvain = fx["partition_modularity"].as_f64().unwrap();
    assert!(
        leiden.modularity >= louvain - 0.02,
        "{name}: Leiden {} vs Louvain {louvain}",
        leiden.modularity
    );
    println!(
        "{name:>22} Leiden modularity {:.4} (networkx Louvain {louvain:.4})",
        leiden.modularity
    );

    let set: Vec<String> = fx["kpp_set"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    let idx = g.indices_of(&set).unwrap();
    let f = fragmentation(g, &idx).unwrap();
    let want = fx["kpp_fragmentation"].as_f64().unwrap();
    assert!(
        (f - want).abs() <= EXACT,
        "{name}: KPP fragmentation {f} vs {want}"
    );
    println!("{name:>22} KPP F of {set:?} = {f:.6} (networkx {want:.6})");
}

#[test]
fn caviar_phases_match_networkx() {
    let Some(dir) = datasets_dir() else {
        println!("note: shared datasets not found; skipping the CAVIAR parity check");
        return;
    };
    for phase in [1, 6, 11] {
        let t = read_adjacency(&dir.join(format!("caviar-phases/phase{phase}.csv"))).unwrap();
        assert!(t.directed, "CAVIAR matrices are asymmetric");
        compare(
            &format!("caviar_phase{phase}"),
            &t.to_graph(&GraphOptions::default()).unwrap(),
        );
    }
}

#[test]
fn montagna_phone_calls_match_networkx() {
    let Some(dir) = datasets_dir() else {
        println!("note: shared datasets not found; skipping the Montagna parity check");
        return;
    };
    let t = read_edge_list(
        &dir.join("montagna/Montagna_phonecalls_edgelist.csv"),
        &EdgeListOptions::default(),
    )
    .unwrap();
    assert_eq!(t.rows.len(), 150);
    compare(
        "montagna_phonecalls",
        &t.to_graph(&GraphOptions::default()).unwrap(),
    );
}

#[test]
fn london_gang_matches_networkx() {
    let Some(dir) = datasets_dir() else {
        println!("note: shared datasets not found; skipping the London gang parity check");
        return;
    };
    let t = read_adjacency(&dir.join("covert-networks-ucinet/LONDON_GANG.csv")).unwrap();
    assert!(!t.directed, "the London gang matrix is symmetric");
    compare(
        "london_gang",
        &t.to_graph(&GraphOptions::default()).unwrap(),
    );
}
