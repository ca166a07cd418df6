//! Sessions, CSRF, the login rate limit and the role + compartment guard.
//!
//! - The session is a random token in the `ls_session` cookie (HttpOnly, SameSite=Strict),
//!   stored only hashed; it expires and can be revoked (logout, user disabled).
//! - CSRF by double submit: login also sets a readable `ls_csrf` cookie, and every
//!   state-changing request must echo it in `x-csrf-token`; it must also match the token
//!   stored with the session, so a cookie planted by another site does not pass.
//! - Login is limited per user name and per client address (failures in a sliding window).
//! - Case access: a user who is not a member of a case gets **404** for it, exactly as if it
//!   did not exist (no existence leak); a member whose role may not take the action gets 403.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use linesight_db::{Actor, Db};
use linesight_ops::case::Case;
use linesight_ops::{Action, Role, Scope, allowed};
use serde::Deserialize;
use serde_json::json;

use crate::Body;
use crate::error::ApiError;

/// Session and login settings.
#[derive(Debug, Clone)]
pub struct OpsConfig {
    /// How long a session lasts from login.
    pub session_ttl: chrono::Duration,
    /// Add `Secure` to cookies (set when served over HTTPS).
    pub secure_cookies: bool,
    /// Failed logins allowed per user name within `login_window`.
    pub login_failures_per_user: u32,
    /// Failed logins allowed per client address within `login_window`.
    pub login_failures_per_ip: u32,
    /// The rate-limit window.
    pub login_window: Duration,
}

impl Default for OpsConfig {
    fn default() -> Self {
        OpsConfig {
            session_ttl: chrono::Duration::hours(10),
            secure_cookies: false,
            login_failures_per_user: 5,
            login_failures_per_ip: 20,
            login_window: Duration::from_secs(15 * 60),
        }
    }
}

/// Shared state of the operations API.
#[derive(Debug, Clone)]
pub struct OpsState {
    pub(crate) db: Db,
    pub(crate) config: OpsConfig,
    failures: Arc<Mutex<HashMap<String, Vec<Instant>>>>,
}

impl OpsState {
    /// State over a connected database, with default settings.
    pub fn new(db: Db) -> Self {
        Self::with_config(db, OpsConfig::default())
    }

    /// State with explicit settings.
    pub fn with_config(db: Db, config: OpsConfig) -> Self {
        OpsState {
            db,
            config,
            failures: Arc::default(),
        }
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Seconds until `key` may try again, if it is over `limit` failures in the window.
    fn throttled(&self, key: &str, limit: u32) -> Option<u64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let window = self.config.login_window;
        let list = map.entry(key.to_owned()).or_default();
        list.retain(|t| t.elapsed() < window);
        (list.len() as u32 >= limit).then(|| {
            let oldest = list.first().copied().unwrap_or_else(Instant::now);
            window.saturating_sub(oldest.elapsed()).as_secs().max(1)
        })
    }

    fn record_failure(&self, keys: &[&str]) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        // Sprayed user names would otherwise grow the map without bound.
        if map.len() > 10_000 {
            let window = self.config.login_window;
            map.retain(|_, list| {
                list.retain(|t| t.elapsed() < window);
                !list.is_empty()
            });
        }
        for k in keys {
            map.entry((*k).to_owned()).or_default().push(Instant::now());
        }
    }

    fn clear_failures(&self, key: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key);
    }
}

/// The logged-in user behind a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// User name.
    pub user: String,
    /// Account role (for global actions).
    pub role: Role,
}

impl Principal {
    /// The principal as an audit actor, with an optional reason.
    pub fn actor(&self, reason: Option<String>) -> Actor {
        Actor {
            name: self.user.clone(),
            reason,
        }
    }
}

pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

async fn session(state: &OpsState, headers: &HeaderMap) -> Result<(Principal, String), ApiError> {
    let token = cookie(headers, "ls_session").ok_or_else(ApiError::unauthenticated)?;
    let s = state
        .db
        .session(token)
        .await?
        .ok_or_else(ApiError::unauthenticated)?;
    Ok((
        Principal {
            user: s.user.name,
            role: s.user.role,
        },
        s.csrf,
    ))
}

impl FromRequestParts<OpsState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &OpsState) -> Result<Self, ApiError> {
        let (principal, csrf) = session(state, &parts.headers).await?;
        if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
            let header = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok());
            let cookie = cookie(&parts.headers, "ls_csrf");
            if header.is_none() || header != cookie || header != Some(csrf.as_str()) {
                return Err(ApiError::forbidden(
                    "missing or wrong CSRF token: send the value of the ls_csrf cookie in the x-csrf-token header",
                )
                .with_code("csrf"));
            }
        }
        Ok(principal)
    }
}

impl ApiError {
    pub(crate) fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }
}

/// Checks a global action against the account role.
pub(crate) fn require_global(p: &Principal, action: Action) -> Result<(), ApiError> {
    debug_assert_eq!(action.scope(), Scope::Global);
    if allowed(p.role, action) {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!(
            "your role ({}) may not {}",
            p.role,
            action.as_str()
        )))
    }
}

