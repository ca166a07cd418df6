//! The JSON API under `/api/v1/`: the router, query parameters, and the case, lines and
//! evidence handlers. Network, map and people (safeguarding, search) live in their own
//! modules; every route is documented in [`crate::openapi::ROUTES`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use linesight_findings::{Finding, FindingKind};
use serde_json::{Value, json};

use crate::case::{Case, Ev, Leg};
use crate::error::{ApiError, ApiResult};
use crate::gate::{Gate, Principal};
use crate::lines::{LineView, belongs};
use crate::time::iso;

/// What every handler shares.
#[derive(Clone)]
pub(crate) struct AppState {
    pub(crate) case: Arc<Case>,
    pub(crate) gate: Arc<dyn Gate>,
    pub(crate) boundaries: Option<Arc<PathBuf>>,
    pub(crate) openapi: Arc<Value>,
}

impl AppState {
    /// Asks the gate before reading personal data.
    pub(crate) async fn authorise(
        &self,
        headers: &HeaderMap,
        purpose: &'static str,
    ) -> ApiResult<Principal> {
        Ok(self.gate.authorise(headers, purpose).await?)
    }
}

/// The `/api/v1` routes.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/case", get(case_summary))
        .route("/api/v1/lines", get(lines))
        .route("/api/v1/lines/{id}", get(line))
        .route("/api/v1/lines/{id}/evidence", get(evidence))
        .route("/api/v1/findings/{id}", get(finding))
        .route("/api/v1/network", get(crate::network::network))
        .route("/api/v1/cells", get(crate::map::cells))
        .route("/api/v1/map", get(crate::map::map))
        .route("/api/v1/boundaries", get(crate::map::boundaries))
        .route("/api/v1/safeguarding", get(crate::people::safeguarding))
        .route("/api/v1/search", get(crate::people::search))
        .route("/api/v1/numbers/{number}", get(crate::people::number))
}

/// Query parameters, checked by name so a typo is a 400 rather than silently ignored.
pub(crate) struct Params(HashMap<String, String>);

impl Params {
    /// Takes the query string, refusing parameters not in `allowed`.
    pub(crate) fn new(
        Query(q): Query<HashMap<String, String>>,
        allowed: &[&str],
    ) -> ApiResult<Self> {
        if let Some(k) = q.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(ApiError::bad_param(
                k,
                format!("unknown; this endpoint takes {}", allowed.join(", ")),
            ));
        }
        Ok(Self(q))
    }

    /// A text parameter, `None` when absent or empty.
    pub(crate) fn text(&self, k: &str) -> Option<&str> {
        self.0.get(k).map(|s| s.trim()).filter(|s| !s.is_empty())
    }

    /// A time: RFC 3339, `YYYY-MM-DD` or UTC milliseconds.
    pub(crate) fn time(&self, k: &str) -> ApiResult<Option<i64>> {
        self.text(k)
            .map(|s| {
                crate::time::parse(s).ok_or_else(|| {
                    ApiError::bad_param(
                        k,
                        format!("{s:?} is not a time (use 2026-10-25 or RFC 3339)"),
                    )
                })
            })
            .transpose()
    }

    /// The `from`/`to` window, checked to be in order.
    pub(crate) fn window(&self) -> ApiResult<(Option<i64>, Option<i64>)> {
        let (from, to) = (self.time("from")?, self.time("to")?);
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            return Err(ApiError::bad_param("from", "is after `to`"));
        }
        Ok((from, to))
    }

    /// A whole number in `min..=max`, or `default` when absent.
    pub(crate) fn int(&self, k: &str, default: usize, min: usize, max: usize) -> ApiResult<usize> {
        let Some(s) = self.text(k) else {
            return Ok(default);
        };
        match s.parse::<usize>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(ApiError::bad_param(
                k,
                format!("{s:?} is not a whole number from {min} to {max}"),
            )),
        }
    }

    /// A number.
    pub(crate) fn float(&self, k: &str) -> ApiResult<Option<f64>> {
        self.text(k)
            .map(|s| {
                s.parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .ok_or_else(|| ApiError::bad_param(k, format!("{s:?} is not a number")))
            })
            .transpose()
    }

    /// One of a fixed set of words.
    pub(crate) fn choice<'a>(
        &self,
        k: &str,
        options: &[&'a str],
        default: &'a str,
    ) -> ApiResult<&'a str> {
        match self.text(k) {
            None => Ok(default),
            Some(s) => options.iter().find(|o| **o == s).copied().ok_or_else(|| {
                ApiError::bad_param(k, format!("{s:?} is not one of {}", options.join(", ")))
            }),
        }
    }
}

