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

/// Hex SHA-256 of a shop access key: only this is stored.
pub fn key_hash(key: &str) -> String {
    Sha256::digest(key.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks `Authorization: Bearer <shop access key>` and returns the shop it belongs to.
/// A missing header is 401; a malformed or unknown key is 403.
pub async fn require_shop(req: &Request, store: &crate::store::Store) -> ApiResult<shared::ShopId> {
    let Some(header) = req.headers().get("authorization").ok().flatten() else {
        return Err(ApiError::Client(
            Problem::new(ProblemKind::Unauthorized, "a shop access key is required").with_field("authorization"),
        ));
    };
    let forbidden = || ApiError::Client(Problem::new(ProblemKind::Forbidden, "the shop access key is not valid").with_field("authorization"));
    let key = header.strip_prefix("Bearer ").map(str::trim).filter(|k| !k.is_empty()).ok_or_else(forbidden)?;
    // The lookup is by hash, so the key itself is never compared byte by byte.
    store.shop_of_key(&key_hash(key)).await?.ok_or_else(forbidden)
}

/// A new random shop access key (`sk_` and 32 random bytes in hex).
pub fn new_shop_key() -> ApiResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| ApiError::Internal(format!("random: {e}")))?;
    Ok(format!("sk_{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()))
}

/// The secret that signs review tokens (`LINK_SECRET`).
pub fn link_secret(env: &Env) -> ApiResult<Vec<u8>> {
    let s = env
        .secret("LINK_SECRET")
        .map(|s| s.to_string())
        .map_err(|_| ApiError::Internal("LINK_SECRET secret is not configured".into()))?;
    if s.len() < 16 {
        return Err(ApiError::Internal("LINK_SECRET is too short".into()));
    }
    Ok(s.into_bytes())
}
