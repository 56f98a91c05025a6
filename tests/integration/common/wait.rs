//! Waiting for a condition instead of for a time, so the suite passes on a busy machine.
//!
//! A test that needs something to have happened (a sync acknowledged, a checkpoint run, a page
//! loaded) polls for it with [`wait_until`] (or [`wait_until_async`] in async code). The ceiling is
//! only a failure bound: it costs nothing when things go well, so it is set for two cores shared
//! with another build, never for an idle machine. Nothing in the suite sleeps a fixed time and
//! then asserts.

use std::time::{Duration, Instant};

/// The ceiling for one step a test waits for (a page, a configuration pulled, a small sync):
/// seconds on an idle machine, a minute is far beyond any load the suite should meet.
pub const STEP_CEILING: Duration = Duration::from_secs(60);

/// How often a condition is checked: short enough not to slow a test down, long enough not to
/// load the machine further.
const POLL: Duration = Duration::from_millis(25);

/// Checks `done` until it holds (`true`) or `ceiling` has passed (`false`). The last check comes
/// after the last pause, so a condition met while the machine stalled is never a failure.
#[cfg_attr(not(feature = "hub"), allow(dead_code))] // used by the hub's tests
#[must_use = "assert on the result: false means the ceiling passed"]
pub fn wait_until(ceiling: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + ceiling;
    loop {
        if done() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(POLL);
    }
}

/// [`wait_until`] for async code: awaits `done` until it holds or `ceiling` has passed, without
/// blocking the runtime in between.
#[cfg_attr(not(feature = "hub"), allow(dead_code))] // used by the hub's tests
#[must_use = "assert on the result: false means the ceiling passed"]
pub async fn wait_until_async(ceiling: Duration, mut done: impl AsyncFnMut() -> bool) -> bool {
    let deadline = Instant::now() + ceiling;
    loop {
        if done().await {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(POLL).await;
    }
}
