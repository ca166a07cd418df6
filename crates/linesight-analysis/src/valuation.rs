//! Line valuation with stated assumptions: confirmed transactions (orders called back
//! within minutes by the line or its runners) and potential transactions (orders that
//! followed a flare), valued with the deal sizes and conversion of a versioned assumptions
//! file (`assumptions/valuation.toml`, built in; `analyse --assumptions` overrides it).
//!
//! The file's version and SHA-256 go into every valuation, so either side of a case can
//! reproduce the figure and see how it moves with each assumption.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use sha2::{Digest, Sha256};

use crate::line_plans::LineData;
use crate::{Line, Valuation, ValuationCase};

/// The built-in assumptions file.
pub const DEFAULT_ASSUMPTIONS: &str = include_str!("../../../assumptions/valuation.toml");

/// A low, central and high figure.
#[derive(Clone, Copy, Debug, serde::Deserialize)]
pub struct Range {
    /// The low figure.
    pub low: f64,
    /// The central figure (the headline).
    pub central: f64,
    /// The high figure.
    pub high: f64,
}

/// One retail deal size, for the sensitivity table.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct DealSize {
    /// What it is ("0.5 g").
    pub label: String,
    /// Its price, GBP.
    pub price_gbp: f64,
    /// Its share of transactions in the source.
    pub share: f64,
}

/// The valuation assumptions, as read from the file.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Assumptions {
    /// Changes whenever a figure changes.
    pub version: String,
    /// An order counts as potential when it follows a flare to the customer within this
    /// many hours.
    pub flare_response_hours: i64,
    /// Contacts from one customer less than this many minutes apart are one order.
    pub order_session_gap_minutes: i64,
    /// Average deal value, GBP.
    pub deal_value_gbp: Range,
    /// Share of unconfirmed potential transactions counted as sales.
    pub conversion: Range,
    /// Deal sizes for the sensitivity table.
    #[serde(default)]
    pub deal_sizes: Vec<DealSize>,
    /// SHA-256 of the file's bytes (filled in on reading).
    #[serde(skip)]
    pub sha256: String,
}

