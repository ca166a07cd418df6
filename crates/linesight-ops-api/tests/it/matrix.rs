//! The permission matrix: every role against every endpoint, as a member of the case and as
//! an outsider, each status checked against `linesight_ops::access::MATRIX` — plus hard-coded
//! spot checks, so a wrong table cannot pass by agreeing with itself.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use linesight_db::{Actor, Kind};
use linesight_ops::case::{NewCase, RiskMarkers, Target, TargetKind, Warrant, WarrantStatus};
use linesight_ops::outcome::{
    ClosureKind, Exhibit, LineClosure, Referral, ReferralSubject, Seized,
};
use linesight_ops::{Action, Role, Scope, allowed};
use linesight_ops_api::{ENDPOINTS, Endpoint};
use serde_json::{Value, json};

use crate::{App, Session};

struct Fixture {
    case: String,
    address: String,
    exhibit: String,
    closure: String,
    referral: String,
    warrant: String,
}

async fn fixture(app: &App, member: &str, role: Role) -> Fixture {
    let a = Actor::new("cli:test");
    let db = app.db();
    let case = db
        .create_case(
            &a,
            &NewCase {
                name: format!("Op {role}"),
                owning_force: "Norfolk".into(),
                partner_forces: vec![],
                case_store: None,
            },
            Some((member, role)),
        )
        .await
        .unwrap();
    let t = Target {
        kind: TargetKind::Address,
        label: "1 Quay Rd".into(),
        notes: String::new(),
        risks: RiskMarkers::default(),
        findings: vec![],
    };
    let address = db
        .add_record(&a, &case.id, Kind::Target, None, None, &t)
        .await
        .unwrap()
        .id;
    let at = chrono::Utc::now();
    let ex = Exhibit {
        reference: "FX/1".into(),
        seized: Seized::Cash { pence: 100 },
        address_target_id: None,
        seized_by: "PC A".into(),
        seized_at: at,
    };
    let exhibit = db
        .add_record(&a, &case.id, Kind::Exhibit, None, Some("FX/1"), &ex)
        .await
        .unwrap()
        .id;
    let cl = LineClosure {
        number: "+447700900001".into(),
        line_id: None,
        kind: ClosureKind::Type2 {
            operator: "Brigantia".into(),
        },
        closed_on: at.date_naive(),
    };
    let closure = db
        .add_record(&a, &case.id, Kind::Closure, None, None, &cl)
        .await
        .unwrap()
        .id;
    let r = Referral {
        subject: ReferralSubject::Child,
        name: "Child A".into(),
        age: Some(15),
        address_target_id: None,
        circumstances: "found at the address".into(),
        indicators: vec![],
        referred_to: vec![],
        adult_consents: None,
    };
    let referral = db
        .add_record(&a, &case.id, Kind::Referral, None, None, &r)
        .await
        .unwrap()
        .id;
    let w = Warrant {
        address_target_id: address.clone(),
        legal_basis: "s.23 MDA 1971".into(),
        issuing_court: "Norwich".into(),
        valid_from: at,
        valid_to: at + chrono::Duration::days(2),
        status: WarrantStatus::Issued,
    };
    let warrant = db
        .add_record(&a, &case.id, Kind::Warrant, None, None, &w)
        .await
        .unwrap()
        .id;
    Fixture {
        case: case.id,
        address,
        exhibit,
        closure,
        referral,
        warrant,
    }
}

fn path(e: &Endpoint, f: &Fixture) -> String {
    e.path
        .replace("{case}", &f.case)
        .replace("{exhibit}", &f.exhibit)
        .replace("{closure}", &f.closure)
        .replace("{referral}", &f.referral)
        .replace("{target}", &f.address)
        .replace("{warrant}", &f.warrant)
}

