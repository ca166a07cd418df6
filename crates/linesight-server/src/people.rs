//! People: the safeguarding queue (children drawn into running a line and residents whose
//! homes were taken over: victims, not suspects), and search by number, IMEI or IMSI with
//! the entity's history.

use std::collections::{BTreeMap, HashMap};

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use chrono::{DateTime, Datelike, NaiveDate};
use linesight_findings::{Finding, FindingKind};
use linesight_model::Msisdn;
use serde_json::{Value, json};

use crate::api::{AppState, Params, finding_brief};
use crate::case::{Case, Leg, NONE};
use crate::error::{ApiError, ApiResult};
use crate::time::iso;

/// Findings listed for one entity at most (a customer of many lines has many).
const MAX_FINDINGS: usize = 200;

/// Whether people in this role are to be treated as victims first: cuckooed residents,
/// and runners, who are often children or vulnerable adults under coercion.
pub(crate) fn is_victim_role(kind: FindingKind) -> bool {
    matches!(kind, FindingKind::Runner | FindingKind::CuckooedResident)
}

/// Age in whole years at a time, from a subscriber check's date of birth.
fn age_at(dob: &str, at_ms: i64) -> Option<i64> {
    let dob = NaiveDate::parse_from_str(dob, "%Y-%m-%d").ok()?;
    let at = DateTime::from_timestamp_millis(at_ms)?.date_naive();
    let mut age = i64::from(at.year() - dob.year());
    if (at.month(), at.day()) < (dob.month(), dob.day()) {
        age -= 1;
    }
    Some(age)
}

/// Words in a runner finding's reasons that say the runner is likely a child.
const CHILD_WORDS: [&str; 4] = ["child", "under 18", "school", "minor"];

struct Entry<'a> {
    finding: &'a Finding,
    age: Option<i64>,
    child: bool,
}

fn queue(case: &Case) -> Vec<Entry<'_>> {
    let mut out = Vec::new();
    for f in &case.findings.findings {
        let at = f
            .at_utc
            .or(case.events.first().map(|e| e.start))
            .unwrap_or(0);
        let age = case
            .subscribers
            .get(&f.number)
            .and_then(|s| s.date_of_birth.as_deref())
            .and_then(|d| age_at(d, at));
        match f.kind {
            FindingKind::Runner => {
                let said = f.reasons.iter().chain([&f.explanation]).any(|r| {
                    let r = r.to_lowercase();
                    CHILD_WORDS.iter().any(|w| r.contains(w))
                });
                if said || age.is_some_and(|a| a < 18) {
                    out.push(Entry {
                        finding: f,
                        age,
                        child: true,
                    });
                }
            }
            FindingKind::CuckooedResident => out.push(Entry {
                finding: f,
                age,
                child: false,
            }),
            _ => {}
        }
    }
    // Children first, then by strength of the finding.
    out.sort_by(|a, b| {
        b.child
            .cmp(&a.child)
            .then(b.finding.score.total_cmp(&a.finding.score))
            .then(a.finding.finding_id.cmp(&b.finding.finding_id))
    });
    out
}

/// How many people are in the safeguarding queue.
pub(crate) fn safeguarding_count(case: &Case) -> usize {
    queue(case).len()
}

/// `GET /api/v1/safeguarding`.
pub(crate) async fn safeguarding(
    State(st): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<Json<Value>> {
    st.authorise(&headers, "safeguarding.read").await?;
    let case = &st.case;
    let items: Vec<Value> = queue(case)
        .iter()
        .map(|e| {
            let f = e.finding;
            let (category, summary) = if e.child {
                ("child_at_risk", "Possible child at risk of criminal exploitation: refer for safeguarding (and to the NRM) rather than treat as a suspect.")
            } else {
                ("cuckooed_resident", "Resident whose home may have been taken over by the line (cuckooing): a victim to protect.")
            };
            json!({
                "category": category,
                "summary": summary,
                "number": f.number,
                "line_id": f.line_id,
                "age": e.age,
                "place": f.place,
                "at_utc": f.at_utc.map(iso),
                "until_utc": f.until_utc.map(iso),
                "score": f.score,
                "reasons": if f.reasons.is_empty() { vec![f.explanation.clone()] } else { f.reasons.clone() },
                "finding_id": f.finding_id,
            })
        })
        .collect();
    Ok(Json(json!({
        "note": "Everyone listed here is a possible victim, not a suspect.",
        "items": items,
    })))
}

#[derive(Default)]
struct Seen {
    first: i64,
    last: i64,
    events: u32,
}

fn see(map: &mut BTreeMap<String, Seen>, key: &str, at: i64) {
    if key.is_empty() {
        return;
    }
    let s = map.entry(key.to_string()).or_insert(Seen {
        first: at,
        last: at,
        events: 0,
    });
    s.first = s.first.min(at);
    s.last = s.last.max(at);
    s.events += 1;
}

fn seen_json(map: BTreeMap<String, Seen>, key: &str) -> Vec<Value> {
    let mut v: Vec<(String, Seen)> = map.into_iter().collect();
    v.sort_by_key(|(_, s)| s.first);
    v.into_iter()
        .map(|(k, s)| json!({ key: k, "first_utc": iso(s.first), "last_utc": iso(s.last), "events": s.events }))
        .collect()
}

fn number_entity(case: &Case, id: u32) -> Value {
    let s = &case.strings;
    let number = s.text(id);
    let idx = case.by_number.of(id);
    let (mut handsets, mut sims) = (BTreeMap::new(), BTreeMap::new());
    let mut contacts: HashMap<u32, u32> = HashMap::new();
    for &i in idx {
        let e = &case.events[i as usize];
        if let Some(l) = e.leg_of(id) {
            see(&mut handsets, s.text(l.imei), e.start);
            see(&mut sims, s.text(l.imsi), e.start);
        }
        let o = e.other(id);
        if o != NONE {
            *contacts.entry(o).or_default() += 1;
        }
    }
    let mut top: Vec<(u32, u32)> = contacts.into_iter().collect();
    top.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(s.text(a.0).cmp(s.text(b.0))));
    let findings: Vec<&Finding> = case
        .findings
        .findings
        .iter()
        .filter(|f| f.number == number || f.old.as_deref() == Some(number))
        .collect();
    let lines: Vec<&str> = case
        .lines
        .iter()
        .filter(|l| {
            l.line.numbers.iter().any(|n| n.number == number)
                || l.runners.iter().any(|n| n == number)
                || l.controllers.iter().any(|n| n == number)
        })
        .map(|l| l.line.line_id.as_str())
        .collect();
    json!({
        "kind": "number",
        "id": number,
        "role": case.role(number),
        "events": idx.len(),
        "first_utc": idx.first().map(|&i| iso(case.events[i as usize].start)),
        "last_utc": idx.last().map(|&i| iso(case.events[i as usize].start)),
        "lines": lines,
        "subscriber": case.subscribers.get(number),
        "handsets": seen_json(handsets, "imei"),
        "sims": seen_json(sims, "imsi"),
        "top_contacts": top.iter().take(10).map(|&(n, c)| json!({
            "number": s.text(n), "events": c, "role": case.role(s.text(n)),
        })).collect::<Vec<_>>(),
        "findings_total": findings.len(),
        "findings": findings.iter().take(MAX_FINDINGS).map(|f| finding_brief(f)).collect::<Vec<_>>(),
    })
}

