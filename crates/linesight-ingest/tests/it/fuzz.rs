//! A short, bounded fuzz run: deterministic mutations of seed rows of every profile
//! through `fuzzing::parse_bytes`, which must never panic.

use std::time::{Duration, Instant};

use linesight_ingest::fuzzing::parse_bytes;

use crate::*;

fn seeds() -> Vec<(u8, Vec<u8>)> {
    let rows = [
        alba(
            1,
            "VOICE",
            "MO",
            "+447700900001",
            "+447700900002",
            "2026-09-01T08:15:02Z",
            125,
        ),
        brig(
            "01/09/2026",
            "09:15:03",
            "MTC",
            "07700900002",
            "07700900001",
            "00:02:04",
        ),
        corv(
            "447700900003",
            "447700900004",
            "Voice",
            "Outgoing",
            "2026-10-25 01:50:00",
            "2:05",
        ),
        "234-81-4521-12345,Alba Mobile,53.4,-2.2,120,65,2025-01-01,".into(),
        "+447700900001,Alba Mobile,PAYG,2025-02-01,,,".into(),
    ];
    // parse_bytes orders a profile's columns by canonical name; the seeds only need to be
    // plausible rows for the mutator, so each is tried under every profile.
    let mut out = Vec::new();
    for p in 0..5u8 {
        for r in &rows {
            out.push((p, format!("{r}\n{r}\n").into_bytes()));
        }
    }
    out
}

/// xorshift: deterministic, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[test]
fn mutated_rows_never_panic() {
    let seeds = seeds();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let began = Instant::now();
    let mut runs = 0;
    while runs < 5000 && began.elapsed() < Duration::from_secs(3) {
        let (p, seed) = &seeds[rng.below(seeds.len())];
        let mut d = seed.clone();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(d.len() + 1);
            match rng.below(6) {
                0 if !d.is_empty() => {
                    let i = rng.below(d.len());
                    d[i] ^= 1 << rng.below(8);
                }
                1 => d.truncate(at),
                2 => {
                    let (_, other) = &seeds[rng.below(seeds.len())];
                    let from = rng.below(other.len());
                    let tail = other[from..].to_vec();
                    d.truncate(at);
                    d.extend_from_slice(&tail);
                }
                3 => d.insert(
                    at,
                    [b',', b';', b'\t', b'"', b'\n', b'\r', 0xff, 0][rng.below(8)],
                ),
                4 => d.insert(at, b'9'),
                _ => {
                    if at < d.len() {
                        d.remove(at);
                    }
                }
            }
        }
        let mut data = vec![*p];
        data.extend_from_slice(&d);
        let _ = parse_bytes(&data);
        runs += 1;
    }
    assert!(runs >= 200, "only {runs} inputs in the time budget");
}
