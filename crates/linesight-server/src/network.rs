//! The link chart's data: nodes and edges for a line, a number (with its neighbours, which
//! is also how the chart expands a node) or the whole case, in a time window, with each
//! node's role and its community (Leiden, from `linesight-graph`).

use std::collections::{HashMap, HashSet};

use axum::Json;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use linesight_graph::Graph;
use linesight_graph::community::leiden::{LeidenOptions, leiden};
use serde_json::{Value, json};

use crate::api::{AppState, Params};
use crate::case::{Case, NONE};
use crate::error::{ApiError, ApiResult};
use crate::time::iso;

/// A neighbour is scanned for edges to the other neighbours only if it has at most this
/// many events: a hub (another deal line) would cost a whole-case scan for little.
const MAX_SCAN_EVENTS: usize = 50_000;

#[derive(Default)]
struct EdgeStat {
    events: u32,
    calls: u32,
    texts: u32,
    first: i64,
    last: i64,
}

struct Builder<'a> {
    case: &'a Case,
    from: Option<i64>,
    to: Option<i64>,
    edges: HashMap<(u32, u32), EdgeStat>,
    scanned: HashSet<u32>,
    voice: u32,
}

impl<'a> Builder<'a> {
    fn new(case: &'a Case, from: Option<i64>, to: Option<i64>) -> Self {
        Self {
            case,
            from,
            to,
            edges: HashMap::new(),
            scanned: HashSet::new(),
            voice: case.strings.get("voice").unwrap_or(NONE),
        }
    }

    /// Adds the edges of `n`'s events whose other end passes `keep`.
    fn scan(&mut self, n: u32, keep: impl Fn(u32) -> bool) {
        let idx = self
            .case
            .window(self.case.by_number.of(n), self.from, self.to);
        for &i in idx {
            let e = &self.case.events[i as usize];
            let o = e.other(n);
            // An event between two scanned numbers was counted when the first was scanned.
            if o == NONE || o == n || self.scanned.contains(&o) || !keep(o) {
                continue;
            }
            let s = self
                .edges
                .entry((n.min(o), n.max(o)))
                .or_insert_with(|| EdgeStat {
                    first: e.start,
                    ..EdgeStat::default()
                });
            s.events += 1;
            if e.kind == self.voice {
                s.calls += 1;
            } else {
                s.texts += 1;
            }
            s.first = s.first.min(e.start);
            s.last = s.last.max(e.start);
        }
        self.scanned.insert(n);
    }
}

