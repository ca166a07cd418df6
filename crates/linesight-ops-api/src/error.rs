//! The one JSON error envelope, `{ "error": { "code", "message" } }`, and how database and
//! request errors map onto it.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use linesight_db::DbError;
use serde_json::json;

/// An error answer: status, a stable machine code and a message that says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable code (`not_found`, `conflict`, `csrf`, …).
    pub code: &'static str,
    /// What went wrong and what to do.
    pub message: String,
}

impl ApiError {
    /// An error with any status.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    /// 401: no live session.
    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "log in first (POST /api/v1/auth/login); your session may have expired or been revoked",
        )
    }

    /// 404 for a case the user may not know about (or that does not exist: they look the same).
    pub fn case_not_found(case_id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("case {case_id} not found"),
        )
    }

    /// 403: the role may not do this.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({ "error": { "code": self.code, "message": self.message } });
        (self.status, Json(body)).into_response()
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        let (status, code) = match &e {
            DbError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            DbError::Exists(_) => (StatusCode::CONFLICT, "exists"),
            DbError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            DbError::State(_) => (StatusCode::CONFLICT, "case_state"),
            DbError::Conflict { .. } => (StatusCode::CONFLICT, "conflict"),
            _ => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        };
        ApiError::new(status, code, e.to_string())
    }
}

impl From<linesight_ops::Invalid> for ApiError {
    fn from(e: linesight_ops::Invalid) -> Self {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            format!("invalid {e}"),
        )
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        let code = match r.status() {
            StatusCode::PAYLOAD_TOO_LARGE => "too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            StatusCode::UNPROCESSABLE_ENTITY => "invalid",
            _ => "bad_request",
        };
        ApiError::new(
            r.status(),
            code,
            format!(
                "{}: send a JSON body as documented in the OpenAPI description",
                r.body_text()
            ),
        )
    }
}
