//! Credentials: the alliance admin's bearer token.

use crate::error::{ApiError, ApiResult};
use sha2::{Digest, Sha256};
use shared::{Problem, ProblemKind};
use subtle::ConstantTimeEq;
use worker::{Env, Request};

/// The actor recorded in the audit log for the admin credential.
pub const ADMIN: &str = "alliance-admin";

/// Shortest `ADMIN_TOKEN` the edge accepts: with a shorter one the admin API and the consoles
/// stay off, saying why.
pub const MIN_ADMIN_TOKEN: usize = 32;

/// Failed sign-ins (console keys, admin bearer tokens) allowed per address block in
/// [`SIGN_IN_WINDOW_MS`]; the next attempt is 429 until the window ends.
pub const SIGN_IN_FAILURES: u32 = 10;

/// The window of [`SIGN_IN_FAILURES`]: 15 minutes.
pub const SIGN_IN_WINDOW_MS: u64 = 15 * 60_000;

/// The `ADMIN_TOKEN` secret, refused when shorter than [`MIN_ADMIN_TOKEN`] (a 503 that says so:
/// the deployment, not the client, must change). `None` when it is not set at all.
pub fn admin_secret(env: &Env) -> ApiResult<Option<String>> {
    let Ok(token) = env.secret("ADMIN_TOKEN").map(|s| s.to_string()) else {
        return Ok(None);
    };
    if token.chars().count() < MIN_ADMIN_TOKEN {
        return Err(ApiError::Client(Problem::new(
            ProblemKind::Unavailable,
            format!(
                "ADMIN_TOKEN is shorter than {MIN_ADMIN_TOKEN} characters, so the admin API and \
                 the consoles are off; set a longer one (wrangler secret put ADMIN_TOKEN)"
            ),
        )));
    }
    Ok(Some(token))
}

/// A limit on failed attempts of one kind per address block, counted in the network object.
pub struct Misses {
    /// The counter's purpose, part of its key.
    pub purpose: &'static str,
    /// Failures allowed in the window.
    pub limit: u32,
    /// The window, milliseconds.
    pub window_ms: u64,
    /// What a refused client is told (the minutes to wait are added).
    pub detail: &'static str,
}

/// Failed sign-ins: console keys and admin bearer tokens.
pub const SIGN_IN: Misses = Misses {
    purpose: "sign-in",
    limit: SIGN_IN_FAILURES,
    window_ms: SIGN_IN_WINDOW_MS,
    detail: "too many failed sign-ins from this network",
};

/// Review codes no invite has (guessing them at a shop's "review your last visit"): 30 an hour.
pub const REVIEW_CODE_MISSES: Misses = Misses {
    purpose: "review-code",
    limit: 30,
    window_ms: 3_600_000,
    detail: "too many review codes that match no visit from this network",
};

/// Warranty lookups of references no member has (guessing them): 30 an hour.
pub const WARRANTY_MISSES: Misses = Misses {
    purpose: "warranty",
    limit: 30,
    window_ms: 3_600_000,
    detail: "too many lookups of unknown references from this network",
};

/// The counter of the request's address block for `m` (a keyed hash). `None` for a request
/// without `CF-Connecting-IP`, which has no address to count against; Cloudflare sets it on
/// every request, and so does `wrangler dev` (to the loopback address) locally.
fn miss_bucket(req: &Request, env: &Env, m: &Misses) -> ApiResult<Option<String>> {
    let Some(ip) = req.headers().get("cf-connecting-ip").ok().flatten() else {
        return Ok(None);
    };
    let block = shared::address_block(&ip);
    Ok(Some(format!("{}:{}", m.purpose, rate_key(env, &block)?)))
}

