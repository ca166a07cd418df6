//! Every endpoint through `app()` with `oneshot`: answers, bad ids, bad parameters, the
//! error envelope, and the gate.

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use linesight_server::{Gate, GateError, GateFuture, LocalGate, app};
use serde_json::Value;
use tower::ServiceExt;

use crate::fixture::{Fixture, fixture};

fn enc(s: &str) -> String {
    s.replace('+', "%2B")
}

async fn call(router: axum::Router, method: &str, uri: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
    let res = router
        .oneshot(
            Request::builder()
                .method(method)
                .uri(uri)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, headers, body.to_vec())
}

fn router(f: &Fixture) -> axum::Router {
    app(f.case.clone(), Arc::new(LocalGate), None, None)
}

async fn get(uri: &str) -> (StatusCode, Value) {
    let (s, _, body) = call(router(fixture()), "GET", uri).await;
    let v = serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{uri}: not JSON ({e})"));
    (s, v)
}

async fn ok(uri: &str) -> Value {
    let (s, v) = get(uri).await;
    assert_eq!(s, StatusCode::OK, "{uri}: {v}");
    v
}

/// A 4xx with the envelope and the expected code.
async fn err(uri: &str, status: StatusCode, code: &str) -> Value {
    let (s, v) = get(uri).await;
    assert_eq!(s, status, "{uri}: {v}");
    assert_eq!(v["error"]["code"], code, "{uri}: {v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{uri}: {v}"
    );
    v
}

#[tokio::test]
async fn openapi_documents_every_route_and_each_answers() {
    let f = fixture();
    let doc = ok("/api/v1/openapi.json").await;
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 13, "{paths:?}");
    for path in paths.keys() {
        let uri = path
            .replace(
                "{id}",
                if path.contains("findings") {
                    "F000001"
                } else {
                    "LS0001"
                },
            )
            .replace("{number}", &enc(&f.deal));
        // Search needs its query.
        let uri = if uri.ends_with("/search") {
            format!("{uri}?q={}", enc(&f.deal))
        } else {
            uri
        };
        let (s, _, _) = call(router(f), "GET", &uri).await;
        // Boundaries are 404 by design when the server was given none.
        let expected = if path.ends_with("boundaries") {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::OK
        };
        assert_eq!(s, expected, "{uri}");
    }
}

#[tokio::test]
async fn case_summary_counts_the_case() {
    let v = ok("/api/v1/case").await;
    assert!(v["events"].as_u64().unwrap() > 1000, "{v}");
    assert_eq!(v["lines"], 1);
    assert_eq!(v["findings_by_kind"]["flare"], 1);
    assert_eq!(v["value_gbp"], 900.0);
    assert_eq!(v["safeguarding"], 2);
    assert_eq!(v["analysis_run_id"], "test-run");
}

#[tokio::test]
async fn lines_list_sorts_filters_and_refuses_bad_parameters() {
    let f = fixture();
    let v = ok("/api/v1/lines").await;
    assert_eq!(v["total"], 1);
    let l = &v["lines"][0];
    assert_eq!(l["line_id"], "LS0001");
    assert_eq!(l["current_number"], f.deal.as_str());
    assert_eq!(l["runner_count"], 1);
    assert_eq!(l["town"], "Testham");
    assert_eq!(l["brand"], "Bando");
    assert_eq!(l["brand_source"], "intelligence report IR-00042");
    assert_eq!(l["value_gbp"], 900.0);
    assert_eq!(l["score"], 0.9);
    assert!(l["customers"].as_u64().unwrap() > 0);
    assert!(!l["sparkline"]["values"].as_array().unwrap().is_empty());
    assert_eq!(l["events"].as_u64().unwrap() as usize, f.deal_events);

    assert_eq!(ok("/api/v1/lines?min_score=0.95").await["total"], 0);
    assert_eq!(
        ok("/api/v1/lines?town=testham&sort=value&order=asc").await["total"],
        1
    );
    assert_eq!(ok("/api/v1/lines?q=nowhere").await["total"], 0);
    assert_eq!(
        ok(&format!("/api/v1/lines?q={}", enc(&f.deal[3..]))).await["total"],
        1
    );

    err(
        "/api/v1/lines?sort=colour",
        StatusCode::BAD_REQUEST,
        "bad_parameter",
    )
    .await;
    err(
        "/api/v1/lines?order=sideways",
        StatusCode::BAD_REQUEST,
        "bad_parameter",
    )
    .await;
    err(
        "/api/v1/lines?min_score=high",
        StatusCode::BAD_REQUEST,
        "bad_parameter",
    )
    .await;
    err(
        "/api/v1/lines?limit=0",
        StatusCode::BAD_REQUEST,
        "bad_parameter",
    )
    .await;
    err(
        "/api/v1/lines?colour=red",
        StatusCode::BAD_REQUEST,
        "bad_parameter",
    )
    .await;
}

