//! The hardware worker: one thread that owns the freezer's devices and its own connection to the
//! kiosk database, and the [`HardwareHandle`] the kiosk holds.
//!
//! Every 100 ms it reads the door switch (debounced) and feeds the door monitor and the lock's
//! state machine; every minute it reads the probe, stores the sample, prunes old samples once a
//! day, and feeds the cold-chain monitor, which it rebuilds from the stored samples at start-up so
//! an excursion survives a power cut. Alarms are recorded in the event log (they reach the hub with
//! the next push) and announced to the kiosk through the callback given at spawn, on the worker's
//! thread. The kiosk never waits on it: commands go through a channel, sounds play on the buzzer's
//! own thread, and [`HardwareHandle::latest`] is a snapshot behind a mutex.
//!
//! Its connection keeps SQLite's usual WAL autocheckpoint (unlike the sale connection, which
//! defers its own): a sample a minute is a small write, and this keeps the WAL small.

mod cold;
mod door;
mod run;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::SystemClock;
use super::{BuzzPattern, Buzzer, Clock, Hardware, HardwareError, LedState, RelockReason};
use crate::domain::Seq;
use crate::store::{ColdChainHold, KioskStore};

pub(crate) use run::Worker;

/// Where the worker's news goes; called on the worker's thread, so it should only pass the event
/// on (to the kiosk core's input channel, say).
pub type EventSink = Box<dyn Fn(HardwareEvent) + Send>;

/// What the kiosk hears from its hardware.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HardwareEvent {
    DoorOpened,
    DoorClosed,
    /// The lock opened for this committed sale.
    Unlocked {
        sale: Seq,
    },
    Relocked {
        reason: RelockReason,
    },
    /// `unlock_for_sale` was called with something that is not a new committed sale.
    UnlockRefused {
        sale: Seq,
        reason: String,
    },
    /// The minute's reading (already stored).
    Temperature {
        at: DateTime<Utc>,
        millicelsius: i32,
    },
    ProbeLost,
    ProbeBack,
    /// Too warm for too long: the alarm names the lots in the freezer.
    ExcursionStarted {
        peak_millicelsius: Option<i32>,
        lots: Vec<String>,
    },
    ExcursionEnded {
        peak_millicelsius: Option<i32>,
    },
    /// A cold-chain hold was put or lifted; `stop_sales` is whether the kiosk must be out of order
    /// for it (the collective's `stop_sales_on_excursion`).
    ColdChainHold {
        held: bool,
        stop_sales: bool,
    },
    /// The door has been open longer than the limit (the buzzer sounds until it closes).
    DoorAlarm,
    DoorAlarmCleared,
    /// A device or the database failed; the worker goes on and retries.
    Fault {
        message: String,
    },
}

/// A snapshot of the hardware, for the kiosk's screens (staff mode) and health report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HardwareStatus {
    pub locked: bool,
    pub door_open: bool,
    /// The last good reading.
    pub temperature: Option<(DateTime<Utc>, i32)>,
    pub probe_lost: bool,
    pub excursion: bool,
    pub door_alarm: bool,
    /// A cold-chain excursion awaiting a staff check.
    pub hold: Option<ColdChainHold>,
    /// The kiosk must show "out of order" until staff clear the hold.
    pub stop_sales: bool,
    pub last_fault: Option<String>,
}

impl Default for HardwareStatus {
    fn default() -> Self {
        HardwareStatus {
            locked: true,
            door_open: false,
            temperature: None,
            probe_lost: false,
            excursion: false,
            door_alarm: false,
            hold: None,
            stop_sales: false,
            last_fault: None,
        }
    }
}

/// The worker's timing. The sampling period is fixed at a minute, as the cold-chain rules assume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkerOptions {
    /// How long the lock stays open after a sale when the door is not opened.
    pub unlock_window: Duration,
    /// How often the door switch is read.
    pub door_poll: Duration,
    /// How long a new door level must hold before it counts.
    pub debounce: Duration,
    /// How often the alarm sounds again while the door stays open too long.
    pub alarm_repeat: Duration,
    /// How often samples older than 90 days are deleted.
    pub prune_every: Duration,
    /// How much stored history rebuilds the cold-chain monitor at start-up (at least twice the
    /// excursion duration is used).
    pub restore_window: Duration,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        WorkerOptions {
            unlock_window: Duration::from_secs(60),
            door_poll: Duration::from_millis(100),
            debounce: Duration::from_millis(150),
            alarm_repeat: Duration::from_secs(15),
            prune_every: Duration::from_secs(24 * 3600),
            restore_window: Duration::from_secs(6 * 3600),
        }
    }
}

/// Temperature samples are taken every minute.
pub(crate) const SAMPLE_EVERY: Duration = Duration::from_secs(60);

/// How long a caller waits for the worker's answer before giving up.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(10);

/// How long [`HardwareHandle::poll_now`] waits for the worker to act. Only a manual clock (tests,
/// simulations) polls by hand, and then the caller needs the poll done, however slow a busy disk
/// makes its writes: the bound only turns a stuck worker into an error.
const POLL_TIMEOUT: Duration = Duration::from_secs(120);