async fn openapi(State(st): State<AppState>) -> Json<Value> {
    Json((*st.openapi).clone())
}

async fn case_summary(State(st): State<AppState>, headers: HeaderMap) -> ApiResult<Json<Value>> {
    st.authorise(&headers, "case.summary").await?;
    let c = &st.case;
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &c.findings.findings {
        *by_kind.entry(f.kind.as_str()).or_default() += 1;
    }
    let tables: BTreeMap<&str, u64> = c.table_rows.iter().map(|(t, n)| (t.as_str(), *n)).collect();
    let value: f64 = c.lines.iter().filter_map(|l| l.value_gbp).sum();
    Ok(Json(json!({
        "case_id": c.case_id,
        "path": c.root.display().to_string(),
        "runs": c.runs,
        "tables": tables,
        "events": c.events.len(),
        "first_utc": c.events.first().map(|e| iso(e.start)),
        "last_utc": c.events.last().map(|e| iso(e.start)),
        "analysis_run_id": (!c.findings.run_id.is_empty()).then_some(&c.findings.run_id),
        "findings_by_kind": by_kind,
        "lines": c.lines.len(),
        "value_gbp": (value > 0.0).then_some(value),
        "safeguarding": crate::people::safeguarding_count(c),
        "load_ms": c.load_ms,
    })))
}

fn line_row(l: &LineView) -> Value {
    let (first_day, values) = l.sparkline();
    json!({
        "line_id": l.line.line_id,
        // Call records carry no message text: a brand is known only where intelligence
        // names one of the line's numbers (`analyse --line-names`).
        "brand": l.line.brand,
        "brand_source": l.line.brand_source,
        "score": l.score,
        "current_number": l.current_number(),
        "numbers": l.line.numbers.iter().map(|n| json!({
            "number": n.number, "first_utc": iso(n.first_utc), "last_utc": iso(n.last_utc),
        })).collect::<Vec<_>>(),
        "runner_count": l.runners.len(),
        "controller_count": l.controllers.len(),
        "customers": l.customers(),
        "town": l.line.town,
        "value_gbp": l.value_gbp,
        "first_utc": l.first_utc.map(iso),
        "last_utc": l.last_utc.map(iso),
        "events": l.events.len(),
        "sparkline": { "first_day": first_day, "values": values },
    })
}

const LINE_SORTS: [&str; 8] = [
    "line_id",
    "score",
    "value",
    "runners",
    "customers",
    "town",
    "last_active",
    "events",
];

async fn lines(
    State(st): State<AppState>,
    headers: HeaderMap,
    q: Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let p = Params::new(q, &["sort", "order", "q", "town", "min_score", "limit"])?;
    let sort = p.choice("sort", &LINE_SORTS, "score")?;
    let desc = p.choice(
        "order",
        &["asc", "desc"],
        if sort == "line_id" || sort == "town" {
            "asc"
        } else {
            "desc"
        },
    )? == "desc";
    let min_score = p.float("min_score")?;
    let limit = p.int("limit", 1000, 1, 10_000)?;
    let needle = p.text("q").map(str::to_lowercase);
    let town = p.text("town").map(str::to_lowercase);
    st.authorise(&headers, "lines.list").await?;

    let mut rows: Vec<&LineView> = st
        .case
        .lines
        .iter()
        .filter(|l| min_score.is_none_or(|m| l.score >= m))
        .filter(|l| {
            town.as_ref().is_none_or(|t| {
                l.line
                    .town
                    .as_ref()
                    .is_some_and(|lt| lt.to_lowercase() == *t)
            })
        })
        .filter(|l| {
            needle.as_ref().is_none_or(|n| {
                l.line.line_id.to_lowercase().contains(n)
                    || l.line.numbers.iter().any(|x| x.number.contains(n.as_str()))
                    || l.line
                        .town
                        .as_ref()
                        .is_some_and(|t| t.to_lowercase().contains(n))
            })
        })
        .collect();
    let f = |x: f64| ordered(x);
    rows.sort_by(|a, b| {
        let o = match sort {
            "line_id" => a.line.line_id.cmp(&b.line.line_id),
            "value" => f(a.value_gbp.unwrap_or(-1.0)).cmp(&f(b.value_gbp.unwrap_or(-1.0))),
            "runners" => a.runners.len().cmp(&b.runners.len()),
            "customers" => a.customers().cmp(&b.customers()),
            "town" => a.line.town.cmp(&b.line.town),
            "last_active" => a.last_utc.cmp(&b.last_utc),
            "events" => a.events.len().cmp(&b.events.len()),
            _ => f(a.score).cmp(&f(b.score)),
        };
        let o = if desc { o.reverse() } else { o };
        o.then_with(|| a.line.line_id.cmp(&b.line.line_id))
    });
    let total = rows.len();
    let towns: std::collections::BTreeSet<&str> = st
        .case
        .lines
        .iter()
        .filter_map(|l| l.line.town.as_deref())
        .collect();
    Ok(Json(json!({
        "total": total,
        "towns": towns,
        "lines": rows.iter().take(limit).map(|l| line_row(l)).collect::<Vec<_>>(),
    })))
}

