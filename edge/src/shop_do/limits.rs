//! Failed sign-in attempts, counted in the alliance's network object (one counter per keyed
//! hash of an address block, so the count is exact across the edge's locations, which KV
//! could not keep). Only failures count; a blocked address is refused before its credential
//! is even compared.

use super::ShopDo;
use crate::error::ApiResult;
use crate::http;
use serde::{Deserialize, Serialize};
use worker::Response;

/// Body of `POST /limits/attempt`.
#[derive(Serialize, Deserialize)]
pub struct AttemptReq {
    /// The counter (a purpose and a keyed hash, never an address).
    pub bucket: String,
    /// Failures allowed in one window.
    pub limit: u32,
    /// The window, milliseconds.
    pub window_ms: u64,
    /// Count one more failure (else only look).
    pub failed: bool,
}

/// Answer of `POST /limits/attempt`.
#[derive(Serialize, Deserialize)]
pub struct AttemptState {
    /// The limit is reached: refuse until the window ends.
    pub blocked: bool,
    /// Seconds until the window ends.
    pub retry_after_s: u64,
}

impl ShopDo {
    pub(super) fn attempt(&self, r: AttemptReq) -> ApiResult<Response> {
        let now = js_sys::Date::now() as i64;
        let window = r.window_ms as i64;
        // The same counters as the object's other rate limits (`hits`), only failures counted.
        let (start, mut n) = self.window(&r.bucket, window, now)?;
        if r.failed && n < i64::from(r.limit) {
            n += 1;
            self.set_window(&r.bucket, start, n)?;
        }
        let state = AttemptState {
            blocked: n >= i64::from(r.limit),
            retry_after_s: ((start + window - now).max(1000) / 1000) as u64,
        };
        let body = serde_json::to_string(&state)?;
        Ok(http::json(body, 200))
    }
}
