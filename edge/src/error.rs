//! The edge's one error type and the one place it becomes an HTTP response.

use shared::{Problem, ProblemKind};
use worker::Response;

/// Everything a handler can fail with.
#[derive(Debug)]
pub enum ApiError {
    /// The client's fault, reported as is (4xx).
    Client(Problem),
    /// A storage back end failed (503, retry later).
    Unavailable(String),
    /// A bug or an unexpected runtime failure (500); the detail is logged, never sent.
    Internal(String),
    /// Too many attempts (429): the problem and the seconds until the client may try again.
    Limited(Problem, u64),
}

impl ApiError {
    /// A client error of `kind` with a specific detail.
    pub fn client(kind: ProblemKind, detail: impl Into<String>) -> Self {
        ApiError::Client(Problem::new(kind, detail))
    }

    /// A client error naming the field or parameter at fault.
    pub fn field(kind: ProblemKind, field: impl Into<String>, detail: impl Into<String>) -> Self {
        ApiError::Client(Problem::new(kind, detail).with_field(field))
    }

    /// The RFC 9457 problem response for this error.
    pub fn into_response(self) -> Response {
        let mut retry = None;
        let (problem, extra) = match self {
            ApiError::Client(p) => (p, None),
            ApiError::Limited(p, secs) => {
                retry = Some(secs.max(1).to_string());
                (p, None)
            }
            ApiError::Unavailable(context) => {
                worker::console_error!("storage unavailable: {context}");
                let p = Problem::new(
                    ProblemKind::Unavailable,
                    "storage is unavailable right now, please retry shortly",
                );
                (p, Some(("retry-after", "5")))
            }
            ApiError::Internal(context) => {
                worker::console_error!("internal error: {context}");
                (
                    Problem::new(ProblemKind::Internal, "the edge failed unexpectedly"),
                    None,
                )
            }
        };
        let body = serde_json::to_string(&problem).unwrap_or_default();
        let mut resp = crate::response::text(body, "application/problem+json", problem.status);
        if let Some((name, value)) = extra {
            crate::response::set(&mut resp, name, value);
        }
        if let Some(secs) = retry {
            crate::response::set(&mut resp, "retry-after", &secs);
        }
        resp
    }
}

impl From<worker::kv::KvError> for ApiError {
    fn from(e: worker::kv::KvError) -> Self {
        ApiError::Unavailable(format!("kv: {e}"))
    }
}

impl From<worker::Error> for ApiError {
    fn from(e: worker::Error) -> Self {
        ApiError::Internal(format!("runtime: {e}"))
    }
}

/// Our own values that fail to (de)serialise (a stored row, an object's answer): an internal
/// error with the serde message. Client bodies never come this way: `http::read_json` answers
/// them with a 400 naming the field.
impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        ApiError::Internal(format!("json: {e}"))
    }
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;
