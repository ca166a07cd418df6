//! The people around each line, from who contacts whom and when: customers (they contact
//! the line), runners (they call the line's customers back minutes after an order), the
//! line holder's own phone (it texts the runners), and controllers (they talk to both the
//! holder and the runners).
//!
//! Each role is a rule over the reduced data with its figures kept, so every finding can
//! say which test it passed and show the records behind it.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::features::{Evidence, Pair};
use crate::line_plans::LineData;
use crate::thresholds::{
    CONTROLLER_MIN_CONTACTS, HANDLER_MAX_VOICE_SHARE, HANDLER_MIN_TEXTS, RUNNER_MIN_CALLBACK_SHARE,
    RUNNER_MIN_CUSTOMERS,
};
use crate::{Finding, FindingKind, Line};

const MAX_EVIDENCE: usize = 10;

/// What is known about one customer of one line.
#[derive(Clone, Debug, Default)]
pub(crate) struct Customer {
    pub(crate) contacts: u64,
    pub(crate) first: i64,
    pub(crate) last: i64,
    pub(crate) called_back: u64,
    pub(crate) evidence: Vec<Evidence>,
}

/// A number that called a line's customers back.
#[derive(Clone, Debug, Default)]
pub(crate) struct Runner {
    /// Distinct customers called back within the window after their order.
    pub(crate) customers: BTreeSet<String>,
    /// Call-backs in all.
    pub(crate) callbacks: u64,
    /// Voice calls to the line's customers in all (call-backs or not).
    pub(crate) calls_to_customers: i64,
    pub(crate) evidence: Vec<Evidence>,
}

/// A number in regular contact with a line's runners (a handler or a controller).
#[derive(Clone, Debug, Default)]
pub(crate) struct Associate {
    pub(crate) runners: BTreeSet<String>,
    pub(crate) handlers: BTreeSet<String>,
    pub(crate) texts_to_runners: i64,
    pub(crate) calls_to_runners: i64,
    pub(crate) evidence: Vec<Evidence>,
}

/// The roles found around every line (indexed like the lines).
#[derive(Debug, Default)]
pub(crate) struct Roles {
    pub(crate) customers: Vec<BTreeMap<String, Customer>>,
    pub(crate) runners: Vec<BTreeMap<String, Runner>>,
    pub(crate) handlers: Vec<BTreeMap<String, Associate>>,
    pub(crate) controllers: Vec<BTreeMap<String, Associate>>,
}

/// The rule behind a runner finding.
pub const RUNNER_RULE: &str = "A number is reported as a runner for a line when it calls several of the line's customers within minutes of their contacting the line (the order is passed on and someone in the town calls back to arrange the handover), and most of its calls to those customers are such call-backs.";
/// The rule behind a line-holder finding.
pub const HANDLER_RULE: &str = "A number is reported as the line holder's own phone when it sends many texts, and almost no calls, to the line's runners: the holder relays each order to the runner in the town by text.";
/// The rule behind a controller finding.
pub const CONTROLLER_RULE: &str = "A number is reported as a controller when it is in repeated contact both with the line holder's phone and with the line's runners, and is neither a customer nor a runner: it directs the line.";
/// The rule behind a customer finding.
pub const CUSTOMER_RULE: &str = "A number is reported as a customer of a line when it contacts the line's numbers; contacts followed within minutes by a call back are confirmed transactions.";