pub(crate) enum Command {
    UnlockForSale(Seq),
    UnlockForNewSale,
    SetLed(LedState),
    ClearHold(Sender<Result<bool, HardwareError>>),
    Poll(Sender<()>),
    Shutdown,
}

/// The kiosk's handle on its hardware worker. Dropping it stops the worker (the lock is locked,
/// the LED turned off) and waits for its thread.
pub struct HardwareHandle {
    commands: Sender<Command>,
    buzzer: Arc<dyn Buzzer>,
    status: Arc<Mutex<HardwareStatus>>,
    thread: Option<JoinHandle<()>>,
}

impl HardwareHandle {
    /// Starts the worker for the kiosk database at `db` with the real clocks. The database is
    /// opened and the cold-chain monitor restored before this returns, so a failure is reported
    /// here.
    pub fn spawn(
        db: &Path,
        hardware: Hardware,
        options: WorkerOptions,
        on_event: EventSink,
    ) -> Result<HardwareHandle, HardwareError> {
        let clock: Arc<dyn Clock> = Arc::new(SystemClock::default());
        HardwareHandle::spawn_with_clock(db, hardware, options, on_event, clock)
    }

    /// [`spawn`](HardwareHandle::spawn) with a given clock: a [`super::ManualClock`] makes the
    /// worker act only when told ([`poll_now`](HardwareHandle::poll_now)).
    pub fn spawn_with_clock(
        db: &Path,
        hardware: Hardware,
        options: WorkerOptions,
        on_event: EventSink,
        clock: Arc<dyn Clock>,
    ) -> Result<HardwareHandle, HardwareError> {
        let store = KioskStore::open(db)?;
        let status = Arc::new(Mutex::new(HardwareStatus::default()));
        let buzzer = hardware.buzzer.clone();
        let worker = Worker::new(store, hardware, options, on_event, status.clone(), clock)?;
        let (commands, rx) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("congelo-hardware".into())
            .spawn(move || worker.run(rx))
            .map_err(|e| HardwareError::Thread("hardware worker", e))?;
        Ok(HardwareHandle {
            commands,
            buzzer,
            status,
            thread: Some(thread),
        })
    }

    /// The sale at `sale` (its event-log seq, `RecordedSale::seq`) is committed: open the lock.
    /// The worker reads the sale back from the database first, and refuses a seq that is not a
    /// sale, or not newer than every sale that opened the lock before (and than the log's end when
    /// the worker started), with [`HardwareEvent::UnlockRefused`].
    pub fn unlock_for_sale(&self, sale: Seq) {
        let _ = self.commands.send(Command::UnlockForSale(sale));
    }

    /// Like [`unlock_for_sale`](HardwareHandle::unlock_for_sale) for the newest sale in the log,
    /// when the caller does not have its seq: opens the lock if a sale was committed since the
    /// lock last opened (and since the worker started); otherwise [`HardwareEvent::UnlockRefused`].
    pub fn unlock_for_new_sale(&self) {
        let _ = self.commands.send(Command::UnlockForNewSale);
    }

    /// Plays a sound at once (on the buzzer's own thread).
    pub fn feedback(&self, pattern: BuzzPattern) {
        self.buzzer.play(pattern);
    }

    /// The buzzer, for whoever plays sounds without going through the worker.
    pub fn buzzer(&self) -> Arc<dyn Buzzer> {
        self.buzzer.clone()
    }

    /// What the kiosk wants the LED to say; the worker shows the more serious of this and what
    /// the alarms say (see [`LedState`]).
    pub fn set_led(&self, state: LedState) {
        let _ = self.commands.send(Command::SetLed(state));
    }

    /// A staff member checked the freezer after an excursion: records the cleared alarm and
    /// lifts the hold (the kiosk may sell again). Returns whether there was a hold. Waits for the
    /// worker (one small database write).
    pub fn clear_cold_chain_hold(&self) -> Result<bool, HardwareError> {
        let (reply, answer) = mpsc::channel();
        self.commands
            .send(Command::ClearHold(reply))
            .map_err(|_| HardwareError::WorkerStopped)?;
        answer
            .recv_timeout(ANSWER_TIMEOUT)
            .map_err(|_| HardwareError::WorkerStopped)?
    }

    /// Makes the worker check everything that is due now and waits until it has. With a manual
    /// clock this is how time moves for the worker; with the real one it is never needed.
    pub fn poll_now(&self) -> Result<(), HardwareError> {
        let (reply, answer) = mpsc::channel();
        self.commands
            .send(Command::Poll(reply))
            .map_err(|_| HardwareError::WorkerStopped)?;
        answer
            .recv_timeout(POLL_TIMEOUT)
            .map_err(|_| HardwareError::WorkerStopped)
    }

    /// The latest state of the door, the lock, the temperature and the alarms.
    pub fn latest(&self) -> HardwareStatus {
        self.status
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Stops the worker and waits for it.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let _ = self.commands.send(Command::Shutdown);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for HardwareHandle {
    fn drop(&mut self) {
        self.stop();
    }
}
