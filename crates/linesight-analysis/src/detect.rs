//! The detectors, in plain Rust over the reduced data of [`crate::features`]: flares,
//! deal lines, successor numbers, handset and SIM swaps, and lines (one id over a history
//! of numbers). Graph-shaped reasoning (who knows whom among a number's contacts, whose
//! customer base a new number texts) happens here, not in SQL.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::features::{BurstText, Device, Evidence, Features, NumberStats};
use crate::thresholds::*;
use crate::{Finding, FindingKind, Line, LineNumber, SenderFeatures};

/// Interned numbers, so the contact graph is pairs of integers.
#[derive(Default)]
struct Ids {
    by_name: HashMap<String, u32>,
    names: Vec<String>,
}

impl Ids {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.by_name.get(s) {
            return i;
        }
        let i = u32::try_from(self.names.len()).expect("fewer than 4 billion numbers");
        self.by_name.insert(s.to_owned(), i);
        self.names.push(s.to_owned());
        i
    }
    fn get(&self, s: &str) -> Option<u32> {
        self.by_name.get(s).copied()
    }
}

/// One SMS burst that reached [`FLARE_MIN_RECIPIENTS`].
#[derive(Clone, Debug)]
pub(crate) struct Burst {
    pub(crate) sender: String,
    pub(crate) start: i64,
    pub(crate) end: i64,
    pub(crate) recipients: Vec<String>,
    pub(crate) evidence: Vec<Evidence>,
}

/// Everything the detectors found, before it is numbered and written.
#[derive(Debug, Default)]
pub(crate) struct Detected {
    pub(crate) findings: Vec<Finding>,
    pub(crate) lines: Vec<Line>,
    pub(crate) senders: Vec<SenderFeatures>,
    /// Every flare of a deal line: (sender, start, recipients).
    pub(crate) flares: Vec<(String, i64, Vec<String>)>,
}

const MAX_EVIDENCE: usize = 20;
const DAY_MS: i64 = 86_400_000;