async fn body(app: &App, e: &Endpoint, f: &Fixture, user: &str, n: usize) -> Option<Value> {
    let now = "2026-12-01T05:00:00Z";
    let p = e.path;
    Some(match (e.method, p.rsplit('/').next().unwrap()) {
        ("GET", _) => return None,
        ("POST", "logout") => return None,
        ("POST", "login") => json!({ "name": user, "password": crate::PW }),
        ("POST", "cases") => json!({ "name": "Op New", "owning_force": "Essex" }),
        ("POST", "members") => json!({ "user": "spare", "role": "analyst" }),
        ("POST", "targets") => json!({ "kind": "nominal", "label": "Jay Doe" }),
        ("PUT", "{target}") => {
            json!({ "kind": "address", "label": "1 Quay Rd", "risks": { "dogs": true } })
        }
        ("PUT", "{warrant}") => {
            json!({ "address_target_id": f.address, "legal_basis": "s.23 Misuse of Drugs Act 1971", "issuing_court": "Norwich", "valid_from": "2026-11-30T00:00:00Z", "valid_to": "2026-12-03T00:00:00Z", "status": "executed" })
        }
        ("POST", "warrants") => {
            json!({ "address_target_id": f.address, "legal_basis": "s.23 Misuse of Drugs Act 1971", "issuing_court": "Norwich", "valid_from": "2026-11-30T00:00:00Z", "valid_to": "2026-12-03T00:00:00Z", "status": "issued" })
        }
        ("PUT", "plan") => {
            json!({ "version": app.db().plan(&f.case).await.unwrap().version, "plan": { "teams": [{ "id": "T1", "force": "Norfolk", "lead": "PS A", "size": 6 }] } })
        }
        ("POST", "searches") => json!({ "address_target_id": f.address, "entered_at": now }),
        ("POST", "arrests") => {
            json!({ "person": "Jay Doe", "offence": "PWITS", "custody_suite": "Wymondham", "arrested_at": now })
        }
        ("POST", "exhibits") => {
            json!({ "reference": format!("JA/{n}"), "seized": { "type": "drugs", "drug": "crack", "wraps": 10, "weight_grams": 2.5 }, "seized_by": "PC A", "seized_at": now })
        }
        ("POST", "movements") => json!({ "holder": "PC A", "at": now, "location": "store" }),
        ("POST", "referrals") => {
            json!({ "subject": "child", "name": "Child B", "age": 14, "circumstances": "found holding wraps" })
        }
        ("POST", "closures") => {
            json!({ "number": "+447700900002", "kind": { "type": "type1", "holder": "Jay Doe", "charge": "PWITS" }, "closed_on": "2026-12-01" })
        }
        ("POST", "check-backs") => json!({ "checked_on": "2026-12-08", "number_active": false }),
        ("POST", "close") => json!({ "retention_days": 30 }),
        ("POST", "purge") => json!({ "reason": "retention ended" }),
        other => panic!("no sample body for {other:?}: add one when adding an endpoint"),
    })
}