/// Finds the customers, runners, holders and controllers of every line.
pub(crate) fn find(lines: &[Line], data: &LineData, pairs: &[Pair]) -> Roles {
    let n = lines.len();
    let mut line_of: HashMap<&str, usize> = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        for num in &l.numbers {
            line_of.insert(num.number.as_str(), i);
        }
    }
    let mut roles = Roles {
        customers: vec![BTreeMap::new(); n],
        runners: vec![BTreeMap::new(); n],
        handlers: vec![BTreeMap::new(); n],
        controllers: vec![BTreeMap::new(); n],
    };
    for o in &data.orders {
        let Some(&li) = line_of.get(o.line_number.as_str()) else {
            continue;
        };
        let c = roles.customers[li]
            .entry(o.customer.clone())
            .or_insert_with(|| Customer {
                first: o.t,
                last: o.t,
                ..Customer::default()
            });
        c.contacts += 1;
        c.first = c.first.min(o.t);
        c.last = c.last.max(o.t);
        if c.evidence.len() < 3
            && let Some(e) = &o.evidence
        {
            c.evidence.push(e.clone());
        }
    }

    // Call-backs: by the line itself (confirmed transactions) or by someone else.
    let mut called_back: HashSet<(usize, &str, i64)> = HashSet::new();
    let mut cands: Vec<BTreeMap<String, Runner>> = vec![BTreeMap::new(); n];
    for cb in &data.callbacks {
        let Some(&li) = line_of.get(cb.line_number.as_str()) else {
            continue;
        };
        called_back.insert((li, cb.customer.as_str(), cb.order_t));
        if line_of.contains_key(cb.caller.as_str())
            || !cb.caller.starts_with("+447")
            || roles.customers[li].contains_key(&cb.caller)
        {
            continue;
        }
        let r = cands[li].entry(cb.caller.clone()).or_default();
        r.customers.insert(cb.customer.clone());
        r.callbacks += 1;
        if r.evidence.len() < MAX_EVIDENCE
            && let Some(e) = &cb.evidence
        {
            r.evidence.push(e.clone());
        }
    }
    for &(li, customer, _) in &called_back {
        if let Some(c) = roles.customers[li].get_mut(customer) {
            c.called_back += 1;
        }
    }

    // Voice calls from each candidate to each line's customers, for the call-back share.
    let mut voice_out: HashMap<&str, Vec<(&str, i64)>> = HashMap::new();
    for p in pairs {
        if p.voice > 0 {
            voice_out
                .entry(p.a.as_str())
                .or_default()
                .push((p.b.as_str(), p.voice));
        }
    }
    for (li, cs) in cands.into_iter().enumerate() {
        for (num, mut r) in cs {
            if r.customers.len() < RUNNER_MIN_CUSTOMERS {
                continue;
            }
            r.calls_to_customers = voice_out
                .get(num.as_str())
                .map(|v| {
                    v.iter()
                        .filter(|(b, _)| roles.customers[li].contains_key(*b))
                        .map(|(_, n)| *n)
                        .sum()
                })
                .unwrap_or(0);
            let share = r.callbacks as f64 / r.calls_to_customers.max(1) as f64;
            if share >= RUNNER_MIN_CALLBACK_SHARE {
                roles.runners[li].insert(num, r);
            }
        }
    }

    // Holders and controllers: who talks to the runners.
    let runner_line: HashMap<&str, usize> = roles
        .runners
        .iter()
        .enumerate()
        .flat_map(|(li, rs)| rs.keys().map(move |r| (r.as_str(), li)))
        .collect();
    let mut assoc: Vec<BTreeMap<String, Associate>> = vec![BTreeMap::new(); n];
    let mut contacts: HashMap<(&str, &str), i64> = HashMap::new();
    for p in pairs {
        *contacts
            .entry((
                p.a.as_str().min(p.b.as_str()),
                p.a.as_str().max(p.b.as_str()),
            ))
            .or_default() += p.n;
        let (other, runner, li) = if let Some(&li) = runner_line.get(p.b.as_str()) {
            (p.a.as_str(), p.b.as_str(), li)
        } else if let Some(&li) = runner_line.get(p.a.as_str()) {
            (p.b.as_str(), p.a.as_str(), li)
        } else {
            continue;
        };
        if line_of.contains_key(other)
            || runner_line.contains_key(other)
            || roles.customers[li].contains_key(other)
        {
            continue;
        }
        let a = assoc[li].entry(other.to_owned()).or_default();
        a.runners.insert(runner.to_owned());
        if p.a == other {
            a.texts_to_runners += p.n - p.voice;
        }
        a.calls_to_runners += p.voice;
        if a.evidence.len() < MAX_EVIDENCE
            && let Some(e) = &p.evidence
        {
            a.evidence.push(e.clone());
        }
    }
    for (li, list) in assoc.iter().enumerate() {
        for (num, a) in list {
            let total = a.texts_to_runners + a.calls_to_runners;
            let voice_share = a.calls_to_runners as f64 / total.max(1) as f64;
            if a.texts_to_runners >= HANDLER_MIN_TEXTS && voice_share <= HANDLER_MAX_VOICE_SHARE {
                roles.handlers[li].insert(num.clone(), a.clone());
            }
        }
    }
    for (li, list) in assoc.into_iter().enumerate() {
        for (num, mut a) in list {
            if roles.handlers[li].contains_key(&num) {
                continue;
            }
            let runner_contacts: i64 = a
                .runners
                .iter()
                .map(|r| pair_count(&contacts, &num, r))
                .sum();
            let handlers: BTreeSet<String> = roles.handlers[li]
                .keys()
                .filter(|h| pair_count(&contacts, &num, h) >= CONTROLLER_MIN_CONTACTS)
                .cloned()
                .collect();
            if runner_contacts >= CONTROLLER_MIN_CONTACTS && !handlers.is_empty() {
                a.handlers = handlers;
                roles.controllers[li].insert(num, a);
            }
        }
    }
    roles
}