/// A total order on finite floats for sorting.
fn ordered(x: f64) -> i64 {
    (x * 1e6) as i64
}

/// A finding in brief, for timelines and people lists.
pub(crate) fn finding_brief(f: &Finding) -> Value {
    json!({
        "finding_id": f.finding_id,
        "kind": f.kind.as_str(),
        "number": f.number,
        "line_id": f.line_id,
        "score": f.score,
        "at_utc": f.at_utc.map(iso),
        "until_utc": f.until_utc.map(iso),
        "old": f.old,
        "new": f.new,
        "explanation": f.explanation,
        "evidence_count": f.evidence.len(),
    })
}

const TIMELINE_KINDS: [FindingKind; 7] = [
    FindingKind::Flare,
    FindingKind::DealLine,
    FindingKind::Successor,
    FindingKind::HandsetSwap,
    FindingKind::SimSwap,
    FindingKind::BurnerSuccessor,
    FindingKind::Trip,
];

fn the_line<'a>(case: &'a Case, id: &str) -> ApiResult<&'a LineView> {
    case.line(id).ok_or_else(|| ApiError::not_found("line", id))
}

async fn line(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    st.authorise(&headers, "line.read").await?;
    let case = &st.case;
    let l = the_line(case, &id)?;
    // The case does not change while served, so each line's page is built once.
    let body = l.page.get_or_init(|| {
        serde_json::to_vec(&line_json(case, l))
            .unwrap_or_default()
            .into()
    });
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body.clone(),
    )
        .into_response())
}

fn line_json(case: &Case, l: &LineView) -> Value {
    let runners: HashSet<&str> = l.runners.iter().map(String::as_str).collect();

    let mut timeline: Vec<&Finding> = case
        .findings
        .findings
        .iter()
        .filter(|f| TIMELINE_KINDS.contains(&f.kind))
        .filter(|f| {
            belongs(f, &l.line)
                || (f.kind == FindingKind::Trip && runners.contains(f.number.as_str()))
        })
        .collect();
    timeline.sort_by_key(|f| (f.at_utc, f.finding_id.clone()));

    // People with a role, customers apart (they are counted, not listed).
    let mut people: BTreeMap<String, Value> = BTreeMap::new();
    for n in &l.line.numbers {
        people.insert(
            n.number.clone(),
            json!({
                "number": n.number, "role": "deal_line", "score": l.score,
                "reasons": [n.joined_by.clone()], "finding_ids": [],
                "victim": false,
            }),
        );
    }
    for f in case
        .findings
        .findings
        .iter()
        .filter(|f| f.kind.is_role() && f.kind != FindingKind::Customer && belongs(f, &l.line))
    {
        let reasons = if f.reasons.is_empty() {
            vec![f.explanation.clone()]
        } else {
            f.reasons.clone()
        };
        let entry = people.entry(f.number.clone()).or_insert_with(|| {
            json!({ "number": f.number, "role": f.kind.as_str(), "score": f.score,
                    "reasons": [], "finding_ids": [], "victim": crate::people::is_victim_role(f.kind) })
        });
        if let Some(r) = entry["reasons"].as_array_mut() {
            r.extend(reasons.into_iter().map(Value::from));
        }
        if let Some(ids) = entry["finding_ids"].as_array_mut() {
            ids.push(f.finding_id.clone().into());
        }
    }
    for (list, role) in [(&l.runners, "runner"), (&l.controllers, "controller")] {
        for n in list {
            people.entry(n.clone()).or_insert_with(|| {
                json!({ "number": n, "role": role, "score": Value::Null,
                        "reasons": [format!("named by the analysis as the line's {role}")],
                        "finding_ids": [], "victim": false })
            });
        }
    }
    let valuation = case
        .findings
        .valuations
        .iter()
        .find(|v| v.line_id == l.line.line_id);

    let mut row = line_row(l);
    row["number_history"] = l
        .line
        .numbers
        .iter()
        .map(|n| {
            json!({ "number": n.number, "first_utc": iso(n.first_utc), "last_utc": iso(n.last_utc),
                    "joined_by": n.joined_by, "evidence_count": n.evidence.len() })
        })
        .collect();
    row["timeline"] = timeline.into_iter().map(finding_brief).collect();
    row["days"] = json!(l.days);
    row["people"] = people.into_values().collect();
    row["customer_findings"] = case
        .findings_of(FindingKind::Customer)
        .filter(|f| belongs(f, &l.line))
        .count()
        .into();
    row["valuation"] = json!(valuation);
    row
}

