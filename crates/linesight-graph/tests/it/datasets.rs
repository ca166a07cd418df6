//! Optional checks on the real CAVIAR wiretap network (Morselli 2009).
//!
//! The data is not in this repository. If the shared datasets directory exists next to the
//! workspace (`CARGO_MANIFEST_DIR/../../../shared/datasets`, or `LINESIGHT_DATASETS`), the test
//! reads phase 3 and compares with the committed networkx numbers; otherwise it prints a note and
//! passes.

use std::path::PathBuf;

use linesight_graph::centrality::betweenness::{BetweennessOptions, betweenness};
use linesight_graph::disruption::global_efficiency;
use linesight_graph::{Direction, EdgeLength, Graph, GraphBuilder};

use crate::common::fixture;

fn datasets_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("LINESIGHT_DATASETS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/datasets"),
        PathBuf::from,
    );
    dir.is_dir().then_some(dir)
}

/// Parses a CAVIAR phase: a square, quoted-header adjacency matrix of call counts.
fn load_phase(text: &str) -> Graph {
    let unquote = |s: &str| s.trim().trim_matches('"').to_owned();
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<String> = lines
        .next()
        .expect("header")
        .trim_start_matches('\u{feff}')
        .split(',')
        .skip(1)
        .map(unquote)
        .collect();
    let mut b = GraphBuilder::directed();
    for line in lines {
        let mut cells = line.split(',');
        let src = unquote(cells.next().expect("row id"));
        b.add_node(&src);
        for (dst, cell) in header.iter().zip(cells) {
            let w: f64 = cell.trim().parse().expect("numeric cell");
            if w > 0.0 && *dst != src {
                b.add_edge(&src, dst, w).unwrap();
            }
        }
    }
    b.build()
}

#[test]
fn caviar_phase3_betweenness_matches_networkx() {
    let Some(dir) = datasets_dir() else {
        println!("note: shared datasets not found; skipping the CAVIAR check");
        return;
    };
    let path = dir.join("caviar-phases/phase3.csv");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("note: {} not readable; skipping", path.display());
        return;
    };
    let g = load_phase(&text);
    let fx = fixture("caviar_phase3");
    assert_eq!(g.node_count() as u64, fx["node_count"].as_u64().unwrap());
    assert_eq!(g.edge_count() as u64, fx["arc_count"].as_u64().unwrap());
    let cases = [
        (
            "betweenness_directed",
            Direction::Directed,
            EdgeLength::Hops,
        ),
        (
            "betweenness_directed_inverse_weight",
            Direction::Directed,
            EdgeLength::InverseWeight,
        ),
        (
            "betweenness_undirected",
            Direction::Undirected,
            EdgeLength::Hops,
        ),
    ];
    for (key, direction, length) in cases {
        let bc = betweenness(
            &g,
            &BetweennessOptions {
                direction,
                length,
                normalized: true,
            },
        );
        let want = fx[key].as_object().unwrap();
        let mut worst: f64 = 0.0;
        for (label, w) in want {
            let v = g.index_of(label).expect("player present");
            let d = (bc[v] - w.as_f64().unwrap()).abs();
            assert!(d < 1e-9, "{key} player {label}: {} vs {w}", bc[v]);
            worst = worst.max(d);
        }
        println!("CAVIAR phase 3 {key:<38} max |diff| = {worst:.2e}");
    }
    let eff = global_efficiency(&g);
    assert!((eff - fx["global_efficiency_undirected"].as_f64().unwrap()).abs() < 1e-9);
    // Serero (player 1) is the top broker in phase 3, as Morselli reports.
    let bc = betweenness(&g, &BetweennessOptions::default());
    let top = (0..g.node_count())
        .max_by(|&a, &b| bc[a].total_cmp(&bc[b]))
        .unwrap();
    assert_eq!(g.label(top), "1");
}
