//! The edge where time comes from, behind one trait so tests move it by hand.
//!
//! The kiosk core, the hardware worker and the hub read time only through a [`Clock`]:
//!
//! - **wall time** ([`Clock::now`]), for records. A Pi has no battery clock, so this can jump when
//!   NTP first answers; the hub checks it at every push.
//! - **monotonic time** ([`Clock::monotonic_ms`]), for everything timed from inside the process —
//!   the kiosk's timeouts and scan debounce, the worker's door poll, lock window and sampling
//!   minute — so a wall-clock jump never opens a lock or raises an alarm.
//! - **the local date** ([`Clock::today`]): the calendar day where the machine stands, in the
//!   process's time zone (`TZ`, else the system's). Caps, lot dates and the hub's reporting day
//!   are counted in local days. Both clocks derive it the same way, from [`Clock::now`] in the
//!   local zone, so a [`ManualClock`] set to an instant shows the day a [`SystemClock`] would.
//! - **how to wait** ([`Clock::sleep_for`]): a real clock lets the hardware worker sleep until its
//!   next deadline; a manual clock makes it wait for a command, since its time only moves when a
//!   test says so.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Local, NaiveDate, Utc};

pub trait Clock: std::fmt::Debug + Send + Sync + 'static {
    /// Wall-clock time, for records.
    fn now(&self) -> DateTime<Utc>;
    /// Milliseconds from an arbitrary start; never goes back.
    fn monotonic_ms(&self) -> u64;
    /// Today's date in the local time zone (the day of [`Clock::now`] where the machine stands).
    fn today(&self) -> NaiveDate {
        local_date(self.now())
    }
    /// How long a worker may sleep before its next deadline (`until_next`): the same for a real
    /// clock; `None` ("until a command comes") for a clock that only moves when told.
    fn sleep_for(&self, until_next: Duration) -> Option<Duration> {
        Some(until_next)
    }
}

/// The local calendar date of an instant.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Local).date_naive()
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
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn monotonic_ms(&self) -> u64 {
        self.start.elapsed().as_millis() as u64
    }
}

/// A clock that moves only when told: for tests, screenshots and scripted demos.
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
    fn now(&self) -> DateTime<Utc> {
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
        assert_eq!(clock.now().timestamp_millis(), 1500);
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

    #[test]
    fn both_clocks_give_the_local_date_of_their_wall_time() {
        let late: DateTime<Utc> = "2026-06-30T23:30:00Z".parse().unwrap();
        let manual = ManualClock::new(late);
        assert_eq!(manual.today(), late.with_timezone(&Local).date_naive());
        let system = SystemClock::default();
        assert_eq!(system.today(), local_date(system.now()));
    }
}