/// Checks case membership (else 404) and the role held in the case (else 403).
pub(crate) async fn require_case(
    state: &OpsState,
    p: &Principal,
    case_id: &str,
    action: Action,
) -> Result<(Case, Role), ApiError> {
    let role = state
        .db
        .member_role(case_id, &p.user)
        .await?
        .ok_or_else(|| ApiError::case_not_found(case_id))?;
    let case = state
        .db
        .case(case_id)
        .await?
        .ok_or_else(|| ApiError::case_not_found(case_id))?;
    if !allowed(role, action) {
        return Err(ApiError::forbidden(format!(
            "your role in this case ({role}) may not {}",
            action.as_str()
        )));
    }
    Ok((case, role))
}

/// For the server that serves the analysis workspace: checks the session, that the user is
/// a member of the case whose linked case store is `case_dir` with a role that may read the
/// analysis, and records the read (with `purpose` as its reason) in the audit log.
pub async fn authorise_case_read(
    state: &OpsState,
    headers: &HeaderMap,
    case_dir: &Path,
    purpose: &str,
) -> Result<Principal, ApiError> {
    let (p, _) = session(state, headers).await?;
    let given = case_dir.to_string_lossy().into_owned();
    let mut case = state.db.case_by_store(&given).await?;
    if case.is_none()
        && let Ok(canonical) = std::fs::canonicalize(case_dir)
    {
        case = state.db.case_by_store(&canonical.to_string_lossy()).await?;
    }
    let case = case.ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no case is linked to this case store",
        )
    })?;
    require_case(state, &p, &case.id, Action::AnalysisRead).await?;
    state
        .db
        .audit(
            &p.actor(Some(purpose.to_owned())),
            "analysis.read",
            &format!("case/{}/analysis", case.id),
            Some(&case.id),
            json!({ "case_store": given }),
        )
        .await?;
    Ok(p)
}

/// Login request.
#[derive(Debug, Deserialize)]
pub(crate) struct Login {
    name: String,
    password: String,
}

/// The client's address, when the server was started with connect info (else `unknown`,
/// which then shares one per-address budget).
pub(crate) struct ClientIp(String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        Ok(ClientIp(ip.unwrap_or_else(|| "unknown".into())))
    }
}

fn set_cookie(resp: &mut Response, value: String) {
    if let Ok(v) = HeaderValue::from_str(&value) {
        resp.headers_mut().append(SET_COOKIE, v);
    }
}

pub(crate) async fn login(
    State(state): State<OpsState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Body(req): Body<Login>,
) -> Result<Response, ApiError> {
    let ip_key = format!("ip:{ip}");
    let user_key = format!("user:{}", req.name);
    for (key, limit) in [
        (&ip_key, state.config.login_failures_per_ip),
        (&user_key, state.config.login_failures_per_user),
    ] {
        if let Some(wait) = state.throttled(key, limit) {
            let mut resp = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("too many failed logins; try again in {wait} s"),
            )
            .into_response();
            if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
                resp.headers_mut().insert("retry-after", v);
            }
            return Ok(resp);
        }
    }
    let Some(user) = state.db.check_password(&req.name, &req.password).await? else {
        state.record_failure(&[&ip_key, &user_key]);
        state
            .db
            .audit(
                &Actor::new(format!("anonymous@{ip}")),
                "session.login_failed",
                &format!("user/{}", req.name),
                None,
                json!({}),
            )
            .await?;
        return Err(ApiError::unauthenticated().with_message("wrong user name or password"));
    };
    state.clear_failures(&user_key);
    // Session fixation: a session presented at login is ended, and a new token is always issued.
    if let Some(old) = cookie(&headers, "ls_session") {
        state
            .db
            .revoke_session(old, &Actor::new(&user.name))
            .await?;
    }
    let (token, s) = state
        .db
        .start_session(&user, state.config.session_ttl)
        .await?;
    let max_age = state.config.session_ttl.num_seconds();
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let mut resp = Json(json!({ "user": user.name, "role": user.role, "csrf": s.csrf, "expires_at": linesight_db::time_text(s.expires_at) })).into_response();
    set_cookie(
        &mut resp,
        format!("ls_session={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"),
    );
    set_cookie(
        &mut resp,
        format!(
            "ls_csrf={}; Path=/; SameSite=Strict; Max-Age={max_age}{secure}",
            s.csrf
        ),
    );
    Ok(resp)
}

impl ApiError {
    fn with_message(mut self, m: &str) -> Self {
        self.message = m.to_owned();
        self
    }
}

pub(crate) async fn logout(
    State(state): State<OpsState>,
    p: Principal,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if let Some(token) = cookie(&headers, "ls_session") {
        state.db.revoke_session(token, &p.actor(None)).await?;
    }
    let mut resp = StatusCode::NO_CONTENT.into_response();
    set_cookie(
        &mut resp,
        "ls_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0".into(),
    );
    set_cookie(
        &mut resp,
        "ls_csrf=; Path=/; SameSite=Strict; Max-Age=0".into(),
    );
    Ok(resp)
}

pub(crate) async fn me(
    State(state): State<OpsState>,
    p: Principal,
) -> Result<Json<serde_json::Value>, ApiError> {
    let cases = state.db.cases_of(&p.user).await?;
    let memberships: Vec<_> = cases
        .iter()
        .map(|(c, r)| json!({ "case_id": c.id, "name": c.spec.name, "role": r }))
        .collect();
    let may: Vec<&str> = Action::ALL
        .iter()
        .filter(|a| a.scope() == Scope::Global && allowed(p.role, **a))
        .map(|a| a.as_str())
        .collect();
    Ok(Json(
        json!({ "user": p.user, "role": p.role, "global_actions": may, "cases": memberships }),
    ))
}
