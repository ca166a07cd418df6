//! The access seam: every handler that reads personal data asks a [`Gate`] first.
//!
//! `linesight serve` uses [`LocalGate`] (one local user, everything allowed). A deployment
//! with logins, roles and an audit trail supplies its own gate, which sees the request's
//! headers (session cookie, CSRF token) and the purpose of the read, and may refuse it.

use std::future::Future;
use std::pin::Pin;

use axum::http::{HeaderMap, StatusCode};

/// Who is reading, as the gate established it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Principal {
    /// A stable user id (the audit trail's subject).
    pub user_id: String,
    /// A name to show.
    pub display_name: String,
    /// Roles granted, as the gate names them.
    pub roles: Vec<String>,
}

/// Why a gate refused a read. Rendered as the API's JSON error envelope.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum GateError {
    /// No valid session: the client should log in (HTTP 401).
    #[error("{0}")]
    Unauthenticated(String),
    /// Logged in but not allowed this purpose on this case (HTTP 403).
    #[error("{0}")]
    Forbidden(String),
    /// The gate itself failed (audit store down…): refuse rather than read unaudited (HTTP 503).
    #[error("{0}")]
    Unavailable(String),
}

impl GateError {
    /// The HTTP status and the error code of the envelope.
    pub fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, "unauthenticated"),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            Self::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "gate_unavailable"),
        }
    }
}

/// The future a gate returns.
pub type GateFuture<'a> = Pin<Box<dyn Future<Output = Result<Principal, GateError>> + Send + 'a>>;

/// Decides whether a request may read case data for a purpose, and records it if the
/// deployment audits. Called by every case-data handler before it reads personal data.
pub trait Gate: Send + Sync + 'static {
    /// Authorises one read. `purpose` names what the handler is about to read
    /// (`"lines.list"`, `"line.evidence"`, `"search"`…), for the audit trail.
    fn authorise<'a>(&'a self, headers: &'a HeaderMap, purpose: &'static str) -> GateFuture<'a>;
}

/// The single local user of a laptop install: allows everything, records nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct LocalGate;

impl Gate for LocalGate {
    fn authorise<'a>(&'a self, _headers: &'a HeaderMap, _purpose: &'static str) -> GateFuture<'a> {
        Box::pin(std::future::ready(Ok(Principal {
            user_id: "local".into(),
            display_name: "Local analyst".into(),
            roles: vec!["analyst".into()],
        })))
    }
}
