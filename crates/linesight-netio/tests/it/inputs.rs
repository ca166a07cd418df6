//! Readers on small files written to a temporary folder: the shapes the data sets use, the
//! same graph from an edge list and from an adjacency matrix, and errors that name file and row.

use std::path::PathBuf;

use linesight_netio::{
    EdgeListOptions, GraphOptions, Merge, NetIoError, NodeMetric, node_metric, read_adjacency,
    read_case, read_edge_list, summarize,
};

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// The same weighted triangle-with-tail in four shapes.
const TSV: &str = "a\tb\t2\nb\tc\t1\na\tc\t3\nc\td\t1\n";
const CSV_HEADER: &str = "Source,Target,Weight\na,b,2\nb,c,1\na,c,3\nc,d,1\n";
const SEMI: &str = "\u{feff}from;to;calls\na;b;2\nb;c;1\na;c;3\nc;d;1\n";
const MATRIX: &str = "\u{feff}\"\",\"a\",\"b\",\"c\",\"d\"\n\"a\",0,2,3,0\n\"b\",2,0,1,0\n\"c\",3,1,0,1\n\"d\",0,0,1,0\n";

#[test]
fn edge_list_shapes_and_adjacency_give_the_same_graph() {
    let dir = tempfile::tempdir().unwrap();
    let opts = GraphOptions::default();
    let reference = read_adjacency(&write(&dir, "m.csv", MATRIX))
        .unwrap()
        .to_graph(&opts)
        .unwrap();
    assert!(!reference.is_directed());
    for (name, text) in [("e.tsv", TSV), ("e.csv", CSV_HEADER), ("e.txt", SEMI)] {
        let g = read_edge_list(&write(&dir, name, text), &EdgeListOptions::default())
            .unwrap()
            .to_graph(&opts)
            .unwrap();
        assert_eq!(g.labels(), reference.labels(), "{name}");
        let mut a = g.edges();
        let mut b = reference.edges();
        a.sort_by(|x, y| x.partial_cmp(y).unwrap());
        b.sort_by(|x, y| x.partial_cmp(y).unwrap());
        assert_eq!(a, b, "{name}");
        assert_eq!(summarize(&g), summarize(&reference), "{name}");
    }
}

#[test]
fn unweighted_changes_weighted_measures_only() {
    let dir = tempfile::tempdir().unwrap();
    let g = read_edge_list(&write(&dir, "e.tsv", TSV), &EdgeListOptions::default())
        .unwrap()
        .to_graph(&GraphOptions::default())
        .unwrap();
    let w = linesight_netio::MetricOptions::default();
    let u = linesight_netio::MetricOptions {
        weighted: false,
        ..w
    };
    let s_w = node_metric(&g, NodeMetric::Strength, &w).unwrap();
    let s_u = node_metric(&g, NodeMetric::Strength, &u).unwrap();
    assert_eq!(s_w[0], 5.0);
    assert_eq!(s_u[0], 2.0);
    assert_eq!(
        node_metric(&g, NodeMetric::Degree, &w).unwrap(),
        node_metric(&g, NodeMetric::Degree, &u).unwrap()
    );
    assert_ne!(
        node_metric(&g, NodeMetric::Pagerank, &w).unwrap(),
        node_metric(&g, NodeMetric::Pagerank, &u).unwrap()
    );
}

#[test]
fn merge_policies_and_direction_override() {
    let dir = tempfile::tempdir().unwrap();
    let t = read_edge_list(
        &write(&dir, "m.tsv", "18\t19\t5\n19\t18\t6\n19\t20\t1\n"),
        &EdgeListOptions::default(),
    )
    .unwrap();
    let sum = t.to_graph(&GraphOptions::default()).unwrap();
    assert_eq!(sum.undirected_csr().weight(0, 1), Some(11.0));
    let last = t
        .to_graph(&GraphOptions {
            merge: Merge::Last,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(last.undirected_csr().weight(0, 1), Some(6.0));
    let directed = t
        .to_graph(&GraphOptions {
            directed: Some(true),
            ..Default::default()
        })
        .unwrap();
    assert!(directed.is_directed());
    assert_eq!(directed.out_csr().weight(0, 1), Some(5.0));
    assert_eq!(directed.out_csr().weight(1, 0), Some(6.0));
}

#[test]
fn errors_name_file_and_row() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "bad.csv", "source,target,weight\na,b,1\nb,,2\n");
    let e = read_edge_list(&p, &EdgeListOptions::default()).unwrap_err();
    assert!(matches!(e, NetIoError::Row { row: 3, .. }), "{e}");
    let msg = e.to_string();
    assert!(msg.contains("bad.csv") && msg.contains("row 3"), "{msg}");

    let p = write(&dir, "empty.tsv", "\n\n");
    let e = read_edge_list(&p, &EdgeListOptions::default()).unwrap_err();
    assert!(e.to_string().contains("empty.tsv"), "{e}");

    let p = write(&dir, "m.csv", ",a,b\na,0,1\nb,1,-4\n");
    let msg = read_adjacency(&p).unwrap_err().to_string();
    assert!(msg.contains("m.csv, row 3"), "{msg}");

    let e = read_edge_list(&dir.path().join("missing.csv"), &EdgeListOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("missing.csv"), "{e}");

    let e = read_case(&dir.path().join("no-case"), (None, None))
        .unwrap_err()
        .to_string();
    assert!(e.contains("no-case"), "{e}");
}

#[test]
fn time_window_on_edge_lists() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        &dir,
        "t.csv",
        "source,target,time\na,b,2024-01-01 10:00:00\na,b,2024-01-03\nb,c,2024-01-05\n",
    );
    let t = read_edge_list(&p, &EdgeListOptions::default()).unwrap();
    let day = 86_400_000;
    let from = 1_704_067_200_000 + day; // 2024-01-02
    let g = t
        .to_graph(&GraphOptions {
            window: (Some(from), Some(from + 2 * day)),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(g.edges().len(), 1);
    assert_eq!(g.undirected_csr().weight(0, 1), Some(1.0));
}
