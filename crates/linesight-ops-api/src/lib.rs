//! The operations HTTP API (axum) under `/api/v1/`: login, cases and members, targets,
//! warrants, the day-of-action plan and its checks, outcomes, exhibits and their custody
//! movements, safeguarding referrals and NRM drafts, line closures and check-backs, the
//! results dashboard, and the audit log for auditors.
//!
//! Every endpoint is listed once in [`ENDPOINTS`] with the action it needs; the router, the
//! OpenAPI fragment and the permission-matrix test all follow that table. Errors are
//! `{ "error": { "code", "message" } }`. A non-member asking for a case gets 404 (its
//! existence is not revealed); a member whose role may not act gets 403.

mod auth;
mod error;
mod handlers;

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, Request};
use axum::routing::{get, post, put};
use linesight_ops::Action;
use linesight_ops::case::{Target, Warrant};
use linesight_ops::outcome::{
    Arrest, CheckBack, CustodyMovement, Exhibit, LineClosure, Referral, Search,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

pub use auth::{OpsConfig, OpsState, Principal, authorise_case_read};
pub use error::ApiError;

use handlers as h;

/// Largest accepted request body; plans are the biggest documents and stay far below it.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// A JSON body whose rejections (malformed, wrong shape, too large, wrong type) answer in the
/// API's error envelope.
pub(crate) struct Body<T>(pub(crate) T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let axum::Json(v) = axum::Json::<T>::from_request(req, state).await?;
        Ok(Body(v))
    }
}

/// One endpoint: method, path (OpenAPI and axum syntax), the action it needs (none for
/// login; `None` with `auth` for any logged-in user), the status of success, and a summary.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    /// HTTP method.
    pub method: &'static str,
    /// Path under the server root, e.g. `/api/v1/cases/{case}/plan`.
    pub path: &'static str,
    /// The permission it needs; `None` for login or any logged-in user.
    pub action: Option<Action>,
    /// Whether a session is needed.
    pub auth: bool,
    /// Status on success.
    pub ok: u16,
    /// What it does.
    pub summary: &'static str,
}

const fn ep(
    method: &'static str,
    path: &'static str,
    action: Option<Action>,
    ok: u16,
    summary: &'static str,
) -> Endpoint {
    Endpoint {
        method,
        path,
        action,
        auth: true,
        ok,
        summary,
    }
}

use Action as A;

