//! A small deterministic pseudo-random generator (xoshiro256**, seeded by SplitMix64, as
//! its authors Blackman & Vigna recommend) and the few distributions linesight needs.
//!
//! Why not the `rand` crate: a simulated world generated from a seed must stay
//! byte-identical across dependency upgrades, so evaluations can be repeated years later,
//! and a recorded disruption recommendation must be reproducible from its seed. `rand` has
//! changed its algorithms and distribution implementations between releases; this file
//! will not. Not cryptographic.

/// SplitMix64 step, used to expand seeds and to derive independent sub-streams.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256** generator.
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator for `seed`, with the state filled by SplitMix64 as the authors advise.
    pub fn new(seed: u64) -> Self {
        let mut sm = seed;
        let s = [
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
        ];
        Self { s }
    }

    /// An independent stream for a purpose (`tag`) and an index (day, line, …), so that
    /// adding draws in one part of the world does not shift every other part.
    pub fn derive(seed: u64, tag: u64, index: u64) -> Self {
        let mut sm = seed ^ tag.wrapping_mul(0xA24B_AED4_963E_E407);
        let a = splitmix64(&mut sm);
        Self::new(a ^ index.wrapping_mul(0x9FB2_1C65_1E98_DF25))
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1) with 53 bits of precision.
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform integer in [0, n); `n` must be positive. Lemire's multiply-shift with
    /// rejection, so there is no modulo bias.
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        loop {
            let m = u128::from(self.next_u64()) * u128::from(n);
            let low = m as u64;
            if low >= n.wrapping_neg() % n {
                return (m >> 64) as u64;
            }
        }
    }

    /// Uniform index into a slice of length `n`.
    pub fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// Uniform integer in [lo, hi] (inclusive).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// Uniform real in [lo, hi).
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.f64()
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// Exponential with the given mean.
    pub fn exp(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.f64()).ln()
    }

    /// Normal by Box–Muller (one draw per call; the simulator is not bound by this).
    pub fn normal(&mut self, mean: f64, sd: f64) -> f64 {
        let u1 = 1.0 - self.f64();
        let u2 = self.f64();
        mean + sd * (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Poisson with mean `lambda`: Knuth's product method for small means, a rounded
    /// normal approximation above 30 (error irrelevant at that size for traffic counts).
    pub fn poisson(&mut self, lambda: f64) -> u32 {
        if lambda <= 0.0 {
            return 0;
        }
        if lambda > 30.0 {
            return self.normal(lambda, lambda.sqrt()).round().max(0.0) as u32;
        }
        let limit = (-lambda).exp();
        let mut k = 0u32;
        let mut p = self.f64();
        while p > limit {
            k += 1;
            p *= self.f64();
        }
        k
    }

    /// Pareto with scale `xm` and shape `alpha` (heavy-tailed activity and degree).
    pub fn pareto(&mut self, xm: f64, alpha: f64) -> f64 {
        xm / (1.0 - self.f64()).powf(1.0 / alpha)
    }

    /// Zipf-like rank in [0, n): rank k chosen with weight 1/(k+1)^s. Inverse-CDF of the
    /// continuous approximation, so it costs no table; good enough for picking contacts.
    pub fn zipf(&mut self, n: usize, s: f64) -> usize {
        if n <= 1 {
            return 0;
        }
        let u = self.f64();
        let nf = n as f64 + 1.0;
        let x = if (s - 1.0).abs() < 1e-9 {
            nf.powf(u)
        } else {
            let a = 1.0 - s;
            (1.0 + u * (nf.powf(a) - 1.0)).powf(1.0 / a)
        };
        ((x - 1.0).floor() as usize).min(n - 1)
    }

    /// Index chosen with probability proportional to `weights` (all non-negative, sum > 0).
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.f64() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    /// Fisher–Yates shuffle in place.
    pub fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.index(i + 1);
            xs.swap(i, j);
        }
    }

    /// Index drawn with probability proportional to `weights[i]` (non-negative), skipping
    /// zero weights; `None` when all weights are zero. (Unlike [`Rng::weighted`], which
    /// the simulator's byte-stable output depends on.)
    pub fn weighted_index(&mut self, weights: &[f64]) -> Option<usize> {
        let total: f64 = weights.iter().sum();
        if total <= 0.0 || !total.is_finite() {
            return None;
        }
        let mut r = self.f64() * total;
        let mut last = None;
        for (i, &w) in weights.iter().enumerate() {
            if w > 0.0 {
                last = Some(i);
                if r < w {
                    return Some(i);
                }
                r -= w;
            }
        }
        // Floating-point round-off can leave r just above the last bucket.
        last
    }

    /// A seed for an independent sub-stream (e.g. one per simulation run).
    pub fn fork(&mut self) -> u64 {
        self.next_u64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_values_are_stable() {
        // Pinned outputs: if these change, every generated world changes.
        let mut r = Rng::new(42);
        let first: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
        let mut again = Rng::new(42);
        assert_eq!(first, (0..3).map(|_| again.next_u64()).collect::<Vec<_>>());
        assert_ne!(Rng::new(43).next_u64(), first[0]);
        assert_ne!(
            Rng::derive(1, 2, 3).next_u64(),
            Rng::derive(1, 2, 4).next_u64()
        );
    }

    #[test]
    fn distributions_have_sane_means() {
        let mut r = Rng::new(7);
        let n = 20_000;
        let pois: f64 = (0..n).map(|_| f64::from(r.poisson(3.5))).sum::<f64>() / n as f64;
        assert!((pois - 3.5).abs() < 0.1, "{pois}");
        let big: f64 = (0..n).map(|_| f64::from(r.poisson(80.0))).sum::<f64>() / n as f64;
        assert!((big - 80.0).abs() < 1.0, "{big}");
        let ex: f64 = (0..n).map(|_| r.exp(2.0)).sum::<f64>() / n as f64;
        assert!((ex - 2.0).abs() < 0.1, "{ex}");
        let no: f64 = (0..n).map(|_| r.normal(5.0, 1.0)).sum::<f64>() / n as f64;
        assert!((no - 5.0).abs() < 0.05, "{no}");
        assert!((0..n).all(|_| r.pareto(1.0, 2.0) >= 1.0));
        assert!((0..n).all(|_| r.below(7) < 7));
        let zero_rank = (0..n).filter(|_| r.zipf(50, 1.1) == 0).count();
        assert!(zero_rank > n / 10, "rank 0 should dominate: {zero_rank}");
        let w = [0.0, 1.0, 3.0];
        let picks: Vec<usize> = (0..n).map(|_| r.weighted(&w)).collect();
        assert!(!picks.contains(&0));
        let threes = picks.iter().filter(|&&i| i == 2).count() as f64 / n as f64;
        assert!((threes - 0.75).abs() < 0.02, "{threes}");
    }

    #[test]
    fn same_seed_same_stream_different_seed_different_stream() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let mut c = Rng::new(8);
        let xa: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        let xb: Vec<u64> = (0..8).map(|_| b.next_u64()).collect();
        let xc: Vec<u64> = (0..8).map(|_| c.next_u64()).collect();
        assert_eq!(xa, xb);
        assert_ne!(xa, xc);
    }

    #[test]
    fn below_is_in_range_and_covers_all_values() {
        let mut r = Rng::new(1);
        let mut seen = [0usize; 5];
        for _ in 0..5000 {
            seen[r.index(5)] += 1;
        }
        assert!(seen.iter().all(|&c| c > 800 && c < 1200), "{seen:?}");
    }

    #[test]
    fn weighted_index_respects_zero_weights() {
        let mut r = Rng::new(3);
        for _ in 0..1000 {
            let i = r.weighted_index(&[0.0, 2.0, 0.0, 1.0]).unwrap();
            assert!(i == 1 || i == 3);
        }
        assert_eq!(r.weighted_index(&[0.0, 0.0]), None);
    }
}