fn pair_count(contacts: &HashMap<(&str, &str), i64>, a: &str, b: &str) -> i64 {
    contacts.get(&(a.min(b), a.max(b))).copied().unwrap_or(0)
}

/// The role findings, in words.
pub(crate) fn findings(lines: &[Line], roles: &Roles) -> Vec<Finding> {
    let mut out = Vec::new();
    for (li, line) in lines.iter().enumerate() {
        let lid = &line.line_id;
        for (num, c) in &roles.customers[li] {
            let score =
                (0.5_f64 + 0.1 * c.contacts as f64 + 0.2 * c.called_back.min(1) as f64).min(1.0);
            let mut reasons = vec![format!(
                "contacted line {lid} {} time(s) between {} and {}",
                c.contacts,
                crate::day(c.first),
                crate::day(c.last)
            )];
            if c.called_back > 0 {
                reasons.push(format!(
                    "{} contact(s) were called back within minutes (confirmed transactions)",
                    c.called_back
                ));
            }
            out.push(Finding {
                kind: FindingKind::Customer,
                number: num.clone(),
                line_id: Some(lid.clone()),
                score,
                rule: CUSTOMER_RULE.to_owned(),
                explanation: format!("{num} is a customer of line {lid}: {}.", reasons.join("; ")),
                reasons,
                at_utc: Some(c.first),
                until_utc: Some(c.last),
                evidence: c.evidence.clone(),
                ..Finding::default()
            });
        }
        for (num, r) in &roles.runners[li] {
            let share = r.callbacks as f64 / r.calls_to_customers.max(1) as f64;
            let reasons = vec![
                format!(
                    "called {} different customers of line {lid} back within minutes of their contacting the line ({} call-backs)",
                    r.customers.len(),
                    r.callbacks
                ),
                format!(
                    "{:.0}% of its calls to the line's customers were such call-backs",
                    share * 100.0
                ),
            ];
            out.push(Finding {
                kind: FindingKind::Runner,
                number: num.clone(),
                line_id: Some(lid.clone()),
                score: (0.5_f64 + 0.05 * r.customers.len() as f64).min(0.9),
                rule: RUNNER_RULE.to_owned(),
                explanation: format!(
                    "{num} works as a runner for line {lid}: {}.",
                    reasons.join("; ")
                ),
                reasons,
                related: r.customers.iter().take(20).cloned().collect(),
                evidence: r.evidence.clone(),
                ..Finding::default()
            });
        }
        for (num, a) in &roles.handlers[li] {
            let reasons = vec![format!(
                "sent {} texts and made {} calls to the line's runners ({})",
                a.texts_to_runners,
                a.calls_to_runners,
                join_short(&a.runners)
            )];
            out.push(Finding {
                kind: FindingKind::LineHolder,
                number: num.clone(),
                line_id: Some(lid.clone()),
                score: 0.7,
                rule: HANDLER_RULE.to_owned(),
                explanation: format!(
                    "{num} is likely the own phone of line {lid}'s holder: {}.",
                    reasons.join("; ")
                ),
                reasons,
                related: a.runners.iter().cloned().collect(),
                evidence: a.evidence.clone(),
                ..Finding::default()
            });
        }
        for (num, a) in &roles.controllers[li] {
            let reasons = vec![
                format!(
                    "in contact with the line holder's phone {}",
                    join_short(&a.handlers)
                ),
                format!(
                    "in contact with {} of the line's runners ({}), {} calls and {} texts to them",
                    a.runners.len(),
                    join_short(&a.runners),
                    a.calls_to_runners,
                    a.texts_to_runners
                ),
                "not a customer of the line and not itself calling customers back".to_owned(),
            ];
            out.push(Finding {
                kind: FindingKind::Controller,
                number: num.clone(),
                line_id: Some(lid.clone()),
                score: (0.5_f64 + 0.1 * a.runners.len() as f64).min(0.9),
                rule: CONTROLLER_RULE.to_owned(),
                explanation: format!("{num} likely controls line {lid}: {}.", reasons.join("; ")),
                reasons,
                related: a.runners.iter().chain(&a.handlers).cloned().collect(),
                evidence: a.evidence.clone(),
                ..Finding::default()
            });
        }
    }
    out
}

fn join_short(set: &BTreeSet<String>) -> String {
    let v: Vec<&str> = set.iter().take(5).map(String::as_str).collect();
    if set.len() > 5 {
        format!("{} and {} more", v.join(", "), set.len() - 5)
    } else {
        v.join(", ")
    }
}
