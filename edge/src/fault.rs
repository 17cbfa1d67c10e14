//! Test-only fault injection. When the `FAULT_INJECTION` variable is `on` (set only in the local
//! `.dev.vars`, never in `wrangler.toml`, so production configuration cannot turn it on), a
//! request header `x-fault-inject: kv` or `x-fault-inject: do` makes this request's KV or Durable
//! Object calls fail, as a real outage would, at the one place each is called (`store`).

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
}

thread_local! {
    static CURRENT: Cell<Fault> = const { Cell::new(Fault::None) };
}

/// Reads the switch and the header for this request and arms the fault for its duration.
pub fn arm(req: &Request, env: &Env) {
    let enabled = env
        .var("FAULT_INJECTION")
        .map(|v| v.to_string())
        .or_else(|_| env.secret("FAULT_INJECTION").map(|s| s.to_string()));
    let fault = match (
        enabled.as_deref(),
        req.headers()
            .get("x-fault-inject")
            .ok()
            .flatten()
            .as_deref(),
    ) {
        (Ok("on"), Some("kv")) => Fault::Kv,
        (Ok("on"), Some("do")) => Fault::DurableObject,
        _ => Fault::None,
    };
    CURRENT.with(|c| c.set(fault));
}

/// The fault armed for the current request.
pub fn current() -> Fault {
    CURRENT.with(Cell::get)
}
