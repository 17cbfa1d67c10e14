//! Counts of the storage operations a request causes, reported in an `x-ops` response header
//! when test instrumentation is on (`FAULT_INJECTION=on`, local only): how the benchmarks and
//! tests measure KV reads, lists, writes and deletes and Durable Object calls per request type.
//!
//! The counts live in the isolate, like [`crate::fault`]'s switch: exact for one request at a
//! time (how they are measured), mixed when requests overlap. Locally a shop's object runs in the
//! worker's isolate, so what it does for the request is counted too.

use std::cell::Cell;

/// Operations counted since the last [`take`].
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Ops {
    /// KV `get`s that reached KV (not the Cache API).
    pub kv_read: u32,
    /// KV `list` pages.
    pub kv_list: u32,
    /// KV `put`s.
    pub kv_write: u32,
    /// KV `delete`s.
    pub kv_delete: u32,
    /// Calls to a Durable Object (a shop's object or the network object).
    pub do_call: u32,
}

impl std::fmt::Display for Ops {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "kv-read={} kv-list={} kv-write={} kv-delete={} do={}",
            self.kv_read, self.kv_list, self.kv_write, self.kv_delete, self.do_call
        )
    }
}

thread_local! {
    static OPS: Cell<Ops> = Cell::new(Ops::default());
}

fn bump(f: impl FnOnce(&mut Ops)) {
    OPS.with(|cell| {
        let mut ops = cell.get();
        f(&mut ops);
        cell.set(ops);
    });
}

/// One KV read.
pub fn kv_read() {
    bump(|o| o.kv_read += 1);
}

/// One KV list page.
pub fn kv_list() {
    bump(|o| o.kv_list += 1);
}

/// `n` KV writes.
pub fn kv_write(n: usize) {
    bump(|o| o.kv_write += u32::try_from(n).unwrap_or(u32::MAX));
}

/// One KV delete.
pub fn kv_delete() {
    bump(|o| o.kv_delete += 1);
}

/// One Durable Object call.
pub fn do_call() {
    bump(|o| o.do_call += 1);
}

/// The counts so far, starting again from zero.
pub fn take() -> Ops {
    OPS.with(|cell| cell.replace(Ops::default()))
}
