//! Awaiting a future through a poll function of its own.
//!
//! Each route's handler is an `async fn` awaited in exactly one place, so the optimiser (size
//! first: `opt-level = "z"`) inlines its state machine into the router's: the router's poll
//! function was one 172 KB function of wasm, and the shop object's 156 KB. A fresh isolate
//! compiles a wasm function when it is first called, so the first request of any route paid for
//! compiling every route's code. Awaited through [`outlined`], each handler keeps its own poll
//! function, compiled when its route is first used. (BENCHMARKS.md, "worker startup".)

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A boxed future whose poll is never inlined into its caller's.
struct Outlined<F>(Pin<Box<F>>);

impl<F: Future> Future for Outlined<F> {
    type Output = F::Output;

    #[inline(never)]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.0.as_mut().poll(cx)
    }
}

/// Awaits `fut` through a poll function of its own (one per future type), so the caller's
/// state machine holds a pointer instead of `fut`'s code.
pub async fn outlined<F: Future>(fut: F) -> F::Output {
    Outlined(Box::pin(fut)).await
}

#[cfg(test)]
mod tests {
    use super::outlined;
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    /// Pending on its first poll, ready with `n` on the second.
    struct Later(u8, bool);

    impl Future for Later {
        type Output = u8;
        fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u8> {
            if std::mem::replace(&mut self.1, true) {
                Poll::Ready(self.0)
            } else {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }

    #[test]
    fn an_outlined_future_is_pending_while_its_future_is_and_then_gives_its_output() {
        let mut cx = Context::from_waker(Waker::noop());
        let mut fut = pin!(outlined(Later(7, false)));
        assert_eq!(fut.as_mut().poll(&mut cx), Poll::Pending);
        assert_eq!(fut.as_mut().poll(&mut cx), Poll::Ready(7));
    }
}