impl Assumptions {
    /// Parses an assumptions file. The error names the field that is wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut a: Self = toml::from_str(text).map_err(|e| e.to_string())?;
        if a.version.trim().is_empty() {
            return Err("`version` must not be empty: name this set of figures".to_owned());
        }
        for (name, r) in [
            ("deal_value_gbp", a.deal_value_gbp),
            ("conversion", a.conversion),
        ] {
            if !(r.low <= r.central && r.central <= r.high) || r.low < 0.0 {
                return Err(format!(
                    "`{name}` must satisfy 0 <= low <= central <= high (got {} / {} / {})",
                    r.low, r.central, r.high
                ));
            }
        }
        if a.conversion.high > 1.0 {
            return Err("`conversion.high` is a share and must be at most 1".to_owned());
        }
        a.sha256 = hex(&Sha256::digest(text.as_bytes()));
        Ok(a)
    }

    /// The built-in assumptions.
    pub fn builtin() -> Self {
        Self::parse(DEFAULT_ASSUMPTIONS).expect("the built-in assumptions file is valid")
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Values every line. `runners[i]` are line `i`'s runners; `flares` are (sender, start,
/// recipients) of every flare.
pub(crate) fn value(
    lines: &[Line],
    data: &LineData,
    runners: &[BTreeSet<String>],
    flares: &[(String, i64, Vec<String>)],
    a: &Assumptions,
) -> Vec<Valuation> {
    let mut line_of: HashMap<&str, usize> = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        for n in &l.numbers {
            line_of.insert(n.number.as_str(), i);
        }
    }
    // Orders per (line, customer), in time order, grouped into sessions.
    let mut contacts: BTreeMap<(usize, &str), Vec<i64>> = BTreeMap::new();
    for o in &data.orders {
        if let Some(&li) = line_of.get(o.line_number.as_str()) {
            contacts
                .entry((li, o.customer.as_str()))
                .or_default()
                .push(o.t);
        }
    }
    let gap = a.order_session_gap_minutes * 60_000;
    let mut sessions: BTreeMap<(usize, &str), Vec<(i64, i64)>> = BTreeMap::new();
    for (k, ts) in &mut contacts {
        ts.sort_unstable();
        let s = sessions.entry(*k).or_default();
        for &t in ts.iter() {
            match s.last_mut() {
                Some(last) if t - last.1 <= gap => last.1 = t,
                _ => s.push((t, t)),
            }
        }
    }
    // Confirmed: a session with a call-back by the line or one of its runners.
    let mut confirmed: BTreeSet<(usize, &str, i64)> = BTreeSet::new();
    for cb in &data.callbacks {
        let Some(&li) = line_of.get(cb.line_number.as_str()) else {
            continue;
        };
        let by_line = line_of.get(cb.caller.as_str()) == Some(&li);
        if !by_line && !runners[li].contains(&cb.caller) {
            continue;
        }
        if let Some(ss) = sessions.get(&(li, cb.customer.as_str()))
            && let Some(s) = ss.iter().find(|s| s.0 <= cb.order_t && cb.order_t <= s.1)
        {
            confirmed.insert((li, cb.customer.as_str(), s.0));
        }
    }
    // Potential: a session starting within the response window after a flare to the
    // customer.
    let window = a.flare_response_hours * 3_600_000;
    let mut potential: BTreeSet<(usize, &str, i64)> = BTreeSet::new();
    for (sender, start, recipients) in flares {
        let Some(&li) = line_of.get(sender.as_str()) else {
            continue;
        };
        for r in recipients {
            if let Some(ss) = sessions.get(&(li, r.as_str()))
                && let Some(s) = ss.iter().find(|s| s.0 > *start && s.0 <= start + window)
            {
                potential.insert((li, r.as_str(), s.0));
            }
        }
    }
    let mut out = Vec::new();
    for (li, line) in lines.iter().enumerate() {
        // Keys start with the line's index, so each line's entries are one range.
        let this_line = (li, "", i64::MIN)..(li + 1, "", i64::MIN);
        let conf = confirmed.range(this_line.clone()).count() as u64;
        let pot = potential
            .range(this_line)
            .filter(|k| !confirmed.contains(k))
            .count() as u64;
        let days: BTreeSet<i64> = sessions
            .range((li, "")..(li + 1, ""))
            .flat_map(|(_, ss)| ss.iter().map(|s| s.0 / 86_400_000))
            .collect();
        let v = |deal: f64, conv: f64| conf as f64 * deal + pot as f64 * conv * deal;
        let mut cases = vec![
            case(
                "low",
                a.deal_value_gbp.low,
                a.conversion.low,
                v(a.deal_value_gbp.low, a.conversion.low),
            ),
            case(
                "central",
                a.deal_value_gbp.central,
                a.conversion.central,
                v(a.deal_value_gbp.central, a.conversion.central),
            ),
            case(
                "high",
                a.deal_value_gbp.high,
                a.conversion.high,
                v(a.deal_value_gbp.high, a.conversion.high),
            ),
        ];
        for d in &a.deal_sizes {
            cases.push(case(
                &format!("every deal {} (GBP {})", d.label, d.price_gbp),
                d.price_gbp,
                a.conversion.central,
                v(d.price_gbp, a.conversion.central),
            ));
        }
        out.push(Valuation {
            line_id: line.line_id.clone(),
            assumptions_version: a.version.clone(),
            assumptions_sha256: a.sha256.clone(),
            potential_transactions: pot,
            confirmed_transactions: conf,
            active_days: days.len() as u64,
            explanation: format!(
                "{conf} confirmed transactions (orders called back within minutes by the line or its runners) and {pot} further potential transactions (orders within {} h of a flare to the same customer, not called back). Value = confirmed x deal value + potential x conversion x deal value; central: {conf} x GBP {:.2} + {pot} x {:.2} x GBP {:.2} = GBP {:.0}, over {} active days (assumptions {}).",
                a.flare_response_hours,
                a.deal_value_gbp.central,
                a.conversion.central,
                a.deal_value_gbp.central,
                v(a.deal_value_gbp.central, a.conversion.central),
                days.len(),
                a.version
            ),
            cases,
        });
    }
    out
}

fn case(label: &str, deal: f64, conv: f64, value: f64) -> ValuationCase {
    ValuationCase {
        label: label.to_owned(),
        deal_value_gbp: deal,
        potential_conversion: conv,
        value_gbp: value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_assumptions_parse_and_carry_their_hash() {
        let a = Assumptions::builtin();
        assert_eq!(a.version, "2026-11-idmu-v1");
        assert_eq!(a.sha256.len(), 64);
        assert_eq!(a.deal_sizes.len(), 6);
    }

    #[test]
    fn inconsistent_ranges_are_refused_with_the_field_named() {
        let bad = DEFAULT_ASSUMPTIONS.replace("low = 10.0", "low = 50.0");
        let err = Assumptions::parse(&bad).unwrap_err();
        assert!(err.contains("deal_value_gbp"), "{err}");
    }
}
