//! Test-only fault injection. When the `FAULT_INJECTION` variable is `on` (set only in the local
//! `.dev.vars`, never in `wrangler.toml`, so production configuration cannot turn it on), a
//! request header `x-fault-inject: kv` or `x-fault-inject: do` makes this request's KV or Durable
//! Object calls fail, as a real outage would, at the one place each is called (`store`,
//! `objects`);
//! `kv-slow` and `do-slow` make them hang instead, so the edge's own time limits
//! ([`within`]) answer 503 rather than leaving the client waiting.

use std::cell::Cell;
use worker::{Env, Request};

/// Which back end fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// No injected fault.
    None,
    /// Workers KV fails.
    Kv,
    /// The shop's Durable Object fails.
    DurableObject,
    /// Workers KV hangs.
    KvSlow,
    /// The shop's Durable Object hangs.
    DurableObjectSlow,
}

/// Whether test instrumentation is on: `FAULT_INJECTION=on` (local `.dev.vars` only).
pub fn instrumented(env: &Env) -> bool {
    let enabled = env
        .var("FAULT_INJECTION")
        .map(|v| v.to_string())
        .or_else(|_| env.secret("FAULT_INJECTION").map(|s| s.to_string()));
    matches!(enabled.as_deref(), Ok("on"))
}

thread_local! {
    static CURRENT: Cell<Fault> = const { Cell::new(Fault::None) };
}

/// Reads the header for this request and arms the fault for its duration, when test
/// instrumentation is on (`enabled`, from [`instrumented`]).
pub fn arm(req: &Request, enabled: bool) {
    let fault = match (
        enabled,
        crate::http::header(req.headers(), "x-fault-inject").as_deref(),
    ) {
        (true, Some("kv")) => Fault::Kv,
        (true, Some("do")) => Fault::DurableObject,
        (true, Some("kv-slow")) => Fault::KvSlow,
        (true, Some("do-slow")) => Fault::DurableObjectSlow,
        _ => Fault::None,
    };
    CURRENT.with(|c| c.set(fault));
}

/// Clears any armed fault: the shop's object runs without one (faults are injected into the
/// edge's calls; the object's own KV writes are held to the same limits and retried by its
/// alarm when they fail).
pub fn disarm() {
    CURRENT.with(|c| c.set(Fault::None));
}

/// The fault armed for the current request.
pub fn current() -> Fault {
    CURRENT.with(Cell::get)
}

/// How long a KV operation may take before the request gives up (503, retry).
pub const KV_LIMIT_MS: u64 = 3_000;
/// How long a Durable Object call may take (it may write to KV itself, e.g. on import).
pub const DO_LIMIT_MS: u64 = 10_000;

/// Runs `fut`, or answers [`crate::error::ApiError::Unavailable`] when it takes longer than
/// `ms` milliseconds. When `hang` is the armed fault, the call first hangs for a minute (the
/// injected timeout) so the limit is what answers.
pub async fn within<T>(
    ms: u64,
    what: &str,
    hang: Fault,
    fut: impl std::future::Future<Output = crate::error::ApiResult<T>>,
) -> crate::error::ApiResult<T> {
    use futures_util::future::{select, Either};
    let work = Box::pin(async move {
        if current() == hang && hang != Fault::None {
            worker::Delay::from(std::time::Duration::from_secs(60)).await;
        }
        fut.await
    });
    let limit = Box::pin(worker::Delay::from(std::time::Duration::from_millis(ms)));
    match select(work, limit).await {
        Either::Left((result, _)) => result,
        Either::Right(_) => Err(crate::error::ApiError::Unavailable(format!(
            "{what}: no answer within {ms} ms"
        ))),
    }
}

/// Test-only clock: with fault injection on, `x-test-now: <RFC 3339>` makes time-based sweeps
/// (retention) run as if it were then. Production configuration cannot turn it on.
pub fn test_now(req: &Request, env: &Env) -> Option<u64> {
    if !instrumented(env) {
        return None;
    }
    let at = crate::http::header(req.headers(), "x-test-now")?;
    shared::parse_rfc3339(&at)
}