/// Every endpoint of the operations API.
pub const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        method: "POST",
        path: "/api/v1/auth/login",
        action: None,
        auth: false,
        ok: 200,
        summary: "Log in with name and password; sets the ls_session and ls_csrf cookies",
    },
    ep(
        "POST",
        "/api/v1/auth/logout",
        None,
        204,
        "End (revoke) the current session",
    ),
    ep(
        "GET",
        "/api/v1/auth/me",
        None,
        200,
        "The logged-in user, their role and their cases",
    ),
    ep("GET", "/api/v1/cases", None, 200, "Cases I am a member of"),
    ep(
        "POST",
        "/api/v1/cases",
        Some(A::CaseCreate),
        201,
        "Open a case; the creator becomes a member",
    ),
    ep(
        "GET",
        "/api/v1/cases/{case}",
        Some(A::CaseRead),
        200,
        "A case's outline",
    ),
    ep(
        "GET",
        "/api/v1/cases/{case}/members",
        Some(A::MemberRead),
        200,
        "Members and their roles",
    ),
    ep(
        "POST",
        "/api/v1/cases/{case}/members",
        Some(A::MemberManage),
        201,
        "Add a member or change their role",
    ),
    ep(
        "GET",
        "/api/v1/cases/{case}/targets",
        Some(A::TargetRead),
        200,
        "Targets (audited read)",
    ),
    ep(
        "POST",
        "/api/v1/cases/{case}/targets",
        Some(A::TargetWrite),
        201,
        "Add a target",
    ),
    ep(
        "PUT",
        "/api/v1/cases/{case}/targets/{target}",
        Some(A::TargetWrite),
        200,
        "Change a target (risk markers, links to findings)",
    ),
    ep(
        "GET",
        "/api/v1/cases/{case}/warrants",
        Some(A::WarrantRead),
        200,
        "Warrants (audited read)",
    ),
    ep(
        "POST",
        "/api/v1/cases/{case}/warrants",
        Some(A::WarrantWrite),
        201,
        "Record a warrant",
    ),
    ep(
        "PUT",
        "/api/v1/cases/{case}/warrants/{warrant}",
        Some(A::WarrantWrite),
        200,
        "Change a warrant (e.g. its status to executed)",
    ),
    ep(
        "GET",
        "/api/v1/cases/{case}/plan",
        Some(A::PlanRead),
        200,
        "The day-of-action plan and its version",
    ),
    ep(
        "PUT",
        "/api/v1/cases/{case}/plan",
        Some(A::PlanWrite),
        200,
        "Save the plan; 409 if someone saved since the version you read",
    ),
    ep(
        "GET",
        "/api/v1/cases/{case}/plan/checks",
        Some(A::PlanRead),
        200,
        "Plan checks: addresses without teams, warrants expiring, custody over capacity, children without safeguarding",
    ),
    ep(
        "GET",
        "/api/v1/cases/{case}/searches",
        Some(A::OutcomeRead),
        200,
        "Properties searched (audited read)",
    ),
    ep(
        "POST",
        "/api/v1/cases/{case}/searches",
        Some(A::OutcomeWrite),
        201,
        "Record a property searched",
    ),
    ep(
        "GET",
        "/api/v1/cases/{case}/arrests",
        Some(A::OutcomeRead),
        200,
        "Arrests (audited read)",
    ),
    ep(
        "POST",
        "/api/v1/cases/{case}/arrests",
        Some(A::OutcomeWrite),
        201,
        "Record an arrest",
    ),
    ep(
        "GET",
        "/api/v1/cases/{case}/exhibits",
        Some(A::OutcomeRead),
        200,
        "Exhibits (audited read)",
    ),
    ep(
        "POST",
        "/api/v1/cases/{case}/exhibits",
        Some(A::OutcomeWrite),
        201,
        "Record an exhibit (reference unique in the case)",
    ),
    ep(
        "GET",
        "/api/v1/cases/{case}/exhibits/{exhibit}/movements",
        Some(A::OutcomeRead),
        200,
        "An exhibit's chain of custody",
    ),
    ep(
        "POST",
        "/api/v1/cases/{case}/exhibits/{exhibit}/movements",
        Some(A::OutcomeWrite),
        201,
        "Record a custody movement",
    ),
    ep(
        "GET",
        "/api/v1/cases/{case}/referrals",
        Some(A::ReferralRead),
        200,
        "Safeguarding referrals (audited read)",
    ),
    ep(
        "POST",
        "/api/v1/cases/{case}/referrals",
        Some(A::ReferralWrite),
        201,
        "Record a safeguarding referral",
    ),
    ep(
        "GET",
        "/api/v1/cases/{case}/referrals/{referral}/nrm-draft",
        Some(A::ReferralRead),
        200,
        "A National Referral Mechanism draft for the referral",
    ),
    ep(
        "GET",
        "/api/v1/cases/{case}/closures",
        Some(A::ClosureRead),
        200,
        "Line closures",
    ),
    ep(
        "POST",
        "/api/v1/cases/{case}/closures",
        Some(A::ClosureWrite),
        201,
        "Record a Type 1 or Type 2 line closure",
    ),
    ep(
        "GET",
        "/api/v1/cases/{case}/closures/{closure}/check-backs",
        Some(A::ClosureRead),
        200,
        "Check-backs on a closed line",
    ),
    ep(
        "POST",
        "/api/v1/cases/{case}/closures/{closure}/check-backs",
        Some(A::ClosureWrite),
        201,
        "Record a check-back",
    ),
    ep(
        "GET",
        "/api/v1/cases/{case}/dashboard",
        Some(A::DashboardRead),
        200,
        "Results computed from the records",
    ),
    ep(
        "GET",
        "/api/v1/audit",
        Some(A::AuditRead),
        200,
        "Audit entries (after, limit, case)",
    ),
    ep(
        "GET",
        "/api/v1/audit/verify",
        Some(A::AuditRead),
        200,
        "Verify the audit hash chain",
    ),
    ep(
        "POST",
        "/api/v1/cases/{case}/close",
        Some(A::CaseClose),
        200,
        "Close the case and start its retention period",
    ),
    ep(
        "POST",
        "/api/v1/cases/{case}/purge",
        Some(A::CasePurge),
        200,
        "Purge a closed case's personal data once its retention period has passed (409 before)",
    ),
];

