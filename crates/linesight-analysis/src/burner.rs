//! Burner rotation for every number: a new number that starts as an old one stops and
//! talks to the same people is probably the same person on a new phone (or someone taking
//! over their role). Deal lines have their own, stronger successor rule (flares to the
//! same base); this one covers runners, controllers and anyone else.
//!
//! The overlap core is [`linesight_graph::linking`]; this module adds the timing (one
//! stops within days of the other starting) and the handset evidence.

use std::collections::{BTreeSet, HashMap, HashSet};

use linesight_graph::linking::{self, LinkRule};

use crate::features::{Device, Evidence, Pair};
use crate::thresholds::{
    BURNER_EDGE_DAYS, BURNER_MAX_GAP_DAYS, BURNER_MAX_OVERLAP_DAYS, BURNER_MIN_COEFFICIENT,
    BURNER_MIN_SHARED,
};
use crate::{Finding, FindingKind};

const DAY_MS: i64 = 86_400_000;

/// The rule behind a burner-successor finding.
pub const BURNER_RULE: &str = "A new number is reported as the successor of an old one when it started within days of the old one falling silent and most of its contacts are the old number's contacts (the same family, friends and associates); a handset shared by both numbers strengthens the link. It may be the same person on a new phone, or someone taking over their role.";

/// Every number's contacts and active period, with dense ids.
#[derive(Default)]
struct Book<'a> {
    ids: HashMap<&'a str, u32>,
    names: Vec<&'a str>,
    contacts: Vec<BTreeSet<u32>>,
    first: Vec<i64>,
    last: Vec<i64>,
}

impl<'a> Book<'a> {
    fn id(&mut self, s: &'a str, first: i64, last: i64) -> u32 {
        let id = *self.ids.entry(s).or_insert_with(|| {
            self.names.push(s);
            self.contacts.push(BTreeSet::new());
            self.first.push(first);
            self.last.push(last);
            (self.names.len() - 1) as u32
        });
        let i = id as usize;
        self.first[i] = self.first[i].min(first);
        self.last[i] = self.last[i].max(last);
        id
    }
}

/// Finds burner successors among all mobile numbers except `exclude` (deal lines).
pub(crate) fn find(pairs: &[Pair], devices: &[Device], exclude: &HashSet<&str>) -> Vec<Finding> {
    let mut book = Book::default();
    let mut pair_ev: HashMap<(u32, u32), &Evidence> = HashMap::new();
    for p in pairs {
        let a = book.id(&p.a, p.first, p.last);
        let b = book.id(&p.b, p.first, p.last);
        book.contacts[a as usize].insert(b);
        book.contacts[b as usize].insert(a);
        if let Some(e) = &p.evidence {
            pair_ev.entry((a.min(b), a.max(b))).or_insert(e);
        }
    }
    let (Some(&start), Some(&end)) = (book.first.iter().min(), book.last.iter().max()) else {
        return Vec::new();
    };
    let mobile = |i: usize| book.names[i].starts_with("+447") && !exclude.contains(book.names[i]);
    let n = book.names.len();
    // New numbers start well after the data does; old ones stop well before it ends.
    let queries: Vec<usize> = (0..n)
        .filter(|&i| mobile(i) && book.first[i] >= start + BURNER_EDGE_DAYS * DAY_MS)
        .collect();
    let candidates: Vec<usize> = (0..n)
        .filter(|&i| mobile(i) && book.last[i] <= end - BURNER_EDGE_DAYS * DAY_MS)
        .collect();
    let lists: Vec<Vec<u32>> = book
        .contacts
        .iter()
        .map(|s| s.iter().copied().collect())
        .collect();
    let rule = LinkRule {
        min_shared: BURNER_MIN_SHARED,
        min_coefficient: BURNER_MIN_COEFFICIENT,
    };
    let mut imeis: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for d in devices {
        imeis
            .entry(d.number.as_str())
            .or_default()
            .insert(d.imei.as_str());
    }
    let mut out = Vec::new();
    let mut taken: HashSet<usize> = HashSet::new();
    for l in linking::link(&lists, &queries, &candidates, rule) {
        let (new, old) = (l.a, l.b);
        // The old number fell silent shortly before (or just after) the new one started.
        let gap = book.first[new] - book.last[old];
        if book.first[old] >= book.first[new]
            || !(-BURNER_MAX_OVERLAP_DAYS * DAY_MS..=BURNER_MAX_GAP_DAYS * DAY_MS).contains(&gap)
            || !taken.insert(new)
        {
            continue;
        }
        let (new_name, old_name) = (book.names[new], book.names[old]);
        let shared_imei: Vec<&str> = match (imeis.get(new_name), imeis.get(old_name)) {
            (Some(a), Some(b)) => a.intersection(b).copied().collect(),
            _ => Vec::new(),
        };
        let shared: Vec<&str> = l
            .overlap
            .shared
            .iter()
            .map(|&c| book.names[c as usize])
            .collect();
        let mut reasons = vec![
            format!(
                "{new_name} was first used {} and {old_name} last used {}",
                crate::time(book.first[new]),
                crate::time(book.last[old])
            ),
            format!(
                "{} of {new_name}'s {} contacts were also contacts of {old_name} ({:.0}% of the smaller contact list)",
                shared.len(),
                lists[new].len(),
                l.overlap.coefficient * 100.0
            ),
        ];
        if !shared_imei.is_empty() {
            reasons.push(format!(
                "both numbers were used in handset IMEI {}",
                shared_imei.join(", ")
            ));
        }
        let evidence: Vec<Evidence> = l
            .overlap
            .shared
            .iter()
            .flat_map(|&c| {
                [
                    pair_ev.get(&(c.min(new as u32), c.max(new as u32))),
                    pair_ev.get(&(c.min(old as u32), c.max(old as u32))),
                ]
            })
            .flatten()
            .map(|e| (*e).clone())
            .take(10)
            .collect();
        let score = (0.5_f64 * l.overlap.coefficient
            + 0.3 * (shared.len() as f64 / 10.0).min(1.0)
            + if shared_imei.is_empty() { 0.0 } else { 0.2 })
        .min(1.0);
        out.push(Finding {
            kind: FindingKind::BurnerSuccessor,
            number: new_name.to_owned(),
            score,
            rule: BURNER_RULE.to_owned(),
            explanation: format!(
                "{new_name} probably replaced {old_name}: {}.",
                reasons.join("; ")
            ),
            reasons,
            at_utc: Some(book.first[new]),
            old: Some(old_name.to_owned()),
            new: Some(new_name.to_owned()),
            related: shared.iter().take(20).map(|s| (*s).to_owned()).collect(),
            evidence,
            ..Finding::default()
        });
    }
    out
}