/// An `events` row as the evidence table shows it, with both legs' provenance.
pub(crate) fn event_json(case: &Case, e: &Ev) -> Value {
    let s = &case.strings;
    let leg = |l: &Leg| {
        json!({
            "imsi": s.opt(l.imsi), "imei": s.opt(l.imei), "cell": s.opt(l.cell),
            "src_sha256": s.opt(l.src), "src_row": s.opt(l.src).map(|_| l.row),
        })
    };
    json!({
        "event_id": e.event_id,
        "kind": s.text(e.kind),
        "start_utc": iso(e.start),
        "duration_s": e.duration_s,
        "legs": e.legs,
        "a_number": s.text(e.a),
        "b_number": s.opt(e.b),
        "a": leg(&e.a_leg),
        "b": leg(&e.b_leg),
    })
}

async fn evidence(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    q: Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let p = Params::new(q, &["page", "page_size", "from", "to", "number"])?;
    let page = p.int("page", 0, 0, 1_000_000)?;
    let page_size = p.int("page_size", 50, 1, 500)?;
    let (from, to) = p.window()?;
    st.authorise(&headers, "line.evidence").await?;
    let case = &st.case;
    let l = the_line(case, &id)?;
    let rows: Vec<u32>;
    let idx: &[u32] = match p.text("number") {
        Some(n) => {
            let id = case
                .strings
                .get(n)
                .filter(|_| l.line.numbers.iter().any(|x| x.number == n));
            let Some(id) = id else {
                return Err(ApiError::bad_param(
                    "number",
                    format!("{n:?} is not a number of line {}", l.line.line_id),
                ));
            };
            rows = l
                .events
                .iter()
                .copied()
                .filter(|&i| {
                    let e = &case.events[i as usize];
                    e.a == id || e.b == id
                })
                .collect();
            &rows
        }
        None => &l.events,
    };
    let idx = case.window(idx, from, to);
    let start = page.saturating_mul(page_size).min(idx.len());
    let end = (start + page_size).min(idx.len());
    Ok(Json(json!({
        "line_id": l.line.line_id,
        "total": idx.len(),
        "page": page,
        "page_size": page_size,
        "rows": idx[start..end].iter().map(|&i| event_json(case, &case.events[i as usize])).collect::<Vec<_>>(),
    })))
}

async fn finding(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    st.authorise(&headers, "finding.read").await?;
    let case = &st.case;
    let f = case
        .findings
        .findings
        .iter()
        .find(|f| f.finding_id == id)
        .ok_or_else(|| ApiError::not_found("finding", &id))?;
    // Evidence names legs by provenance; the events behind it are among those of the
    // finding's numbers.
    let wanted: HashSet<(&str, u64)> = f
        .evidence
        .iter()
        .map(|e| (e.src_sha256.as_str(), e.src_row))
        .collect();
    let mut numbers: Vec<&str> = vec![f.number.as_str()];
    numbers.extend(f.old.as_deref());
    numbers.extend(f.related.iter().map(String::as_str));
    let mut found: Vec<u32> = Vec::new();
    for n in numbers {
        for &i in case.number_events(n) {
            let e = &case.events[i as usize];
            let hit = |l: &Leg| {
                case.strings
                    .opt(l.src)
                    .is_some_and(|s| wanted.contains(&(s, l.row)))
            };
            if hit(&e.a_leg) || hit(&e.b_leg) {
                found.push(i);
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    let mut out = json!(f);
    out["evidence_events"] = found
        .iter()
        .take(1000)
        .map(|&i| event_json(case, &case.events[i as usize]))
        .collect();
    Ok(Json(out))
}

/// Unknown paths under `/api/`: a JSON 404 rather than the web app.
pub(crate) async fn api_not_found() -> Response {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such API endpoint; see /api/v1/openapi.json",
    )
    .into_response()
}

/// A known path with the wrong method.
pub(crate) async fn method_not_allowed() -> Response {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not take that method; see /api/v1/openapi.json",
    )
    .into_response()
}
