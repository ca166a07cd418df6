//! `linesight network`: the JSON contract scripts rely on, `--unweighted`, edge list and
//! adjacency inputs giving the same graph, errors naming file and row, and a simulated case.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{ingest_json, linesight, ok, simulate_small};

const EDGES: &str = "source\ttarget\tweight\nA\tB\t5\nB\tA\t1\nA\tC\t1\nB\tC\t1\nC\tD\t7\nD\tE\t1\nE\tF\t2\nD\tF\t1\n";
const MATRIX: &str = "\"\",A,B,C,D,E,F\nA,0,6,1,0,0,0\nB,6,0,1,0,0,0\nC,1,1,0,7,0,0\nD,0,0,7,0,1,1\nE,0,0,0,1,0,2\nF,0,0,0,1,2,0\n";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn json_of(args: &[&str], input: &Path) -> Value {
    let out = ok(linesight()
        .arg("network")
        .args(args)
        .arg(input)
        .arg("--json"));
    serde_json::from_slice(&out.stdout).expect("--json prints one JSON object")
}

fn by_id(v: &Value) -> Vec<(String, Value)> {
    let mut nodes: Vec<(String, Value)> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap().to_owned(), n.clone()))
        .collect();
    nodes.sort_by(|a, b| a.0.cmp(&b.0));
    nodes
}

#[test]
fn json_has_one_object_per_node_with_the_requested_fields() {
    let dir = tempfile::tempdir().unwrap();
    let edges = write(dir.path(), "e.tsv", EDGES);
    let v = json_of(
        &[
            "--metrics",
            "degree,betweenness,pagerank,eigenvector,closeness,community",
            "--edges",
        ],
        &edges,
    );
    let nodes = v["nodes"].as_array().expect("nodes array");
    assert_eq!(nodes.len(), 6);
    let want: BTreeSet<&str> = [
        "id",
        "degree",
        "betweenness",
        "pagerank",
        "eigenvector",
        "closeness",
        "community",
    ]
    .into();
    for n in nodes {
        let keys: BTreeSet<&str> = n.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, want);
        assert!(n["id"].is_string());
        assert!(n["community"].is_u64());
        assert!(n["pagerank"].is_f64());
    }
    assert_eq!(v["graph"]["nodes"], 6);
    // Default measures, and --top limits the array.
    let v = json_of(&["--top", "2", "--edges"], &edges);
    let nodes = v["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 2);
    let keys: BTreeSet<&str> = nodes[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "degree",
            "betweenness",
            "pagerank",
            "eigenvector",
            "closeness"
        ]
        .into()
    );
}

#[test]
fn unweighted_changes_strength_and_weighted_measures() {
    let dir = tempfile::tempdir().unwrap();
    let edges = write(dir.path(), "e.tsv", EDGES);
    let args = ["--metrics", "strength,pagerank,closeness,degree", "--edges"];
    let w = by_id(&json_of(&args, &edges));
    let out = ok(linesight()
        .arg("network")
        .args(args)
        .arg(&edges)
        .args(["--json", "--unweighted"]));
    let u = by_id(&serde_json::from_slice(&out.stdout).unwrap());
    // A–B has 6 calls, A–C one: strength 7 weighted, 2 ties unweighted.
    assert_eq!(w[0].1["strength"], 7.0);
    assert_eq!(u[0].1["strength"], 2.0);
    assert_ne!(w[0].1["pagerank"], u[0].1["pagerank"]);
    assert_ne!(
        w.iter()
            .map(|n| n.1["closeness"].clone())
            .collect::<Vec<_>>(),
        u.iter()
            .map(|n| n.1["closeness"].clone())
            .collect::<Vec<_>>()
    );
    assert_eq!(w[0].1["degree"], u[0].1["degree"]);
}