pub(crate) fn detect(f: &Features) -> Detected {
    let mut ids = Ids::default();
    // Undirected contact graph and inbound contact sets.
    let mut edges: HashSet<(u32, u32)> = HashSet::with_capacity(f.pairs.len());
    let mut inbound: HashMap<u32, Vec<u32>> = HashMap::new();
    let mut first_out: HashMap<u32, i64> = HashMap::new();
    let mut last_out: HashMap<u32, i64> = HashMap::new();
    let mut pair_ev: HashMap<(u32, u32), (i64, Option<Evidence>)> = HashMap::new();
    for p in &f.pairs {
        let a = ids.id(&p.a);
        let b = ids.id(&p.b);
        edges.insert((a.min(b), a.max(b)));
        inbound.entry(b).or_default().push(a);
        let fo = first_out.entry(a).or_insert(p.first);
        *fo = (*fo).min(p.first);
        let lo = last_out.entry(a).or_insert(p.last);
        *lo = (*lo).max(p.last);
        pair_ev.insert((a, b), (p.first, p.evidence.clone()));
    }
    let inbound_set: HashMap<u32, HashSet<u32>> = inbound
        .iter()
        .map(|(k, v)| (*k, v.iter().copied().collect()))
        .collect();

    let bursts = group_bursts(&f.bursts);
    let mut by_sender: BTreeMap<&str, Vec<&Burst>> = BTreeMap::new();
    for b in &bursts {
        by_sender.entry(b.sender.as_str()).or_default().push(b);
    }

    let mut senders = Vec::new();
    for (&sender, bs) in &by_sender {
        let sid = ids.id(sender);
        let stats = f.stats.get(sender).cloned().unwrap_or_default();
        senders.push(sender_features(
            sender,
            sid,
            bs,
            &stats,
            &ids,
            &edges,
            inbound_set.get(&sid),
        ));
    }

    // Pass 1: deal lines on their own behaviour.
    let mut deal: BTreeMap<String, (f64, String)> = BTreeMap::new();
    for s in &senders {
        if let Some((score, why)) = deal_line_verdict(s) {
            deal.insert(s.number.clone(), (score, why));
        }
    }

    // Customer bases: inbound contacts and burst recipients of each number.
    let base_of = |n: &str| -> HashSet<String> {
        let mut b: HashSet<String> = by_sender
            .get(n)
            .map(|bs| {
                bs.iter()
                    .flat_map(|b| b.recipients.iter().cloned())
                    .collect()
            })
            .unwrap_or_default();
        if let Some(id) = ids.get(n)
            && let Some(inb) = inbound_set.get(&id)
        {
            b.extend(inb.iter().map(|&i| ids.names[i as usize].clone()));
        }
        b
    };

    // Pass 2: successors. Bulk senders are taken in order of their first burst; a mobile
    // whose first flares go mostly to the base of a deal line that went quiet around then
    // is that line's new number (and so a deal line itself). Of several such old numbers
    // (all numbers of one line share a base) the one active most recently is taken, so
    // chains come out in order.
    // When `old` was in use before `start` and stopped sending around it (between
    // SUCCESSOR_MAX_GAP_DAYS before and SUCCESSOR_MAX_OVERLAP_DAYS after), its last send:
    // the timing of a number handing over to a new one. Both link passes use it.
    let handed_over = |old: &str, start: i64| -> Option<i64> {
        let oid = ids.get(old)?;
        let first = first_out.get(&oid).copied().unwrap_or(i64::MAX);
        let last = last_out.get(&oid).copied().unwrap_or(i64::MIN);
        (first < start
            && last >= start - SUCCESSOR_MAX_GAP_DAYS * DAY_MS
            && last <= start + SUCCESSOR_MAX_OVERLAP_DAYS * DAY_MS)
            .then_some(last)
    };
    let mut successors: Vec<(String, String, f64, i64, Vec<Evidence>)> = Vec::new();
    let mut has_succ: HashSet<String> = HashSet::new();
    let mut bases: HashMap<String, HashSet<String>> = HashMap::new();
    let mut order: Vec<(&str, &Vec<&Burst>)> = by_sender
        .iter()
        .filter(|(n, _)| n.starts_with("+447"))
        .map(|(n, bs)| (*n, bs))
        .collect();
    order.sort_by_key(|(n, bs)| (bs[0].start, n.to_string()));
    for (number, bs) in order {
        let nid = ids.get(number);
        let first_start = bs[0].start.min(
            nid.and_then(|i| first_out.get(&i).copied())
                .unwrap_or(i64::MAX),
        );
        let early = first_flares(bs);
        let mut best: Option<(i64, f64, String)> = None;
        for old in deal.keys() {
            if old == number || has_succ.contains(old) {
                continue;
            }
            let Some(old_last) = handed_over(old, first_start) else {
                continue;
            };
            let base = bases.entry(old.clone()).or_insert_with(|| base_of(old));
            let shared = early.iter().filter(|r| base.contains(r.as_str())).count();
            let overlap = ratio(shared, early.len());
            if overlap >= SUCCESSOR_MIN_OVERLAP && best.as_ref().is_none_or(|b| old_last > b.0) {
                best = Some((old_last, overlap, old.clone()));
            }
        }
        let Some((_, overlap, old)) = best else {
            continue;
        };
        has_succ.insert(old.clone());
        if !deal.contains_key(number) {
            deal.insert(
                number.to_owned(),
                (
                    overlap,
                    format!(
                        "its first flares went to the customer base of deal line {old} ({:.0}% of recipients)",
                        overlap * 100.0
                    ),
                ),
            );
        }
        let ev = bs[0].evidence.iter().take(MAX_EVIDENCE).cloned().collect();
        successors.push((old, number.to_owned(), overlap, bs[0].start, ev));
    }

    // Pass 3: predecessors. A line's first number can live too short a time to pass the
    // deal-line rule on its own (a few days before a block or a replacement). A mobile bulk
    // sender whose flares reached most of the recipients of a line's first flares, and
    // which fell silent as that line's first number started, is that line's old number.
    let firsts: Vec<String> = deal
        .keys()
        .filter(|n| !successors.iter().any(|s| &s.1 == *n))
        .cloned()
        .collect();
    for new in firsts {
        let Some(nbs) = by_sender.get(new.as_str()) else {
            continue;
        };
        let new_first = nbs[0].start.min(
            ids.get(&new)
                .and_then(|i| first_out.get(&i).copied())
                .unwrap_or(i64::MAX),
        );
        let early = first_flares(nbs);
        let mut best: Option<(i64, f64, String)> = None;
        for (&cand, cbs) in &by_sender {
            if deal.contains_key(cand) || !cand.starts_with("+447") || cbs.len() < DEAL_MIN_FLARES {
                continue;
            }
            let Some(c_last) = handed_over(cand, new_first) else {
                continue;
            };
            let flared: HashSet<&String> = cbs.iter().flat_map(|b| b.recipients.iter()).collect();
            let overlap = ratio(
                early.iter().filter(|r| flared.contains(*r)).count(),
                early.len(),
            );
            if overlap >= SUCCESSOR_MIN_OVERLAP && best.as_ref().is_none_or(|b| c_last > b.0) {
                best = Some((c_last, overlap, cand.to_owned()));
            }
        }
        let Some((_, overlap, old)) = best else {
            continue;
        };
        deal.insert(
            old.clone(),
            (
                overlap,
                format!(
                    "its flares reached {:.0}% of the recipients of the first flares of deal line {new}, and it fell silent as {new} started",
                    overlap * 100.0
                ),
            ),
        );
        let ev = nbs[0].evidence.iter().take(MAX_EVIDENCE).cloned().collect();
        successors.push((old, new.clone(), overlap, nbs[0].start, ev));
    }

    let mut findings = Vec::new();
    let mut flares = Vec::new();
    // Deal lines and their flares.
    for (number, (score, why)) in &deal {
        let bs = by_sender.get(number.as_str()).cloned().unwrap_or_default();
        let mut evidence: Vec<Evidence> = Vec::new();
        for b in bs.iter().take(3) {
            evidence.extend(b.evidence.iter().take(3).cloned());
        }
        if let Some(id) = ids.get(number)
            && let Some(inb) = inbound.get(&id)
        {
            for c in inb
                .iter()
                .take(MAX_EVIDENCE - evidence.len().min(MAX_EVIDENCE))
            {
                if let Some((_, Some(e))) = pair_ev.get(&(*c, id)) {
                    evidence.push(e.clone());
                }
            }
        }
        evidence.sort();
        evidence.dedup();
        evidence.truncate(MAX_EVIDENCE);
        findings.push(Finding {
            kind: FindingKind::DealLine,
            number: number.clone(),
            score: *score,
            rule: DEAL_LINE_RULE.to_owned(),
            explanation: format!("{number} is a deal line: {why}."),
            at_utc: bs.first().map(|b| b.start),
            old: None,
            new: None,
            evidence,
            ..Finding::default()
        });
        for b in &bs {
            flares.push((number.clone(), b.start, b.recipients.clone()));
            findings.push(Finding {
                kind: FindingKind::Flare,
                number: number.clone(),
                score: *score,
                rule: FLARE_RULE.to_owned(),
                explanation: format!(
                    "{number} texted {} distinct recipients in {} s.",
                    b.recipients.len(),
                    (b.end - b.start) / 1000
                ),
                at_utc: Some(b.start),
                evidence: b.evidence.iter().take(MAX_EVIDENCE).cloned().collect(),
                ..Finding::default()
            });
        }
    }
    for (old, new, overlap, at, evidence) in &successors {
        findings.push(Finding {
            kind: FindingKind::Successor,
            number: new.clone(),
            score: *overlap,
            rule: SUCCESSOR_RULE.to_owned(),
            explanation: format!(
                "{new} took over from {old}: {:.0}% of the recipients of its first flares were customers of {old}, which stopped sending around then.",
                overlap * 100.0
            ),
            at_utc: Some(*at),
            old: Some(old.clone()),
            new: Some(new.clone()),
            evidence: evidence.clone(),
            ..Finding::default()
        });
    }

    // Swaps on deal-line numbers.
    let mut devices: BTreeMap<&str, Vec<&Device>> = BTreeMap::new();
    for d in &f.devices {
        if deal.contains_key(&d.number) {
            devices.entry(d.number.as_str()).or_default().push(d);
        }
    }
    for (number, ds) in &mut devices {
        findings.extend(swaps(number, ds));
    }

    // Lines: deal-line numbers joined by successor links.
    let lines = build_lines(&deal, &successors, &first_out, &last_out, &ids);
    let line_of: HashMap<&str, &str> = lines
        .iter()
        .flat_map(|l| {
            l.numbers
                .iter()
                .map(move |n| (n.number.as_str(), l.line_id.as_str()))
        })
        .collect();
    for fd in &mut findings {
        fd.line_id = line_of.get(fd.number.as_str()).map(|s| (*s).to_owned());
    }
    Detected {
        findings,
        lines,
        senders,
        flares,
    }
}