/// `GET /api/v1/network`.
pub(crate) async fn network(
    State(st): State<AppState>,
    headers: HeaderMap,
    q: Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let p = Params::new(q, &["line", "number", "scope", "from", "to", "limit"])?;
    let (from, to) = p.window()?;
    let limit = p.int("limit", 2000, 1, 50_000)?;
    let scope = match (p.text("line"), p.text("number")) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_param(
                "line",
                "give either line or number, not both",
            ));
        }
        (Some(_), None) => "line",
        (None, Some(_)) => "number",
        (None, None) => p.choice("scope", &["case"], "case")?,
    };
    st.authorise(&headers, "network.read").await?;
    let case = &st.case;
    let mut b = Builder::new(case, from, to);
    let mut centers: Vec<u32> = Vec::new();
    let mut nodes: HashSet<u32> = HashSet::new();
    match scope {
        "line" => {
            let id = p.text("line").unwrap_or_default();
            let l = case
                .line(id)
                .ok_or_else(|| ApiError::not_found("line", id))?;
            let mut people: Vec<&str> = l.line.numbers.iter().map(|n| n.number.as_str()).collect();
            people.extend(l.runners.iter().map(String::as_str));
            people.extend(l.controllers.iter().map(String::as_str));
            for f in case.findings.findings.iter() {
                if f.kind.is_role()
                    && f.kind != linesight_findings::FindingKind::Customer
                    && crate::lines::belongs(f, &l.line)
                {
                    people.push(&f.number);
                }
            }
            centers.extend(people.iter().filter_map(|n| case.strings.get(n)));
            centers.sort_unstable();
            centers.dedup();
            for &c in &centers {
                b.scan(c, |_| true);
            }
        }
        "number" => {
            let n = p.text("number").unwrap_or_default();
            let id = case
                .strings
                .get(n)
                .filter(|&id| !case.by_number.of(id).is_empty())
                .ok_or_else(|| ApiError::not_found("number", n))?;
            centers.push(id);
            b.scan(id, |_| true);
            let neighbours: HashSet<u32> = b.edges.keys().flat_map(|&(x, y)| [x, y]).collect();
            for &m in &neighbours {
                if m != id && case.by_number.of(m).len() <= MAX_SCAN_EVENTS {
                    b.scan(m, |o| neighbours.contains(&o) && o != id);
                }
            }
        }
        _ => {
            let mut people: Vec<u32> = case
                .roles
                .iter()
                .filter(|(_, r)| **r != "customer")
                .filter_map(|(n, _)| case.strings.get(n))
                .collect();
            people.sort_unstable();
            let set: HashSet<u32> = people.iter().copied().collect();
            for &c in &people {
                b.scan(c, |o| set.contains(&o));
            }
            centers = people;
        }
    }
    nodes.extend(centers.iter().copied());
    for &(x, y) in b.edges.keys() {
        nodes.insert(x);
        nodes.insert(y);
    }

    // Over the limit: keep the centres and the neighbours most in contact with them.
    let mut truncated = false;
    if nodes.len() > limit {
        truncated = true;
        let center_set: HashSet<u32> = centers.iter().copied().collect();
        let mut weight: HashMap<u32, u32> = HashMap::new();
        for (&(x, y), s) in &b.edges {
            for v in [x, y] {
                if !center_set.contains(&v) {
                    *weight.entry(v).or_default() += s.events;
                }
            }
        }
        let mut ranked: Vec<(u32, u32)> = weight.into_iter().collect();
        ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        nodes = center_set.iter().copied().take(limit).collect();
        let room = limit.saturating_sub(nodes.len());
        nodes.extend(ranked.into_iter().take(room).map(|(v, _)| v));
        b.edges
            .retain(|(x, y), _| nodes.contains(x) && nodes.contains(y));
    }

    let s = &case.strings;
    let mut node_list: Vec<u32> = nodes.into_iter().collect();
    node_list.sort_unstable_by(|x, y| s.text(*x).cmp(s.text(*y)));
    let mut edge_list: Vec<(&(u32, u32), &EdgeStat)> = b.edges.iter().collect();
    edge_list.sort_unstable_by(|a, b| {
        (s.text(a.0.0), s.text(a.0.1)).cmp(&(s.text(b.0.0), s.text(b.0.1)))
    });

    let communities = communities(case, &node_list, &edge_list);
    let mut degree: HashMap<u32, u32> = HashMap::new();
    for &(&(x, y), st) in &edge_list {
        *degree.entry(x).or_default() += st.events;
        *degree.entry(y).or_default() += st.events;
    }
    let center_set: HashSet<u32> = centers.iter().copied().collect();
    Ok(Json(json!({
        "scope": scope,
        "from": from.map(iso),
        "to": to.map(iso),
        "truncated": truncated,
        "nodes": node_list.iter().zip(&communities).map(|(&n, c)| json!({
            "id": s.text(n),
            "role": case.role(s.text(n)).unwrap_or("contact"),
            "community": c,
            "events": degree.get(&n).copied().unwrap_or(0),
            "center": center_set.contains(&n),
        })).collect::<Vec<_>>(),
        "edges": edge_list.iter().map(|&(&(x, y), st)| json!({
            "source": s.text(x), "target": s.text(y), "events": st.events,
            "calls": st.calls, "texts": st.texts,
            "first_utc": iso(st.first), "last_utc": iso(st.last),
        })).collect::<Vec<_>>(),
    })))
}

/// Leiden communities (seeded, so a chart looks the same on reload); a node with no
/// edge is a community of its own.
fn communities(case: &Case, nodes: &[u32], edges: &[(&(u32, u32), &EdgeStat)]) -> Vec<usize> {
    let s = &case.strings;
    let triples = edges
        .iter()
        .map(|&(&(x, y), st)| (s.text(x), s.text(y), f64::from(st.events.max(1))));
    let Ok(g) = Graph::from_edges(false, triples) else {
        return (0..nodes.len()).collect();
    };
    let part = leiden(&g, &LeidenOptions::default());
    let mut next = part.community_count;
    nodes
        .iter()
        .map(|&n| match g.index_of(s.text(n)) {
            Some(i) => part.membership[i],
            None => {
                next += 1;
                next - 1
            }
        })
        .collect()
}
