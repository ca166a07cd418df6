//! Contact-overlap linking: which identifiers (numbers, handsets) are probably used by
//! the same person, because they talk to the same people.
//!
//! A person who drops a burner and picks up another keeps ringing the same family, the
//! same runners, the same controller. So two identifiers whose contact sets overlap far
//! more than chance are linked, with the overlap and the shared contacts as the reasons.
//! The analysis engine adds timing (one stops as the other starts) and device evidence;
//! evaluations on real data (ROXANNE) use this core alone.

/// How two contact sets overlap.
#[derive(Clone, Debug, PartialEq)]
pub struct Overlap {
    /// Contacts in both sets (sorted).
    pub shared: Vec<u32>,
    /// `shared / min(|a|, |b|)`: 1 when the smaller set lies inside the larger.
    pub coefficient: f64,
    /// `shared / |a ∪ b|`.
    pub jaccard: f64,
}

/// The overlap of two **sorted, deduplicated** contact lists.
pub fn overlap(a: &[u32], b: &[u32]) -> Overlap {
    let (mut i, mut j) = (0, 0);
    let mut shared = Vec::new();
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    let min = a.len().min(b.len());
    let union = a.len() + b.len() - shared.len();
    Overlap {
        coefficient: if min == 0 {
            0.0
        } else {
            shared.len() as f64 / min as f64
        },
        jaccard: if union == 0 {
            0.0
        } else {
            shared.len() as f64 / union as f64
        },
        shared,
    }
}

/// When two identifiers are linked.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinkRule {
    /// At least this many shared contacts.
    pub min_shared: usize,
    /// At least this overlap coefficient.
    pub min_coefficient: f64,
}

/// One proposed link between `a` and `b` (indices into the contact lists).
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    /// The first identifier.
    pub a: usize,
    /// The second identifier.
    pub b: usize,
    /// How their contacts overlap.
    pub overlap: Overlap,
}

/// For each `query` identifier, the `candidates` it is linked to under `rule`, best first.
/// `contacts[i]` is identifier `i`'s sorted, deduplicated contact list. Candidates are
/// found through an inverted index (contact → identifiers), so the cost follows the
/// shared contacts, not the number of pairs. An identifier is never linked to itself.
pub fn link(
    contacts: &[Vec<u32>],
    queries: &[usize],
    candidates: &[usize],
    rule: LinkRule,
) -> Vec<Link> {
    let mut index: std::collections::HashMap<u32, Vec<usize>> = std::collections::HashMap::new();
    for &c in candidates {
        for &x in &contacts[c] {
            index.entry(x).or_default().push(c);
        }
    }
    let mut out = Vec::new();
    for &q in queries {
        let mut seen: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
        for x in &contacts[q] {
            for &c in index.get(x).map(Vec::as_slice).unwrap_or(&[]) {
                if c != q {
                    *seen.entry(c).or_default() += 1;
                }
            }
        }
        let mut found: Vec<Link> = seen
            .into_iter()
            .filter(|&(_, n)| n >= rule.min_shared)
            .map(|(c, _)| Link {
                a: q,
                b: c,
                overlap: overlap(&contacts[q], &contacts[c]),
            })
            .filter(|l| l.overlap.coefficient >= rule.min_coefficient)
            .collect();
        found.sort_by(|x, y| {
            y.overlap
                .coefficient
                .total_cmp(&x.overlap.coefficient)
                .then(y.overlap.shared.len().cmp(&x.overlap.shared.len()))
                .then(x.b.cmp(&y.b))
        });
        out.extend(found);
    }
    out
}

/// Groups of identifiers bound together by repeated contact: pairs with at least
/// `min_repeats` contacts are joined, and connected groups of at least `min_size`
/// identifiers are returned (each sorted; largest first). Repeated contact between many
/// members of a small group is what a deal line's regulars, a bulk caller's targets or a
/// planted fraud ring look like against background traffic, where most pairs talk once.
/// `pairs` holds (a, b, contacts) with ids below `n`.
pub fn repeated_contact_blocks(
    n: usize,
    pairs: &[(u32, u32, u32)],
    min_repeats: u32,
    min_size: usize,
) -> Vec<Vec<u32>> {
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let mut joined = vec![false; n];
    for &(a, b, k) in pairs {
        if k < min_repeats || a == b {
            continue;
        }
        let (ra, rb) = (root(&mut parent, a as usize), root(&mut parent, b as usize));
        parent[ra.max(rb)] = ra.min(rb);
        joined[a as usize] = true;
        joined[b as usize] = true;
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<u32>> = std::collections::BTreeMap::new();
    for (x, _) in joined.iter().enumerate().filter(|(_, j)| **j) {
        let r = root(&mut parent, x);
        groups.entry(r).or_default().push(x as u32);
    }
    let mut out: Vec<Vec<u32>> = groups
        .into_values()
        .filter(|g| g.len() >= min_size)
        .collect();
    out.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_counts_shared_contacts() {
        let o = overlap(&[1, 2, 3, 4], &[3, 4, 5]);
        assert_eq!(o.shared, vec![3, 4]);
        assert!((o.coefficient - 2.0 / 3.0).abs() < 1e-12);
        assert!((o.jaccard - 2.0 / 5.0).abs() < 1e-12);
        assert_eq!(overlap(&[], &[1]).coefficient, 0.0);
    }

    #[test]
    fn blocks_join_repeated_pairs_only() {
        // 0-1-2 talk repeatedly; 3-4 talk once; 5-6 repeatedly but only two of them.
        let pairs = [(0, 1, 5), (1, 2, 4), (3, 4, 1), (5, 6, 9), (2, 2, 50)];
        let blocks = repeated_contact_blocks(7, &pairs, 3, 3);
        assert_eq!(blocks, vec![vec![0, 1, 2]]);
        let pairs2 = repeated_contact_blocks(7, &pairs, 3, 2);
        assert_eq!(pairs2, vec![vec![0, 1, 2], vec![5, 6]]);
    }

    #[test]
    fn links_follow_the_rule_and_rank_best_first() {
        // 0 and 1 share three of three; 0 and 2 share one; 3 is 0's twin but not a candidate.
        let contacts = vec![
            vec![10, 11, 12],
            vec![10, 11, 12, 13],
            vec![12, 20, 21],
            vec![10, 11, 12],
        ];
        let rule = LinkRule {
            min_shared: 2,
            min_coefficient: 0.5,
        };
        let links = link(&contacts, &[0], &[0, 1, 2], rule);
        assert_eq!(links.len(), 1);
        assert_eq!((links[0].a, links[0].b), (0, 1));
        assert_eq!(links[0].overlap.shared, vec![10, 11, 12]);
        let loose = LinkRule {
            min_shared: 1,
            min_coefficient: 0.0,
        };
        let all = link(&contacts, &[0], &[1, 2, 3], loose);
        let order: Vec<usize> = all.iter().map(|l| l.b).collect();
        assert_eq!(order, vec![1, 3, 2]);
    }
}
