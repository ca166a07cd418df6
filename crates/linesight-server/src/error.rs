//! Errors: [`ServerError`] for startup, [`ApiError`] for requests (one JSON envelope,
//! `{"error": {"code", "message"}}`, with the status that fits).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::gate::GateError;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The case store could not be opened or read.
    #[error(transparent)]
    Store(#[from] linesight_store::StoreError),
    /// A table does not have the columns this version expects.
    #[error("the case store is not as expected: {0}; was it written by a newer linesight?")]
    Corrupt(String),
    /// `findings.json` could not be read or parsed.
    #[error("cannot read the findings ({0}); run `linesight analyse --case CASE_DIR` again")]
    Findings(String),
    /// The boundaries file is missing or not GeoJSON.
    #[error("cannot use the boundaries file {0}")]
    Boundaries(String),
    /// The address could not be bound or the server failed.
    #[error("cannot serve on {addr}: {source}")]
    Io {
        /// The address.
        addr: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

/// A request that failed, rendered as the JSON error envelope.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    /// 404: no such id.
    pub(crate) fn not_found(what: &str, id: &str) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            message: format!("no {what} {id:?} in this case"),
        }
    }

    /// 400: a parameter that cannot be used.
    pub(crate) fn bad_param(name: &str, detail: impl std::fmt::Display) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: "bad_parameter",
            message: format!("parameter {name}: {detail}"),
        }
    }

    /// Any status and code.
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }
}

impl From<GateError> for ApiError {
    fn from(e: GateError) -> Self {
        let (status, code) = e.status_and_code();
        Self::new(status, code, e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": { "code": self.code, "message": self.message } });
        (self.status, Json(body)).into_response()
    }
}

/// What handlers return.
pub(crate) type ApiResult<T> = Result<T, ApiError>;
