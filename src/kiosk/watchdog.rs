//! Telling systemd the kiosk is alive, so a kiosk that hangs is restarted.
//!
//! The unit runs the kiosk as `Type=notify` with `WatchdogSec=`: systemd passes the socket in
//! `NOTIFY_SOCKET` and the watchdog timeout in `WATCHDOG_USEC`, and kills and restarts the kiosk
//! when no `WATCHDOG=1` arrives within that timeout. The kiosk sends:
//!
//! - `READY=1` once its first screen is drawn (the UI glue decides when: `ui::watchdog`);
//! - `WATCHDOG=1` every half timeout, from a timer on the UI thread — so a frozen event loop stops
//!   it — and only while the core thread answers: the core bumps a [`Heartbeat`] on every turn of
//!   its loop (at least every tick, a quarter of a second), and [`Liveness`] says the core has
//!   stopped answering when the count has not moved for a whole timeout. Then the pings stop and
//!   systemd restarts the kiosk within one more timeout. The UI thread only reads an atomic
//!   counter: it never waits for the core;
//! - `STATUS=` lines saying what the kiosk is doing, and `STOPPING=1` when its window closes.
//!
//! Without `NOTIFY_SOCKET` (the desktop demo, tests) nothing is built and nothing is sent.
//! [`Liveness`] takes the time as an argument, so its rules are tested without a clock.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sd_notify::NotifyState;

/// The count the core thread bumps on every turn of its loop; the UI thread reads it.
#[derive(Debug, Clone, Default)]
pub struct Heartbeat(Arc<AtomicU64>);

