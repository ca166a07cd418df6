//! Single-source shortest paths with path counting, shared by betweenness, closeness,
//! efficiency and the key-player measures.
//!
//! One [`Sssp`] workspace is reused across sources: after a run only the nodes it reached are
//! reset, so a sweep over many sources on a large sparse graph stays O(reached) per source in
//! housekeeping and allocates nothing after the first run.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::graph::{Csr, EdgeLength};

/// Distance of an unreached node.
pub(crate) const UNREACHED: f64 = f64::INFINITY;

#[derive(Clone, Copy, PartialEq)]
struct HeapItem {
    dist: f64,
    node: u32,
}

impl Eq for HeapItem {}

impl Ord for HeapItem {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: BinaryHeap is a max-heap and Dijkstra wants the nearest node first.
        other
            .dist
            .total_cmp(&self.dist)
            .then_with(|| other.node.cmp(&self.node))
    }
}

impl PartialOrd for HeapItem {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Reusable single-source shortest-path workspace.
pub(crate) struct Sssp {
    pub(crate) dist: Vec<f64>,
    pub(crate) sigma: Vec<f64>,
    /// Nodes in the order they were settled (non-decreasing distance); starts with the source.
    pub(crate) order: Vec<u32>,
    settled: Vec<bool>,
    heap: BinaryHeap<HeapItem>,
}

impl Sssp {
    pub(crate) fn new(n: usize) -> Self {
        Self {
            dist: vec![UNREACHED; n],
            sigma: vec![0.0; n],
            order: Vec::with_capacity(n),
            settled: vec![false; n],
            heap: BinaryHeap::new(),
        }
    }

    fn reset(&mut self) {
        for &v in &self.order {
            let v = v as usize;
            self.dist[v] = UNREACHED;
            self.sigma[v] = 0.0;
            self.settled[v] = false;
        }
        self.order.clear();
        self.heap.clear();
    }

    /// Shortest paths from `s` over `csr`, skipping nodes with `alive[v] == false` (the source
    /// must be alive). Fills `dist`, `sigma` (number of shortest paths) and `order`.
    ///
    /// Ties are decided by exact floating-point equality of `dist[v] + len`, as networkx does,
    /// so weighted results agree with it path for path.
    ///
    /// # Complexity
    /// O(n' + m') for [`EdgeLength::Hops`] (BFS) and O((n' + m') log n') otherwise (Dijkstra),
    /// where n', m' count only the part reached from `s`.
    pub(crate) fn run(&mut self, csr: &Csr, s: usize, len: EdgeLength, alive: Option<&[bool]>) {
        self.reset();
        self.dist[s] = 0.0;
        self.sigma[s] = 1.0;
        let is_alive = |v: usize| alive.is_none_or(|a| a[v]);
        if len == EdgeLength::Hops {
            self.order.push(s as u32);
            self.settled[s] = true;
            let mut head = 0;
            while head < self.order.len() {
                let v = self.order[head] as usize;
                head += 1;
                let dv = self.dist[v] + 1.0;
                let sv = self.sigma[v];
                for &x in csr.neighbors(v) {
                    let x = x as usize;
                    if !is_alive(x) {
                        continue;
                    }
                    if !self.settled[x] {
                        self.settled[x] = true;
                        self.dist[x] = dv;
                        self.order.push(x as u32);
                    }
                    if self.dist[x] == dv {
                        self.sigma[x] += sv;
                    }
                }
            }
            return;
        }
        // Dijkstra with lazy deletion. Every node that gets a finite tentative distance is
        // eventually settled and so appears in `order`, which is what `reset` relies on.
        self.heap.push(HeapItem {
            dist: 0.0,
            node: s as u32,
        });
        while let Some(HeapItem { dist: d, node }) = self.heap.pop() {
            let v = node as usize;
            if self.settled[v] || d > self.dist[v] {
                continue;
            }
            self.settled[v] = true;
            self.order.push(node);
            let sv = self.sigma[v];
            for (x, w) in csr.arcs(v) {
                if self.settled[x] || !is_alive(x) {
                    continue;
                }
                let nd = d + len.length(w);
                if nd < self.dist[x] {
                    self.dist[x] = nd;
                    self.sigma[x] = sv;
                    self.heap.push(HeapItem {
                        dist: nd,
                        node: x as u32,
                    });
                } else if nd == self.dist[x] {
                    self.sigma[x] += sv;
                }
            }
        }
    }
}

/// Connected components of the undirected `csr` restricted to `alive` nodes: returns the
/// component id of each node (`u32::MAX` for dead nodes) and the component sizes.
///
/// # Complexity
/// O(n + m).
pub(crate) fn components(csr: &Csr, alive: Option<&[bool]>) -> (Vec<u32>, Vec<usize>) {
    let n = csr.node_count();
    let mut comp = vec![u32::MAX; n];
    let mut sizes = Vec::new();
    let mut stack = Vec::new();
    for s in 0..n {
        if comp[s] != u32::MAX || alive.is_some_and(|a| !a[s]) {
            continue;
        }
        let id = sizes.len() as u32;
        comp[s] = id;
        stack.push(s);
        let mut size = 0;
        while let Some(v) = stack.pop() {
            size += 1;
            for &x in csr.neighbors(v) {
                let x = x as usize;
                if comp[x] == u32::MAX && alive.is_none_or(|a| a[x]) {
                    comp[x] = id;
                    stack.push(x);
                }
            }
        }
        sizes.push(size);
    }
    (comp, sizes)
}