/// The operations API's router (state applied). Mount it at the server root.
pub fn router(state: OpsState) -> Router {
    Router::new()
        .route("/api/v1/auth/login", post(auth::login))
        .route("/api/v1/auth/logout", post(auth::logout))
        .route("/api/v1/auth/me", get(auth::me))
        .route("/api/v1/cases", get(h::list_cases).post(h::create_case))
        .route("/api/v1/cases/{case}", get(h::get_case))
        .route("/api/v1/cases/{case}/close", post(h::close_case))
        .route("/api/v1/cases/{case}/purge", post(h::purge_case))
        .route(
            "/api/v1/cases/{case}/members",
            get(h::list_members).post(h::add_member),
        )
        .route(
            "/api/v1/cases/{case}/targets",
            get(h::list_top::<Target>).post(h::create_top::<Target>),
        )
        .route(
            "/api/v1/cases/{case}/warrants",
            get(h::list_top::<Warrant>).post(h::create_top::<Warrant>),
        )
        .route(
            "/api/v1/cases/{case}/targets/{target}",
            put(h::update_top::<Target>),
        )
        .route(
            "/api/v1/cases/{case}/warrants/{warrant}",
            put(h::update_top::<Warrant>),
        )
        .route(
            "/api/v1/cases/{case}/plan",
            get(h::get_plan).put(h::put_plan),
        )
        .route("/api/v1/cases/{case}/plan/checks", get(h::plan_checks))
        .route(
            "/api/v1/cases/{case}/searches",
            get(h::list_top::<Search>).post(h::create_top::<Search>),
        )
        .route(
            "/api/v1/cases/{case}/arrests",
            get(h::list_top::<Arrest>).post(h::create_top::<Arrest>),
        )
        .route(
            "/api/v1/cases/{case}/exhibits",
            get(h::list_top::<Exhibit>).post(h::create_top::<Exhibit>),
        )
        .route(
            "/api/v1/cases/{case}/exhibits/{exhibit}/movements",
            get(h::list_nested::<CustodyMovement>).post(h::create_nested::<CustodyMovement>),
        )
        .route(
            "/api/v1/cases/{case}/referrals",
            get(h::list_top::<Referral>).post(h::create_top::<Referral>),
        )
        .route(
            "/api/v1/cases/{case}/referrals/{referral}/nrm-draft",
            get(h::nrm),
        )
        .route(
            "/api/v1/cases/{case}/closures",
            get(h::list_top::<LineClosure>).post(h::create_top::<LineClosure>),
        )
        .route(
            "/api/v1/cases/{case}/closures/{closure}/check-backs",
            get(h::list_nested::<CheckBack>).post(h::create_nested::<CheckBack>),
        )
        .route("/api/v1/cases/{case}/dashboard", get(h::dashboard))
        .route("/api/v1/audit", get(h::audit))
        .route("/api/v1/audit/verify", get(h::audit_verify))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// The OpenAPI 3.1 fragment for these endpoints: `{ "paths": …, "components": … }`, built
/// from [`ENDPOINTS`], for the server to merge into its one document.
pub fn openapi() -> Value {
    let mut paths = Map::new();
    for e in ENDPOINTS {
        let params: Vec<Value> = e
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
            .collect();
        let mut responses = Map::new();
        responses.insert(e.ok.to_string(), json!({ "description": "Success" }));
        for code in ["400", "401", "403", "404", "409", "413", "422", "429"] {
            responses.insert(
                code.into(),
                json!({ "$ref": "#/components/responses/Error" }),
            );
        }
        let mut op = json!({
            "summary": e.summary,
            "tags": ["operations"],
            "operationId": format!("{} {}", e.method.to_lowercase(), e.path),
            "parameters": params,
            "responses": responses,
            "x-linesight-action": e.action.map(|a| a.as_str()),
        });
        if e.auth {
            op["security"] = if e.method == "GET" {
                json!([{ "session": [] }])
            } else {
                json!([{ "session": [], "csrf": [] }])
            };
        }
        if matches!(e.method, "POST" | "PUT") {
            op["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": { "type": "object" } } } });
        }
        paths
            .entry(e.path.to_owned())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .expect("path item is an object")
            .insert(e.method.to_lowercase(), op);
    }
    json!({
        "paths": paths,
        "components": {
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": "ls_session", "description": "Set by POST /api/v1/auth/login (HttpOnly, SameSite=Strict)" },
                "csrf": { "type": "apiKey", "in": "header", "name": "x-csrf-token", "description": "The value of the ls_csrf cookie, on every state-changing request" }
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": { "error": { "type": "object", "required": ["code", "message"], "properties": {
                        "code": { "type": "string", "examples": ["not_found", "forbidden", "conflict", "csrf", "rate_limited", "invalid"] },
                        "message": { "type": "string" }
                    } } }
                }
            },
            "responses": {
                "Error": { "description": "An error, with a code and a message that says what to do", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
            }
        }
    })
}