impl Heartbeat {
    /// The core is alive and turning.
    pub fn beat(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    pub fn count(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Whether the core still answers: its heartbeat count has moved within `budget`.
#[derive(Debug, Clone)]
pub struct Liveness {
    budget: Duration,
    last_count: u64,
    last_change: Instant,
}

impl Liveness {
    /// Starts counting at `now`, with the core's count at `count`.
    pub fn new(budget: Duration, count: u64, now: Instant) -> Liveness {
        Liveness {
            budget,
            last_count: count,
            last_change: now,
        }
    }

    /// Records the count seen at `now`; true while it moved less than `budget` ago.
    pub fn core_answers(&mut self, count: u64, now: Instant) -> bool {
        if count != self.last_count {
            self.last_count = count;
            self.last_change = now;
        }
        self.silent_for(now) < self.budget
    }

    /// How long the count has not moved, as of `now`.
    pub fn silent_for(&self, now: Instant) -> Duration {
        now.saturating_duration_since(self.last_change)
    }
}

/// What systemd asked for: the watchdog timeout, if any (`WATCHDOG_USEC`, for this process when
/// `WATCHDOG_PID` names one).
pub fn watchdog_timeout(usec: Option<&str>, pid: Option<&str>, own_pid: u32) -> Option<Duration> {
    let usec: u64 = usec?.trim().parse().ok()?;
    let for_us = pid.is_none_or(|pid| pid.trim().parse::<u32>().ok() == Some(own_pid));
    (for_us && usec > 0).then(|| Duration::from_micros(usec))
}

/// Where the notices go: the systemd socket in the kiosk, a list in tests.
pub trait Notify {
    fn notify(&self, states: &[NotifyState]);
}

/// Sends to `NOTIFY_SOCKET` (read at each send, as `sd_notify(3)` does).
#[derive(Debug, Default)]
pub struct SystemdSocket;

impl Notify for SystemdSocket {
    fn notify(&self, states: &[NotifyState]) {
        if let Err(error) = sd_notify::notify(states) {
            tracing::warn!(%error, "cannot notify systemd");
        }
    }
}

/// The kiosk's side of the systemd protocol, driven from the UI thread.
pub struct KioskWatchdog {
    out: Box<dyn Notify>,
    heartbeat: Heartbeat,
    timeout: Option<Duration>,
    liveness: Option<Liveness>,
    core_answered: bool,
}

impl KioskWatchdog {
    /// The watchdog systemd asked for in this process's environment, or `None` when the kiosk
    /// was not started by systemd as a notify service.
    pub fn from_env(heartbeat: Heartbeat) -> Option<KioskWatchdog> {
        std::env::var_os("NOTIFY_SOCKET")?;
        let usec = std::env::var("WATCHDOG_USEC").ok();
        let pid = std::env::var("WATCHDOG_PID").ok();
        let timeout = watchdog_timeout(usec.as_deref(), pid.as_deref(), std::process::id());
        Some(KioskWatchdog::new(
            Box::new(SystemdSocket),
            heartbeat,
            timeout,
        ))
    }

    /// Notices to `out`; pings every half `timeout` while the core answers (no pings without one).
    pub fn new(
        out: Box<dyn Notify>,
        heartbeat: Heartbeat,
        timeout: Option<Duration>,
    ) -> KioskWatchdog {
        KioskWatchdog {
            out,
            heartbeat,
            timeout,
            liveness: None,
            core_answered: true,
        }
    }

    /// How often [`KioskWatchdog::pulse`] should run: half the timeout, as `sd_watchdog_enabled(3)`
    /// advises; `None` when systemd set no watchdog.
    pub fn interval(&self) -> Option<Duration> {
        self.timeout.map(|timeout| timeout / 2)
    }

    /// The first screen is drawn at `now`: the kiosk is up.
    pub fn ready(&mut self, now: Instant) {
        if let Some(timeout) = self.timeout {
            self.liveness = Some(Liveness::new(timeout, self.heartbeat.count(), now));
        }
        self.out.notify(&[
            NotifyState::Ready,
            NotifyState::Status("Showing the kiosk's screens"),
        ]);
        self.pulse(now);
    }

    /// One ping at `now` if the core answered within the timeout; a status line when that
    /// changes. Returns whether it pinged.
    pub fn pulse(&mut self, now: Instant) -> bool {
        let Some(liveness) = self.liveness.as_mut() else {
            return false;
        };
        let answers = liveness.core_answers(self.heartbeat.count(), now);
        if answers {
            if self.core_answered {
                self.out.notify(&[NotifyState::Watchdog]);
            } else {
                self.out.notify(&[
                    NotifyState::Watchdog,
                    NotifyState::Status("Showing the kiosk's screens; the core answers again"),
                ]);
            }
        } else if self.core_answered {
            let silent = liveness.silent_for(now).as_secs();
            let status = format!(
                "The core thread has not answered for {silent} s: no more watchdog pings, \
                 systemd restarts the kiosk"
            );
            tracing::error!("{status}");
            self.out.notify(&[NotifyState::Status(&status)]);
        }
        self.core_answered = answers;
        answers
    }

    /// The window has closed: the kiosk is shutting down on purpose.
    pub fn stopping(&self) {
        self.out
            .notify(&[NotifyState::Stopping, NotifyState::Status("Shutting down")]);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[derive(Clone, Default)]
    struct Recorded(Arc<Mutex<Vec<String>>>);

    impl Notify for Recorded {
        fn notify(&self, states: &[NotifyState]) {
            let line = states.iter().map(|s| s.to_string()).collect::<Vec<_>>();
            self.0.lock().unwrap().push(line.join("\n"));
        }
    }

    impl Recorded {
        fn take(&self) -> Vec<String> {
            std::mem::take(&mut self.0.lock().unwrap())
        }
    }

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn the_core_answers_while_its_count_moves_within_the_budget() {
        let start = Instant::now();
        let mut liveness = Liveness::new(10 * SECOND, 0, start);
        assert!(liveness.core_answers(0, start + 9 * SECOND));
        assert!(!liveness.core_answers(0, start + 10 * SECOND));
        assert!(liveness.core_answers(1, start + 11 * SECOND), "it moved");
        assert!(liveness.core_answers(1, start + 20 * SECOND));
        assert!(!liveness.core_answers(1, start + 21 * SECOND));
        assert_eq!(liveness.silent_for(start + 25 * SECOND), 14 * SECOND);
    }

    #[test]
    fn a_clock_that_goes_back_is_no_silence() {
        let start = Instant::now() + 60 * SECOND;
        let mut liveness = Liveness::new(SECOND, 0, start);
        assert!(liveness.core_answers(0, start - 30 * SECOND));
    }

    #[test]
    fn the_timeout_is_systemds_for_this_process_only() {
        let timeout = |usec, pid| watchdog_timeout(usec, pid, 42);
        assert_eq!(timeout(Some("30000000"), None), Some(30 * SECOND));
        assert_eq!(timeout(Some("30000000"), Some("42")), Some(30 * SECOND));
        assert_eq!(
            timeout(Some("30000000"), Some("7")),
            None,
            "another process's"
        );
        assert_eq!(timeout(Some("0"), None), None);
        assert_eq!(timeout(Some("soon"), None), None);
        assert_eq!(timeout(None, Some("42")), None);
    }

    #[test]
    fn ready_then_pings_only_while_the_core_answers() {
        let out = Recorded::default();
        let heartbeat = Heartbeat::default();
        let mut watchdog =
            KioskWatchdog::new(Box::new(out.clone()), heartbeat.clone(), Some(4 * SECOND));
        assert_eq!(watchdog.interval(), Some(2 * SECOND));
        let start = Instant::now();
        assert!(!watchdog.pulse(start), "nothing before the first frame");
        assert!(out.take().is_empty());
        watchdog.ready(start);
        assert_eq!(
            out.take(),
            ["READY=1\nSTATUS=Showing the kiosk's screens", "WATCHDOG=1"]
        );
        heartbeat.beat();
        assert!(watchdog.pulse(start + 2 * SECOND));
        assert!(watchdog.pulse(start + 4 * SECOND), "moved 2 s ago");
        assert!(!watchdog.pulse(start + 6 * SECOND), "still for 4 s: hung");
        assert!(!watchdog.pulse(start + 8 * SECOND));
        let sent = out.take();
        assert_eq!(sent[..2], ["WATCHDOG=1", "WATCHDOG=1"]);
        assert_eq!(sent.len(), 3, "one status, then silence: {sent:?}");
        assert!(
            sent[2].starts_with("STATUS=The core thread has not answered for 4 s"),
            "{sent:?}"
        );
        heartbeat.beat();
        assert!(watchdog.pulse(start + 9 * SECOND));
        assert_eq!(
            out.take(),
            ["WATCHDOG=1\nSTATUS=Showing the kiosk's screens; the core answers again"]
        );
        watchdog.stopping();
        assert_eq!(out.take(), ["STOPPING=1\nSTATUS=Shutting down"]);
    }

    #[test]
    fn without_a_watchdog_it_only_says_ready_and_stopping() {
        let out = Recorded::default();
        let mut watchdog = KioskWatchdog::new(Box::new(out.clone()), Heartbeat::default(), None);
        assert_eq!(watchdog.interval(), None);
        let start = Instant::now();
        watchdog.ready(start);
        assert!(!watchdog.pulse(start + SECOND));
        assert_eq!(out.take(), ["READY=1\nSTATUS=Showing the kiosk's screens"]);
    }
}
