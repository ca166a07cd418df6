#!/usr/bin/env python3
"""Generate networkx reference fixtures for linesight-graph's integration tests.

Run from anywhere with networkx 3.6.1 (no SciPy needed):

    python3 crates/linesight-graph/tests/reference/gen_reference.py

Writes *.json next to this script. The fixtures are committed so that CI needs no Python.
Each fixture lists its nodes in index order and its edges; every per-node measure is a list
aligned with `nodes`. Weighted betweenness/closeness use two length conventions: the weight as
a distance (networkx weight="weight") and 1/weight (attribute "inv").

The CAVIAR fixture is different: it stores only numbers keyed by player id, never the data.
It is produced only if the dataset is present (../shared/datasets relative to the workspace).
"""

import csv
import json
import os
import random

import networkx as nx
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

HERE = os.path.dirname(os.path.abspath(__file__))
WORKSPACE = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
DATASETS = os.path.abspath(os.path.join(WORKSPACE, "..", "shared", "datasets"))

assert nx.__version__ == "3.6.1", f"fixtures were generated with networkx 3.6.1, not {nx.__version__}"


def add_inverse(G):
    for _, _, d in G.edges(data=True):
        d.setdefault("weight", 1)
        d["inv"] = 1.0 / d["weight"]


def aligned(nodes, mapping):
    return [float(mapping[v]) for v in nodes]


def membership(nodes, communities):
    index = {}
    for c, members in enumerate(communities):
        for v in members:
            index[v] = c
    return [index[v] for v in nodes]


def nan_to_none(x):
    if isinstance(x, float) and x != x:
        return None
    if isinstance(x, list):
        return [nan_to_none(v) for v in x]
    if isinstance(x, dict):
        return {k: nan_to_none(v) for k, v in x.items()}
    return x


def fixture(name, G, partition=None):
    add_inverse(G)
    nodes = list(G.nodes())
    out = {
        "name": name,
        "generator": f"networkx {nx.__version__}",
        "directed": G.is_directed(),
        "nodes": [str(v) for v in nodes],
        "edges": [[str(u), str(v), float(d["weight"])] for u, v, d in G.edges(data=True)],
    }
    out["degree_centrality"] = aligned(nodes, nx.degree_centrality(G))
    out["betweenness"] = aligned(nodes, nx.betweenness_centrality(G))
    out["betweenness_unnormalized"] = aligned(nodes, nx.betweenness_centrality(G, normalized=False))
    out["betweenness_weight"] = aligned(nodes, nx.betweenness_centrality(G, weight="weight"))
    out["betweenness_inverse_weight"] = aligned(nodes, nx.betweenness_centrality(G, weight="inv"))
    out["closeness"] = aligned(nodes, nx.closeness_centrality(G))
    out["closeness_inverse_weight"] = aligned(nodes, nx.closeness_centrality(G, distance="inv"))
    out["pagerank"] = aligned(nodes, _pagerank_python(G, alpha=0.85, tol=1e-14, max_iter=100000))
    out["constraint"] = aligned(nodes, nx.constraint(G))
    out["effective_size"] = aligned(nodes, nx.effective_size(G))
    out["constraint_weighted"] = aligned(nodes, nx.constraint(G, weight="weight"))
    out["effective_size_weighted"] = aligned(nodes, nx.effective_size(G, weight="weight"))
    if not G.is_directed():
        out["eigenvector"] = aligned(nodes, nx.eigenvector_centrality(G, max_iter=100000, tol=1e-14))
        out["eigenvector_weighted"] = aligned(
            nodes, nx.eigenvector_centrality(G, max_iter=100000, tol=1e-14, weight="weight")
        )
        out["global_efficiency"] = nx.global_efficiency(G)
        louvain = nx.community.louvain_communities(G, weight="weight", seed=1)
        out["louvain_partition"] = membership(nodes, louvain)
        out["louvain_modularity"] = nx.community.modularity(G, louvain, weight="weight")
        louvain_u = nx.community.louvain_communities(G, weight=None, seed=1)
        out["louvain_modularity_unweighted"] = nx.community.modularity(G, louvain_u, weight=None)
    if partition is not None:
        out["partition"] = membership(nodes, partition)
        out["partition_modularity"] = nx.community.modularity(G, partition, weight="weight")
        out["partition_modularity_unweighted"] = nx.community.modularity(G, partition, weight=None)
        out["partition_modularity_resolution_0_5"] = nx.community.modularity(
            G, partition, weight="weight", resolution=0.5
        )
    path = os.path.join(HERE, f"{name}.json")
    with open(path, "w") as f:
        # NaN (Burt measures of isolates) is not JSON; write null and let tests expect NaN.
        json.dump(nan_to_none(out), f, indent=1, allow_nan=False)
        f.write("\n")
    print("wrote", path)


