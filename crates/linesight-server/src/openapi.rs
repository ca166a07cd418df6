//! The OpenAPI 3.1 document, generated from one table of routes so the description cannot
//! drift from what is served (a test requests every documented path).

use serde_json::{Map, Value, json};

/// One documented `GET` endpoint.
pub(crate) struct RouteDoc {
    /// Path in OpenAPI form (`/api/v1/lines/{id}`).
    pub(crate) path: &'static str,
    /// Tag (page of the app it serves).
    pub(crate) tag: &'static str,
    /// One line on what it returns.
    pub(crate) summary: &'static str,
    /// Query parameters: name and meaning.
    pub(crate) query: &'static [(&'static str, &'static str)],
    /// The query parameters that must be given.
    pub(crate) required: &'static [&'static str],
}

const WINDOW: [(&str, &str); 2] = [
    (
        "from",
        "Start of the time window (inclusive): 2026-10-25, RFC 3339, or UTC milliseconds",
    ),
    (
        "to",
        "End of the time window (exclusive), same forms as `from`",
    ),
];

/// Every endpoint.
pub(crate) const ROUTES: &[RouteDoc] = &[
    RouteDoc {
        path: "/api/v1/openapi.json",
        tag: "meta",
        summary: "This document",
        query: &[],
        required: &[],
    },
    RouteDoc {
        path: "/api/v1/case",
        tag: "case",
        summary: "Case summary: tables, time span, findings by kind, lines, value, safeguarding count",
        query: &[],
        required: &[],
    },
    RouteDoc {
        path: "/api/v1/lines",
        tag: "lines",
        summary: "Lines with brand, score, current number, number history, runners, town, value and a daily sparkline",
        query: &[
            (
                "sort",
                "line_id | score (default) | value | runners | customers | town | last_active | events",
            ),
            (
                "order",
                "asc | desc (default desc, asc for line_id and town)",
            ),
            ("q", "Text to find in the line id, its numbers or its town"),
            ("town", "Only lines selling in this town"),
            ("min_score", "Only lines scoring at least this (0-1)"),
            ("limit", "At most this many lines (1-10000, default 1000)"),
        ],
        required: &[],
    },
    RouteDoc {
        path: "/api/v1/lines/{id}",
        tag: "lines",
        summary: "A line: number history, timeline of findings, daily orders/call-backs/flares/customers, people and roles with reasons, valuation with assumptions",
        query: &[],
        required: &[],
    },
    RouteDoc {
        path: "/api/v1/lines/{id}/evidence",
        tag: "lines",
        summary: "The line's events (rows of the events table) with both legs' provenance, a page at a time",
        query: &[
            ("page", "Page number from 0"),
            ("page_size", "Rows per page (1-500, default 50)"),
            WINDOW[0],
            WINDOW[1],
            ("number", "Only events of this number of the line"),
        ],
        required: &[],
    },
    RouteDoc {
        path: "/api/v1/findings/{id}",
        tag: "lines",
        summary: "One finding with the events its evidence names",
        query: &[],
        required: &[],
    },
    RouteDoc {
        path: "/api/v1/network",
        tag: "network",
        summary: "Link chart: nodes (role, Leiden community) and edges (events, calls, texts) of a line, a number and its neighbours (node expansion), or the case's people",
        query: &[
            ("line", "A line id"),
            (
                "number",
                "A number: it and its neighbours, with the edges among them",
            ),
            (
                "scope",
                "case (default when neither line nor number is given)",
            ),
            WINDOW[0],
            WINDOW[1],
            ("limit", "At most this many nodes (1-50000, default 2000)"),
        ],
        required: &[],
    },
    RouteDoc {
        path: "/api/v1/cells",
        tag: "map",
        summary: "The cell list: mast position, azimuth and beamwidth of each sector (areas, not points)",
        query: &[],
        required: &[],
    },
    RouteDoc {
        path: "/api/v1/map",
        tag: "map",
        summary: "Trips (cell sequences), cuckooed places and cell paths for a line or a number",
        query: &[
            ("line", "A line id"),
            ("number", "A number"),
            WINDOW[0],
            WINDOW[1],
        ],
        required: &[],
    },
    RouteDoc {
        path: "/api/v1/boundaries",
        tag: "map",
        summary: "The boundaries GeoJSON given to `serve --boundaries`, as is (404 when none)",
        query: &[],
        required: &[],
    },
    RouteDoc {
        path: "/api/v1/safeguarding",
        tag: "safeguarding",
        summary: "Possible child runners and cuckooed residents: victims to safeguard, not suspects",
        query: &[],
        required: &[],
    },
    RouteDoc {
        path: "/api/v1/search",
        tag: "search",
        summary: "Find a number (any format), IMEI or IMSI: the entity and its history",
        query: &[("q", "The number, IMEI or IMSI")],
        required: &["q"],
    },
    RouteDoc {
        path: "/api/v1/numbers/{number}",
        tag: "search",
        summary: "A number: events, lines, roles, subscriber check, handsets and SIMs over time, top contacts, findings",
        query: &[],
        required: &[],
    },
];

/// The document, with `extra` (another router's fragment: `paths`, `components`, `tags`)
/// merged in.
pub(crate) fn document(extra: Option<&Value>) -> Value {
    let mut paths = Map::new();
    for r in ROUTES {
        let mut params: Vec<Value> = r
            .query
            .iter()
            .map(|(name, desc)| {
                json!({ "name": name, "in": "query", "required": r.required.contains(name),
                                          "description": desc, "schema": { "type": "string" } })
            })
            .collect();
        for seg in r.path.split('/') {
            if let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                params.push(json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }));
            }
        }
        let error = json!({ "description": "Error", "content": { "application/json": {
            "schema": { "$ref": "#/components/schemas/Error" } } } });
        paths.insert(
            r.path.to_string(),
            json!({ "get": {
                "tags": [r.tag],
                "summary": r.summary,
                "parameters": params,
                "responses": {
                    "200": { "description": "OK", "content": { "application/json": {} } },
                    "400": error, "401": error, "404": error,
                },
            } }),
        );
    }
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "linesight analyst workspace API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Read-only API over one case store and its findings. Times are UTC (RFC 3339). Every error is {\"error\": {\"code\", \"message\"}}.",
        },
        "paths": paths,
        "components": { "schemas": { "Error": {
            "type": "object",
            "required": ["error"],
            "properties": { "error": { "type": "object", "required": ["code", "message"], "properties": {
                "code": { "type": "string" }, "message": { "type": "string" } } } },
        } } },
    });
    if let Some(extra) = extra {
        merge(&mut doc, extra);
    }
    doc
}

/// Merges objects key by key; anything else in `extra` replaces or extends what is there.
fn merge(into: &mut Value, extra: &Value) {
    match (into, extra) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                match a.get_mut(k) {
                    Some(slot) => merge(slot, v),
                    None => {
                        a.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => a.extend(b.iter().cloned()),
        (slot, v) => *slot = v.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_paths_merge_in() {
        let doc = document(Some(
            &json!({ "paths": { "/api/v1/ops/x": { "get": {} } } }),
        ));
        assert!(doc["paths"]["/api/v1/ops/x"].is_object());
        assert!(doc["paths"]["/api/v1/lines"].is_object());
    }
}