#[test]
fn adjacency_and_edge_list_give_the_same_graph() {
    let dir = tempfile::tempdir().unwrap();
    let edges = write(dir.path(), "e.tsv", EDGES);
    let matrix = write(dir.path(), "m.csv", MATRIX);
    let args = [
        "--metrics",
        "degree,strength,betweenness,pagerank,eigenvector,closeness,constraint",
    ];
    let e = json_of(&[&args[..], &["--edges"]].concat(), &edges);
    let m = json_of(&[&args[..], &["--adjacency"]].concat(), &matrix);
    assert_eq!(by_id(&e), by_id(&m));
    for key in ["nodes", "ties", "density", "efficiency", "directed"] {
        assert_eq!(e["graph"][key], m["graph"][key], "{key}");
    }
}

#[test]
fn bad_files_exit_2_naming_file_and_row() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "bad-edges.csv",
        "source,target,weight\nA,B,1\nB,C,-3\n",
    );
    let out = linesight()
        .args(["network", "--edges"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad-edges.csv") && err.contains("row 3"),
        "{err}"
    );

    let bad = write(dir.path(), "bad-matrix.csv", ",A,B\nA,0,1\nB,1,x\n");
    let out = linesight()
        .args(["network", "--adjacency"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad-matrix.csv") && err.contains("row 3"),
        "{err}"
    );

    let edges = write(dir.path(), "e.tsv", EDGES);
    let out = linesight()
        .args(["network", "--remove", "nobody", "--edges"])
        .arg(&edges)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nobody"));
}

#[test]
fn planning_sections_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let edges = write(dir.path(), "e.tsv", EDGES);
    let plan = [
        "--communities",
        "--key-players",
        "2",
        "--remove",
        "C,D",
        "--recover",
        "triadic",
        "--steps",
        "3",
        "--recommend",
        "2",
        "--edges",
    ];
    let v = json_of(&plan, &edges);
    assert!(v["communities"]["modularity"].as_f64().unwrap() > 0.0);
    assert_eq!(v["key_players"].as_array().unwrap().len(), 4);
    assert_eq!(v["disruption"]["after"]["nodes"], 4);
    assert_eq!(v["recovery"]["steps"].as_array().unwrap().len(), 3);
    assert!(v["recommendation"]["candidates"].as_array().unwrap().len() >= 3);

    let out = ok(linesight().arg("network").args(plan).arg(&edges));
    let text = String::from_utf8(out.stdout).unwrap();
    for section in [
        "Communities",
        "Key players",
        "Disruption",
        "Recovery",
        "Arrest options",
    ] {
        assert!(text.contains(section), "{section} missing:\n{text}");
    }
    let csv_path = dir.path().join("out.csv");
    ok(linesight()
        .arg("network")
        .args(plan)
        .arg(&edges)
        .args(["--format", "csv", "--out"])
        .arg(&csv_path));
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    assert!(csv.contains("# Nodes by degree\nid,degree,"), "{csv}");
    // The node table alone is plain CSV.
    let out = ok(linesight()
        .args([
            "network",
            "--format",
            "csv",
            "--metrics",
            "degree",
            "--edges",
        ])
        .arg(&edges));
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("id,degree\n")
    );
}

#[test]
fn case_store_of_a_simulated_world() {
    let dir = tempfile::tempdir().unwrap();
    let world = dir.path().join("world");
    let case = dir.path().join("case");
    simulate_small(5, &world);
    ingest_json(&case, &[world.join("exports")]);
    let out = ok(linesight()
        .args([
            "network",
            "--json",
            "--top",
            "5",
            "--key-players",
            "2",
            "--case",
        ])
        .arg(&case));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["graph"]["directed"], true);
    assert!(v["graph"]["nodes"].as_u64().unwrap() > 10);
    let nodes = v["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 5);
    assert!(nodes[0]["id"].as_str().unwrap().starts_with('+'));
    // A window before the simulated period leaves nothing to analyse.
    let out = linesight()
        .args(["network", "--to", "1990-01-01", "--case"])
        .arg(&case)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("window"));
}
