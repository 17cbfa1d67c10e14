//! Credentials: the alliance admin's bearer token.

use crate::error::{ApiError, ApiResult};
use shared::{Problem, ProblemKind};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use worker::{Env, Request};

/// The actor recorded in the audit log for the admin credential.
pub const ADMIN: &str = "alliance-admin";

/// Checks `Authorization: Bearer <ADMIN_TOKEN>` against the `ADMIN_TOKEN` secret, in constant
/// time. A missing header is 401; a malformed or wrong one is 403.
pub fn require_admin(req: &Request, env: &Env) -> ApiResult<&'static str> {
    let expected = env
        .secret("ADMIN_TOKEN")
        .map(|s| s.to_string())
        .map_err(|_| ApiError::Internal("ADMIN_TOKEN secret is not configured".into()))?;
    let Some(header) = req.headers().get("authorization").ok().flatten() else {
        return Err(ApiError::Client(
            Problem::new(ProblemKind::Unauthorized, "an admin bearer token is required")
                .with_field("authorization"),
        ));
    };
    let forbidden = |detail: &str| {
        ApiError::Client(Problem::new(ProblemKind::Forbidden, detail).with_field("authorization"))
    };
    let Some(token) = header.strip_prefix("Bearer ") else {
        return Err(forbidden("authorization must be \"Bearer <token>\""));
    };
    let a = Sha256::digest(token.trim().as_bytes());
    let b = Sha256::digest(expected.as_bytes());
    if bool::from(a.ct_eq(&b)) && !expected.is_empty() {
        Ok(ADMIN)
    } else {
        Err(forbidden("the admin token is not valid"))
    }
}
