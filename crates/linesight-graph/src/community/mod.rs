//! Community detection: the [`leiden()`] algorithm and the [`modularity()`] quality function.
//!
//! A partition is a membership vector: `membership[v]` is the community id of node `v`. Ids are
//! arbitrary `usize`s for input; outputs number communities `0..k` densely in order of their
//! lowest node index, so results compare directly across runs.

pub mod leiden;
pub mod modularity;

pub use leiden::{LeidenOptions, Partition, leiden};
pub use modularity::modularity;

/// Renumbers arbitrary community ids densely, in order of first appearance.
pub(crate) fn dense_ids(membership: &[usize]) -> (Vec<usize>, usize) {
    let mut sorted: Vec<usize> = membership.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut first = vec![usize::MAX; sorted.len()];
    let mut next = 0;
    let out = membership
        .iter()
        .map(|c| {
            let k = sorted.binary_search(c).expect("id present");
            if first[k] == usize::MAX {
                first[k] = next;
                next += 1;
            }
            first[k]
        })
        .collect();
    (out, next)
}

/// Groups nodes by community: `result[c]` lists the nodes of community `c`, ascending.
pub fn communities(membership: &[usize]) -> Vec<Vec<usize>> {
    let (dense, k) = dense_ids(membership);
    let mut out = vec![Vec::new(); k];
    for (v, &c) in dense.iter().enumerate() {
        out[c].push(v);
    }
    out
}