def karate():
    G = nx.karate_club_graph()
    clubs = {}
    for v, d in G.nodes(data=True):
        clubs.setdefault(d["club"], set()).add(v)
    fixture("karate", G, partition=list(clubs.values()))


def florentine():
    G = nx.florentine_families_graph()
    fixture("florentine", G, partition=nx.community.louvain_communities(G, seed=3))


def directed_calls():
    # A small county-line-like call graph: hub handsets call a line phone, which texts runners.
    G = nx.DiGraph()
    edges = [
        ("hub1", "line", 14), ("line", "hub1", 3), ("hub2", "line", 6), ("hub1", "hub2", 2),
        ("line", "runner1", 9), ("line", "runner2", 7), ("runner1", "line", 2),
        ("runner1", "user1", 4), ("runner1", "user2", 1), ("runner2", "user3", 5),
        ("runner2", "runner1", 1), ("user3", "runner2", 2), ("cuckoo", "runner2", 3),
        ("runner2", "cuckoo", 1), ("user2", "user1", 1), ("hub2", "fixer", 2), ("fixer", "line", 1),
    ]
    for u, v, w in edges:
        G.add_edge(u, v, weight=w)
    partition = [{"hub1", "hub2", "line", "fixer"}, {"runner1", "user1", "user2"},
                 {"runner2", "user3", "cuckoo"}]
    fixture("directed_calls", G, partition=partition)


def random_graph():
    G = nx.gnm_random_graph(200, 600, seed=42)
    rnd = random.Random(7)
    for _, _, d in G.edges(data=True):
        d["weight"] = rnd.randint(1, 5)
    fixture("random200", G, partition=[set(range(0, 100)), set(range(100, 200))])


def caviar():
    path = os.path.join(DATASETS, "caviar-phases", "phase3.csv")
    if not os.path.exists(path):
        print("CAVIAR dataset not found; skipping caviar_phase3.json")
        return
    G = nx.DiGraph()
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header = rows[0][1:]
    for row in rows[1:]:
        src = row[0]
        G.add_node(src)
        for dst, cell in zip(header, row[1:]):
            w = float(cell)
            if w > 0 and src != dst:
                G.add_edge(src, dst, weight=w)
    add_inverse(G)
    U = nx.Graph()
    U.add_nodes_from(G)
    for u, v, d in G.edges(data=True):
        w = d["weight"] + (U[u][v]["weight"] if U.has_edge(u, v) else 0)
        U.add_edge(u, v, weight=w)
    out = {
        "name": "caviar_phase3",
        "generator": f"networkx {nx.__version__}",
        "source": "caviar-phases/phase3.csv (numbers only; the data is not redistributed here)",
        "node_count": G.number_of_nodes(),
        "arc_count": G.number_of_edges(),
        "betweenness_directed": {v: b for v, b in nx.betweenness_centrality(G).items()},
        "betweenness_directed_inverse_weight": {
            v: b for v, b in nx.betweenness_centrality(G, weight="inv").items()
        },
        "betweenness_undirected": {v: b for v, b in nx.betweenness_centrality(U).items()},
        "global_efficiency_undirected": nx.global_efficiency(U),
    }
    p = os.path.join(HERE, "caviar_phase3.json")
    with open(p, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", p)


if __name__ == "__main__":
    karate()
    florentine()
    directed_calls()
    random_graph()
    caviar()
