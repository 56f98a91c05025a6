//! Time for the hardware worker, behind a trait so tests run hours of freezer time in
//! milliseconds.
//!
//! The worker needs two readings: wall time, to stamp temperature samples and alarms (a Pi has no
//! battery clock, so this can jump when NTP first answers), and a monotonic clock for everything
//! it times itself — the door poll, the sampling minute, the lock window, the door limit — so such
//! a jump never opens a lock or raises a door alarm. It also asks the clock how to wait: a real
//! clock lets the worker sleep until its next deadline, a manual clock makes it wait for a
//! command, since its time only moves when a test says so.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

pub trait Clock: Send + Sync + 'static {
    /// Wall-clock time, for records.
    fn wall(&self) -> DateTime<Utc>;
    /// Milliseconds from an arbitrary start; never goes back.
    fn monotonic_ms(&self) -> u64;
    /// How long the worker may sleep before its next deadline (`until_next`): the same for a real
    /// clock; `None` ("until a command comes") for a clock that only moves when told.
    fn sleep_for(&self, until_next: Duration) -> Option<Duration> {
        Some(until_next)
    }
}

/// The real clocks.
#[derive(Debug)]
pub struct SystemClock {
    start: Instant,
}

impl Default for SystemClock {
    fn default() -> Self {
        SystemClock {
            start: Instant::now(),
        }
    }
}

impl Clock for SystemClock {
    fn wall(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn monotonic_ms(&self) -> u64 {
        self.start.elapsed().as_millis() as u64
    }
}

/// A clock that moves only when told: for tests and scripted demos.
#[derive(Debug)]
pub struct ManualClock {
    state: Mutex<(DateTime<Utc>, u64)>,
}

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> ManualClock {
        ManualClock {
            state: Mutex::new((start, 0)),
        }
    }

    /// Moves both clocks forward.
    pub fn advance(&self, by: Duration) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.0 += chrono::Duration::from_std(by).unwrap_or_default();
        state.1 += by.as_millis() as u64;
    }

    /// Moves only the wall clock (NTP correcting a Pi that booted with a stale date).
    pub fn set_wall(&self, to: DateTime<Utc>) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).0 = to;
    }
}

impl Clock for ManualClock {
    fn wall(&self) -> DateTime<Utc> {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).0
    }

    fn monotonic_ms(&self) -> u64 {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).1
    }

    fn sleep_for(&self, _: Duration) -> Option<Duration> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manual_clock_moves_only_when_told() {
        let clock = ManualClock::new(DateTime::UNIX_EPOCH);
        assert_eq!(clock.monotonic_ms(), 0);
        clock.advance(Duration::from_millis(1500));
        assert_eq!(clock.monotonic_ms(), 1500);
        assert_eq!(clock.wall().timestamp_millis(), 1500);
        clock.set_wall(DateTime::UNIX_EPOCH + chrono::Duration::days(1));
        assert_eq!(
            clock.monotonic_ms(),
            1500,
            "a wall-clock jump leaves monotonic time alone"
        );
        assert_eq!(clock.sleep_for(Duration::from_secs(1)), None);
        assert_eq!(
            SystemClock::default().sleep_for(Duration::from_secs(1)),
            Some(Duration::from_secs(1))
        );
    }
}
