#!/usr/bin/env python3
"""networkx 3.6.1 reference numbers for linesight-netio on the real criminal networks.

    python3 crates/linesight-netio/tests/reference/gen_real.py

Reads the datasets from ../shared/datasets (next to the workspace) or $LINESIGHT_DATASETS and
writes real_*.json next to this script. The JSON holds only computed numbers keyed by node id,
never the data, so the fixtures can be committed and CI needs no Python. The Rust test reads the
same files with linesight-netio's readers and compares.

Graphs are built the way linesight builds them:
- CAVIAR phases: directed adjacency (row -> column), self-loops dropped; the undirected view sums
  both directions (used for eigenvector, modularity and key-player fragmentation);
- Montagna phone calls: undirected TSV, the weights of repeated pairs (both directions) summed;
- London gang: symmetric adjacency, undirected, weight = edge type 1..4.
"""

import csv
import json
import os

import networkx as nx
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

HERE = os.path.dirname(os.path.abspath(__file__))
WORKSPACE = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
DATASETS = os.environ.get(
    "LINESIGHT_DATASETS", os.path.abspath(os.path.join(WORKSPACE, "..", "shared", "datasets"))
)

assert nx.__version__ == "3.6.1", f"fixtures were generated with networkx 3.6.1, not {nx.__version__}"


def adjacency(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = [r for r in csv.reader(f) if r]
    labels = [c.strip() for c in rows[0][1:]]
    m = {}
    for row in rows[1:]:
        src = row[0].strip()
        for dst, cell in zip(labels, row[1:]):
            w = float(cell) if cell.strip() else 0.0
            m[(src, dst)] = w
    symmetric = all(m[(a, b)] == m[(b, a)] for a in labels for b in labels)
    G = nx.Graph() if symmetric else nx.DiGraph()
    G.add_nodes_from(labels)
    for (a, b), w in m.items():
        if w > 0 and a != b:
            if symmetric and G.has_edge(a, b):
                continue
            G.add_edge(a, b, weight=w)
    return G


def tsv_summed(path):
    G = nx.Graph()
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) < 2:
                continue
            a, b, w = p[0], p[1], float(p[2]) if len(p) > 2 else 1.0
            if a == b:
                G.add_node(a)
                continue
            old = G[a][b]["weight"] if G.has_edge(a, b) else 0.0
            G.add_edge(a, b, weight=old + w)
    return G


def undirected_view(G):
    if not G.is_directed():
        return G
    U = nx.Graph()
    U.add_nodes_from(G)
    for a, b, d in G.edges(data=True):
        old = U[a][b]["weight"] if U.has_edge(a, b) else 0.0
        U.add_edge(a, b, weight=old + d["weight"])
    return U


def fragmentation(U, removed):
    R = U.copy()
    R.remove_nodes_from(removed)
    n = R.number_of_nodes()
    if n < 2:
        return 1.0
    pairs = sum(len(c) * (len(c) - 1) for c in nx.connected_components(R))
    return 1.0 - pairs / (n * (n - 1))


def by_label(d):
    return {str(k): float(v) for k, v in d.items()}


def fixture(name, source, G):
    for _, _, d in G.edges(data=True):
        d["inv"] = 1.0 / d["weight"]
    U = undirected_view(G)
    for _, _, d in U.edges(data=True):
        d["inv"] = 1.0 / d["weight"]
    louvain = nx.community.louvain_communities(U, weight="weight", seed=1)
    membership = {v: c for c, members in enumerate(louvain) for v in members}
    # The key-player set under test: the three highest-degree nodes of the undirected view,
    # ties by label, so the test can rebuild it without networkx.
    top3 = sorted(U.nodes(), key=lambda v: (-U.degree(v), v))[:3]
    out = {
        "name": name,
        "generator": f"networkx {nx.__version__}",
        "source": f"{source} (numbers only; the data is not redistributed here)",
        "directed": G.is_directed(),
        "node_count": G.number_of_nodes(),
        "edge_count": G.number_of_edges(),
        "degree_centrality": by_label(nx.degree_centrality(G)),
        "betweenness": by_label(nx.betweenness_centrality(G)),
        "betweenness_inverse_weight": by_label(nx.betweenness_centrality(G, weight="inv")),
        "closeness": by_label(nx.closeness_centrality(G)),
        "closeness_inverse_weight": by_label(nx.closeness_centrality(G, distance="inv")),
        "pagerank": by_label(_pagerank_python(G, alpha=0.85, tol=1e-14, max_iter=100000)),
        "eigenvector_undirected_weighted": by_label(
            nx.eigenvector_centrality(U, max_iter=100000, tol=1e-14, weight="weight")
        ),
        "global_efficiency": nx.global_efficiency(U),
        "partition": {str(v): c for v, c in membership.items()},
        "partition_modularity": nx.community.modularity(U, louvain, weight="weight"),
        "partition_modularity_unweighted": nx.community.modularity(U, louvain, weight=None),
        "kpp_set": [str(v) for v in top3],
        "kpp_fragmentation": fragmentation(U, top3),
    }
    path = os.path.join(HERE, f"real_{name}.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", path)


def main():
    if not os.path.isdir(DATASETS):
        raise SystemExit(f"datasets not found at {DATASETS}; set LINESIGHT_DATASETS")
    for phase in (1, 6, 11):
        rel = f"caviar-phases/phase{phase}.csv"
        fixture(f"caviar_phase{phase}", rel, adjacency(os.path.join(DATASETS, rel)))
    rel = "montagna/Montagna_phonecalls_edgelist.csv"
    fixture("montagna_phonecalls", rel, tsv_summed(os.path.join(DATASETS, rel)))
    rel = "covert-networks-ucinet/LONDON_GANG.csv"
    fixture("london_gang", rel, adjacency(os.path.join(DATASETS, rel)))


if __name__ == "__main__":
    main()
