//! Fixture loading shared by the test modules.

use std::path::PathBuf;

use linesight_graph::{Graph, GraphBuilder};
use serde_json::Value;

/// Directory holding the networkx fixtures.
pub(crate) fn reference_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference")
}

/// Parses `tests/reference/<name>.json`.
pub(crate) fn fixture(name: &str) -> Value {
    let path = reference_dir().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).expect("fixture is valid JSON")
}

/// Builds the fixture's graph with node indices in the fixture's node order.
pub(crate) fn graph_of(fx: &Value) -> Graph {
    let mut b = if fx["directed"].as_bool().unwrap() {
        GraphBuilder::directed()
    } else {
        GraphBuilder::undirected()
    };
    for v in fx["nodes"].as_array().unwrap() {
        b.add_node(v.as_str().unwrap());
    }
    for e in fx["edges"].as_array().unwrap() {
        let e = e.as_array().unwrap();
        b.add_edge(
            e[0].as_str().unwrap(),
            e[1].as_str().unwrap(),
            e[2].as_f64().unwrap(),
        )
        .unwrap();
    }
    let g = b.build();
    assert_eq!(
        g.labels(),
        fx["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    );
    g
}

/// A per-node list; JSON `null` (networkx NaN) becomes NaN.
pub(crate) fn values(fx: &Value, key: &str) -> Vec<f64> {
    fx[key]
        .as_array()
        .unwrap_or_else(|| panic!("fixture {} lacks {key}", fx["name"]))
        .iter()
        .map(|v| v.as_f64().unwrap_or(f64::NAN))
        .collect()
}

/// Asserts element-wise agreement within `tol`, skipping entries networkx reports as NaN, and
/// returns the largest absolute difference seen.
pub(crate) fn assert_close(what: &str, got: &[f64], want: &[f64], tol: f64) -> f64 {
    assert_eq!(got.len(), want.len(), "{what}: length");
    let mut worst: f64 = 0.0;
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        if w.is_nan() {
            continue;
        }
        let d = (g - w).abs();
        assert!(d <= tol, "{what}[{i}]: got {g}, networkx {w} (diff {d:e})");
        worst = worst.max(d);
    }
    worst
}