/// An IMEI's or IMSI's entity: the numbers (and the other identifier) seen with it.
fn device_entity(case: &Case, id: u32, imei: bool) -> Value {
    let s = &case.strings;
    let idx = if imei {
        case.by_imei.of(id)
    } else {
        case.by_imsi.of(id)
    };
    let (mut numbers, mut others) = (BTreeMap::new(), BTreeMap::new());
    let pick = |l: &Leg| if imei { l.imei } else { l.imsi };
    for &i in idx {
        let e = &case.events[i as usize];
        for (party, leg) in [(e.a, &e.a_leg), (e.b, &e.b_leg)] {
            if pick(leg) == id && party != NONE {
                see(&mut numbers, s.text(party), e.start);
                see(
                    &mut others,
                    s.text(if imei { leg.imsi } else { leg.imei }),
                    e.start,
                );
            }
        }
    }
    let (kind, other) = if imei {
        ("imei", "sims")
    } else {
        ("imsi", "handsets")
    };
    let findings: Vec<&Finding> = case
        .findings
        .findings
        .iter()
        .filter(|f| f.old.as_deref() == Some(s.text(id)) || f.new.as_deref() == Some(s.text(id)))
        .collect();
    json!({
        "kind": kind,
        "id": s.text(id),
        "events": idx.len(),
        "first_utc": idx.first().map(|&i| iso(case.events[i as usize].start)),
        "last_utc": idx.last().map(|&i| iso(case.events[i as usize].start)),
        "numbers": seen_json(numbers, "number"),
        other: seen_json(others, if imei { "imsi" } else { "imei" }),
        "findings_total": findings.len(),
        "findings": findings.iter().take(MAX_FINDINGS).map(|f| finding_brief(f)).collect::<Vec<_>>(),
    })
}

/// Every entity the text names: a number (as typed or normalised), an IMEI, an IMSI.
fn lookup(case: &Case, q: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut numbers = vec![q.to_string()];
    if let Ok(n) = Msisdn::normalise(q) {
        numbers.push(n.as_str().to_string());
    }
    numbers.dedup();
    for n in &numbers {
        if let Some(id) = case
            .strings
            .get(n)
            .filter(|&id| !case.by_number.of(id).is_empty())
        {
            out.push(number_entity(case, id));
            break;
        }
    }
    if let Some(id) = case.strings.get(q) {
        if !case.by_imei.of(id).is_empty() {
            out.push(device_entity(case, id, true));
        }
        if !case.by_imsi.of(id).is_empty() {
            out.push(device_entity(case, id, false));
        }
    }
    out
}

/// `GET /api/v1/search?q=`.
pub(crate) async fn search(
    State(st): State<AppState>,
    headers: HeaderMap,
    q: Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let p = Params::new(q, &["q"])?;
    let Some(text) = p.text("q") else {
        return Err(ApiError::bad_param("q", "give a number, IMEI or IMSI"));
    };
    if text.len() > 64 {
        return Err(ApiError::bad_param(
            "q",
            "longer than any number, IMEI or IMSI",
        ));
    }
    st.authorise(&headers, "search").await?;
    Ok(Json(
        json!({ "query": text, "matches": lookup(&st.case, text) }),
    ))
}

/// `GET /api/v1/numbers/{number}`.
pub(crate) async fn number(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(n): Path<String>,
) -> ApiResult<Json<Value>> {
    st.authorise(&headers, "number.read").await?;
    let case = &st.case;
    let normalised = Msisdn::normalise(&n)
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|_| n.clone());
    let id = [n.as_str(), normalised.as_str()]
        .into_iter()
        .find_map(|x| {
            case.strings
                .get(x)
                .filter(|&id| !case.by_number.of(id).is_empty())
        })
        .ok_or_else(|| ApiError::not_found("number", &n))?;
    Ok(Json(number_entity(case, id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_counts_whole_years() {
        let at = crate::time::parse("2026-10-25").unwrap();
        assert_eq!(age_at("2010-10-26", at), Some(15));
        assert_eq!(age_at("2010-10-25", at), Some(16));
        assert_eq!(age_at("not a date", at), None);
    }
}