/// Recipients of a sender's first flares: its bursts within [`SUCCESSOR_EARLY_DAYS`] of
/// its first (`bs` in time order, not empty).
fn first_flares<'b>(bs: &[&'b Burst]) -> HashSet<&'b String> {
    bs.iter()
        .take_while(|b| b.start <= bs[0].start + SUCCESSOR_EARLY_DAYS * DAY_MS)
        .flat_map(|b| b.recipients.iter())
        .collect()
}

/// The rule behind a deal-line finding, in words for a statement.
pub const DEAL_LINE_RULE: &str = "A number is reported as a deal line when it is a mobile that repeatedly texts the same large group of people in bursts (flares), many of those people contact it in turn, it calls many of them back within minutes of their contact (confirmed transactions), they mostly do not know one another, and its flares are not confined to office hours; or when its first flares go to the customers of a deal line that stopped around then.";
/// The rule behind a flare finding.
pub const FLARE_RULE: &str = "A flare is a burst of texts from a deal line to many distinct recipients within minutes, texts at most a minute apart.";
/// The rule behind a successor finding.
pub const SUCCESSOR_RULE: &str = "A new number is the successor of an old one when most recipients of its first flares were customers of the old number (or were flared by it, where the old number was too short-lived to show a deal line's pattern on its own), and the old number stopped sending shortly before or after the new one started.";
/// The rule behind a handset swap.
pub const HANDSET_RULE: &str =
    "A handset swap is the same SIM (IMSI) on a number appearing in a new handset (IMEI).";
