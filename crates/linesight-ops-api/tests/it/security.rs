//! Security: each attack gets a clear refusal in the error envelope and changes nothing.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use linesight_db::Kind;
use linesight_ops::Role;
use linesight_ops::case::{Stored, Target};
use serde_json::json;

use crate::{App, Session, session_from};

async fn case_with_lead(app: &App, lead: &str, store: Option<&str>) -> (String, Session) {
    let s = app.login(lead).await;
    let body = json!({ "name": "Op Kestrel", "owning_force": "Norfolk", "partner_forces": ["Met"], "case_store": store });
    let (status, case, _) = app
        .send("POST", "/api/v1/cases", Some(&body), Some(&s))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    (case["id"].as_str().unwrap().to_owned(), s)
}

async fn targets(app: &App, case: &str) -> usize {
    app.db()
        .records::<Target>(
            &linesight_db::Actor::new("test"),
            case,
            Kind::Target,
            None,
            false,
        )
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn csrf_is_required_on_state_changes() {
    let app = crate::app().await;
    app.user("lead", Role::OperationLead).await;
    let (case, s) = case_with_lead(&app, "lead", None).await;
    let path = format!("/api/v1/cases/{case}/targets");
    let body = json!({ "kind": "nominal", "label": "Jay" }).to_string();
    for (cookie_csrf, header) in [
        (Some(s.csrf.as_str()), None),
        (Some(s.csrf.as_str()), Some("wrong")),
        (None, Some(s.csrf.as_str())),
        (Some("forged"), Some("forged")),
    ] {
        let mut cookie = format!("ls_session={}", s.token);
        if let Some(c) = cookie_csrf {
            cookie.push_str(&format!("; ls_csrf={c}"));
        }
        let mut req = Request::post(&path)
            .header("content-type", "application/json")
            .header("cookie", cookie);
        if let Some(h) = header {
            req = req.header("x-csrf-token", h);
        }
        let (status, answer, _) = app.raw(req.body(Body::from(body.clone())).unwrap()).await;
        assert_eq!(
            (status, answer["error"]["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("csrf")),
            "{answer}"
        );
    }
    assert_eq!(targets(&app, &case).await, 0);
    // With the token it works; GETs need none.
    assert_eq!(
        app.send(
            "POST",
            &path,
            Some(&json!({ "kind": "nominal", "label": "Jay" })),
            Some(&s)
        )
        .await
        .0,
        StatusCode::CREATED
    );
    let (status, _, _) = app
        .raw(
            Request::get(&path)
                .header("cookie", format!("ls_session={}", s.token))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn login_is_throttled_per_user_and_per_address() {
    let app = crate::app().await;
    app.user("dc.ola", Role::Investigator).await;
    let wrong = json!({ "name": "dc.ola", "password": "guess guess guess" });
    for _ in 0..5 {
        assert_eq!(
            app.send("POST", "/api/v1/auth/login", Some(&wrong), None)
                .await
                .0,
            StatusCode::UNAUTHORIZED
        );
    }
    // Now even the right password is refused from anywhere, for this user.
    let right = json!({ "name": "dc.ola", "password": crate::PW });
    let (status, answer, _) = app
        .send_from(
            [10, 0, 0, 9],
            "POST",
            "/api/v1/auth/login",
            Some(&right),
            None,
        )
        .await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("rate_limited")),
        "{answer}"
    );
    // One address spraying many user names is stopped too.
    for i in 0..20 {
        let body = json!({ "name": format!("user{i}"), "password": "guess guess guess" });
        assert_eq!(
            app.send_from(
                [10, 0, 0, 7],
                "POST",
                "/api/v1/auth/login",
                Some(&body),
                None
            )
            .await
            .0,
            StatusCode::UNAUTHORIZED
        );
    }
    app.user("other", Role::Analyst).await;
    let other = json!({ "name": "other", "password": crate::PW });
    assert_eq!(
        app.send_from(
            [10, 0, 0, 7],
            "POST",
            "/api/v1/auth/login",
            Some(&other),
            None
        )
        .await
        .0,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        app.send_from(
            [10, 0, 0, 8],
            "POST",
            "/api/v1/auth/login",
            Some(&other),
            None
        )
        .await
        .0,
        StatusCode::OK
    );
    let failed = app
        .db()
        .audit_entries(0, 1000, None)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.event.action == "session.login_failed")
        .count();
    assert_eq!(failed, 25, "every failed login is audited");
}

#[tokio::test]
async fn login_never_keeps_a_presented_session() {
    let app = crate::app().await;
    app.user("dc.ola", Role::Investigator).await;
    let planted = app.login("dc.ola").await;
    let req = Request::post("/api/v1/auth/login")
        .header("content-type", "application/json")
        .header("cookie", format!("ls_session={}", planted.token))
        .body(Body::from(
            json!({ "name": "dc.ola", "password": crate::PW }).to_string(),
        ))
        .unwrap();
    let (status, _, cookies) = app.raw(req).await;
    assert_eq!(status, StatusCode::OK);
    let fresh = session_from(&cookies);
    assert_ne!(fresh.token, planted.token);
    assert!(cookies.iter().any(|c| c.starts_with("ls_session=")
        && c.contains("HttpOnly")
        && c.contains("SameSite=Strict")));
    assert_eq!(
        app.send("GET", "/api/v1/auth/me", None, Some(&planted))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.send("GET", "/api/v1/auth/me", None, Some(&fresh))
            .await
            .0,
        StatusCode::OK
    );
    // Logout revokes.
    assert_eq!(
        app.send("POST", "/api/v1/auth/logout", None, Some(&fresh))
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.send("GET", "/api/v1/auth/me", None, Some(&fresh))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.send("GET", "/api/v1/cases", None, None).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn ids_from_another_case_do_not_reach_into_it() {
    let app = crate::app().await;
    app.user("lead.a", Role::OperationLead).await;
    app.user("lead.b", Role::OperationLead).await;
    let (a, sa) = case_with_lead(&app, "lead.a", None).await;
    let (b, sb) = case_with_lead(&app, "lead.b", None).await;
    let (_, addr_b, _) = app
        .send(
            "POST",
            &format!("/api/v1/cases/{b}/targets"),
            Some(&json!({ "kind": "address", "label": "2 Mill Lane" })),
            Some(&sb),
        )
        .await;
    let addr_b = addr_b["id"].as_str().unwrap();
    let (_, ex_b, _) = app
        .send("POST", &format!("/api/v1/cases/{b}/exhibits"), Some(&json!({ "reference": "B/1", "seized": { "type": "cash", "pence": 5000 }, "seized_by": "PC B", "seized_at": "2026-12-01T05:00:00Z" })), Some(&sb))
        .await;
    let ex_b = ex_b["id"].as_str().unwrap();
    // Case B itself: not found for lead.a, whatever the path.
    for p in [
        format!("/api/v1/cases/{b}"),
        format!("/api/v1/cases/{b}/targets"),
        format!("/api/v1/cases/{b}/dashboard"),
    ] {
        assert_eq!(
            app.send("GET", &p, None, Some(&sa)).await.0,
            StatusCode::NOT_FOUND,
            "{p}"
        );
    }
    // B's ids through A's case: the exhibit is not in A, the address is not in A.
    let mv = json!({ "holder": "PC A", "at": "2026-12-01T06:00:00Z", "location": "my locker" });
    assert_eq!(
        app.send(
            "POST",
            &format!("/api/v1/cases/{a}/exhibits/{ex_b}/movements"),
            Some(&mv),
            Some(&sa)
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    let (status, answer, _) = app
        .send(
            "GET",
            &format!("/api/v1/cases/{a}/exhibits/{ex_b}/movements"),
            None,
            Some(&sa),
        )
        .await;
    assert_eq!(
        (status, answer["items"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(0))
    );
    let w = json!({ "address_target_id": addr_b, "legal_basis": "s.23 MDA 1971", "issuing_court": "Norwich", "valid_from": "2026-11-30T00:00:00Z", "valid_to": "2026-12-03T00:00:00Z", "status": "issued" });
    assert_eq!(
        app.send(
            "POST",
            &format!("/api/v1/cases/{a}/warrants"),
            Some(&w),
            Some(&sa)
        )
        .await
        .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let movements: Vec<Stored<serde_json::Value>> = app
        .db()
        .records(
            &linesight_db::Actor::new("t"),
            &b,
            Kind::CustodyMovement,
            None,
            false,
        )
        .await
        .unwrap();
    assert!(movements.is_empty());
}

#[tokio::test]
async fn bad_bodies_and_injection_are_refused_or_stored_inert() {
    let app = crate::app().await;
    app.user("lead", Role::OperationLead).await;
    let (case, s) = case_with_lead(&app, "lead", None).await;
    let path = format!("/api/v1/cases/{case}/targets");
    let send_raw = |body: Vec<u8>, ctype: &'static str| {
        let req = Request::post(&path)
            .header("content-type", ctype)
            .header(
                "cookie",
                format!("ls_session={}; ls_csrf={}", s.token, s.csrf),
            )
            .header("x-csrf-token", &s.csrf)
            .body(Body::from(body))
            .unwrap();
        app.raw(req)
    };
    assert_eq!(
        send_raw(b"{\"kind\": \"nominal\", ".to_vec(), "application/json")
            .await
            .0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        send_raw(
            b"{\"kind\": \"spaceship\", \"label\": \"x\"}".to_vec(),
            "application/json"
        )
        .await
        .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        send_raw(
            b"{\"kind\": \"nominal\", \"label\": \"  \"}".to_vec(),
            "application/json"
        )
        .await
        .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        send_raw(b"kind=nominal".to_vec(), "text/plain").await.0,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    let huge = format!(
        "{{\"kind\": \"nominal\", \"label\": \"{}\"}}",
        "x".repeat(linesight_ops_api::MAX_BODY_BYTES + 1)
    );
    assert_eq!(
        send_raw(huge.into_bytes(), "application/json").await.0,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    assert_eq!(targets(&app, &case).await, 0);

    // Injection attempts in every text field are stored as text and break nothing.
    let evil = "x'); DROP TABLE targets; --";
    let t = json!({ "kind": "address", "label": evil, "notes": evil, "findings": [{ "line_id": evil, "finding_id": evil, "role": evil }] });
    let (status, stored, _) = app.send("POST", &path, Some(&t), Some(&s)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(stored["label"], evil);
    let case_body =
        json!({ "name": evil, "owning_force": evil, "partner_forces": [evil], "case_store": evil });
    assert_eq!(
        app.send("POST", "/api/v1/cases", Some(&case_body), Some(&s))
            .await
            .0,
        StatusCode::CREATED
    );
    let (_, list, _) = app
        .send(
            "GET",
            &format!("{path}?reason={}", "x%27%3B%20DROP%20TABLE%20audit_log%3B"),
            None,
            Some(&s),
        )
        .await;
    assert_eq!(list["items"][0]["label"], evil);
    assert_eq!(
        app.send(
            "GET",
            &format!("/api/v1/cases/{}'%20OR%20'1'='1", case),
            None,
            Some(&s)
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.db().verify_audit().await.unwrap().broken, None);
}

#[tokio::test]
async fn simultaneous_plan_saves_through_the_api_conflict_clearly() {
    let app = crate::app().await;
    app.user("lead.a", Role::OperationLead).await;
    app.user("lead.b", Role::OperationLead).await;
    let (case, sa) = case_with_lead(&app, "lead.a", None).await;
    app.db()
        .add_member(
            &linesight_db::Actor::new("t"),
            &case,
            "lead.b",
            Role::OperationLead,
        )
        .await
        .unwrap();
    let sb = app.login("lead.b").await;
    let p = format!("/api/v1/cases/{case}/plan");
    let (_, doc, _) = app.send("GET", &p, None, Some(&sa)).await;
    let v = doc["version"].as_i64().unwrap();
    let plan_a = json!({ "version": v, "plan": { "teams": [{ "id": "T1", "force": "Norfolk", "lead": "PS A", "size": 6 }] } });
    let plan_b = json!({ "version": v, "plan": { "custody_suites": [{ "id": "C1", "name": "Wymondham", "capacity": 10, "arrests_allocated": 12 }] } });
    assert_eq!(
        app.send("PUT", &p, Some(&plan_a), Some(&sa)).await.0,
        StatusCode::OK
    );
    let (status, answer, _) = app.send("PUT", &p, Some(&plan_b), Some(&sb)).await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("conflict"))
    );
    let msg = answer["error"]["message"].as_str().unwrap();
    assert!(
        msg.contains("changed by lead.a") && msg.contains("reload"),
        "{msg}"
    );
    let (_, checks, _) = app
        .send("GET", &format!("{p}/checks"), None, Some(&sb))
        .await;
    assert_eq!(
        checks["ready"],
        json!(true),
        "lead.b's over-capacity plan was not saved: {checks}"
    );
}

#[tokio::test]
async fn analysis_reads_are_authorised_and_audited() {
    let app = crate::app().await;
    app.user("analyst", Role::Analyst).await;
    app.user("sg", Role::SafeguardingLead).await;
    app.user("lead", Role::OperationLead).await;
    app.user("stranger", Role::Analyst).await;
    let (case, _) = case_with_lead(&app, "lead", Some("/cases/op-kestrel")).await;
    let db = app.db();
    db.add_member(
        &linesight_db::Actor::new("t"),
        &case,
        "analyst",
        Role::Analyst,
    )
    .await
    .unwrap();
    db.add_member(
        &linesight_db::Actor::new("t"),
        &case,
        "sg",
        Role::SafeguardingLead,
    )
    .await
    .unwrap();
    let headers = |s: &Session| {
        let mut h = axum::http::HeaderMap::new();
        h.insert("cookie", format!("ls_session={}", s.token).parse().unwrap());
        h
    };
    let dir = std::path::Path::new("/cases/op-kestrel");
    let s = app.login("analyst").await;
    let p = linesight_ops_api::authorise_case_read(
        &app.state,
        &headers(&s),
        dir,
        "reviewing deal lines",
    )
    .await
    .unwrap();
    assert_eq!(p.user, "analyst");
    let last = db
        .audit_entries(0, 1000, Some(&case))
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(
        (last.event.action.as_str(), last.event.reason.as_deref()),
        ("analysis.read", Some("reviewing deal lines"))
    );
    let sg = app.login("sg").await;
    assert_eq!(
        linesight_ops_api::authorise_case_read(&app.state, &headers(&sg), dir, "x")
            .await
            .unwrap_err()
            .status,
        StatusCode::FORBIDDEN
    );
    let st = app.login("stranger").await;
    assert_eq!(
        linesight_ops_api::authorise_case_read(&app.state, &headers(&st), dir, "x")
            .await
            .unwrap_err()
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        linesight_ops_api::authorise_case_read(&app.state, &axum::http::HeaderMap::new(), dir, "x")
            .await
            .unwrap_err()
            .status,
        StatusCode::UNAUTHORIZED
    );
}
