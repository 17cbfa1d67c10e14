//! What this deployment allows: private webhook addresses and local `http://` origins only
//! where local development switches them on.

use crate::error::{ApiError, ApiResult};
use shared::ProblemKind;
use worker::Env;

/// Whether webhook URLs may point at loopback and private addresses: only when local
/// development sets `ALLOW_PRIVATE_WEBHOOKS=true` (in `.dev.vars`, never in production).
pub fn allow_private_webhooks(env: &Env) -> bool {
    switched_on(env, "ALLOW_PRIVATE_WEBHOOKS")
}

/// Whether `http://` origins (which [`shared::AllowedOrigin`] accepts only for loopback hosts)
/// may be a shop's sites: only when local development sets `ALLOW_LOCAL_ORIGINS=true`.
pub fn allow_local_origins(env: &Env) -> bool {
    switched_on(env, "ALLOW_LOCAL_ORIGINS")
}

/// Whether the variable (or secret) `name` is `true`.
fn switched_on(env: &Env, name: &str) -> bool {
    let text = env
        .var(name)
        .map(|v| v.to_string())
        .or_else(|_| env.secret(name).map(|s| s.to_string()));
    text.is_ok_and(|v| v == "true")
}

/// Checks that `origin` may be a shop's site on this deployment: https, or loopback `http://`
/// when local development allows it.
pub fn check_origin(env: &Env, origin: &shared::AllowedOrigin) -> Result<(), String> {
    if origin.as_str().starts_with("http://") && !allow_local_origins(env) {
        return Err(format!(
            "{origin}: local http origins are only for local development (ALLOW_LOCAL_ORIGINS)"
        ));
    }
    Ok(())
}

/// Checks every origin of a shop for this deployment, naming the first refused one's field.
pub fn check_origins(env: &Env, shop: &shared::Shop) -> ApiResult<()> {
    for (i, o) in shop.membership.allowed_origins.iter().enumerate() {
        check_origin(env, o).map_err(|e| {
            ApiError::field(
                ProblemKind::InvalidBody,
                format!("membership.allowed_origins[{i}]"),
                e,
            )
        })?;
    }
    Ok(())
}

/// Checks a shop's webhook URL for this deployment.
pub fn check_webhook(env: &Env, shop: &shared::Shop) -> ApiResult<()> {
    match &shop.webhook_url {
        Some(url) => shared::check_webhook_url(url, allow_private_webhooks(env))
            .map_err(|e| ApiError::field(ProblemKind::InvalidBody, "webhook_url", e)),
        None => Ok(()),
    }
}

/// The variable `name`, when set and not empty.
pub fn var(env: &Env, name: &str) -> Option<String> {
    env.var(name)
        .map(|v| v.to_string())
        .ok()
        .filter(|v| !v.trim().is_empty())
}

/// `PUBLIC_BASE_URL` without a trailing slash, when the deployment sets it.
pub fn public_base(env: &Env) -> Option<String> {
    var(env, "PUBLIC_BASE_URL").map(|v| v.trim_end_matches('/').to_owned())
}
