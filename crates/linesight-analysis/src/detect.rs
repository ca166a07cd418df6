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

/// A change of number on a line: `new` took over from `old`.
struct Link {
    old: String,
    new: String,
    score: f64,
    at: i64,
    evidence: Vec<Evidence>,
    /// Why, in this case's figures: the finding's explanation and the line history's note.
    why: String,
}

/// A number that may have been a line's number before the line's first known one.
struct Predecessor<'a> {
    old: &'a str,
    /// Share of the recipients of the newer number's first flares that are in its base.
    reach: f64,
    /// Share of its base that is the newer number's base, and how many that is.
    own: f64,
    shared: usize,
    base: usize,
    flares: usize,
}

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
    let mut successors: Vec<Link> = Vec::new();
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
        successors.push(Link {
            why: format!(
                "{:.0}% of the recipients of its first flares were customers of {old}, which stopped sending around then",
                overlap * 100.0
            ),
            old,
            new: number.to_owned(),
            score: overlap,
            at: bs[0].start,
            evidence: ev,
        });
    }

    // Pass 3: predecessors. A line's first number can live too short a time to pass the
    // deal-line rule on its own (hours or days before a block, a replacement or an arrest),
    // and in that time it may send one flare or none. Its customers still order from it,
    // and the same customers get the next number's first flares. A mobile that is not a
    // deal line, with a flare or at least MIN_INBOUND_CONTACTS contacts, and that fell
    // silent as the line's first number started, is the line's old number when most of its
    // base (inbound contacts and flare recipients) is the line's base (a busy local number
    // shares a few customers, not most of its contacts) and either it reached most of the
    // recipients of the line's first flares, or it flared and shares at least
    // FLARE_MIN_RECIPIENTS customers (a number live for hours cannot have met most of the
    // base yet). A number found this way is searched backwards in turn: a line can change
    // number twice in its first days.
    let mut queue: Vec<String> = deal
        .keys()
        .filter(|n| !successors.iter().any(|s| &s.new == *n))
        .cloned()
        .collect();
    let candidates: Vec<&str> = ids
        .names
        .iter()
        .enumerate()
        .filter(|(i, n)| {
            n.starts_with("+447")
                && !deal.contains_key(n.as_str())
                && (by_sender.contains_key(n.as_str())
                    || inbound_set.get(&(*i as u32)).map_or(0, HashSet::len)
                        >= MIN_INBOUND_CONTACTS as usize)
        })
        .map(|(_, n)| n.as_str())
        .collect();
    let mut claimed: HashSet<&str> = HashSet::new();
    while let Some(new) = queue.pop() {
        let nbs = by_sender.get(new.as_str());
        let new_first = nbs.map_or(i64::MAX, |bs| bs[0].start).min(
            ids.get(&new)
                .and_then(|i| first_out.get(&i).copied())
                .unwrap_or(i64::MAX),
        );
        let line_base = bases
            .entry(new.clone())
            .or_insert_with(|| base_of(&new))
            .clone();
        // What the line's customers first saw of this number: its first flares, or, for a
        // number that never flared, everyone who contacted it.
        let early: HashSet<String> = match nbs {
            Some(bs) => first_flares(bs).into_iter().cloned().collect(),
            None => line_base.clone(),
        };
        let mut best: Option<(i64, Predecessor<'_>)> = None;
        for &cand in &candidates {
            if claimed.contains(cand) {
                continue;
            }
            let Some(c_last) = handed_over(cand, new_first) else {
                continue;
            };
            let c_base = bases
                .entry(cand.to_owned())
                .or_insert_with(|| base_of(cand));
            let shared = c_base.iter().filter(|r| line_base.contains(*r)).count();
            let own = ratio(shared, c_base.len());
            let reach = ratio(
                early.iter().filter(|r| c_base.contains(*r)).count(),
                early.len(),
            );
            let flares = by_sender.get(cand).map_or(0, Vec::len);
            let fits = own >= SUCCESSOR_MIN_OVERLAP
                && (reach >= SUCCESSOR_MIN_OVERLAP
                    || (flares > 0 && shared >= FLARE_MIN_RECIPIENTS as usize));
            if fits && best.as_ref().is_none_or(|b| c_last > b.0) {
                best = Some((
                    c_last,
                    Predecessor {
                        old: cand,
                        reach,
                        own,
                        shared,
                        base: c_base.len(),
                        flares,
                    },
                ));
            }
        }
        let Some((_, p)) = best else {
            continue;
        };
        claimed.insert(p.old);
        deal.insert(
            p.old.to_owned(),
            (
                p.own,
                format!(
                    "{} of its {} customers (numbers that contacted it, and recipients of its {} flare(s)) are customers of deal line {new} ({:.0}%), {:.0}% of those {new} first reached (its first flares, or its contacts if it never flared) are in its base, and it fell silent as {new} started",
                    p.shared,
                    p.base,
                    p.flares,
                    p.own * 100.0,
                    p.reach * 100.0
                ),
            ),
        );
        let mut ev: Vec<Evidence> = nbs
            .map(|bs| {
                bs[0]
                    .evidence
                    .iter()
                    .take(MAX_EVIDENCE / 2)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        // The shared customers' first contacts with the old number, in number order.
        if let Some(oid) = ids.get(p.old)
            && let Some(inb) = inbound_set.get(&oid)
        {
            let mut shared: Vec<u32> = inb
                .iter()
                .copied()
                .filter(|&c| line_base.contains(&ids.names[c as usize]))
                .collect();
            shared.sort_by(|a, b| ids.names[*a as usize].cmp(&ids.names[*b as usize]));
            let room = MAX_EVIDENCE.saturating_sub(ev.len());
            ev.extend(
                shared
                    .iter()
                    .filter_map(|&c| pair_ev.get(&(c, oid)).and_then(|(_, e)| e.clone()))
                    .take(room),
            );
        }
        let at = nbs.map_or(new_first, |bs| bs[0].start);
        successors.push(Link {
            old: p.old.to_owned(),
            new: new.clone(),
            score: p.own,
            at,
            evidence: ev,
            why: format!(
                "{:.0}% of the customers of {} ({} of {}) are its customers, and {} fell silent as it started",
                p.own * 100.0,
                p.old,
                p.shared,
                p.base,
                p.old
            ),
        });
        queue.push(p.old.to_owned());
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
    for l in &successors {
        findings.push(Finding {
            kind: FindingKind::Successor,
            number: l.new.clone(),
            score: l.score,
            rule: SUCCESSOR_RULE.to_owned(),
            explanation: format!("{} took over from {}: {}.", l.new, l.old, l.why),
            at_utc: Some(l.at),
            old: Some(l.old.clone()),
            new: Some(l.new.clone()),
            evidence: l.evidence.clone(),
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
pub const DEAL_LINE_RULE: &str = "A number is reported as a deal line when it is a mobile that repeatedly texts the same large group of people in bursts (flares), many of those people contact it in turn, it calls many of them back within minutes of their contact (confirmed transactions), they mostly do not know one another, and its flares are not confined to office hours; or when its first flares go to the customers of a deal line that stopped around then; or when, just before a deal line started, it served mostly that line's customers and then fell silent.";
/// The rule behind a flare finding.
pub const FLARE_RULE: &str = "A flare is a burst of texts from a deal line to many distinct recipients within minutes, texts at most a minute apart.";
/// The rule behind a successor finding.
pub const SUCCESSOR_RULE: &str = "A new number is the successor of an old one when most recipients of its first flares were customers of the old number (where the old number was too short-lived to show a deal line's pattern on its own, also when most of the old number's customers are the new number's), and the old number stopped sending shortly before or after the new one started.";
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
    successors: &[Link],
    first_out: &HashMap<u32, i64>,
    last_out: &HashMap<u32, i64>,
    ids: &Ids,
) -> Vec<Line> {
    let pred: HashMap<&str, &str> = successors
        .iter()
        .map(|l| (l.new.as_str(), l.old.as_str()))
        .collect();
    let succ: HashMap<&str, &Link> = successors.iter().map(|l| (l.old.as_str(), l)).collect();
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
            let Some(l) = succ.get(cur) else {
                break;
            };
            how = format!("successor of {cur}: {}", l.why);
            ev = l.evidence.clone();
            cur = l.new.as_str();
        }
        lines.push(Line {
            line_id,
            numbers,
            ..Line::default()
        });
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::Pair;

    const H: i64 = 3_600_000;

    fn pair(a: &str, b: &str, first: i64, last: i64) -> Pair {
        Pair {
            a: a.to_owned(),
            b: b.to_owned(),
            n: 2,
            voice: 1,
            first,
            last,
            evidence: None,
        }
    }

    fn customer(i: usize) -> String {
        format!("+4477009{i:05}")
    }

    /// A line whose second number (`NEW`) flares from day 5 to 30 customers who order and
    /// are called back; before it, `OLD` lived four days with no flare at all, taking
    /// orders from 20 of the same customers. A busy local number (`LOCAL`) in use over the
    /// same days shares 5 customers among its 30 contacts.
    fn world() -> Features {
        const NEW: &str = "+447700100001";
        const OLD: &str = "+447700100002";
        const LOCAL: &str = "+447700100003";
        let mut f = Features::default();
        for day in 5..12 {
            // Evening flares (22:00 UTC), not office hours.
            let t0 = day * DAY_MS + 22 * H;
            for i in 0..30 {
                f.bursts.push(BurstText {
                    sender: NEW.to_owned(),
                    burst: day,
                    recipient: customer(i),
                    t: t0 + i as i64 * 2_000,
                    evidence: None,
                });
            }
        }
        f.stats.insert(
            NEW.to_owned(),
            NumberStats {
                inbound: 100,
                contacts: 30,
                inbound_called_back: 50,
                ..NumberStats::default()
            },
        );
        for i in 0..30 {
            f.pairs
                .push(pair(&customer(i), NEW, 5 * DAY_MS + H, 11 * DAY_MS));
            f.pairs
                .push(pair(NEW, &customer(i), 5 * DAY_MS + 2 * H, 11 * DAY_MS));
        }
        for i in 0..20 {
            f.pairs.push(pair(&customer(i), OLD, H, 4 * DAY_MS));
            f.pairs.push(pair(OLD, &customer(i), 2 * H, 4 * DAY_MS + H));
        }
        for i in 0..30 {
            let who = if i < 5 {
                customer(i)
            } else {
                format!("+4477008{i:05}")
            };
            f.pairs.push(pair(&who, LOCAL, H, 4 * DAY_MS));
            f.pairs.push(pair(LOCAL, &who, 2 * H, 4 * DAY_MS + H));
        }
        f
    }

    #[test]
    fn a_short_lived_first_number_without_flares_is_linked_by_its_customers() {
        let d = detect(&world());
        let deal: BTreeSet<&str> = d
            .findings
            .iter()
            .filter(|f| f.kind == FindingKind::DealLine)
            .map(|f| f.number.as_str())
            .collect();
        assert_eq!(
            deal,
            BTreeSet::from(["+447700100001", "+447700100002"]),
            "the line's two numbers, and not the busy local number"
        );
        let link = d
            .findings
            .iter()
            .find(|f| f.kind == FindingKind::Successor)
            .expect("a successor finding");
        assert_eq!(link.old.as_deref(), Some("+447700100002"));
        assert_eq!(link.new.as_deref(), Some("+447700100001"));
        assert_eq!(d.lines.len(), 1);
        assert_eq!(d.lines[0].numbers.len(), 2);
        let why = &d
            .findings
            .iter()
            .find(|f| f.kind == FindingKind::DealLine && f.number == "+447700100002")
            .expect("old number")
            .explanation;
        assert!(why.contains("fell silent"), "{why}");
    }

    #[test]
    fn a_number_still_in_use_long_after_the_line_started_is_not_its_predecessor() {
        let mut f = world();
        // The old number keeps ringing customers for a week after the new one started.
        for p in &mut f.pairs {
            if p.a == "+447700100002" {
                p.last = 12 * DAY_MS;
            }
        }
        let d = detect(&f);
        assert!(
            !d.findings
                .iter()
                .any(|f| f.kind == FindingKind::DealLine && f.number == "+447700100002")
        );
        assert!(!d.findings.iter().any(|f| f.kind == FindingKind::Successor));
    }

    #[test]
    fn predecessors_are_followed_back_to_a_number_live_for_an_hour() {
        // Before OLD, OLDER was the line's number for an hour and a half: one flare to 12
        // customers, who are all it talked to (too few to reach half the base).
        const OLDER: &str = "+447700100004";
        let mut f = world();
        for i in 0..12 {
            f.bursts.push(BurstText {
                sender: OLDER.to_owned(),
                burst: 0,
                recipient: customer(i),
                t: H / 2 + i as i64 * 2_000,
                evidence: None,
            });
            f.pairs.push(pair(&customer(i), OLDER, H / 2, H));
            f.pairs.push(pair(OLDER, &customer(i), H / 5, H + H / 2));
        }
        let d = detect(&f);
        assert_eq!(d.lines.len(), 1);
        let numbers: Vec<&str> = d.lines[0]
            .numbers
            .iter()
            .map(|n| n.number.as_str())
            .collect();
        assert_eq!(numbers, ["+447700100004", "+447700100002", "+447700100001"]);
        assert!(
            d.lines[0].numbers[1].joined_by.contains("fell silent"),
            "{}",
            d.lines[0].numbers[1].joined_by
        );
    }
}