/// The rule behind a SIM swap.
pub const SIM_RULE: &str =
    "A SIM swap is the same handset (IMEI) on a number appearing with a new SIM (IMSI).";

fn group_bursts(texts: &[BurstText]) -> Vec<Burst> {
    let mut out: Vec<Burst> = Vec::new();
    let mut key: Option<(&str, i64)> = None;
    for t in texts {
        if key != Some((t.sender.as_str(), t.burst)) {
            key = Some((t.sender.as_str(), t.burst));
            out.push(Burst {
                sender: t.sender.clone(),
                start: t.t,
                end: t.t,
                recipients: Vec::new(),
                evidence: Vec::new(),
            });
        }
        let b = out.last_mut().expect("a burst was just pushed");
        b.end = b.end.max(t.t);
        b.recipients.push(t.recipient.clone());
        if let Some(e) = &t.evidence {
            b.evidence.push(e.clone());
        }
    }
    for b in &mut out {
        b.recipients.sort();
        b.recipients.dedup();
    }
    out.sort_by(|a, b| (&a.sender, a.start).cmp(&(&b.sender, b.start)));
    out
}

/// Share of pairs among `members` (sampled deterministically to at most
/// [`DENSITY_SAMPLE`]) that are in contact.
fn density(members: &[u32], edges: &HashSet<(u32, u32)>) -> f64 {
    let mut m: Vec<u32> = members.to_vec();
    m.sort_unstable();
    m.dedup();
    if m.len() > DENSITY_SAMPLE {
        let step = m.len() as f64 / DENSITY_SAMPLE as f64;
        m = (0..DENSITY_SAMPLE)
            .map(|i| m[(i as f64 * step) as usize])
            .collect();
    }
    let n = m.len();
    if n < 2 {
        return 0.0;
    }
    let mut links = 0usize;
    for i in 0..n {
        for j in i + 1..n {
            if edges.contains(&(m[i], m[j])) {
                links += 1;
            }
        }
    }
    links as f64 / (n * (n - 1) / 2) as f64
}