async fn miss_attempt(
    env: &Env,
    m: &Misses,
    bucket: &Option<String>,
    failed: bool,
) -> ApiResult<()> {
    let Some(bucket) = bucket else {
        return Ok(());
    };
    let state: crate::shop_do::AttemptState = crate::store::ShopObject::network(env)?
        .call_json(
            worker::Method::Post,
            "/limits/attempt",
            &crate::shop_do::AttemptReq {
                bucket: bucket.to_owned(),
                limit: m.limit,
                window_ms: m.window_ms,
                failed,
            },
        )
        .await?;
    if state.blocked && !failed {
        return Err(ApiError::Limited(
            Problem::new(
                ProblemKind::TooManyRequests,
                format!(
                    "{}; try again in {} minutes",
                    m.detail,
                    state.retry_after_s.div_ceil(60)
                ),
            ),
            state.retry_after_s,
        ));
    }
    Ok(())
}

/// Refuses (429 with `Retry-After`) a request from an address block that has failed `m.limit`
/// times in the window, before anything is looked up. Returns the counter for [`missed`].
pub async fn miss_guard(req: &Request, env: &Env, m: &Misses) -> ApiResult<Option<String>> {
    let bucket = miss_bucket(req, env, m)?;
    miss_attempt(env, m, &bucket, false).await?;
    Ok(bucket)
}

/// Counts one failure against the address block's counter for `m`.
pub async fn missed(env: &Env, m: &Misses, bucket: &Option<String>) -> ApiResult<()> {
    miss_attempt(env, m, bucket, true).await
}

/// Refuses a sign-in from an address block that has failed [`SIGN_IN_FAILURES`] times in the
/// window, before any credential is compared ([`miss_guard`] for [`SIGN_IN`]).
pub async fn sign_in_guard(req: &Request, env: &Env) -> ApiResult<Option<String>> {
    miss_guard(req, env, &SIGN_IN).await
}

/// Counts one failed sign-in against the address block's counter.
pub async fn sign_in_failed(env: &Env, bucket: &Option<String>) -> ApiResult<()> {
    missed(env, &SIGN_IN, bucket).await
}

/// What an admin console session records of the token it was opened with: an HMAC under a key
/// derived from `LINK_SECRET`, so the cookie reveals nothing that helps guess the token.
pub fn admin_fingerprint(link_secret: &[u8], token: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<Sha256>::new_from_slice(link_secret).expect("any key length");
    mac.update(b"admin-session:");
    mac.update(token.as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..8])
}

/// Checks `Authorization: Bearer <ADMIN_TOKEN>` against the `ADMIN_TOKEN` secret, in constant
/// time. A missing header is 401; a malformed or wrong one is 403, and counts as a failed
/// sign-in: past [`SIGN_IN_FAILURES`] in 15 minutes the address block gets 429.
pub async fn require_admin(req: &Request, env: &Env) -> ApiResult<&'static str> {
    let expected = admin_secret(env)?
        .ok_or_else(|| ApiError::Internal("ADMIN_TOKEN secret is not configured".into()))?;
    let Some(header) = req.headers().get("authorization").ok().flatten() else {
        return Err(ApiError::Client(
            Problem::new(
                ProblemKind::Unauthorized,
                "an admin bearer token is required",
            )
            .with_field("authorization"),
        ));
    };
    let forbidden = |detail: &str| {
        ApiError::Client(Problem::new(ProblemKind::Forbidden, detail).with_field("authorization"))
    };
    let bucket = sign_in_guard(req, env).await?;
    let Some(token) = header.strip_prefix("Bearer ") else {
        sign_in_failed(env, &bucket).await?;
        return Err(forbidden("authorization must be \"Bearer <token>\""));
    };
    let a = Sha256::digest(token.trim().as_bytes());
    let b = Sha256::digest(expected.as_bytes());
    if bool::from(a.ct_eq(&b)) && !expected.is_empty() {
        Ok(ADMIN)
    } else {
        sign_in_failed(env, &bucket).await?;
        Err(forbidden("the admin token is not valid"))
    }
}