#[tokio::test]
async fn line_page_has_timeline_people_valuation_and_days() {
    let f = fixture();
    let v = ok("/api/v1/lines/LS0001").await;
    let kinds: Vec<&str> = v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["kind"].as_str().unwrap())
        .collect();
    for k in ["flare", "handset_swap", "trip", "deal_line"] {
        assert!(kinds.contains(&k), "{kinds:?}");
    }
    let runner = v["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["number"] == f.runner.as_str())
        .unwrap();
    assert_eq!(runner["role"], "runner");
    assert_eq!(runner["victim"], true);
    assert!(runner["reasons"].as_array().unwrap().len() >= 2);
    assert_eq!(v["valuation"]["cases"][1]["label"], "central");
    let days = v["days"].as_array().unwrap();
    let day = |k: &str| v[k].as_str().unwrap()[..10].to_string();
    assert_eq!(days.first().unwrap()["day"], day("first_utc").as_str());
    assert_eq!(days.last().unwrap()["day"], day("last_utc").as_str());
    let orders: u64 = days.iter().map(|d| d["orders"].as_u64().unwrap()).sum();
    assert!(orders > 0);
    assert_eq!(
        days.iter()
            .map(|d| d["flares"].as_u64().unwrap())
            .sum::<u64>(),
        1
    );
    assert_eq!(
        v["number_history"][0]["joined_by"],
        "first number of the line"
    );

    err("/api/v1/lines/LS9999", StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn evidence_pages_through_events_with_provenance() {
    let f = fixture();
    let v = ok("/api/v1/lines/LS0001/evidence?page_size=10").await;
    assert_eq!(v["total"].as_u64().unwrap() as usize, f.deal_events);
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 10);
    for r in rows {
        assert!(
            r["a_number"] == f.deal.as_str() || r["b_number"] == f.deal.as_str(),
            "{r}"
        );
        let has_src = r["a"]["src_sha256"].is_string() || r["b"]["src_sha256"].is_string();
        assert!(has_src, "{r}");
    }
    let times: Vec<&str> = rows
        .iter()
        .map(|r| r["start_utc"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    let last_page = (f.deal_events - 1) / 10;
    let v = ok(&format!(
        "/api/v1/lines/LS0001/evidence?page_size=10&page={last_page}"
    ))
    .await;
    assert_eq!(
        v["rows"].as_array().unwrap().len(),
        f.deal_events - last_page * 10
    );
    let v = ok(&format!(
        "/api/v1/lines/LS0001/evidence?page={}",
        last_page + 5
    ))
    .await;
    assert!(v["rows"].as_array().unwrap().is_empty());
    let windowed = ok("/api/v1/lines/LS0001/evidence?from=2000-01-01&to=2000-01-02").await;
    assert_eq!(windowed["total"], 0);
    let by_number = ok(&format!(
        "/api/v1/lines/LS0001/evidence?number={}",
        enc(&f.deal)
    ))
    .await;
    assert_eq!(by_number["total"].as_u64().unwrap() as usize, f.deal_events);

    err(
        "/api/v1/lines/LS9999/evidence",
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    err(
        "/api/v1/lines/LS0001/evidence?page_size=0",
        StatusCode::BAD_REQUEST,
        "bad_parameter",
    )
    .await;
    err(
        "/api/v1/lines/LS0001/evidence?page_size=501",
        StatusCode::BAD_REQUEST,
        "bad_parameter",
    )
    .await;
    err(
        "/api/v1/lines/LS0001/evidence?page=-1",
        StatusCode::BAD_REQUEST,
        "bad_parameter",
    )
    .await;
    err(
        "/api/v1/lines/LS0001/evidence?from=tuesday",
        StatusCode::BAD_REQUEST,
        "bad_parameter",
    )
    .await;
    err(
        "/api/v1/lines/LS0001/evidence?from=2026-10-20&to=2026-10-19",
        StatusCode::BAD_REQUEST,
        "bad_parameter",
    )
    .await;
    err(
        &format!("/api/v1/lines/LS0001/evidence?number={}", enc(&f.runner)),
        StatusCode::BAD_REQUEST,
        "bad_parameter",
    )
    .await;
}

#[tokio::test]
async fn finding_resolves_its_evidence_to_events() {
    let f = fixture();
    let v = ok("/api/v1/findings/F000002").await;
    assert_eq!(v["kind"], "flare");
    let evs = v["evidence_events"].as_array().unwrap();
    assert_eq!(evs.len(), 1, "{v}");
    assert_eq!(evs[0]["a_number"], f.deal.as_str());
    assert_eq!(evs[0]["a"]["src_sha256"], v["evidence"][0]["src_sha256"]);
    err(
        "/api/v1/findings/F999999",
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn network_of_line_number_and_case() {
    let f = fixture();
    let v = ok("/api/v1/network?line=LS0001").await;
    let nodes = v["nodes"].as_array().unwrap();
    let node = |n: &str| nodes.iter().find(|x| x["id"] == n).cloned();
    assert_eq!(node(&f.deal).unwrap()["role"], "deal_line");
    assert_eq!(node(&f.runner).unwrap()["role"], "runner");
    assert_eq!(node(&f.resident).unwrap()["role"], "cuckooed_resident");
    assert!(nodes.iter().all(|n| n["community"].is_u64()));
    let edges = v["edges"].as_array().unwrap();
    assert!(!edges.is_empty());
    // The deal line's edges add up to its events in the case (each counted once).
    let deal_sum: u64 = edges
        .iter()
        .filter(|e| e["source"] == f.deal.as_str() || e["target"] == f.deal.as_str())
        .map(|e| e["events"].as_u64().unwrap())
        .sum();
    assert!(deal_sum as usize <= f.deal_events && deal_sum > 0);

    let ego = ok(&format!("/api/v1/network?number={}", enc(&f.runner))).await;
    assert!(
        ego["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["id"] == f.deal.as_str() && n["center"] == false)
    );
    let limited = ok("/api/v1/network?line=LS0001&limit=3").await;
    assert_eq!(limited["nodes"].as_array().unwrap().len(), 3);
    assert_eq!(limited["truncated"], true);
    let case = ok("/api/v1/network").await;
    assert_eq!(case["scope"], "case");
    assert_eq!(case["nodes"].as_array().unwrap().len(), 3);
    assert_eq!(
        ok("/api/v1/network?line=LS0001&from=2000-01-01&to=2000-01-02").await["edges"]
            .as_array()
            .unwrap()
            .len(),
        0
    );

    err(
        "/api/v1/network?line=LS9999",
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    err(
        "/api/v1/network?number=%2B447000000000",
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    err(
        &format!("/api/v1/network?line=LS0001&number={}", enc(&f.deal)),
        StatusCode::BAD_REQUEST,
        "bad_parameter",
    )
    .await;
    err(
        "/api/v1/network?scope=world",
        StatusCode::BAD_REQUEST,
        "bad_parameter",
    )
    .await;
    err(
        "/api/v1/network?line=LS0001&limit=lots",
        StatusCode::BAD_REQUEST,
        "bad_parameter",
    )
    .await;
}

#[tokio::test]
async fn map_shows_cells_trips_places_and_paths() {
    let f = fixture();
    let cells = ok("/api/v1/cells").await;
    assert!(cells["cells"].as_array().unwrap().len() > 10);
    assert!(cells["note"].as_str().unwrap().contains("not a point"));
    let v = ok("/api/v1/map?line=LS0001").await;
    assert_eq!(
        v["trips"][0]["cells"].as_array().unwrap().len(),
        f.trip_cells.len()
    );
    assert_eq!(v["places"][0]["resident"], f.resident.as_str());
    assert_eq!(v["places"][0]["victim"], true);
    let path = &v["paths"][0];
    assert_eq!(path["number"], f.runner.as_str());
    assert!(!path["stays"].as_array().unwrap().is_empty());
    let by_number = ok(&format!("/api/v1/map?number={}", enc(&f.deal))).await;
    assert_eq!(by_number["paths"][0]["number"], f.deal.as_str());
    assert!(
        by_number["paths"][0]["stays"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["known"] == true)
    );

    err(
        "/api/v1/map?line=LS9999",
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    err(
        "/api/v1/map?number=%2B447000000000",
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    err(
        "/api/v1/map?to=soon",
        StatusCode::BAD_REQUEST,
        "bad_parameter",
    )
    .await;
}

#[tokio::test]
async fn boundaries_pass_through_or_404() {
    let f = fixture();
    err("/api/v1/boundaries", StatusCode::NOT_FOUND, "no_boundaries").await;
    let file = f.case_dir.parent().unwrap().join("b.geojson");
    let geo = br#"{"type":"FeatureCollection","features":[]}"#;
    std::fs::write(&file, geo).unwrap();
    let r = app(f.case.clone(), Arc::new(LocalGate), Some(file), None);
    let (s, h, body) = call(r, "GET", "/api/v1/boundaries").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "application/geo+json");
    assert_eq!(body, geo);
}

#[tokio::test]
async fn safeguarding_lists_victims() {
    let f = fixture();
    let v = ok("/api/v1/safeguarding").await;
    assert!(
        v["note"]
            .as_str()
            .unwrap()
            .contains("victim, not a suspect")
    );
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["category"], "child_at_risk");
    assert_eq!(items[0]["number"], f.runner.as_str());
    assert_eq!(items[1]["category"], "cuckooed_resident");
    assert_eq!(items[1]["number"], f.resident.as_str());
    for i in items {
        let s = i["summary"].as_str().unwrap().to_lowercase();
        assert!(s.contains("victim") || s.contains("safeguarding"), "{s}");
        assert!(
            !s.contains("suspect ") || s.contains("rather than treat as a suspect"),
            "{s}"
        );
    }
}

#[tokio::test]
async fn search_finds_numbers_in_any_format_imeis_and_imsis() {
    let f = fixture();
    let national = format!("0{}", &f.deal[3..]);
    let v = ok(&format!("/api/v1/search?q={national}")).await;
    let m = &v["matches"][0];
    assert_eq!(m["kind"], "number");
    assert_eq!(m["id"], f.deal.as_str());
    assert_eq!(m["lines"][0], "LS0001");
    assert!(
        m["handsets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["imei"] == f.imei.as_str())
    );
    let imsi = m["sims"][0]["imsi"].as_str().unwrap().to_string();

    let v = ok(&format!("/api/v1/search?q={}", f.imei)).await;
    assert_eq!(v["matches"][0]["kind"], "imei");
    assert!(
        v["matches"][0]["numbers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["number"] == f.deal.as_str())
    );
    assert!(v["matches"][0]["findings_total"].as_u64().unwrap() >= 1);
    let v = ok(&format!("/api/v1/search?q={imsi}")).await;
    assert_eq!(v["matches"][0]["kind"], "imsi");
    assert!(
        ok("/api/v1/search?q=000").await["matches"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    let n = ok(&format!("/api/v1/numbers/{}", enc(&f.runner))).await;
    assert_eq!(n["role"], "runner");
    err(
        "/api/v1/numbers/07000000000",
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    err("/api/v1/search", StatusCode::BAD_REQUEST, "bad_parameter").await;
    err(
        "/api/v1/search?q=%20",
        StatusCode::BAD_REQUEST,
        "bad_parameter",
    )
    .await;
    err(
        &format!("/api/v1/search?q={}", "9".repeat(65)),
        StatusCode::BAD_REQUEST,
        "bad_parameter",
    )
    .await;
}

#[tokio::test]
async fn unknown_paths_and_methods_get_json_errors_and_the_app_is_served() {
    err("/api/v1/nothing", StatusCode::NOT_FOUND, "not_found").await;
    let (s, _, body) = call(router(fixture()), "POST", "/api/v1/lines").await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["error"]["code"], "method_not_allowed");
    let (s, h, body) = call(router(fixture()), "GET", "/").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        h[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(String::from_utf8_lossy(&body).contains("linesight"));
}

/// A gate that records what it was asked and refuses requests without a session header.
#[derive(Default)]
struct SessionGate {
    asked: Mutex<Vec<&'static str>>,
}

impl Gate for SessionGate {
    fn authorise<'a>(&'a self, headers: &'a HeaderMap, purpose: &'static str) -> GateFuture<'a> {
        self.asked.lock().unwrap().push(purpose);
        let ok = headers.contains_key("x-session");
        Box::pin(async move {
            if ok {
                LocalGate.authorise(headers, purpose).await
            } else {
                Err(GateError::Unauthenticated("log in first".into()))
            }
        })
    }
}

#[tokio::test]
async fn every_case_data_endpoint_asks_the_gate() {
    let f = fixture();
    let gate = Arc::new(SessionGate::default());
    let r = app(f.case.clone(), gate.clone(), None, None);
    let uris = [
        "/api/v1/case".to_string(),
        "/api/v1/lines".into(),
        "/api/v1/lines/LS0001".into(),
        "/api/v1/lines/LS0001/evidence".into(),
        "/api/v1/findings/F000001".into(),
        "/api/v1/network?line=LS0001".into(),
        "/api/v1/cells".into(),
        "/api/v1/map?line=LS0001".into(),
        "/api/v1/safeguarding".into(),
        format!("/api/v1/search?q={}", enc(&f.deal)),
        format!("/api/v1/numbers/{}", enc(&f.deal)),
    ];
    for uri in &uris {
        let (s, _, body) = call(r.clone(), "GET", uri).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{uri}");
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["error"]["code"], "unauthenticated");
        let res = r
            .clone()
            .oneshot(
                Request::get(uri.as_str())
                    .header("x-session", "1")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{uri}");
    }
    assert_eq!(gate.asked.lock().unwrap().len(), uris.len() * 2);
    // The API description itself is not case data.
    let (s, _, _) = call(r, "GET", "/api/v1/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn extra_router_and_openapi_fragment_merge() {
    let f = fixture();
    let extra =
        axum::Router::new().route("/api/v1/ops/ping", axum::routing::get(|| async { "pong" }));
    let doc =
        serde_json::json!({ "paths": { "/api/v1/ops/ping": { "get": { "summary": "ping" } } } });
    let r = app(
        f.case.clone(),
        Arc::new(LocalGate),
        None,
        Some((extra, doc)),
    );
    let (s, _, body) = call(r.clone(), "GET", "/api/v1/ops/ping").await;
    assert_eq!((s, body.as_slice()), (StatusCode::OK, b"pong".as_slice()));
    let (_, _, body) = call(r, "GET", "/api/v1/openapi.json").await;
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["paths"]["/api/v1/ops/ping"]["get"]["summary"], "ping");
    assert!(v["paths"]["/api/v1/lines"].is_object());
}
