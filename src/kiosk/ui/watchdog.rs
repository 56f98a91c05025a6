//! The systemd watchdog on the UI thread: `READY=1` after the first frame, then a Slint timer that
//! pings while the core answers ([`KioskWatchdog`] decides; this only schedules it).
//!
//! Slint's software renderer has no rendering notifier, so "after the first frame" is the event
//! loop's second turn: the window is shown and the first view applied before the loop starts, the
//! Pi's KMS backend draws after each turn's timers and callbacks and before it waits, and timers
//! started from a timer fire on the next turn, not the one running. A zero timer that starts
//! another zero timer therefore fires after the first frame was drawn. Because the pings come from
//! this thread's own timer, an event loop that freezes stops them too.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use slint::{Timer, TimerMode};

use crate::kiosk::watchdog::KioskWatchdog;

/// Keeps the pings going while it lives; [`SystemdPulse::stopping`] says goodbye.
pub struct SystemdPulse {
    watchdog: Rc<RefCell<KioskWatchdog>>,
    timer: Rc<Timer>,
}

impl SystemdPulse {
    /// Tells systemd the kiosk is shutting down on purpose, and stops the pings.
    pub fn stopping(self) {
        self.timer.stop();
        self.watchdog.borrow().stopping();
    }
}

/// Sends `READY=1` once the event loop has drawn its first frame, then pings every
/// [`KioskWatchdog::interval`]. Call on the UI thread before the event loop runs.
pub fn start(watchdog: KioskWatchdog) -> SystemdPulse {
    let watchdog = Rc::new(RefCell::new(watchdog));
    let timer = Rc::new(Timer::default());
    let (ready, pulse) = (watchdog.clone(), timer.clone());
    Timer::single_shot(Duration::ZERO, move || {
        Timer::single_shot(Duration::ZERO, move || {
            ready.borrow_mut().ready(Instant::now());
            let interval = ready.borrow().interval();
            if let Some(interval) = interval {
                pulse.start(TimerMode::Repeated, interval, move || {
                    ready.borrow_mut().pulse(Instant::now());
                });
            }
        });
    });
    SystemdPulse { watchdog, timer }
}
