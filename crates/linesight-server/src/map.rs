//! Map data: cells (areas served by mast sectors, never points), trips as cell sequences,
//! cuckooed places, a number's cell path, and the user's boundaries file passed through.

use std::collections::{HashMap, HashSet};

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use linesight_findings::{Finding, FindingKind};
use serde_json::{Value, json};

use crate::api::{AppState, Params};
use crate::case::{Case, NONE};
use crate::error::{ApiError, ApiResult};
use crate::lines::belongs;
use crate::time::iso;

/// A cell path longer than this many stays is cut (the newest are dropped) and flagged.
const MAX_STAYS: usize = 2000;

/// `GET /api/v1/cells`.
pub(crate) async fn cells(
    State(st): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<Json<Value>> {
    st.authorise(&headers, "cells.read").await?;
    Ok(Json(json!({
        "note": "A cell is the area a mast sector serves (hundreds of metres to kilometres), not a point.",
        "cells": st.case.cells,
    })))
}

fn trip_json(f: &Finding) -> Value {
    json!({
        "finding_id": f.finding_id, "number": f.number, "line_id": f.line_id,
        "at_utc": f.at_utc.map(iso), "until_utc": f.until_utc.map(iso),
        "cells": f.cells, "explanation": f.explanation, "score": f.score,
    })
}

fn place_json(f: &Finding) -> Value {
    json!({
        "finding_id": f.finding_id, "resident": f.number, "line_id": f.line_id,
        "place": f.place, "cells": f.cells, "runners": f.related,
        "at_utc": f.at_utc.map(iso), "until_utc": f.until_utc.map(iso),
        "explanation": f.explanation, "reasons": f.reasons, "victim": true,
    })
}

/// A number's stays: consecutive events in the same cell merged, in time order.
pub(crate) fn cell_path(
    case: &Case,
    number: u32,
    from: Option<i64>,
    to: Option<i64>,
) -> (Vec<Value>, bool) {
    struct Stay {
        cell: u32,
        first: i64,
        last: i64,
        events: u32,
    }
    let mut stays: Vec<Stay> = Vec::new();
    for &i in case.window(case.by_number.of(number), from, to) {
        let e = &case.events[i as usize];
        let Some(leg) = e.leg_of(number) else {
            continue;
        };
        if leg.cell == NONE {
            continue;
        }
        match stays.last_mut() {
            Some(s) if s.cell == leg.cell => {
                s.last = e.start;
                s.events += 1;
            }
            _ => stays.push(Stay {
                cell: leg.cell,
                first: e.start,
                last: e.start,
                events: 1,
            }),
        }
    }
    let cut = stays.len() > MAX_STAYS;
    let out = stays
        .iter()
        .take(MAX_STAYS)
        .map(|s| {
            let cell = case.strings.text(s.cell);
            json!({ "cell": cell, "known": case.cell_index.contains_key(cell),
                    "first_utc": iso(s.first), "last_utc": iso(s.last), "events": s.events })
        })
        .collect();
    (out, cut)
}

/// `GET /api/v1/map`: trips, cuckooed places and cell paths for a line or a number
/// (the whole case's trips and places when neither is given).
pub(crate) async fn map(
    State(st): State<AppState>,
    headers: HeaderMap,
    q: Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let p = Params::new(q, &["line", "number", "from", "to"])?;
    let (from, to) = p.window()?;
    st.authorise(&headers, "map.read").await?;
    let case = &st.case;
    let line = match p.text("line") {
        Some(id) => Some(
            case.line(id)
                .ok_or_else(|| ApiError::not_found("line", id))?,
        ),
        None => None,
    };
    let number = match p.text("number") {
        Some(n) => Some(
            case.strings
                .get(n)
                .filter(|&id| !case.by_number.of(id).is_empty())
                .ok_or_else(|| ApiError::not_found("number", n))?,
        ),
        None => None,
    };
    let in_window = |f: &Finding| {
        let (start, end) = (
            f.at_utc.unwrap_or(i64::MIN),
            f.until_utc.or(f.at_utc).unwrap_or(i64::MAX),
        );
        from.is_none_or(|t| end >= t) && to.is_none_or(|t| start < t)
    };
    let runners: HashSet<&str> = line
        .map(|l| l.runners.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let relevant = |f: &Finding| {
        in_window(f)
            && match (number, line) {
                (Some(n), _) => {
                    f.number == case.strings.text(n)
                        || f.related.iter().any(|r| r == case.strings.text(n))
                }
                (None, Some(l)) => belongs(f, &l.line) || runners.contains(f.number.as_str()),
                (None, None) => true,
            }
    };
    let trips: Vec<Value> = case
        .findings_of(FindingKind::Trip)
        .filter(|f| relevant(f))
        .map(trip_json)
        .collect();
    let places: Vec<Value> = case
        .findings_of(FindingKind::CuckooedResident)
        .filter(|f| relevant(f))
        .map(place_json)
        .collect();

    // Cell paths: the number asked for, else the line's runners, else its phones.
    let mut path_numbers: Vec<u32> = Vec::new();
    if let Some(n) = number {
        path_numbers.push(n);
    } else if let Some(l) = line {
        let src: Vec<&String> = if l.runners.is_empty() {
            l.line.numbers.iter().map(|n| &n.number).collect()
        } else {
            l.runners.iter().collect()
        };
        path_numbers.extend(src.into_iter().filter_map(|n| case.strings.get(n)));
    }
    let paths: Vec<Value> = path_numbers
        .iter()
        .map(|&n| {
            let (stays, cut) = cell_path(case, n, from, to);
            json!({ "number": case.strings.text(n), "role": case.role(case.strings.text(n)),
                    "stays": stays, "truncated": cut })
        })
        .collect();
    Ok(Json(json!({
        "note": "Cells are areas, not points: a stay means the phone was served by that cell.",
        "trips": trips,
        "places": places,
        "paths": paths,
    })))
}

/// `GET /api/v1/boundaries`: the GeoJSON given to `serve --boundaries`, as is.
pub(crate) async fn boundaries(State(st): State<AppState>) -> Response {
    let Some(path) = st.boundaries.as_ref() else {
        return ApiError::new(
            StatusCode::NOT_FOUND,
            "no_boundaries",
            "no boundaries file was given; start the server with --boundaries FILE.geojson",
        )
        .into_response();
    };
    match tokio::fs::read(path.as_path()).await {
        Ok(bytes) => ([(header::CONTENT_TYPE, "application/geo+json")], bytes).into_response(),
        Err(e) => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "boundaries_unreadable",
            format!("cannot read {}: {e}", path.display()),
        )
        .into_response(),
    }
}