/// What the matrix says the answer must be.
fn expected(e: &Endpoint, role: Role, member: bool) -> StatusCode {
    let ok = match e.path.rsplit('/').next() {
        // Allowed, but refused by the case's state: it is open, so not due for purge.
        Some("purge") => StatusCode::CONFLICT,
        _ => StatusCode::from_u16(e.ok).unwrap(),
    };
    match e.action {
        None => ok,
        Some(a) if a.scope() == Scope::Global => {
            if allowed(role, a) {
                ok
            } else {
                StatusCode::FORBIDDEN
            }
        }
        Some(_) if !member => StatusCode::NOT_FOUND,
        Some(a) => {
            if allowed(role, a) {
                ok
            } else {
                StatusCode::FORBIDDEN
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_against_every_endpoint_inside_and_outside_the_case() {
    let app = crate::app().await;
    matrix(&app).await;
    if let Some(pg) = crate::pg_app().await {
        matrix(&pg).await;
        pg.finish().await;
    }
}

async fn matrix(app: &App) {
    app.user("spare", Role::Analyst).await;
    // State-changing endpoints that end things go last: close, purge, then logout.
    let mut order: Vec<&Endpoint> = ENDPOINTS
        .iter()
        .filter(|e| !e.path.ends_with("/logout"))
        .collect();
    order.extend(ENDPOINTS.iter().filter(|e| e.path.ends_with("/logout")));
    let mut actual: BTreeMap<(Role, bool, &str, &str), StatusCode> = BTreeMap::new();
    let mut checked = 0;
    for role in Role::ALL {
        let (inside, outside) = (format!("in_{role}"), format!("out_{role}"));
        app.user(&inside, role).await;
        app.user(&outside, role).await;
        let f = fixture(app, &inside, role).await;
        for (user, member) in [(&outside, false), (&inside, true)] {
            let session: Session = app.login(user).await;
            for (n, e) in order.iter().enumerate() {
                let b = body(app, e, &f, user, n).await;
                let s = if e.auth { Some(&session) } else { None };
                let (status, answer, _) = app.send(e.method, &path(e, &f), b.as_ref(), s).await;
                let want = expected(e, role, member);
                assert_eq!(
                    status,
                    want,
                    "{role} ({}) {} {}: {answer}",
                    if member { "member" } else { "outsider" },
                    e.method,
                    e.path
                );
                actual.insert((role, member, e.method, e.path), status);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, Role::ALL.len() * 2 * ENDPOINTS.len());

    // Spot checks written by hand, independent of the table.
    let spot = [
        (
            Role::DisclosureOfficer,
            true,
            "PUT",
            "/api/v1/cases/{case}/plan",
            StatusCode::FORBIDDEN,
        ),
        (
            Role::DisclosureOfficer,
            true,
            "GET",
            "/api/v1/cases/{case}/plan",
            StatusCode::OK,
        ),
        (
            Role::OperationLead,
            true,
            "PUT",
            "/api/v1/cases/{case}/plan",
            StatusCode::OK,
        ),
        (
            Role::OperationLead,
            false,
            "GET",
            "/api/v1/cases/{case}/plan",
            StatusCode::NOT_FOUND,
        ),
        (
            Role::Analyst,
            true,
            "GET",
            "/api/v1/cases/{case}/referrals",
            StatusCode::FORBIDDEN,
        ),
        (
            Role::SafeguardingLead,
            true,
            "POST",
            "/api/v1/cases/{case}/referrals",
            StatusCode::CREATED,
        ),
        (
            Role::Investigator,
            true,
            "POST",
            "/api/v1/cases/{case}/exhibits",
            StatusCode::CREATED,
        ),
        (
            Role::Investigator,
            true,
            "GET",
            "/api/v1/audit",
            StatusCode::FORBIDDEN,
        ),
        (Role::Auditor, false, "GET", "/api/v1/audit", StatusCode::OK),
        (
            Role::Auditor,
            true,
            "GET",
            "/api/v1/cases/{case}/targets",
            StatusCode::FORBIDDEN,
        ),
        (
            Role::Administrator,
            true,
            "GET",
            "/api/v1/cases/{case}/targets",
            StatusCode::FORBIDDEN,
        ),
        (
            Role::Administrator,
            false,
            "POST",
            "/api/v1/cases",
            StatusCode::CREATED,
        ),
        (
            Role::Analyst,
            false,
            "POST",
            "/api/v1/cases",
            StatusCode::FORBIDDEN,
        ),
        (
            Role::Administrator,
            true,
            "POST",
            "/api/v1/cases/{case}/close",
            StatusCode::OK,
        ),
        (
            Role::Analyst,
            false,
            "GET",
            "/api/v1/cases/{case}",
            StatusCode::NOT_FOUND,
        ),
    ];
    for (role, member, method, p, want) in spot {
        assert_eq!(
            actual[&(role, member, method, p)],
            want,
            "spot check: {role} member={member} {method} {p}"
        );
    }
    // Every action in the domain is exercised by some endpoint.
    for a in Action::ALL {
        let covered = ENDPOINTS.iter().any(|e| e.action == Some(*a))
            || *a == Action::UserManage
            || *a == Action::AnalysisRead;
        assert!(covered, "{} has no endpoint", a.as_str());
    }
}

#[test]
fn openapi_lists_every_endpoint() {
    let doc = linesight_ops_api::openapi();
    for e in ENDPOINTS {
        let op = &doc["paths"][e.path][e.method.to_lowercase()];
        assert!(
            op.is_object(),
            "{} {} missing from OpenAPI",
            e.method,
            e.path
        );
        assert_eq!(
            op["x-linesight-action"],
            json!(e.action.map(|a| a.as_str()))
        );
    }
    assert!(doc["components"]["schemas"]["Error"].is_object());
}
