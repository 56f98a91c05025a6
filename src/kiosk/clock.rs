//! Time for the kiosk core, behind a trait so tests move it by hand.
//!
//! The core needs three readings: wall time for the records (a Pi has no battery clock, so the hub
//! checks it), a monotonic clock for timeouts and scan debounce, and the local date for caps.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Local, NaiveDate, Utc};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
    /// Milliseconds from an arbitrary start; never goes back.
    fn monotonic_ms(&self) -> u64;
    /// Today's date where the freezer is.
    fn today(&self) -> NaiveDate;
}

/// The real clocks.
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
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn monotonic_ms(&self) -> u64 {
        self.start.elapsed().as_millis() as u64
    }

    fn today(&self) -> NaiveDate {
        Local::now().date_naive()
    }
}

/// A clock that only moves when told to: for tests and screenshots.
pub struct ManualClock {
    state: Mutex<(DateTime<Utc>, u64)>,
}

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> ManualClock {
        ManualClock {
            state: Mutex::new((start, 0)),
        }
    }

    pub fn advance(&self, by: Duration) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.0 += chrono::Duration::from_std(by).unwrap_or_default();
        state.1 += by.as_millis() as u64;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).0
    }

    fn monotonic_ms(&self) -> u64 {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).1
    }

    fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}
