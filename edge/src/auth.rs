//! Authentication: the alliance admin's bearer token, shop access keys, and the limits on
//! failed attempts (sign-ins, warranty references, review codes) counted per address block.

use crate::app::App;
use crate::error::{ApiError, ApiResult};
use crate::secrets::key_hash;
use sha2::{Digest, Sha256};
use shared::{Problem, ProblemKind};
use subtle::ConstantTimeEq;
use worker::Request;

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
pub fn admin_secret(app: &App) -> ApiResult<Option<String>> {
    let Ok(token) = app.env().secret("ADMIN_TOKEN").map(|s| s.to_string()) else {
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
fn miss_bucket(req: &Request, app: &App, m: &Misses) -> ApiResult<Option<String>> {
    let Some(ip) = crate::http::header(req.headers(), "cf-connecting-ip") else {
        return Ok(None);
    };
    let block = shared::address_block(&ip);
    Ok(Some(format!(
        "{}:{}",
        m.purpose,
        app.secrets()?.rate_key(&block)
    )))
}

async fn miss_attempt(
    app: &App,
    m: &Misses,
    bucket: &Option<String>,
    failed: bool,
) -> ApiResult<()> {
    let Some(bucket) = bucket else {
        return Ok(());
    };
    let state: crate::shop_do::AttemptState = app
        .network()?
        .send(&crate::shop_do::AttemptReq {
            bucket: bucket.to_owned(),
            limit: m.limit,
            window_ms: m.window_ms,
            failed,
        })
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
pub async fn miss_guard(req: &Request, app: &App, m: &Misses) -> ApiResult<Option<String>> {
    let bucket = miss_bucket(req, app, m)?;
    miss_attempt(app, m, &bucket, false).await?;
    Ok(bucket)
}

/// Counts one failure against the address block's counter for `m`.
pub async fn missed(app: &App, m: &Misses, bucket: &Option<String>) -> ApiResult<()> {
    miss_attempt(app, m, bucket, true).await
}

/// Refuses a sign-in from an address block that has failed [`SIGN_IN_FAILURES`] times in the
/// window, before any credential is compared ([`miss_guard`] for [`SIGN_IN`]).
pub async fn sign_in_guard(req: &Request, app: &App) -> ApiResult<Option<String>> {
    miss_guard(req, app, &SIGN_IN).await
}

/// Counts one failed sign-in against the address block's counter.
pub async fn sign_in_failed(app: &App, bucket: &Option<String>) -> ApiResult<()> {
    missed(app, &SIGN_IN, bucket).await
}

/// Checks `Authorization: Bearer <ADMIN_TOKEN>` against the `ADMIN_TOKEN` secret, in constant
/// time. A missing header is 401; a malformed or wrong one is 403, and counts as a failed
/// sign-in: past [`SIGN_IN_FAILURES`] in 15 minutes the address block gets 429.
pub async fn require_admin(req: &Request, app: &App) -> ApiResult<&'static str> {
    let expected = admin_secret(app)?
        .ok_or_else(|| ApiError::Internal("ADMIN_TOKEN secret is not configured".into()))?;
    let Some(header) = crate::http::header(req.headers(), "authorization") else {
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
    let bucket = sign_in_guard(req, app).await?;
    let Some(token) = header.strip_prefix("Bearer ") else {
        sign_in_failed(app, &bucket).await?;
        return Err(forbidden("authorization must be \"Bearer <token>\""));
    };
    let a = Sha256::digest(token.trim().as_bytes());
    let b = Sha256::digest(expected.as_bytes());
    if bool::from(a.ct_eq(&b)) && !expected.is_empty() {
        Ok(ADMIN)
    } else {
        sign_in_failed(app, &bucket).await?;
        Err(forbidden("the admin token is not valid"))
    }
}

/// Checks `Authorization: Bearer <shop access key>` and returns the shop it belongs to.
/// A missing header is 401; a malformed or unknown key is 403.
pub async fn require_shop(req: &Request, store: &crate::store::Store) -> ApiResult<shared::ShopId> {
    let Some(header) = crate::http::header(req.headers(), "authorization") else {
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