/// Hex SHA-256 of a shop access key: only this is stored.
pub fn key_hash(key: &str) -> String {
    Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks `Authorization: Bearer <shop access key>` and returns the shop it belongs to.
/// A missing header is 401; a malformed or unknown key is 403.
pub async fn require_shop(req: &Request, store: &crate::store::Store) -> ApiResult<shared::ShopId> {
    let Some(header) = req.headers().get("authorization").ok().flatten() else {
        return Err(ApiError::Client(
            Problem::new(ProblemKind::Unauthorized, "a shop access key is required")
                .with_field("authorization"),
        ));
    };
    let forbidden = || {
        ApiError::Client(
            Problem::new(ProblemKind::Forbidden, "the shop access key is not valid")
                .with_field("authorization"),
        )
    };
    let key = header
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or_else(forbidden)?;
    // The lookup is by hash, so the key itself is never compared byte by byte.
    store
        .shop_of_key(&key_hash(key))
        .await?
        .ok_or_else(forbidden)
}

/// A new random shop access key (`sk_` and 32 random bytes in hex).
pub fn new_shop_key() -> ApiResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| ApiError::Internal(format!("random: {e}")))?;
    Ok(format!(
        "sk_{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    ))
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

/// The secret `LINK_SECRET` had before its last rotation (`LINK_SECRET_PREVIOUS`), if set: links,
/// sessions and calendar keys made with it keep working until it is removed.
pub fn previous_link_secret(env: &Env) -> Option<Vec<u8>> {
    env.secret("LINK_SECRET_PREVIOUS")
        .map(|s| s.to_string())
        .ok()
        .filter(|s| s.len() >= 16)
        .map(String::into_bytes)
}

/// Checks a signed token with `LINK_SECRET`, and when its signature does not match, with the
/// previous secret during a rotation's grace period. Returns the result and the secret that
/// verified it.
pub fn verify_rotating<T>(
    env: &Env,
    check: impl Fn(&[u8]) -> Result<T, shared::TokenError>,
) -> ApiResult<(Result<T, shared::TokenError>, Vec<u8>)> {
    let current = link_secret(env)?;
    let first = check(&current);
    if matches!(first, Err(shared::TokenError::BadSignature)) {
        if let Some(previous) = previous_link_secret(env) {
            let second = check(&previous);
            if second.is_ok() {
                return Ok((second, previous));
            }
        }
    }
    Ok((first, current))
}

/// A per-shop secret derived from `LINK_SECRET` for `purpose` (`webhook`, `feed`) and the shop's
/// secrets generation: nothing to store; rotating `LINK_SECRET` rotates them all, and bumping the
/// shop's generation (its console's "rotate", a revoked membership) rotates the shop's.
pub fn derived_secret(env: &Env, purpose: &str, shop: &shared::Shop) -> ApiResult<String> {
    Ok(derive(
        &link_secret(env)?,
        purpose,
        &shop.id,
        shop.membership.secrets_generation,
    ))
}

/// Whether `key` is the shop's current derived secret for `purpose`, under `LINK_SECRET` or,
/// during a rotation, the previous one (constant time).
pub fn derived_matches(
    env: &Env,
    purpose: &str,
    shop: &shared::Shop,
    key: &str,
) -> ApiResult<bool> {
    let generation = shop.membership.secrets_generation;
    let current = same(
        key,
        &derive(&link_secret(env)?, purpose, &shop.id, generation),
    );
    let previous = previous_link_secret(env)
        .is_some_and(|p| same(key, &derive(&p, purpose, &shop.id, generation)));
    Ok(current | previous)
}

/// Whether `key` was the shop's derived secret for `purpose` in an earlier generation.
pub fn derived_was(env: &Env, purpose: &str, shop: &shared::Shop, key: &str) -> ApiResult<bool> {
    let secret = link_secret(env)?;
    Ok((0..shop.membership.secrets_generation)
        .any(|g| same(key, &derive(&secret, purpose, &shop.id, g))))
}

fn derive(secret: &[u8], purpose: &str, shop: &shared::ShopId, generation: u32) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("any key length");
    // Generation 0 keeps the first release's input, so its secrets stay valid.
    if generation == 0 {
        mac.update(format!("{purpose}:{shop}").as_bytes());
    } else {
        mac.update(format!("{purpose}:{shop}:{generation}").as_bytes());
    }
    mac.finalize().into_bytes()[..20]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The shop's webhook signing key under `link` (24 bytes, derived like the other per-shop
/// secrets, with its own purpose and the shop's generation).
fn webhook_key(link: &[u8], shop: &shared::Shop) -> Vec<u8> {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<Sha256>::new_from_slice(link).expect("any key length");
    mac.update(
        format!(
            "standard-webhooks:{}:{}",
            shop.id, shop.membership.secrets_generation
        )
        .as_bytes(),
    );
    mac.finalize().into_bytes()[..24].to_vec()
}

/// The shop's webhook signing secret as Standard Webhooks writes it: `whsec_` and the key in
/// base64. Shown in the console and `GET /v1/shop/setup`.
pub fn webhook_secret(env: &Env, shop: &shared::Shop) -> ApiResult<String> {
    use base64::Engine;
    Ok(format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(webhook_key(&link_secret(env)?, shop))
    ))
}

/// The keys deliveries are signed with: the current one and, during a `LINK_SECRET` rotation,
/// the one receivers still hold.
pub fn webhook_keys(env: &Env, shop: &shared::Shop) -> ApiResult<Vec<Vec<u8>>> {
    let mut keys = vec![webhook_key(&link_secret(env)?, shop)];
    if let Some(previous) = previous_link_secret(env) {
        keys.push(webhook_key(&previous, shop));
    }
    Ok(keys)
}

/// The `webhook-signature` header of a delivery (Standard Webhooks): `v1,<base64 HMAC-SHA256
/// of "{id}.{timestamp}.{body}">` for each key, space-separated.
pub fn webhook_signature(keys: &[Vec<u8>], id: &str, timestamp: u64, body: &str) -> String {
    use base64::Engine;
    use hmac::{Hmac, Mac};
    keys.iter()
        .map(|key| {
            let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
            mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
            format!(
                "v1,{}",
                base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Compares two strings in constant time (for keys given in URLs).
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    bool::from(a.ct_eq(&b))
}

/// Whether webhook URLs may point at loopback and private addresses: only when local
/// development sets `ALLOW_PRIVATE_WEBHOOKS=true` (in `.dev.vars`, never in production).
pub fn allow_private_webhooks(env: &Env) -> bool {
    let text = env
        .var("ALLOW_PRIVATE_WEBHOOKS")
        .map(|v| v.to_string())
        .or_else(|_| env.secret("ALLOW_PRIVATE_WEBHOOKS").map(|s| s.to_string()));
    text.is_ok_and(|v| v == "true")
}

/// Whether `http://` origins (which [`shared::AllowedOrigin`] accepts only for loopback hosts)
/// may be a shop's sites: only when local development sets `ALLOW_LOCAL_ORIGINS=true`.
pub fn allow_local_origins(env: &Env) -> bool {
    let text = env
        .var("ALLOW_LOCAL_ORIGINS")
        .map(|v| v.to_string())
        .or_else(|_| env.secret("ALLOW_LOCAL_ORIGINS").map(|s| s.to_string()));
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

/// The keyed hash counting a customer's visits across the alliance: HMAC-SHA256 of the
/// normalised (E.164) phone number under a key derived from `LINK_SECRET`. Only this is stored
/// with the count, never the number; without the secret it cannot be reversed by trying numbers.
pub fn visitor_key(env: &Env, phone_e164: &str) -> ApiResult<String> {
    Ok(hex::encode(keyed_hash(
        env,
        b"alliance-visits",
        phone_e164,
    )?))
}

/// HMAC-SHA256 of `value` under a key derived from `LINK_SECRET` for `purpose`.
fn keyed_hash(env: &Env, purpose: &[u8], value: &str) -> ApiResult<[u8; 32]> {
    use hmac::{Hmac, Mac};
    let mut key = Hmac::<Sha256>::new_from_slice(&link_secret(env)?).expect("any key length");
    key.update(purpose);
    let key = key.finalize().into_bytes();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("any key length");
    mac.update(value.as_bytes());
    Ok(mac.finalize().into_bytes().into())
}

/// The key a rate limit counts `value` under (a client's address block, a phone number): a
/// keyed hash, so the counters the objects keep hold no address or number.
pub fn rate_key(env: &Env, value: &str) -> ApiResult<String> {
    Ok(hex::encode(
        &keyed_hash(env, b"alliance-rate-limits", value)?[..16],
    ))
}
