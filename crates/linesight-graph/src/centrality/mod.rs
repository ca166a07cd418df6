//! Node centralities. Every function returns a `Vec<f64>` (or a small struct of them) indexed
//! by node, and each module states the networkx function it reproduces, which the integration
//! tests check against committed networkx 3.6.1 fixtures.
//!
//! Which one answers which question, for a planner:
//! - [`degree`]: who talks to most people / makes most calls (cheap, but leaders "stay off the
//!   phone", Calderoni 2015);
//! - [`betweenness`]: who sits on the shortest routes between others (brokers; removing them
//!   was most effective on Mafia networks, Cavallaro et al. 2020);
//! - [`closeness`]: who can reach everyone quickly;
//! - [`eigenvector`] and [`pagerank`]: who is connected to the well-connected;
//! - [`brokerage`]: Burt's structural holes (constraint, effective size) and Gould–Fernandez
//!   brokerage roles between groups (e.g. hub ↔ town).

pub mod betweenness;
pub mod brokerage;
pub mod closeness;
pub mod degree;
pub mod eigenvector;
pub mod pagerank;

/// Indices of the `k` largest values, highest first; ties go to the lower index so the result is
/// deterministic.
pub fn top_k(values: &[f64], k: usize) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..values.len()).collect();
    idx.sort_by(|&a, &b| values[b].total_cmp(&values[a]).then(a.cmp(&b)));
    idx.truncate(k);
    idx
}

#[cfg(test)]
mod tests {
    #[test]
    fn top_k_orders_by_value_then_index() {
        assert_eq!(super::top_k(&[1.0, 3.0, 3.0, 2.0], 3), vec![1, 2, 3]);
        assert_eq!(super::top_k(&[1.0], 5), vec![0]);
    }
}