fn sender_features(
    sender: &str,
    sid: u32,
    bursts: &[&Burst],
    stats: &NumberStats,
    ids: &Ids,
    edges: &HashSet<(u32, u32)>,
    inbound: Option<&HashSet<u32>>,
) -> SenderFeatures {
    let mut count: HashMap<&str, usize> = HashMap::new();
    for b in bursts {
        for r in &b.recipients {
            *count.entry(r.as_str()).or_default() += 1;
        }
    }
    let recipients = count.len();
    let rids: Vec<u32> = count.keys().filter_map(|r| ids.get(r)).collect();
    let replied = rids
        .iter()
        .filter(|r| inbound.is_some_and(|s| s.contains(r)))
        .count();
    let repeat = count.values().filter(|&&c| c > 1).count();
    let office = bursts
        .iter()
        .filter(|b| {
            let hour = (b.start / 3_600_000) % 24;
            // 1970-01-01 was a Thursday: day 0 → weekday index 3 (Mon = 0).
            let weekday = (b.start / DAY_MS + 3) % 7;
            weekday < 5 && (8..17).contains(&hour)
        })
        .count();
    let inbound_ids: Vec<u32> = inbound
        .map(|s| s.iter().copied().collect())
        .unwrap_or_default();
    let _ = sid;
    SenderFeatures {
        number: sender.to_owned(),
        mobile: sender.starts_with("+447"),
        bursts: bursts.len(),
        recipients,
        reply_share: ratio(replied, recipients),
        repeat_share: ratio(repeat, recipients),
        recipient_density: density(&rids, edges),
        office_share: ratio(office, bursts.len()),
        inbound_contacts: stats.contacts,
        active_days: stats.days,
        max_daily_contacts: stats.max_daily_contacts,
        hours_used: stats.hours_used,
        mean_daily_contacts: stats.mean_daily_contacts,
        short_share: stats.short_share,
        callback_share: if stats.inbound > 0 {
            stats.inbound_called_back as f64 / stats.inbound as f64
        } else {
            0.0
        },
        night_share: stats.night_share,
        inbound_density: density(&inbound_ids, edges),
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// The deal-line rule on a sender's own behaviour: `Some((score, reasons))` when it fires.
fn deal_line_verdict(s: &SenderFeatures) -> Option<(f64, String)> {
    if !s.mobile
        || s.bursts < DEAL_MIN_FLARES
        || s.repeat_share < DEAL_MIN_REPEAT_SHARE
        || s.reply_share < DEAL_MIN_REPLY_SHARE
        || s.recipient_density > DEAL_MAX_RECIPIENT_DENSITY
        || s.office_share > DEAL_MAX_OFFICE_SHARE
        || s.callback_share < DEAL_MIN_CALLBACK_SHARE
    {
        return None;
    }
    let parts = [
        (s.bursts as f64 / (2.0 * DEAL_MIN_FLARES as f64)).min(1.0),
        s.repeat_share,
        (s.reply_share / (2.0 * DEAL_MIN_REPLY_SHARE)).min(1.0),
        1.0 - (s.recipient_density / DEAL_MAX_RECIPIENT_DENSITY).min(1.0),
        1.0 - s.office_share,
        (s.callback_share / (2.0 * DEAL_MIN_CALLBACK_SHARE)).min(1.0),
    ];
    let score = parts.iter().sum::<f64>() / parts.len() as f64;
    let why = format!(
        "it sent {} flares to {} distinct recipients, {:.0}% of whom contacted it, {:.1}% of recipient pairs know each other, {:.0}% of flares fell in weekday office hours, {:.0}% of its traffic was at night, and {:.0}% of inbound contacts were called back within {} minutes",
        s.bursts,
        s.recipients,
        s.reply_share * 100.0,
        s.recipient_density * 100.0,
        s.office_share * 100.0,
        s.night_share * 100.0,
        s.callback_share * 100.0,
        CALLBACK_WINDOW_MIN
    );
    Some((score, why))
}

fn swaps(number: &str, ds: &mut [&Device]) -> Vec<Finding> {
    ds.sort_by_key(|d| (d.first, d.last));
    let mut out = Vec::new();
    for w in ds.windows(2) {
        let (old, new) = (w[0], w[1]);
        let (kind, rule, what, o, n) = if old.imsi == new.imsi && old.imei != new.imei {
            (
                FindingKind::HandsetSwap,
                HANDSET_RULE,
                "handset (IMEI)",
                &old.imei,
                &new.imei,
            )
        } else if old.imei == new.imei && old.imsi != new.imsi {
            (
                FindingKind::SimSwap,
                SIM_RULE,
                "SIM (IMSI)",
                &old.imsi,
                &new.imsi,
            )
        } else {
            continue;
        };
        let evidence: Vec<Evidence> = [old.last_evidence.clone(), new.first_evidence.clone()]
            .into_iter()
            .flatten()
            .collect();
        out.push(Finding {
            kind,
            number: number.to_owned(),
            score: 1.0,
            rule: rule.to_owned(),
            explanation: format!(
                "{number} changed {what} from {o} to {n}: the old one was last seen in the first record cited, the new one first in the second."
            ),
            at_utc: Some(new.first),
            old: Some(o.clone()),
            new: Some(n.clone()),
            evidence,
            ..Finding::default()
        });
    }
    out
}

fn build_lines(
    deal: &BTreeMap<String, (f64, String)>,
    successors: &[(String, String, f64, i64, Vec<Evidence>)],
    first_out: &HashMap<u32, i64>,
    last_out: &HashMap<u32, i64>,
    ids: &Ids,
) -> Vec<Line> {
    let pred: HashMap<&str, &str> = successors
        .iter()
        .map(|(o, n, ..)| (n.as_str(), o.as_str()))
        .collect();
    let succ: HashMap<&str, &(String, String, f64, i64, Vec<Evidence>)> =
        successors.iter().map(|s| (s.0.as_str(), s)).collect();
    let span = |n: &str| {
        ids.get(n).map_or((0, 0), |i| {
            (
                first_out.get(&i).copied().unwrap_or(0),
                last_out.get(&i).copied().unwrap_or(0),
            )
        })
    };
    // Heads of chains, in order of first use, numbered in that order.
    let mut heads: Vec<&str> = deal
        .keys()
        .map(String::as_str)
        .filter(|n| !pred.contains_key(n))
        .collect();
    heads.sort_by_key(|n| (span(n).0, n.to_string()));
    let mut lines = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, head) in heads.into_iter().enumerate() {
        let line_id = format!("LS{:04}", i + 1);
        let mut numbers = Vec::new();
        let mut cur = head;
        let mut how = "first number seen".to_owned();
        let mut ev = Vec::new();
        while seen.insert(cur.to_owned()) {
            let (first, last) = span(cur);
            numbers.push(LineNumber {
                number: cur.to_owned(),
                first_utc: first,
                last_utc: last,
                joined_by: how.clone(),
                evidence: std::mem::take(&mut ev),
            });
            let Some((_, next, overlap, _, e)) = succ.get(cur) else {
                break;
            };
            how = format!(
                "successor of {cur}: {:.0}% of its first flares' recipients were {cur}'s customers",
                overlap * 100.0
            );
            ev = e.clone();
            cur = next.as_str();
        }
        lines.push(Line {
            line_id,
            numbers,
            ..Line::default()
        });
    }
    lines
}
